/*
 * sleeptest: sleep and uptime.
 *   - uptime never goes backwards, and advances while a process computes (the timer
 *     interrupts user code)
 *   - sleep(n) lasts at least n ticks by uptime, for several n, and sleep(0) returns
 *   - children sleeping at the same time each sleep at least their own n
 * Prints "sleeptest: ok" and exits 0 when all pass.
 */
#include "test.h"

/* Busy-loop rounds before giving up on the clock: each is a few hundred thousand
 * instructions, so this is tens of seconds of computing at any plausible speed. */
#define MAX_ROUNDS 100000
#define ROUND_ITERATIONS 100000

/* Computes until uptime changes. */
static void compute_until_tick(void)
{
    int start = uptime();
    volatile unsigned long sink = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        for (int i = 0; i < ROUND_ITERATIONS; i++)
            sink += i;
        int now = uptime();
        check(now >= start, "uptime went backwards from %d to %d", start, now);
        if (now > start)
            return;
    }
    fail("uptime stayed at %d while the process computed", start);
}

static void clock_runs(void)
{
    int t = uptime();
    check(t >= 0, "uptime is negative: %d", t);
    compute_until_tick();
    printf("sleeptest: uptime advances while computing\n");
}

static void sleep_for(int n)
{
    int start = uptime();
    check(sleep(n) == 0, "sleep(%d) did not return 0", n);
    int slept = uptime() - start;
    check(slept >= n, "sleep(%d) returned after %d ticks", n, slept);
}

static void sleeps_long_enough(void)
{
    static const int lengths[] = {0, 1, 2, 5, 10};
    for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        sleep_for(lengths[i]);
    printf("sleeptest: sleep(n) lasts at least n ticks\n");
}

static void children_sleep_together(void)
{
    for (int i = 0; i < 3; i++) {
        if (fork_or_fail() == 0) {
            sleep_for(5 * (i + 1));
            exit(0);
        }
    }
    collect_children(3, 0, "a sleeping child");
    printf("sleeptest: children sleeping at once each sleep long enough\n");
}

int main(void)
{
    test_begin("sleeptest");
    clock_runs();
    sleeps_long_enough();
    children_sleep_together();
    printf("sleeptest: ok\n");
    return 0;
}
