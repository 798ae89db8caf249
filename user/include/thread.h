/*
 * Threads for xv6-flavour programs: the Pebbles thread calls (thread_fork, gettid, yield,
 * deschedule, make_runnable, vanish, set_status, task_vanish, get_ticks, misbehave) are in
 * the generated header already; this adds what a program needs to use them without a
 * thread library: starting a thread on its own stack, the two Pebbles calls xv6's names hide
 * (wait, sleep), and a stack allocator. Errors of the Pebbles calls are the negative
 * PEBBLES_ codes of abi.h. (user/lib/xv6/thread.S)
 */
#ifndef OSPREY_THREAD_H
#define OSPREY_THREAD_H

#include "user.h"

/* Starts fn(arg) in a new thread of this process on the stack that ends at stack_top (16-byte
 * aligned); when fn returns the thread vanishes. Returns the new tid, or a negative error. */
int thread_spawn(void *stack_top, void (*fn)(void *), void *arg);

/* Pebbles' wait and sleep. */
int pebbles_wait(int *status);
int pebbles_sleep(int ticks);

/* The top of a new stack of n bytes taken from sbrk (one thread only may call sbrk at a
 * time: call this before the threads that might are running), or 0 if memory ran out. */
static inline void *thread_stack(int n)
{
    char *base = sbrk(n);
    if (base == (char *)-1)
        return 0;
    return (void *)(((uintptr_t)base + n) & ~15UL);
}

/* A program that follows Pebbles' conventions (a fault kills the thread, not the task, and
 * makes the task's status -2) says so with this note, at file scope (see abi/constants.tbl). */
#define OSPREY_STR_(x) #x
#define OSPREY_STR(x) OSPREY_STR_(x)
#define OSPREY_PEBBLES_PROGRAM                                                            \
    __asm__(".pushsection .note.osprey, \"a\", @note\n"                                   \
            ".balign 4\n"                                                                 \
            ".word 7, 4, " OSPREY_STR(OSPREY_NOTE_PERSONALITY) "\n"                       \
            ".asciz \"Osprey\"\n"                                                        \
            ".balign 4\n"                                                                 \
            ".word " OSPREY_STR(PERSONALITY_PEBBLES) "\n"                                 \
            ".popsection")

#endif
