/* Prints a greeting and then its arguments, one per line: the first program to run. */
#include "ulib.h"

int main(int argc, char **argv)
{
    printf("hello, world\n");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
