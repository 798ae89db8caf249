/*
 * thr_exit_join: thr_exit from deep inside a thread gives its joiner the value; joining a
 * thread that has already exited and one that has not yet; the refusals (oneself, an unknown
 * tid, a second join, two joiners at once); and the first thread exiting with thr_exit while
 * the thread that joins it goes on to end the task.
 */
#include "thrtest.h"

static volatile int exited_early;
static volatile int slow_may_go;
static int target_tid, second_result = 1;

static void deep(int n)
{
    if (n < 0)
        return; /* never: n starts positive */
    if (n == 0)
        thr_exit((void *)42);
    deep(n - 1);
}

static void *exits_deep(void *arg)
{
    deep(20);
    return (void *)1; /* never */
}

static void *exits_at_once(void *arg)
{
    __atomic_store_n(&exited_early, 1, __ATOMIC_RELEASE);
    return (void *)7;
}

static void *exits_late(void *arg)
{
    thrtest_await(&slow_may_go, 1, "the main thread to start joining");
    sleep(3);
    thr_exit((void *)9);
}

static void *sleeps_then_exits(void *arg)
{
    sleep(5);
    return (void *)5;
}

static void *second_joiner(void *arg)
{
    void *status = 0;
    second_result = thr_join(target_tid, &status);
    CHECK(second_result != 0 || status == (void *)5, "the second joiner got %ld, not 5", (long)status);
    return NULL;
}

static void *joins_main(void *arg)
{
    void *status = 0;
    int main_tid = (int)(long)arg;
    CHECK(thr_join(main_tid, &status) == 0, "joining the first thread failed");
    CHECK(status == (void *)99, "the first thread's thr_exit value arrived as %ld", (long)status);
    report_success();
}

int main(int argc, char *argv[])
{
    void *status = 0;
    thrtest_start("thr_exit_join", argc, argv, THRTEST_STACK);

    int t = thr_create(exits_deep, NULL);
    CHECK(t > 0 && thr_join(t, &status) == 0 && status == (void *)42, "thr_exit from deep inside: %ld",
          (long)status);

    t = thr_create(exits_at_once, NULL);
    thrtest_await(&exited_early, 1, "the thread to exit");
    sleep(2);
    CHECK(thr_join(t, &status) == 0 && status == (void *)7, "joining an exited thread: %ld", (long)status);
    CHECK(thr_join(t, &status) < 0, "a thread was joined twice");

    t = thr_create(exits_late, NULL);
    __atomic_store_n(&slow_may_go, 1, __ATOMIC_RELEASE);
    CHECK(thr_join(t, &status) == 0 && status == (void *)9, "joining a thread that exits later: %ld",
          (long)status);

    CHECK(thr_join(thr_getid(), NULL) < 0, "a thread joined itself");
    CHECK(thr_join(0x7fffff00, NULL) < 0, "joined a tid that was never made");
    CHECK(thr_join(-1, NULL) < 0, "joined tid -1");

    /* Two joiners at once: exactly one of them gets the thread, the other is refused. */
    target_tid = thr_create(sleeps_then_exits, NULL);
    int joiner = thr_create(second_joiner, NULL);
    CHECK(target_tid > 0 && joiner > 0, "thr_create failed");
    int mine = thr_join(target_tid, &status);
    CHECK(thr_join(joiner, NULL) == 0, "joining the second joiner failed");
    CHECK((mine == 0) != (second_result == 0), "two joiners of one thread: results %d and %d", mine,
          second_result);
    CHECK(mine != 0 || status == (void *)5, "the joiner got %ld, not 5", (long)status);

    /* The first thread leaves; the thread joining it finishes the test. */
    CHECK(thr_create(joins_main, (void *)(long)thr_getid()) > 0, "thr_create failed");
    thr_exit((void *)99);
}
