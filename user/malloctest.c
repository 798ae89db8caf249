/*
 * malloctest: the runtime's malloc and free (user/lib/xv6/malloc.c).
 *   - blocks of many sizes are 16-byte aligned and do not overlap
 *   - freed blocks merge: after freeing many small blocks in a scrambled order, one block as
 *     big as all of them fits without growing the heap
 *   - freed memory is reused: many malloc/free pairs do not grow the heap
 *   - impossible requests return NULL and leave the heap alone; free(NULL) does nothing
 *   - freeing a block twice stops the program (exit status 1) rather than corrupt the heap
 * Prints "malloctest: ok" and exits 0 when all pass.
 */
#include "test.h"

#define SMALL 100
#define MERGE_BLOCKS 50
#define MERGE_SIZE 1000

static char *blocks[SMALL];

static void *malloc_or_fail(size_t n)
{
    void *p = malloc(n);
    check(p != NULL, "malloc(%lu) returned NULL", (unsigned long)n);
    check((uintptr_t)p % 16 == 0, "malloc(%lu) returned %p, not 16-byte aligned", (unsigned long)n, p);
    return p;
}

/* Block i has size i + 1 and is filled with the byte i. */
static void no_overlap(void)
{
    for (int i = 0; i < SMALL; i++) {
        blocks[i] = malloc_or_fail(i + 1);
        memset(blocks[i], i, i + 1);
    }
    for (int i = 0; i < SMALL; i++) {
        for (int j = 0; j <= i; j++)
            check(blocks[i][j] == (char)i, "block %d byte %d was overwritten", i, j);
    }
    /* Free the even ones, then the odd ones backwards: merging from both sides. */
    for (int i = 0; i < SMALL; i += 2)
        free(blocks[i]);
    for (int i = SMALL - 1; i > 0; i -= 2)
        free(blocks[i]);
    printf("malloctest: %d blocks, aligned and apart\n", SMALL);
}

static void freed_blocks_merge(void)
{
    for (int i = 0; i < MERGE_BLOCKS; i++)
        blocks[i] = malloc_or_fail(MERGE_SIZE);
    char *grown = sbrk(0);
    /* A scrambled order: 7 and 50 share no factor, so i * 7 % 50 visits every block once. */
    for (int i = 0; i < MERGE_BLOCKS; i++)
        free(blocks[i * 7 % MERGE_BLOCKS]);
    char *big = malloc_or_fail(MERGE_BLOCKS * MERGE_SIZE);
    check(sbrk(0) == grown, "a block as big as %d freed ones grew the heap: the free blocks did not merge",
          MERGE_BLOCKS);
    memset(big, 1, MERGE_BLOCKS * MERGE_SIZE);
    free(big);
    printf("malloctest: freed blocks merge\n");
}

static void memory_is_reused(void)
{
    free(malloc_or_fail(100));
    char *top = sbrk(0);
    for (int i = 0; i < 10000; i++) {
        char *p = malloc_or_fail(100 + i % 200);
        p[0] = 1;
        free(p);
    }
    check(sbrk(0) == top, "10000 malloc/free pairs grew the heap from %p to %p", top, sbrk(0));
    printf("malloctest: freed memory is reused\n");
}

static void impossible_requests(void)
{
    char *top = sbrk(0);
    check(malloc((size_t)-1) == NULL, "malloc(SIZE_MAX) did not return NULL");
    check(malloc(0x7fffffffUL) == NULL, "malloc(0x7fffffff) did not return NULL");
    check(sbrk(0) == top, "a failed malloc moved the break");
    /* The largest request malloc passes to sbrk: more than the default machine's memory, so
     * sbrk fails and the break must stay; on a machine big enough it is simply freed. */
    char *p = malloc(0x7fff0000UL);
    if (p == NULL)
        check(sbrk(0) == top, "malloc failing in sbrk moved the break");
    free(p);
    free(NULL);
    free(malloc(0));
    printf("malloctest: impossible requests return NULL\n");
}

static void double_free_stops(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        char *p = malloc_or_fail(40);
        free(p);
        free(p);
        exit(0);
    }
    expect_exit(pid, 1, "a double free");
    printf("malloctest: a double free is caught\n");
}

int main(void)
{
    test_begin("malloctest");
    no_overlap();
    freed_blocks_merge();
    memory_is_reused();
    impossible_requests();
    double_free_stops();
    printf("malloctest: ok\n");
    return 0;
}
