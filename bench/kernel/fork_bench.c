/*
 * fork_bench [N]: N rounds of fork, the child exiting at once with status 0, and the parent
 * waiting for it: process creation, a copy of a small address space, and tearing it down.
 * Prints "fork+exit+wait: V us per round (...)".
 */
#include "bench.h"

int main(int argc, char **argv)
{
    int n = bench_rounds("fork+exit+wait", argc, argv, 5000);

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0)
            bench_fail("fork+exit+wait", "fork returned %d in round %d", pid, i);
        if (pid == 0)
            exit(0);
        int status = -1;
        int got = wait(&status);
        if (got != pid || status != 0)
            bench_fail("fork+exit+wait", "wait returned %d with status %d, expected child %d with 0", got,
                       status, pid);
    }
    uint64 ticks = rdtime() - start;

    bench_report("fork+exit+wait", "us", 1000, "round", ticks, n);
    return 0;
}
