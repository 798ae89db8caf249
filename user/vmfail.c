/*
 * vmfail: fork and exec with their Nth frame request failing, for every N up to the number
 * they make (the kernel's failalloc fault injection). Each failure must be undone: fork
 * returns -1 and exec returns -1 with the old image intact, and the kernel's figures (free
 * frames, reservations, frames mapped and shared, zero-frame mappings) are as before.
 *   vmfail fork    fork of a process with touched, promised and shared pages
 *   vmfail exec    exec in a child with a heap of its own
 * Prints "vmfail: ok" and exits 0 when all pass. ("vmfail image" is what exec runs.)
 */
#include "test.h"

/* What exec's new image exits with to say it ran: the number of requests its exec made,
 * offset so it cannot be mistaken for the old image's own statuses. */
#define IMAGE_STATUS 100
#define OLD_IMAGE_OK 3
#define HEAP_PAGES 6

static struct vmstat before, after;
static int marker = 12345;

static void snapshot(struct vmstat *s)
{
    check(vmstat(s) == 0, "vmstat failed");
}

/* The figures a failed call must leave as they were. */
static void expect_unchanged(const char *call, int n)
{
    check(after.free_frames == before.free_frames, "%s failing at request %d: %lu frames free before, %lu after", call,
          n, before.free_frames, after.free_frames);
    check(after.reserved_frames == before.reserved_frames, "%s failing at request %d: %lu frames reserved before, %lu after",
          call, n, before.reserved_frames, after.reserved_frames);
    check(after.user_frames == before.user_frames && after.shared_frames == before.shared_frames,
          "%s failing at request %d: %lu user frames (%lu shared) before, %lu (%lu) after", call, n, before.user_frames,
          before.shared_frames, after.user_frames, after.shared_frames);
    check(after.zero_mappings == before.zero_mappings, "%s failing at request %d: %lu zero-frame mappings before, %lu after",
          call, n, before.zero_mappings, after.zero_mappings);
}

/* A heap with pages touched (frames of its own) and pages promised and untouched (the zero frame). */
static char *make_heap(void)
{
    char *p = sbrk(HEAP_PAGES * PAGE_SIZE);
    check(p != SBRK_FAILED, "sbrk failed");
    for (int i = 0; i < HEAP_PAGES; i += 2)
        p[i * PAGE_SIZE] = (char)(i + 1);
    return p;
}

static void check_heap(const char *p, const char *when)
{
    for (int i = 0; i < HEAP_PAGES; i++)
        check(p[i * PAGE_SIZE] == (i % 2 == 0 ? (char)(i + 1) : 0), "heap page %d is %d %s", i, p[i * PAGE_SIZE], when);
    check(marker == 12345, "the data segment changed %s", when);
}

static void fork_failures(void)
{
    char *heap = make_heap();
    /* A child that keeps sharing our frames, so that reference counts above one are in play. */
    int go[2];
    check(pipe(go) == 0, "pipe failed");
    int sharer = fork_or_fail();
    if (sharer == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        exit(0);
    }
    close(go[0]);
    /* Touch what the loop will write, so its own copy-on-write copies happen now. */
    snapshot(&before);
    snapshot(&after);
    int n;
    long made = 0;
    for (n = 1;; n++) {
        snapshot(&before);
        failalloc(n);
        int pid = fork();
        made = failalloc(0);
        if (pid == 0)
            exit(0);
        if (pid > 0) {
            expect_exit(pid, 0, "the child of a fork that was not failed");
            break;
        }
        snapshot(&after);
        check(made >= n, "fork failed at request %d but made only %ld", n, made);
        expect_unchanged("fork", n);
        check_heap(heap, "after a failed fork");
    }
    check(made == n - 1, "fork made %ld frame requests, but failing any of the first %d made it fail", made, n - 1);
    check(write(go[1], "x", 1) == 1, "write failed");
    close(go[1]);
    expect_exit(sharer, 0, "the sharing child");
    printf("vmfail: fork: each of its %ld frame requests failed in turn, and undone\n", made);
}

static void exec_failures(void)
{
    int n;
    for (n = 1;; n++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            char *heap = make_heap();
            char *argv[] = {"vmfail", "image", NULL};
            snapshot(&before);
            snapshot(&after);
            snapshot(&before);
            failalloc(n);
            exec("vmfail", argv);
            long made = failalloc(0);
            snapshot(&after);
            check(made >= n, "exec failed at request %d but made only %ld", n, made);
            expect_unchanged("exec", n);
            check_heap(heap, "after a failed exec");
            exit(OLD_IMAGE_OK);
        }
        int status = wait_for(pid);
        if (status == OLD_IMAGE_OK)
            continue;
        check(status >= IMAGE_STATUS, "exec failing at request %d: child exited with %d", n, status);
        check(status - IMAGE_STATUS == n - 1, "exec made %d frame requests, but failing any of the first %d made it fail",
              status - IMAGE_STATUS, n - 1);
        break;
    }
    printf("vmfail: exec: each of its %d frame requests failed in turn, and the old image kept\n", n - 1);
}

int main(int argc, char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "image") == 0)
        exit(IMAGE_STATUS + (int)failalloc(0)); /* exec's requests, counted since it was armed */
    test_begin("vmfail");
    int all = argc == 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "fork") != 0 && strcmp(argv[i], "exec") != 0) {
            fprintf(2, "usage: vmfail [fork] [exec]\n");
            exit(2);
        }
    }
    for (int i = 1; i <= 2; i++) {
        const char *what = i == 1 ? "fork" : "exec";
        int chosen = all;
        for (int a = 1; a < argc; a++)
            chosen |= strcmp(argv[a], what) == 0;
        if (chosen && i == 1)
            fork_failures();
        if (chosen && i == 2)
            exec_failures();
    }
    printf("vmfail: ok\n");
    exit(0);
}
