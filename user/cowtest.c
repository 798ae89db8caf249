/*
 * cowtest: copy-on-write fork, with the cases of the MIT 6.1810 cow lab (our own code).
 *   simple  sbrk two thirds of memory, touch every page, fork: only copy-on-write has room for
 *           the child; twice, so the memory must have come back after the first round
 *   three   a parent, its child and its grandchild share a heap and each writes its own
 *           third of the pages, then checks that it sees its own values there and the
 *           values from before the forks everywhere else; three times
 *   file    children read from a pipe into a buffer they share copy-on-write with the
 *           parent: the kernel's copyout must copy the page, so the parent's bytes stay
 * Along the way it checks the kernel's own figures (vmstat): frames are shared while a child
 * lives, copies are counted, and every frame is free again at the end.
 * Prints "ALL COW TESTS PASSED" and exits 0 when all pass.
 */
#include "test.h"

static struct vmstat st;

static struct vmstat *stats(void)
{
    check(vmstat(&st) == 0, "vmstat failed");
    return &st;
}

static uint64 memory_bytes(void)
{
    return stats()->total_frames * PAGE_SIZE;
}

static char *grow(uint64 bytes)
{
    char *p = sbrk((int)bytes);
    check(p != SBRK_FAILED, "sbrk(%lu) failed", bytes);
    return p;
}

static void simple(int round)
{
    uint64 size = memory_bytes() / 3 * 2;
    size -= size % PAGE_SIZE;
    char *p = grow(size);
    for (uint64 off = 0; off < size; off += PAGE_SIZE)
        *(int *)(p + off) = getpid();
    int pid = fork();
    check(pid >= 0, "simple round %d: fork failed with %lu MB in use (without copy-on-write there is no room)", round,
          size >> 20);
    if (pid == 0) {
        /* Alive and sharing: the parent's pages are ours too, without a copy. */
        check(stats()->shared_frames >= size / PAGE_SIZE, "simple: only %lu frames shared with %lu pages forked",
              st.shared_frames, size / PAGE_SIZE);
        exit(0);
    }
    expect_exit(pid, 0, "simple's child");
    for (uint64 off = 0; off < size; off += PAGE_SIZE)
        check(*(int *)(p + off) == getpid(), "simple: the parent's page at %lu changed", off);
    check(sbrk(-(int)size) == p + size, "simple: sbrk(-%lu) failed", size);
    printf("simple: ok\n");
}

/* The value page i of the heap holds before anyone forks. */
static int before_fork(uint64 i)
{
    return (int)(i * 7 + 3);
}

/* Writes pid into every page whose number is who mod 3, then checks every page. */
static void write_and_verify(char *p, uint64 pages, int who)
{
    int me = getpid();
    for (uint64 i = who; i < pages; i += 3)
        *(int *)(p + i * PAGE_SIZE) = me;
    for (int pass = 0; pass < 2; pass++) {
        for (uint64 i = 0; i < pages; i++) {
            int want = i % 3 == (uint64)who ? me : before_fork(i);
            int got = *(int *)(p + i * PAGE_SIZE);
            check(got == want, "three: process %d sees %d in page %lu, expected %d", who, got, i, want);
        }
        sleep(1); /* let the others write meanwhile */
    }
}

static void three(int round)
{
    uint64 pages = memory_bytes() / 4 / PAGE_SIZE;
    char *p = grow(pages * PAGE_SIZE);
    for (uint64 i = 0; i < pages; i++)
        *(int *)(p + i * PAGE_SIZE) = before_fork(i);
    uint64 copies = stats()->cow_copy;
    int child = fork_or_fail();
    if (child == 0) {
        int grandchild = fork_or_fail();
        if (grandchild == 0) {
            write_and_verify(p, pages, 2);
            check(stats()->my_cow_copy > 0, "three: the grandchild's writes were never copied");
            exit(0);
        }
        write_and_verify(p, pages, 1);
        expect_exit(grandchild, 0, "three's grandchild");
        exit(0);
    }
    write_and_verify(p, pages, 0);
    expect_exit(child, 0, "three's child");
    check(stats()->cow_copy > copies, "three: no copy-on-write copy was counted");
    check(sbrk(-(int)(pages * PAGE_SIZE)) == p + pages * PAGE_SIZE, "three: shrinking failed");
    printf("three: round %d ok\n", round);
}

static char shared_buffer[8192];

static void file(void)
{
    for (unsigned i = 0; i < sizeof shared_buffer; i++)
        shared_buffer[i] = 99;
    int fds[2];
    check(pipe(fds) == 0, "file: pipe failed");
    for (int i = 0; i < 4; i++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            /* The page is shared copy-on-write: read's copyout must give us our own copy. */
            int got;
            check(read(fds[0], shared_buffer + 4096 - 2, sizeof got) == sizeof got, "file: read failed");
            memcpy(&got, shared_buffer + 4096 - 2, sizeof got);
            check(got == i * 1000, "file: child read %d, expected %d", got, i * 1000);
            exit(0);
        }
        int value = i * 1000;
        check(write(fds[1], &value, sizeof value) == sizeof value, "file: write failed");
        expect_exit(pid, 0, "file's child");
    }
    for (unsigned i = 0; i < sizeof shared_buffer; i++)
        check(shared_buffer[i] == 99, "file: the parent's buffer changed at %u: %d", i, shared_buffer[i]);
    close(fds[0]);
    close(fds[1]);
    printf("file: ok\n");
}

int main(void)
{
    test_begin("cowtest");
    simple(1);
    /* Measured after the first round, which grew the page tables the heap needs (shrinking
     * keeps them, as in xv6): from here on every frame must come back. */
    uint64 free_before = stats()->free_frames;
    simple(2);
    for (int round = 1; round <= 3; round++)
        three(round);
    file();
    check(stats()->free_frames == free_before, "%lu frames free at the start, %lu at the end", free_before,
          st.free_frames);
    printf("ALL COW TESTS PASSED\n");
    exit(0);
}
