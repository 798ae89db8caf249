/*
 * argvecho: prints argc and then each argument between brackets, one per line, so a test can
 * see exactly what exec passed (empty strings and spaces included).
 */
#include "user.h"

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] [%s]\n", i, argv[i]);
    if (argv[argc] != NULL) {
        printf("argv[%d] is not NULL\n", argc);
        return 1;
    }
    return 0;
}
