/*
 * thr_bench: what the Pebbles thread library's operations cost, in the guest, timed with
 * get_ticks (10 ms), so each figure runs long enough for the tick to be fine:
 *   mutex       an uncontended mutex_lock + mutex_unlock
 *   contended   mutex_lock + unlock by 4 threads at once on one mutex (hand-offs)
 *   cond        one round trip of a strict hand-off between two threads (two wake-ups)
 *   create      thr_create + thr_join of a thread that returns at once
 * Usage: thr_bench [scale], scale (default 1) multiplying every count.
 * Run: ./osprey run --cpus 1 thr_bench ; ./osprey run --cpus 3 thr_bench
 */
#include <cond.h>
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

static mutex_t lock;
static cond_t turn_cv;
static int turn;
static int rounds;

static void report(const char *what, unsigned ticks, long ops)
{
    long ns = ticks * 10000000L / (ops > 0 ? ops : 1);
    printf("thr_bench: %-10s %8ld ops in %4u ticks: %ld ns/op\n", what, ops, ticks, ns);
}

static void *contender(void *arg)
{
    for (int i = 0; i < rounds; i++) {
        mutex_lock(&lock);
        mutex_unlock(&lock);
    }
    return NULL;
}

static void *ping(void *arg)
{
    int me = (int)(long)arg;
    for (int r = 0; r < rounds; r++) {
        mutex_lock(&lock);
        while (turn != me)
            cond_wait(&turn_cv, &lock);
        turn = 1 - me;
        cond_signal(&turn_cv);
        mutex_unlock(&lock);
    }
    return NULL;
}

static void *nothing(void *arg)
{
    return arg;
}

int main(int argc, char *argv[])
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    if (scale < 1 || thr_init(16 * 1024) < 0) {
        printf("usage: thr_bench [scale >= 1]\n");
        return 2;
    }
    mutex_init(&lock);
    cond_init(&turn_cv);

    long n = 2000000L * scale;
    unsigned start = get_ticks();
    for (long i = 0; i < n; i++) {
        mutex_lock(&lock);
        mutex_unlock(&lock);
    }
    report("mutex", get_ticks() - start, n);

    int tids[4];
    rounds = 5000 * scale;
    start = get_ticks();
    for (int i = 0; i < 4; i++)
        tids[i] = thr_create(contender, NULL);
    for (int i = 0; i < 4; i++)
        thr_join(tids[i], NULL);
    report("contended", get_ticks() - start, 4L * rounds);

    rounds = 5000 * scale;
    start = get_ticks();
    tids[0] = thr_create(ping, (void *)0);
    tids[1] = thr_create(ping, (void *)1);
    thr_join(tids[0], NULL);
    thr_join(tids[1], NULL);
    report("cond", get_ticks() - start, rounds);

    n = 2000L * scale;
    start = get_ticks();
    for (long i = 0; i < n; i++) {
        int tid = thr_create(nothing, NULL);
        if (tid < 0 || thr_join(tid, NULL) < 0) {
            printf("thr_bench: thr_create/thr_join failed\n");
            return 1;
        }
    }
    report("create", get_ticks() - start, n);
    return 0;
}
