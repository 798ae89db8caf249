/* errno and the error names of the Linux-numbered calls (errno.h). */
#include "user.h"
#include "errno.h"

int errno;

static const struct {
    int number;
    const char *text;
} descriptions[] = {
    {EPERM, "operation not permitted"},
    {ENOENT, "no such entry"},
    {ESRCH, "no such process"},
    {EINTR, "interrupted system call"},
    {E2BIG, "argument too large"},
    {ENOMEM, "out of memory"},
    {EFAULT, "bad address"},
    {EINVAL, "invalid argument"},
};

const char *strerror(int e)
{
    static char unknown[32];
    for (int i = 0; i < (int)(sizeof descriptions / sizeof descriptions[0]); i++) {
        if (descriptions[i].number == e)
            return descriptions[i].text;
    }
    /* Built by hand: the runtime has no snprintf. */
    char digits[12];
    int n = 0;
    unsigned u = e < 0 ? -(unsigned)e : (unsigned)e;
    do {
        digits[n++] = '0' + u % 10;
        u /= 10;
    } while (u != 0);
    char *p = unknown;
    strcpy(p, "unknown error ");
    p += strlen(p);
    if (e < 0)
        *p++ = '-';
    while (n > 0)
        *p++ = digits[--n];
    *p = '\0';
    return unknown;
}

void perror(const char *s)
{
    if (s != NULL && *s != '\0')
        fprintf(2, "%s: %s\n", s, strerror(errno));
    else
        fprintf(2, "%s\n", strerror(errno));
}
