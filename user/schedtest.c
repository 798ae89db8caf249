/*
 * schedtest: the Pebbles scheduler calls.
 *   - yield: -1 and one's own tid yield; a runnable thread is run; a sleeping or descheduled
 *     thread is refused (PEBBLES_ESTATE), a tid that is not a live thread too (PEBBLES_ESRCH)
 *   - deschedule: a nonzero reject returns at once, a bad pointer is PEBBLES_EFAULT, a
 *     descheduled thread stays so until make_runnable, which refuses threads not descheduled
 *   - deschedule and make_runnable racing on different CPUs for many rounds: no wake-up lost
 *   - kill ends a task whose threads are descheduled, promptly
 *   - sleep: negative ticks are an error and 0 returns at once; threads sleeping different
 *     numbers of ticks wake in order and never early; get_ticks moves with sleep
 *   - misbehave: an unknown mode is refused; the race and thread creation run right under
 *     every mode
 *   schedtest race N: only the race, N rounds (a soak: millions of rounds take minutes).
 * Prints "schedtest: ok" and exits 0 when all pass.
 */
#include "test.h"
#include "thread.h"

#define STACK 8192
#define RACE_ROUNDS 20000
/* A round that makes no progress for this long lost a wake-up. */
#define STUCK_TICKS 500
#define SLEEPERS 6
#define SLEEP_STEP 10
#define MODES 5

static void *stack_or_fail(void)
{
    void *top = thread_stack(STACK);
    check(top != 0, "no memory for a thread stack");
    return top;
}

static int spawn_or_fail(void (*fn)(void *), void *arg)
{
    int tid = thread_spawn(stack_or_fail(), fn, arg);
    check(tid > 0, "thread_spawn returned %d", tid);
    return tid;
}

static void await_gone(int tid)
{
    int r;
    while ((r = yield(tid)) != PEBBLES_ESRCH) {
        check(r == 0 || r == PEBBLES_ESTATE, "yield(%d) returned %d", tid, r);
        if (r != 0)
            yield(-1);
    }
}

/* Yields until yield(tid) gives want (the thread has reached the state that answers so). */
static void await_yield_result(int tid, int want, const char *state)
{
    unsigned start = get_ticks();
    int r;
    while ((r = yield(tid)) != want) {
        check(get_ticks() - start < STUCK_TICKS, "yield to a thread %s still gives %d, expected %d", state, r, want);
        yield(-1);
    }
}

/* ---- yield to each state ---- */

static volatile int spin_count, spin_stop;

static void spinner(void *arg)
{
    (void)arg;
    while (!spin_stop)
        __atomic_fetch_add(&spin_count, 1, __ATOMIC_RELAXED);
}

static void long_sleeper(void *arg)
{
    (void)arg;
    pebbles_sleep(100000); /* ended by the test's exit */
}

static volatile int desched_reject, desched_woken;

static void descheduler(void *arg)
{
    (void)arg;
    check(deschedule((int *)&desched_reject) == 0, "deschedule returned an error");
    __atomic_store_n(&desched_woken, 1, __ATOMIC_RELEASE);
}

static void yield_states(void)
{
    check(yield(-1) == 0, "yield(-1) failed");
    check(yield(gettid()) == 0, "yield to oneself failed");
    check(yield(0) == PEBBLES_ESRCH, "yield(0) did not say no such thread");
    check(yield(-2) == PEBBLES_ESRCH, "yield(-2) did not say no such thread");
    check(yield(0x7fffffff) == PEBBLES_ESRCH, "yield to a tid never given did not say no such thread");

    int spin = spawn_or_fail(spinner, 0);
    for (int i = 0; i < 100; i++)
        check(yield(spin) == 0, "yield to a runnable thread failed");
    int seen = spin_count;
    unsigned start = get_ticks();
    while (spin_count == seen) {
        check(get_ticks() - start < STUCK_TICKS, "the thread yielded to never ran");
        yield(spin);
    }
    spin_stop = 1;
    await_gone(spin);
    check(yield(spin) == PEBBLES_ESRCH, "yield to a vanished thread did not say no such thread");

    int sleeper = spawn_or_fail(long_sleeper, 0);
    await_yield_result(sleeper, PEBBLES_ESTATE, "asleep");

    int desched = spawn_or_fail(descheduler, 0);
    await_yield_result(desched, PEBBLES_ESTATE, "descheduled");
    check(!desched_woken, "the descheduled thread ran on before make_runnable");
    check(make_runnable(desched) == 0, "make_runnable of a descheduled thread failed");
    while (!__atomic_load_n(&desched_woken, __ATOMIC_ACQUIRE))
        yield(-1);
    int r = make_runnable(desched);
    check(r == PEBBLES_ESTATE || r == PEBBLES_ESRCH, "make_runnable of a thread no longer descheduled gave %d", r);
    await_gone(desched);
    printf("schedtest: yield runs runnable threads and refuses sleeping, descheduled and missing ones\n");
}

/* ---- deschedule's arguments ---- */

static void deschedule_arguments(void)
{
    int one = 1;
    check(deschedule(&one) == 0, "deschedule with a nonzero reject did not return 0");
    check(deschedule((int *)first_unmapped()) == PEBBLES_EFAULT, "deschedule of an unmapped reject flag did not fail");
    check(deschedule((int *)(1UL << 40)) == PEBBLES_EFAULT, "deschedule of a reject flag above user space did not fail");
    check(make_runnable(gettid()) == PEBBLES_ESTATE, "make_runnable of a running thread did not refuse");
    check(make_runnable(0) == PEBBLES_ESRCH, "make_runnable(0) did not say no such thread");
    check(make_runnable(0x7fffffff) == PEBBLES_ESRCH, "make_runnable of a tid never given did not say no such thread");
    printf("schedtest: deschedule and make_runnable check their arguments\n");
}

/* ---- the race ---- */

static volatile int race_turn, race_done;
static int race_reject;
static int race_rounds;

/* The waiter: each round clears the flag, says so (a new turn), and deschedules itself. */
static void race_waiter(void *arg)
{
    (void)arg;
    for (int i = 0; i < race_rounds; i++) {
        __atomic_store_n(&race_reject, 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&race_turn, i + 1, __ATOMIC_SEQ_CST);
        check(deschedule(&race_reject) == 0, "deschedule failed in round %d", i);
    }
    __atomic_store_n(&race_done, 1, __ATOMIC_SEQ_CST);
}

/*
 * The waker (the caller): each time the waiter starts a round, it sets the flag and makes the
 * waiter runnable. The waiter may not have descheduled yet (then it sees the flag and
 * returns), may be on its way in, or may be descheduled. A wake-up lost in any of those leaves
 * it descheduled for good, and no new round starts. (A make_runnable that comes late may end
 * the waiter's next round instead, which is allowed, so the waker follows whatever round the
 * waiter is in rather than counting rounds itself.)
 */
static void race(int rounds, int quiet)
{
    race_rounds = rounds;
    race_turn = 0;
    race_done = 0;
    int woken = 0, early = 0, seen = 0;
    int waiter = spawn_or_fail(race_waiter, 0);
    while (!__atomic_load_n(&race_done, __ATOMIC_SEQ_CST)) {
        unsigned start = get_ticks();
        int turn;
        while ((turn = __atomic_load_n(&race_turn, __ATOMIC_SEQ_CST)) == seen) {
            if (__atomic_load_n(&race_done, __ATOMIC_SEQ_CST))
                break;
            if (get_ticks() - start > STUCK_TICKS)
                fail("lost wake-up: the waiter stayed descheduled in round %d", seen);
            yield(-1);
        }
        if (turn == seen)
            break;
        seen = turn;
        __atomic_store_n(&race_reject, 1, __ATOMIC_SEQ_CST);
        int r = make_runnable(waiter);
        if (r == 0)
            woken++;
        else if (r == PEBBLES_ESTATE || r == PEBBLES_ESRCH)
            early++;
        else
            fail("make_runnable returned %d in round %d", r, seen);
    }
    await_gone(waiter);
    if (!quiet)
        printf("schedtest: %d deschedule/make_runnable rounds, no wake-up lost\n", rounds);
    else
        printf("schedtest: race of %d rounds: %d woke a thread, %d found it not yet descheduled\n", rounds, woken, early);
}

/* ---- kill and deschedule ---- */

static int zero;

static void desched_forever(void *arg)
{
    (void)arg;
    deschedule(&zero);
}

static void kill_descheduled(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        spawn_or_fail(desched_forever, 0);
        spawn_or_fail(desched_forever, 0);
        deschedule(&zero);
        exit(3);
    }
    sleep(2);
    unsigned start = get_ticks();
    check(kill(pid) == 0, "kill of a descheduled task failed");
    expect_exit(pid, -1, "a killed task whose threads were descheduled");
    check(get_ticks() - start < 100, "the descheduled task took %u ticks to die", get_ticks() - start);
    printf("schedtest: kill ends a task whose threads are descheduled\n");
}

/* ---- sleep ---- */

static volatile int sleep_go, sleep_done;
static int sleep_order[SLEEPERS];
static unsigned sleep_start[SLEEPERS], sleep_woke[SLEEPERS];

static void sleeper(void *arg)
{
    int me = (int)(uintptr_t)arg;
    while (!__atomic_load_n(&sleep_go, __ATOMIC_ACQUIRE))
        yield(-1);
    sleep_start[me] = get_ticks();
    check(pebbles_sleep((SLEEPERS - me) * SLEEP_STEP) == 0, "sleep failed in thread %d", me);
    sleep_woke[me] = get_ticks();
    sleep_order[__atomic_fetch_add(&sleep_done, 1, __ATOMIC_SEQ_CST)] = me;
}

static void sleeping(void)
{
    check(pebbles_sleep(-1) == PEBBLES_EINVAL, "sleep(-1) was not refused");
    unsigned t0 = get_ticks();
    check(pebbles_sleep(0) == 0, "sleep(0) failed");
    check(pebbles_sleep(3) == 0, "sleep(3) failed");
    unsigned t1 = get_ticks();
    check(t1 - t0 >= 3, "sleep(3) returned after %u ticks", t1 - t0);

    int tids[SLEEPERS];
    for (int i = 0; i < SLEEPERS; i++)
        tids[i] = spawn_or_fail(sleeper, (void *)(uintptr_t)i);
    __atomic_store_n(&sleep_go, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < SLEEPERS; i++)
        await_gone(tids[i]);
    for (int i = 0; i < SLEEPERS; i++) {
        int n = (SLEEPERS - i) * SLEEP_STEP;
        check(sleep_woke[i] - sleep_start[i] >= (unsigned)n, "thread %d woke after %u ticks of a %d-tick sleep", i,
              sleep_woke[i] - sleep_start[i], n);
        check(sleep_order[i] == SLEEPERS - 1 - i, "the %dth to wake was thread %d, expected %d", i, sleep_order[i],
              SLEEPERS - 1 - i);
    }
    printf("schedtest: %d threads sleeping %d..%d ticks woke in order, none early\n", SLEEPERS, SLEEP_STEP,
           SLEEPERS * SLEEP_STEP);
}

/* ---- misbehave ---- */

static volatile int child_ran;

static void quick(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&child_ran, 1, __ATOMIC_SEQ_CST);
}

static void misbehaving(void)
{
    /* misbehave is void in the Pebbles interface; the kernel still answers in a0. */
    int (*misbehave_status)(int) = (int (*)(int))misbehave;
    check(misbehave_status(MODES) == PEBBLES_EINVAL, "an unknown misbehave mode was accepted");
    check(misbehave_status(-1) == PEBBLES_EINVAL, "misbehave(-1) was accepted");
    for (int mode = 0; mode < MODES; mode++) {
        check(misbehave_status(mode) == 0, "misbehave(%d) was refused", mode);
        race(500, 0);
        child_ran = 0;
        for (int i = 0; i < 20; i++)
            await_gone(spawn_or_fail(quick, 0));
        check(child_ran == 20, "under mode %d only %d of 20 threads ran", mode, child_ran);
        int pid = fork_or_fail();
        if (pid == 0)
            exit(mode + 10);
        expect_exit(pid, mode + 10, "a child forked under misbehave");
        printf("schedtest: misbehave(%d): the race, threads and fork run right\n", mode);
    }
    misbehave(0);
}

int main(int argc, char **argv)
{
    test_begin("schedtest");
    if (argc > 2 && strcmp(argv[1], "race") == 0) {
        race(atoi(argv[2]), 1);
    } else {
        yield_states();
        deschedule_arguments();
        race(RACE_ROUNDS, 0);
        kill_descheduled();
        sleeping();
        misbehaving();
    }
    printf("schedtest: ok\n");
    return 0;
}
