/*
 * The main thread's stack grows on demand (user/pebbles/lib/autostack.c): crt0 registers a
 * swexn handler before main, and a page fault in the AUTOSTACK_MAX bytes below the top of the
 * stack maps the missing pages with new_pages and resumes the faulting instruction. A fault
 * any lower (a runaway recursion) is not the stack's: the handler returns without mapping,
 * which kills the thread (status -2), as 15-410's mem_eat_test expects.
 *
 * The region [stack_high - AUTOSTACK_MAX, stack_high) belongs to the main thread's stack;
 * other code (a thread library's stacks) must place its pages below autostack_low().
 * The handler is the main thread's alone (swexn handlers are per thread and thread_fork does
 * not copy them); a program that registers its own handler on the main thread replaces it,
 * and autostack_enable() puts it back. autostack_disable() stops the growing.
 */
#ifndef PEBBLES_AUTOSTACK_H
#define PEBBLES_AUTOSTACK_H

#define AUTOSTACK_MAX (16UL << 20)

/* The lowest address the main thread's stack may grow to. */
void *autostack_low(void);
/* The top of the main thread's stack (crt0's stack_high). */
void *autostack_high(void);
/* The lowest address the main stack has reached so far (grows down). */
void *autostack_reached(void);
/* Stops growing the main stack (called on the main thread: deregisters its handler). */
void autostack_disable(void);
/* Registers the handler again (after a program's own swexn use). */
void autostack_enable(void);

#endif
