/*
 * The Pebbles heap: malloc, calloc, realloc and free, safe for any number of threads.
 *
 * The heap is one run of pages from the first page after the program's bss upward, grown
 * with new_pages (which reserves the frames, so memory malloc returned can always be touched).
 * Blocks are as in the xv6 runtime's malloc: a 16-byte header (size, header included, a
 * multiple of 16, and a link word that is the next free block, or IN_USE in a block handed
 * out, so free refuses a pointer it never returned or a second free), free blocks in one
 * address-sorted list merged with their neighbours, first fit with the rest split off.
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

struct header {
    size_t size;
    struct header *next;
};

#define HEADER_SIZE sizeof(struct header)
#define ALIGN 16
#define MIN_BLOCK (2 * HEADER_SIZE)
#define GROW_MIN (64 * 1024)
/* new_pages takes an int length. */
#define MAX_REQUEST 0x7ff00000UL
#define IN_USE ((struct header *)0x75736564626c6b21UL)

_Static_assert(sizeof(struct header) == ALIGN, "the header keeps payloads 16-byte aligned");

extern char end[]; /* the end of the bss (user/user.ld) */

static struct header *free_list;
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

static char *end_of(struct header *b)
{
    return (char *)b + b->size;
}

/* Puts b on the free list in address order, merged with what it touches; -1 if it overlaps a free block. */
static int insert_free(struct header *b)
{
    struct header **link = &free_list;
    struct header *prev = NULL;
    while (*link != NULL && *link < b) {
        prev = *link;
        link = &prev->next;
    }
    struct header *next = *link;
    if ((prev != NULL && end_of(prev) > (char *)b) || (next != NULL && end_of(b) > (char *)next))
        return -1;
    b->next = next;
    *link = b;
    if (next != NULL && end_of(b) == (char *)next) {
        b->size += next->size;
        b->next = next->next;
    }
    if (prev != NULL && end_of(prev) == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
    return 0;
}

static struct header *take(struct header **link, size_t need)
{
    struct header *b = *link;
    if (b->size - need >= MIN_BLOCK) {
        struct header *rest = (struct header *)((char *)b + need);
        rest->size = b->size - need;
        rest->next = b->next;
        *link = rest;
        b->size = need;
    } else {
        *link = b->next;
    }
    b->next = IN_USE;
    return b;
}

static struct header *first_fit(size_t need)
{
    for (struct header **link = &free_list; *link != NULL; link = &(*link)->next) {
        if ((*link)->size >= need)
            return take(link, need);
    }
    return NULL;
}

/* Adds at least bytes (whole pages) to the heap; -1 if new_pages refuses. */
static int grow(size_t bytes)
{
    if (heap_top == NULL)
        heap_top = (char *)(((uintptr_t)end + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
    size_t pages = (bytes + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
    if (new_pages(heap_top, (int)pages) < 0)
        return -1;
    struct header *b = (struct header *)heap_top;
    b->size = pages;
    heap_top += pages;
    return insert_free(b);
}

void *malloc(size_t n)
{
    if (n > MAX_REQUEST)
        return NULL;
    size_t need = (n + HEADER_SIZE + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    lock_heap();
    struct header *b = first_fit(need);
    if (b == NULL && (grow(need < GROW_MIN ? GROW_MIN : need) == 0 || grow(need) == 0))
        b = first_fit(need);
    unlock_heap();
    return b == NULL ? NULL : b + 1;
}

void free(void *p)
{
    if (p == NULL)
        return;
    struct header *b = (struct header *)p - 1;
    lock_heap();
    int bad = (uintptr_t)p % ALIGN != 0 || b->next != IN_USE || insert_free(b) != 0;
    unlock_heap();
    if (bad) {
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
    size_t have = ((struct header *)p - 1)->size - HEADER_SIZE;
    if (have >= size)
        return p;
    void *q = malloc(size);
    if (q != NULL) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
