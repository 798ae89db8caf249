/*
 * exec_bench [N]: N rounds of fork, the child exec'ing /nop (which returns 0 at once), and the
 * parent waiting for it. xv6 has no spawn, so exec cannot be timed apart from fork; compare
 * with fork_bench for what exec adds (reading an ELF file from the disk, building a fresh
 * address space). Prints "fork+exec+exit+wait: V us per round (...)".
 */
#include "bench.h"

#define LABEL "fork+exec+exit+wait"

int main(int argc, char **argv)
{
    int n = bench_rounds(LABEL, argc, argv, 2000);
    char *nop_argv[] = {"nop", 0};

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0)
            bench_fail(LABEL, "fork returned %d in round %d", pid, i);
        if (pid == 0) {
            exec("/nop", nop_argv);
            printf("FAIL: " LABEL ": exec /nop failed\n");
            exit(1);
        }
        int status = -1;
        int got = wait(&status);
        if (got != pid || status != 0)
            bench_fail(LABEL, "wait returned %d with status %d, expected child %d with 0", got, status, pid);
    }
    uint64 ticks = rdtime() - start;

    bench_report(LABEL, "us", 1000, "round", ticks, n);
    return 0;
}
