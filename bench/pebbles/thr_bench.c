/*
 * thr_bench: what the Pebbles thread library's operations cost, in the guest, timed with the
 * time CSR (rdtime: host time at 10 MHz, 100 ns a count). Each figure repeats a batch of
 * operations until at least MIN_MS (500 ms) of host time has passed, so it is the average over many
 * thousands of operations on any number of CPUs. (get_ticks, the 10 ms clock, counts only
 * CPU 0's timer interrupts, which a busy host delays and an idle CPU 0 skips: with 3 CPUs
 * whole runs took "0 ticks".)
 *   mutex       an uncontended mutex_lock + mutex_unlock
 *   contended   mutex_lock + unlock by 4 threads at once on one mutex (hand-offs)
 *   cond        one round trip of a strict hand-off between two threads (two wake-ups)
 *   create      thr_create + thr_join of a thread that returns at once
 * Usage: thr_bench [scale], scale (default 1) multiplying the time each figure runs.
 * Run: ./osprey run --cpus 1 thr_bench ; ./osprey run --cpus 3 thr_bench
 */
#include <cond.h>
#include <mutex.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define MIN_MS 500

static mutex_t lock;
static cond_t turn_cv;
static int turn;
static int rounds;

static inline unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile(".option push\n.option arch, +zicsr\nrdtime %0\n.option pop" : "=r"(t));
    return t;
}

/* Runs batch (ops operations each) until min_ms have passed; prints the average. A first
 * batch, untimed, lets the JIT translate the loop (and the heap and stack slots settle). */
static void measure(const char *what, void (*batch)(void), long ops, long min_ms)
{
    batch();
    unsigned long start = rdtime(), elapsed;
    long done = 0;
    do {
        batch();
        done += ops;
        elapsed = rdtime() - start;
    } while (elapsed < (unsigned long)min_ms * 10000);
    unsigned long us = elapsed / 10;
    printf("thr_bench: %-10s %9ld ops in %5lu.%03lu ms: %lu ns/op\n", what, done, us / 1000, us % 1000,
           elapsed * 100 / (unsigned long)done);
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

#define MUTEX_BATCH 10000
#define CONTENDED_ROUNDS 1000
#define COND_ROUNDS 500
#define CREATE_BATCH 50

static void mutex_batch(void)
{
    for (long i = 0; i < MUTEX_BATCH; i++) {
        mutex_lock(&lock);
        mutex_unlock(&lock);
    }
}

static void contended_batch(void)
{
    int tids[4];
    rounds = CONTENDED_ROUNDS;
    for (int i = 0; i < 4; i++)
        tids[i] = thr_create(contender, NULL);
    for (int i = 0; i < 4; i++)
        thr_join(tids[i], NULL);
}

static void cond_batch(void)
{
    rounds = COND_ROUNDS;
    turn = 0;
    int a = thr_create(ping, (void *)0);
    int b = thr_create(ping, (void *)1);
    thr_join(a, NULL);
    thr_join(b, NULL);
}

static void create_batch(void)
{
    for (long i = 0; i < CREATE_BATCH; i++) {
        int tid = thr_create(nothing, NULL);
        if (tid < 0 || thr_join(tid, NULL) < 0) {
            printf("thr_bench: thr_create/thr_join failed\n");
            exit(1);
        }
    }
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
    long min_ms = MIN_MS * (long)scale;
    measure("mutex", mutex_batch, MUTEX_BATCH, min_ms);
    /* Each batch's creates and joins are in the contended and cond figures, a few per
     * thousands of operations. */
    measure("contended", contended_batch, 4L * CONTENDED_ROUNDS, min_ms);
    measure("cond", cond_batch, COND_ROUNDS, min_ms);
    measure("create", create_batch, CREATE_BATCH, min_ms);
    return 0;
}
