/* echo: prints its arguments separated by spaces, then a newline. */
#include "user.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *sep = i + 1 < argc ? " " : "\n";
        if (write(1, argv[i], strlen(argv[i])) < 0 || write(1, sep, 1) != 1) {
            fprintf(2, "echo: write error\n");
            return 1;
        }
    }
    if (argc <= 1)
        write(1, "\n", 1);
    return 0;
}
