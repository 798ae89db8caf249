/*
 * racer: mutex and condition-variable stress. Producers and consumers race through a small
 * bounded buffer (every item must arrive exactly once, each producer's items in order at each
 * consumer), and counters are bumped under a mutex with yields inside the critical section
 * (the total must be exact). The first argument is a misbehave mode.
 */
#include "thrtest.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define ITEMS 200       /* per producer */
#define SLOTS 4
#define BUMPERS 6
#define BUMPS 300

static mutex_t lock;
static cond_t not_full, not_empty;
static int buffer[SLOTS], head, count;
static int received[PRODUCERS];
static long checksum;

static mutex_t counter_lock;
static long counter;

static void *producer(void *arg)
{
    int p = (int)(long)arg;
    for (int i = 0; i < ITEMS; i++) {
        mutex_lock(&lock);
        while (count == SLOTS)
            cond_wait(&not_full, &lock);
        buffer[(head + count) % SLOTS] = p * ITEMS + i;
        count++;
        cond_signal(&not_empty);
        mutex_unlock(&lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    int last[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++)
        last[p] = -1;
    for (int n = 0; n < PRODUCERS * ITEMS / CONSUMERS; n++) {
        mutex_lock(&lock);
        while (count == 0)
            cond_wait(&not_empty, &lock);
        int item = buffer[head];
        head = (head + 1) % SLOTS;
        count--;
        int p = item / ITEMS, i = item % ITEMS;
        received[p]++;
        checksum += item;
        cond_signal(&not_full);
        mutex_unlock(&lock);
        CHECK(i > last[p], "producer %d's item %d arrived after its item %d", p, i, last[p]);
        last[p] = i;
    }
    return NULL;
}

static void *bumper(void *arg)
{
    unsigned seed = (unsigned)(long)arg + 99;
    for (int i = 0; i < BUMPS; i++) {
        mutex_lock(&counter_lock);
        long c = counter;
        if (thrtest_random(&seed) % 16 == 0)
            thr_yield(-1);
        counter = c + 1;
        mutex_unlock(&counter_lock);
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    int tids[PRODUCERS + CONSUMERS + BUMPERS], n = 0;
    thrtest_start("racer", argc, argv, THRTEST_STACK);
    mutex_init(&lock);
    mutex_init(&counter_lock);
    cond_init(&not_full);
    cond_init(&not_empty);
    for (int i = 0; i < BUMPERS; i++)
        CHECK((tids[n++] = thr_create(bumper, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < CONSUMERS; i++)
        CHECK((tids[n++] = thr_create(consumer, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < PRODUCERS; i++)
        CHECK((tids[n++] = thr_create(producer, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < n; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    long items = (long)PRODUCERS * ITEMS;
    for (int p = 0; p < PRODUCERS; p++)
        CHECK(received[p] == ITEMS, "producer %d: %d of %d items arrived", p, received[p], ITEMS);
    CHECK(checksum == items * (items - 1) / 2, "the items' sum is %ld, not %ld", checksum, items * (items - 1) / 2);
    CHECK(count == 0, "%d items left in the buffer", count);
    CHECK(counter == (long)BUMPERS * BUMPS, "the counter is %ld, not %ld", counter, (long)BUMPERS * BUMPS);
    report_success();
}
