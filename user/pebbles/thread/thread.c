/*
 * Threads: creation on stacks of their own, exit, join, and the table of this task's threads.
 *
 * Stacks. Every thread but the first runs on a region of its own from new_pages, in slots
 * going down from below the first thread's stack (which may grow to autostack_low(): see
 * autostack.h). A slot is the stack and, under it, THR_GUARD_BYTES left unmapped, so a thread
 * that overflows its stack faults (and dies, status -2) instead of writing over the next
 * thread's stack. A joined thread's slot is reused; a slot some other code took first (its
 * own new_pages there) is skipped.
 *
 * The end of a thread. A thread cannot give back the stack it is running on, so its joiner
 * does: thr_exit stores the status and signals the joiner under thr_lock, then (thr_glue.S)
 * sets off_stack and calls vanish with no memory access between the two. The joiner waits
 * for off_stack (yielding to the exiting thread, which is a few instructions from the end)
 * before it removes the stack's pages and frees the record. Until vanish, nothing else may
 * use the stack either: a signal taken between the store and vanish would have its handler's
 * frame pushed onto it (onto pages already removed, or mapped again for the next thread in
 * the slot), so thr_exit first blocks every signal for the thread; the task's other threads
 * take them (tests/thr_exit_race provokes both windows).
 *
 * Locks: thr_lock (a mutex) protects the table, every record's fields except off_stack, and
 * the slots; the heap's mutex (below) is taken after it, never before. It is held across thread_fork so that a new thread is in the table before it (or
 * anyone) can look it up, and before it can exit.
 */
#include <autostack.h>
#include <stdlib.h>
#include "cond.h"
#include "mutex.h"
#include "thread.h"
#include "thr_internals.h"

#define THR_PAGE 4096UL
#define THR_GUARD_BYTES (16 * THR_PAGE)
/* How many slots thr_create tries when new_pages says a slot's pages are in use. */
#define THR_SLOT_TRIES 64
#define THR_BUCKETS 256

mutex_t thr_lock = MUTEX_INITIALIZER;

/* Under thr_lock. */
static int initialised;
static unsigned long stack_bytes;           /* each new thread's stack, a multiple of pages */
static char *slots_top;                     /* slot k ends at slots_top - k * slot size */
static int next_slot;                       /* slots from here on have never been used */
static int *free_slots, free_count, free_capacity;
static struct thr_tcb *table[THR_BUCKETS];
static struct thr_tcb first_thread;

/* thr_glue.S */
int thr_fork_onto(char *stack_top, struct thr_tcb *tcb);
void thr_vanish_off_stack(volatile int *off_stack) __attribute__((noreturn));

static unsigned long slot_bytes(void)
{
    return stack_bytes + THR_GUARD_BYTES;
}

static void set_thread_pointer(struct thr_tcb *t)
{
    __asm__ volatile("mv tp, %0" : : "r"(t) : "memory");
}

static struct thr_tcb **bucket(int tid)
{
    return &table[(unsigned)tid % THR_BUCKETS];
}

static struct thr_tcb *lookup(int tid)
{
    for (struct thr_tcb *t = *bucket(tid); t != NULL; t = t->hash_next)
        if (t->tid == tid)
            return t;
    return NULL;
}

static void insert(struct thr_tcb *t)
{
    struct thr_tcb **b = bucket(t->tid);
    t->hash_next = *b;
    *b = t;
}

static void unlink_record(struct thr_tcb *t)
{
    for (struct thr_tcb **link = bucket(t->tid); *link != NULL; link = &(*link)->hash_next) {
        if (*link == t) {
            *link = t->hash_next;
            return;
        }
    }
}

static char *slot_stack_base(int slot)
{
    return slots_top - (unsigned long)(slot + 1) * slot_bytes() + THR_GUARD_BYTES;
}

/* Under thr_lock: maps a stack for t; its top, or NULL (and the error in *err). */
static char *stack_alloc(struct thr_tcb *t, int *err)
{
    *err = PEBBLES_ENOMEM;
    for (int tries = 0; tries < THR_SLOT_TRIES; tries++) {
        int slot;
        if (free_count > 0) {
            slot = free_slots[--free_count];
        } else {
            slot = next_slot++;
            /* Slots may not run down into the heap: new_pages refuses pages in use, and
             * the address space's bottom is the end of the line. */
            if ((unsigned long)(slot + 1) * slot_bytes() >= (unsigned long)slots_top - PEBBLES_USER_START)
                return NULL;
        }
        char *base = slot_stack_base(slot);
        int r = new_pages(base, (int)stack_bytes);
        if (r == 0) {
            t->stack_base = base;
            t->stack_slot = slot;
            return base + stack_bytes;
        }
        *err = r;
        if (r != PEBBLES_EBUSY)
            return NULL; /* out of memory: the slot stays free for later */
        /* Someone else's pages: that slot is never ours; try the next. */
    }
    return NULL;
}

/* Under thr_lock: gives back t's stack. */
static void stack_free(struct thr_tcb *t)
{
    if (t->stack_base == NULL)
        return;
    if (remove_pages(t->stack_base) < 0)
        thr_panic("remove_pages(%p) of thread %d's stack failed", (void *)t->stack_base, t->tid);
    t->stack_base = NULL;
    if (free_count == free_capacity) {
        int capacity = free_capacity ? 2 * free_capacity : 64;
        int *bigger = realloc(free_slots, capacity * sizeof *bigger);
        if (bigger == NULL)
            return; /* the slot is lost to reuse, nothing else */
        free_slots = bigger;
        free_capacity = capacity;
    }
    free_slots[free_count++] = t->stack_slot;
}

int thr_init(unsigned int size)
{
    /* Before thr_init the library has made no thread, so only a thread the program made
     * some other way could race this; the flag refuses a second call all the same. */
    static int called;
    if (size == 0 || size > 0x7ff00000u)
        return -1;
    if (__atomic_exchange_n(&called, 1, __ATOMIC_ACQ_REL))
        return -1;
    stack_bytes = (size + THR_PAGE - 1) & ~(THR_PAGE - 1);
    slots_top = (char *)(((uintptr_t)autostack_low() & ~(THR_PAGE - 1)) - THR_GUARD_BYTES);
    first_thread.tid = gettid();
    cond_init(&first_thread.exited_cv);
    mutex_lock(&thr_lock);
    insert(&first_thread);
    initialised = 1;
    mutex_unlock(&thr_lock);
    set_thread_pointer(&first_thread);
    return 0;
}

/* The new thread's first C code, on its own stack, with tp set (thr_glue.S). */
void thr_child_main(struct thr_tcb *self) __attribute__((noreturn));
void thr_child_main(struct thr_tcb *self)
{
    __atomic_store_n(&self->tid, gettid(), __ATOMIC_RELAXED);
    thr_exit(self->func(self->arg));
}

int thr_create(void *(*func)(void *), void *arg)
{
    struct thr_tcb *t = calloc(1, sizeof *t);
    if (t == NULL)
        return PEBBLES_ENOMEM;
    cond_init(&t->exited_cv);
    t->func = func;
    t->arg = arg;
    mutex_lock(&thr_lock);
    if (!initialised) {
        mutex_unlock(&thr_lock);
        free(t);
        return -1;
    }
    int err;
    char *top = stack_alloc(t, &err);
    if (top == NULL) {
        mutex_unlock(&thr_lock);
        free(t);
        return err;
    }
    int tid = thr_fork_onto(top, t);
    if (tid < 0) {
        stack_free(t);
        mutex_unlock(&thr_lock);
        free(t);
        return tid;
    }
    __atomic_store_n(&t->tid, tid, __ATOMIC_RELAXED);
    insert(t);
    mutex_unlock(&thr_lock);
    return tid;
}

void thr_exit(void *status)
{
    struct thr_tcb *self = thr_self();
    if (self == NULL) /* no thr_init: just this thread ends */
        vanish();
    /* From the call's return on no handler runs on this stack (see the top of this file). */
    sigprocmask(SIG_SETMASK, ~0);
    mutex_lock(&thr_lock);
    self->status = status;
    self->exited = 1;
    cond_signal(&self->exited_cv);
    mutex_unlock(&thr_lock);
    thr_vanish_off_stack(&self->off_stack);
}

int thr_join(int tid, void **statusp)
{
    struct thr_tcb *self = thr_self();
    if (self == NULL)
        return -1;
    mutex_lock(&thr_lock);
    struct thr_tcb *t = lookup(tid);
    if (t == NULL || t == self || t->joined) {
        mutex_unlock(&thr_lock);
        return t == NULL ? PEBBLES_ESRCH : PEBBLES_ESTATE;
    }
    t->joined = 1;
    while (!t->exited)
        cond_wait(&t->exited_cv, &thr_lock);
    unlink_record(t);
    if (t->stack_base != NULL) {
        /* It is a few instructions from vanish (see the top of this file). */
        while (!__atomic_load_n(&t->off_stack, __ATOMIC_ACQUIRE))
            if (yield(tid) < 0)
                yield(-1);
        stack_free(t);
    }
    mutex_unlock(&thr_lock);
    if (statusp != NULL)
        *statusp = t->status;
    cond_destroy(&t->exited_cv);
    if (t != &first_thread)
        free(t);
    return 0;
}

/* The heap's lock when the library is linked (user/pebbles/lib/malloc.c): taken after
 * thr_lock where both are held (stack_free's realloc), never before it. */
static mutex_t heap_lock = MUTEX_INITIALIZER;

void thr_malloc_lock(void)
{
    mutex_lock(&heap_lock);
}

void thr_malloc_unlock(void)
{
    mutex_unlock(&heap_lock);
}

int thr_getid(void)
{
    /* The kernel's answer, not the record's: after fork the record is the parent thread's. */
    return gettid();
}

int thr_yield(int tid)
{
    return yield(tid);
}
