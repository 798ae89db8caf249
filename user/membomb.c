/*
 * membomb: a fork bomb and several processes exhausting memory at once. The kernel must
 * survive each, every frame must come back, and the next program must run.
 *   bomb   every process forks until the process table is full, then waits for its
 *          children and exits
 *   hogs   four processes at once take memory until none is left: with sbrk until it
 *          refuses, or (--lazy-sbrk) by touching heap until the kernel kills them
 *   promises  (not under --lazy-sbrk) a child sbrks until the kernel refuses, touching
 *          nothing, so every free frame is promised to it; the parent then asks for frames
 *          the ordinary way (pipes, forks), which must fail rather than take promised ones,
 *          and the child touches every page it was given, which must all work
 *   cow    a parent holds three fifths of memory; a bystander child copies a few pages of it,
 *          then three more children each try to write the whole of it, which no longer fits
 *          even once: each is killed for want of memory, and the bystander, the parent and the
 *          kernel are unharmed (under --no-cow, fork itself fails cleanly instead)
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

static void promises(void)
{
    if ((stats()->flags & VM_LAZY_SBRK) != 0) {
        printf("membomb: promises: not under --lazy-sbrk, which promises nothing\n");
        return;
    }
    uint64 free_before = st.free_frames;
    int ready[2], go[2];
    check(pipe(ready) == 0 && pipe(go) == 0, "pipe failed");
    int child = fork_or_fail();
    if (child == 0) {
        close(ready[0]);
        close(go[1]);
        char *p = sbrk(0);
        long got = 0;
        for (int step = 1 << 20; step >= (int)PAGE_SIZE; step /= 2)
            while (sbrk(step) != SBRK_FAILED)
                got += step;
        check(write(ready[1], "r", 1) == 1, "write failed");
        char c;
        read(go[0], &c, 1);
        for (long off = 0; off < got; off += PAGE_SIZE)
            p[off] = 1; /* each store takes the frame its page was promised */
        exit(0);
    }
    close(ready[1]);
    close(go[0]);
    char c;
    check(read(ready[0], &c, 1) == 1, "the promising child never got going");
    /* Ordinary requests: a frame per pipe, and a few per fork. Only frames nobody was
     * promised may be taken, and there are hardly any. */
    int fds[2 * 6], pipes = 0, forks = 0;
    while (pipes < 6 && pipe(fds + 2 * pipes) == 0)
        pipes++;
    for (int i = 0; i < 6; i++) {
        int pid = fork();
        if (pid == 0)
            exit(0);
        if (pid > 0) {
            forks++;
            expect_exit(pid, 0, "a fork while memory was promised");
        }
    }
    check(pipes < 6 || forks < 6, "6 pipes and 6 forks all fitted with every frame promised");
    close(go[1]);
    expect_exit(child, 0, "the child touching all it was promised");
    for (int i = 0; i < 2 * pipes; i++)
        close(fds[i]);
    close(ready[0]);
    check(stats()->free_frames == free_before, "%lu frames free before the promises, %lu after", free_before, st.free_frames);
    printf("membomb: promises: kept, with %d of 6 pipes and %d of 6 forks refused\n", 6 - pipes, 6 - forks);
}

/* What the bystander writes to the first pages of the shared heap, and how many. */
#define BYSTANDER_PAGES 10
#define BYSTANDER_VALUE 7

static void cow_exhaustion(void)
{
    int cow = (stats()->flags & VM_COW) != 0;
    /* Three fifths of memory: after it, no child can copy the whole of it even alone. */
    long size = (long)(st.free_frames - st.reserved_frames) / 5 * 3 * (long)PAGE_SIZE;
    char *p = sbrk((int)size);
    check(p != SBRK_FAILED, "sbrk(%ld) failed", size);
    for (long off = 0; off < size; off += PAGE_SIZE)
        p[off] = 1;
    /* Measured with the heap in place: shrinking it later keeps its page tables, as in xv6. */
    uint64 free_before = stats()->free_frames;
    uint64 ooms = st.out_of_memory;
    int ready[2], done[2], start[2];
    check(pipe(ready) == 0 && pipe(done) == 0, "pipe failed");
    int bystander = fork();
    if (bystander < 0) {
        check(!cow, "fork of a process with three fifths of memory failed despite copy-on-write");
        printf("membomb: cow: under --no-cow, fork of three fifths of memory failed cleanly\n");
    } else if (bystander == 0) {
        /* Copies a few pages before the hogs start, then must outlive them untouched. */
        for (int i = 0; i < BYSTANDER_PAGES; i++)
            p[i * PAGE_SIZE] = BYSTANDER_VALUE;
        check(write(ready[1], "r", 1) == 1, "write failed");
        char c;
        close(done[1]);
        read(done[0], &c, 1);
        for (long off = 0; off < size; off += PAGE_SIZE)
            check(p[off] == (off < BYSTANDER_PAGES * (long)PAGE_SIZE ? BYSTANDER_VALUE : 1),
                  "the bystander's page at %ld changed", off);
        exit(0);
    }
    if (bystander > 0) {
        char c;
        check(read(ready[0], &c, 1) == 1, "the bystander never got going");
        check(pipe(start) == 0, "pipe failed"); /* after the bystander, which must not hold it open */
        for (int i = 0; i < HOGS - 1; i++) {
            if (fork_or_fail() == 0) {
                wait_for_start(start);
                for (long off = 0; off < size; off += PAGE_SIZE)
                    p[off] = (char)(i + 2);
                printf("membomb: a hog copied three fifths of memory\n");
                exit(0);
            }
        }
        close(start[0]);
        close(start[1]);
        /* The bystander waits for done, so the first children to end are the hogs. */
        for (int i = 0; i < HOGS - 1; i++) {
            int status;
            int pid = wait(&status);
            check(pid > 0 && pid != bystander, "wait returned %d while hogs were left", pid);
            check(status == -1, "a hog copying more than memory holds exited with %d", status);
        }
        close(done[1]);
        expect_exit(bystander, 0, "the bystander");
        check(stats()->out_of_memory - ooms == HOGS - 1, "%lu out-of-memory kills counted for %d hogs",
              st.out_of_memory - ooms, HOGS - 1);
        printf("membomb: cow: %d hogs killed for want of memory, the bystander unharmed\n", HOGS - 1);
    }
    for (long off = 0; off < size; off += PAGE_SIZE)
        check(p[off] == 1, "the parent's page at %ld changed", off);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    if (bystander < 0)
        close(done[1]);
    check(stats()->free_frames == free_before, "%lu frames free before the children, %lu after", free_before, st.free_frames);
    check(sbrk(-(int)size) != SBRK_FAILED, "shrinking failed");
}

int main(void)
{
    test_begin("membomb");
    fork_bomb();
    hogs();
    promises();
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
