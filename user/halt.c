/* halt: powers the machine off. Every finished system call's writes are on the disk already
 * (the log commits before a call returns), so there is nothing to flush first. */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: halt\n");
        return 2;
    }
    halt();
}
