/*
 * pipe_bench [N]: the cost of a one-byte round trip between two processes through two pipes
 * (parent writes, child echoes back). Prints "pipe ping-pong: V us per round trip (...)".
 */
#include "bench.h"

#define LABEL "pipe ping-pong"

int main(int argc, char **argv)
{
    int n = bench_rounds(LABEL, argc, argv, 20000);
    int to_child[2], to_parent[2];
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        bench_fail(LABEL, "pipe failed");
    int pid = fork();
    if (pid < 0)
        bench_fail(LABEL, "fork failed");
    char c = 'p';
    if (pid == 0) {
        for (int i = 0; i < n; i++) {
            if (read(to_child[0], &c, 1) != 1 || write(to_parent[1], &c, 1) != 1)
                exit(1);
        }
        exit(0);
    }
    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
            bench_fail(LABEL, "round %d failed", i);
    }
    uint64 ticks = rdtime() - start;
    int status;
    if (wait(&status) != pid || status != 0)
        bench_fail(LABEL, "the echoing child failed");
    bench_report(LABEL, "us", 1000, "round trip", ticks, n);
    return 0;
}
