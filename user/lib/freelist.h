/*
 * The free-list heap both runtimes' malloc is built on (user/lib/xv6/malloc.c over sbrk,
 * user/pebbles/lib/malloc.c over new_pages): blocks with a 16-byte header, one address-sorted
 * list of free blocks merged with their neighbours, first fit with the rest split off. What
 * differs between the two is a parameter: where more memory comes from, and the lock (if
 * any) that makes the heap safe for threads.
 */
#ifndef OSPREY_FREELIST_H
#define OSPREY_FREELIST_H

#include <stddef.h>

struct fl_block;

struct freelist {
    /* At least bytes more memory, 16-byte aligned, the heap's from then on; its size in
     * *got (at least bytes). NULL if there is no more. Called with the lock held. */
    void *(*more)(size_t bytes, size_t *got);
    /* Taken around every change to the list; NULL for a heap used by one thread. */
    void (*lock)(void);
    void (*unlock)(void);
    /* The largest request malloc will try (what more's system call can be asked for). */
    size_t max_request;
    struct fl_block *free; /* the free blocks, by address; NULL to begin with */
};

/* n bytes, 16-byte aligned; NULL if n is too large or more has nothing left. */
void *fl_malloc(struct freelist *h, size_t n);

/* Gives p back: 0, or -1 (the heap unchanged) for a pointer fl_malloc did not return or one
 * freed already. NULL is 0. */
int fl_free(struct freelist *h, void *p);

/* The bytes usable at p, a block fl_malloc returned (at least what was asked for). */
size_t fl_usable(const void *p);

#endif
