/*
 * startle: 30 threads at once, five times over (so stacks are reused): each gets its own
 * stack, runs, and is joined with its own return value; every tid is new.
 */
#include "thrtest.h"

#define THREADS 30
#define ROUNDS 5

static mutex_t lock;
static int ran[THREADS];
static int alive;

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    char on_my_stack[512];
    for (int k = 0; k < (int)sizeof on_my_stack; k++)
        on_my_stack[k] = (char)i;
    mutex_lock(&lock);
    ran[i]++;
    alive++;
    mutex_unlock(&lock);
    thr_yield(-1);
    for (int k = 0; k < (int)sizeof on_my_stack; k++)
        CHECK(on_my_stack[k] == (char)i, "thread %d's stack changed under it", i);
    mutex_lock(&lock);
    alive--;
    mutex_unlock(&lock);
    return (void *)(long)(1000 + i);
}

int main(int argc, char *argv[])
{
    static int seen[ROUNDS * THREADS];
    int nseen = 0;
    thrtest_start("startle", argc, argv, THRTEST_STACK);
    mutex_init(&lock);
    for (int round = 0; round < ROUNDS; round++) {
        int tids[THREADS];
        for (int i = 0; i < THREADS; i++) {
            tids[i] = thr_create(worker, (void *)(long)i);
            CHECK(tids[i] > 0, "thr_create %d of round %d returned %d", i, round, tids[i]);
            for (int k = 0; k < nseen; k++)
                CHECK(seen[k] != tids[i], "tid %d given out twice", tids[i]);
            seen[nseen++] = tids[i];
        }
        for (int i = 0; i < THREADS; i++) {
            void *status = 0;
            CHECK(thr_join(tids[i], &status) == 0, "thr_join(%d) failed", tids[i]);
            CHECK(status == (void *)(long)(1000 + i), "thread %d returned %ld", i, (long)status);
        }
        for (int i = 0; i < THREADS; i++)
            CHECK(ran[i] == round + 1, "thread %d ran %d times in %d rounds", i, ran[i], round + 1);
        CHECK(alive == 0, "%d threads still counted alive after their join", alive);
    }
    mutex_destroy(&lock);
    report_success();
}
