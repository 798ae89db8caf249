/*
 * printf to a file descriptor. Output collects in a small buffer that is written when full
 * and at the end of each call, so a line costs one system call, not one per character.
 *
 * %f prints the exact decimal value of the double, rounded to the precision in the current
 * rounding mode (frm), as glibc does: 0.125 with %.2f is "0.12" in round-to-nearest-even
 * and "0.13" after fesetround(FE_UPWARD). That takes integers wider than 64 bits (a double
 * can be 2^1023, and its fraction can need 1074 binary places), kept here as arrays of
 * 32-bit limbs.
 */
#include "ulib.h"

/* Where output goes: descriptor fd through buf, or (str non-NULL) into str, which holds cap
 * bytes; count is what the whole output takes, even past cap (snprintf's result). */
struct out {
    int fd;
    int count;
    size_t len;
    char *str;
    size_t cap;
    char buf[256];
};

/* One conversion's flags, field width, precision (-1 if none) and argument size (0 int,
 * 1 long, 2 long long). */
struct spec {
    int left;
    int zero;
    int plus;
    int space;
    int width;
    int precision;
    int size;
};

static void flush(struct out *o)
{
    if (o->len > 0)
        write(o->fd, o->buf, o->len);
    o->len = 0;
}

static void put(struct out *o, char c)
{
    if (o->str != NULL) {
        if (o->len + 1 < o->cap)
            o->str[o->len++] = c;
        o->count++;
        return;
    }
    if (o->len == sizeof o->buf)
        flush(o);
    o->buf[o->len++] = c;
    o->count++;
}

static void puts_n(struct out *o, const char *s, int n)
{
    for (int i = 0; i < n; i++)
        put(o, s[i]);
}

static void pad(struct out *o, char c, int n)
{
    for (; n > 0; n--)
        put(o, c);
}

/* Writes prefix (a sign or "0x"), zeros leading zeros and the digits into the field the
 * spec describes. */
static void put_padded(struct out *o, const struct spec *sp, const char *prefix, int zeros, const char *digits,
                       int ndigits)
{
    int plen = (int)strlen(prefix);
    int fill = sp->width - plen - zeros - ndigits;
    if (!sp->left && !sp->zero)
        pad(o, ' ', fill);
    puts_n(o, prefix, plen);
    if (!sp->left && sp->zero)
        pad(o, '0', fill);
    pad(o, '0', zeros);
    puts_n(o, digits, ndigits);
    if (sp->left)
        pad(o, ' ', fill);
}

static void put_field(struct out *o, const struct spec *sp, const char *prefix, const char *digits, int ndigits)
{
    put_padded(o, sp, prefix, 0, digits, ndigits);
}

/* An integer: the precision is the least number of digits, and 0 with precision 0 has none;
 * with a precision the 0 flag is ignored, as C says. */
static void put_number(struct out *o, const struct spec *sp, unsigned long long v, unsigned base,
                       int upper, const char *prefix)
{
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int i = sizeof tmp;
    if (v != 0 || sp->precision != 0) {
        do {
            tmp[--i] = alphabet[v % base];
            v /= base;
        } while (v != 0);
    }
    int ndigits = (int)sizeof tmp - i;
    struct spec s = *sp;
    if (s.precision >= 0)
        s.zero = 0;
    put_padded(o, &s, prefix, s.precision > ndigits ? s.precision - ndigits : 0, tmp + i, ndigits);
}

static const char *sign_prefix(const struct spec *sp, int negative)
{
    return negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
}

/* ---- %f ---------------------------------------------------------------------------- */

/* Enough for 2^1024 * 10^MAX_FLOAT_PRECISION. */
#define BIG_LIMBS 48
#define MAX_FLOAT_PRECISION 60

struct big {
    int n; /* limbs in use; d[n-1] may be 0 only when n == 1 */
    uint32_t d[BIG_LIMBS];
};

static void big_set(struct big *b, uint64_t v)
{
    b->d[0] = (uint32_t)v;
    b->d[1] = (uint32_t)(v >> 32);
    b->n = b->d[1] != 0 ? 2 : 1;
}

static void big_trim(struct big *b)
{
    while (b->n > 1 && b->d[b->n - 1] == 0)
        b->n--;
}

static void big_mul_add(struct big *b, uint32_t m, uint32_t a)
{
    uint64_t carry = a;
    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->d[i] * m + carry;
        b->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry != 0)
        b->d[b->n++] = (uint32_t)carry;
}

static void big_shift_left(struct big *b, int bits)
{
    int limbs = bits / 32, r = bits % 32;
    for (int i = b->n - 1 + limbs + 1; i >= 0; i--) {
        uint64_t hi = i - limbs >= 0 && i - limbs < b->n ? b->d[i - limbs] : 0;
        uint64_t lo = i - limbs - 1 >= 0 && i - limbs - 1 < b->n ? b->d[i - limbs - 1] : 0;
        b->d[i] = (uint32_t)(r == 0 ? hi : (hi << r) | (lo >> (32 - r)));
    }
    b->n += limbs + 1;
    big_trim(b);
}

static int big_bit(const struct big *b, int bit)
{
    return bit / 32 < b->n ? (int)((b->d[bit / 32] >> (bit % 32)) & 1) : 0;
}

/* Shifts right by bits; returns what was lost: 0 nothing, 1 less than half, 2 exactly half,
 * 3 more than half of the new last place. */
static int big_shift_right(struct big *b, int bits)
{
    if (bits == 0)
        return 0;
    int half = big_bit(b, bits - 1), below = 0;
    for (int i = 0; i < bits - 1 && !below; i++)
        below = big_bit(b, i);
    int limbs = bits / 32, r = bits % 32;
    for (int i = 0; i < b->n; i++) {
        uint64_t lo = i + limbs < b->n ? b->d[i + limbs] : 0;
        uint64_t hi = i + limbs + 1 < b->n ? b->d[i + limbs + 1] : 0;
        b->d[i] = (uint32_t)(r == 0 ? lo : (lo >> r) | (hi << (32 - r)));
    }
    b->n = b->n > limbs ? b->n - limbs : 1;
    big_trim(b);
    return half ? (below ? 3 : 2) : (below ? 1 : 0);
}

static uint32_t big_div_small(struct big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        uint64_t t = (rem << 32) | b->d[i];
        b->d[i] = (uint32_t)(t / d);
        rem = t % d;
    }
    big_trim(b);
    return (uint32_t)rem;
}

static int big_is_zero(const struct big *b)
{
    return b->n == 1 && b->d[0] == 0;
}

/* The rounding mode printf rounds in: frm, as fesetround leaves it. */
static unsigned current_rounding_mode(void)
{
    unsigned long mode;
    __asm__ volatile("frrm %0" : "=r"(mode));
    return (unsigned)mode;
}

static void put_double(struct out *o, const struct spec *sp, double v, int upper)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int negative = (int)(bits >> 63);
    int biased = (int)((bits >> 52) & 0x7FF);
    uint64_t fraction = bits & ((1ULL << 52) - 1);
    struct spec plain = *sp;
    if (biased == 0x7FF) {
        plain.zero = 0;
        const char *text = fraction != 0 ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        put_field(o, &plain, sign_prefix(sp, negative), text, 3);
        return;
    }
    int precision = sp->precision < 0 ? 6 : sp->precision > MAX_FLOAT_PRECISION ? MAX_FLOAT_PRECISION : sp->precision;
    /* v = significand * 2^exponent exactly; scaled = v * 10^precision, then rounded. */
    uint64_t significand = biased != 0 ? fraction | (1ULL << 52) : fraction;
    int exponent = (biased != 0 ? biased : 1) - 1075;
    struct big scaled;
    big_set(&scaled, significand);
    for (int i = 0; i < precision; i++)
        big_mul_add(&scaled, 10, 0);
    int lost = 0;
    if (exponent >= 0)
        big_shift_left(&scaled, exponent);
    else
        lost = big_shift_right(&scaled, -exponent);
    int round_up;
    switch (current_rounding_mode()) {
    case 1: /* toward zero */
        round_up = 0;
        break;
    case 2: /* down */
        round_up = negative && lost != 0;
        break;
    case 3: /* up */
        round_up = !negative && lost != 0;
        break;
    case 4: /* nearest, ties away from zero */
        round_up = lost >= 2;
        break;
    default: /* nearest, ties to even */
        round_up = lost == 3 || (lost == 2 && (scaled.d[0] & 1) != 0);
        break;
    }
    if (round_up)
        big_mul_add(&scaled, 1, 1);

    /* Decimal digits, least significant first, nine at a time. */
    char digits[400];
    int n = 0;
    do {
        uint32_t chunk = big_div_small(&scaled, 1000000000);
        for (int i = 0; i < 9; i++) {
            digits[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    } while (!big_is_zero(&scaled));
    while (n > precision + 1 && digits[n - 1] == '0')
        n--;
    while (n < precision + 1)
        digits[n++] = '0';
    char text[402];
    int len = 0;
    for (int i = n - 1; i >= precision; i--)
        text[len++] = digits[i];
    if (precision > 0) {
        text[len++] = '.';
        for (int i = precision - 1; i >= 0; i--)
            text[len++] = digits[i];
    }
    put_field(o, sp, sign_prefix(sp, negative), text, len);
}

static long long signed_arg(va_list *ap, int size)
{
    if (size == 2)
        return va_arg(*ap, long long);
    if (size == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static unsigned long long unsigned_arg(va_list *ap, int size)
{
    if (size == 2)
        return va_arg(*ap, unsigned long long);
    if (size == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static void put_signed(struct out *o, const struct spec *sp, long long v)
{
    /* Negate as unsigned so that LLONG_MIN needs no signed overflow. */
    unsigned long long magnitude = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    put_number(o, sp, magnitude, 10, 0, sign_prefix(sp, v < 0));
}

/* A string: the precision, if any, is the most characters printed. */
static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    struct spec plain = *sp;
    plain.zero = 0;
    if (s == NULL)
        s = "(null)";
    int len = 0;
    while (s[len] != '\0' && (sp->precision < 0 || len < sp->precision))
        len++;
    put_field(o, &plain, "", s, len);
}

/* Parses flags, width, precision and size after a '%'; returns where the conversion letter
 * is. A '*' width or precision is taken from the arguments. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){0};
    sp->precision = -1;
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else if (*f == '+')
            sp->plus = 1;
        else if (*f == ' ')
            sp->space = 1;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = 1;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            int p = va_arg(*ap, int);
            sp->precision = p < 0 ? -1 : p;
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->precision = sp->precision * 10 + (*f++ - '0');
    }
    if (*f == 'z') {
        sp->size = 1;
        f++;
    }
    while (*f == 'l' && sp->size < 2) {
        sp->size++;
        f++;
    }
    return f;
}

static void convert(struct out *o, const struct spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i':
        put_signed(o, sp, signed_arg(ap, sp->size));
        break;
    case 'u':
        put_number(o, sp, unsigned_arg(ap, sp->size), 10, 0, "");
        break;
    case 'x':
    case 'X':
        put_number(o, sp, unsigned_arg(ap, sp->size), 16, c == 'X', "");
        break;
    case 'p':
        put_number(o, sp, (uintptr_t)va_arg(*ap, void *), 16, 0, "0x");
        break;
    case 's':
        put_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'f':
    case 'F':
        put_double(o, sp, va_arg(*ap, double), c == 'F');
        break;
    case 'c': {
        char ch[1] = {(char)va_arg(*ap, int)};
        struct spec plain = *sp;
        plain.zero = 0;
        put_field(o, &plain, "", ch, 1);
        break;
    }
    case '%':
        put(o, '%');
        break;
    default:
        /* Unknown conversions print as written, which makes a bad format easy to spot. */
        put(o, '%');
        put(o, c);
        break;
    }
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            put(o, *f);
            continue;
        }
        struct spec sp;
        f = parse_spec(f + 1, &sp, &args);
        if (*f == '\0')
            break;
        convert(o, &sp, *f, &args);
    }
    va_end(args);
}

int vfprintf(int fd, const char *fmt, va_list ap)
{
    struct out o = {.fd = fd};
    format(&o, fmt, ap);
    flush(&o);
    return o.count;
}

int vsnprintf(char *str, size_t size, const char *fmt, va_list ap)
{
    /* A size of 0 writes nothing at all; the NUL goes at the end of what fits. */
    char none;
    struct out o = {.fd = -1, .str = size > 0 ? str : &none, .cap = size};
    format(&o, fmt, ap);
    if (size > 0)
        str[o.len] = '\0';
    return o.count;
}

int snprintf(char *str, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(str, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *str, const char *fmt, va_list ap)
{
    return vsnprintf(str, (size_t)-1 >> 1, fmt, ap);
}

int sprintf(char *str, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(str, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(1, fmt, ap);
}

int fprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(1, fmt, ap);
    va_end(ap);
    return n;
}
