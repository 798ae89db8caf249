/*
 * badargs: every system call that takes a pointer, a descriptor or a length, given bad ones.
 * Each such call must return -1, change nothing, and leave the caller running; a kernel that
 * trusts a user pointer corrupts memory here, or dies.
 *   - bad pointers: unmapped addresses (just past the break, far past it, the stack's guard
 *     page, 0x80000000 where xv6's kernel lives, the top page of the address space, 2^38 and
 *     beyond, all ones, a good address plus 4 GiB for a kernel that truncates), and for calls
 *     that write to user memory also read-only memory (address 0, which is program text, and
 *     read-only data); buffers and structures that start mapped and run off the end of memory
 *   - strings: unterminated before unmapped memory; paths longer than MAXPATH (for open,
 *     chdir and exec, as a long spelling of a name that works when spelt shorter)
 *   - exec argument vectors: a bad array, a bad string in it, no terminating NULL
 *   - bad descriptors: -1, NOFILE, 1000, INT_MIN, a closed one, one never opened
 *   - bad lengths: -1 and INT_MIN to read and write, huge counts from a buffer at the end of
 *     memory
 *   - wait with a bad status pointer fails and leaves the zombie to a later wait
 *   - kill, sbrk, sleep and failalloc with nonsense numbers; vmstat with bad pointers
 * Unlike the other tests it carries on past a failure, printing a FAIL line for each, and
 * ends with "badargs: ok" (exit 0) or "badargs: N of M checks failed" (exit 1).
 */
#include <limits.h>
#include "test.h"

#define MAX_BAD 16
#define REFUSED 42

struct bad_pointer {
    const char *what;
    uintptr_t addr;
};

/* Unmapped: bad for every call. */
static struct bad_pointer unmapped[MAX_BAD];
static int unmapped_count;
/* Mapped but read-only: bad for calls that write user memory. */
static struct bad_pointer read_only[2];

static const char read_only_data[64] = "read-only data";
static char buffer[256];
static char long_path[MAXPATH + 64];
static int checks, failures;

static void expect_fail(long r, const char *call, const char *what)
{
    checks++;
    if (r != -1) {
        failures++;
        printf("FAIL: badargs: %s with %s returned %ld, expected -1\n", call, what, r);
    }
}

/* For calls whose bad buffer is only partly bad: -1, or a count no larger than the good part. */
static void expect_fail_or_short(long r, long good, const char *call, const char *what)
{
    checks++;
    if (r != -1 && (r < 0 || r > good)) {
        failures++;
        printf("FAIL: badargs: %s with %s returned %ld, expected -1 or at most %ld\n", call, what, r, good);
    }
}

static void add_unmapped(const char *what, uintptr_t addr)
{
    unmapped[unmapped_count++] = (struct bad_pointer){what, addr};
}

static void find_bad_pointers(void)
{
    int local;
    uintptr_t stack_page = (uintptr_t)&local & ~(PAGE_SIZE - 1);
    uintptr_t top = (uintptr_t)first_unmapped();
    add_unmapped("the page past the break", top);
    add_unmapped("1 GiB past the break", top + (1UL << 30));
    add_unmapped("the stack's guard page", stack_page - PAGE_SIZE);
    add_unmapped("0x80000000", 0x80000000UL);
    add_unmapped("a good address + 4 GiB", (uintptr_t)buffer + (1UL << 32));
    add_unmapped("the top page of the address space", (1UL << 38) - PAGE_SIZE);
    add_unmapped("2^38", 1UL << 38);
    add_unmapped("0xffffffc000000000", 0xffffffc000000000UL);
    add_unmapped("0xffffffffffffffff", ~0UL);
    read_only[0] = (struct bad_pointer){"address 0 (text)", 0};
    read_only[1] = (struct bad_pointer){"read-only data", (uintptr_t)read_only_data};
}

/* ---- calls the kernel writes through ---- */

static void bad_read_buffers(void)
{
    int fd = open("README", O_RDONLY);
    check(fd >= 0, "cannot open README");
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(read(fd, (void *)unmapped[i].addr, 10), "read", unmapped[i].what);
    for (int i = 0; i < 2; i++)
        expect_fail(read(fd, (void *)read_only[i].addr, 10), "read into", read_only[i].what);
    /* 16 good bytes, then unmapped memory; README has far more than 16 bytes to give. */
    char *end = first_unmapped();
    expect_fail_or_short(read(fd, end - 16, 1000), 16, "read", "a buffer running off the end of memory");
    close(fd);
    printf("badargs: read\n");
}

static void bad_stat_buffers(void)
{
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(fstat(1, (struct stat *)unmapped[i].addr), "fstat", unmapped[i].what);
    for (int i = 0; i < 2; i++)
        expect_fail(fstat(1, (struct stat *)read_only[i].addr), "fstat into", read_only[i].what);
    /* 8 of the 24 bytes mapped: the copy-out fails part way. */
    expect_fail(fstat(1, (struct stat *)(first_unmapped() - 8)), "fstat", "a stat running off the end of memory");
    printf("badargs: fstat\n");
}

static void bad_vmstat_buffers(void)
{
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(vmstat((struct vmstat *)unmapped[i].addr), "vmstat", unmapped[i].what);
    for (int i = 0; i < 2; i++)
        expect_fail(vmstat((struct vmstat *)read_only[i].addr), "vmstat into", read_only[i].what);
    expect_fail(vmstat((struct vmstat *)(first_unmapped() - 8)), "vmstat", "a struct running off the end of memory");
    printf("badargs: vmstat\n");
}

static void bad_pipe_arrays(void)
{
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(pipe((int *)unmapped[i].addr), "pipe", unmapped[i].what);
    for (int i = 0; i < 2; i++)
        expect_fail(pipe((int *)read_only[i].addr), "pipe into", read_only[i].what);
    printf("badargs: pipe\n");
}

/* wait(0) is legal (no status wanted), so address 0 is not bad here. */
static void bad_wait_status(void)
{
    int pid = fork_or_fail();
    if (pid == 0)
        exit(3);
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(wait((int *)unmapped[i].addr), "wait", unmapped[i].what);
    expect_fail(wait((int *)read_only[1].addr), "wait into", read_only[1].what);
    /* The zombie must still be there for a good wait. */
    int status = 0;
    int got = wait(&status);
    checks++;
    if (got != pid || status != 3) {
        failures++;
        printf("FAIL: badargs: after the failed waits, wait returned %d status %d, expected %d status 3\n", got,
               status, pid);
    }
    printf("badargs: wait\n");
}

/* ---- calls the kernel reads through ---- */

static void bad_write_buffers(void)
{
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(write(1, (void *)unmapped[i].addr, 10), "write", unmapped[i].what);
    /* One good byte (a newline, so a kernel that writes it leaves the output tidy). */
    char *last = first_unmapped() - 1;
    *last = '\n';
    expect_fail_or_short(write(1, last, 100), 1, "write", "a buffer running off the end of memory");
    expect_fail_or_short(write(1, last, INT_MAX), 1, "write of INT_MAX bytes", "a buffer at the end of memory");
    printf("badargs: write\n");
}

/* The last 4 mapped bytes hold "abcd" with no terminator after them. */
static char *unterminated_string(void)
{
    char *s = first_unmapped() - 4;
    memcpy(s, "abcd", 4);
    return s;
}

/* "./././.../TARGET", about length characters long: a good path when short, and refused
 * when longer than MAXPATH, though it names the same file. */
static char *dotted_path(int length, const char *target)
{
    int prefix = (length - (int)strlen(target)) & ~1;
    for (int i = 0; i < prefix; i += 2)
        memcpy(long_path + i, "./", 2);
    strcpy(long_path + prefix, target);
    return long_path;
}

/*
 * Runs path_call on every bad path; name says which call. long_target, if not NULL, is a name
 * the call succeeds on, given again behind a prefix that makes the path longer than MAXPATH.
 * (Only for calls that change nothing when they wrongly succeed: a kernel that ignored
 * MAXPATH in unlink would delete the file.)
 */
static void bad_paths(int (*path_call)(const char *), const char *name, const char *long_target)
{
    for (int i = 0; i < unmapped_count; i++)
        expect_fail(path_call((const char *)unmapped[i].addr), name, unmapped[i].what);
    expect_fail(path_call(unterminated_string()), name, "a path running off the end of memory");
    if (long_target == NULL)
        return;
    checks++;
    if (path_call(dotted_path(MAXPATH - 20, long_target)) < 0) {
        failures++;
        printf("FAIL: badargs: %s of a %d-character path failed\n", name, MAXPATH - 20);
    }
    expect_fail(path_call(dotted_path(MAXPATH + 10, long_target)), name, "a path longer than MAXPATH");
}

static int open_path(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd >= 0)
        close(fd);
    return fd < 0 ? -1 : fd;
}

static int mkdir_path(const char *p) { return mkdir(p); }
static int unlink_path(const char *p) { return unlink(p); }
static int mknod_path(const char *p) { return mknod(p, CONSOLE, 0); }
static int link_from(const char *p) { return link(p, "badargs-link"); }
static int link_to(const char *p) { return link("README", p); }
static int chdir_path(const char *p) { return chdir(p); }

static void bad_path_calls(void)
{
    bad_paths(open_path, "open", "README");
    bad_paths(chdir_path, "chdir", ".");
    bad_paths(mkdir_path, "mkdir", NULL);
    bad_paths(unlink_path, "unlink", NULL);
    bad_paths(mknod_path, "mknod", NULL);
    bad_paths(link_from, "link (old)", NULL);
    bad_paths(link_to, "link (new)", NULL);
    check(chdir("/") == 0, "chdir(/) failed");
    printf("badargs: open, chdir, mkdir, unlink, mknod, link\n");
}

/* ---- exec, in a child so that a kernel that wrongly succeeds cannot replace this test ---- */

static void expect_exec_fails(const char *path, char **argv, const char *what)
{
    int pid = fork_or_fail();
    if (pid == 0)
        exit(exec(path, argv) == -1 ? REFUSED : 1);
    int status = wait_for(pid);
    checks++;
    if (status != REFUSED) {
        failures++;
        printf("FAIL: badargs: exec with %s did not return -1 (child status %d)\n", what, status);
    }
}

static void bad_exec(void)
{
    static char *good_argv[] = {"argvecho", NULL};
    for (int i = 0; i < unmapped_count; i++) {
        expect_exec_fails((const char *)unmapped[i].addr, good_argv, unmapped[i].what);
        expect_exec_fails("argvecho", (char **)unmapped[i].addr, unmapped[i].what);
        char *bad_string[] = {"argvecho", (char *)unmapped[i].addr, NULL};
        expect_exec_fails("argvecho", bad_string, unmapped[i].what);
    }
    expect_exec_fails(unterminated_string(), good_argv, "a path running off the end of memory");
    expect_exec_fails(dotted_path(MAXPATH + 10, "argvecho"), good_argv, "a path longer than MAXPATH");
    /* Good pointers up to the end of memory, and no NULL. */
    char **no_end = (char **)first_unmapped() - 4;
    for (int i = 0; i < 4; i++)
        no_end[i] = "argvecho";
    expect_exec_fails("argvecho", no_end, "an argv with no NULL before the end of memory");
    printf("badargs: exec\n");
}

/* ---- descriptors and lengths ---- */

/* A descriptor in range that is not open, or -1 if all are. */
static int never_opened(void)
{
    struct stat st;
    for (int fd = NOFILE - 1; fd >= 0; fd--) {
        if (fstat(fd, &st) < 0)
            return fd;
    }
    return -1;
}

static void bad_descriptors(void)
{
    int closed = open("README", O_RDONLY);
    check(closed >= 0, "cannot open README");
    close(closed);
    const int fds[] = {-1, NOFILE, 1000, INT_MIN, closed, never_opened()};
    const char *names[] = {"fd -1", "fd NOFILE", "fd 1000", "fd INT_MIN", "a closed fd", "an fd never opened"};
    struct stat st;
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        expect_fail(read(fds[i], buffer, 10), "read", names[i]);
        expect_fail(write(fds[i], "x", 1), "write", names[i]);
        expect_fail(fstat(fds[i], &st), "fstat", names[i]);
        expect_fail(dup(fds[i]), "dup", names[i]);
        expect_fail(close(fds[i]), "close", names[i]);
    }
    printf("badargs: bad descriptors\n");
}

static void bad_lengths(void)
{
    int fd = open("README", O_RDONLY);
    check(fd >= 0, "cannot open README");
    expect_fail(read(fd, buffer, -1), "read", "length -1");
    expect_fail(read(fd, buffer, INT_MIN), "read", "length INT_MIN");
    expect_fail(write(1, buffer, -1), "write", "length -1");
    expect_fail(write(1, buffer, INT_MIN), "write", "length INT_MIN");
    close(fd);
    printf("badargs: bad lengths\n");
}

static void bad_numbers(void)
{
    expect_fail(kill(0), "kill", "pid 0");
    expect_fail(kill(-1), "kill", "pid -1");
    expect_fail(kill(INT_MIN), "kill", "pid INT_MIN");
    expect_fail(failalloc(-1), "failalloc", "-1");
    expect_fail(failalloc(INT_MIN), "failalloc", "INT_MIN");
    char *before = sbrk(0);
    expect_fail((long)sbrk(INT_MIN), "sbrk", "INT_MIN");
    checks++;
    if (sbrk(0) != before) {
        failures++;
        printf("FAIL: badargs: a failed sbrk moved the break\n");
    }
    /* A negative sleep must not sleep (nearly) forever; what it returns is not specified. */
    sleep(-1);
    sleep(INT_MIN);
    printf("badargs: kill, sbrk, sleep, failalloc\n");
}

int main(void)
{
    test_begin("badargs");
    /* A page of heap, so that "the end of memory" is heap, not the top of the stack. */
    check(sbrk(PAGE_SIZE) != SBRK_FAILED, "sbrk failed");
    find_bad_pointers();
    bad_read_buffers();
    bad_stat_buffers();
    bad_vmstat_buffers();
    bad_pipe_arrays();
    bad_wait_status();
    bad_write_buffers();
    bad_path_calls();
    bad_exec();
    bad_descriptors();
    bad_lengths();
    bad_numbers();
    if (failures > 0) {
        printf("badargs: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("badargs: %d checks passed\n", checks);
    printf("badargs: ok\n");
    return 0;
}
