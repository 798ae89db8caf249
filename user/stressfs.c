/*
 * stressfs: several children write files at the same time, each its own, then read them back
 * and check every byte, then remove them. This keeps the log busy with operations from many
 * processes at once (group commit, several writers in one transaction). Prints each child's
 * progress and "stressfs: ok" when every child succeeded; exits 0 then, 1 otherwise.
 */
#include "user.h"

#define CHILDREN 4
#define CHUNK 512
#define CHUNKS 20 /* 10 KB a file: more than the 3 KB one log operation takes, so several */

static char chunk[CHUNK];
static char name[] = "stressfs.0";

/* The byte at offset i of child k's file: differs between children and between chunks. */
static char pattern(int k, int i)
{
    return (char)('a' + (k * 7 + i / CHUNK + i) % 26);
}

static int fill_and_write(int fd, int k)
{
    for (int c = 0; c < CHUNKS; c++) {
        for (int i = 0; i < CHUNK; i++)
            chunk[i] = pattern(k, c * CHUNK + i);
        if (write(fd, chunk, CHUNK) != CHUNK)
            return -1;
    }
    return 0;
}

static int read_and_check(int fd, int k)
{
    for (int c = 0; c < CHUNKS; c++) {
        if (read(fd, chunk, CHUNK) != CHUNK)
            return -1;
        for (int i = 0; i < CHUNK; i++) {
            if (chunk[i] != pattern(k, c * CHUNK + i))
                return -1;
        }
    }
    return read(fd, chunk, 1) == 0 ? 0 : -1; /* and nothing more */
}

/* One child's work on file stressfs.K; its exit status. */
static int child(int k)
{
    name[sizeof name - 2] = (char)('0' + k);
    int fd = open(name, O_CREATE | O_TRUNC | O_WRONLY);
    if (fd < 0 || fill_and_write(fd, k) < 0) {
        printf("stressfs: child %d: cannot write %s\n", k, name);
        return 1;
    }
    close(fd);
    printf("stressfs: child %d wrote %d bytes to %s\n", k, CHUNK * CHUNKS, name);
    fd = open(name, O_RDONLY);
    if (fd < 0 || read_and_check(fd, k) < 0) {
        printf("stressfs: child %d: %s does not read back as written\n", k, name);
        return 1;
    }
    close(fd);
    if (unlink(name) < 0) {
        printf("stressfs: child %d: cannot remove %s\n", k, name);
        return 1;
    }
    printf("stressfs: child %d read it back\n", k);
    return 0;
}

int main(void)
{
    printf("stressfs starting: %d children, %d bytes each\n", CHILDREN, CHUNK * CHUNKS);
    int started = 0;
    for (int k = 0; k < CHILDREN; k++) {
        int pid = fork();
        if (pid == 0)
            exit(child(k));
        if (pid < 0) {
            printf("stressfs: fork failed\n");
            break;
        }
        started++;
    }
    int failed = started < CHILDREN;
    for (int i = 0; i < started; i++) {
        int status;
        if (wait(&status) < 0 || status != 0)
            failed = 1;
    }
    if (failed) {
        printf("stressfs: FAILED\n");
        return 1;
    }
    printf("stressfs: ok\n");
    return 0;
}
