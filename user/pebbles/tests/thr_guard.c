/*
 * thr_guard: a thread that overflows its stack dies in the guard gap below it (a
 * Pebbles fault kills only that thread) and never writes over the stack of the thread in
 * the next slot down, whose canary must come through whole; the task goes on.
 */
#include <string.h>
#include "thrtest.h"

#define STACK (16 * 1024)

static sem_t a_go, b_go;
static volatile int b_ready;

static int recurse(int depth)
{
    volatile char frame[512];
    if (depth < 0)
        return 0; /* never: depth starts at 0 */
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

static void *overflower(void *arg)
{
    sem_wait(&a_go);
    return (void *)(long)recurse(0);
}

static void *neighbour(void *arg)
{
    unsigned char canary[STACK / 2];
    memset(canary, 0x5a, sizeof canary);
    __atomic_store_n(&b_ready, 1, __ATOMIC_RELEASE);
    sem_wait(&b_go);
    for (size_t i = 0; i < sizeof canary; i++)
        CHECK(canary[i] == 0x5a, "the neighbour's stack was written at %lu", (unsigned long)i);
    return (void *)1;
}

int main(int argc, char *argv[])
{
    thrtest_start("thr_guard", argc, argv, STACK);
    sem_init(&a_go, 0);
    sem_init(&b_go, 0);
    /* Slots go down: the first thread made is above the second. */
    int a = thr_create(overflower, NULL);
    int b = thr_create(neighbour, NULL);
    CHECK(a > 0 && b > 0, "thr_create failed");
    thrtest_await(&b_ready, 1, "the neighbour's canary");
    sem_signal(&a_go);
    /* The overflowing thread is gone once yield says there is no such thread. */
    unsigned start = get_ticks();
    while (thr_yield(a) != PEBBLES_ESRCH) {
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "the overflowing thread did not die");
        sleep(1);
    }
    sem_signal(&b_go);
    void *status = 0;
    CHECK(thr_join(b, &status) == 0 && status == (void *)1, "joining the neighbour failed");
    report_success();
}
