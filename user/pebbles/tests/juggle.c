/*
 * juggle: keeps eight threads in the air: each ball thread makes its successor before it
 * ends, and the main thread catches (joins) them in a scrambled order while new ones are
 * thrown, 300 in all; every value comes back to its catcher exactly once.
 */
#include "thrtest.h"

#define IN_AIR 8
#define THROWS 300

static mutex_t lock;
static int thrown;               /* balls made so far */
static int in_air[THROWS];       /* tid of ball i */
static volatile int made;        /* balls whose tid is recorded */

static void *ball(void *arg);

static void throw_next(void)
{
    mutex_lock(&lock);
    int i = thrown < THROWS ? thrown++ : -1;
    mutex_unlock(&lock);
    if (i < 0)
        return;
    int tid = thr_create(ball, (void *)(long)i);
    CHECK(tid > 0, "thr_create of ball %d returned %d", i, tid);
    mutex_lock(&lock);
    in_air[i] = tid;
    made++;
    mutex_unlock(&lock);
}

static void *ball(void *arg)
{
    int i = (int)(long)arg;
    if (i % 3 == 0)
        thr_yield(-1);
    throw_next();
    return (void *)(long)(i * 2 + 1);
}

int main(int argc, char *argv[])
{
    thrtest_start("juggle", argc, argv, THRTEST_STACK);
    mutex_init(&lock);
    for (int k = 0; k < IN_AIR; k++)
        throw_next();
    unsigned seed = 12345;
    static char caught[THROWS];
    for (int done = 0; done < THROWS; done++) {
        /* Catch a ball already thrown and not caught, picked at random. */
        thrtest_await(&made, done + 1, "a ball to be thrown");
        mutex_lock(&lock);
        int n = thrown, pick = (int)(thrtest_random(&seed) % n), i = -1;
        for (int k = 0; k < n && i < 0; k++)
            if (in_air[(pick + k) % n] != 0 && !caught[(pick + k) % n])
                i = (pick + k) % n;
        int tid = i >= 0 ? in_air[i] : 0;
        mutex_unlock(&lock);
        CHECK(i >= 0, "no ball to catch");
        caught[i] = 1;
        void *status = 0;
        CHECK(thr_join(tid, &status) == 0, "catching ball %d (tid %d) failed", i, tid);
        CHECK(status == (void *)(long)(i * 2 + 1), "ball %d came back as %ld", i, (long)status);
        if (done % 50 == 0)
            REPORT_MISC("%d caught", done);
    }
    CHECK(thrown == THROWS, "%d balls thrown", thrown);
    report_success();
}
