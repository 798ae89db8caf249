/*
 * vmstat: the kernel's virtual-memory figures (Osprey's vmstat call), one per line with the
 * number first, in the manner of BSD's vmstat -s: frames, the zero frame, and page faults
 * since boot by how they ended.
 */
#include "user.h"

static void line(uint64 n, const char *what)
{
    printf("%10lu %s\n", n, what);
}

int main(int argc, char *argv[])
{
    if (argc > 1) {
        fprintf(2, "usage: vmstat\n");
        exit(2);
    }
    struct vmstat st;
    if (vmstat(&st) < 0) {
        fprintf(2, "vmstat: the vmstat call failed\n");
        exit(1);
    }
    printf("fork: %s; sbrk: %s\n", st.flags & VM_COW ? "copy-on-write" : "copies every page (--no-cow)",
           st.flags & VM_LAZY_SBRK ? "lazy (--lazy-sbrk)" : "promises its pages at once");
    line(st.total_frames, "frames managed");
    line(st.free_frames, "frames free");
    line(st.reserved_frames, "frames reserved for promised pages");
    line(st.user_frames, "frames mapped by user pages");
    line(st.shared_frames, "frames shared by more than one mapping");
    line(st.zero_mappings, "mappings of the zero frame");
    line(st.cow_copy, "copy-on-write faults that copied");
    line(st.cow_reuse, "copy-on-write faults that reused the frame");
    line(st.zero_fill, "zero-fill faults");
    line(st.lazy_heap, "lazy-heap faults");
    line(st.killed, "faults that killed");
    line(st.out_of_memory, "of them for want of memory");
    line(st.injected_failures, "frame requests failed on purpose");
    exit(0);
}
