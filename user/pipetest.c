/*
 * pipetest: pipes between processes. A large transfer (many times the pipe's buffer) arrives
 * whole and in order; end of file once the last write end closes; a write with no reader left
 * fails instead of blocking; many pipes at once; bad arguments fail cleanly.
 */
#include "test.h"

#define TOTAL (200 * 1024)

static unsigned char pattern(int i)
{
    return (unsigned char)(i * 7 + (i >> 8));
}

static void big_transfer(void)
{
    int fds[2];
    check(pipe(fds) == 0, "pipe");
    int pid = fork_or_fail();
    if (pid == 0) {
        close(fds[0]);
        static unsigned char out[1000];
        for (int sent = 0; sent < TOTAL;) {
            int n = TOTAL - sent < (int)sizeof(out) ? TOTAL - sent : (int)sizeof(out);
            for (int i = 0; i < n; i++)
                out[i] = pattern(sent + i);
            check(write(fds[1], out, n) == n, "write of %d bytes", n);
            sent += n;
        }
        exit(0);
    }
    close(fds[1]);
    static unsigned char in[777];
    int got = 0, n;
    while ((n = read(fds[0], in, sizeof(in))) > 0) {
        for (int i = 0; i < n; i++)
            check(in[i] == pattern(got + i), "byte %d wrong", got + i);
        got += n;
    }
    check(n == 0, "read after the writer exited returned %d, not 0", n);
    check(got == TOTAL, "received %d bytes, not %d", got, TOTAL);
    close(fds[0]);
    expect_exit(pid, 0, "writer");
    printf("pipetest: %d bytes through a pipe\n", TOTAL);
}

static void no_reader(void)
{
    int fds[2];
    check(pipe(fds) == 0, "pipe");
    close(fds[0]);
    char c = 'x';
    check(write(fds[1], &c, 1) == -1, "write with no reader did not fail");
    close(fds[1]);
    printf("pipetest: write with no reader fails\n");
}

static void many_pipes(void)
{
    int fds[12];
    for (int i = 0; i < 12; i += 2)
        check(pipe(fds + i) == 0, "pipe %d", i / 2);
    for (int i = 0; i < 12; i += 2) {
        char c = 'a' + i;
        check(write(fds[i + 1], &c, 1) == 1, "write to pipe %d", i / 2);
    }
    for (int i = 0; i < 12; i += 2) {
        char c = 0;
        check(read(fds[i], &c, 1) == 1 && c == 'a' + i, "read from pipe %d", i / 2);
        close(fds[i]);
        close(fds[i + 1]);
    }
    printf("pipetest: many pipes at once\n");
}

static void bad_arguments(void)
{
    check(pipe((int *)0xffffffffffffff00UL) == -1, "pipe to a bad address");
    check(pipe((int *)first_unmapped()) == -1, "pipe to unmapped memory");
    int fds[2];
    check(pipe(fds) == 0, "pipe after failures");
    char c;
    check(read(fds[1], &c, 1) == -1, "read from the write end");
    check(write(fds[0], &c, 1) == -1, "write to the read end");
    struct stat st;
    check(fstat(fds[0], &st) == -1, "fstat of a pipe");
    close(fds[0]);
    close(fds[1]);
    printf("pipetest: bad arguments fail\n");
}

int main(void)
{
    test_begin("pipetest");
    big_transfer();
    no_reader();
    many_pipes();
    bad_arguments();
    printf("pipetest: ok\n");
    return 0;
}
