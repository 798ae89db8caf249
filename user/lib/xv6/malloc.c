/*
 * malloc and free over sbrk.
 *
 * Every block, in use or free, starts with a 16-byte header: the block's size in bytes
 * (header included, a multiple of 16, so every payload is 16-byte aligned) and a link word.
 * In a free block the link is the next free block; in a block handed out it is IN_USE, which
 * lets free refuse a pointer malloc never returned or a block freed twice instead of
 * corrupting the heap silently.
 *
 * The free blocks form one list sorted by address, so that free finds a block's neighbours
 * in one walk and merges it with any it touches: after everything is freed, the heap is
 * again one block per sbrk'd run. malloc takes the first block big enough and splits off the
 * rest. When nothing fits, the heap grows by at least GROW_MIN bytes (fewer, costly system
 * calls) and the new memory is added to the list exactly as if it had been freed, so it merges
 * with a free block that ends where it begins.
 */
#include "user.h"

struct header {
    size_t size;
    struct header *next;
};

#define HEADER_SIZE sizeof(struct header)
#define ALIGN 16
/* A split must leave a block with a header and some room, or it only fragments the list. */
#define MIN_BLOCK (2 * HEADER_SIZE)
#define GROW_MIN (64 * 1024)
/* sbrk takes an int; leave room for the header and alignment below INT_MAX. */
#define MAX_REQUEST 0x7fff0000UL
#define IN_USE ((struct header *)0x75736564626c6b21UL)

_Static_assert(sizeof(struct header) == ALIGN, "the header keeps payloads 16-byte aligned");

static struct header *free_list;

static char *end_of(struct header *b)
{
    return (char *)b + b->size;
}

/*
 * Puts b on the free list in address order and merges it with the free blocks it touches.
 * Returns -1 (and changes nothing) if b overlaps a block already free: a double free.
 */
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

/* Unlinks the free block *link for a request of need bytes, splitting off what is left over. */
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

/* Asks sbrk for bytes more memory, 16-byte aligned; NULL if the kernel refuses. */
static struct header *more_core(size_t bytes)
{
    /* sbrk(0) can be anywhere if the program moved the break itself. */
    size_t pad = (size_t)(-(uintptr_t)sbrk(0)) & (ALIGN - 1);
    char *p = sbrk((int)(bytes + pad));
    if (p == SBRK_FAILED)
        return NULL;
    struct header *b = (struct header *)(p + pad);
    b->size = bytes;
    return b;
}

/* Grows the heap by at least need bytes; -1 if the kernel has no more memory to give. */
static int grow(size_t need)
{
    size_t bytes = need < GROW_MIN ? GROW_MIN : need;
    struct header *b = more_core(bytes);
    if (b == NULL && bytes > need)
        b = more_core(need); /* a small request may still fit where GROW_MIN did not */
    if (b == NULL)
        return -1;
    return insert_free(b);
}

void *malloc(size_t n)
{
    if (n > MAX_REQUEST)
        return NULL;
    size_t need = (n + HEADER_SIZE + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    struct header *b = first_fit(need);
    if (b == NULL && grow(need) == 0)
        b = first_fit(need);
    return b == NULL ? NULL : b + 1;
}

void free(void *p)
{
    if (p == NULL)
        return;
    struct header *b = (struct header *)p - 1;
    if ((uintptr_t)p % ALIGN != 0 || b->next != IN_USE || insert_free(b) != 0) {
        /* Carrying on would hand the same memory out twice; stop while the cause is near. */
        fprintf(2, "free: %p was not returned by malloc, or was freed twice\n", p);
        exit(1);
    }
}
