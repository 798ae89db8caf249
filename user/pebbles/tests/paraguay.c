/*
 * paraguay: what condition variables promise. A signal wakes exactly one waiter, the one
 * that has waited longest; a signal with nobody waiting is not remembered; a broadcast wakes
 * every waiter; a waiter is queued before it gives up the mutex, so a signal sent the moment
 * the mutex is free is never lost (many rounds of a strict hand-off).
 */
#include "thrtest.h"

#define WAITERS 6
#define HANDOFFS 6000

static mutex_t lock;
static cond_t cv, turn_cv;
static volatile int waiting;     /* waiters inside cond_wait (counted under lock) */
static int tickets;              /* wake-ups handed out and not yet taken */
static int woken_order[WAITERS], woken;
static volatile int returns;     /* cond_wait returns, spurious ones included */
static int turn;

static void *waiter(void *arg)
{
    int i = (int)(long)arg;
    mutex_lock(&lock);
    waiting++;
    while (tickets == 0) {
        cond_wait(&cv, &lock);
        returns++;
    }
    tickets--;
    waiting--;
    woken_order[woken++] = i;
    mutex_unlock(&lock);
    return NULL;
}

static void *ping(void *arg)
{
    int me = (int)(long)arg;
    for (int r = 0; r < HANDOFFS; r++) {
        mutex_lock(&lock);
        while (turn != me)
            cond_wait(&turn_cv, &lock);
        turn = 1 - me;
        cond_signal(&turn_cv);
        mutex_unlock(&lock);
    }
    return NULL;
}

/* Waits until the waiters counted inside cond_wait are n. */
static void await_waiting(int n)
{
    unsigned start = get_ticks();
    for (;;) {
        mutex_lock(&lock);
        int w = waiting;
        mutex_unlock(&lock);
        if (w == n)
            return;
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "timed out: %d waiting, not %d", w, n);
        thr_yield(-1);
    }
}

int main(int argc, char *argv[])
{
    int tids[WAITERS];
    thrtest_start("paraguay", argc, argv, THRTEST_STACK);
    mutex_init(&lock);
    cond_init(&cv);
    cond_init(&turn_cv);

    /* A signal nobody waits for is lost. */
    cond_signal(&cv);
    cond_broadcast(&cv);

    /* Waiters queue one at a time, so their order is known. */
    for (int i = 0; i < WAITERS; i++) {
        CHECK((tids[i] = thr_create(waiter, (void *)(long)i)) > 0, "thr_create failed");
        await_waiting(i + 1);
    }
    CHECK(returns == 0, "%d waiters woke with no signal (the early signal was remembered?)", returns);

    /* Each signal wakes one, oldest first; nobody else comes out of cond_wait. */
    for (int k = 0; k < WAITERS - 2; k++) {
        mutex_lock(&lock);
        tickets++;
        cond_signal(&cv);
        mutex_unlock(&lock);
        await_waiting(WAITERS - k - 1);
        sleep(2);
        mutex_lock(&lock);
        CHECK(returns == k + 1, "%d returns from cond_wait after %d signals", returns, k + 1);
        CHECK(woken == k + 1 && woken_order[k] == k, "signal %d woke waiter %d", k, woken_order[woken - 1]);
        mutex_unlock(&lock);
    }

    /* A broadcast wakes the rest. */
    mutex_lock(&lock);
    tickets += 2;
    cond_broadcast(&cv);
    mutex_unlock(&lock);
    for (int i = 0; i < WAITERS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    CHECK(woken == WAITERS, "%d of %d waiters woke", woken, WAITERS);

    /* Strict alternation: a lost wake-up would leave both threads waiting for ever. */
    int a = thr_create(ping, (void *)0), b = thr_create(ping, (void *)1);
    CHECK(a > 0 && b > 0, "thr_create failed");
    CHECK(thr_join(a, NULL) == 0 && thr_join(b, NULL) == 0, "thr_join failed");
    CHECK(turn == 0, "the hand-off ended on the wrong side");

    cond_destroy(&cv);
    cond_destroy(&turn_cv);
    mutex_destroy(&lock);
    report_success();
}
