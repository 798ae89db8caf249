/* cat: copies each named file, or standard input when none is named, to standard output. */
#include "user.h"

/* Static, not on the stack: a process's stack is a single page. */
static char buf[1024];

/* Copies fd to standard output until end of file; 0 on success, -1 on a read or write error. */
static int copy(int fd)
{
    int n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(1, buf, n) != n)
            return -1;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc <= 1) {
        if (copy(0) < 0) {
            fprintf(2, "cat: error copying standard input\n");
            return 1;
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "cat: cannot open %s\n", argv[i]);
            return 1;
        }
        int r = copy(fd);
        close(fd);
        if (r < 0) {
            fprintf(2, "cat: error copying %s\n", argv[i]);
            return 1;
        }
    }
    return 0;
}
