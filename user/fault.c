/*
 * Touches memory it may not touch, so the emulator (or kernel) must report a fault. The
 * argument picks how: "load" (default) reads an unmapped address, "store" writes one,
 * "text" writes over the program's own code, "exec" jumps to an unmapped address, "stack"
 * moves the stack pointer there and pushes (the kernel's report shows both wild).
 * It prints what it is about to do first, so the fault's report can be matched to it.
 */
#include "ulib.h"

/* Far above any segment and the stack, below 2^38 so it is a canonical Sv39 address. */
#define UNMAPPED 0xdead000000UL

int main(int argc, char **argv);

static void load(void)
{
    volatile int *p = (volatile int *)UNMAPPED;
    printf("read %d\n", *p);
}

static void store(void)
{
    volatile int *p = (volatile int *)UNMAPPED;
    *p = 1;
}

static void text(void)
{
    volatile unsigned *p = (volatile unsigned *)(uintptr_t)&main;
    *p = 0;
}

static void wild_stack(void)
{
    __asm__ volatile("mv sp, %0\n\tsd zero, 0(sp)" : : "r"(UNMAPPED) : "memory");
}

static void jump_unmapped(void)
{
    void (*f)(void) = (void (*)(void))UNMAPPED;
    f();
}

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "load";
    printf("fault: %s\n", how);
    if (strcmp(how, "load") == 0)
        load();
    else if (strcmp(how, "store") == 0)
        store();
    else if (strcmp(how, "text") == 0)
        text();
    else if (strcmp(how, "exec") == 0)
        jump_unmapped();
    else if (strcmp(how, "stack") == 0)
        wild_stack();
    else {
        fprintf(2, "usage: fault [load|store|text|exec|stack]\n");
        return 2;
    }
    printf("fault: survived, which is wrong\n");
    return 1;
}
