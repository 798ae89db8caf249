/*
 * printf to a file descriptor. Output collects in a small buffer that is written when full
 * and at the end of each call, so a line costs one system call, not one per character.
 */
#include "ulib.h"

struct out {
    int fd;
    int count;
    size_t len;
    char buf[256];
};

/* One conversion's flags, field width and argument size (0 int, 1 long, 2 long long). */
struct spec {
    int left;
    int zero;
    int width;
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

/* Writes prefix (a sign or "0x") and digits into the field the spec describes. */
static void put_field(struct out *o, const struct spec *sp, const char *prefix, const char *digits, int ndigits)
{
    int plen = (int)strlen(prefix);
    int fill = sp->width - plen - ndigits;
    if (!sp->left && !sp->zero)
        pad(o, ' ', fill);
    puts_n(o, prefix, plen);
    if (!sp->left && sp->zero)
        pad(o, '0', fill);
    puts_n(o, digits, ndigits);
    if (sp->left)
        pad(o, ' ', fill);
}

static void put_number(struct out *o, const struct spec *sp, unsigned long long v, unsigned base,
                       int upper, const char *prefix)
{
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int i = sizeof tmp;
    do {
        tmp[--i] = alphabet[v % base];
        v /= base;
    } while (v != 0);
    put_field(o, sp, prefix, tmp + i, (int)sizeof tmp - i);
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
    put_number(o, sp, magnitude, 10, 0, v < 0 ? "-" : "");
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
    struct spec plain = *sp;
    plain.zero = 0;
    if (s == NULL)
        s = "(null)";
    put_field(o, &plain, "", s, (int)strlen(s));
}

/* Parses flags, width and size after a '%'; returns where the conversion letter is. */
static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){0};
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
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

int vfprintf(int fd, const char *fmt, va_list ap)
{
    struct out o = {.fd = fd};
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        struct spec sp;
        f = parse_spec(f + 1, &sp);
        if (*f == '\0')
            break;
        convert(&o, &sp, *f, &args);
    }
    va_end(args);
    flush(&o);
    return o.count;
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
