/*
 * rm FILE...: removes each name. A directory goes only when it is empty, and "." and ".."
 * never do (the kernel refuses them).
 */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: rm FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (unlink(argv[i]) < 0) {
            fprintf(2, "rm: %s: cannot remove\n", argv[i]);
            status = 1;
        }
    }
    return status;
}
