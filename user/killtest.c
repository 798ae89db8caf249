/*
 * killtest: kill.
 *   - a child spinning in user mode dies with status -1; so do several at once
 *   - a child sleeping in sleep(1000) dies promptly, long before its sleep would end
 *   - a child blocked in wait dies promptly too
 *   - a process that kills itself runs no further
 *   - kill of a pid that does not exist, or no longer does, returns -1
 *   - kill of pid 1 (the reaper under osprey run, init under osprey boot) returns -1 and
 *     changes nothing: the run still ends with this program's status
 * Prints "killtest: ok" and exits 0 when all pass.
 */
#include "test.h"

#define SPINNERS 4
/* "Promptly": a killed sleeper must be gone in far less than the sleep it was in. */
#define LONG_SLEEP 1000
#define PROMPT_TICKS 100

static void __attribute__((noreturn)) spin(void)
{
    volatile unsigned long n = 0;
    for (;;)
        n++;
}

static void kill_or_fail(int pid)
{
    check(kill(pid) == 0, "kill(%d) of a live child returned -1", pid);
}

static void kill_spinners(void)
{
    int pids[SPINNERS];
    for (int i = 0; i < SPINNERS; i++) {
        pids[i] = fork_or_fail();
        if (pids[i] == 0)
            spin();
    }
    sleep(1); /* let them reach user mode; the kill must work either way */
    for (int i = 0; i < SPINNERS; i++)
        kill_or_fail(pids[i]);
    collect_children(SPINNERS, -1, "a killed spinner");
    printf("killtest: %d spinning children killed\n", SPINNERS);
}

/* Kills pid, which is blocked somewhere, and checks it is gone within PROMPT_TICKS. */
static void kill_blocked(int pid, const char *where)
{
    sleep(2); /* let it block first */
    int start = uptime();
    kill_or_fail(pid);
    int status = wait_for(pid);
    int took = uptime() - start;
    check(status == -1, "child killed in %s exited with %d, expected -1", where, status);
    check(took < PROMPT_TICKS, "child killed in %s took %d ticks to die", where, took);
    printf("killtest: child killed in %s died promptly\n", where);
}

static void kill_sleeper(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        sleep(LONG_SLEEP);
        exit(0);
    }
    kill_blocked(pid, "sleep");
}

/* The child waits for a grandchild that sleeps for a long time; kill must end the wait. */
static void kill_waiter(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        int grandchild = fork();
        if (grandchild == 0) {
            sleep(3 * PROMPT_TICKS);
            exit(0);
        }
        wait(NULL);
        exit(0);
    }
    kill_blocked(pid, "wait");
}

static void kill_self(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        kill(getpid());
        printf("FAIL: killtest: a process ran on after killing itself\n");
        exit(1);
    }
    expect_exit(pid, -1, "a child that killed itself");
    printf("killtest: a process that kills itself stops\n");
}

static void kill_missing(void)
{
    check(kill(99999) == -1, "kill of pid 99999 did not return -1");
    int pid = fork_or_fail();
    if (pid == 0)
        exit(0);
    expect_exit(pid, 0, "short-lived child");
    check(kill(pid) == -1, "kill of pid %d, already collected, did not return -1", pid);
    printf("killtest: kill of a missing pid returns -1\n");
}

static void kill_init(void)
{
    check(kill(1) == -1, "kill(1) did not return -1");
    /* The reaper (or init) still collects this child: its wait was not ended by the kill. */
    int pid = fork_or_fail();
    if (pid == 0)
        exit(7);
    expect_exit(pid, 7, "a child after kill(1)");
    printf("killtest: kill of pid 1 is refused\n");
}

int main(void)
{
    test_begin("killtest");
    kill_spinners();
    kill_sleeper();
    kill_waiter();
    kill_self();
    kill_missing();
    kill_init();
    printf("killtest: ok\n");
    return 0;
}
