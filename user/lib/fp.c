/*
 * The floating-point environment and the math functions that are single F/D instructions.
 * The rounding mode and the exception flags live in fcsr (frm and fflags), which user code
 * may read and write; the FE_* values are their bit encodings.
 */
#include "ulib.h"

int fegetround(void)
{
    unsigned long mode;
    __asm__ volatile("frrm %0" : "=r"(mode));
    return (int)mode;
}

int fesetround(int mode)
{
    if (mode < FE_TONEAREST || mode > FE_TONEARESTFROMZERO)
        return -1;
    __asm__ volatile("fsrm %0" : : "r"((unsigned long)mode));
    return 0;
}

int fetestexcept(int excepts)
{
    unsigned long flags;
    __asm__ volatile("frflags %0" : "=r"(flags));
    return (int)flags & excepts & FE_ALL_EXCEPT;
}

int feclearexcept(int excepts)
{
    __asm__ volatile("csrc fflags, %0" : : "r"((unsigned long)(excepts & FE_ALL_EXCEPT)));
    return 0;
}

double sqrt(double x)
{
    double r;
    __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

float sqrtf(float x)
{
    float r;
    __asm__("fsqrt.s %0, %1" : "=f"(r) : "f"(x));
    return r;
}

double fabs(double x)
{
    double r;
    __asm__("fsgnjx.d %0, %1, %1" : "=f"(r) : "f"(x));
    return r;
}

float fabsf(float x)
{
    float r;
    __asm__("fsgnjx.s %0, %1, %1" : "=f"(r) : "f"(x));
    return r;
}

double fma(double x, double y, double z)
{
    double r;
    __asm__("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(x), "f"(y), "f"(z));
    return r;
}
