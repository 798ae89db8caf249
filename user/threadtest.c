/*
 * threadtest: threads in one process (thread_fork through thread_spawn, gettid, vanish,
 * set_status, exit).
 *   - a new thread gets a new tid, shares the pid, memory and files; gettid tells them apart
 *   - thousands of threads made, run and collected in a loop; tids are never given twice
 *   - threads on every CPU incrementing one counter with AMOs, and another under a lock of
 *     their own (compare-and-swap, yielding to the lock's owner): both exact
 *   - 64 threads alive at once
 *   - threads growing memory with sbrk at once each get pages of their own
 *   - tasks of 1, 2 and 64 threads whose threads all vanish, or all exit, at the same moment:
 *     the status is right and (the end-to-end test checks) nothing leaks
 *   threadtest limit: makes threads until the kernel refuses, then checks it recovers.
 * Prints "threadtest: ok" and exits 0 when all pass.
 */
#include "test.h"
#include "thread.h"

#define STACK 8192
#define LOOP_THREADS 2000
#define BATCH 8
#define COUNTERS 16
#define INCREMENTS 10000
#define MANY 64
#define SBRK_THREADS 4
#define SBRK_PAGES 64

/* Waits (yielding) until thread tid has vanished: yield names it no longer. */
static void await_gone(int tid)
{
    int r;
    while ((r = yield(tid)) != PEBBLES_ESRCH) {
        check(r == 0 || r == PEBBLES_ESTATE, "yield(%d) returned %d", tid, r);
        if (r != 0)
            yield(-1);
    }
}

static int spawn_or_fail(void *stack, void (*fn)(void *), void *arg)
{
    int tid = thread_spawn(stack, fn, arg);
    check(tid > 0, "thread_spawn returned %d", tid);
    return tid;
}

static void *stack_or_fail(void)
{
    void *top = thread_stack(STACK);
    check(top != 0, "no memory for a thread stack");
    return top;
}

/* Spins, yielding, until *flag is nonzero. */
static void await_flag(volatile int *flag)
{
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
        yield(-1);
}

/* ---- basics ---- */

static volatile int basic_tid, basic_pid, basic_done;
static int shared_word;

static void basic_thread(void *arg)
{
    basic_tid = gettid();
    basic_pid = getpid();
    shared_word = (int)(uintptr_t)arg;
    __atomic_store_n(&basic_done, 1, __ATOMIC_RELEASE);
}

static void basics(void)
{
    int me = gettid();
    check(me == getpid(), "the first thread's tid %d is not the pid %d", me, getpid());
    int tid = spawn_or_fail(stack_or_fail(), basic_thread, (void *)42);
    check(tid != me, "the new thread has the creator's tid %d", tid);
    await_flag(&basic_done);
    check(basic_tid == tid, "the new thread's gettid is %d, thread_fork said %d", basic_tid, tid);
    check(basic_pid == getpid(), "the new thread's pid is %d, not %d", basic_pid, getpid());
    check(shared_word == 42, "the thread's write to shared memory is not seen");
    await_gone(tid);
    check(yield(tid) == PEBBLES_ESRCH, "a vanished thread can still be yielded to");
    check(make_runnable(tid) == PEBBLES_ESRCH, "a vanished thread can still be made runnable");
    printf("threadtest: a thread has its own tid and shares the process\n");
}

/* ---- create, run and collect in a loop ---- */

static volatile int loop_ran;

static void loop_thread(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&loop_ran, 1, __ATOMIC_SEQ_CST);
}

static void create_loop(void)
{
    void *stacks[BATCH];
    for (int i = 0; i < BATCH; i++)
        stacks[i] = stack_or_fail();
    int last = gettid(), tids[BATCH];
    for (int made = 0; made < LOOP_THREADS; made += BATCH) {
        for (int i = 0; i < BATCH; i++) {
            tids[i] = spawn_or_fail(stacks[i], loop_thread, 0);
            check(tids[i] > last, "tid %d given after %d: tids must never repeat", tids[i], last);
            last = tids[i];
        }
        for (int i = 0; i < BATCH; i++)
            await_gone(tids[i]);
    }
    check(loop_ran == LOOP_THREADS, "%d of %d threads ran", loop_ran, LOOP_THREADS);
    printf("threadtest: %d threads made, run and collected; every tid new\n", LOOP_THREADS);
}

/* ---- one counter, every CPU ---- */

static volatile int counter_go;
static int atomic_counter;
static int locked_counter;
static int counter_lock;

/* The lock word holds its owner's tid; a thread that finds it taken yields to the owner, which
 * runs it next if it was preempted holding the lock (and is a plain yield if it is running). */
static void counter_thread(void *arg)
{
    (void)arg;
    int me = gettid();
    await_flag(&counter_go);
    for (int i = 0; i < INCREMENTS; i++) {
        __atomic_fetch_add(&atomic_counter, 1, __ATOMIC_RELAXED);
        int owner = 0;
        while (!__atomic_compare_exchange_n(&counter_lock, &owner, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            yield(owner);
            owner = 0;
        }
        locked_counter++;
        __atomic_store_n(&counter_lock, 0, __ATOMIC_RELEASE);
    }
}

static void counters(void)
{
    int tids[COUNTERS];
    for (int i = 0; i < COUNTERS; i++)
        tids[i] = spawn_or_fail(stack_or_fail(), counter_thread, 0);
    __atomic_store_n(&counter_go, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < COUNTERS; i++)
        await_gone(tids[i]);
    check(atomic_counter == COUNTERS * INCREMENTS, "the AMO counter is %d, expected %d", atomic_counter,
          COUNTERS * INCREMENTS);
    check(locked_counter == COUNTERS * INCREMENTS, "the locked counter is %d, expected %d", locked_counter,
          COUNTERS * INCREMENTS);
    printf("threadtest: %d threads counted to %d exactly, with AMOs and with a lock that yields to its owner\n", COUNTERS,
           COUNTERS * INCREMENTS);
}

/* ---- many at once ---- */

static volatile int many_release, many_arrived;
static int many_tids[MANY];

static void many_thread(void *arg)
{
    many_tids[(uintptr_t)arg] = gettid();
    __atomic_fetch_add(&many_arrived, 1, __ATOMIC_SEQ_CST);
    await_flag(&many_release);
}

static void many(void)
{
    int tids[MANY];
    for (int i = 0; i < MANY; i++)
        tids[i] = spawn_or_fail(stack_or_fail(), many_thread, (void *)(uintptr_t)i);
    while (__atomic_load_n(&many_arrived, __ATOMIC_ACQUIRE) < MANY)
        yield(-1);
    for (int i = 0; i < MANY; i++) {
        check(many_tids[i] == tids[i], "thread %d says its tid is %d, thread_fork said %d", i, many_tids[i], tids[i]);
        for (int j = 0; j < i; j++)
            check(tids[i] != tids[j], "threads %d and %d share tid %d", i, j, tids[i]);
    }
    __atomic_store_n(&many_release, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < MANY; i++)
        await_gone(tids[i]);
    printf("threadtest: %d threads alive at once, each with its own tid\n", MANY);
}

/* ---- sbrk from several threads ---- */

static volatile int sbrk_go;
static char *sbrk_pages[SBRK_THREADS][SBRK_PAGES];

static void sbrk_thread(void *arg)
{
    int me = (int)(uintptr_t)arg;
    await_flag(&sbrk_go);
    for (int i = 0; i < SBRK_PAGES; i++) {
        char *p = sbrk(PAGE_SIZE);
        check(p != (char *)-1, "sbrk failed in thread %d", me);
        memset(p, 'a' + me, PAGE_SIZE);
        sbrk_pages[me][i] = p;
    }
}

static void sbrk_race(void)
{
    /* A page-aligned break, so each sbrk(PAGE_SIZE) is a page of its own. */
    uintptr_t brk = (uintptr_t)sbrk(0);
    sbrk(PAGE_SIZE - brk % PAGE_SIZE);
    char *start = sbrk(0);
    int tids[SBRK_THREADS];
    void *stacks[SBRK_THREADS];
    for (int i = 0; i < SBRK_THREADS; i++)
        stacks[i] = stack_or_fail();
    start = sbrk(0);
    for (int i = 0; i < SBRK_THREADS; i++)
        tids[i] = spawn_or_fail(stacks[i], sbrk_thread, (void *)(uintptr_t)i);
    __atomic_store_n(&sbrk_go, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < SBRK_THREADS; i++)
        await_gone(tids[i]);
    char *end = sbrk(0);
    check(end - start == SBRK_THREADS * SBRK_PAGES * PAGE_SIZE, "the break grew by %ld bytes, expected %ld",
          (long)(end - start), (long)SBRK_THREADS * SBRK_PAGES * PAGE_SIZE);
    for (int t = 0; t < SBRK_THREADS; t++) {
        for (int i = 0; i < SBRK_PAGES; i++) {
            char *p = sbrk_pages[t][i];
            check(p >= start && p < end && ((uintptr_t)p % PAGE_SIZE) == 0, "thread %d got page %p", t, p);
            for (int k = 0; k < PAGE_SIZE; k += 512)
                check(p[k] == 'a' + t, "page %p of thread %d holds '%c': another thread got it too", p, t, p[k]);
        }
    }
    printf("threadtest: %d threads growing memory at once each got pages of their own\n", SBRK_THREADS);
}

/* ---- every thread of a task ends at the same moment ---- */

static volatile int race_arrived;

/* Every thread of the task (main included) arrives, waits for all, then ends as told. */
static void race_end(int threads, int how)
{
    __atomic_fetch_add(&race_arrived, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&race_arrived, __ATOMIC_ACQUIRE) < threads)
        yield(-1);
    if (how == 0)
        vanish();
    exit(100 + threads);
}

static int race_threads, race_how;

static void race_thread(void *arg)
{
    (void)arg;
    race_end(race_threads, race_how);
}

static void exit_race(int threads, int rounds, int how)
{
    for (int r = 0; r < rounds; r++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            race_threads = threads;
            race_how = how;
            set_status(threads);
            for (int i = 1; i < threads; i++)
                spawn_or_fail(stack_or_fail(), race_thread, 0);
            race_end(threads, how);
        }
        expect_exit(pid, how == 0 ? threads : 100 + threads, how == 0 ? "all threads vanishing" : "all threads exiting");
    }
    printf("threadtest: tasks of %d thread%s all %s at once, %d times\n", threads, threads == 1 ? "" : "s",
           how == 0 ? "vanishing" : "exiting", rounds);
}

/* ---- the thread limit ---- */

static volatile int limit_release;

static void limit_thread(void *arg)
{
    (void)arg;
    await_flag(&limit_release);
}

#define LIMIT_STACK 1024
#define LIMIT_MAX 20000

static void limit(void)
{
    /* Small stacks from one region: the threads only wait. */
    static int tids[LIMIT_MAX];
    int n = 0, r = 0;
    char *stacks = 0;
    for (; n < LIMIT_MAX; n++) {
        if (n % 256 == 0) {
            stacks = sbrk(256 * LIMIT_STACK);
            check(stacks != (char *)-1, "out of memory for stacks after %d threads", n);
        }
        r = thread_spawn(stacks + (n % 256 + 1) * LIMIT_STACK, limit_thread, 0);
        if (r < 0)
            break;
        tids[n] = r;
    }
    check(n > 0 && n < LIMIT_MAX, "made %d threads without the kernel refusing", n);
    check(r == PEBBLES_ENOMEM, "a thread over the limit gave %d, expected PEBBLES_ENOMEM", r);
    printf("threadtest: the kernel refused thread %d\n", n + 1);
    __atomic_store_n(&limit_release, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < n; i++)
        await_gone(tids[i]);
    int again = thread_spawn(stack_or_fail(), loop_thread, 0);
    check(again > 0, "no thread could be made after the others vanished (%d)", again);
    await_gone(again);
    printf("threadtest: after they vanished, threads could be made again\n");
}

int main(int argc, char **argv)
{
    test_begin("threadtest");
    if (argc > 1 && strcmp(argv[1], "limit") == 0) {
        limit();
    } else {
        basics();
        create_loop();
        counters();
        many();
        sbrk_race();
        exit_race(1, 20, 0);
        exit_race(2, 20, 0);
        exit_race(64, 4, 0);
        exit_race(2, 20, 1);
        exit_race(64, 4, 1);
    }
    printf("threadtest: ok\n");
    return 0;
}
