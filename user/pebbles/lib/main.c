/*
 * _main: what runs before main. Records the stack exec made, installs the handler that grows
 * the main thread's stack on demand (autostack.c), and ends the thread with main's result
 * as its status, as 15-410's crt0 does.
 */
#include <stdlib.h>
#include <syscall.h>

int main(int argc, char *argv[]);
void autostack_install(void *stack_high, void *stack_low);

void _main(int argc, char *argv[], void *stack_high, void *stack_low) __attribute__((noreturn));

void _main(int argc, char *argv[], void *stack_high, void *stack_low)
{
    autostack_install(stack_high, stack_low);
    exit(main(argc, argv));
}
