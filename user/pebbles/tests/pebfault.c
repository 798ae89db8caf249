/*
 * pebfault: a Pebbles program (crt0 carries the personality note) one of whose threads
 * faults: under Pebbles' conventions only that thread dies, the task lives on, and when its
 * last thread vanishes its exit status is -2. tasktest (an xv6 program) execs it and checks
 * that status; it was an xv6-flavour program with the note until exec gave such programs
 * the Pebbles layout, which needs a Pebbles link.
 */
#include <stdio.h>
#include <syscall.h>
#include <thread.h>

/* Below PEBBLES_USER_START nothing is mapped; volatile so the compiler cannot see it. */
static volatile unsigned long nowhere = 0x10;

static void *faulter(void *arg)
{
    *(volatile int *)nowhere = 1;
    return NULL;
}

int main(void)
{
    if (thr_init(8192) < 0) {
        printf("pebfault: thr_init failed\n");
        task_vanish(1);
    }
    int tid = thr_create(faulter, NULL);
    if (tid < 0) {
        printf("pebfault: thr_create returned %d\n", tid);
        task_vanish(1);
    }
    while (thr_yield(tid) != PEBBLES_ESRCH)
        thr_yield(-1);
    printf("pebfault: the task lives on after its thread's fault\n");
    vanish(); /* no set_status: the fault's -2 stands */
}
