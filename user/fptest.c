/*
 * fptest: each process has its own floating-point state.
 *   - several processes at once hold distinct values in all 32 f registers and fcsr across
 *     a sleep (another process then runs on that CPU) and a long computation (the timer
 *     preempts it, and on several CPUs it may move to another one), and find them unchanged
 *   - a process's rounding mode decides its results while others use other modes
 *   - fork gives the child the parent's rounding mode and flags; exec starts a program with
 *     round-to-nearest and no flags
 * Prints "fptest: ok" and exits 0 when all pass.
 */
#include "test.h"

#define CHILDREN 4
#define ROUNDS 3
/* Iterations of a two-instruction loop between the checks: two million instructions, a
 * couple of timer ticks at the interpreter's speed, so the timer preempts it. */
#define SPIN 1000000

/* fcsr's value: frm in bits 7..5, the flags in 4..0. */
static unsigned long read_fcsr(void)
{
    unsigned long v;
    __asm__ volatile("frcsr %0" : "=r"(v));
    return v;
}

static void write_fcsr(unsigned long v)
{
    __asm__ volatile("fscsr %0" : : "r"(v));
}

/*
 * Loads f0..f31 from in[] and fcsr from *fcsr, sleeps one tick, spins, makes a getpid call,
 * then stores f0..f31 to out[] and fcsr to *fcsr: no compiled code runs in between, so any
 * change is the kernel's doing.
 */
static void hold_state(const unsigned long *in, unsigned long *out, unsigned long *fcsr)
{
    __asm__ volatile(
        "fld f0, 0(%[in])\n fld f1, 8(%[in])\n fld f2, 16(%[in])\n fld f3, 24(%[in])\n"
        "fld f4, 32(%[in])\n fld f5, 40(%[in])\n fld f6, 48(%[in])\n fld f7, 56(%[in])\n"
        "fld f8, 64(%[in])\n fld f9, 72(%[in])\n fld f10, 80(%[in])\n fld f11, 88(%[in])\n"
        "fld f12, 96(%[in])\n fld f13, 104(%[in])\n fld f14, 112(%[in])\n fld f15, 120(%[in])\n"
        "fld f16, 128(%[in])\n fld f17, 136(%[in])\n fld f18, 144(%[in])\n fld f19, 152(%[in])\n"
        "fld f20, 160(%[in])\n fld f21, 168(%[in])\n fld f22, 176(%[in])\n fld f23, 184(%[in])\n"
        "fld f24, 192(%[in])\n fld f25, 200(%[in])\n fld f26, 208(%[in])\n fld f27, 216(%[in])\n"
        "fld f28, 224(%[in])\n fld f29, 232(%[in])\n fld f30, 240(%[in])\n fld f31, 248(%[in])\n"
        "ld t0, 0(%[fcsr])\n fscsr t0\n"
        "li a0, 1\n li a7, %[sleep]\n ecall\n"
        "li t0, %[spin]\n 1: addi t0, t0, -1\n bnez t0, 1b\n"
        "li a7, %[getpid]\n ecall\n"
        "fsd f0, 0(%[out])\n fsd f1, 8(%[out])\n fsd f2, 16(%[out])\n fsd f3, 24(%[out])\n"
        "fsd f4, 32(%[out])\n fsd f5, 40(%[out])\n fsd f6, 48(%[out])\n fsd f7, 56(%[out])\n"
        "fsd f8, 64(%[out])\n fsd f9, 72(%[out])\n fsd f10, 80(%[out])\n fsd f11, 88(%[out])\n"
        "fsd f12, 96(%[out])\n fsd f13, 104(%[out])\n fsd f14, 112(%[out])\n fsd f15, 120(%[out])\n"
        "fsd f16, 128(%[out])\n fsd f17, 136(%[out])\n fsd f18, 144(%[out])\n fsd f19, 152(%[out])\n"
        "fsd f20, 160(%[out])\n fsd f21, 168(%[out])\n fsd f22, 176(%[out])\n fsd f23, 184(%[out])\n"
        "fsd f24, 192(%[out])\n fsd f25, 200(%[out])\n fsd f26, 208(%[out])\n fsd f27, 216(%[out])\n"
        "fsd f28, 224(%[out])\n fsd f29, 232(%[out])\n fsd f30, 240(%[out])\n fsd f31, 248(%[out])\n"
        "frcsr t0\n sd t0, 0(%[fcsr])\n"
        :
        : [in] "r"(in), [out] "r"(out), [fcsr] "r"(fcsr), [sleep] "i"(SYS_sleep), [getpid] "i"(SYS_getpid),
          [spin] "i"(SPIN)
        : "t0", "a0", "a7", "memory", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
          "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27",
          "f28", "f29", "f30", "f31");
}

/* A value for register r of child c in round k that no other (c, k, r) shares. */
static unsigned long pattern(int c, int k, int r)
{
    return 0x4000000000000000UL | ((unsigned long)c << 40) | ((unsigned long)k << 32) | ((unsigned long)r * 0x01010101UL);
}

static void keep_own_registers(int c)
{
    unsigned long in[32], out[32];
    for (int k = 0; k < ROUNDS; k++) {
        for (int r = 0; r < 32; r++)
            in[r] = pattern(c, k, r);
        /* A mode and flags of this child's own: frm = c mod 5, flags = a mask from c and k. */
        unsigned long want = ((unsigned long)(c % 5) << 5) | ((unsigned long)(c * 7 + k * 3) & 31);
        unsigned long fcsr = want;
        hold_state(in, out, &fcsr);
        for (int r = 0; r < 32; r++)
            check(out[r] == in[r], "child %d round %d: f%d is 0x%lx, was 0x%lx", c, k, r, out[r], in[r]);
        check(fcsr == want, "child %d round %d: fcsr is 0x%lx, was 0x%lx", c, k, fcsr, want);
    }
    exit(0);
}

static void registers_are_private(void)
{
    for (int c = 0; c < CHILDREN; c++) {
        if (fork_or_fail() == 0)
            keep_own_registers(c);
    }
    collect_children(CHILDREN, 0, "a child whose registers changed");
    printf("fptest: f0..f31 and fcsr survive sleeps and preemption in %d processes\n", CHILDREN);
}

/* 1/3 rounded by the current mode, as bits. */
static unsigned long third(void)
{
    volatile double one = 1.0, three = 3.0;
    double q = one / three;
    unsigned long bits;
    memcpy(&bits, &q, sizeof bits);
    return bits;
}

static void modes_are_private(void)
{
    static const unsigned long expected[2] = {0x3FD5555555555556UL, 0x3FD5555555555555UL};
    for (int c = 0; c < 2; c++) {
        if (fork_or_fail() == 0) {
            check(fesetround(c == 0 ? FE_UPWARD : FE_DOWNWARD) == 0, "fesetround failed");
            for (int i = 0; i < 200; i++) {
                unsigned long q = third();
                check(q == expected[c], "child %d: 1/3 is 0x%lx in its mode, expected 0x%lx", c, q, expected[c]);
                if (i % 50 == 0)
                    sleep(1);
            }
            check(fetestexcept(FE_INEXACT) != 0, "child %d: 1/3 did not raise inexact", c);
            exit(0);
        }
    }
    collect_children(2, 0, "a child computing in its own rounding mode");
    check(fegetround() == FE_TONEAREST, "the parent's mode changed to %d", fegetround());
    printf("fptest: rounding modes of concurrent processes do not mix\n");
}

static void fork_inherits_exec_resets(void)
{
    write_fcsr((FE_TOWARDZERO << 5) | FE_DIVBYZERO | FE_INEXACT);
    int pid = fork_or_fail();
    if (pid == 0) {
        unsigned long v = read_fcsr();
        check(v == ((FE_TOWARDZERO << 5) | FE_DIVBYZERO | FE_INEXACT), "the child's fcsr is 0x%lx", v);
        char *argv[] = {"fptest", "fcsr", NULL};
        exec("fptest", argv);
        fail("exec fptest failed");
    }
    /* The program exec started exits with its fcsr as the status. */
    expect_exit(pid, 0, "fptest fcsr (its fcsr after exec, which must be 0)");
    check(read_fcsr() == ((FE_TOWARDZERO << 5) | FE_DIVBYZERO | FE_INEXACT), "the parent's fcsr changed");
    write_fcsr(0);
    printf("fptest: fork copies fcsr, exec clears it\n");
}

int main(int argc, char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "fcsr") == 0)
        exit((int)read_fcsr());
    test_begin("fptest");
    registers_are_private();
    modes_are_private();
    fork_inherits_exec_resets();
    printf("fptest: ok\n");
    exit(0);
}
