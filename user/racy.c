/*
 * racy: small concurrent programs with planted bugs, for deterministic runs and osprey explore
 * (each has a correct twin that must never fail).
 *   racy count THREADS N   THREADS threads add 1 to a counter N times each, with a plain load
 *                          and store (no lock): updates get lost when a thread is preempted
 *                          between the two. Prints the total; FAIL if any update was lost.
 *   racy count-atomic THREADS N   the same with an atomic add: always exact.
 *   racy mutex ROUNDS      two threads take turns in a mutex made of an exchange and
 *                          deschedule/make_runnable, whose lock() checks the lock and then
 *                          sleeps without checking again: an unlock in between is a lost
 *                          wake-up, and the waiter sleeps for ever (a deadlock).
 *   racy mutex-fixed ROUNDS   the same mutex with the second check: never stuck.
 *   racy desched ROUNDS    a waker and a waiter: the waiter tests a flag and deschedules with
 *                          no reject flag, so a make_runnable that lands between the test and
 *                          the deschedule is lost.
 *   racy desched-fixed ROUNDS   the waiter passes the flag as deschedule's reject: never stuck.
 *   racy kkv ROUNDS        a getter blocks in kkv_get while another thread destroys the store:
 *                          the getter must come back with EPERM, whichever comes first. Correct
 *                          on a correct kernel; under --kkv-planted-bug (destroy frees a waited-on
 *                          placeholder without waking its getter) a getter that blocked before
 *                          the destroy sleeps for ever: a deadlock, in some interleavings only.
 * The main thread sleeps in deschedule until the last worker wakes it (correctly), so a stuck
 * worker leaves every thread blocked: a deadlock a deterministic run reports.
 */
#include "test.h"
#include "thread.h"
#include "kkv.h"

#define STACK 8192
#define MAX_THREADS 8

static volatile int counter;
static int per_thread;
static int atomic_add;

static volatile int live;
static int all_done;
static int main_tid;

/* Every worker ends here: the last one wakes main (reject flag: no lost wake-up). */
static void worker_done(void)
{
    if (__atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST) == 0) {
        __atomic_store_n(&all_done, 1, __ATOMIC_SEQ_CST);
        make_runnable(main_tid);
    }
}

static void run_workers(int n, void (*fn)(void *))
{
    main_tid = gettid();
    live = n;
    all_done = 0;
    for (int i = 0; i < n; i++) {
        void *stack = thread_stack(STACK);
        check(stack != 0, "no memory for a stack");
        check(thread_spawn(stack, fn, (void *)(long)i) > 0, "thread_spawn failed");
    }
    while (!__atomic_load_n(&all_done, __ATOMIC_SEQ_CST))
        deschedule(&all_done);
}

static void count(void *arg)
{
    (void)arg;
    for (int i = 0; i < per_thread; i++) {
        if (atomic_add)
            __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
        else
            counter = counter + 1;
    }
    worker_done();
}

/* ---- a mutex from an exchange and deschedule/make_runnable ---- */

static int locked;
static int waiter;   /* the tid of a thread asleep in lock(), or 0 */
static int woken;    /* set by unlock for that thread: its deschedule's reject flag */
static int fixed;
static int rounds;
static int in_mutex;
static volatile int total;

static void lock(void)
{
    while (__atomic_exchange_n(&locked, 1, __ATOMIC_SEQ_CST) != 0) {
        __atomic_store_n(&woken, 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&waiter, gettid(), __ATOMIC_SEQ_CST);
        /* The fix: the holder may have unlocked before it could see us waiting. */
        if (fixed && __atomic_load_n(&locked, __ATOMIC_SEQ_CST) == 0)
            continue;
        deschedule(&woken);
    }
}

static void unlock(void)
{
    __atomic_exchange_n(&locked, 0, __ATOMIC_SEQ_CST);
    int w = __atomic_exchange_n(&waiter, 0, __ATOMIC_SEQ_CST);
    if (w) {
        __atomic_store_n(&woken, 1, __ATOMIC_SEQ_CST);
        make_runnable(w);
    }
}

static void take_turns(void *arg)
{
    (void)arg;
    for (int i = 0; i < rounds; i++) {
        lock();
        check(__atomic_add_fetch(&in_mutex, 1, __ATOMIC_SEQ_CST) == 1, "two threads in the mutex");
        total = total + 1;
        __atomic_sub_fetch(&in_mutex, 1, __ATOMIC_SEQ_CST);
        unlock();
    }
    worker_done();
}

/* ---- a waker and a waiter ---- */

static int ready;      /* the round the waker has announced */
static int seen;       /* the round the waiter has seen */
static int waiter_tid, waker_tid;
static int ready_flag; /* 1 while ready is ahead of seen: the fixed waiter's reject flag */
static int seen_flag;  /* 1 while seen has caught up: the waker's reject flag */

static void wait_side(void *arg)
{
    (void)arg;
    for (int r = 1; r <= rounds; r++) {
        while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < r) {
            static int never;
            /* The bug: nothing stops the deschedule if the waker's make_runnable came after the test. */
            deschedule(fixed ? &ready_flag : &never);
        }
        __atomic_store_n(&ready_flag, 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&seen, r, __ATOMIC_SEQ_CST);
        __atomic_store_n(&seen_flag, 1, __ATOMIC_SEQ_CST);
        make_runnable(waker_tid);
    }
    worker_done();
}

static void wake_side(void *arg)
{
    (void)arg;
    waker_tid = gettid();
    for (int r = 1; r <= rounds; r++) {
        __atomic_store_n(&seen_flag, 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&ready, r, __ATOMIC_SEQ_CST);
        __atomic_store_n(&ready_flag, 1, __ATOMIC_SEQ_CST);
        make_runnable(waiter_tid);
        /* Correct on this side: the reject flag closes the window. */
        while (__atomic_load_n(&seen, __ATOMIC_SEQ_CST) < r)
            deschedule(&seen_flag);
    }
    worker_done();
}

static void start_pair(void *arg)
{
    if ((long)arg == 0) {
        waiter_tid = gettid();
        wait_side(arg);
    } else {
        while (__atomic_load_n(&waiter_tid, __ATOMIC_SEQ_CST) == 0)
            yield(-1);
        wake_side(arg);
    }
}

/* ---- kkv: a blocking get racing a destroy ---- */

#define KKV_KEY 42

static void kkv_side(void *arg)
{
    if ((long)arg == 1) {
        char buf[8];
        int r = kkv_get(KKV_KEY, buf, sizeof buf, KKV_BLOCK);
        check(r == -1 && errno == EPERM, "blocking get across a destroy: returned %d with errno %d, wanted EPERM", r, errno);
    } else {
        int r = kkv_destroy(0);
        check(r == 0, "destroy: returned %d with errno %d, wanted 0 pairs removed", r, errno);
    }
    worker_done();
}

static int number(const char *s)
{
    int n = atoi(s);
    check(n > 0, "%s is not a positive number", s);
    return n;
}

int main(int argc, char *argv[])
{
    test_begin("racy");
    if (argc >= 4 && (strcmp(argv[1], "count") == 0 || strcmp(argv[1], "count-atomic") == 0)) {
        int n = number(argv[2]);
        check(n <= MAX_THREADS, "at most %d threads", MAX_THREADS);
        per_thread = number(argv[3]);
        atomic_add = strcmp(argv[1], "count-atomic") == 0;
        run_workers(n, count);
        printf("racy: counter %d of %d\n", counter, n * per_thread);
        check(counter == n * per_thread, "%d updates lost", n * per_thread - counter);
        exit(0);
    }
    if (argc >= 3 && (strcmp(argv[1], "mutex") == 0 || strcmp(argv[1], "mutex-fixed") == 0)) {
        fixed = strcmp(argv[1], "mutex-fixed") == 0;
        rounds = number(argv[2]);
        run_workers(2, take_turns);
        check(total == 2 * rounds, "total %d, not %d", total, 2 * rounds);
        printf("racy: mutex ok\n");
        exit(0);
    }
    if (argc >= 3 && (strcmp(argv[1], "desched") == 0 || strcmp(argv[1], "desched-fixed") == 0)) {
        fixed = strcmp(argv[1], "desched-fixed") == 0;
        rounds = number(argv[2]);
        run_workers(2, start_pair);
        printf("racy: desched ok\n");
        exit(0);
    }
    if (argc >= 3 && strcmp(argv[1], "kkv") == 0) {
        rounds = number(argv[2]);
        for (int round = 0; round < rounds; round++) {
            check(kkv_init(0) == 0, "kkv_init: errno %d", errno);
            run_workers(2, kkv_side);
        }
        printf("racy: kkv ok\n");
        exit(0);
    }
    fail("usage: racy count|count-atomic THREADS N | mutex|mutex-fixed ROUNDS | desched|desched-fixed ROUNDS | kkv ROUNDS");
}
