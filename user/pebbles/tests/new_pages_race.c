/* new_pages_race: threads of one task calling new_pages and remove_pages at once. Each of 4
 * threads (made with thread_fork directly, no thread library) repeatedly maps a region of its
 * own, fills and checks it, and removes it; and all of them race for one shared address, where
 * exactly one new_pages at a time may win (the others see the range in use) and only the
 * winner removes it. Nothing may be lost or mapped twice; the main thread checks the totals. */
#include <report.h>
#include <syscall.h>

#define THREADS 4
#define ROUNDS 300
#define OWN(i) ((char *)0x800000000UL + (unsigned long)(i) * 0x100000UL)
#define SHARED ((char *)0x900000000UL)

static char stacks[THREADS][16384] __attribute__((aligned(16)));
static volatile int done, errors, wins, holders;

static void worker(long i)
{
    for (int r = 0; r < ROUNDS; r++) {
        char *own = OWN(i);
        if (new_pages(own, 8 * PAGE_SIZE) != 0) {
            __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
            break;
        }
        for (int k = 0; k < 8 * PAGE_SIZE; k += PAGE_SIZE) {
            if (own[k] != 0)
                __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
            own[k] = (char)(i + r);
        }
        for (int k = 0; k < 8 * PAGE_SIZE; k += PAGE_SIZE)
            if (own[k] != (char)(i + r))
                __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
        if (remove_pages(own) != 0)
            __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);

        if (new_pages(SHARED, 2 * PAGE_SIZE) == 0) {
            if (__atomic_add_fetch(&holders, 1, __ATOMIC_SEQ_CST) != 1)
                __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST); /* two winners at once */
            SHARED[0] = (char)i;
            if (SHARED[0] != (char)i)
                __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&wins, 1, __ATOMIC_SEQ_CST);
            __atomic_sub_fetch(&holders, 1, __ATOMIC_SEQ_CST);
            if (remove_pages(SHARED) != 0)
                __atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST);
        }
        if (r % 16 == 0)
            yield(-1);
    }
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
    vanish();
}

/* thread_fork, then the child moves to its stack and runs worker(i); it never returns. */
static int spawn(long i)
{
    register long a0 __asm__("a0");
    register void *t0 __asm__("t0") = stacks[i] + sizeof stacks[i];
    register long t1 __asm__("t1") = i;
    register void (*t2)(long) __asm__("t2") = worker;
    __asm__ volatile("li a7, %[nr]\n"
                     "ecall\n"
                     "bnez a0, 1f\n"
                     "mv sp, t0\n"
                     "mv a0, t1\n"
                     "jalr t2\n"
                     "1:\n"
                     : "=r"(a0)
                     : [nr] "i"(SYS_thread_fork), "r"(t0), "r"(t1), "r"(t2)
                     : "a7", "ra", "memory");
    return (int)a0;
}

int main(void)
{
    REPORT_LOCAL_INIT("new_pages_race");
    REPORT_START_CMPLT;
    for (long i = 0; i < THREADS; i++)
        REPORT_CHECK(spawn(i) > 0, "thread_fork failed");
    while (done < THREADS)
        yield(-1);
    REPORT_CHECK(errors == 0, "%d errors", errors);
    REPORT_CHECK(wins > 0, "no thread ever won the shared range");
    REPORT_CHECK(remove_pages(SHARED) < 0, "the shared range is still mapped");
    REPORT_MISC("the shared range was won %d times", wins);
    report_success();
}
