# The two moments the thread library cannot write in C: a new thread leaving the stack it
# was forked on, and an ending thread's last store before vanish (thread.c explains both).
#include "syscall.h"

    .text

# int thr_fork_onto(char *stack_top, struct thr_tcb *tcb)
# thread_fork gives the new thread a copy of the caller's registers and 0 in a0, on the
# caller's stack, which it must not touch: what it needs is in t0 and t1 (the call preserves
# every register but a0). It moves to its stack, points tp at its record and calls
# thr_child_main(tcb), which never returns. The caller gets the new tid or the error.
    .globl thr_fork_onto
    .type thr_fork_onto, @function
thr_fork_onto:
    mv t0, a0
    mv t1, a1
    li a7, SYS_thread_fork
    ecall
    bnez a0, 1f
    mv sp, t0
    mv tp, t1
    mv fp, zero
    mv ra, zero
    mv a0, t1
    call thr_child_main
    unimp
1:  ret
    .size thr_fork_onto, . - thr_fork_onto

# void thr_vanish_off_stack(volatile int *off_stack)
# From the store on, the joiner may remove this thread's stack and free its record: nothing
# after it touches memory.
    .globl thr_vanish_off_stack
    .type thr_vanish_off_stack, @function
thr_vanish_off_stack:
    li t0, 1
    fence rw, w
    sw t0, 0(a0)
    li a7, SYS_vanish
    ecall
    unimp
    .size thr_vanish_off_stack, . - thr_vanish_off_stack
