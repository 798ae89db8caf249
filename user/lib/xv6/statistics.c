/* statistics(): the MIT lock lab's way of reading the statistics device; see user.h. */
#include "user.h"

int statistics(void *buf, int size)
{
    int fd = open("/statistics", O_RDONLY);
    /* init makes the node at boot; a program run on its own (osprey run) makes it itself. */
    if (fd < 0 && mknod("/statistics", STATS, 0) == 0)
        fd = open("/statistics", O_RDONLY);
    if (fd < 0) {
        fprintf(2, "statistics: cannot open /statistics\n");
        exit(1);
    }
    /* The device hands out its report and then -1, which ends the loop (a read of 0 does not:
     * the lab's device never gives one before the end). */
    int got = 0, n;
    while (got < size && (n = read(fd, (char *)buf + got, size - got)) > 0)
        got += n;
    /* Read to the device's end, so that the next reader gets a fresh report. */
    char rest[64];
    while (got >= size && read(fd, rest, sizeof rest) > 0)
        ;
    close(fd);
    if (got < size)
        ((char *)buf)[got] = '\0';
    return got;
}

long statistics_total(int print)
{
    static char report[8192];
    if (statistics(report, sizeof report - 1) <= 0) {
        fprintf(2, "statistics: the device gave no report\n");
        exit(1);
    }
    char *tot = strchr(report, '=');
    if (tot == NULL) {
        fprintf(2, "statistics: no tot= in the report\n");
        exit(1);
    }
    if (print)
        printf("%s", report);
    return atol(tot + 2);
}
