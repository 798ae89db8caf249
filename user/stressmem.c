/*
 * stressmem [--oom] [ROUNDS]: the KU Leuven kalloc exercise's stress program. Three workers
 * each do ROUNDS (default 10) rounds of 10,000 times sbrk(+4096), a write to the new page,
 * sbrk(-4096): every time one frame allocated and freed, by three CPUs at once, which is what
 * makes the kmem lock contended. With --oom each round instead grows until sbrk fails, writes
 * every page, and gives it all back, so CPUs run out of frames and (with the percpu allocator)
 * steal from each other. The free-page count before and after must be equal: otherwise it
 * prints "[stressmem] Lost pages" and exits 1. Press Ctrl-L afterwards to see the contention.
 */
#include "user.h"

#define WORKERS 3
#define OPS_PER_ROUND 10000
#define PAGE 4096

/* Makes the break page-aligned, so that each sbrk of a page maps and unmaps exactly one frame. */
static void align_break(void)
{
    long top = (long)sbrk(0);
    long pad = (PAGE - top % PAGE) % PAGE;
    if (pad > 0 && sbrk((int)pad) == SBRK_FAILED) {
        printf("[stressmem] sbrk failed\n");
        exit(1);
    }
}

static void churn(int rounds)
{
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < OPS_PER_ROUND; i++) {
            char *p = sbrk(PAGE);
            if (p == SBRK_FAILED) {
                printf("[stressmem] sbrk(+%d) failed\n", PAGE);
                exit(1);
            }
            p[PAGE / 2] = (char)i;
            if (sbrk(-PAGE) != p + PAGE) {
                printf("[stressmem] sbrk(-%d) failed\n", PAGE);
                exit(1);
            }
        }
    }
}

static void exhaust(int rounds)
{
    char *start = sbrk(0);
    for (int r = 0; r < rounds; r++) {
        long pages = 0;
        char *p;
        while ((p = sbrk(PAGE)) != SBRK_FAILED) {
            p[0] = (char)pages;
            pages++;
        }
        if (sbrk(-(int)(pages * PAGE)) != start + pages * PAGE || sbrk(0) != start) {
            printf("[stressmem] giving %ld pages back failed\n", pages);
            exit(1);
        }
    }
}

int main(int argc, char *argv[])
{
    int oom = 0, rounds = 10;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--oom") == 0)
            oom = 1;
        else if (atoi(argv[i]) > 0)
            rounds = atoi(argv[i]);
        else {
            fprintf(2, "usage: stressmem [--oom] [ROUNDS]\n");
            exit(2);
        }
    }
    align_break();
    int start = freepages(0);
    printf("[stressmem] start: #free pages %d\n", start);
    for (int w = 0; w < WORKERS; w++) {
        int pid = fork();
        if (pid < 0) {
            printf("[stressmem] fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            if (oom)
                exhaust(rounds);
            else
                churn(rounds);
            exit(0);
        }
    }
    int failed = 0, status;
    for (int w = 0; w < WORKERS; w++) {
        if (wait(&status) < 0 || status != 0)
            failed = 1;
    }
    int end = freepages(0);
    printf("[stressmem] end: #free pages %d\n", end);
    if (end != start) {
        printf("[stressmem] Lost pages\n");
        exit(1);
    }
    if (failed) {
        printf("[stressmem] a worker failed\n");
        exit(1);
    }
    exit(0);
}
