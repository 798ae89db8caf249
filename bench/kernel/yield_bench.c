/*
 * yield_bench [N [OTHERS]]: two threads hand the CPU to each other with yield(tid), N times
 * in all, while OTHERS more threads of the process exist, descheduled. yield finds its thread
 * in a table and takes it off the middle of the run queue, so the figure stays flat from 10
 * to 10,000 others (osprey run --max-threads must allow OTHERS + 3 threads).
 * Prints "yield(tid), OTHERS others: V ns per yield (...)".
 */
#include "bench.h"
#include "thread.h"

#define OTHER_STACK 1024

static int zero;
static volatile int stop;
static volatile int main_tid;

static void descheduled(void *arg)
{
    (void)arg;
    deschedule(&zero);
}

static void partner(void *arg)
{
    (void)arg;
    while (!stop)
        yield(main_tid);
}

/* "yield(tid), N others" without sprintf. */
static void make_label(char *out, int others)
{
    char digits[12];
    int n = 0;
    do {
        digits[n++] = '0' + others % 10;
        others /= 10;
    } while (others > 0);
    strcpy(out, "yield(tid), ");
    char *p = out + strlen(out);
    while (n > 0)
        *p++ = digits[--n];
    strcpy(p, " others");
}

int main(int argc, char **argv)
{
    int others = argc > 2 ? atoi(argv[2]) : 10;
    char label[48];
    make_label(label, others);
    int n = bench_rounds(label, argc > 2 ? 2 : argc, argv, 200000);
    if (others < 0)
        bench_fail(label, "OTHERS must be 0 or more");
    main_tid = gettid();

    char *stacks = sbrk(others * OTHER_STACK);
    if (stacks == (char *)-1)
        bench_fail(label, "no memory for %d stacks", others);
    int last = 0;
    for (int i = 0; i < others; i++) {
        last = thread_spawn(stacks + (i + 1) * OTHER_STACK, descheduled, 0);
        if (last < 0)
            bench_fail(label, "thread %d of %d could not be made (%d): raise --max-threads", i + 1, others, last);
    }
    /* Threads start in order; once the last is descheduled, so are the others. */
    while (others > 0 && yield(last) != PEBBLES_ESTATE)
        ;
    void *stack = thread_stack(8192);
    int other = thread_spawn(stack, partner, 0);
    if (other < 0)
        bench_fail(label, "the partner thread could not be made (%d)", other);

    uint64 start = rdtime();
    for (int i = 0; i < n; i++)
        yield(other);
    uint64 ticks = rdtime() - start;
    stop = 1;

    bench_report(label, "ns", 1, "yield", ticks, n);
    return 0;
}
