# Threads for xv6-flavour programs (declared in user/include/thread.h), until the Pebbles
# thread library arrives: starting a thread on a stack of its own, and wrappers for the two
# Pebbles calls whose names xv6 has too (wait and sleep), which the xv6 header cannot declare.
#include "pebbles/syscall.h"

    .text

# int thread_spawn(void *stack_top, void (*fn)(void *), void *arg)
# thread_fork gives the new thread the caller's registers and 0 in a0. The new thread must
# not touch the caller's stack, so everything it needs is in registers that the system call
# preserves (t0..t2) before it traps; it moves to its own stack, runs fn(arg) and vanishes.
# The caller gets the new tid, or the negative error.
    .globl thread_spawn
    .type thread_spawn, @function
thread_spawn:
    mv t0, a0
    mv t1, a1
    mv t2, a2
    li a7, SYS_thread_fork
    ecall
    bnez a0, 1f
    mv sp, t0
    mv fp, zero
    mv a0, t2
    jalr t1
    li a7, SYS_vanish
    ecall
    unimp
1:  ret
    .size thread_spawn, . - thread_spawn

# int pebbles_wait(int *status): Pebbles' wait (returns the pid; errors are negative codes).
    .globl pebbles_wait
    .type pebbles_wait, @function
pebbles_wait:
    li a7, SYS_wait
    ecall
    ret
    .size pebbles_wait, . - pebbles_wait

# int pebbles_sleep(int ticks): Pebbles' sleep (negative ticks are an error, 0 returns at once).
    .globl pebbles_sleep
    .type pebbles_sleep, @function
pebbles_sleep:
    li a7, SYS_sleep
    ecall
    ret
    .size pebbles_sleep, . - pebbles_sleep
