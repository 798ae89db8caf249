/*
 * tlbtest: TLB shootdown and page-table changes by threads on different CPUs.
 *   - threads read a page in a loop while another thread unmaps it (sbrk down): a reader
 *     must fault (which kills the task, status -1), and never read the page's old frame
 *     after it was freed (the allocator fills freed frames with 0x01, so a stale TLB entry
 *     shows as a wrong value, status 3)
 *   - threads copy that page through system calls (write to a pipe, read from it into the
 *     page) while another unmaps and maps it again: each call succeeds or fails cleanly, the
 *     kernel copies into no freed frame, and (the end-to-end test checks) nothing leaks
 * Prints "tlbtest: ok" and exits 0 when all pass.
 */
#include "test.h"
#include "thread.h"

#define STACK 8192
#define PATTERN 0x5a5a5a5a
#define ROUNDS 20
#define READERS 2
#define READS_FIRST 20000
#define FAULT_TICKS 300
#define COPY_ROUNDS 2000
#define STALE_READ 3
#define NO_FAULT 4

static void *stack_or_fail(void)
{
    void *top = thread_stack(STACK);
    check(top != 0, "no memory for a thread stack");
    return top;
}

/* A page of its own at the break. */
static volatile int *new_page(void)
{
    uintptr_t brk = (uintptr_t)sbrk(0);
    if (brk % PAGE_SIZE)
        sbrk(PAGE_SIZE - brk % PAGE_SIZE);
    char *p = sbrk(PAGE_SIZE);
    check(p != (char *)-1, "sbrk failed");
    return (volatile int *)p;
}

/* ---- a reader must fault once its page is gone ---- */

static volatile int *page;
static volatile long reads;

static void reader(void *arg)
{
    (void)arg;
    for (;;) {
        if (*page != PATTERN)
            exit(STALE_READ);
        __atomic_fetch_add(&reads, 1, __ATOMIC_RELAXED);
    }
}

static void unmap_under_readers(void)
{
    for (int r = 0; r < ROUNDS; r++) {
        int pid = fork_or_fail();
        if (pid == 0) {
            void *stacks[READERS];
            for (int i = 0; i < READERS; i++)
                stacks[i] = stack_or_fail();
            page = new_page();
            for (int i = 0; i < (int)(PAGE_SIZE / sizeof(int)); i++)
                page[i] = PATTERN;
            for (int i = 0; i < READERS; i++)
                check(thread_spawn(stacks[i], reader, 0) > 0, "thread_spawn failed");
            while (__atomic_load_n(&reads, __ATOMIC_RELAXED) < READS_FIRST)
                yield(-1);
            sbrk(-(int)PAGE_SIZE); /* the page's frame is freed once no CPU can reach it */
            unsigned start = get_ticks();
            while (get_ticks() - start < FAULT_TICKS)
                yield(-1);
            exit(NO_FAULT);
        }
        int status = wait_for(pid);
        check(status != STALE_READ, "a reader read a freed frame through a stale TLB entry (round %d)", r);
        check(status != NO_FAULT, "the readers did not fault after their page was unmapped (round %d)", r);
        check(status == -1, "the readers' task exited with %d, expected -1 from the fault", status);
    }
    printf("tlbtest: %d rounds of readers on other CPUs faulted once their page was gone, none read a freed frame\n",
           ROUNDS);
}

/* ---- copies racing with unmapping ---- */

static volatile int copy_done;
static int copy_fds[2];

static void copy_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < COPY_ROUNDS; i++) {
        int n = write(copy_fds[1], (void *)page, 512);
        check(n >= -1 && n <= 512, "write from a page being unmapped returned %d", n);
    }
    __atomic_store_n(&copy_done, 1, __ATOMIC_RELEASE);
    close(copy_fds[1]);
}

static void copy_reader(void *arg)
{
    (void)arg;
    char buf[512];
    for (int i = 0;; i++) {
        /* Half the reads land in the page that comes and goes. */
        int n = read(copy_fds[0], i % 2 ? buf : (void *)page, 512);
        check(n >= -1 && n <= 512, "read into a page being unmapped returned %d", n);
        if (n == 0) {
            /* End of file comes only after the writer closed; a read whose buffer vanished fails. */
            check(__atomic_load_n(&copy_done, __ATOMIC_ACQUIRE), "a read returned 0 while the writer was still writing");
            break;
        }
    }
}

static void remapper(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&copy_done, __ATOMIC_ACQUIRE)) {
        check(sbrk(-(int)PAGE_SIZE) != (char *)-1, "sbrk down failed");
        check(sbrk(PAGE_SIZE) != (char *)-1, "sbrk up failed");
        memset((void *)page, 'x', PAGE_SIZE);
    }
}

static void copies_under_unmapping(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        void *stacks[3];
        for (int i = 0; i < 3; i++)
            stacks[i] = stack_or_fail();
        check(pipe(copy_fds) == 0, "pipe failed");
        page = new_page();
        memset((void *)page, 'x', PAGE_SIZE);
        int r = thread_spawn(stacks[0], copy_reader, 0);
        int w = thread_spawn(stacks[1], copy_writer, 0);
        int m = thread_spawn(stacks[2], remapper, 0);
        check(r > 0 && w > 0 && m > 0, "thread_spawn failed");
        while (yield(r) != PEBBLES_ESRCH || yield(w) != PEBBLES_ESRCH || yield(m) != PEBBLES_ESRCH)
            yield(-1);
        exit(0);
    }
    expect_exit(pid, 0, "copies racing with unmapping");
    printf("tlbtest: %d copies through a page being unmapped and mapped again succeeded or failed cleanly\n",
           COPY_ROUNDS);
}

int main(void)
{
    test_begin("tlbtest");
    unmap_under_readers();
    copies_under_unmapping();
    printf("tlbtest: ok\n");
    return 0;
}
