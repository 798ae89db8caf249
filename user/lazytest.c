/*
 * lazytest: --lazy-sbrk's edge cases, after the MIT 6.1810 lazy lab (our own code). With
 * --lazy-sbrk sbrk only moves the break and a page appears when it is first touched.
 *   sparse    a huge sbrk, then touches far apart: only the touched pages cost frames
 *   negative  a negative sbrk frees the touched pages at once; touching them again kills
 *   bounds    loads and stores above the break, or in the stack's guard page, kill
 *   syscalls  write() from and read() and pipe reads into heap never touched
 *   fork      a child of a lazy heap sees the pages its parent touched, and its own new
 *             pages are its own
 *   oom       a child touching more pages than memory has is killed ("out of memory"), and
 *             its memory comes back
 * Prints "lazytest: ok" and exits 0 when all pass; exits 2 if the kernel was not booted with
 * --lazy-sbrk.
 */
#include "test.h"

#define MB (1L << 20)

static struct vmstat st;

static struct vmstat *stats(void)
{
    check(vmstat(&st) == 0, "vmstat failed");
    return &st;
}

static char *lazy_sbrk(long n)
{
    char *p = sbrk((int)n);
    check(p != SBRK_FAILED, "sbrk(%ld) failed", n);
    return p;
}

static void sparse(void)
{
    /* 1.5 GB, far more than memory: the break moves and nothing else happens. */
    long size = 1536 * MB;
    uint64 free_before = stats()->free_frames;
    char *p = lazy_sbrk(size);
    check(stats()->free_frames == free_before, "sbrk took %lu frames", free_before - st.free_frames);
    check(p[size / 2] == 0 && p[size - 1] == 0, "an untouched lazy page is not zero");
    uint64 lazy_before = st.lazy_heap;
    for (long off = 0; off < size; off += 64 * MB)
        p[off + 7] = (char)(off / MB);
    p[size - 1] = 42;
    for (long off = 0; off < size; off += 64 * MB)
        check(p[off + 7] == (char)(off / MB), "the page at %ld MB lost its value", off / MB);
    check(p[size - 1] == 42, "the last page lost its value");
    long used = (long)(free_before - stats()->free_frames);
    /* 25 pages and their tables: a few dozen frames, not 1.5 GB of them. */
    check(used > 0 && used < 100, "touching 25 pages of a huge heap took %ld frames", used);
    check(st.lazy_heap - lazy_before >= 25, "only %lu lazy-heap faults counted", st.lazy_heap - lazy_before);
    /* A far page touched through a sbrk beyond 2^31. */
    char *q = lazy_sbrk(0x7fffffff);
    q[0x7fffffff - 1] = 1;
    check(q[0x7fffffff - 1] == 1, "the page past 3.5 GB lost its value");
    sbrk(-0x7fffffff);
    sbrk((int)-size);
    printf("lazytest: sparse: %ld frames for 26 pages spread over 3.5 GB\n", used);
}

static void negative(void)
{
    char *p = lazy_sbrk(0);
    /* From a page boundary, so what is given back is whole pages. */
    lazy_sbrk((int)(first_unmapped() - p));
    p = lazy_sbrk(0);
    lazy_sbrk(10 * PAGE_SIZE);
    uint64 free_before = stats()->free_frames;
    for (int i = 0; i < 10; i++)
        p[i * PAGE_SIZE] = 1;
    check(stats()->free_frames < free_before, "touching took no frame");
    check(sbrk(-(int)(10 * PAGE_SIZE)) == p + 10 * PAGE_SIZE, "sbrk(-10 pages) failed");
    check(stats()->free_frames == free_before, "a negative sbrk left %lu frames taken", free_before - st.free_frames);
    int pid = fork_or_fail();
    if (pid == 0) {
        p[5 * PAGE_SIZE] = 1;
        exit(0);
    }
    expect_exit(pid, -1, "a store to heap given back");
    printf("lazytest: negative: frames freed at once\n");
}

static void die_touching(volatile char *where, int store, const char *what)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        if (store)
            *where = 1;
        else
            printf("lazytest: read %d from %s\n", *where, what);
        exit(0);
    }
    expect_exit(pid, -1, what);
}

static void bounds(void)
{
    char *top = lazy_sbrk(5 * PAGE_SIZE) + 5 * PAGE_SIZE;
    die_touching((char *)first_unmapped(), 1, "a store above the break");
    die_touching((char *)first_unmapped() + 100 * PAGE_SIZE, 0, "a load far above the break");
    int local;
    char *stack_page = (char *)((uint64)&local & ~(PAGE_SIZE - 1));
    die_touching(stack_page - 1, 0, "a load from the stack's guard page");
    die_touching(stack_page - PAGE_SIZE, 1, "a store to the stack's guard page");
    sbrk(-(int)(5 * PAGE_SIZE));
    check(sbrk(0) == top - 5 * PAGE_SIZE, "the break did not come back");
    printf("lazytest: bounds: accesses above the break and to the guard page kill\n");
}

static void syscalls(void)
{
    char *p = lazy_sbrk(8 * PAGE_SIZE);
    int fd = open("lazy-file", O_CREATE | O_RDWR);
    check(fd >= 0, "open failed");
    /* write() from heap never touched: the kernel reads zeros (mapping the zero frame). */
    check(write(fd, p + 100, 2 * PAGE_SIZE) == 2 * (int)PAGE_SIZE, "write from untouched heap failed");
    close(fd);
    fd = open("lazy-file", O_RDONLY);
    /* read() into heap never touched: the kernel's stores fault the pages in. */
    check(read(fd, p + 4 * PAGE_SIZE - 50, 2 * PAGE_SIZE) == 2 * (int)PAGE_SIZE, "read into untouched heap failed");
    close(fd);
    for (long i = 0; i < 2 * (long)PAGE_SIZE; i++)
        check(p[4 * PAGE_SIZE - 50 + i] == 0, "byte %ld of the file read back is %d", i, p[4 * PAGE_SIZE - 50 + i]);
    unlink("lazy-file");
    int fds[2];
    check(pipe(fds) == 0, "pipe failed");
    check(write(fds[1], "lazy", 4) == 4, "write to the pipe failed");
    check(read(fds[0], p + 7 * PAGE_SIZE + 10, 4) == 4 && memcmp(p + 7 * PAGE_SIZE + 10, "lazy", 4) == 0,
          "a pipe read into untouched heap failed");
    close(fds[0]);
    close(fds[1]);
    /* A buffer running past the break is refused, touched pages or not. */
    check(read(0, p + 8 * PAGE_SIZE - 10, 100) == -1, "a read past the break was allowed");
    sbrk(-(int)(8 * PAGE_SIZE));
    printf("lazytest: syscalls: read and write on untouched heap\n");
}

static void forked(void)
{
    long size = 256 * MB;
    char *p = lazy_sbrk(size);
    for (long off = 0; off < size; off += 16 * MB)
        p[off] = (char)(off / MB + 1);
    uint64 free_before = stats()->free_frames;
    int pid = fork_or_fail();
    if (pid == 0) {
        /* The child's copy of 256 MB costs only tables: it copied the present pages alone. */
        check(free_before - stats()->free_frames < 100, "fork of a lazy heap took %lu frames",
              free_before - st.free_frames);
        for (long off = 0; off < size; off += 16 * MB)
            check(p[off] == (char)(off / MB + 1), "the child sees %d at %ld MB", p[off], off / MB);
        p[8 * MB] = 77;  /* a page the parent never touched */
        p[16 * MB] = 78; /* a page both have */
        exit(0);
    }
    expect_exit(pid, 0, "the child of a lazy heap");
    check(p[8 * MB] == 0 && p[16 * MB] == 17, "the child's stores showed in the parent");
    sbrk((int)-size);
    printf("lazytest: fork: only present pages are copied\n");
}

static void oom(void)
{
    uint64 free_before = stats()->free_frames;
    uint64 ooms = st.out_of_memory;
    long size = (long)(st.total_frames + 1000) * (long)PAGE_SIZE;
    int pid = fork_or_fail();
    if (pid == 0) {
        char *p = lazy_sbrk(size);
        for (long off = 0; off < size; off += PAGE_SIZE)
            p[off] = 1;
        printf("lazytest: touched more pages than memory has\n");
        exit(0);
    }
    expect_exit(pid, -1, "touching more than memory");
    check(stats()->out_of_memory == ooms + 1, "%lu out-of-memory kills counted, expected 1", st.out_of_memory - ooms);
    check(st.free_frames == free_before, "%lu frames free before, %lu after the killed child", free_before,
          st.free_frames);
    printf("lazytest: oom: killed, and its memory came back\n");
}

int main(void)
{
    test_begin("lazytest");
    if ((stats()->flags & VM_LAZY_SBRK) == 0) {
        printf("lazytest: the kernel was not booted with --lazy-sbrk\n");
        exit(2);
    }
    sparse();
    negative();
    bounds();
    syscalls();
    forked();
    oom();
    printf("lazytest: ok\n");
    exit(0);
}
