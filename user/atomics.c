/*
 * The A extension on one hart: GCC's __atomic builtins (which compile to AMOs and LR/SC
 * loops), each AMO instruction directly on 32- and 64-bit words, and hand-written LR/SC.
 * Every result is printed so that two emulators can be compared line by line.
 */
#include <limits.h>
#include "ulib.h"

static int counter32;
static long counter64;

static void builtins32(void)
{
    int x = 10;
    printf("fetch_add32 old %d", __atomic_fetch_add(&x, 5, __ATOMIC_SEQ_CST));
    printf(" new %d\n", x);
    printf("fetch_and32 old %d", __atomic_fetch_and(&x, 6, __ATOMIC_ACQUIRE));
    printf(" new %d\n", x);
    printf("fetch_or32 old %d", __atomic_fetch_or(&x, 0x70, __ATOMIC_RELEASE));
    printf(" new %d\n", x);
    printf("fetch_xor32 old %d", __atomic_fetch_xor(&x, -1, __ATOMIC_RELAXED));
    printf(" new %d\n", x);
    printf("exchange32 old %d", __atomic_exchange_n(&x, INT_MIN, __ATOMIC_ACQ_REL));
    printf(" new %d\n", x);
    int expected = 1;
    int ok = __atomic_compare_exchange_n(&x, &expected, 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas32 expecting 1: %s, saw %d, now %d\n", ok ? "swapped" : "failed", expected, x);
    ok = __atomic_compare_exchange_n(&x, &expected, 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas32 expecting %d: %s, now %d\n", expected, ok ? "swapped" : "failed", x);
}

static void builtins64(void)
{
    long y = 1L << 40;
    printf("fetch_add64 old %ld", __atomic_fetch_add(&y, -(1L << 41), __ATOMIC_SEQ_CST));
    printf(" new %ld\n", y);
    printf("exchange64 old %ld", __atomic_exchange_n(&y, LONG_MAX, __ATOMIC_SEQ_CST));
    printf(" new %ld\n", y);
    long expected = LONG_MAX;
    int ok = __atomic_compare_exchange_n(&y, &expected, LONG_MIN, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas64 expecting LONG_MAX: %s, now %ld\n", ok ? "swapped" : "failed", y);
    printf("load64 %ld\n", __atomic_load_n(&y, __ATOMIC_ACQUIRE));
}

/* One AMO, returning the old value as the 64-bit register holds it (sign-extended for .w). */
#define AMO(name, insn) \
    static long name(void *p, long v) \
    { \
        long old; \
        __asm__ volatile(insn " %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory"); \
        return old; \
    }

AMO(amoswap_w, "amoswap.w") AMO(amoadd_w, "amoadd.w") AMO(amoand_w, "amoand.w")
AMO(amoor_w, "amoor.w") AMO(amoxor_w, "amoxor.w") AMO(amomin_w, "amomin.w")
AMO(amomax_w, "amomax.w") AMO(amominu_w, "amominu.w") AMO(amomaxu_w, "amomaxu.w")
AMO(amoswap_d, "amoswap.d") AMO(amoadd_d, "amoadd.d") AMO(amoand_d, "amoand.d")
AMO(amoor_d, "amoor.d") AMO(amoxor_d, "amoxor.d") AMO(amomin_d, "amomin.d")
AMO(amomax_d, "amomax.d") AMO(amominu_d, "amominu.d") AMO(amomaxu_d, "amomaxu.d")

struct amo {
    const char *name;
    long (*fn)(void *, long);
};

static const struct amo amos_w[] = {
    {"amoswap.w", amoswap_w}, {"amoadd.w", amoadd_w}, {"amoand.w", amoand_w},
    {"amoor.w", amoor_w},     {"amoxor.w", amoxor_w}, {"amomin.w", amomin_w},
    {"amomax.w", amomax_w},   {"amominu.w", amominu_w}, {"amomaxu.w", amomaxu_w},
};

static const struct amo amos_d[] = {
    {"amoswap.d", amoswap_d}, {"amoadd.d", amoadd_d}, {"amoand.d", amoand_d},
    {"amoor.d", amoor_d},     {"amoxor.d", amoxor_d}, {"amomin.d", amomin_d},
    {"amomax.d", amomax_d},   {"amominu.d", amominu_d}, {"amomaxu.d", amomaxu_d},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 32-bit operands: the AMO uses only the low word, so 0x80000000 means INT_MIN and signed
 * and unsigned min/max disagree; old values show whether .w results are sign-extended. */
static const long operands_w[] = {-1, 0x80000000L, 3};

static void amo_table(void)
{
    for (size_t i = 0; i < COUNT(amos_w); i++) {
        for (size_t j = 0; j < COUNT(operands_w); j++) {
            int mem = j == 2 ? INT_MIN : INT_MAX;
            long old = amos_w[i].fn(&mem, operands_w[j]);
            printf("%-10s v=%ld old=%ld mem=%d\n", amos_w[i].name, operands_w[j], old, mem);
        }
    }
    for (size_t i = 0; i < COUNT(amos_d); i++) {
        long mem = 5;
        long old = amos_d[i].fn(&mem, -3);
        printf("%-10s v=-3 old=%ld mem=%ld\n", amos_d[i].name, old, mem);
    }
}

static int lrsc_add32(int *p, int v)
{
    int old, failed;
    __asm__ volatile("1: lr.w %0, (%2)\n"
                     "   addw %1, %0, %3\n"
                     "   sc.w %1, %1, (%2)\n"
                     "   bnez %1, 1b"
                     : "=&r"(old), "=&r"(failed)
                     : "r"(p), "r"(v)
                     : "memory");
    return old;
}

static long lrsc_add64(long *p, long v)
{
    long old, failed;
    __asm__ volatile("1: lr.d %0, (%2)\n"
                     "   add %1, %0, %3\n"
                     "   sc.d %1, %1, (%2)\n"
                     "   bnez %1, 1b"
                     : "=&r"(old), "=&r"(failed)
                     : "r"(p), "r"(v)
                     : "memory");
    return old;
}

/* Every SC ends the reservation, successful or not, so an SC right after one must fail. */
static long sc_without_lr(int *p)
{
    long failed;
    __asm__ volatile("sc.w %0, zero, (%1)" : "=r"(failed) : "r"(p) : "memory");
    return failed;
}

static void lrsc(void)
{
    for (int i = 1; i <= 1000; i++) {
        lrsc_add32(&counter32, i);
        lrsc_add64(&counter64, (long)i << 32);
    }
    printf("lr/sc sums: %d %ld\n", counter32, counter64);
    printf("sc.w without a reservation: %s\n", sc_without_lr(&counter32) ? "failed" : "succeeded");
    printf("counter32 still %d\n", counter32);
}

/* A test-and-set lock taken and released many times: exercises acquire/release AMOs. */
static void spinlock(void)
{
    static int lock;
    static long guarded;
    for (int i = 0; i < 10000; i++) {
        while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE) != 0)
            ;
        guarded += i;
        __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
    }
    printf("spinlock total %ld, lock %d\n", guarded, lock);
}

int main(void)
{
    builtins32();
    builtins64();
    amo_table();
    lrsc();
    spinlock();
    return 0;
}
