/*
 * join_specific (15-410's join_specific_test): ten threads wait to be let go one at a time,
 * in an order unlike the one they were made in; the main thread joins each by its tid as it
 * is let go, and must get exactly that thread's value (never another's that ended earlier).
 */
#include "thrtest.h"

#define THREADS 10

static mutex_t lock;
static cond_t go;
static int released = -1;   /* the index allowed to end */

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    mutex_lock(&lock);
    while (released != i)
        cond_wait(&go, &lock);
    mutex_unlock(&lock);
    return (void *)(long)(i * i + 3);
}

static void *quick(void *arg)
{
    return arg;
}

int main(int argc, char *argv[])
{
    static const int order[THREADS] = { 7, 2, 9, 0, 5, 1, 8, 3, 6, 4 };
    int tids[THREADS];
    thrtest_start("join_specific", argc, argv, THRTEST_STACK);
    mutex_init(&lock);
    cond_init(&go);
    for (int i = 0; i < THREADS; i++)
        CHECK((tids[i] = thr_create(worker, (void *)(long)i)) > 0, "thr_create failed");
    /* Threads that end at once in between, which the joins must not pick up instead. */
    int quick_tids[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK((quick_tids[i] = thr_create(quick, (void *)(long)(500 + i))) > 0, "thr_create failed");
    for (int k = 0; k < THREADS; k++) {
        int i = order[k];
        mutex_lock(&lock);
        released = i;
        cond_broadcast(&go);
        mutex_unlock(&lock);
        void *status = 0;
        CHECK(thr_join(tids[i], &status) == 0, "thr_join(%d) failed", tids[i]);
        CHECK(status == (void *)(long)(i * i + 3), "joining thread %d gave %ld", i, (long)status);
    }
    for (int i = THREADS - 1; i >= 0; i--) {
        void *status = 0;
        CHECK(thr_join(quick_tids[i], &status) == 0 && status == (void *)(long)(500 + i),
              "joining quick thread %d gave %ld", i, (long)status);
    }
    cond_destroy(&go);
    mutex_destroy(&lock);
    report_success();
}
