/*
 * create_bench [N]: the cost of a small file's whole life, N times: create it (open with
 * O_CREATE), write 4 KB, close it, unlink it. Each of create, write and unlink is a
 * file-system operation that commits through the log, so this is mostly the log's cost.
 * Prints "create+write+close+unlink: V us per file (...)".
 */
#include "bench.h"

#define LABEL "create+write+close+unlink"
#define NAME "create.tmp"
#define SIZE 4096

static char data[SIZE];

/* One round; 0 when every call did what it should. */
static int one_file(void)
{
    int fd = open(NAME, O_CREATE | O_WRONLY);
    if (fd < 0)
        return -1;
    int wrote = write(fd, data, SIZE);
    if (close(fd) < 0 || wrote != SIZE)
        return -1;
    return unlink(NAME);
}

/* Outside the timed loop: a file written as the loop writes it reads back whole. */
static void check_contents(void)
{
    static char back[SIZE];
    int fd = open(NAME, O_CREATE | O_WRONLY);
    if (fd < 0 || write(fd, data, SIZE) != SIZE || close(fd) < 0)
        bench_fail(LABEL, "cannot write %s", NAME);
    struct stat st;
    fd = open(NAME, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) < 0 || st.size != SIZE || read(fd, back, SIZE) != SIZE || close(fd) < 0)
        bench_fail(LABEL, "%s does not read back as %d bytes", NAME, SIZE);
    if (memcmp(back, data, SIZE) != 0)
        bench_fail(LABEL, "%s reads back different bytes", NAME);
    if (unlink(NAME) < 0 || open(NAME, O_RDONLY) >= 0)
        bench_fail(LABEL, "%s is still there after unlink", NAME);
}

int main(int argc, char **argv)
{
    int n = bench_rounds(LABEL, argc, argv, 1500);
    for (int i = 0; i < SIZE; i++)
        data[i] = (char)('a' + i % 26);
    check_contents();
    uint64 start = rdtime();
    for (int i = 0; i < n; i++) {
        if (one_file() < 0)
            bench_fail(LABEL, "round %d failed", i);
    }
    uint64 ticks = rdtime() - start;
    bench_report(LABEL, "us", 1000, "file", ticks, n);
    return 0;
}
