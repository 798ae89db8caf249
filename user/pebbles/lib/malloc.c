/*
 * The Pebbles heap: malloc, calloc, realloc and free, safe for any number of threads.
 *
 * The heap is one run of pages from the first page after the program's bss upward, grown
 * with new_pages (which reserves the frames, so memory malloc returned can always be touched).
 * The blocks and the list are the shared free-list heap's (user/lib/freelist.c, which the
 * xv6 runtime's malloc uses over sbrk); this file gives it new_pages and a lock.
 *
 * One lock guards the list and the heap's top. A thread that finds it held yields to the
 * holder (yield(tid)), so a preempted holder runs instead of the waiters spinning through
 * its slices; nothing in here blocks while holding it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <stdio.h>
#include "../../lib/freelist.h"

/* new_pages takes an int length. */
#define MAX_REQUEST 0x7ff00000UL

extern char end[]; /* the end of the bss (user/user.ld) */

static char *heap_top; /* one past the last page new_pages gave the heap */

static volatile int heap_lock;
static volatile int heap_holder;

/* The thread library, when a program links it (thread.c, which thr_init is in), serializes
 * the heap with one of its mutexes instead, so a thread that finds the heap busy sleeps in
 * deschedule until its turn rather than yielding in a loop. Weak: without the library these
 * are NULL and the lock below is used. */
void thr_malloc_lock(void) __attribute__((weak));
void thr_malloc_unlock(void) __attribute__((weak));

static void lock_heap(void)
{
    if (thr_malloc_lock) {
        thr_malloc_lock();
        return;
    }
    while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE) != 0) {
        int holder = heap_holder;
        if (holder == 0 || yield(holder) < 0)
            yield(-1);
    }
    heap_holder = gettid();
}

static void unlock_heap(void)
{
    if (thr_malloc_unlock) {
        thr_malloc_unlock();
        return;
    }
    heap_holder = 0;
    __atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
}

/* At least bytes more (whole pages) at the heap's top; NULL if new_pages refuses. */
static void *more_pages(size_t bytes, size_t *got)
{
    if (heap_top == NULL)
        heap_top = (char *)(((uintptr_t)end + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
    size_t pages = (bytes + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
    if (new_pages(heap_top, (int)pages) < 0)
        return NULL;
    char *b = heap_top;
    heap_top += pages;
    *got = pages;
    return b;
}

static struct freelist heap = { .more = more_pages, .lock = lock_heap, .unlock = unlock_heap, .max_request = MAX_REQUEST };

void *malloc(size_t n)
{
    return fl_malloc(&heap, n);
}

void free(void *p)
{
    if (fl_free(&heap, p) != 0) {
        /* Carrying on would hand the same memory out twice; stop while the cause is near. */
        printf("free: %p was not returned by malloc, or was freed twice\n", p);
        task_vanish(-1);
    }
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > MAX_REQUEST / size)
        return NULL;
    void *p = malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *p, size_t size)
{
    if (p == NULL)
        return malloc(size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    size_t have = fl_usable(p);
    if (have >= size)
        return p;
    void *q = malloc(size);
    if (q != NULL) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
