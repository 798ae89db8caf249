/*
 * thread_bench [N]: N rounds of making a thread (thread_fork, through thread_spawn) that
 * vanishes at once, the creator yielding to it until yield says it is gone: a thread's whole
 * life, its kernel thread and host thread (from the pool) included.
 * Prints "thread_fork+vanish: V us per round (...)".
 */
#include "bench.h"
#include "thread.h"

static void nothing(void *arg)
{
    (void)arg;
}

int main(int argc, char **argv)
{
    const char *label = "thread_fork+vanish";
    int n = bench_rounds(label, argc, argv, 20000);
    void *stack = thread_stack(8192);
    if (stack == 0)
        bench_fail(label, "no memory for a stack");

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        int tid = thread_spawn(stack, nothing, 0);
        if (tid < 0)
            bench_fail(label, "thread_spawn returned %d in round %d", tid, i);
        while (yield(tid) != PEBBLES_ESRCH)
            ;
    }
    uint64 ticks = rdtime() - start;

    bench_report(label, "us", 1000, "round", ticks, n);
    return 0;
}
