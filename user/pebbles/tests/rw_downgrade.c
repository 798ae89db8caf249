/*
 * rw_downgrade (15-410's rwlock_downgrade_read_test): the main thread holds the lock for
 * writing while readers and a second writer queue; rwlock_downgrade lets every waiting reader
 * in beside it at once, but not the writer, which gets in only after every reader has left.
 */
#include "thrtest.h"

#define READERS 4

static rwlock_t rw;
static volatile int readers_in, readers_may_leave, readers_out, writer_in;

static void *reader(void *arg)
{
    rwlock_lock(&rw, RWLOCK_READ);
    __atomic_add_fetch(&readers_in, 1, __ATOMIC_ACQ_REL);
    CHECK(!writer_in, "a reader found the second writer inside");
    thrtest_await(&readers_may_leave, 1, "leave to go");
    __atomic_add_fetch(&readers_out, 1, __ATOMIC_ACQ_REL);
    rwlock_unlock(&rw);
    return NULL;
}

static void *writer(void *arg)
{
    rwlock_lock(&rw, RWLOCK_WRITE);
    CHECK(readers_out == READERS, "the writer got in with %d of %d readers still inside",
          READERS - readers_out, READERS);
    writer_in = 1;
    rwlock_unlock(&rw);
    return NULL;
}

/* Waits until the lock's queues (the library's own fields) hold these many threads. */
static void await_queued(int readers, int writers)
{
    unsigned start = get_ticks();
    for (;;) {
        mutex_lock(&rw.lock);
        int r = rw.waiting_readers, w = rw.waiting_writers;
        mutex_unlock(&rw.lock);
        if (r == readers && w == writers)
            return;
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "timed out: %d readers and %d writers queued", r, w);
        thr_yield(-1);
    }
}

int main(int argc, char *argv[])
{
    int tids[READERS + 1];
    thrtest_start("rw_downgrade", argc, argv, THRTEST_STACK);
    rwlock_init(&rw);
    rwlock_lock(&rw, RWLOCK_WRITE);
    for (int i = 0; i < READERS; i++)
        CHECK((tids[i] = thr_create(reader, NULL)) > 0, "thr_create failed");
    await_queued(READERS, 0);
    CHECK(readers_in == 0, "%d readers got in beside the writer", readers_in);
    CHECK((tids[READERS] = thr_create(writer, NULL)) > 0, "thr_create failed");
    await_queued(READERS, 1);
    CHECK(!writer_in, "a second writer got in beside the first");

    rwlock_downgrade(&rw);
    thrtest_await(&readers_in, READERS, "the waiting readers after the downgrade");
    CHECK(!writer_in, "the writer got in beside the downgraded reader");
    /* A new reader may still come in: the lock is read-held. But the waiting writer keeps it
     * out (no writer starvation), so it is not tried here. */
    rwlock_unlock(&rw);
    sleep(2);
    CHECK(!writer_in, "the writer got in while readers held the lock");
    readers_may_leave = 1;
    for (int i = 0; i <= READERS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    CHECK(writer_in, "the writer never got in");
    rwlock_destroy(&rw);
    report_success();
}
