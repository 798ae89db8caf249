/* thr_exit_race: the moment a thread is gone from its stack. Rounds of short-lived threads,
 * each joined at once, so the joiner frees (remove_pages) a stack the moment thr_join lets
 * it, and the slot is mapped again for the next thread; meanwhile a signaller keeps SIGUSR1
 * pending, which only the workers take, with a handler that uses the stack. A joiner that
 * freed a stack its thread still ran on (or returned to: the last instructions of thr_exit,
 * a signal handler entered there) would kill the task with a fault, write a handler's frame
 * into another thread's new stack, or corrupt the record it frees. Each worker fills its
 * stack with a pattern and checks it, so a stack written by someone else is seen.
 * Usage: thr_exit_race [misbehave mode] [rounds]. */
#include <report.h>
#include <signal.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define WORKERS 6
#define PATTERN_WORDS 256

static volatile int done;
static volatile int handled;
static int task_pid;

/* Uses a little of whatever stack it runs on, as any handler does. */
static void on_usr1(int sig)
{
    volatile unsigned long scratch[32];
    unsigned long sum = 0;
    for (int i = 0; i < 32; i++)
        scratch[i] = (unsigned long)sig * i;
    for (int i = 0; i < 32; i++)
        sum += scratch[i];
    REPORT_CHECK(sum == (unsigned long)sig * 496, "a handler's stack changed under it");
    __atomic_fetch_add(&handled, 1, __ATOMIC_RELAXED);
}

static void *signaller(void *arg)
{
    /* One pending at a time: it is taken at some worker's next return to user mode. */
    while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        if ((sigpending() & SIGBIT(SIGUSR1)) == 0)
            sigsend(task_pid, SIGUSR1);
        yield(-1);
    }
    return arg;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    sigprocmask(SIG_UNBLOCK, SIGBIT(SIGUSR1));
    volatile unsigned long pattern[PATTERN_WORDS];
    for (int i = 0; i < PATTERN_WORDS; i++)
        pattern[i] = (unsigned long)id * 0x9e3779b97f4a7c15UL + i;
    yield(-1);
    for (int i = 0; i < PATTERN_WORDS; i++)
        REPORT_CHECK(pattern[i] == (unsigned long)id * 0x9e3779b97f4a7c15UL + i,
                     "worker %ld: its stack was written at word %d", id, i);
    return (void *)(id * 3 + 1);
}

int main(int argc, char *argv[])
{
    REPORT_LOCAL_INIT("thr_exit_race");
    REPORT_START_CMPLT;
    int mode = argc > 1 ? atoi(argv[1]) : 0;
    int rounds = argc > 2 ? atoi(argv[2]) : 150;
    REPORT_CHECK(thr_init(8 * 1024) == 0, "thr_init failed");
    if (mode != 0) {
        misbehave(mode);
        REPORT_MISC("misbehave mode %d", mode);
    }
    task_pid = gettid();
    REPORT_CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal(SIGUSR1) failed");
    /* The workers unblock it for themselves; the signaller and this thread never take it. */
    sigprocmask(SIG_BLOCK, SIGBIT(SIGUSR1));
    int sender = thr_create(signaller, NULL);
    REPORT_CHECK(sender > 0, "thr_create(signaller) failed: %d", sender);

    long next = 1;
    for (int r = 0; r < rounds; r++) {
        int tids[WORKERS];
        long ids[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            ids[i] = next++;
            tids[i] = thr_create(worker, (void *)ids[i]);
            REPORT_CHECK(tids[i] > 0, "round %d: thr_create failed: %d", r, tids[i]);
        }
        for (int i = 0; i < WORKERS; i++) {
            void *status;
            int j = thr_join(tids[i], &status);
            REPORT_CHECK(j == 0, "round %d: thr_join(%d) returned %d", r, tids[i], j);
            REPORT_CHECK(status == (void *)(ids[i] * 3 + 1), "round %d: thread %d's status is %p", r, tids[i], status);
        }
    }
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    REPORT_CHECK(thr_join(sender, NULL) == 0, "thr_join(signaller) failed");
    REPORT_MISC("%ld threads joined; %d signals handled", next - 1, __atomic_load_n(&handled, __ATOMIC_RELAXED));
    REPORT_CHECK(handled > 0, "no worker took a signal: the test tested nothing");
    report_success();
}
