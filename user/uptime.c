/* uptime: prints the clock ticks since boot. */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: uptime\n");
        return 2;
    }
    printf("%d\n", uptime());
    return 0;
}
