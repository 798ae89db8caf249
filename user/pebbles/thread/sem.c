/*
 * Semaphores: a count under a mutex. A sem_signal with threads waiting hands its unit to the
 * one that has waited longest (tickets, taken in the order the waiters queued on the
 * condition variable, so cond_signal wakes exactly that one): a later sem_wait cannot take
 * the unit from under a woken waiter, and nobody waits for ever while units go by.
 */
#include "sem.h"
#include "cond.h"
#include "mutex.h"
#include "thr_internals.h"

int sem_init(sem_t *sem, int count)
{
    if (sem == NULL || count < 0)
        return -1;
    if (mutex_init(&sem->lock) < 0 || cond_init(&sem->nonzero) < 0)
        return -1;
    sem->count = count;
    sem->waiting = 0;
    sem->next_ticket = 0;
    sem->granted = 0;
    sem->magic = SEM_MAGIC;
    return 0;
}

static void check_live(sem_t *sem, const char *what)
{
    if (sem->magic != SEM_MAGIC)
        thr_panic("%s(%p): the semaphore is not initialised (or was destroyed)", what, (void *)sem);
}

void sem_destroy(sem_t *sem)
{
    check_live(sem, "sem_destroy");
    mutex_lock(&sem->lock);
    if (sem->waiting > 0) {
        int waiting = sem->waiting;
        mutex_unlock(&sem->lock);
        thr_panic("sem_destroy(%p): %d threads are waiting on it", (void *)sem, waiting);
    }
    sem->magic = 0;
    mutex_unlock(&sem->lock);
    cond_destroy(&sem->nonzero);
    mutex_destroy(&sem->lock);
}

void sem_wait(sem_t *sem)
{
    check_live(sem, "sem_wait");
    mutex_lock(&sem->lock);
    if (sem->count > 0) {
        sem->count--; /* units are left only while nobody waits */
    } else {
        unsigned ticket = sem->next_ticket++;
        sem->waiting++;
        while ((int)(sem->granted - ticket) <= 0)
            cond_wait(&sem->nonzero, &sem->lock);
        sem->waiting--;
    }
    mutex_unlock(&sem->lock);
}

void sem_signal(sem_t *sem)
{
    check_live(sem, "sem_signal");
    mutex_lock(&sem->lock);
    if (sem->next_ticket != sem->granted) {
        sem->granted++;
        cond_signal(&sem->nonzero);
    } else {
        sem->count++;
    }
    mutex_unlock(&sem->lock);
}
