/* The smallest Pebbles program: prints its arguments and where its stack is, exits 0. */
#include <stdio.h>
#include <syscall.h>

int main(int argc, char *argv[])
{
    printf("hello from pebbles, tid %d, argc %d\n", gettid(), argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
