/*
 * getpid_bench [N]: the cost of the cheapest system call, a trap into the kernel and back.
 * Times N getpid calls and prints "getpid: V ns per call (...)"; every call must return the
 * same positive pid.
 */
#include "bench.h"

int main(int argc, char **argv)
{
    int n = bench_rounds("getpid", argc, argv, 2000000);
    int pid = getpid();
    if (pid <= 0)
        bench_fail("getpid", "getpid returned %d", pid);

    int wrong = 0;
    uint64 start = rdtime();
    for (int i = 0; i < n; i++)
        wrong |= getpid() ^ pid;
    uint64 ticks = rdtime() - start;

    if (wrong)
        bench_fail("getpid", "getpid did not always return %d", pid);
    bench_report("getpid", "ns", 1, "call", ticks, n);
    return 0;
}
