/*
 * mutex_destroy (15-410's mutex_destroy_test): destroying a locked mutex, a condition
 * variable with a waiter, or a semaphore with a waiter is a bug the library reports: it
 * prints why and ends the task (status -1). Each case runs in a child task; the parent checks
 * the child's status. Destroying them idle is fine, and a destroyed mutex can be initialised
 * again.
 */
#include "thrtest.h"

static mutex_t m;
static cond_t cv;
static sem_t sem;

static void *cond_waiter(void *arg)
{
    mutex_lock(&m);
    cond_wait(&cv, &m);
    mutex_unlock(&m);
    return NULL;
}

static void *sem_waiter(void *arg)
{
    sem_wait(&sem);
    return NULL;
}

/* Runs the misuse in a child; it must end with status -1 (the library's panic). */
static void expect_panic(int which, const char *what)
{
    int pid = fork();
    CHECK(pid >= 0, "fork failed: %d", pid);
    if (pid == 0) {
        switch (which) {
        case 0:
            mutex_lock(&m);
            mutex_destroy(&m);
            break;
        case 1:
            CHECK(thr_create(cond_waiter, NULL) > 0, "thr_create failed");
            for (;;) {
                mutex_lock(&m);
                int queued = cv.head != NULL;
                mutex_unlock(&m);
                if (queued)
                    break;
                thr_yield(-1);
            }
            cond_destroy(&cv);
            break;
        case 2:
            CHECK(thr_create(sem_waiter, NULL) > 0, "thr_create failed");
            for (;;) {
                mutex_lock(&sem.lock);
                int waiting = sem.waiting;
                mutex_unlock(&sem.lock);
                if (waiting)
                    break;
                thr_yield(-1);
            }
            sem_destroy(&sem);
            break;
        }
        /* The destroy should not have returned. */
        set_status(0);
        task_vanish(0);
    }
    int status = 0;
    CHECK(wait(&status) == pid, "wait did not return the child");
    CHECK(status == -1, "%s: the child's status is %d, not -1", what, status);
    REPORT_MISC("%s: refused", what);
}

int main(int argc, char *argv[])
{
    thrtest_start("mutex_destroy", argc, argv, THRTEST_STACK);
    CHECK(mutex_init(&m) == 0 && cond_init(&cv) == 0 && sem_init(&sem, 0) == 0, "init failed");
    expect_panic(0, "destroying a locked mutex");
    expect_panic(1, "destroying a condition variable with a waiter");
    expect_panic(2, "destroying a semaphore with a waiter");
    /* Idle, they go quietly; a destroyed mutex can be made again. */
    mutex_lock(&m);
    mutex_unlock(&m);
    mutex_destroy(&m);
    cond_destroy(&cv);
    sem_destroy(&sem);
    CHECK(mutex_init(&m) == 0, "mutex_init after destroy failed");
    mutex_lock(&m);
    mutex_unlock(&m);
    mutex_destroy(&m);
    report_success();
}
