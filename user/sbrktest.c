/*
 * sbrktest: growing and shrinking a process's memory with sbrk.
 *   - sbrk(n) returns the old break and moves it by exactly n, odd sizes included
 *   - new memory is usable and reads as zeros, also when it was given back and taken again
 *   - after a shrink the memory is gone: a child touching it is killed (status -1)
 *   - a request the kernel cannot meet returns -1 and changes nothing; so does shrinking
 *     below zero
 *   - memory given back is reusable: many grow/shrink cycles, together far more than the
 *     machine's memory, all succeed
 *   - a child's sbrk does not move its parent's break
 * Prints "sbrktest: ok" and exits 0 when all pass.
 */
#include "test.h"

#define GROW_PAGES 10
/* 100 cycles of 2 MiB: 200 MiB in all, more than the default 128 MiB machine has. */
#define CYCLES 100
#define CYCLE_BYTES (2 << 20)
/* The largest single request an int allows. */
#define HUGE_REQUEST 0x7fffffff
/* 2^38 (the user address space) / HUGE_REQUEST, rounded up: a kernel that never refuses
 * must have passed the end of the address space by then. */
#define HUGE_TRIES 129

static char *sbrk_ok(int n)
{
    char *p = sbrk(n);
    check(p != SBRK_FAILED, "sbrk(%d) failed", n);
    return p;
}

/* Starts the break on a page boundary, so that memory given back is whole pages that really
 * leave the address space (the rest of a partly used page stays mapped, and keeps its bytes). */
static void align_break(void)
{
    sbrk_ok((int)(first_unmapped() - sbrk(0)));
    check((uintptr_t)sbrk(0) % PAGE_SIZE == 0, "the break %p is not page-aligned", sbrk(0));
}

/* The break moves by exactly what was asked, whatever the size. */
static void break_moves_exactly(void)
{
    static const int steps[] = {1, 13, 4096, 4095, 3, 8192, -8192, -3, -4095, -4096, -13, -1};
    char *expected = sbrk(0);
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char *old = sbrk_ok(steps[i]);
        check(old == expected, "sbrk(%d) returned %p, expected the old break %p", steps[i], old, expected);
        expected += steps[i];
        check(sbrk(0) == expected, "after sbrk(%d) the break is %p, expected %p", steps[i], sbrk(0), expected);
    }
    printf("sbrktest: the break moves by exactly n\n");
}

/* Every byte of [p, p + n) must be zero. */
static void expect_zeros(const char *p, long n, const char *what)
{
    for (long i = 0; i < n; i++)
        check(p[i] == 0, "%s: byte %ld of new memory is %d, not 0", what, i, p[i]);
}

static void grow_and_use(void)
{
    long n = GROW_PAGES * PAGE_SIZE;
    char *p = sbrk_ok((int)n);
    expect_zeros(p, n, "fresh memory");
    for (long i = 0; i < n; i++)
        p[i] = (char)(i * 7 + 1);
    for (long i = 0; i < n; i++)
        check(p[i] == (char)(i * 7 + 1), "byte %ld of grown memory did not keep its value", i);
    /* Give it back and take it again: what comes back must be zeroed, not the old bytes. */
    sbrk_ok((int)-n);
    check(sbrk_ok((int)n) == p, "grow after shrink did not start at the same place");
    expect_zeros(p, n, "memory taken again");
    sbrk_ok((int)-n);
    printf("sbrktest: grown memory is usable and zeroed\n");
}

/* A child touches memory its parent gave back; the kernel must kill it. */
static void touch_after_shrink(int store)
{
    int n = GROW_PAGES * (int)PAGE_SIZE;
    char *p = sbrk_ok(n);
    p[0] = 1;
    sbrk_ok(-n);
    volatile char *gone = (volatile char *)first_unmapped();
    check((char *)gone < p + n, "nothing to touch");
    int pid = fork_or_fail();
    if (pid == 0) {
        if (store)
            *gone = 1;
        else
            printf("sbrktest: read %d from memory given back\n", *gone);
        exit(0);
    }
    expect_exit(pid, -1, store ? "store to memory given back" : "load from memory given back");
}

/* Requests too big to meet fail, and leave the break where it was. */
static void impossible_requests(void)
{
    char *before = sbrk(0);
    long taken = 0;
    int tries = 0;
    for (; tries < HUGE_TRIES; tries++) {
        char *at = sbrk(0);
        if (sbrk(HUGE_REQUEST) == SBRK_FAILED) {
            check(sbrk(0) == at, "a failed sbrk moved the break from %p to %p", at, sbrk(0));
            break;
        }
        taken += HUGE_REQUEST;
    }
    check(tries < HUGE_TRIES, "sbrk(%d) never failed, even past the end of the address space", HUGE_REQUEST);
    printf("sbrktest: sbrk(%d) failed after %d successes\n", HUGE_REQUEST, tries);
    for (; taken > 0; taken -= HUGE_REQUEST)
        sbrk_ok(-HUGE_REQUEST);
    check(sbrk(0) == before, "giving the huge memory back left the break at %p, not %p", sbrk(0), before);

    /* Below zero: larger than everything the process has. */
    int below = -(int)((uintptr_t)before + PAGE_SIZE);
    check(sbrk(below) == SBRK_FAILED, "sbrk(%d) shrank below address 0", below);
    check(sbrk(0) == before, "a failed shrink moved the break");
    printf("sbrktest: impossible requests fail and change nothing\n");
}

/* If shrinking leaked frames, 200 MiB through a 128 MiB machine would run out. */
static void memory_is_returned(void)
{
    for (int i = 0; i < CYCLES; i++) {
        char *p = sbrk(CYCLE_BYTES);
        check(p != SBRK_FAILED, "cycle %d: sbrk(%d) failed: memory given back is not reused", i, CYCLE_BYTES);
        for (long off = 0; off < CYCLE_BYTES; off += PAGE_SIZE)
            p[off] = (char)i;
        check(p[CYCLE_BYTES - 1] == 0, "cycle %d: the last byte is not zero", i);
        sbrk_ok(-CYCLE_BYTES);
    }
    printf("sbrktest: %d cycles of %d KiB grow and shrink\n", CYCLES, CYCLE_BYTES / 1024);
}

static void child_break_is_its_own(void)
{
    char *before = sbrk(0);
    int pid = fork_or_fail();
    if (pid == 0) {
        char *p = sbrk(5 * PAGE_SIZE);
        exit(p == before && sbrk(0) == before + 5 * PAGE_SIZE ? 0 : 1);
    }
    expect_exit(pid, 0, "the child's break did not start at its parent's");
    check(sbrk(0) == before, "the child's sbrk moved the parent's break");
    printf("sbrktest: a child's break is its own\n");
}

int main(void)
{
    test_begin("sbrktest");
    align_break();
    break_moves_exactly();
    grow_and_use();
    touch_after_shrink(0);
    touch_after_shrink(1);
    printf("sbrktest: memory given back cannot be touched\n");
    impossible_requests();
    memory_is_returned();
    child_break_is_its_own();
    printf("sbrktest: ok\n");
    return 0;
}
