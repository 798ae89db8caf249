/*
 * Multiplies small integer matrices, feeding each product back into the next round: 32-bit
 * multiply-accumulate in nested loops with row and column strides.
 */
#include "ulib.h"

#define N 64
#define REPEATS 410

static int32_t a[N][N], b[N][N], c[N][N];

static void init(void)
{
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            x = x * 1103515245u + 12345u;
            a[i][j] = (int32_t)(x >> 16) % 17 - 8;
            b[i][j] = (int32_t)((x >> 8) & 0xff) % 13 - 6;
        }
    }
}

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < N; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    }
}

/* The next round's left operand: the product folded back into small numbers. */
static uint64_t feed_back(void)
{
    uint64_t digest = 0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            digest = digest * 31 + (uint32_t)c[i][j];
            a[i][j] = c[i][j] % 9 - 4 + (int32_t)(digest & 1);
        }
    }
    return digest;
}

int main(void)
{
    uint64_t total = 0;
    init();
    for (int r = 0; r < REPEATS; r++) {
        multiply();
        total ^= feed_back() + r;
    }
    printf("matmul: %d rounds of %dx%d -> checksum %016lx\n", REPEATS, N, N, total);
    return 0;
}
