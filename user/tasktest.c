/*
 * tasktest: xv6's process calls in a task with many threads, and how tasks end.
 *   - fork from a thread that is not the first copies the calling thread only
 *   - exit from one thread ends every thread (spinning on other CPUs, asleep, descheduled,
 *     blocked in a pipe read) promptly, with the exit status; so does task_vanish
 *   - the first thread vanishing leaves the task running; the last thread's vanish ends it
 *     with the status set_status last set
 *   - kill ends every thread of a task
 *   - exec from a thread ends the other threads first; a failed exec ends none
 *   - wait is per task: two threads waiting at once collect different children; Pebbles'
 *     wait returns the pid and stores the status (or not, for NULL), refuses a bad pointer
 *     without losing the child, and says when there are no children
 *   - a fault in one thread of an xv6 task kills the task (-1); under the Pebbles
 *     personality (pebfault) it kills the thread and the task's status becomes -2
 * Prints "tasktest: ok" and exits 0 when all pass.
 */
#include "test.h"
#include "thread.h"

#define STACK 8192
/* "Promptly": far sooner than the 100000-tick sleeps the threads are in. */
#define PROMPT_TICKS 300

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
    while (yield(tid) != PEBBLES_ESRCH)
        yield(-1);
}

/* ---- threads that keep a task busy in every way a thread can wait ---- */

static volatile long spins[4];
static int zero_flag;
static int pipe_fds[2];

static void spin_thread(void *arg)
{
    volatile long *counter = &spins[(uintptr_t)arg];
    for (;;)
        (*counter)++;
}

static void sleep_thread(void *arg)
{
    (void)arg;
    pebbles_sleep(100000);
    exit(90); /* only if the sleep was not ended */
}

static void desched_thread(void *arg)
{
    (void)arg;
    deschedule(&zero_flag);
    exit(91);
}

static void pipe_thread(void *arg)
{
    (void)arg;
    char c;
    read(pipe_fds[0], &c, 1);
    exit(92);
}

/* Starts a spinner on each of a few CPUs, a sleeper, a descheduled thread and a pipe reader. */
static void busy_task(void)
{
    check(pipe(pipe_fds) == 0, "pipe failed");
    for (uintptr_t i = 0; i < 4; i++)
        spawn_or_fail(spin_thread, (void *)i);
    spawn_or_fail(sleep_thread, 0);
    spawn_or_fail(desched_thread, 0);
    spawn_or_fail(pipe_thread, 0);
    while (spins[0] == 0 || spins[1] == 0)
        yield(-1);
    pebbles_sleep(2); /* let the others reach their waits */
}

/* ---- fork ---- */

static volatile int fork_child_pid;

static void forking_thread(void *arg)
{
    (void)arg;
    int pid = fork();
    if (pid == 0) {
        /* The child has only this thread: its tid is the new pid, and the spinners' counters
         * (copied) stand still. */
        check(gettid() == getpid(), "the forked child's thread %d is not its first thread (pid %d)", gettid(), getpid());
        long before = spins[0] + spins[1];
        pebbles_sleep(5);
        check(spins[0] + spins[1] == before, "threads other than the caller ran in the forked child");
        exit(5);
    }
    fork_child_pid = pid;
}

static void fork_in_threads(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        busy_task();
        int forker = spawn_or_fail(forking_thread, 0);
        await_gone(forker);
        check(fork_child_pid > 0, "fork from a thread failed");
        expect_exit(fork_child_pid, 5, "a child forked by a thread that was not the first");
        exit(6);
    }
    expect_exit(pid, 6, "the task that forked from a thread");
    printf("tasktest: fork from a thread copies only that thread\n");
}

/* ---- exit and task_vanish ---- */

static void ender(void *arg)
{
    pebbles_sleep(1);
    if ((uintptr_t)arg == 0)
        exit(33);
    task_vanish(44);
}

static void end_from_a_thread(int how, int status)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        busy_task();
        spawn_or_fail(ender, (void *)(uintptr_t)how);
        for (;;)
            spins[3]++;
    }
    unsigned start = get_ticks();
    expect_exit(pid, status, how == 0 ? "exit from one thread" : "task_vanish from one thread");
    check(get_ticks() - start < PROMPT_TICKS, "the task took %u ticks to end", get_ticks() - start);
    printf("tasktest: %s from one thread ends every thread, with its status\n", how == 0 ? "exit" : "task_vanish");
}

/* ---- the first thread vanishes first ---- */

static volatile int survivors_go;

static void survivor(void *arg)
{
    while (!survivors_go)
        yield(-1);
    check(getpid() == (int)(uintptr_t)arg, "getpid changed after the first thread vanished");
    if (__atomic_add_fetch(&survivors_go, 1, __ATOMIC_SEQ_CST) == 4)
        set_status(12); /* the last one to arrive sets the status... */
    while (survivors_go < 4)
        yield(-1);
    vanish(); /* ...and the last one out ends the task with it */
}

static void first_vanishes(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        for (int i = 0; i < 3; i++)
            spawn_or_fail(survivor, (void *)(uintptr_t)getpid());
        set_status(99);
        survivors_go = 1;
        vanish();
    }
    expect_exit(pid, 12, "a task whose first thread vanished first");
    printf("tasktest: the task outlives its first thread; the last vanish ends it with set_status's status\n");
}

/* ---- kill ---- */

static void kill_threads(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        busy_task();
        for (;;)
            spins[3]++;
    }
    sleep(3);
    unsigned start = get_ticks();
    check(kill(pid) == 0, "kill of a task with threads failed");
    expect_exit(pid, -1, "a killed task with threads");
    check(get_ticks() - start < PROMPT_TICKS, "the killed task took %u ticks to end", get_ticks() - start);
    printf("tasktest: kill ends every thread of a task\n");
}

/* ---- exec ---- */

static volatile int exec_result = 1;

static void execer(void *arg)
{
    char *argv[] = {(char *)arg, "21", 0};
    exec_result = exec(argv[0], argv);
    /* Only a failed exec comes back. */
}

static void exec_from_a_thread(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        busy_task();
        /* A failed exec ends nothing. */
        int t = spawn_or_fail(execer, "no-such-program");
        await_gone(t);
        check(exec_result == -1, "exec of a missing program returned %d", exec_result);
        long before = spins[0] + spins[1] + spins[2];
        unsigned start = get_ticks();
        while (spins[0] + spins[1] + spins[2] == before) {
            check(get_ticks() - start < PROMPT_TICKS, "a failed exec stopped the other threads");
            yield(-1);
        }
        /* A good one ends them all and runs alone. */
        spawn_or_fail(execer, "exitcode");
        for (;;)
            spins[3]++;
    }
    expect_exit(pid, 21, "exec from a thread of a busy task");
    printf("tasktest: exec from a thread ends the other threads; a failed exec ends none\n");
}

/* ---- wait ---- */

static volatile int waited[2], waited_status[2], waits_done;

static void waiter_thread(void *arg)
{
    int me = (int)(uintptr_t)arg;
    int status;
    waited[me] = wait(&status);
    waited_status[me] = status;
    __atomic_fetch_add(&waits_done, 1, __ATOMIC_SEQ_CST);
}

static void waiting(void)
{
    int a = fork_or_fail();
    if (a == 0) {
        pebbles_sleep(3);
        exit(41);
    }
    int b = fork_or_fail();
    if (b == 0) {
        pebbles_sleep(3);
        exit(42);
    }
    spawn_or_fail(waiter_thread, (void *)0);
    spawn_or_fail(waiter_thread, (void *)1);
    while (waits_done < 2)
        yield(-1);
    check(waited[0] != waited[1], "two threads collected the same child %d", waited[0]);
    for (int i = 0; i < 2; i++) {
        check(waited[i] == a || waited[i] == b, "a thread's wait returned %d", waited[i]);
        check(waited_status[i] == (waited[i] == a ? 41 : 42), "child %d's status was %d", waited[i], waited_status[i]);
    }
    check(wait(0) == -1, "wait found a child after both were collected");

    int c = fork_or_fail();
    if (c == 0)
        exit(17);
    check(pebbles_wait((int *)(1UL << 40)) == PEBBLES_EFAULT, "Pebbles wait with a bad status pointer did not fail");
    int status = 0;
    check(pebbles_wait(&status) == c, "Pebbles wait did not return the child's pid");
    check(status == 17, "Pebbles wait stored status %d, expected 17", status);
    int d = fork_or_fail();
    if (d == 0)
        exit(18);
    check(pebbles_wait(0) == d, "Pebbles wait with a NULL status did not return the child's pid");
    check(pebbles_wait(&status) == PEBBLES_ECHILD, "Pebbles wait with no children did not say so");
    printf("tasktest: wait is per task; Pebbles' wait returns the pid and the status\n");
}

/* ---- faults ---- */

static void faulting_thread(void *arg)
{
    (void)arg;
    pebbles_sleep(1);
    volatile int *bad = (volatile int *)first_unmapped();
    *bad = 1;
}

static void faults(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        busy_task();
        spawn_or_fail(faulting_thread, 0);
        for (;;)
            spins[3]++;
    }
    expect_exit(pid, -1, "an xv6 task with a faulting thread");

    pid = fork_or_fail();
    if (pid == 0) {
        char *argv[] = {"pebfault", 0};
        exec("pebfault", argv);
        exit(127);
    }
    expect_exit(pid, -2, "a Pebbles task with a faulting thread");
    printf("tasktest: a fault kills an xv6 task (-1), and only the thread of a Pebbles task (-2)\n");
}

int main(void)
{
    test_begin("tasktest");
    fork_in_threads();
    end_from_a_thread(0, 33);
    end_from_a_thread(1, 44);
    first_vanishes();
    kill_threads();
    exec_from_a_thread();
    waiting();
    faults();
    printf("tasktest: ok\n");
    return 0;
}
