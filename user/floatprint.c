/*
 * floatprint: printf of float and double values. %f prints the exact decimal value rounded
 * to the precision in the current rounding mode, so every line here is determined by IEEE
 * arithmetic and the C standard alone: the program prints the same under qemu-riscv64, under
 * Osprey's machine, and under Osprey's kernel.
 */
#include "ulib.h"

static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static uint64_t bits_of(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* volatile so the compiler computes these at run time, on the machine under test. */
static volatile double one = 1.0, three = 3.0, tenth = 0.1, big = 1e300, tiny = 1e-300;

static void plain_values(void)
{
    static const double values[] = {
        0.0, 1.0, -1.5, 0.1, 0.5, 2.5, 1e10, 123456789.125, 1e22, 1e23, 4503599627370497.0, 9007199254740993.0,
        -0.000001, 1e-7, 3.14159265358979323846, 2.718281828459045,
    };
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++)
        printf("%%f %f  %%.17f %.17f  %%.0f %.0f\n", values[i], values[i], values[i]);
    printf("-0.0: %f %.0f %+.2f\n", -0.0, -0.0, -0.0);
    printf("1/3: %f %.20f %.40f\n", one / three, one / three, one / three);
    printf("0.1: %.1f %.17f %.55f\n", tenth, tenth, tenth);
    printf("largest: %f\n", from_bits(0x7FEFFFFFFFFFFFFFULL));
    printf("smallest normal: %.60f\n", from_bits(0x0010000000000000ULL));
    printf("smallest subnormal: %.60f\n", from_bits(1));
    printf("1e300 * 1e300 = %f, -1e300 * 1e300 = %F, 0 * inf = %f, -(0 * inf) = %F\n", big * big, -big * big,
           0.0 * (big * big), -(0.0 * (big * big)));
    printf("1e-300 * 1e-300 = %.3f, as bits 0x%lx\n", tiny * tiny, (unsigned long)bits_of(tiny * tiny));
}

static void ties_and_precision(void)
{
    printf("ties: %.0f %.0f %.0f %.0f %.1f %.1f %.2f %.2f %.3f\n", 0.5, 1.5, 2.5, -2.5, 0.25, 0.35, 0.125, 0.375, 1.0005);
    printf("precision: [%.0f] [%.1f] [%.10f] [%.*f]\n", 9.99, 9.99, 9.99, 4, 9.99);
}

static void widths_and_flags(void)
{
    double pi = 3.14159265358979;
    printf("[%10.3f] [%-10.3f] [%010.3f] [%+f] [% f] [%+.1f]\n", pi, pi, pi, pi, pi, -pi);
    printf("[%08.2f] [%-8.2f] [%+08.2f] [%*.*f] [%-*.2f]\n", -pi, -pi, pi, 12, 5, pi, 9, pi);
    printf("[%8f] [%-8f] [%08f] [%+f]\n", 1e300 * 1e10, -1e300 * 1e10, 1e300 * 1e10, 0.0 * (1e300 * 1e10));
}

static void floats(void)
{
    volatile float a = 0.1f, b = 16777217.0f, c = 3.4028235e38f, d = 1e-45f;
    printf("floats: %f %.10f %f %f %.50f\n", a, a, b, c, d);
    volatile float x = 1.0f, y = 3.0f;
    float q = x / y;
    printf("1.0f/3.0f = %.12f (%.9f as a double)\n", q, (double)q);
}

static void rounding_modes(void)
{
    static const char *names[] = {"to nearest", "toward zero", "downward", "upward", "nearest from zero"};
    for (int mode = FE_TONEAREST; mode <= FE_TONEARESTFROMZERO; mode++) {
        fesetround(mode);
        double q = one / three, r = -one / three;
        printf("%-17s %.2f %.2f %.0f %.0f %.3f | 1/3 = %.20f (0x%lx) | -1/3 = %.20f (0x%lx)\n", names[mode], 0.125,
               -0.125, 2.5, -0.5, 1.0005, q, (unsigned long)bits_of(q), r, (unsigned long)bits_of(r));
    }
    fesetround(FE_TONEAREST);
}

static void conversions(void)
{
    volatile double v[] = {2.7, -2.7, 1e19, -1e19, 4294967296.5, 0.9999999999999999};
    for (int i = 0; i < 6; i++)
        printf("(long)%f = %ld, (unsigned long)%f = %lu, (int)%f = %d\n", v[i], (long)v[i], v[i], (unsigned long)(v[i] < 0 ? 0 : v[i]),
               v[i], (v[i] > 2e9 || v[i] < -2e9) ? 0 : (int)v[i]);
}

int main(void)
{
    plain_values();
    ties_and_precision();
    widths_and_flags();
    floats();
    rounding_modes();
    conversions();
    return 0;
}
