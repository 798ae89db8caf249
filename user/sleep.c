/* sleep TICKS: waits that many clock ticks (100 a second by default). */
#include "user.h"

int main(int argc, char **argv)
{
    const char *s = argc == 2 ? argv[1] : "";
    int ok = *s != '\0' && strlen(s) <= 9;
    for (const char *p = s; *p != '\0'; p++)
        ok = ok && *p >= '0' && *p <= '9';
    if (!ok) {
        fprintf(2, "usage: sleep TICKS\n");
        return 2;
    }
    if (sleep(atoi(s)) < 0) {
        fprintf(2, "sleep: interrupted\n");
        return 1;
    }
    return 0;
}
