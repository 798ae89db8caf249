/*
 * fork_bench [N [MB]]: N rounds of fork, the child exiting at once with status 0, and the
 * parent waiting for it: process creation, a copy of a small address space, and tearing it
 * down. With MB, the process first grows its heap by MB megabytes and touches every page (so
 * each has a frame of its own): what fork's copy costs as the address space grows, with
 * copy-on-write (the default: pages are shared) or under --no-cow (every page copied).
 * Prints "fork+exit+wait: V us per round (...)", or "fork+exit+wait MB MB: ..." with MB.
 */
#include "bench.h"

#define PAGE 4096

int main(int argc, char **argv)
{
    char label[48] = "fork+exit+wait";
    long bytes = 0;
    if (argc == 3) {
        if (atoi(argv[2]) < 0 || atoi(argv[2]) > 1024)
            bench_fail(label, "usage: fork_bench [ROUNDS [MB]], with MB from 0 to 1024");
        strcpy(label + strlen(label), " ");
        strcpy(label + strlen(label), argv[2]);
        strcpy(label + strlen(label), " MB");
        bytes = (long)atoi(argv[2]) << 20;
        argc = 2; /* the rounds are read as usual */
    }
    int n = bench_rounds(label, argc, argv, 5000);

    char *heap = sbrk((int)bytes);
    if (heap == SBRK_FAILED)
        bench_fail(label, "sbrk(%ld) failed", bytes);
    for (long off = 0; off < bytes; off += PAGE)
        heap[off] = 1;

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0)
            bench_fail(label, "fork returned %d in round %d", pid, i);
        if (pid == 0)
            exit(0);
        int status = -1;
        int got = wait(&status);
        if (got != pid || status != 0)
            bench_fail(label, "wait returned %d with status %d, expected child %d with 0", got, status, pid);
    }
    uint64 ticks = rdtime() - start;

    bench_report(label, "us", 1000, "round", ticks, n);
    return 0;
}
