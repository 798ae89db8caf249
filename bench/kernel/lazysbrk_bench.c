/*
 * lazysbrk_bench N: N rounds of sbrk(+64 MB) and sbrk(-64 MB) with nothing touched. Under
 * --lazy-sbrk that only moves the break, and the 64 MB must cost no frame at all (checked
 * with vmstat, once, before the timed loop); by default sbrk promises the pages (a frame
 * reserved for each, the zero frame mapped), which costs a walk of the page tables and the
 * tables themselves. Prints the frames taken and reserved, then
 * "sbrk(+64 MB)+sbrk(-64 MB) untouched: V us per round (...)".
 */
#include "bench.h"

#define LABEL "sbrk(+64 MB)+sbrk(-64 MB) untouched"
#define SIZE (64 << 20)

int main(int argc, char **argv)
{
    int n = bench_rounds(LABEL, argc, argv, 20000);

    struct vmstat before, during;
    if (vmstat(&before) < 0 || vmstat(&during) < 0)
        bench_fail(LABEL, "vmstat failed");
    vmstat(&before);
    if (sbrk(SIZE) == SBRK_FAILED)
        bench_fail(LABEL, "sbrk(%d) failed", SIZE);
    vmstat(&during);
    if (sbrk(-SIZE) == SBRK_FAILED)
        bench_fail(LABEL, "sbrk(%d) failed", -SIZE);
    uint64 taken = before.free_frames - during.free_frames;
    uint64 reserved = during.reserved_frames - before.reserved_frames;
    if ((before.flags & VM_LAZY_SBRK) != 0 && (taken != 0 || reserved != 0))
        bench_fail(LABEL, "a lazy sbrk of 64 MB took %lu frames and reserved %lu", taken, reserved);
    printf("64 MB untouched: %lu frames taken, %lu reserved\n", taken, reserved);

    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        if (sbrk(SIZE) == SBRK_FAILED)
            bench_fail(LABEL, "sbrk(%d) failed in round %d", SIZE, i);
        if (sbrk(-SIZE) == SBRK_FAILED)
            bench_fail(LABEL, "sbrk(%d) failed in round %d", -SIZE, i);
    }
    uint64 ticks = rdtime() - start;

    bench_report(LABEL, "us", 1000, "round", ticks, n);
    return 0;
}
