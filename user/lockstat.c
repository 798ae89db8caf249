/*
 * lockstat [-v] [-r]: prints the kernel's lock statistics as Linux's /proc/lock_stat does (one
 * row per lock class, sorted by contentions; times in microseconds, or in retired instructions
 * under osprey --deterministic). -v adds a row for every lock under each class of several
 * (the bcache.bucket locks, kmem.cpu0 ...); -r resets every lock's counters afterwards.
 */
#include "user.h"

int main(int argc, char *argv[])
{
    int flags = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            flags |= LOCKSTAT_INSTANCES;
        else if (strcmp(argv[i], "-r") == 0)
            flags |= LOCKSTAT_RESET;
        else {
            fprintf(2, "usage: lockstat [-v] [-r]\n");
            exit(2);
        }
    }
    /* Ask for the size first: the table grows with the locks taken. */
    int size = lockstat(0, 0, flags & ~LOCKSTAT_RESET);
    char *buf = size < 0 ? NULL : malloc(size + 4096);
    int n = buf == NULL ? -1 : lockstat(buf, size + 4096, flags);
    if (n < 0 || n > size + 4096) {
        fprintf(2, "lockstat: the kernel gave no table\n");
        exit(1);
    }
    if (write(1, buf, n) != n)
        exit(1);
    exit(0);
}
