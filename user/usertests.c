/*
 * usertests: the whole-system suite. Runs every test, one after another, each in a forked
 * child so that a test that crashes (or fails a check) is reported as failing and the rest
 * still run. For each test it prints "test NAME: " and then "OK", or the test's FAIL line
 * and "usertests: NAME: FAILED". Around the whole run it counts the pages sbrk can get (a
 * child grows its heap until the kernel refuses and reports the count through a pipe; under
 * --lazy-sbrk, where sbrk never refuses for want of memory, the frames nobody was promised,
 * from vmstat); the count must be the same afterwards, or frames leaked. Ends with "ALL TESTS PASSED" (exit 0)
 * or "SOME TESTS FAILED" (exit 1).
 *
 *   usertests          every test
 *   usertests -q       the quick subset: the disk and inode-table fills, the biggest file and
 *                      a few repeats are left out, and the concurrency tests run one round
 *                      instead of eight
 *   usertests NAME...  just the named tests
 *
 * The tests of the kernel core (forktest, exectest, ...) and writetest and stressfs are
 * separate programs; usertests execs each with its output captured (shown only if it fails)
 * and passes it when it exits 0 having printed "NAME: ok". The file-system, pipe, exec, memory and bad-argument tests are written here.
 * Each test works in names of its own in the root directory (or a directory it makes) and
 * removes them, so tests can run in any order and a disk is left as it was found.
 */
#include <limits.h>
#include "grind.h"
#include "test.h"

#define BLOCK 1024
/* The biggest file xv6's inode can describe: 12 direct blocks and one indirect block. */
#define MAX_FILE_BYTES ((12 + 256) * BLOCK)
#define ROOT_INODE 1
/* Exit status of a child whose exec failed. */
#define EXEC_FAILED 127

struct test {
    const char *name;
    /* NULL: the test is the program of the same name, exec'd. */
    void (*run)(void);
    /* In the -q subset. */
    int quick;
    /* A program test that needs fds 1 and 2 to be the console (filetest checks they are a
     * device), so its output cannot be captured. */
    int on_console;
};

/* How many times the concurrency tests repeat: 1 under -q; more in the full run, because
 * each round is another chance for a race to show. */
static int rounds = 1;

/* Static: a process's stack is one page. */
static char buf[16384];
static char buf2[16384];

/* ---------------------------------------------------------------------------------------- */
/* Helpers. Each x-call fails the test unless the call succeeds. */

static int xopen(const char *path, int flags)
{
    int fd = open(path, flags);
    check(fd >= 0, "open(%s, 0x%x) failed", path, flags);
    return fd;
}

static void xwrite(int fd, const void *p, int n)
{
    int r = write(fd, p, n);
    check(r == n, "write of %d bytes to fd %d returned %d", n, fd, r);
}

static void xclose(int fd)
{
    check(close(fd) == 0, "close(%d) failed", fd);
}

static void xunlink(const char *path)
{
    check(unlink(path) == 0, "unlink(%s) failed", path);
}

static void xmkdir(const char *path)
{
    check(mkdir(path) == 0, "mkdir(%s) failed", path);
}

static void xchdir(const char *path)
{
    check(chdir(path) == 0, "chdir(%s) failed", path);
}

static struct stat xstat(const char *path)
{
    struct stat st;
    check(stat(path, &st) == 0, "stat(%s) failed", path);
    return st;
}

static struct stat xfstat(int fd)
{
    struct stat st;
    check(fstat(fd, &st) == 0, "fstat(%d) failed", fd);
    return st;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void expect_missing(const char *path, const char *why)
{
    check(!exists(path), "%s still exists %s", path, why);
}

static void create_file(const char *path, const char *content)
{
    int fd = xopen(path, O_CREATE | O_WRONLY);
    xwrite(fd, content, strlen(content));
    xclose(fd);
}

/* Fails unless path holds exactly want. */
static void expect_content(const char *path, const char *want)
{
    int fd = xopen(path, O_RDONLY);
    int n = read(fd, buf2, sizeof buf2);
    xclose(fd);
    int len = (int)strlen(want);
    check(n == len && memcmp(buf2, want, len) == 0, "%s holds \"%.*s\" (%d bytes), expected \"%s\"", path,
          n < 0 ? 0 : (n > 40 ? 40 : n), buf2, n, want);
}

/* The byte at offset off of a test file made with seed: it varies with the block number
 * too, so a block written to the wrong place shows. */
static unsigned char pattern(int seed, long off)
{
    return (unsigned char)(seed * 37 + off + (off >> 10) * 11);
}

static void fill_pattern(char *p, int seed, long off, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)pattern(seed, off + i);
}

/* Reads fd to its end in reads of chunk bytes, checking every byte against the pattern of
 * seed from offset 0; returns the bytes read. */
static long check_pattern(int fd, int seed, int chunk, const char *what)
{
    long off = 0;
    int n;
    while ((n = read(fd, buf2, chunk)) > 0) {
        for (int i = 0; i < n; i++)
            check((unsigned char)buf2[i] == pattern(seed, off + i), "%s: byte %ld is 0x%x, expected 0x%x", what,
                  off + i, (unsigned char)buf2[i], pattern(seed, off + i));
        off += n;
    }
    check(n == 0, "%s: read returned %d at offset %ld", what, n, off);
    return off;
}

/* prefix followed by n in decimal, in out. */
static char *numbered(char *out, const char *prefix, long n)
{
    char digits[24];
    int len = 0;
    unsigned long v = n < 0 ? -(unsigned long)n : (unsigned long)n;
    do {
        digits[len++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    strcpy(out, prefix);
    char *p = out + strlen(out);
    if (n < 0)
        *p++ = '-';
    while (len > 0)
        *p++ = digits[--len];
    *p = '\0';
    return out;
}

static int contains(const char *hay, const char *needle)
{
    int n = (int)strlen(needle);
    for (; *hay; hay++) {
        if (strncmp(hay, needle, n) == 0)
            return 1;
    }
    return n == 0;
}

static unsigned long rng;

static unsigned rnd(void)
{
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

/*
 * Children that finished while the test waited for another one: wait returns whichever
 * child exits first, and some tests have two children alive at once.
 */
#define REAPED_MAX 16
static int reaped_pid[REAPED_MAX], reaped_status[REAPED_MAX], reaped_count;

static int reap(int pid)
{
    for (int i = 0; i < reaped_count; i++) {
        if (reaped_pid[i] == pid) {
            int status = reaped_status[i];
            reaped_pid[i] = reaped_pid[--reaped_count];
            reaped_status[i] = reaped_status[reaped_count];
            return status;
        }
    }
    for (;;) {
        int status;
        int got = wait(&status);
        check(got > 0, "wait returned %d while waiting for child %d", got, pid);
        if (got == pid)
            return status;
        check(reaped_count < REAPED_MAX, "too many children");
        reaped_pid[reaped_count] = got;
        reaped_status[reaped_count++] = status;
    }
}

/* Runs one round of a concurrency test as many times as this run asks. */
static void repeat(void (*round)(void))
{
    for (int i = 0; i < rounds; i++)
        round();
}

/* ---------------------------------------------------------------------------------------- */
/* Running programs with their output captured. */

/* The last bytes a captured program wrote, NUL-terminated. */
static char output[8192];
static int output_len;

static void append_output(const char *s, int n)
{
    int room = (int)sizeof output - 1;
    if (n > room) {
        s += n - room;
        n = room;
    }
    if (output_len + n > room) {
        int drop = output_len + n - room;
        memmove(output, output + drop, output_len - drop);
        output_len -= drop;
    }
    memcpy(output + output_len, s, n);
    output_len += n;
    output[output_len] = '\0';
}

/* Fails the test unless name is a file on the disk: a missing program is a failure, not a
 * test to skip. */
static void expect_program(const char *name)
{
    struct stat st;
    check(stat(name, &st) == 0 && st.type == T_FILE, "%s is not on the disk", name);
}

/* Runs argv with fds 1 and 2 writing into a pipe that this process drains into output;
 * returns its exit status. */
static int run_captured(char **argv)
{
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    int pid = fork_or_fail();
    if (pid == 0) {
        close(p[0]);
        close(1);
        close(2);
        if (dup(p[1]) != 1 || dup(p[1]) != 2)
            exit(EXEC_FAILED);
        close(p[1]);
        exec(argv[0], argv);
        printf("exec %s failed\n", argv[0]);
        exit(EXEC_FAILED);
    }
    close(p[1]);
    output_len = 0;
    output[0] = '\0';
    static char chunk[512];
    int n;
    while ((n = read(p[0], chunk, sizeof chunk)) > 0)
        append_output(chunk, n);
    close(p[0]);
    return reap(pid);
}

/* Runs a utility, which must exit 0; want, if not NULL, is its whole expected output. */
static void run_utility(char **argv, const char *want)
{
    expect_program(argv[0]);
    int status = run_captured(argv);
    check(status == 0, "%s %s exited with status %d; its output:\n%s", argv[0], argv[1] ? argv[1] : "", status, output);
    if (want != NULL)
        check(strcmp(output, want) == 0, "%s printed \"%s\", expected \"%s\"", argv[0], output, want);
}

/* The name of the test now running, for the program tests. */
static const char *current_test;

/* A test that is a program of its own: it must exit 0 having printed "NAME: ok". */
static void program_test(int on_console)
{
    if (on_console) {
        expect_program(current_test);
        int pid = fork_or_fail();
        if (pid == 0) {
            char *argv[] = {(char *)current_test, NULL};
            exec(current_test, argv);
            exit(EXEC_FAILED);
        }
        expect_exit(pid, 0, current_test);
        return;
    }
    char ok_line[64];
    strcpy(ok_line, current_test);
    strcpy(ok_line + strlen(ok_line), ": ok\n");
    char *argv[] = {(char *)current_test, NULL};
    expect_program(current_test);
    int status = run_captured(argv);
    if (status != 0 || !contains(output, ok_line)) {
        printf("\n--- the end of %s's output ---\n%s--- end ---\n", current_test, output);
        fail("%s exited with status %d%s", current_test, status, status == 0 ? " without its ok line" : "");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Free memory, counted the xv6 way: the pages sbrk can still get. */

/* Whether the kernel was booted with --lazy-sbrk: sbrk then only moves the break. */
static int lazy_sbrk(void)
{
    struct vmstat st;
    return vmstat(&st) == 0 && (st.flags & VM_LAZY_SBRK) != 0;
}

/* Frames free and not promised to anyone, as the kernel counts them. */
static long available_frames(void)
{
    struct vmstat st;
    check(vmstat(&st) == 0, "vmstat failed");
    return (long)(st.free_frames - st.reserved_frames);
}

/* Grows the heap until sbrk refuses, in steps from big to one page; returns the bytes got. */
static long grow_until_full(void)
{
    static const int steps[] = {1 << 20, 64 << 10, 4 << 10};
    long total = 0;
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        while (sbrk(steps[i]) != SBRK_FAILED)
            total += steps[i];
    }
    return total;
}

/* The pages a child of this process can get, or -1 if it could not be measured. */
static long free_pages(void)
{
    if (lazy_sbrk())
        return available_frames();
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    int pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        long pages = grow_until_full() / (long)PAGE_SIZE;
        write(fds[1], &pages, sizeof pages);
        exit(0);
    }
    close(fds[1]);
    long pages = -1;
    if (read(fds[0], &pages, sizeof pages) != sizeof pages)
        pages = -1;
    close(fds[0]);
    wait(NULL);
    return pages;
}

/* ---------------------------------------------------------------------------------------- */
/* Files: create, read, write, truncate, open modes. */

static void t_createread(void)
{
    static const int sizes[] = {1, 511, 1024, 3000, 10000, 16384};
    int fd = xopen("ut-file", O_CREATE | O_RDWR);
    struct stat st = xfstat(fd);
    check(st.type == T_FILE && st.size == 0 && st.nlink == 1, "a new file: type %d size %lu nlink %d", st.type, st.size,
          st.nlink);
    long off = 0;
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        fill_pattern(buf, 1, off, sizes[i]);
        xwrite(fd, buf, sizes[i]);
        off += sizes[i];
    }
    check(read(fd, buf, 10) == 0, "a read at the end of what was written returned data");
    check(xfstat(fd).size == (uint64)off, "fstat says %lu bytes, %ld were written", xfstat(fd).size, off);
    xclose(fd);
    static const int reads[] = {1, 100, 1024, 4096, 16384};
    for (unsigned i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        fd = xopen("ut-file", O_RDONLY);
        check(check_pattern(fd, 1, reads[i], "ut-file") == off, "ut-file read back short in %d-byte reads", reads[i]);
        xclose(fd);
    }
    xunlink("ut-file");
    check(open("ut-file", O_RDONLY) == -1, "ut-file opens after unlink");
    check(unlink("ut-file") == -1, "a second unlink succeeded");
}

static void t_truncate(void)
{
    fill_pattern(buf, 2, 0, 3000);
    int fd = xopen("ut-trunc", O_CREATE | O_WRONLY);
    xwrite(fd, buf, 3000);
    xclose(fd);
    int reader = xopen("ut-trunc", O_RDONLY);
    check(read(reader, buf2, 100) == 100, "read before truncation");
    int writer = xopen("ut-trunc", O_WRONLY);
    xwrite(writer, buf, 2000); /* its offset is now past the end the truncation leaves */
    fd = xopen("ut-trunc", O_TRUNC | O_WRONLY);
    check(xfstat(fd).size == 0, "O_TRUNC left %lu bytes", xfstat(fd).size);
    check(read(reader, buf2, 100) == 0, "a reader opened before O_TRUNC still reads data");
    check(write(writer, "x", 1) == -1, "a write at an offset past the end of the truncated file succeeded");
    xwrite(fd, "new", 3);
    xclose(fd);
    xclose(reader);
    xclose(writer);
    expect_content("ut-trunc", "new");
    /* O_TRUNC together with O_CREATE on an existing file truncates it too. */
    fd = xopen("ut-trunc", O_CREATE | O_TRUNC | O_RDWR);
    check(xfstat(fd).size == 0, "O_CREATE|O_TRUNC left %lu bytes", xfstat(fd).size);
    xclose(fd);
    xunlink("ut-trunc");
    /* A directory is never truncated: xv6 refuses the open, and a kernel that allows it must
     * leave the directory whole and read-only. */
    uint64 size = xstat(".").size;
    fd = open(".", O_TRUNC | O_RDONLY);
    if (fd >= 0) {
        check(write(fd, buf, 16) == -1, "a directory opened with O_TRUNC was written");
        xclose(fd);
    }
    check(xstat(".").size == size && exists("README"), "O_TRUNC on a directory changed it");
}

static void t_createexist(void)
{
    create_file("ut-exist", "original");
    uint ino = xstat("ut-exist").ino;
    int fd = xopen("ut-exist", O_CREATE | O_RDWR);
    check(xfstat(fd).ino == ino, "O_CREATE of an existing file made a new one");
    check(read(fd, buf, 100) == 8, "O_CREATE of an existing file lost its content");
    xclose(fd);
    fd = xopen("ut-exist", O_CREATE | O_WRONLY);
    xwrite(fd, "OR", 2);
    xclose(fd);
    expect_content("ut-exist", "ORiginal");
    /* A name that is taken cannot be made again as another kind. */
    check(mkdir("ut-exist") == -1, "mkdir over an existing file succeeded");
    check(mknod("ut-exist", NULLDEV, 0) == -1, "mknod over an existing file succeeded");
    xmkdir("ut-existd");
    check(open("ut-existd", O_CREATE | O_RDWR) == -1, "O_CREATE of an existing directory opened it for writing");
    check(open("ut-existd", O_CREATE | O_RDONLY) == -1, "O_CREATE of an existing directory succeeded");
    check(mkdir("ut-existd") == -1, "mkdir of an existing directory succeeded");
    check(xstat("ut-existd").type == T_DIR, "ut-existd is no longer a directory");
    xunlink("ut-existd");
    xunlink("ut-exist");
}

static void t_openmodes(void)
{
    int fd = xopen("ut-modes", O_CREATE | O_WRONLY);
    check(read(fd, buf, 1) == -1, "a file opened O_CREATE|O_WRONLY was read");
    xwrite(fd, "abc", 3);
    xclose(fd);
    fd = xopen("ut-modes", O_WRONLY);
    check(read(fd, buf, 1) == -1, "a file opened O_WRONLY was read");
    xclose(fd);
    fd = xopen("ut-modes", O_RDONLY);
    check(write(fd, "x", 1) == -1, "a file opened O_RDONLY was written");
    check(read(fd, buf, 10) == 3, "a file opened O_RDONLY could not be read");
    xclose(fd);
    fd = xopen("ut-modes", O_RDWR);
    xwrite(fd, "X", 1);
    check(read(fd, buf, 10) == 2 && memcmp(buf, "bc", 2) == 0, "O_RDWR: read after write");
    xclose(fd);
    expect_content("ut-modes", "Xbc");
    check(open("ut-missing", O_RDONLY) == -1, "a missing file opened without O_CREATE");
    check(open("ut-missing", O_RDWR) == -1, "a missing file opened O_RDWR without O_CREATE");
    expect_missing("ut-missing", "after opens without O_CREATE");
    xunlink("ut-modes");
}

static void t_dirwrite(void)
{
    check(open(".", O_WRONLY) == -1, "a directory opened O_WRONLY");
    check(open(".", O_RDWR) == -1, "a directory opened O_RDWR");
    check(open("/", O_CREATE | O_WRONLY) == -1, "the root directory opened O_CREATE|O_WRONLY");
    xmkdir("ut-dirw");
    check(open("ut-dirw", O_WRONLY) == -1, "a new directory opened O_WRONLY");
    int fd = xopen("ut-dirw", O_RDONLY);
    check(write(fd, buf, 16) == -1, "a directory was written");
    struct dirent de;
    check(read(fd, &de, sizeof de) == sizeof de && strcmp(de.name, ".") == 0, "a directory's first entry is not .");
    check(read(fd, &de, sizeof de) == sizeof de && strcmp(de.name, "..") == 0, "a directory's second entry is not ..");
    check(xfstat(fd).size == 2 * sizeof de, "a new directory has size %lu", xfstat(fd).size);
    xclose(fd);
    xunlink("ut-dirw");
}

/* ---------------------------------------------------------------------------------------- */
/* Directories, links and names. */

static void t_mkdir(void)
{
    short parent_links = xstat(".").nlink;
    xmkdir("ut-dir");
    struct stat d = xstat("ut-dir");
    check(d.type == T_DIR, "ut-dir has type %d", d.type);
    check(xstat("ut-dir/.").ino == d.ino, "ut-dir/. is not ut-dir");
    check(xstat("ut-dir/..").ino == xstat(".").ino, "ut-dir/.. is not its parent");
    check(xstat(".").nlink == parent_links + 1, "the parent's nlink went from %d to %d, expected one more (..)",
          parent_links, xstat(".").nlink);
    create_file("ut-dir/file", "in a directory");
    xchdir("ut-dir");
    check(xstat(".").ino == d.ino, "chdir(ut-dir) did not move there");
    expect_content("file", "in a directory");
    expect_content("../ut-dir/file", "in a directory");
    expect_content("./././file", "in a directory");
    xmkdir("sub");
    create_file("sub/deeper", "deeper");
    xchdir("sub");
    expect_content("../../ut-dir/sub/deeper", "deeper");
    expect_content("/ut-dir/file", "in a directory");
    xchdir("../..");
    check(xstat(".").ino == ROOT_INODE, "chdir(../..) did not return to the root");
    check(mkdir("ut-dir") == -1, "mkdir of an existing directory succeeded");
    check(mkdir("ut-nodir/x") == -1, "mkdir in a missing directory succeeded");
    check(mkdir("README/x") == -1, "mkdir inside a file succeeded");
    xunlink("ut-dir/sub/deeper");
    xunlink("ut-dir/sub");
    xunlink("ut-dir/file");
    xunlink("ut-dir");
    check(xstat(".").nlink == parent_links, "the parent's nlink is %d after rmdir, was %d", xstat(".").nlink,
          parent_links);
    expect_missing("ut-dir", "after unlink");
}

static void t_unlinkdir(void)
{
    xmkdir("ut-ud");
    create_file("ut-ud/f", "x");
    check(unlink(".") == -1, "unlink(.) succeeded");
    check(unlink("..") == -1, "unlink(..) succeeded");
    check(unlink("/") == -1, "unlink(/) succeeded");
    check(unlink("ut-ud/.") == -1, "unlink(ut-ud/.) succeeded");
    check(unlink("ut-ud/..") == -1, "unlink(ut-ud/..) succeeded");
    check(unlink("ut-ud") == -1, "unlink of a non-empty directory succeeded");
    check(unlink("ut-nosuch") == -1, "unlink of a missing name succeeded");
    check(unlink("ut-ud/nosuch") == -1, "unlink of a missing name in a directory succeeded");
    xchdir("ut-ud");
    check(unlink(".") == -1 && unlink("..") == -1, "unlink of . or .. from inside succeeded");
    xchdir("/");
    expect_content("ut-ud/f", "x");
    xunlink("ut-ud/f");
    xunlink("ut-ud");
    expect_missing("ut-ud", "after unlink");
}

/* A removed directory that is still the cwd: "." still opens, ".." names nothing (the parent
 * may be gone too, its inode free or reused), and nothing can be made in it. */
static void t_removedcwd(void)
{
    xmkdir("ut-rc");
    xmkdir("ut-rc/in");
    int pid = fork_or_fail();
    if (pid == 0) {
        xchdir("ut-rc/in");
        xunlink("/ut-rc/in");
        xunlink("/ut-rc");
        int fd = xopen(".", O_RDONLY);
        check(xfstat(fd).nlink == 0, "a removed cwd has nlink %d", xfstat(fd).nlink);
        xclose(fd);
        check(open("..", O_RDONLY) == -1, "open(..) in a removed directory succeeded");
        check(chdir("..") == -1, "chdir(..) from a removed directory succeeded");
        check(open("new", O_CREATE | O_RDWR) == -1 && mkdir("sub") == -1, "created a name in a removed directory");
        /* The parent's inode may be reused now; still nothing is reached through "..". */
        create_file("/ut-rc-reuse", "x");
        check(open("../ut-rc-reuse", O_RDONLY) == -1, "reached a file through a removed directory's ..");
        xunlink("/ut-rc-reuse");
        exit(0);
    }
    expect_exit(pid, 0, "a process in a removed directory");
}

static void t_linkrules(void)
{
    xmkdir("ut-ld");
    check(link("ut-ld", "ut-ld2") == -1, "link to a directory succeeded");
    check(link(".", "ut-ld2") == -1, "link to . succeeded");
    expect_missing("ut-ld2", "after a refused link");
    create_file("ut-lf", "link me");
    check(link("ut-lf", "ut-ld") == -1, "link over an existing directory succeeded");
    check(link("ut-lf", "README") == -1, "link over an existing file succeeded");
    check(link("ut-nosuch", "ut-lf2") == -1, "link from a missing file succeeded");
    check(link("ut-lf", "ut-nosuch/x") == -1, "link into a missing directory succeeded");
    check(link("ut-lf", "README/x") == -1, "link into a file succeeded");
    expect_content("ut-lf", "link me");
    xunlink("ut-lf");
    xunlink("ut-ld");
}

static void t_link(void)
{
    create_file("ut-orig", "shared content");
    check(link("ut-orig", "ut-other") == 0, "link failed");
    struct stat a = xstat("ut-orig"), b = xstat("ut-other");
    check(a.ino == b.ino && a.nlink == 2, "after link: inodes %u and %u, nlink %d", a.ino, b.ino, a.nlink);
    xunlink("ut-orig");
    expect_missing("ut-orig", "after unlink");
    expect_content("ut-other", "shared content");
    check(xstat("ut-other").nlink == 1, "nlink is %d after one of two names went", xstat("ut-other").nlink);
    /* Writes through one name show through another. */
    xmkdir("ut-ld");
    check(link("ut-other", "ut-ld/third") == 0, "link into a subdirectory failed");
    int fd = xopen("ut-ld/third", O_WRONLY);
    xwrite(fd, "SHARED", 6);
    xclose(fd);
    expect_content("ut-other", "SHARED content");
    xunlink("ut-other");
    expect_content("ut-ld/third", "SHARED content");
    xunlink("ut-ld/third");
    xunlink("ut-ld");
}

static void t_unlinkopen(void)
{
    fill_pattern(buf, 3, 0, 5000);
    int fd = xopen("ut-uo", O_CREATE | O_RDWR);
    xwrite(fd, buf, 5000);
    xclose(fd);
    int r = xopen("ut-uo", O_RDONLY);
    int w = xopen("ut-uo", O_WRONLY);
    uint ino = xfstat(r).ino;
    xunlink("ut-uo");
    expect_missing("ut-uo", "after unlink");
    check(xfstat(r).nlink == 0, "an unlinked open file has nlink %d", xfstat(r).nlink);
    /* A new file of the same name is another file. */
    create_file("ut-uo", "new one");
    check(xstat("ut-uo").ino != ino, "a new file got the inode of an open unlinked one");
    check(check_pattern(r, 3, 999, "unlinked ut-uo") == 5000, "the unlinked file read back short");
    fill_pattern(buf, 3, 0, 100);
    xwrite(w, buf, 100); /* still writable: it overwrites its start */
    xclose(w);
    xclose(r);
    expect_content("ut-uo", "new one");
    xunlink("ut-uo");
}

static void t_emptyname(void)
{
    check(open("", O_CREATE | O_RDWR) == -1, "open(\"\", O_CREATE) succeeded");
    check(mkdir("") == -1, "mkdir(\"\") succeeded");
    check(unlink("") == -1, "unlink(\"\") succeeded");
    check(link("README", "") == -1, "link(README, \"\") succeeded");
    check(mknod("", NULLDEV, 0) == -1, "mknod(\"\") succeeded");
    check(mkdir("/") == -1, "mkdir(/) succeeded");
}

static void t_dirfile(void)
{
    check(open("README/x", O_CREATE | O_RDWR) == -1, "a file created inside a file");
    check(mkdir("README/x") == -1, "a directory made inside a file");
    check(unlink("README/x") == -1, "unlink inside a file succeeded");
    check(link("README", "README/x") == -1, "link inside a file succeeded");
    check(mknod("README/x", NULLDEV, 0) == -1, "mknod inside a file succeeded");
    check(chdir("README") == -1, "chdir into a file succeeded");
    check(open("README/.", O_RDONLY) == -1, "README/. opened");
    check(xstat("README").type == T_FILE, "README is no longer a file");
}

/* Removing a directory that is some process's working directory. */
static void t_iput(void)
{
    xmkdir("ut-iput");
    xchdir("ut-iput");
    check(unlink("../ut-iput") == 0, "unlink of the working directory (empty) failed");
    xchdir("/");
    expect_missing("ut-iput", "after unlink");
    /* The same, with a child inside while its parent removes the directory. */
    xmkdir("ut-iput");
    int ready[2], go[2];
    check(pipe(ready) == 0 && pipe(go) == 0, "pipe failed");
    int pid = fork_or_fail();
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        xchdir("ut-iput");
        xwrite(ready[1], "r", 1);
        char c;
        read(go[0], &c, 1);
        /* The directory is gone from the tree, but "." still names it. */
        check(xstat(".").type == T_DIR, "the removed working directory is not a directory");
        exit(0);
    }
    close(ready[1]);
    close(go[0]);
    char c;
    check(read(ready[0], &c, 1) == 1, "the child did not get into ut-iput");
    xunlink("ut-iput");
    close(go[1]);
    close(ready[0]);
    expect_exit(pid, 0, "a child whose directory was removed");
    expect_missing("ut-iput", "after unlink");
}

/* More rounds than the kernel's inode cache has slots (50), so a leaked reference shows. */
static void t_irefs(void)
{
    for (int i = 0; i < 70; i++) {
        xmkdir("ut-iref");
        xchdir("ut-iref");
        check(mkdir("") == -1, "mkdir(\"\") succeeded");
        check(link("/README", "") == -1, "link to \"\" succeeded");
        int fd = xopen("f", O_CREATE | O_RDWR);
        xclose(fd);
        check(open("/README/x", O_CREATE | O_RDWR) == -1, "a file created inside README");
        check(unlink("..") == -1, "unlink(..) succeeded");
        xunlink("f");
        xchdir("..");
        xunlink("ut-iref");
    }
}

static void t_names14(void)
{
    static const char name14[] = "abcdefghijklmn";
    _Static_assert(sizeof name14 - 1 == DIRSIZ, "the name must be exactly DIRSIZ bytes");
    create_file(name14, "fourteen");
    uint ino = xstat(name14).ino;
    /* The directory entry holds all 14 bytes with no terminator. */
    int fd = xopen(".", O_RDONLY);
    struct dirent de;
    int found = 0;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == ino && memcmp(de.name, name14, DIRSIZ) == 0)
            found = 1;
    }
    xclose(fd);
    check(found, "no entry with the 14-byte name");
    /* Longer names are cut to their first 14 bytes, as xv6 does. */
    check(xstat("abcdefghijklmnXYZ").ino == ino, "a 17-byte name did not open its 14-byte prefix");
    fd = xopen("abcdefghijklmnz", O_CREATE | O_RDWR);
    check(xfstat(fd).ino == ino, "O_CREATE of a 15-byte name made a new file");
    check(read(fd, buf, 100) == 8, "O_CREATE of the 15-byte name truncated the file");
    xclose(fd);
    check(!exists("abcdefghijklm"), "a 13-byte prefix named the 14-byte file");
    /* A 14-byte directory name in a path. */
    static const char dir14[] = "directory14chr";
    _Static_assert(sizeof dir14 - 1 == DIRSIZ, "the name must be exactly DIRSIZ bytes");
    xmkdir(dir14);
    create_file("directory14chr/abcdefghijklmn", "inside");
    expect_content("directory14chrEXTRA/abcdefghijklmnEXTRA", "inside");
    xchdir(dir14);
    expect_content(name14, "inside");
    expect_content("../abcdefghijklmn", "fourteen");
    xchdir("..");
    xunlink("directory14chr/abcdefghijklmn");
    xunlink(dir14);
    check(unlink("abcdefghijklmnQQ") == 0, "unlink by a longer spelling failed");
    expect_missing(name14, "after unlink");
}

/* "dt/dt/.../dt" for depth levels. */
static char *deep_path(char *out, int depth)
{
    out[0] = '\0';
    for (int i = 0; i < depth; i++)
        strcpy(out + strlen(out), i == 0 ? "dt" : "/dt");
    return out;
}

/* prefix copies of "./" then path, in out. */
static char *padded(char *out, const char *lead, int prefix, const char *path)
{
    strcpy(out, lead);
    for (int i = 0; i < prefix; i++)
        strcpy(out + strlen(out), "./");
    strcpy(out + strlen(out), path);
    return out;
}

#define DEEP 40

static void t_deeptree(void)
{
    static char path[MAXPATH + 64], longer[MAXPATH + 64];
    xmkdir("ut-deep");
    xchdir("ut-deep");
    for (int d = 1; d <= DEEP; d++)
        xmkdir(deep_path(path, d));
    deep_path(path, DEEP);
    strcpy(path + strlen(path), "/f"); /* 121 characters */
    create_file(path, "deep");
    expect_content(path, "deep");
    /* The longest path a call takes is MAXPATH - 1 characters (MAXPATH with its NUL). */
    check(strlen(padded(longer, "", 3, path)) == MAXPATH - 1, "test bug: path length %d", (int)strlen(longer));
    expect_content(longer, "deep");
    check(strlen(padded(longer, "/", 3, path)) == MAXPATH, "test bug: path length %d", (int)strlen(longer));
    check(open(longer, O_RDONLY) == -1, "a path of MAXPATH characters opened");
    check(open(padded(longer, "", 20, path), O_RDONLY) == -1, "a path longer than MAXPATH opened");
    check(mkdir(padded(longer, "", MAXPATH / 2, "dt/new")) == -1, "mkdir of a path longer than MAXPATH succeeded");
    expect_missing("dt/new", "after a refused mkdir");
    /* Down the tree one step at a time, then as deep again: deeper than any path can name. */
    for (int d = 1; d <= DEEP; d++)
        xchdir("dt");
    expect_content("f", "deep");
    for (int d = 1; d <= DEEP; d++) {
        xmkdir("dt");
        xchdir("dt");
    }
    create_file("f", "deeper");
    static char up[MAXPATH];
    up[0] = '\0';
    for (int d = 0; d < DEEP; d++)
        strcpy(up + strlen(up), "../");
    strcpy(up + strlen(up), "f");
    expect_content(up, "deep");
    /* A directory that is not empty cannot go; then back up, removing each level. */
    check(unlink("/ut-deep/dt") == -1, "unlink of a non-empty directory succeeded");
    for (int d = 2 * DEEP; d >= 1; d--) {
        if (d == 2 * DEEP || d == DEEP)
            xunlink("f");
        xchdir("..");
        xunlink("dt");
    }
    check(xstat(".").ino == xstat("/ut-deep").ino, "back up the tree is not where it started");
    xchdir("/");
    xunlink("ut-deep");
}

#define BIGDIR_LINKS 200

static void t_bigdir(void)
{
    char name[32];
    xmkdir("ut-bigd");
    uint readme = xstat("README").ino;
    short links = xstat("README").nlink;
    for (int i = 0; i < BIGDIR_LINKS; i++)
        check(link("README", numbered(name, "ut-bigd/l", i)) == 0, "link number %d failed", i);
    check(xstat("README").nlink == links + BIGDIR_LINKS, "README has nlink %d after %d links", xstat("README").nlink,
          BIGDIR_LINKS);
    for (int i = 0; i < BIGDIR_LINKS; i++)
        check(xstat(numbered(name, "ut-bigd/l", i)).ino == readme, "%s is not README", name);
    check(unlink("ut-bigd") == -1, "unlink of a full directory succeeded");
    for (int i = 0; i < BIGDIR_LINKS; i++)
        xunlink(numbered(name, "ut-bigd/l", i));
    check(xstat("README").nlink == links, "README's nlink is %d after the links went", xstat("README").nlink);
    xunlink("ut-bigd");
}

/* ---------------------------------------------------------------------------------------- */
/* Descriptors: dup, fork, limits. */

static void t_dupoffset(void)
{
    int fd = xopen("ut-dup", O_CREATE | O_RDWR);
    int copy = dup(fd);
    check(copy >= 0, "dup failed");
    xwrite(fd, "ab", 2);
    xwrite(copy, "cd", 2);
    xclose(fd);
    xwrite(copy, "ef", 2);
    xclose(copy);
    expect_content("ut-dup", "abcdef");
    /* Two opens each have their own offset. */
    int a = xopen("ut-dup", O_WRONLY), b = xopen("ut-dup", O_WRONLY);
    xwrite(a, "XY", 2);
    xwrite(b, "Z", 1);
    xclose(a);
    xclose(b);
    expect_content("ut-dup", "ZYcdef");
    xunlink("ut-dup");
}

#define SHARED_RECORDS 250

/* Parent and child write through one descriptor: nothing is lost, nothing overwritten. */
static void sharedfd_once(void)
{
    int fd = xopen("ut-shared", O_CREATE | O_RDWR);
    int pid = fork_or_fail();
    char c = pid == 0 ? 'c' : 'p';
    memset(buf, c, 10);
    for (int i = 0; i < SHARED_RECORDS; i++)
        xwrite(fd, buf, 10);
    if (pid == 0)
        exit(0);
    expect_exit(pid, 0, "the writing child");
    xclose(fd);
    fd = xopen("ut-shared", O_RDONLY);
    int counts[2] = {0, 0}, n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++) {
            check(buf[i] == 'c' || buf[i] == 'p', "byte 0x%x in the shared file", (unsigned char)buf[i]);
            counts[buf[i] == 'c']++;
        }
    }
    xclose(fd);
    check(counts[0] == SHARED_RECORDS * 10 && counts[1] == SHARED_RECORDS * 10,
          "the file has %d bytes of the parent's and %d of the child's, expected %d each", counts[0], counts[1],
          SHARED_RECORDS * 10);
    xunlink("ut-shared");
}

static void t_sharedfd(void)
{
    repeat(sharedfd_once);
}

static int open_count(void)
{
    struct stat st;
    int n = 0;
    for (int fd = 0; fd < NOFILE; fd++)
        n += fstat(fd, &st) == 0;
    return n;
}

static void t_maxfiles(void)
{
    int fds[NOFILE];
    int already = open_count();
    int n = 0, fd;
    create_file("ut-max", "m");
    while ((fd = open("ut-max", O_RDONLY)) >= 0) {
        check(n < NOFILE, "more than NOFILE (%d) files opened", NOFILE);
        fds[n++] = fd;
    }
    check(already + n == NOFILE, "%d were open, %d more opened: expected NOFILE (%d)", already, n, NOFILE);
    int p[2] = {-1, -1};
    check(pipe(p) == -1, "pipe succeeded with no descriptors free");
    check(dup(0) == -1, "dup succeeded with no descriptors free");
    check(open("ut-max2", O_CREATE | O_RDWR) == -1, "open succeeded with no descriptors free");
    unlink("ut-max2"); /* xv6 creates the file before it finds no descriptor for it */
    xclose(fds[--n]);
    check(pipe(p) == -1, "pipe succeeded with one descriptor free");
    check(open_count() == NOFILE - 1, "the failed pipe left a descriptor open");
    while (n > 0)
        xclose(fds[--n]);
    check(open_count() == already, "closing did not free every descriptor");
    xunlink("ut-max");
}

/* Holders open files until refused; 12 of them can hold 12 * 11 > 100, the kernel's
 * system-wide open-file table (xv6's NFILE), so some must be refused by that limit. */
#define HOLDERS 12

struct holding {
    int opened;
    int table_full; /* refused while this process still had descriptors free */
};

static void __attribute__((noreturn)) hold_files(int report, int go)
{
    struct holding h = {0, 0};
    while (open("README", O_RDONLY) >= 0)
        h.opened++;
    h.table_full = open_count() < NOFILE;
    xwrite(report, &h, sizeof h);
    char c;
    read(go, &c, 1); /* end of file when the parent lets go */
    exit(0);
}

static void t_nfile(void)
{
    int report[2], go[2];
    check(pipe(report) == 0 && pipe(go) == 0, "pipe failed");
    for (int i = 0; i < HOLDERS; i++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            close(report[0]);
            close(go[1]);
            hold_files(report[1], go[0]);
        }
    }
    close(report[1]);
    close(go[0]);
    int total = 0, refused = 0;
    for (int i = 0; i < HOLDERS; i++) {
        struct holding h;
        check(read(report[0], &h, sizeof h) == sizeof h, "a holder did not report");
        total += h.opened;
        refused += h.table_full;
    }
    check(refused > 0, "%d holders opened %d files and none was refused by the system-wide limit", HOLDERS, total);
    check(open("README", O_RDONLY) == -1, "open succeeded with the file table full");
    int p[2];
    check(pipe(p) == -1, "pipe succeeded with the file table full");
    close(go[1]);
    collect_children(HOLDERS, 0, "a holder");
    close(report[0]);
    int fd = xopen("README", O_RDONLY);
    xclose(fd);
    check(pipe(p) == 0, "pipe failed after the holders exited");
    close(p[0]);
    close(p[1]);
}

/* Files that are never closed are closed by exit. */
static void t_exitclose(void)
{
    for (int round = 0; round < 20; round++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            while (open("README", O_RDONLY) >= 0)
                ;
            int p[2];
            pipe(p);
            exit(0);
        }
        expect_exit(pid, 0, "a child that left its files open");
    }
    t_maxfiles();
}

/* ---------------------------------------------------------------------------------------- */
/* Concurrency in the file system. */

#define WRITERS 4
#define FOUR_WRITES 30
#define FOUR_CHUNK 500

static void fourfiles_once(void)
{
    char name[16];
    for (int w = 0; w < WRITERS; w++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            int fd = xopen(numbered(name, "ut-four", w), O_CREATE | O_WRONLY);
            for (int i = 0; i < FOUR_WRITES; i++) {
                fill_pattern(buf, w + 10, (long)i * FOUR_CHUNK, FOUR_CHUNK);
                xwrite(fd, buf, FOUR_CHUNK);
            }
            exit(0);
        }
    }
    collect_children(WRITERS, 0, "a writer");
    for (int w = 0; w < WRITERS; w++) {
        int fd = xopen(numbered(name, "ut-four", w), O_RDONLY);
        check(check_pattern(fd, w + 10, 1500, name) == FOUR_WRITES * FOUR_CHUNK, "%s is short", name);
        xclose(fd);
        xunlink(name);
    }
}

static void t_fourfiles(void)
{
    repeat(fourfiles_once);
}

/* Reads directory path: the names of its live entries other than . and .., each of which
 * must open and appear once. */
struct entry {
    uint inum;
    char name[DIRSIZ + 1];
};
static struct entry entries[1024]; /* a directory filled to the last free inode (the default image has 400) */

static int scan_directory(const char *path)
{
    int fd = xopen(path, O_RDONLY);
    struct dirent de;
    int n = 0, got;
    while ((got = read(fd, &de, sizeof de)) == sizeof de) {
        if (de.inum == 0)
            continue;
        char name[DIRSIZ + 1];
        memcpy(name, de.name, DIRSIZ);
        name[DIRSIZ] = '\0';
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        check(n < (int)(sizeof entries / sizeof entries[0]), "%s has too many entries", path);
        for (int i = 0; i < n; i++)
            check(strcmp(entries[i].name, name) != 0, "%s has two entries named %s", path, name);
        entries[n].inum = de.inum;
        strcpy(entries[n].name, name);
        n++;
    }
    check(got == 0, "reading directory %s returned %d", path, got);
    xclose(fd);
    for (int i = 0; i < n; i++) {
        strcpy(buf2, path);
        strcpy(buf2 + strlen(buf2), "/");
        strcpy(buf2 + strlen(buf2), entries[i].name);
        int e = open(buf2, O_RDONLY);
        check(e >= 0, "%s is in the directory but does not open", buf2);
        check(xfstat(e).ino == entries[i].inum, "%s opens inode %u, its entry says %u", buf2, xfstat(e).ino,
              entries[i].inum);
        xclose(e);
    }
    return n;
}

#define CONC_PROCS 4
#define CONC_NAMES 20

/* Every process creates every name, then every process unlinks every name. */
static void concreate_once(void)
{
    char name[16];
    xmkdir("ut-conc");
    xchdir("ut-conc");
    for (int p = 0; p < CONC_PROCS; p++) {
        if (fork_or_fail() == 0) {
            for (int i = 0; i < CONC_NAMES; i++) {
                int fd = xopen(numbered(name, "c", (i + p * 5) % CONC_NAMES), O_CREATE | O_RDWR);
                xwrite(fd, "x", 1);
                xclose(fd);
            }
            exit(0);
        }
    }
    collect_children(CONC_PROCS, 0, "a creator");
    check(scan_directory(".") == CONC_NAMES, "after concurrent creates, %d names, expected %d", scan_directory("."),
          CONC_NAMES);
    /* Each name goes exactly once: the exit statuses count successful unlinks. */
    for (int p = 0; p < CONC_PROCS; p++) {
        if (fork_or_fail() == 0) {
            int removed = 0;
            for (int i = 0; i < CONC_NAMES; i++) {
                int r = unlink(numbered(name, "c", (i * 7 + p * 3) % CONC_NAMES));
                check(r == 0 || r == -1, "unlink returned %d", r);
                removed += r == 0;
            }
            exit(removed);
        }
    }
    int removed = 0;
    for (int p = 0; p < CONC_PROCS; p++) {
        int status;
        check(wait(&status) > 0, "wait failed");
        check(status >= 0 && status <= CONC_NAMES, "an unlinker exited with %d", status);
        removed += status;
    }
    check(removed == CONC_NAMES, "%d unlinks succeeded for %d names", removed, CONC_NAMES);
    check(scan_directory(".") == 0, "names left after concurrent unlinks");
    xchdir("..");
    xunlink("ut-conc");
}

static void t_concreate(void)
{
    repeat(concreate_once);
}

#define RACE_NAMES 8
#define RACE_OPS 150

/* One random operation on the shared names; every call must return a success or -1. */
static void race_op(int p)
{
    char a[8], b[8];
    numbered(a, "r", rnd() % RACE_NAMES);
    numbered(b, "r", rnd() % RACE_NAMES);
    int fd, r;
    switch (rnd() % 6) {
    case 0:
        fd = open(a, O_CREATE | O_RDWR);
        check(fd >= -1, "open returned %d", fd);
        if (fd >= 0) {
            memset(buf, 'A' + p, 8);
            xwrite(fd, buf, 8); /* a directory never opens for writing, so this is a file */
            xclose(fd);
        }
        break;
    case 1:
    case 2:
        r = unlink(a);
        check(r == 0 || r == -1, "unlink returned %d", r);
        break;
    case 3:
        r = link(a, b);
        check(r == 0 || r == -1, "link returned %d", r);
        break;
    case 4:
        r = mkdir(a);
        check(r == 0 || r == -1, "mkdir returned %d", r);
        break;
    default:
        fd = open(a, O_RDONLY);
        check(fd >= -1, "open returned %d", fd);
        if (fd < 0)
            break;
        if (xfstat(fd).type == T_FILE) {
            /* Every write is 8 bytes of one writer's letter at offset 0. */
            int n = read(fd, buf, 16);
            check(n == 0 || n == 8, "read %d bytes from a file of 8-byte writes", n);
            for (int i = 1; i < n; i++)
                check(buf[i] == buf[0] && buf[0] >= 'A' && buf[0] < 'A' + CONC_PROCS, "a mixed write: %.8s", buf);
        }
        xclose(fd);
        break;
    }
}

/* Several processes creating, linking, making and unlinking the same few names at random;
 * afterwards the directory must be consistent. */
static void concrandom_once(void)
{
    static int race_round;
    race_round++; /* each round races differently */
    xmkdir("ut-race");
    xchdir("ut-race");
    for (int p = 0; p < CONC_PROCS; p++) {
        if (fork_or_fail() == 0) {
            rng = (unsigned long)(p + 1) * 7919 + (unsigned long)race_round * 104729;
            for (int i = 0; i < RACE_OPS; i++)
                race_op(p);
            exit(0);
        }
    }
    collect_children(CONC_PROCS, 0, "a racer");
    int n = scan_directory(".");
    for (int i = 0; i < n; i++) {
        struct stat st = xstat(entries[i].name);
        if (st.type != T_FILE)
            continue;
        int names = 0;
        for (int j = 0; j < n; j++)
            names += entries[j].inum == entries[i].inum;
        check(st.nlink == names, "%s has nlink %d but %d names", entries[i].name, st.nlink, names);
    }
    for (int i = 0; i < n; i++)
        xunlink(entries[i].name);
    check(scan_directory(".") == 0, "names left after removing every name");
    xchdir("..");
    xunlink("ut-race");
}

static void t_concrandom(void)
{
    repeat(concrandom_once);
}

#define NAMES_STEPS 250
#define NAMES_TICKS 500

/* The shared-names race (grind.h): processes create, unlink, link, mkdir, chdir, rename by
 * link, truncate and write through held descriptors on a few shared names; then every
 * surviving name must open with a true link count, and removing them all must work. (The
 * host's end-to-end test then fscks the disk: no leaked inode or block.) */
static void concnames_once(void)
{
    static int names_round;
    xmkdir("/ut-names");
    grind_race("/ut-names", CONC_PROCS, NAMES_STEPS, uptime() + NAMES_TICKS, (unsigned long)++names_round);
    grind_verify("/ut-names");
    grind_remove("/ut-names");
    expect_missing("/ut-names", "after removing the race's directory");
}

static void t_concnames(void)
{
    repeat(concnames_once);
}

#define CRW_BYTES (48 * 1024)
#define CRW_READERS 2

/* Readers read a file while it is being written: every byte they see is the right one. */
static void concrw_once(void)
{
    int fd = xopen("ut-crw", O_CREATE | O_WRONLY);
    for (int r = 0; r < CRW_READERS; r++) {
        if (fork_or_fail() == 0) {
            long seen = 0;
            for (int pass = 0; seen < CRW_BYTES; pass++) {
                int in = xopen("ut-crw", O_RDONLY);
                seen = check_pattern(in, 4, 700, "a file being written");
                xclose(in);
                check(pass < 100000, "the writer never finished");
            }
            exit(0);
        }
    }
    for (long off = 0; off < CRW_BYTES; off += BLOCK) {
        fill_pattern(buf, 4, off, BLOCK);
        xwrite(fd, buf, BLOCK);
    }
    xclose(fd);
    collect_children(CRW_READERS, 0, "a reader");
    xunlink("ut-crw");
}

static void t_concrw(void)
{
    repeat(concrw_once);
}

/* ---------------------------------------------------------------------------------------- */
/* Size limits: the biggest file, a full disk, a full inode table. */

/* Writes n bytes of seed's pattern from offset off in writes of at most chunk bytes. */
static void write_pattern(int fd, int seed, long off, long n, int chunk)
{
    while (n > 0) {
        int k = n < chunk ? (int)n : chunk;
        fill_pattern(buf, seed, off, k);
        xwrite(fd, buf, k);
        off += k;
        n -= k;
    }
}

static void t_bigfile(void)
{
    int fd = xopen("ut-big", O_CREATE | O_RDWR);
    write_pattern(fd, 5, 0, MAX_FILE_BYTES, 3000);
    check(xfstat(fd).size == MAX_FILE_BYTES, "the biggest file has %lu bytes", xfstat(fd).size);
    check(write(fd, "x", 1) == -1, "a write past the biggest file size succeeded");
    check(xfstat(fd).size == MAX_FILE_BYTES, "a refused write changed the size to %lu", xfstat(fd).size);
    xclose(fd);
    fd = xopen("ut-big", O_RDONLY);
    check(check_pattern(fd, 5, 4096, "ut-big") == MAX_FILE_BYTES, "ut-big read back short");
    xclose(fd);
    fd = xopen("ut-big", O_RDONLY);
    check(check_pattern(fd, 5, 1023, "ut-big") == MAX_FILE_BYTES, "ut-big read back short in odd reads");
    xclose(fd);
    xunlink("ut-big");
    /* A write that straddles the limit writes at most up to it. */
    long start = MAX_FILE_BYTES - 512;
    fd = xopen("ut-big2", O_CREATE | O_RDWR);
    write_pattern(fd, 6, 0, start, 8192);
    fill_pattern(buf, 6, start, 1024);
    int r = write(fd, buf, 1024);
    check(r == -1 || r == 512, "a write across the size limit returned %d", r);
    long size = start + (r > 0 ? r : 0);
    check(xfstat(fd).size == (uint64)size, "after a write across the limit returned %d the size is %lu", r,
          xfstat(fd).size);
    xclose(fd);
    fd = xopen("ut-big2", O_RDONLY);
    check(check_pattern(fd, 6, 8192, "ut-big2") == size, "ut-big2 read back short");
    xclose(fd);
    xunlink("ut-big2");
}

#define FILL_CHUNK 4096 /* divides MAX_FILE_BYTES, so only a full disk refuses one */
#define FILL_FILES 64

/* Fills the disk with files f0, f1, ... in the working directory; returns their total size
 * and the count in *files. */
static long fill_disk(int *files)
{
    char name[16];
    long total = 0;
    for (int f = 0;; f++) {
        check(f < FILL_FILES, "%ld bytes written and the disk is not full", total);
        int fd = xopen(numbered(name, "f", f), O_CREATE | O_WRONLY);
        long off = 0;
        int r = FILL_CHUNK;
        while (off < MAX_FILE_BYTES) {
            fill_pattern(buf, f, off, FILL_CHUNK);
            r = write(fd, buf, FILL_CHUNK);
            if (r != FILL_CHUNK)
                break;
            off += r;
        }
        check(off == MAX_FILE_BYTES || r == -1 || (r >= 0 && r < FILL_CHUNK), "a write on a full disk returned %d", r);
        long size = (long)xfstat(fd).size;
        check(size >= off && size <= off + FILL_CHUNK, "file %s: size %ld after %ld bytes written", name, size, off);
        total += size;
        xclose(fd);
        if (size < MAX_FILE_BYTES) {
            *files = f + 1;
            return total;
        }
    }
}

static void verify_fill(int files)
{
    char name[16];
    for (int f = 0; f < files; f++) {
        int fd = xopen(numbered(name, "f", f), O_RDONLY);
        check(check_pattern(fd, f, 8192, name) == (long)xfstat(fd).size, "%s read back short", name);
        xclose(fd);
    }
}

static void remove_fill(int files)
{
    char name[16];
    for (int f = 0; f < files; f++)
        xunlink(numbered(name, "f", f));
}

static void t_diskfull(void)
{
    xmkdir("ut-full");
    xchdir("ut-full");
    int files;
    long first = fill_disk(&files);
    check(first > 100 * BLOCK, "only %ld bytes fitted on the disk", first);
    /* Full: nothing more fits, but what is there is intact and the rest still works. */
    check(mkdir("d") == -1, "mkdir succeeded on a full disk");
    expect_missing("d", "after a refused mkdir");
    int fd = open("empty", O_CREATE | O_RDWR);
    check(fd >= 0, "an empty file could not be created on a full disk (it needs no block)");
    check(write(fd, "x", 1) != 1, "a byte was written to a full disk");
    xclose(fd);
    xunlink("empty");
    verify_fill(files);
    check(scan_directory(".") == files, "the directory does not hold the %d files", files);
    remove_fill(files);
    /* The space came back: exactly as much fits again. */
    int again_files;
    long again = fill_disk(&again_files);
    verify_fill(again_files);
    /* Emptied before the verdict, so that a failure here does not leave the disk full for
     * the tests after it. */
    remove_fill(again_files);
    xchdir("..");
    xunlink("ut-full");
    check(again == first, "%ld bytes fitted the first time, %ld after unlinking them", first, again);
}

/* Creates empty files i0, i1, ... until the inode table is full; returns how many. */
static int fill_inodes(void)
{
    char name[16];
    int n = 0;
    for (;; n++) {
        check(n < 1000, "1000 files created and the inode table is not full");
        int fd = open(numbered(name, "i", n), O_CREATE | O_RDWR);
        if (fd < 0)
            return n;
        xclose(fd);
    }
}

static void remove_inodes(int n)
{
    char name[16];
    for (int i = 0; i < n; i++)
        xunlink(numbered(name, "i", i));
}

static void t_inodes(void)
{
    xmkdir("ut-inod");
    xchdir("ut-inod");
    int n = fill_inodes();
    check(n >= 20, "only %d files could be created", n);
    check(mkdir("d") == -1, "mkdir succeeded with no free inodes");
    check(mknod("n", NULLDEV, 0) == -1, "mknod succeeded with no free inodes");
    check(link("/README", "l") == 0, "link (which needs no inode) failed with no free inodes");
    xunlink("l");
    check(scan_directory(".") == n, "the directory does not hold the %d files", n);
    remove_inodes(n);
    int again = fill_inodes();
    remove_inodes(again); /* before the verdict, as in diskfull */
    xchdir("..");
    xunlink("ut-inod");
    check(again == n, "%d files fitted the first time, %d after unlinking them", n, again);
}

/* ---------------------------------------------------------------------------------------- */
/* Devices. */

static void check_null(const char *path)
{
    int fd = xopen(path, O_RDWR);
    struct stat st = xfstat(fd);
    check(st.type == T_DEVICE, "%s has type %d, not T_DEVICE", path, st.type);
    check(write(fd, buf, 1000) == 1000, "a write to %s did not return its count", path);
    check(read(fd, buf, 100) == 0, "a read from %s did not return 0", path);
    check(isatty(fd) == 0, "isatty(%s) is not 0", path);
    xclose(fd);
}

static void t_nulldev(void)
{
    check(mknod("ut-null", NULLDEV, 0) == 0, "mknod of a null device failed");
    check_null("ut-null");
    check(xstat("ut-null").size == 0, "a device has a size");
    xunlink("ut-null");
    if (exists("/null"))
        check_null("/null");
    /* A device with no driver, or with a major number out of range, does no I/O. */
    if (mknod("ut-nodrv", 9, 0) == 0) {
        int fd = open("ut-nodrv", O_RDWR);
        if (fd >= 0) {
            check(read(fd, buf, 10) == -1 && write(fd, buf, 10) == -1, "a device with no driver did I/O");
            xclose(fd);
        }
        xunlink("ut-nodrv");
    }
    if (mknod("ut-badmaj", -1, 0) == 0) {
        check(open("ut-badmaj", O_RDWR) == -1, "a device with major -1 opened");
        xunlink("ut-badmaj");
    }
    if (mknod("ut-bigmaj", 30000, 0) == 0) {
        check(open("ut-bigmaj", O_RDWR) == -1, "a device with major 30000 opened");
        xunlink("ut-bigmaj");
    }
}

static void t_isatty(void)
{
    check(isatty(-1) == -1 && isatty(NOFILE) == -1 && isatty(INT_MIN) == -1, "isatty of a bad fd is not -1");
    int fd = xopen("README", O_RDONLY);
    check(isatty(fd) == 0, "isatty of a file is not 0");
    xclose(fd);
    check(isatty(fd) == -1, "isatty of a closed fd is not -1");
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    check(isatty(p[0]) == 0 && isatty(p[1]) == 0, "isatty of a pipe is not 0");
    close(p[0]);
    close(p[1]);
    int t = isatty(1);
    check(t == 0 || t == 1, "isatty of the console returned %d", t);
}

/* ---------------------------------------------------------------------------------------- */
/* Pipes and processes. */

#define PIPE_WRITERS 4
#define PIPE_BYTES (24 * 1024)

static void pipefork_once(void)
{
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    for (int w = 0; w < PIPE_WRITERS; w++) {
        if (fork_or_fail() == 0) {
            close(p[0]);
            memset(buf, 'a' + w, 1000);
            for (int sent = 0, i = 0; sent < PIPE_BYTES; i++) {
                int n = 1 + (i * 131) % 1000;
                if (n > PIPE_BYTES - sent)
                    n = PIPE_BYTES - sent;
                xwrite(p[1], buf, n);
                sent += n;
            }
            exit(0);
        }
    }
    close(p[1]);
    long counts[PIPE_WRITERS] = {0};
    long total = 0;
    int n;
    while ((n = read(p[0], buf, 777)) > 0) {
        for (int i = 0; i < n; i++) {
            int w = buf[i] - 'a';
            check(w >= 0 && w < PIPE_WRITERS, "byte 0x%x came out of the pipe", (unsigned char)buf[i]);
            counts[w]++;
        }
        total += n;
    }
    check(n == 0, "read returned %d", n);
    close(p[0]);
    collect_children(PIPE_WRITERS, 0, "a pipe writer");
    for (int w = 0; w < PIPE_WRITERS; w++)
        check(counts[w] == PIPE_BYTES, "writer %d's bytes: %ld arrived, %d sent", w, counts[w], PIPE_BYTES);
    check(total == (long)PIPE_WRITERS * PIPE_BYTES, "%ld bytes arrived", total);
}

static void t_pipefork(void)
{
    repeat(pipefork_once);
}

/* A pipeline of three processes: parent -> doubler -> parent. */
static void t_pipechain(void)
{
    int in[2], out[2];
    check(pipe(in) == 0 && pipe(out) == 0, "pipe failed");
    int pid = fork_or_fail();
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        int n;
        while ((n = read(in[0], buf, 500)) > 0) {
            for (int i = 0; i < n; i++)
                buf[i] = (char)(buf[i] * 2);
            xwrite(out[1], buf, n);
        }
        exit(n == 0 ? 0 : 1);
    }
    close(in[0]);
    close(out[1]);
    int writer = fork_or_fail();
    if (writer == 0) {
        close(out[0]);
        for (int i = 0; i < 20000; i += 1000) {
            for (int j = 0; j < 1000; j++)
                buf[j] = (char)((i + j) % 100);
            xwrite(in[1], buf, 1000);
        }
        exit(0);
    }
    close(in[1]);
    long got = 0;
    int n;
    while ((n = read(out[0], buf, 1234)) > 0) {
        for (int i = 0; i < n; i++)
            check(buf[i] == (char)(((got + i) % 100) * 2), "byte %ld through the chain is wrong", got + i);
        got += n;
    }
    close(out[0]);
    check(got == 20000, "%ld bytes came through the chain", got);
    check(reap(writer) == 0 && reap(pid) == 0, "a pipeline stage failed");
}

#define EXECERS 4
#define EXECS_EACH 4

/* Several processes exec at once, all writing into one pipe. */
static void concexec_once(void)
{
    expect_program("echo");
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    for (int e = 0; e < EXECERS; e++) {
        if (fork_or_fail() == 0) {
            close(p[0]);
            for (int i = 0; i < EXECS_EACH; i++) {
                int pid = fork_or_fail();
                if (pid == 0) {
                    close(1);
                    dup(p[1]);
                    char *argv[] = {"echo", "hi", NULL};
                    exec("echo", argv);
                    exit(EXEC_FAILED);
                }
                expect_exit(pid, 0, "echo");
            }
            exit(0);
        }
    }
    close(p[1]);
    int counts[3] = {0, 0, 0}, n;
    long total = 0;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++) {
            int k = buf[i] == 'h' ? 0 : buf[i] == 'i' ? 1 : buf[i] == '\n' ? 2 : -1;
            check(k >= 0, "byte 0x%x in echo's output", (unsigned char)buf[i]);
            counts[k]++;
        }
        total += n;
    }
    close(p[0]);
    collect_children(EXECERS, 0, "an exec loop");
    int want = EXECERS * EXECS_EACH;
    check(counts[0] == want && counts[1] == want && counts[2] == want,
          "echo's output has %d h, %d i, %d newlines; expected %d each", counts[0], counts[1], counts[2], want);
    check(total == 3L * want, "%ld bytes of output", total);
}

static void t_concexec(void)
{
    repeat(concexec_once);
}

/* exec with its output redirected into a file. */
static void t_execfile(void)
{
    expect_program("echo");
    int pid = fork_or_fail();
    if (pid == 0) {
        close(1);
        check(open("ut-execout", O_CREATE | O_WRONLY) == 1, "the output file did not become fd 1");
        char *argv[] = {"echo", "OK", NULL};
        exec("echo", argv);
        exit(EXEC_FAILED);
    }
    expect_exit(pid, 0, "echo into a file");
    expect_content("ut-execout", "OK\n");
    xunlink("ut-execout");
}

/* Every utility, with arguments that make it exit 0 quickly. */
static void t_execall(void)
{
    char *echo[] = {"echo", "hello", "world", NULL};
    run_utility(echo, "hello world\n");

    char *cat[] = {"cat", "README", NULL};
    run_utility(cat, NULL);
    int fd = xopen("README", O_RDONLY);
    int n = read(fd, buf, sizeof buf);
    xclose(fd);
    check(n > 0 && n < (int)sizeof output && output_len == n && memcmp(output, buf, n) == 0,
          "cat README printed %d bytes, not README's %d", output_len, n);

    char *grep[] = {"grep", "Osprey", "README", NULL};
    run_utility(grep, NULL);
    check(output_len > 0 && contains(output, "Osprey"), "grep Osprey README printed \"%s\"", output);
    for (char *line = output; *line;) {
        char *end = strchr(line, '\n');
        check(end != NULL, "grep's output does not end in a newline");
        *end = '\0';
        check(contains(line, "Osprey"), "grep printed a line without the pattern: %s", line);
        line = end + 1;
    }

    char *wc[] = {"wc", "README", NULL};
    run_utility(wc, NULL);
    char size[24];
    numbered(size, " ", n);
    check(contains(output, size), "wc README printed \"%s\", without README's %d bytes", output, n);

    char *ls[] = {"ls", "/", NULL};
    run_utility(ls, NULL);
    check(contains(output, "README"), "ls / did not list README");

    char *mk[] = {"mkdir", "ut-util", NULL};
    run_utility(mk, "");
    check(xstat("ut-util").type == T_DIR, "mkdir did not make a directory");
    char *ln[] = {"ln", "README", "ut-util/lnk", NULL};
    run_utility(ln, "");
    check(xstat("ut-util/lnk").ino == xstat("README").ino, "ln did not link README");
    char *rm1[] = {"rm", "ut-util/lnk", NULL};
    run_utility(rm1, "");
    expect_missing("ut-util/lnk", "after rm");
    char *rm2[] = {"rm", "ut-util", NULL};
    run_utility(rm2, "");
    expect_missing("ut-util", "after rm");
    check(exists("README"), "README went with its link");

    int victim = fork_or_fail();
    if (victim == 0) {
        for (;;)
            sleep(100);
    }
    char pid_text[24];
    char *kl[] = {"kill", numbered(pid_text, "", victim), NULL};
    run_utility(kl, "");
    check(reap(victim) == -1, "the process kill killed did not exit with -1");

    char *sl[] = {"sleep", "1", NULL};
    run_utility(sl, "");

    char *up[] = {"uptime", NULL};
    run_utility(up, NULL);
    check(output_len > 0 && output[0] >= '0' && output[0] <= '9', "uptime printed \"%s\"", output);

    /* The shell, on a script with a pipe and a redirection. */
    create_file("ut-script", "echo one | cat\necho two > ut-shout\ncat ut-shout\n");
    char *sh[] = {"sh", "ut-script", NULL};
    run_utility(sh, "one\ntwo\n");
    xunlink("ut-shout");
    xunlink("ut-script");
}

/* ---------------------------------------------------------------------------------------- */
/* Memory. */

/* Most of memory: all sbrk will give, every page touched; fork fails cleanly while it is
 * all taken; given back, it can be had again. Under --lazy-sbrk sbrk gives far more than
 * memory (the whole address space), so the test takes what the kernel says is available,
 * less room for page tables, and fork may succeed (its copy is copy-on-write). */
static void t_sbrkmuch(void)
{
    int lazy = lazy_sbrk();
    /* A page-aligned break, so that what is given back leaves the address space. */
    check(sbrk((int)(first_unmapped() - sbrk(0))) != SBRK_FAILED, "sbrk failed");
    char *start = sbrk(0);
    long got = lazy ? (available_frames() - 256) * (long)PAGE_SIZE : grow_until_full();
    if (lazy)
        check(sbrk((int)got) == start, "a lazy sbrk of %ld bytes failed", got);
    check(got >= 16L << 20, "only %ld bytes could be had", got);
    check(got <= INT_MAX, "test bug: %ld bytes is more than one sbrk can give back", got);
    check(sbrk(0) == start + got, "the break is not where the growth ended");
    for (long off = 0; off < got; off += PAGE_SIZE)
        *(long *)(start + off) = off;
    for (long off = 0; off < got; off += PAGE_SIZE)
        check(*(long *)(start + off) == off, "the page at %ld lost its contents", off);
    int pid = fork();
    if (pid == 0)
        exit(0);
    if (pid > 0 && lazy)
        expect_exit(pid, 0, "fork with most of memory in use");
    else if (pid > 0)
        fail("fork succeeded with all of memory in use (%ld bytes)", got);
    int fd = xopen("README", O_RDONLY); /* reading into memory at the very top */
    check(read(fd, start + got - 100, 100) == 100, "a read into the last heap page failed");
    xclose(fd);
    check(sbrk((int)-got) == start + got, "giving the memory back failed");
    check(sbrk(0) == start, "the break did not come back");
    check(sbrk((int)got) == start, "the memory given back could not be had again");
    for (long off = 0; off < got; off += 64 * PAGE_SIZE)
        check(*(long *)(start + off) == 0, "memory given back and taken again is not zero");
    check(sbrk((int)-got) == start + got, "giving the memory back again failed");
    pid = fork_or_fail();
    if (pid == 0)
        exit(0);
    expect_exit(pid, 0, "fork after the memory came back");
}

/* File I/O into and out of freshly grown memory. */
static void t_sbrkio(void)
{
    char *p = sbrk(3 * PAGE_SIZE);
    check(p != SBRK_FAILED, "sbrk failed");
    fill_pattern(p, 7, 0, 3 * PAGE_SIZE);
    int fd = xopen("ut-sbrkio", O_CREATE | O_RDWR);
    xwrite(fd, p, 3 * PAGE_SIZE);
    xclose(fd);
    char *q = sbrk(3 * PAGE_SIZE);
    check(q != SBRK_FAILED, "sbrk failed");
    fd = xopen("ut-sbrkio", O_RDONLY);
    check(read(fd, q, 3 * PAGE_SIZE) == 3 * (int)PAGE_SIZE, "a read into new memory failed");
    xclose(fd);
    check(memcmp(p, q, 3 * PAGE_SIZE) == 0, "the file did not round-trip through heap memory");
    xunlink("ut-sbrkio");
}

/* ---------------------------------------------------------------------------------------- */
/* Bad arguments to the file-system calls (badargs covers the kernel core's calls). */

static int badcall_checks;

static void refused(long r, const char *call, const char *what)
{
    badcall_checks++;
    check(r == -1, "%s with %s returned %ld, expected -1", call, what, r);
}

static void bad_pointer_calls(const char *what, char *bad)
{
    refused(open(bad, O_RDONLY), "open", what);
    refused(open(bad, O_CREATE | O_RDWR), "open O_CREATE", what);
    refused(mkdir(bad), "mkdir", what);
    refused(unlink(bad), "unlink", what);
    refused(mknod(bad, NULLDEV, 0), "mknod", what);
    refused(link(bad, "ut-badl"), "link (old)", what);
    refused(link("README", bad), "link (new)", what);
    refused(chdir(bad), "chdir", what);
    refused(pipe((int *)bad), "pipe", what);
    int fd = xopen("ut-bad", O_CREATE | O_RDWR);
    refused(write(fd, bad, 10), "write to a file", what);
    refused(fstat(fd, (struct stat *)bad), "fstat", what);
    check(xfstat(fd).size == 0, "a refused write from %s changed the file", what);
    xwrite(fd, "0123456789", 10);
    xclose(fd);
    fd = xopen("ut-bad", O_RDONLY);
    refused(read(fd, bad, 10), "read from a file", what);
    check(read(fd, buf, 10) == 10, "a refused read from %s moved the offset", what);
    xclose(fd);
    xunlink("ut-bad");
    expect_missing("ut-badl", "after a refused link");
}

/* "./././..." then name, longer than MAXPATH: it would name name if it were allowed. */
static char *too_long(const char *name)
{
    static char path[MAXPATH + 40];
    return padded(path, "", (MAXPATH + 10) / 2, name);
}

static void t_badcalls(void)
{
    check(sbrk(PAGE_SIZE) != SBRK_FAILED, "sbrk failed"); /* the end of memory is heap */
    char *top = first_unmapped();
    bad_pointer_calls("the page past the break", top);
    bad_pointer_calls("1 GiB past the break", top + (1L << 30));
    bad_pointer_calls("0x80000000", (char *)0x80000000UL);
    bad_pointer_calls("2^38", (char *)(1UL << 38));
    bad_pointer_calls("all ones", (char *)~0UL);
    /* Buffers that start good and run off the end of memory. */
    int fd = xopen("ut-bad", O_CREATE | O_RDWR);
    int r = write(fd, top - 16, 1000);
    check(r == -1 || (r >= 0 && r <= 16), "a write from a buffer running off memory returned %d", r);
    check(xfstat(fd).size == (uint64)(r > 0 ? r : 0), "the file size does not match what write returned");
    xclose(fd);
    xunlink("ut-bad");
    /* Unterminated names running off the end of memory. */
    memcpy(top - 4, "ut-x", 4);
    refused(open(top - 4, O_CREATE | O_RDWR), "open O_CREATE", "an unterminated name");
    refused(mkdir(top - 4), "mkdir", "an unterminated name");
    refused(mknod(top - 4, NULLDEV, 0), "mknod", "an unterminated name");
    expect_missing("ut-x", "after refused calls with an unterminated name");
    /* Paths longer than MAXPATH change nothing, even where a shorter spelling would work. */
    refused(open(too_long("ut-long"), O_CREATE | O_RDWR), "open O_CREATE", "a path longer than MAXPATH");
    refused(mkdir(too_long("ut-long")), "mkdir", "a path longer than MAXPATH");
    refused(mknod(too_long("ut-long"), NULLDEV, 0), "mknod", "a path longer than MAXPATH");
    refused(link("README", too_long("ut-long")), "link (new)", "a path longer than MAXPATH");
    refused(link(too_long("README"), "ut-long"), "link (old)", "a path longer than MAXPATH");
    expect_missing("ut-long", "after calls with paths longer than MAXPATH");
    create_file("ut-keep", "keep");
    refused(unlink(too_long("ut-keep")), "unlink", "a path longer than MAXPATH");
    expect_content("ut-keep", "keep");
    xunlink("ut-keep");
    /* Bad descriptors and lengths on files. */
    int closed = xopen("README", O_RDONLY);
    xclose(closed);
    const int fds[] = {-1, NOFILE, 1000, INT_MIN, INT_MAX, closed};
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        refused(read(fds[i], buf, 1), "read", "a bad fd");
        refused(write(fds[i], buf, 1), "write", "a bad fd");
        refused(close(fds[i]), "close", "a bad fd");
        refused(dup(fds[i]), "dup", "a bad fd");
        refused(isatty(fds[i]), "isatty", "a bad fd");
        struct stat st;
        refused(fstat(fds[i], &st), "fstat", "a bad fd");
    }
    fd = xopen("ut-bad", O_CREATE | O_RDWR);
    refused(write(fd, buf, -1), "write", "length -1");
    refused(write(fd, buf, INT_MIN), "write", "length INT_MIN");
    check(xfstat(fd).size == 0, "a refused write changed the file");
    xwrite(fd, "abc", 3);
    xclose(fd);
    fd = xopen("ut-bad", O_RDONLY);
    refused(read(fd, buf, -1), "read", "length -1");
    check(read(fd, buf, 10) == 3, "a refused read moved the offset");
    xclose(fd);
    xunlink("ut-bad");
    /* Numbers. */
    refused(kill(-5), "kill", "pid -5");
    refused(kill(1 << 20), "kill", "a pid never used");
    char *brk = sbrk(0);
    if (lazy_sbrk()) {
        /* Lazily, INT_MAX is only a move of the break, which the address space has room for. */
        check(sbrk(INT_MAX) == brk && sbrk(0) == brk + INT_MAX, "a lazy sbrk(INT_MAX) did not move the break");
        check(sbrk(-INT_MAX) == brk + INT_MAX && sbrk(0) == brk, "a lazy sbrk(-INT_MAX) did not move it back");
    } else {
        refused((long)sbrk(INT_MAX), "sbrk", "INT_MAX (more than memory)");
    }
    refused((long)sbrk(INT_MIN), "sbrk", "INT_MIN");
    check(sbrk(0) == brk, "a refused sbrk moved the break");
    int start = uptime();
    sleep(-10);
    check(uptime() - start < 100, "sleep(-10) slept");
    check(badcall_checks > 50, "test bug: only %d checks", badcall_checks);
}

/* ---------------------------------------------------------------------------------------- */

static const struct test tests[] = {
    {"createread", t_createread, 1},
    {"truncate", t_truncate, 1},
    {"createexist", t_createexist, 1},
    {"openmodes", t_openmodes, 1},
    {"dirwrite", t_dirwrite, 1},
    {"mkdir", t_mkdir, 1},
    {"unlinkdir", t_unlinkdir, 1},
    {"removedcwd", t_removedcwd, 1},
    {"linkrules", t_linkrules, 1},
    {"link", t_link, 1},
    {"unlinkopen", t_unlinkopen, 1},
    {"emptyname", t_emptyname, 1},
    {"dirfile", t_dirfile, 1},
    {"iput", t_iput, 1},
    {"irefs", t_irefs, 1},
    {"names14", t_names14, 1},
    {"deeptree", t_deeptree, 1},
    {"bigdir", t_bigdir, 0},
    {"dupoffset", t_dupoffset, 1},
    {"sharedfd", t_sharedfd, 1},
    {"maxfiles", t_maxfiles, 1},
    {"nfile", t_nfile, 1},
    {"exitclose", t_exitclose, 0},
    {"fourfiles", t_fourfiles, 1},
    {"concreate", t_concreate, 1},
    {"concrandom", t_concrandom, 1},
    {"concnames", t_concnames, 1},
    {"concrw", t_concrw, 1},
    {"bigfile", t_bigfile, 0},
    {"diskfull", t_diskfull, 0},
    {"inodes", t_inodes, 0},
    {"nulldev", t_nulldev, 1},
    {"isatty", t_isatty, 1},
    {"pipefork", t_pipefork, 1},
    {"pipechain", t_pipechain, 1},
    {"concexec", t_concexec, 1},
    {"execfile", t_execfile, 1},
    {"execall", t_execall, 1},
    {"sbrkmuch", t_sbrkmuch, 1},
    {"sbrkio", t_sbrkio, 1},
    {"badcalls", t_badcalls, 1},
    /* The kernel core's suites, each its own program. */
    {"forktest", NULL, 1},
    {"exectest", NULL, 1},
    {"sbrktest", NULL, 1},
    {"killtest", NULL, 1},
    {"sleeptest", NULL, 1},
    {"filetest", NULL, 1, 1},
    {"badargs", NULL, 1},
    {"faulttest", NULL, 1},
    {"manyproc", NULL, 1},
    {"malloctest", NULL, 1},
    {"syscallnums", NULL, 1},
    {"pipetest", NULL, 1},
    {"writetest", NULL, 1},
    {"fptest", NULL, 1},
    {"stressfs", NULL, 1},
};

#define NTESTS ((int)(sizeof tests / sizeof tests[0]))

/* Runs one test in a child; 1 if it passed. */
static int run_test(const struct test *t)
{
    printf("test %s: ", t->name);
    int pid = fork();
    if (pid < 0) {
        printf("usertests: %s: FAILED (fork failed)\n", t->name);
        return 0;
    }
    if (pid == 0) {
        test_begin(t->name);
        current_test = t->name;
        xchdir("/");
        if (t->run != NULL)
            t->run();
        else
            program_test(t->on_console);
        exit(0);
    }
    int status = -12345;
    int got = wait(&status);
    if (got != pid || status != 0) {
        printf("usertests: %s: FAILED (exit status %d)\n", t->name, status);
        return 0;
    }
    printf("OK\n");
    return 1;
}

static const struct test *find_test(const char *name)
{
    for (int i = 0; i < NTESTS; i++) {
        if (strcmp(tests[i].name, name) == 0)
            return &tests[i];
    }
    return NULL;
}

/* Free pages after the run: an orphan a test left may still be exiting, so a count below
 * the first is measured again (for up to 10 seconds) before it is called a leak. */
static long settled_free_pages(long before)
{
    long after = free_pages();
    for (int start = uptime(); after != before && uptime() - start < 1000;) {
        sleep(5);
        after = free_pages();
    }
    return after;
}

int main(int argc, char *argv[])
{
    int quick = 0, named = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) {
            quick = 1;
        } else if (find_test(argv[i]) != NULL) {
            named = 1;
        } else {
            fprintf(2, "usertests: no test named %s\nusage: usertests [-q] [NAME...]\n", argv[i]);
            exit(2);
        }
    }
    if (!quick)
        rounds = 8;
    printf("usertests starting\n");
    long before = free_pages();
    int failed = 0, ran = 0;
    for (int i = 0; i < NTESTS; i++) {
        int chosen = 0;
        for (int a = 1; a < argc; a++)
            chosen |= strcmp(argv[a], tests[i].name) == 0;
        if (named ? !chosen : quick && !tests[i].quick)
            continue;
        ran++;
        failed += !run_test(&tests[i]);
    }
    long after = settled_free_pages(before);
    if (before < 0 || after != before) {
        printf("usertests: free pages: %ld before the tests, %ld after: FAILED\n", before, after);
        failed++;
    } else {
        printf("usertests: %ld free pages before and after\n", before);
    }
    if (failed > 0) {
        printf("usertests: %d of %d tests failed\nSOME TESTS FAILED\n", failed, ran);
        exit(1);
    }
    printf("ALL TESTS PASSED\n");
    exit(0);
}
