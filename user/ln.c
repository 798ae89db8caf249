/* ln OLD NEW: gives the file OLD a second name, NEW (not for directories). */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(2, "usage: ln OLD NEW\n");
        return 2;
    }
    if (link(argv[1], argv[2]) < 0) {
        fprintf(2, "ln: cannot link %s to %s\n", argv[1], argv[2]);
        return 1;
    }
    return 0;
}
