/*
 * pebfault: a program with Pebbles' conventions (it carries the personality note). One of
 * its threads faults: under those conventions only that thread dies, the task lives on, and
 * when its last thread vanishes its exit status is -2 (tasktest checks it).
 */
#include "test.h"
#include "thread.h"

OSPREY_PEBBLES_PROGRAM;

static void faulter(void *arg)
{
    (void)arg;
    *(volatile int *)first_unmapped() = 1;
}

int main(void)
{
    test_begin("pebfault");
    void *stack = thread_stack(8192);
    check(stack != 0, "no memory for a stack");
    int tid = thread_spawn(stack, faulter, 0);
    check(tid > 0, "thread_spawn returned %d", tid);
    while (yield(tid) != PEBBLES_ESRCH)
        yield(-1);
    printf("pebfault: the task lives on after its thread's fault\n");
    vanish();
}
