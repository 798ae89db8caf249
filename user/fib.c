/*
 * Small computations whose results are easy to check: recursion, 64-bit multiplication,
 * and every M-extension instruction on edge cases (negative operands, division by zero,
 * the most negative number divided by -1), whose results the ISA defines exactly.
 */
#include <limits.h>
#include "ulib.h"

static long fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static unsigned long factorial(int n)
{
    return n <= 1 ? 1 : (unsigned long)n * factorial(n - 1);
}

/* Each M instruction as a function, so that the hardware's result is printed, not what C
 * says (C leaves division by zero and LONG_MIN / -1 undefined). */
#define M_OP(insn) \
    static long op_##insn(long a, long b) \
    { \
        long r; \
        __asm__ volatile(#insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
        return r; \
    }

M_OP(mul) M_OP(mulh) M_OP(mulhu) M_OP(mulhsu) M_OP(mulw)
M_OP(div) M_OP(divu) M_OP(rem) M_OP(remu)
M_OP(divw) M_OP(divuw) M_OP(remw) M_OP(remuw)

static const struct {
    const char *name;
    long (*fn)(long, long);
} ops[] = {
    {"mul", op_mul},   {"mulh", op_mulh}, {"mulhu", op_mulhu}, {"mulhsu", op_mulhsu},
    {"mulw", op_mulw}, {"div", op_div},   {"divu", op_divu},   {"rem", op_rem},
    {"remu", op_remu}, {"divw", op_divw}, {"divuw", op_divuw}, {"remw", op_remw},
    {"remuw", op_remuw},
};

static const long operands[][2] = {
    {7, 2},           {-7, 2},          {7, -2},   {-7, -2},
    {7, 0},           {-7, 0},          {LONG_MIN, -1}, {INT_MIN, -1},
    {LONG_MAX, LONG_MAX}, {0x123456789abcdefL, -0x1000000001L},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void print_m_ops(void)
{
    for (size_t i = 0; i < COUNT(ops); i++) {
        for (size_t j = 0; j < COUNT(operands); j++) {
            long a = operands[j][0], b = operands[j][1];
            long r = ops[i].fn(a, b);
            printf("%-6s %20ld %20ld = %20ld 0x%016lx\n", ops[i].name, a, b, r, r);
        }
    }
}

/* The same divisions as C code, with operands the compiler cannot see, so it emits divw and remw. */
static void print_c_division(void)
{
    volatile int a = -7, b = 2;
    printf("C: %d / %d = %d, %d %% %d = %d\n", a, b, a / b, a, b, a % b);
    volatile long long c = -1000000000000LL, d = 7;
    printf("C: %lld / %lld = %lld, %lld %% %lld = %lld\n", c, d, c / d, c, d, c % d);
}

int main(void)
{
    for (int n = 0; n <= 30; n += 5)
        printf("fib(%d) = %ld\n", n, fib(n));
    printf("20! = %lu\n", factorial(20));
    printf("21! mod 2^64 = %lu\n", factorial(21));
    print_c_division();
    print_m_ops();
    return 0;
}
