/*
 * What the thread library's files share: the thread record, the spin guard that protects
 * each primitive's few words, the waiter record through which a thread blocks, and panic.
 *
 * Blocking without a lost wake-up. A thread that must wait puts a thr_waiter (on its own
 * stack) on the primitive's queue while it holds the guard, drops the guard, and calls
 * deschedule(&w.reject) until w.reject is set. The waker takes the waiter off the queue under
 * the guard, reads its tid, sets w.reject and only then calls make_runnable(tid). The kernel
 * checks *reject after the thread has announced that it is descheduling, so a wake-up that
 * comes before deschedule makes deschedule return at once, one that comes during it wakes it:
 * none is lost. After w.reject is set the waiter may return and its stack frame be reused, so
 * the waker touches nothing of it afterwards. A make_runnable that arrives late can end a
 * later, unrelated deschedule early; every deschedule is in a loop on its own reject word, so
 * such a thread just goes back to sleep.
 */
#ifndef PEBBLES_THR_INTERNALS_H
#define PEBBLES_THR_INTERNALS_H

#include <stddef.h>
#include <stdint.h>
#include "syscall.h"
#include "mutex_type.h"
#include "cond_type.h"

struct thr_waiter {
    int tid;                    /* whom make_runnable wakes: gettid()'s, never a cached one
                                 * (after fork the child's record holds its parent's tid) */
    volatile int reject;        /* set by the waker; deschedule returns at once once it is */
    struct thr_tcb *self;       /* the waiter's thread record (a mutex hands itself to it) */
    struct thr_waiter *next;
};

/* One thread of the library. The tid is the kernel's. Fields other than off_stack change
 * under thr_lock (thread.c). */
struct thr_tcb {
    int tid;
    int exited;                 /* thr_exit has stored status */
    int joined;                 /* a thr_join has claimed this thread */
    volatile int off_stack;     /* set by the exit glue just before vanish: the stack is unused */
    void *status;
    void *(*func)(void *);      /* what the thread runs, and its argument */
    void *arg;
    char *stack_base;           /* the new_pages region, NULL for the first thread */
    int stack_slot;
    cond_t exited_cv;           /* signalled by thr_exit, for the joiner */
    struct thr_tcb *hash_next;
};

/* The calling thread's record: the thread pointer register holds it in every thread the
 * library made (and in the first thread after thr_init); 0 before thr_init. */
static inline struct thr_tcb *thr_self(void)
{
    struct thr_tcb *t;
    __asm__ volatile("mv %0, tp" : "=r"(t));
    return t;
}

static inline int thr_self_tid(void)
{
    struct thr_tcb *t = thr_self();
    return t ? t->tid : gettid();
}

/* The spin guard: held for a handful of instructions around a primitive's fields. A thread
 * that finds it taken spins a little (the holder is usually running on another CPU), then
 * yields to the holder, so a holder preempted inside the guard gets the CPU back at once. */
#define THR_GUARD_SPINS 64

static inline void thr_guard_take(int *guard)
{
    int me = thr_self_tid();
    for (;;) {
        int seen = 0;
        if (__atomic_compare_exchange_n(guard, &seen, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return;
        for (int i = 0; i < THR_GUARD_SPINS && seen != 0; i++)
            seen = __atomic_load_n(guard, __ATOMIC_RELAXED);
        if (seen != 0 && yield(seen) < 0)
            yield(-1);
    }
}

static inline void thr_guard_drop(int *guard)
{
    __atomic_store_n(guard, 0, __ATOMIC_RELEASE);
}

/* Blocks until w->reject is set (see above). */
static inline void thr_wait_for_wakeup(struct thr_waiter *w)
{
    while (!__atomic_load_n(&w->reject, __ATOMIC_ACQUIRE))
        deschedule((int *)&w->reject);
}

/* Wakes w, whose record the caller has taken off its queue. */
static inline void thr_wake(struct thr_waiter *w)
{
    int tid = w->tid;
    __atomic_store_n(&w->reject, 1, __ATOMIC_RELEASE);
    make_runnable(tid);
}

/* A misuse the program cannot recover from (destroying a locked mutex, unlocking another
 * thread's): prints "thread library: <what>" and ends the whole task with status -1. */
void thr_panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* mutex.c: does the calling thread hold mp? (cond_wait's check) */
int thr_mutex_held_by_me(mutex_t *mp);

/* thread.c */
extern mutex_t thr_lock;

#endif
