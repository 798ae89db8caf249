/*
 * sbrk_bench [N]: N rounds of growing the heap by a page with sbrk(4096), storing to the new
 * page once, and giving it back with sbrk(-4096): allocating, mapping, zeroing and freeing a
 * frame. Prints "sbrk(+4096)+sbrk(-4096): V us per round (...)".
 */
#include "bench.h"

#define LABEL "sbrk(+4096)+sbrk(-4096)"
#define PAGE 4096

int main(int argc, char **argv)
{
    int n = bench_rounds(LABEL, argc, argv, 200000);

    /* Start on a page boundary, so each round maps exactly one new page and unmaps it again. */
    uint64 partial = (uint64)sbrk(0) % PAGE;
    if (partial != 0 && sbrk(PAGE - (int)partial) == SBRK_FAILED)
        bench_fail(LABEL, "cannot align the break");

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        char *p = sbrk(PAGE);
        if (p == SBRK_FAILED)
            bench_fail(LABEL, "sbrk(%d) failed in round %d", PAGE, i);
        if (*p != 0)
            bench_fail(LABEL, "a new page was not zeroed in round %d", i);
        *(volatile char *)p = (char)i;
        if (sbrk(-PAGE) == SBRK_FAILED)
            bench_fail(LABEL, "sbrk(%d) failed in round %d", -PAGE, i);
    }
    uint64 ticks = rdtime() - start;

    bench_report(LABEL, "us", 1000, "round", ticks, n);
    return 0;
}
