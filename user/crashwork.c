/*
 * crashwork: the crash sweep's workload. Each argument is one operation on the file system,
 * run in order; after operation K completes the program prints "done K". Every operation is
 * one system call that changes the disk, so one log transaction: a crash leaves the tree as
 * it was after K or after K+1 operations, never in between.
 *   mkdir PATH
 *   create PATH              open with O_CREATE (an empty file)
 *   append PATH N SEED       N bytes (at most 3072, one transaction) at the end of the file
 *   trunc PATH               open with O_TRUNC
 *   link OLD NEW             a second name; with unlink, a rename
 *   unlink PATH              a file's name, or an empty directory
 *   orphan PATH N SEED       open, unlink (the last name), append N bytes to the nameless
 *                            file, close (which frees it): the tree changes at the unlink
 * Byte i of an append is (SEED*31 + i*7 + i/512) mod 256; the test computes the same.
 * An argument "|" splits the operations into lists that run at once, each in a child process
 * of its own (for group commits on several CPUs); list L then prints "L: done K". The lists
 * must work on separate names. Exits 0 after the last operation, or prints a FAIL line and
 * exits 1.
 */
#include "test.h"

#define MAX_APPEND 3072
#define MAX_WORDS 4

static char data[MAX_APPEND];
static char scratch[1024];

static void pattern(char *p, int n, int seed)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)(seed * 31 + i * 7 + (i >> 9));
}

/* Splits op in place at spaces; returns the number of words. */
static int split(char *op, char **words)
{
    int n = 0;
    while (*op) {
        while (*op == ' ')
            *op++ = 0;
        if (!*op)
            break;
        if (n == MAX_WORDS)
            fail("too many words in an operation");
        words[n++] = op;
        while (*op && *op != ' ')
            op++;
    }
    return n;
}

/* Opens an existing file for reading and writing, positioned at its end (there is no lseek). */
static int open_at_end(const char *path)
{
    int fd = open(path, O_RDWR);
    check(fd >= 0, "cannot open %s", path);
    int n;
    while ((n = read(fd, scratch, sizeof(scratch))) > 0)
        ;
    check(n == 0, "cannot read %s", path);
    return fd;
}

static void append(int fd, const char *path, const char *count, const char *seed)
{
    int n = atoi(count);
    check(n > 0 && n <= MAX_APPEND, "append of %d bytes to %s: 1..%d bytes make one transaction", n, path, MAX_APPEND);
    pattern(data, n, atoi(seed));
    check(write(fd, data, n) == n, "append of %d bytes to %s", n, path);
}

static void run(char *op)
{
    char *w[MAX_WORDS];
    int n = split(op, w);
    if (n == 2 && strcmp(w[0], "mkdir") == 0) {
        check(mkdir(w[1]) == 0, "mkdir %s", w[1]);
    } else if (n == 2 && strcmp(w[0], "create") == 0) {
        int fd = open(w[1], O_CREATE | O_WRONLY);
        check(fd >= 0, "create %s", w[1]);
        close(fd);
    } else if (n == 4 && strcmp(w[0], "append") == 0) {
        int fd = open_at_end(w[1]);
        append(fd, w[1], w[2], w[3]);
        close(fd);
    } else if (n == 2 && strcmp(w[0], "trunc") == 0) {
        int fd = open(w[1], O_WRONLY | O_TRUNC);
        check(fd >= 0, "trunc %s", w[1]);
        close(fd);
    } else if (n == 3 && strcmp(w[0], "link") == 0) {
        check(link(w[1], w[2]) == 0, "link %s %s", w[1], w[2]);
    } else if (n == 2 && strcmp(w[0], "unlink") == 0) {
        check(unlink(w[1]) == 0, "unlink %s", w[1]);
    } else if (n == 4 && strcmp(w[0], "orphan") == 0) {
        int fd = open_at_end(w[1]);
        check(unlink(w[1]) == 0, "unlink %s while open", w[1]);
        append(fd, w[1], w[2], w[3]);
        close(fd);
    } else {
        fail("unknown operation '%s' (%d words)", w[0], n);
    }
}

/* Runs n operations in order; list is 0 when it is the only one. */
static void run_list(char **ops, int n, int list)
{
    for (int k = 1; k <= n; k++) {
        run(ops[k - 1]);
        if (list)
            printf("%d: done %d\n", list, k);
        else
            printf("done %d\n", k);
    }
}

static int is_separator(const char *arg)
{
    return strcmp(arg, "|") == 0;
}

int main(int argc, char **argv)
{
    test_begin("crashwork");
    int lists = 1;
    for (int k = 1; k < argc; k++)
        lists += is_separator(argv[k]);
    if (lists == 1) {
        run_list(argv + 1, argc - 1, 0);
        exit(0);
    }
    int start = 1, list = 1;
    for (int k = 1; k <= argc; k++) {
        if (k < argc && !is_separator(argv[k]))
            continue;
        if (fork_or_fail() == 0) {
            run_list(argv + start, k - start, list);
            exit(0);
        }
        start = k + 1;
        list++;
    }
    collect_children(lists, 0, "a list of operations");
    exit(0);
}
