/*
 * Heapsort of pseudo-random 32-bit numbers from a linear congruential generator, repeated
 * with new numbers each round: loads and stores at data-dependent addresses and
 * unpredictable branches.
 */
#include "ulib.h"

#define COUNT 100000
#define REPEATS 20

static uint32_t values[COUNT];

static void fill(uint32_t *a, unsigned n, uint64_t *state)
{
    for (unsigned i = 0; i < n; i++) {
        *state = *state * 6364136223846793005UL + 1442695040888963407UL;
        a[i] = (uint32_t)(*state >> 33);
    }
}

/* Moves a[root] down until both children are no larger. */
static void sift_down(uint32_t *a, unsigned root, unsigned n)
{
    uint32_t v = a[root];
    for (;;) {
        unsigned child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[child] <= v)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(uint32_t *a, unsigned n)
{
    for (unsigned i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (unsigned end = n - 1; end > 0; end--) {
        uint32_t top = a[0];
        a[0] = a[end];
        a[end] = top;
        sift_down(a, 0, end);
    }
}

/* Position-weighted sum, so any misplaced element changes it; 0 if not sorted. */
static uint64_t digest(const uint32_t *a, unsigned n)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i > 0 && a[i - 1] > a[i])
            return 0;
        sum += (uint64_t)a[i] * (i + 1);
    }
    return sum;
}

int main(void)
{
    uint64_t state = 42, total = 0;
    for (int r = 0; r < REPEATS; r++) {
        fill(values, COUNT, &state);
        heapsort(values, COUNT);
        uint64_t d = digest(values, COUNT);
        if (d == 0) {
            printf("sort: round %d is not sorted\n", r);
            return 1;
        }
        total ^= d + (total << 7);
    }
    printf("sort: %d rounds of %d -> checksum %016lx\n", REPEATS, COUNT, total);
    return 0;
}
