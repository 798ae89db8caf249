/*
 * Integer mixing over a counter: shifts, xors, adds and one multiply per round, with no
 * memory traffic, so it measures raw ALU dispatch.
 */
#include "ulib.h"

#define ROUNDS 72000000UL

static uint64_t mix(uint64_t rounds)
{
    uint64_t x = 0x0123456789abcdefUL, y = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x += i;
        y = (y ^ x) * 0x100000001b3UL;
        y += y >> 29;
    }
    return x ^ y;
}

int main(void)
{
    printf("checksum: %lu rounds -> %016lx\n", ROUNDS, mix(ROUNDS));
    return 0;
}
