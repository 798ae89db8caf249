/*
 * Condition variables. cond_wait queues the caller under the guard *before* it gives up the
 * mutex, so a signal sent by anyone who takes the mutex afterwards finds it on the queue:
 * no lost wake-up. Signals wake waiters in the order they started waiting.
 */
#include "cond.h"
#include "mutex.h"
#include "thr_internals.h"

int cond_init(cond_t *cv)
{
    if (cv == NULL)
        return -1;
    cv->guard = 0;
    cv->head = cv->tail = NULL;
    cv->magic = COND_MAGIC;
    return 0;
}

static void check_live(cond_t *cv, const char *what)
{
    if (cv->magic != COND_MAGIC) {
        thr_guard_drop(&cv->guard);
        thr_panic("%s(%p): the condition variable is not initialised (or was destroyed)", what, (void *)cv);
    }
}

void cond_destroy(cond_t *cv)
{
    thr_guard_take(&cv->guard);
    check_live(cv, "cond_destroy");
    if (cv->head != NULL) {
        int tid = cv->head->tid;
        thr_guard_drop(&cv->guard);
        thr_panic("cond_destroy(%p): thread %d is waiting on it", (void *)cv, tid);
    }
    cv->magic = 0;
    thr_guard_drop(&cv->guard);
}

void cond_wait(cond_t *cv, mutex_t *mp)
{
    if (!thr_mutex_held_by_me(mp))
        thr_panic("cond_wait(%p, %p): the caller does not hold the mutex", (void *)cv, (void *)mp);
    struct thr_waiter w = { .tid = gettid(), .reject = 0, .self = thr_self(), .next = NULL };
    thr_guard_take(&cv->guard);
    check_live(cv, "cond_wait");
    if (cv->tail)
        cv->tail->next = &w;
    else
        cv->head = &w;
    cv->tail = &w;
    thr_guard_drop(&cv->guard);
    mutex_unlock(mp);
    thr_wait_for_wakeup(&w);
    mutex_lock(mp);
}

void cond_signal(cond_t *cv)
{
    thr_guard_take(&cv->guard);
    check_live(cv, "cond_signal");
    struct thr_waiter *w = cv->head;
    if (w != NULL) {
        cv->head = w->next;
        if (cv->head == NULL)
            cv->tail = NULL;
    }
    thr_guard_drop(&cv->guard);
    if (w != NULL)
        thr_wake(w);
}

void cond_broadcast(cond_t *cv)
{
    thr_guard_take(&cv->guard);
    check_live(cv, "cond_broadcast");
    struct thr_waiter *w = cv->head;
    cv->head = cv->tail = NULL;
    thr_guard_drop(&cv->guard);
    while (w != NULL) {
        struct thr_waiter *next = w->next; /* read before the wake-up frees w's frame */
        thr_wake(w);
        w = next;
    }
}
