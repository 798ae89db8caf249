/*
 * agility_drill: eight threads take pairs of eight mutexes (always the lower first, so no
 * deadlock) thousands of times, yielding inside, and check nobody else is inside a mutex they
 * hold; the per-mutex counters must come out exact.
 */
#include "thrtest.h"

#define THREADS 8
#define LOCKS 8
#define ROUNDS 400

static mutex_t locks[LOCKS];
static int inside[LOCKS];
static long counts[LOCKS];
static int tids[THREADS];

static void enter(int m, int me)
{
    CHECK(inside[m] == 0, "thread %d found thread %d inside mutex %d", me, inside[m], m);
    inside[m] = me;
}

static void leave(int m, int me)
{
    CHECK(inside[m] == me, "thread %d's mutex %d was entered by %d", me, m, inside[m]);
    inside[m] = 0;
    counts[m]++;
}

static void *drill(void *arg)
{
    int me = thr_getid();
    unsigned seed = (unsigned)(long)arg * 7919u + 1;
    for (int r = 0; r < ROUNDS; r++) {
        int a = (int)(thrtest_random(&seed) % LOCKS);
        int b = (int)(thrtest_random(&seed) % (LOCKS - 1));
        if (b >= a)
            b++;
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        mutex_lock(&locks[a]);
        enter(a, me);
        if (thrtest_random(&seed) % 4 == 0)
            thr_yield(-1);
        mutex_lock(&locks[b]);
        enter(b, me);
        if (thrtest_random(&seed) % 8 == 0)
            thr_yield(tids[thrtest_random(&seed) % THREADS]);
        leave(b, me);
        mutex_unlock(&locks[b]);
        leave(a, me);
        mutex_unlock(&locks[a]);
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    thrtest_start("agility_drill", argc, argv, THRTEST_STACK);
    for (int m = 0; m < LOCKS; m++)
        CHECK(mutex_init(&locks[m]) == 0, "mutex_init failed");
    for (int i = 0; i < THREADS; i++)
        CHECK((tids[i] = thr_create(drill, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < THREADS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    long total = 0;
    for (int m = 0; m < LOCKS; m++)
        total += counts[m];
    CHECK(total == 2L * THREADS * ROUNDS, "the counters add up to %ld, not %ld", total, 2L * THREADS * ROUNDS);
    for (int m = 0; m < LOCKS; m++)
        mutex_destroy(&locks[m]);
    report_success();
}
