/*
 * Console output for the runtime: Pebbles has print(len, buf) and no descriptors, so the
 * write that user/lib/printf.c calls prints what goes to 1 or 2 and refuses anything else.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

int write(int fd, const void *buf, int n)
{
    if (fd != 1 && fd != 2)
        return -1;
    return print(n, (char *)buf) < 0 ? -1 : n;
}

int putchar(int c)
{
    char ch = (char)c;
    return print(1, &ch) < 0 ? -1 : (unsigned char)c;
}

int puts(const char *s)
{
    /* One print for the line and its newline, so it is never split by another thread's. */
    size_t n = strlen(s);
    char line[256];
    if (n < sizeof line) {
        memcpy(line, s, n);
        line[n] = '\n';
        return print((int)n + 1, line) < 0 ? -1 : 0;
    }
    if (print((int)n, (char *)s) < 0 || print(1, "\n") < 0)
        return -1;
    return 0;
}
