/*
 * The free-list heap (freelist.h).
 *
 * Every block, in use or free, starts with a 16-byte header: the block's size in bytes
 * (header included, a multiple of 16, so every payload is 16-byte aligned) and a link word.
 * In a free block the link is the next free block; in a block handed out it is IN_USE, which
 * lets free refuse a pointer malloc never returned or a block freed twice instead of
 * corrupting the heap silently.
 *
 * The free blocks form one list sorted by address, so that free finds a block's neighbours
 * in one walk and merges it with any it touches: after everything is freed, the heap is
 * again one block per run the heap grew by. malloc takes the first block big enough and
 * splits off the rest. When nothing fits, the heap grows by at least GROW_MIN bytes (fewer,
 * costly system calls; exactly what is needed if GROW_MIN cannot be had) and the new memory
 * is added to the list exactly as if it had been freed, so it merges with a free block that
 * ends where it begins.
 */
#include <stdint.h>
#include "freelist.h"

struct fl_block {
    size_t size;
    struct fl_block *next;
};

#define HEADER_SIZE sizeof(struct fl_block)
#define ALIGN 16
/* A split must leave a block with a header and some room, or it only fragments the list. */
#define MIN_BLOCK (2 * HEADER_SIZE)
#define GROW_MIN (64 * 1024)
#define IN_USE ((struct fl_block *)0x75736564626c6b21UL)

_Static_assert(sizeof(struct fl_block) == ALIGN, "the header keeps payloads 16-byte aligned");

static char *end_of(struct fl_block *b)
{
    return (char *)b + b->size;
}

/* Puts b on the free list in address order, merged with the free blocks it touches; -1 (and
 * nothing changed) if b overlaps a block already free: a double free. */
static int insert_free(struct freelist *h, struct fl_block *b)
{
    struct fl_block **link = &h->free;
    struct fl_block *prev = NULL;
    while (*link != NULL && *link < b) {
        prev = *link;
        link = &prev->next;
    }
    struct fl_block *next = *link;
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

/* Unlinks the free block *link for a request of need bytes, splitting off what is left over. */
static struct fl_block *take(struct fl_block **link, size_t need)
{
    struct fl_block *b = *link;
    if (b->size - need >= MIN_BLOCK) {
        struct fl_block *rest = (struct fl_block *)((char *)b + need);
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

static struct fl_block *first_fit(struct freelist *h, size_t need)
{
    for (struct fl_block **link = &h->free; *link != NULL; link = &(*link)->next) {
        if ((*link)->size >= need)
            return take(link, need);
    }
    return NULL;
}

/* Grows the heap by at least need bytes; -1 if there is no more memory to give. */
static int grow(struct freelist *h, size_t need)
{
    size_t got = 0;
    struct fl_block *b = h->more(need < GROW_MIN ? GROW_MIN : need, &got);
    if (b == NULL && need < GROW_MIN)
        b = h->more(need, &got); /* a small request may still fit where GROW_MIN did not */
    if (b == NULL)
        return -1;
    b->size = got;
    return insert_free(h, b);
}

void *fl_malloc(struct freelist *h, size_t n)
{
    if (n > h->max_request)
        return NULL;
    size_t need = (n + HEADER_SIZE + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    if (h->lock)
        h->lock();
    struct fl_block *b = first_fit(h, need);
    if (b == NULL && grow(h, need) == 0)
        b = first_fit(h, need);
    if (h->unlock)
        h->unlock();
    return b == NULL ? NULL : b + 1;
}

int fl_free(struct freelist *h, void *p)
{
    if (p == NULL)
        return 0;
    struct fl_block *b = (struct fl_block *)p - 1;
    if ((uintptr_t)p % ALIGN != 0)
        return -1;
    if (h->lock)
        h->lock();
    int bad = b->next != IN_USE || insert_free(h, b) != 0;
    if (h->unlock)
        h->unlock();
    return bad ? -1 : 0;
}

size_t fl_usable(const void *p)
{
    return ((const struct fl_block *)p - 1)->size - HEADER_SIZE;
}
