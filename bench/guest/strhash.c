/*
 * Builds many short strings ("key-<n>-<word>") and hashes each with FNV-1a and djb2: byte
 * loads and stores, short loops, a division per digit and calls into the runtime.
 */
#include "ulib.h"

#define STRINGS 1150000

static const char *const words[] = {"osprey", "kestrel", "harrier", "merlin", "hobby", "falcon", "kite"};
#define WORDS (sizeof words / sizeof words[0])

/* Appends n in decimal at p and returns the end. */
static char *put_decimal(char *p, uint64_t n)
{
    char digits[20];
    int len = 0;
    do {
        digits[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (len > 0)
        *p++ = digits[--len];
    return p;
}

static char *put_string(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static size_t make_key(char *buf, uint64_t n)
{
    char *p = put_string(buf, "key-");
    p = put_decimal(p, n * 2654435761UL);
    *p++ = '-';
    p = put_string(p, words[n % WORDS]);
    *p = '\0';
    return (size_t)(p - buf);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325UL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3UL;
    }
    return h;
}

static uint32_t djb2(const char *s)
{
    uint32_t h = 5381;
    while (*s != '\0')
        h = h * 33 + (unsigned char)*s++;
    return h;
}

int main(void)
{
    char buf[64];
    uint64_t fnv = 0, djb = 0;
    for (uint64_t i = 0; i < STRINGS; i++) {
        size_t n = make_key(buf, i);
        fnv ^= fnv1a(buf, n) + (fnv << 1);
        djb += djb2(buf);
    }
    printf("strhash: %d strings -> fnv1a %016lx djb2 %016lx\n", STRINGS, fnv, djb);
    return 0;
}
