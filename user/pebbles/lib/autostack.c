/*
 * Autostack: the main thread's stack grows on demand (autostack.h).
 *
 * exec maps a small stack [stack_low, stack_high) at the top of the address space. Before
 * main, crt0 registers grow_stack as the main thread's swexn handler, on an exception stack
 * of its own. A load or store page fault at an address in [stack_high - AUTOSTACK_MAX,
 * stack_low) is the stack growing: the handler maps everything from the faulting page (less
 * a little slack, so a growing stack does not fault on every page) up to the old bottom with
 * one new_pages, registers itself again and resumes the faulting instruction, which now
 * succeeds. Any other fault is not the stack's business: the handler resumes the instruction
 * with no handler registered, so it faults again and the kernel kills the thread (status -2)
 * with its usual message, exactly as if there had been no handler.
 */
#include <autostack.h>
#include <stdint.h>
#include <syscall.h>

/* Pages mapped beyond the faulting one, when the limit allows. */
#define SLACK (16 * PAGE_SIZE)

#define EXCEPTION_STACK 4096
static char exception_stack[EXCEPTION_STACK] __attribute__((aligned(16)));

static uintptr_t stack_high, stack_reached;
static int enabled;

static void grow_stack(void *arg, ureg_t *ureg);

static void register_handler(ureg_t *resume)
{
    swexn(exception_stack + EXCEPTION_STACK, grow_stack, 0, resume);
}

static void grow_stack(void *arg, ureg_t *ureg)
{
    (void)arg;
    uintptr_t addr = ureg->addr, limit = stack_high - AUTOSTACK_MAX;
    int page_fault = ureg->cause == 13 || ureg->cause == 15; /* load, store page fault */
    if (enabled && page_fault && addr >= limit && addr < stack_reached) {
        uintptr_t base = (addr & ~(uintptr_t)(PAGE_SIZE - 1));
        base = base - limit >= SLACK ? base - SLACK : limit;
        if (new_pages((void *)base, (int)(stack_reached - base)) == 0) {
            stack_reached = base;
            register_handler(ureg); /* does not return: resumes the faulting instruction */
        }
    }
    /* Not the stack's (or no memory left): fault again, with no handler, and be killed. */
    swexn(0, 0, 0, ureg);
}

void autostack_install(void *high, void *low)
{
    stack_high = (uintptr_t)high;
    stack_reached = (uintptr_t)low;
    autostack_enable();
}

void *autostack_high(void)
{
    return (void *)stack_high;
}

void *autostack_low(void)
{
    return (void *)(stack_high - AUTOSTACK_MAX);
}

void *autostack_reached(void)
{
    return (void *)stack_reached;
}

void autostack_disable(void)
{
    enabled = 0;
    swexn(0, 0, 0, 0);
}

void autostack_enable(void)
{
    enabled = 1;
    register_handler(0);
}
