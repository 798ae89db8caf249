/* The thread library's panic (thr_internals.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "thr_internals.h"

void thr_panic(const char *fmt, ...)
{
    char line[256];
    const char prefix[] = "thread library: ";
    memcpy(line, prefix, sizeof prefix - 1);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + sizeof prefix - 1, sizeof line - sizeof prefix, fmt, ap);
    va_end(ap);
    int len = (int)(sizeof prefix - 1) + (n < 0 ? 0 : n);
    if (len > (int)sizeof line - 2)
        len = (int)sizeof line - 2;
    line[len++] = '\n';
    print(len, line);
    task_vanish(-1);
}
