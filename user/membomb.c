/*
 * membomb: a fork bomb and several processes exhausting memory at once. The kernel must
 * survive each, every frame must come back, and the next program must run.
 *   bomb   every process forks until the process table is full, then waits for its
 *          children and exits
 *   hogs   four processes at once take memory until none is left: with sbrk until it
 *          refuses, or (--lazy-sbrk) by touching heap until the kernel kills them
 *   cow    four children of a parent with a large heap all write the whole of it, needing
 *          more copies than memory holds: some are killed for want of memory, none harms
 *          the others or the kernel (under --no-cow, fork itself fails cleanly instead once
 *          memory cannot hold another copy)
 * Prints "membomb: ok" and exits 0 when all pass.
 */
#include "test.h"

#define HOGS 4

static struct vmstat st;

static struct vmstat *stats(void)
{
    check(vmstat(&st) == 0, "vmstat failed");
    return &st;
}

/* Forks until fork fails; every child does the same. Exits 0 once its children have. */
static void __attribute__((noreturn)) bomb(void)
{
    int children = 0;
    char *page = sbrk(PAGE_SIZE); /* some memory of each process's own, to stress the copies */
    if (page != SBRK_FAILED)
        page[0] = 1;
    for (;;) {
        int pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            children = 0;
            continue;
        }
        children++;
    }
    int status, failed = 0;
    for (int i = 0; i < children; i++) {
        if (wait(&status) < 0 || status != 0)
            failed = 1;
    }
    exit(failed);
}

static void fork_bomb(void)
{
    uint64 free_before = stats()->free_frames;
    int pid = fork_or_fail();
    if (pid == 0)
        bomb();
    expect_exit(pid, 0, "the fork bomb");
    check(stats()->free_frames == free_before, "%lu frames free before the fork bomb, %lu after", free_before,
          st.free_frames);
    printf("membomb: bomb: the process table filled and emptied\n");
}

/* Takes memory until there is none; returns only if the kernel refused (eager sbrk). */
static long hog(int lazy)
{
    long got = 0;
    if (lazy) {
        char *p = sbrk(0x40000000);
        check(p != SBRK_FAILED, "a lazy sbrk failed");
        for (long off = 0;; off += PAGE_SIZE)
            p[off] = 1; /* until the kernel kills us */
    }
    for (char *p; (p = sbrk(64 * 1024)) != SBRK_FAILED; got += 64 * 1024)
        for (int off = 0; off < 64 * 1024; off += PAGE_SIZE)
            p[off] = 1;
    return got;
}

/*
 * Children wait on start until the parent has forked them all and closes it, so that none
 * takes memory the next fork needs. The parent's own pages are shared with every child;
 * having written them since its last fork, it has copies of its own before memory runs out,
 * and it touches nothing new until the children are done, so it cannot be the one killed.
 */
static void wait_for_start(int start[2])
{
    char c;
    close(start[1]);
    read(start[0], &c, 1);
    close(start[0]);
}

static void hogs(void)
{
    int lazy = (stats()->flags & VM_LAZY_SBRK) != 0;
    uint64 free_before = st.free_frames;
    int ready[2], go[2], start[2];
    check(pipe(ready) == 0 && pipe(go) == 0 && pipe(start) == 0, "pipe failed");
    for (int i = 0; i < HOGS; i++) {
        if (fork_or_fail() == 0) {
            close(ready[0]);
            close(go[1]);
            wait_for_start(start);
            hog(lazy);
            /* Holding all it got while the others try too. */
            check(write(ready[1], "r", 1) == 1, "write failed");
            char c;
            read(go[0], &c, 1);
            exit(0);
        }
    }
    close(ready[1]);
    close(go[0]);
    close(start[0]);
    close(start[1]);
    int held = 0;
    char c;
    while (held < HOGS && read(ready[0], &c, 1) == 1)
        held++;
    close(go[1]);
    /* Eagerly every hog stops when sbrk refuses and exits 0; lazily every one is killed. */
    collect_children(HOGS, lazy ? -1 : 0, "a memory hog");
    check(held == (lazy ? 0 : HOGS), "%d hogs said they held memory", held);
    close(ready[0]);
    check(stats()->free_frames == free_before, "%lu frames free before the hogs, %lu after", free_before, st.free_frames);
    printf("membomb: hogs: %d at once ran out of memory cleanly\n", HOGS);
}

static void cow_exhaustion(void)
{
    int cow = (stats()->flags & VM_COW) != 0;
    long size = (long)(st.free_frames - st.reserved_frames) / 3 * (long)PAGE_SIZE;
    char *p = sbrk((int)size);
    check(p != SBRK_FAILED, "sbrk(%ld) failed", size);
    for (long off = 0; off < size; off += PAGE_SIZE)
        p[off] = 1;
    /* Measured with the heap in place: shrinking it later keeps its page tables, as in xv6. */
    uint64 free_before = stats()->free_frames;
    uint64 ooms = st.out_of_memory;
    int start[2];
    check(pipe(start) == 0, "pipe failed");
    int forked = 0;
    for (int i = 0; i < HOGS; i++) {
        int pid = fork();
        check(pid >= 0 || !cow, "fork %d failed", i);
        if (pid < 0)
            break;
        forked++;
        if (pid == 0) {
            wait_for_start(start);
            for (long off = 0; off < size; off += PAGE_SIZE)
                p[off] = (char)(i + 2);
            for (long off = 0; off < size; off += PAGE_SIZE)
                check(p[off] == (char)(i + 2), "child %d's page at %ld lost its value", i, off);
            exit(0);
        }
    }
    close(start[0]);
    close(start[1]);
    check(forked < HOGS || cow, "four copies of a third of memory each fitted under --no-cow");
    int killed = 0;
    for (int i = 0; i < forked; i++) {
        int status;
        check(wait(&status) > 0, "wait failed");
        check(status == 0 || status == -1, "a child exited with %d", status);
        killed += status == -1;
    }
    for (long off = 0; off < size; off += PAGE_SIZE)
        check(p[off] == 1, "the parent's page at %ld changed", off);
    check(killed > 0 || !cow, "four copies of a third of memory each all fitted");
    check(stats()->out_of_memory - ooms == (uint64)killed, "%d children died but %lu out-of-memory kills were counted",
          killed, st.out_of_memory - ooms);
    check(st.free_frames == free_before, "%lu frames free before the children, %lu after", free_before, st.free_frames);
    check(sbrk(-(int)size) != SBRK_FAILED, "shrinking failed");
    if (cow)
        printf("membomb: cow: %d of %d children killed for want of memory, the rest finished\n", killed, HOGS);
    else
        printf("membomb: cow: under --no-cow, fork %d failed cleanly\n", forked + 1);
}

int main(void)
{
    test_begin("membomb");
    fork_bomb();
    hogs();
    cow_exhaustion();
    /* The next program runs. */
    int pid = fork_or_fail();
    if (pid == 0) {
        char *argv[] = {"echo", "membomb: the next program runs", NULL};
        exec("echo", argv);
        exit(127);
    }
    expect_exit(pid, 0, "echo after the exhaustion");
    printf("membomb: ok\n");
    exit(0);
}
