/*
 * Sieve of Eratosthenes over a byte array, repeated: byte loads and stores in strided and
 * sequential loops, with branches that depend on the data.
 */
#include "ulib.h"

#define LIMIT (1 << 20)
#define REPEATS 32

static unsigned char composite[LIMIT];

static unsigned sieve(unsigned limit)
{
    memset(composite, 0, limit);
    for (unsigned p = 2; p * p < limit; p++) {
        if (composite[p])
            continue;
        for (unsigned m = p * p; m < limit; m += p)
            composite[m] = 1;
    }
    unsigned count = 0;
    for (unsigned n = 2; n < limit; n++)
        count += !composite[n];
    return count;
}

int main(void)
{
    uint64_t total = 0;
    /* A different limit each time, so no run can reuse the previous one's work. */
    for (unsigned r = 0; r < REPEATS; r++)
        total = total * 31 + sieve(LIMIT - r * 1000);
    printf("sieve: %d rounds below %d -> %u primes, checksum %016lx\n", REPEATS, LIMIT,
           sieve(LIMIT), total);
    return 0;
}
