/*
 * forkmem_bench N MB: N rounds of fork+exit+wait by a process with MB megabytes of heap, every
 * page of it touched first (so each has a frame of its own): what fork's copy of an address
 * space costs as it grows, with copy-on-write (the default: pages are shared) or under
 * --no-cow (every page copied). Prints "fork+exit+wait MB MB: V us per round (...)".
 */
#include "bench.h"

#define PAGE 4096

int main(int argc, char **argv)
{
    if (argc != 3 || atoi(argv[2]) < 0 || atoi(argv[2]) > 1024)
        bench_fail("fork+exit+wait", "usage: forkmem_bench ROUNDS MB, with MB from 0 to 1024");
    char label[48];
    strcpy(label, "fork+exit+wait ");
    strcpy(label + strlen(label), argv[2]);
    strcpy(label + strlen(label), " MB");
    int n = bench_rounds(label, 2, argv, 0); /* argv[1]; argv[2] is the size */
    long bytes = (long)atoi(argv[2]) << 20;

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
