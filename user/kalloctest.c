/*
 * kalloctest [test1] [test2] [test3]: the MIT lock lab's allocator test, written anew (all three
 * tests when none is named).
 *   test1  two children each do 100,000 times sbrk(4096), a write, sbrk(-4096), at once; then
 *          the lab's statistics. "test1 OK" when the failed test-and-sets on the kmem and
 *          bcache locks grew by less than 10 meanwhile, else "test1 FAIL": one kmem lock
 *          (--allocator freelist) fails, per-CPU lists (percpu) pass.
 *   test2  counts the free pages 50 times by growing until sbrk fails; "test2 OK" unless a
 *          count differs from the first (a page was lost).
 *   test3  test1's loop in one child and a free-page count in another, at once, so that one
 *          CPU runs dry and steals from the others while they allocate; "test3 OK" when both
 *          children succeed and no page was lost. The looping child waits out the moments
 *          when the counter holds every free page (its sbrk fails then, as it should).
 * Exits 0 when every test run printed OK, 1 otherwise.
 */
#include "user.h"

#define CHILDREN 2
#define ROUNDS 100000
#define PAGE 4096

/*
 * One page at a time, grown and given back; 0 when every sbrk did what it should. A patient
 * churn (test3's) waits out a failed sbrk: the counting child holds every free page for a
 * moment, and an sbrk that finds none then is right to fail. It tries again each tick, for
 * up to 10 seconds.
 */
static int churn(int patient)
{
    for (int i = 0; i < ROUNDS; i++) {
        char *a = sbrk(PAGE);
        for (int tries = 0; a == SBRK_FAILED && patient && tries < 1000; tries++) {
            sleep(1);
            a = sbrk(PAGE);
        }
        if (a == SBRK_FAILED)
            return -1;
        *(int *)(a + 4) = 1;
        if (sbrk(-PAGE) != a + PAGE)
            return -1;
    }
    return 0;
}

/* The free pages, counted by growing until sbrk fails (writing to each page), then shrinking back. */
static long count_free(void)
{
    char *start = sbrk(0);
    long pages = 0;
    char *a;
    while ((a = sbrk(PAGE)) != SBRK_FAILED) {
        a[PAGE - 1] = 1;
        pages++;
    }
    if (sbrk(-(int)(sbrk(0) - start)) == SBRK_FAILED || sbrk(0) != start) {
        printf("kalloctest: could not give the memory back\n");
        exit(1);
    }
    return pages;
}

/* Waits for n children; 0 when all exited with status 0. */
static int wait_all(int n)
{
    int bad = 0, status;
    for (int i = 0; i < n; i++) {
        if (wait(&status) < 0 || status != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

static int test1(void)
{
    printf("start test1\n");
    long before = statistics_total(0);
    for (int i = 0; i < CHILDREN; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("fork failed\n");
            exit(1);
        }
        if (pid == 0)
            exit(churn(0) == 0 ? 0 : 1);
    }
    int children = wait_all(CHILDREN);
    printf("test1 results:\n");
    long grown = statistics_total(1) - before;
    if (children != 0) {
        printf("test1 FAIL: a child's sbrk failed\n");
        return -1;
    }
    if (grown < 10) {
        printf("test1 OK\n");
        return 0;
    }
    printf("test1 FAIL\n");
    return -1;
}

static int test2(void)
{
    int total = 0;
    long first = count_free();
    freepages(&total);
    printf("start test2\n");
    printf("total free number of pages: %ld (out of %d)\n", first, total);
    if (total - first > 1000) {
        printf("test2 FAIL: cannot allocate enough memory\n");
        return -1;
    }
    for (int i = 0; i < 50; i++) {
        long again = count_free();
        if (i % 10 == 9)
            printf(".");
        if (again != first) {
            printf("\ntest2 FAIL: losing pages (%ld, then %ld)\n", first, again);
            return -1;
        }
    }
    printf("\ntest2 OK\n");
    return 0;
}

static int test3(void)
{
    printf("start test3\n");
    int before = freepages(0);
    for (int i = 0; i < CHILDREN; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            int ok = i == 0 ? churn(1) == 0 : count_free() > 0;
            printf("child done %d\n", i);
            exit(ok ? 0 : 1);
        }
    }
    int children = wait_all(CHILDREN);
    int after = freepages(0);
    if (children != 0 || after != before) {
        printf("test3 FAIL: %s\n", children != 0 ? "a child failed" : "pages were lost");
        return -1;
    }
    printf("test3 OK\n");
    return 0;
}

int main(int argc, char *argv[])
{
    int run1 = argc == 1, run2 = argc == 1, run3 = argc == 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "test1") == 0)
            run1 = 1;
        else if (strcmp(argv[i], "test2") == 0)
            run2 = 1;
        else if (strcmp(argv[i], "test3") == 0)
            run3 = 1;
        else {
            fprintf(2, "usage: kalloctest [test1] [test2] [test3]\n");
            exit(2);
        }
    }
    int failed = 0;
    if (run1)
        failed |= test1();
    if (run2)
        failed |= test2();
    if (run3)
        failed |= test3();
    exit(failed ? 1 : 0);
}
