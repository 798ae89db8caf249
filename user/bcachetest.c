/*
 * bcachetest [test0] [test1]: the MIT lock lab's buffer-cache test, written anew (both tests
 * when none is named).
 *   test0  three children read their own files, in directories of their own, at the same time;
 *          "test0: OK" when the failed test-and-sets on the kmem and bcache locks grew by less
 *          than the lab's 500 meanwhile (one bcache lock fails it; per-bucket locks pass).
 *   test1  eviction under concurrency: one child reads two files that together hold more
 *          blocks than the cache has buffers, over and over, while another re-reads a small
 *          file; every block must read back as written. "test1 OK" when they all did.
 * Exits 0 when every test run printed OK, 1 otherwise.
 */
#include "user.h"

#define BLOCK 1024
#define READERS 3
#define SMALL_BLOCKS 10
#define BIG_BLOCKS 200 /* two of these: 400 blocks, more than the kernel's few hundred buffers */

static char block[BLOCK];

/* Block b of file f: every byte says which file and block it belongs to. */
static void fill(int f, int b)
{
    for (int i = 0; i < BLOCK; i++)
        block[i] = (char)(f * 31 + b * 7 + i);
}

static int matches(int f, int b)
{
    for (int i = 0; i < BLOCK; i++) {
        if (block[i] != (char)(f * 31 + b * 7 + i))
            return 0;
    }
    return 1;
}

static void create(const char *path, int f, int blocks)
{
    unlink(path);
    int fd = open(path, O_CREATE | O_WRONLY);
    if (fd < 0) {
        printf("bcachetest: cannot create %s\n", path);
        exit(1);
    }
    for (int b = 0; b < blocks; b++) {
        fill(f, b);
        if (write(fd, block, BLOCK) != BLOCK) {
            printf("bcachetest: cannot write %s\n", path);
            exit(1);
        }
    }
    close(fd);
}

/* Reads the file back whole; 0 when every block held what was written. */
static int verify(const char *path, int f, int blocks)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int ok = 1;
    for (int b = 0; b < blocks && ok; b++)
        ok = read(fd, block, BLOCK) == BLOCK && matches(f, b);
    close(fd);
    return ok ? 0 : -1;
}

static int wait_all(int n)
{
    int bad = 0, status;
    for (int i = 0; i < n; i++) {
        if (wait(&status) < 0 || status != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

static int test0(void)
{
    char dir[] = "bc0", file[] = "bc0/F";
    printf("start test0\n");
    for (int i = 0; i < READERS; i++) {
        dir[2] = file[2] = (char)('0' + i);
        mkdir(dir);
        create(file, i, SMALL_BLOCKS);
    }
    long before = statistics_total(0);
    for (int i = 0; i < READERS; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            dir[2] = (char)('0' + i);
            if (chdir(dir) < 0)
                exit(1);
            for (int round = 0; round < 50; round++) {
                if (verify("F", i, SMALL_BLOCKS) < 0)
                    exit(1);
            }
            exit(0);
        }
    }
    int children = wait_all(READERS);
    printf("test0 results:\n");
    long grown = statistics_total(1) - before;
    for (int i = 0; i < READERS; i++) {
        dir[2] = file[2] = (char)('0' + i);
        unlink(file);
        unlink(dir);
    }
    if (children != 0) {
        printf("test0: FAIL: a reader read something else than was written\n");
        return -1;
    }
    if (grown < 500) {
        printf("test0: OK\n");
        return 0;
    }
    printf("test0: FAIL\n");
    return -1;
}

static int test1(void)
{
    printf("start test1\n");
    create("bc-big0", 10, BIG_BLOCKS);
    create("bc-big1", 11, BIG_BLOCKS);
    create("bc-small", 12, 1);
    for (int i = 0; i < 2; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            for (int round = 0; round < (i == 0 ? 10 : 400); round++) {
                if (i == 0 && (verify("bc-big0", 10, BIG_BLOCKS) < 0 || verify("bc-big1", 11, BIG_BLOCKS) < 0))
                    exit(1);
                if (i == 1 && verify("bc-small", 12, 1) < 0)
                    exit(1);
            }
            exit(0);
        }
    }
    int children = wait_all(2);
    unlink("bc-big0");
    unlink("bc-big1");
    unlink("bc-small");
    if (children != 0) {
        printf("test1 FAIL: a block read back wrong\n");
        return -1;
    }
    printf("test1 OK\n");
    return 0;
}

int main(int argc, char *argv[])
{
    int run0 = argc == 1, run1 = argc == 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "test0") == 0)
            run0 = 1;
        else if (strcmp(argv[i], "test1") == 0)
            run1 = 1;
        else {
            fprintf(2, "usage: bcachetest [test0] [test1]\n");
            exit(2);
        }
    }
    int failed = 0;
    if (run0)
        failed |= test0();
    if (run1)
        failed |= test1();
    exit(failed ? 1 : 0);
}
