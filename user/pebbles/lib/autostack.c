/*
 * The main thread's stack, as exec made it (autostack.h). Growth on demand arrives with swexn.
 */
#include <autostack.h>
#include <stdint.h>

static void *stack_high, *stack_reached;

void autostack_install(void *high, void *low)
{
    stack_high = high;
    stack_reached = low;
}

void *autostack_high(void)
{
    return stack_high;
}

void *autostack_low(void)
{
    return (char *)stack_high - AUTOSTACK_MAX;
}

void *autostack_reached(void)
{
    return stack_reached;
}

void autostack_disable(void)
{
}

void autostack_enable(void)
{
}
