/*
 * pipestream [MB]: MB megabytes through a pipe in 512-byte writes to a reading child.
 * Prints "pipe 10 MB: V us per MB (...)".
 */
#include "bench.h"

#define LABEL "pipe stream"
#define CHUNK 512
#define MB (1024 * 1024)

int main(int argc, char **argv)
{
    int mb = bench_rounds(LABEL, argc, argv, 10);
    int fds[2];
    if (pipe(fds) < 0)
        bench_fail(LABEL, "pipe failed");
    int pid = fork();
    if (pid < 0)
        bench_fail(LABEL, "fork failed");
    static char buf[CHUNK];
    if (pid == 0) {
        close(fds[1]);
        long total = 0;
        int got;
        while ((got = read(fds[0], buf, sizeof(buf))) > 0)
            total += got;
        exit(total == (long)mb * MB ? 0 : 1);
    }
    close(fds[0]);
    uint64 start = rdtime();
    for (long sent = 0; sent < (long)mb * MB; sent += CHUNK) {
        if (write(fds[1], buf, CHUNK) != CHUNK)
            bench_fail(LABEL, "write failed");
    }
    close(fds[1]);
    int status;
    if (wait(&status) != pid || status != 0)
        bench_fail(LABEL, "the reader did not get every byte");
    uint64 ticks = rdtime() - start;
    bench_report(LABEL, "us", 1000, "MB", ticks, mb);
    return 0;
}
