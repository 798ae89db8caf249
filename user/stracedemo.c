/*
 * A fixed sequence of system calls for the strace test (tests/.../Insight/StraceTests.cs
 * knows each line it must produce): strings, flags, buffers read and written, descriptors
 * filled, an argv, and errors of both conventions (xv6's -1, a Pebbles code). One process,
 * one thread, so its lines come in this order on any number of CPUs.
 */
#include "user.h"

int main(void)
{
    char buf[8];
    int fds[2];
    char *argv[] = {"nosuch", "-x", "two words", 0};

    int fd = open("README", O_RDONLY);
    read(fd, buf, 6);
    close(fd);
    open("nosuch", O_RDONLY);
    fd = open("strace.tmp", O_CREATE | O_WRONLY | O_TRUNC);
    write(fd, "a\tb\"\\\001\n", 7);
    close(fd);
    unlink("strace.tmp");
    pipe(fds);
    write(fds[1], "xy", 2);
    read(fds[0], buf, sizeof buf);
    exec("nosuch", argv);
    yield(1000000);
    exit(3);
}
