/* Small helpers over the file system calls: reading a line, and stat by name. */
#include "user.h"

char *gets(char *buf, int max)
{
    int i = 0;
    /* One byte per read, so that nothing after the newline is taken from the descriptor:
     * the next reader (perhaps another program sharing fd 0) must find it there. */
    while (i + 1 < max) {
        char c;
        if (read(0, &c, 1) != 1)
            break;
        buf[i++] = c;
        if (c == '\n' || c == '\r')
            break;
    }
    if (max > 0)
        buf[i] = '\0';
    return buf;
}

int stat(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}
