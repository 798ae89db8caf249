/*
 * Mutexes. The guard protects state, owner and the queue. Unlock hands the mutex straight to
 * the first waiter (it becomes the owner before it runs), so a waiter is woken only when the
 * mutex is its, waiters are served in arrival order, and no later locker can barge past them.
 * Taking a free mutex, or giving back one nobody waits for, is one guard round trip and no
 * system call.
 */
#include "mutex.h"
#include "thr_internals.h"

enum { MUTEX_FREE = 0, MUTEX_HELD = 1 };

int mutex_init(mutex_t *mp)
{
    if (mp == NULL)
        return -1;
    mp->guard = 0;
    mp->state = MUTEX_FREE;
    mp->owner_tid = 0;
    mp->owner = NULL;
    mp->head = mp->tail = NULL;
    mp->magic = MUTEX_MAGIC;
    return 0;
}

/* The caller holds the guard. */
static void check_live(mutex_t *mp, const char *what)
{
    if (mp->magic != MUTEX_MAGIC) {
        thr_guard_drop(&mp->guard);
        thr_panic("%s(%p): the mutex is not initialised (or was destroyed)", what, (void *)mp);
    }
}

void mutex_destroy(mutex_t *mp)
{
    thr_guard_take(&mp->guard);
    check_live(mp, "mutex_destroy");
    if (mp->state != MUTEX_FREE || mp->head != NULL) {
        int owner = mp->owner_tid;
        thr_guard_drop(&mp->guard);
        thr_panic("mutex_destroy(%p): the mutex is locked (by thread %d)", (void *)mp, owner);
    }
    mp->magic = 0;
    thr_guard_drop(&mp->guard);
}

void mutex_lock(mutex_t *mp)
{
    struct thr_tcb *self = thr_self();
    thr_guard_take(&mp->guard);
    check_live(mp, "mutex_lock");
    if (mp->state == MUTEX_FREE) {
        mp->state = MUTEX_HELD;
        mp->owner = self;
        mp->owner_tid = thr_self_tid();
        thr_guard_drop(&mp->guard);
        return;
    }
    if (self != NULL && mp->owner == self) {
        thr_guard_drop(&mp->guard);
        thr_panic("mutex_lock(%p): thread %d already holds it", (void *)mp, self->tid);
    }
    struct thr_waiter w = { .tid = gettid(), .reject = 0, .self = self, .next = NULL };
    if (mp->tail)
        mp->tail->next = &w;
    else
        mp->head = &w;
    mp->tail = &w;
    thr_guard_drop(&mp->guard);
    /* mutex_unlock made this thread the owner before waking it. */
    thr_wait_for_wakeup(&w);
}

void mutex_unlock(mutex_t *mp)
{
    thr_guard_take(&mp->guard);
    check_live(mp, "mutex_unlock");
    if (mp->state != MUTEX_HELD || mp->owner != thr_self()) {
        int state = mp->state, owner = mp->owner_tid;
        thr_guard_drop(&mp->guard);
        if (state != MUTEX_HELD)
            thr_panic("mutex_unlock(%p): the mutex is not locked", (void *)mp);
        thr_panic("mutex_unlock(%p): thread %d holds it, not thread %d", (void *)mp, owner, thr_self_tid());
    }
    struct thr_waiter *w = mp->head;
    if (w == NULL) {
        mp->state = MUTEX_FREE;
        mp->owner = NULL;
        mp->owner_tid = 0;
        thr_guard_drop(&mp->guard);
        return;
    }
    mp->head = w->next;
    if (mp->head == NULL)
        mp->tail = NULL;
    mp->owner = w->self;
    mp->owner_tid = w->tid;
    thr_guard_drop(&mp->guard);
    thr_wake(w);
}

/* For cond_wait's check: does the calling thread hold mp? */
int thr_mutex_held_by_me(mutex_t *mp)
{
    return mp->magic == MUTEX_MAGIC && mp->state == MUTEX_HELD && mp->owner == thr_self();
}
