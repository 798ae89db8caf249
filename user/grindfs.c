/*
 * grindfs [-c] [SECONDS [PROCS [SEED [STEPS]]]]: the longer shared-names race (grind.h), in the
 * spirit of xv6's grind. PROCS processes (default 4) race on a few names in /grind for SECONDS
 * (default 5) of uptime, or STEPS random calls each if that comes first (default: no limit),
 * then every surviving name must open and every link count must match the names found. What survives is left in /grind, so that fsck on the host can
 * check the disk holds exactly that: no leaked inode or block. Prints one summary line and
 * "grindfs: ok"; exits 1 at the first failure.
 *
 *   grindfs -c ...   removes /grind afterwards (the disk is left as it was found)
 */
#include <limits.h>
#include "grind.h"
#include "test.h"

#define GRIND_ROOT "/grind"

int main(int argc, char *argv[])
{
    test_begin("grindfs");
    int clean = argc > 1 && strcmp(argv[1], "-c") == 0;
    char **args = argv + 1 + clean;
    int nargs = argc - 1 - clean;
    int seconds = nargs > 0 ? atoi(args[0]) : 5;
    int procs = nargs > 1 ? atoi(args[1]) : 4;
    unsigned long seed = nargs > 2 ? (unsigned long)atol(args[2]) : 1;
    long steps = nargs > 3 ? atol(args[3]) : LONG_MAX;
    if (seconds < 1 || procs < 1 || procs > 16 || steps < 1) {
        fprintf(2, "usage: grindfs [-c] [SECONDS [PROCS [SEED [STEPS]]]] (1..16 processes)\n");
        exit(2);
    }
    check(mkdir(GRIND_ROOT) == 0, "mkdir(%s) failed (left from an earlier run?)", GRIND_ROOT);
    int start = uptime();
    long calls = grind_race(GRIND_ROOT, procs, steps, start + seconds * 100, seed);
    int ticks = uptime() - start;
    int survivors = grind_verify(GRIND_ROOT);
    printf("grindfs: %d processes, %ld calls in %d ticks, %d inodes survive in %s\n", procs, calls, ticks, survivors,
           GRIND_ROOT);
    if (clean)
        grind_remove(GRIND_ROOT);
    printf("grindfs: ok\n");
    exit(0);
}
