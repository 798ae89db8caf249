/*
 * manyproc: many processes at once. 40 children (the process table holds 64) each compute a
 * little, sleep a little and exit with their index; the parent collects all of them, checks
 * each status against the index it gave that pid, and that no pid comes back twice. Twice
 * over, so the second round runs in the slots the first one freed.
 * Prints "manyproc: ok" and exits 0 when all pass.
 */
#include "test.h"

#define CHILDREN 40
#define ROUNDS 2

static int pids[CHILDREN];

/* Some work, so the children are spread over the CPUs and interleave in user mode too. */
static unsigned long work(int i)
{
    volatile unsigned long x = (unsigned long)i;
    for (int n = 0; n < 20000; n++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    return x;
}

static void __attribute__((noreturn)) child(int i)
{
    work(i);
    sleep(1 + i % 5);
    work(i);
    exit(i);
}

static void start_children(void)
{
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        check(pids[i] >= 0, "fork of child %d failed", i);
        if (pids[i] == 0)
            child(i);
    }
}

/* The index the parent gave pid, or -1 if pid is not a child still to collect. */
static int index_of(int pid)
{
    for (int i = 0; i < CHILDREN; i++) {
        if (pids[i] == pid)
            return i;
    }
    return -1;
}

static void collect_children_by_index(void)
{
    for (int n = 0; n < CHILDREN; n++) {
        int status;
        int pid = wait(&status);
        check(pid > 0, "wait returned %d with %d children left", pid, CHILDREN - n);
        int i = index_of(pid);
        check(i >= 0, "wait returned pid %d, which is not a child still to collect", pid);
        check(status == i, "child %d (pid %d) exited with status %d", i, pid, status);
        pids[i] = 0;
    }
    check(wait(NULL) == -1, "wait found a child after all %d were collected", CHILDREN);
}

int main(void)
{
    test_begin("manyproc");
    for (int round = 1; round <= ROUNDS; round++) {
        start_children();
        collect_children_by_index();
        printf("manyproc: round %d: %d children ran and were collected\n", round, CHILDREN);
    }
    printf("manyproc: ok\n");
    return 0;
}
