/*
 * largetest: makes threads, each waiting on a semaphore, until the library or the kernel says
 * no (no memory for a stack, no thread left); the refusal must be a clean negative result.
 * Then every thread is let go and joined, and as many can be made again.
 * The first argument (after an optional misbehave mode of 0) bounds the count.
 */
#include "thrtest.h"

#define MAX_THREADS 5000

static sem_t go;
static int tids[MAX_THREADS];

static void *sleeper(void *arg)
{
    sem_wait(&go);
    return arg;
}

/* Makes threads until refused or limit; returns how many. */
static int fill(int limit, int *refusal)
{
    int n = 0;
    *refusal = 0;
    while (n < limit) {
        int tid = thr_create(sleeper, (void *)(long)n);
        if (tid < 0) {
            *refusal = tid;
            break;
        }
        tids[n++] = tid;
        if (n % 250 == 0)
            REPORT_MISC("%d threads", n);
    }
    return n;
}

static void drain(int n)
{
    for (int i = 0; i < n; i++)
        sem_signal(&go);
    for (int i = 0; i < n; i++) {
        void *status = 0;
        CHECK(thr_join(tids[i], &status) == 0 && status == (void *)(long)i, "joining thread %d failed", i);
    }
}

int main(int argc, char *argv[])
{
    thrtest_start("largetest", argc, argv, 4096);
    int limit = argc > 2 ? atoi(argv[2]) : MAX_THREADS;
    CHECK(limit > 0 && limit <= MAX_THREADS, "bad limit %d", limit);
    sem_init(&go, 0);
    int refusal;
    int n = fill(limit, &refusal);
    REPORT_MISC("made %d threads; the next was refused with %d", n, refusal);
    CHECK(n >= 50, "only %d threads before a refusal (%d)", n, refusal);
    CHECK(n == limit || refusal < 0, "stopped without a refusal");
    drain(n);
    int again = fill(n, &refusal);
    CHECK(again == n, "after joining, only %d of %d threads could be made again (%d)", again, n, refusal);
    drain(again);
    sem_destroy(&go);
    report_success();
}
