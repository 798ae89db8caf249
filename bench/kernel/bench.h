/*
 * What the kernel-core benchmarks share: reading the clock, the round count from argv, and
 * printing a result. Each benchmark times a loop of N rounds with rdtime (the time CSR ticks
 * at 10 MHz, so one tick is 100 ns) and prints one line
 *     LABEL: VALUE UNIT per OP (N rounds, T ticks)
 * which the bench tool (bench/Osprey.Bench/Kernel) parses. printf has no floating point, so
 * VALUE is printed with one decimal by integer arithmetic. On a failure a benchmark prints a
 * line starting "FAIL:" and exits 1.
 */
#ifndef OSPREY_KERNEL_BENCH_H
#define OSPREY_KERNEL_BENCH_H

#include "user.h"

#define NS_PER_TICK 100UL
#define TICKS_PER_SECOND (1000000000UL / NS_PER_TICK)

static inline uint64 rdtime(void)
{
    uint64 t;
    /* Zicsr is named here, not in -march, so the ELF records it and objdump decodes rdtime. */
    __asm__ volatile(".option push\n.option arch, +zicsr\nrdtime %0\n.option pop" : "=r"(t));
    return t;
}

static void __attribute__((noreturn, format(printf, 2, 3))) bench_fail(const char *name, const char *fmt, ...)
{
    va_list ap;
    printf("FAIL: %s: ", name);
    va_start(ap, fmt);
    vfprintf(1, fmt, ap);
    va_end(ap);
    printf("\n");
    exit(1);
}

/* The round count: argv[1] if given (a positive number), else fallback. */
static int bench_rounds(const char *name, int argc, char **argv, int fallback)
{
    if (argc < 2)
        return fallback;
    int n = atoi(argv[1]);
    if (n <= 0 || argc > 2)
        bench_fail(name, "usage: %s [ROUNDS], with ROUNDS a positive number", argv[0]);
    return n;
}

/*
 * Prints "label: V unit per op (N rounds, T ticks)", V being ticks / rounds in the unit,
 * nanoseconds (ns_per_unit 1) or microseconds (1000), with one decimal, rounded to nearest.
 */
static void bench_report(const char *label, const char *unit, uint64 ns_per_unit, const char *op,
                         uint64 ticks, int rounds)
{
    uint64 tenths = (ticks * NS_PER_TICK * 10 + ns_per_unit * rounds / 2) / (ns_per_unit * rounds);
    printf("%s: %lu.%lu %s per %s (%d rounds, %lu ticks)\n", label, tenths / 10, tenths % 10, unit, op,
           rounds, ticks);
}

#endif
