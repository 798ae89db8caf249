/*
 * rwlock_test: readers hold the lock together (four readers must all be inside at once);
 * writers hold it alone (no reader or other writer inside while one writes, over thousands
 * of mixed rounds with yields inside); and neither side starves: a writer gets in while
 * readers keep coming, and readers get in while writers keep coming.
 */
#include "thrtest.h"

#define READERS 4
#define MIXED_READERS 3
#define MIXED_WRITERS 3
#define MIXED_ROUNDS 400

static rwlock_t rw;
static volatile int readers_inside, writers_inside;
static volatile int stop;
static volatile int reads_done;

static void *parallel_reader(void *arg)
{
    rwlock_lock(&rw, RWLOCK_READ);
    __atomic_fetch_add(&readers_inside, 1, __ATOMIC_ACQ_REL);
    /* Every reader waits inside until all are: with exclusive readers this times out. */
    thrtest_await(&readers_inside, READERS, "all readers inside at once");
    rwlock_unlock(&rw);
    return NULL;
}

static void *mixed(void *arg)
{
    int writer = (int)(long)arg >= MIXED_READERS;
    unsigned seed = (unsigned)(long)arg * 31 + 7;
    for (int r = 0; r < MIXED_ROUNDS; r++) {
        if (writer) {
            rwlock_lock(&rw, RWLOCK_WRITE);
            int w = __atomic_add_fetch(&writers_inside, 1, __ATOMIC_ACQ_REL);
            CHECK(w == 1 && readers_inside == 0, "a writer found %d writers and %d readers inside", w,
                  readers_inside);
            if (thrtest_random(&seed) % 4 == 0)
                thr_yield(-1);
            CHECK(writers_inside == 1 && readers_inside == 0, "someone came in while a writer held the lock");
            __atomic_sub_fetch(&writers_inside, 1, __ATOMIC_ACQ_REL);
            rwlock_unlock(&rw);
        } else {
            rwlock_lock(&rw, RWLOCK_READ);
            __atomic_add_fetch(&readers_inside, 1, __ATOMIC_ACQ_REL);
            CHECK(writers_inside == 0, "a reader found a writer inside");
            if (thrtest_random(&seed) % 4 == 0)
                thr_yield(-1);
            CHECK(writers_inside == 0, "a writer came in while a reader held the lock");
            __atomic_sub_fetch(&readers_inside, 1, __ATOMIC_ACQ_REL);
            rwlock_unlock(&rw);
        }
    }
    return NULL;
}

/* Readers that overlap one another, so the lock always has a reader, until stop. */
static void *endless_reader(void *arg)
{
    unsigned start = get_ticks();
    while (!stop) {
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "the writer starved among readers");
        rwlock_lock(&rw, RWLOCK_READ);
        thr_yield(-1);
        rwlock_unlock(&rw);
    }
    return NULL;
}

static void *endless_writer(void *arg)
{
    unsigned start = get_ticks();
    while (!stop) {
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "the readers starved among writers");
        rwlock_lock(&rw, RWLOCK_WRITE);
        thr_yield(-1);
        rwlock_unlock(&rw);
    }
    return NULL;
}

static void *one_reader(void *arg)
{
    rwlock_lock(&rw, RWLOCK_READ);
    __atomic_fetch_add(&reads_done, 1, __ATOMIC_ACQ_REL);
    rwlock_unlock(&rw);
    return NULL;
}

int main(int argc, char *argv[])
{
    int tids[8];
    thrtest_start("rwlock_test", argc, argv, THRTEST_STACK);
    CHECK(rwlock_init(&rw) == 0, "rwlock_init failed");

    for (int i = 0; i < READERS; i++)
        CHECK((tids[i] = thr_create(parallel_reader, NULL)) > 0, "thr_create failed");
    for (int i = 0; i < READERS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    readers_inside = 0;
    REPORT_MISC("readers share");

    for (int i = 0; i < MIXED_READERS + MIXED_WRITERS; i++)
        CHECK((tids[i] = thr_create(mixed, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < MIXED_READERS + MIXED_WRITERS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    REPORT_MISC("writers exclude");

    /* A writer among endless readers gets in (the main thread is the writer). */
    for (int i = 0; i < 3; i++)
        CHECK((tids[i] = thr_create(endless_reader, NULL)) > 0, "thr_create failed");
    sleep(2);
    rwlock_lock(&rw, RWLOCK_WRITE);
    stop = 1;
    rwlock_unlock(&rw);
    for (int i = 0; i < 3; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");

    /* Readers among endless writers get in. */
    stop = 0;
    for (int i = 0; i < 3; i++)
        CHECK((tids[i] = thr_create(endless_writer, NULL)) > 0, "thr_create failed");
    sleep(2);
    for (int i = 3; i < 6; i++)
        CHECK((tids[i] = thr_create(one_reader, NULL)) > 0, "thr_create failed");
    thrtest_await(&reads_done, 3, "readers among writers");
    stop = 1;
    for (int i = 0; i < 6; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    REPORT_MISC("nobody starves");

    rwlock_destroy(&rw);
    report_success();
}
