/*
 * malloc and free over sbrk: the free-list heap of user/lib/freelist.c (its comment says how
 * blocks are kept), growing the break for more memory. One thread's: xv6 programs with
 * threads (thread_spawn) serialize their own calls.
 */
#include "user.h"
#include "../freelist.h"

/* Asks sbrk for bytes more memory, 16-byte aligned; NULL if the kernel refuses. */
static void *more_core(size_t bytes, size_t *got)
{
    /* sbrk(0) can be anywhere if the program moved the break itself. */
    size_t pad = (size_t)(-(uintptr_t)sbrk(0)) & 15;
    char *p = sbrk((int)(bytes + pad));
    if (p == SBRK_FAILED)
        return NULL;
    *got = bytes;
    return p + pad;
}

/* sbrk takes an int; leave room for the header and alignment below INT_MAX. */
static struct freelist heap = { .more = more_core, .max_request = 0x7fff0000UL };

void *malloc(size_t n)
{
    return fl_malloc(&heap, n);
}

void free(void *p)
{
    if (fl_free(&heap, p) != 0) {
        /* Carrying on would hand the same memory out twice; stop while the cause is near. */
        fprintf(2, "free: %p was not returned by malloc, or was freed twice\n", p);
        exit(1);
    }
}
