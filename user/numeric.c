/*
 * numeric: a small numeric workload in float, double and long double: Gaussian elimination
 * on an ill-conditioned system, Newton iterations, a single-precision Mandelbrot set, sums
 * in every rounding mode and with compensation, a fused dot product, and long double (IEEE
 * quad, computed by libgcc's soft-float routines in integer instructions). Results are
 * printed in decimal and as bits, so any difference in any operation shows.
 */
#include "ulib.h"

#define N 10

static uint64_t bits_of(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* Solves H x = b for the N x N Hilbert matrix H and b = H * ones, so x should be all ones
 * but is not: H is ill-conditioned, which magnifies every rounding error. */
static void hilbert(void)
{
    static double a[N][N + 1];
    for (int i = 0; i < N; i++) {
        double sum = 0;
        for (int j = 0; j < N; j++) {
            a[i][j] = 1.0 / (i + j + 1);
            sum += a[i][j];
        }
        a[i][N] = sum;
    }
    for (int col = 0; col < N; col++) {
        int pivot = col;
        for (int r = col + 1; r < N; r++)
            if (fabs(a[r][col]) > fabs(a[pivot][col]))
                pivot = r;
        for (int k = 0; k <= N; k++) {
            double t = a[col][k];
            a[col][k] = a[pivot][k];
            a[pivot][k] = t;
        }
        for (int r = col + 1; r < N; r++) {
            double f = a[r][col] / a[col][col];
            for (int k = col; k <= N; k++)
                a[r][k] -= f * a[col][k];
        }
    }
    double x[N];
    uint64_t hash = 0;
    for (int i = N - 1; i >= 0; i--) {
        double s = a[i][N];
        for (int k = i + 1; k < N; k++)
            s -= a[i][k] * x[k];
        x[i] = s / a[i][i];
    }
    printf("hilbert %d:", N);
    for (int i = 0; i < N; i++) {
        printf(" %.6f", x[i]);
        hash = hash * 31 + bits_of(x[i]);
    }
    printf("\nhilbert bits hash 0x%lx\n", (unsigned long)hash);
}

static void newton(void)
{
    for (double v = 2; v < 1e6; v *= 7.5) {
        double x = v;
        for (int i = 0; i < 40; i++)
            x = 0.5 * (x + v / x);
        printf("sqrt(%.1f): newton %.17f sqrt %.17f same %d\n", v, x, sqrt(v), bits_of(x) == bits_of(sqrt(v)));
    }
}

/* Escape counts in single precision, drawn in characters. */
static void mandelbrot(void)
{
    long total = 0;
    for (int row = 0; row < 20; row++) {
        char line[61];
        for (int col = 0; col < 60; col++) {
            float cr = -2.2f + col * 0.05f, ci = -1.1f + row * 0.11f;
            float zr = 0, zi = 0;
            int n = 0;
            while (n < 200 && zr * zr + zi * zi <= 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                n++;
            }
            total += n;
            line[col] = " .:-=+*#%@"[n >= 200 ? 9 : n % 9];
        }
        line[60] = '\0';
        printf("|%s|\n", line);
    }
    printf("mandelbrot iterations %ld\n", total);
}

static void sums(void)
{
    static const char *names[] = {"rne", "rtz", "rdn", "rup", "rmm"};
    for (int mode = FE_TONEAREST; mode <= FE_TONEARESTFROMZERO; mode++) {
        fesetround(mode);
        double s = 0;
        float f = 0;
        for (int k = 1; k <= 20000; k++) {
            s += 1.0 / ((double)k * k);
            f += 1.0f / ((float)k * k);
        }
        printf("sum 1/k^2 %s: %.17f (0x%lx) float %.9f\n", names[mode], s, (unsigned long)bits_of(s), f);
    }
    fesetround(FE_TONEAREST);
    double naive = 0, kahan = 0, c = 0;
    for (int k = 1; k <= 100000; k++) {
        double term = 0.1;
        naive += term;
        double y = term - c, t = kahan + y;
        c = (t - kahan) - y;
        kahan = t;
        (void)k;
    }
    printf("100000 * 0.1: naive %.10f kahan %.10f\n", naive, kahan);
    double dot = 0, fused = 0;
    for (int k = 1; k <= 1000; k++) {
        double a = 1.0 / k, b = k * 1.000001;
        dot += a * b;
        fused = fma(a, b, fused);
    }
    printf("dot %.17f fused %.17f\n", dot, fused);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double zero = 0, huge = 1e308;
    volatile double r1 = 1 / zero, r2 = huge * 10, r3 = zero / zero;
    (void)r1;
    (void)r2;
    (void)r3;
    printf("flags after 1/0, overflow, 0/0: 0x%x\n", fetestexcept(FE_ALL_EXCEPT));
}

/* long double has no instructions on RISC-V: libgcc adds, divides and converts in software. */
static void quad(void)
{
    long double h = 0;
    for (int k = 1; k <= 2000; k++)
        h += 1.0L / k;
    double d = (double)h;
    long double third = 1.0L / 3;
    uint64_t q[2];
    memcpy(q, &third, sizeof q);
    printf("harmonic(2000) in long double %.17f (0x%lx); 1/3 quad bits 0x%016lx%016lx\n", d, (unsigned long)bits_of(d),
           (unsigned long)q[1], (unsigned long)q[0]);
}

int main(void)
{
    hilbert();
    newton();
    mandelbrot();
    sums();
    quad();
    return 0;
}
