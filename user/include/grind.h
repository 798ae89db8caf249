/*
 * The shared-names race of usertests' concnames and of grindfs (user/lib/xv6/grind.c).
 * Several processes, each a grinder, do random file-system calls on a handful of names
 * ("a".."d", and two-level paths such as "c/a") inside one directory: create and write,
 * unlink (which removes empty directories too), link, mkdir, chdir down and back, rename by
 * link and unlink, truncate, read, and writes through descriptors held open across other
 * calls (so files are unlinked and truncated while open). Every call must succeed or return
 * -1; anything else fails the test. Afterwards grind_verify checks what survived: every name
 * opens, and every link count is the number of names (files) or 1 + subdirectories
 * (directories). Deterministic per seed for one process; the interleaving is the kernel's.
 */
#ifndef OSPREY_GRIND_H
#define OSPREY_GRIND_H

#include "user.h"

/* Paths are at most two names deep, and a grinder goes at most this deep with chdir. */
#define GRIND_MAX_CHDIR_DEPTH 1
#define GRIND_HELD 2

struct grinder {
    const char *root; /* the directory raced in, absolute: chdir back to it */
    unsigned long rng;
    int depth;             /* of the current directory below root */
    int held[GRIND_HELD];  /* descriptors kept open across calls; -1 when free */
    long ops;              /* calls made */
    long succeeded;        /* of them, those that did not return -1 */
};

/* Starts a grinder in root (which must exist) with its own seed. */
void grind_begin(struct grinder *g, const char *root, unsigned long seed);

/* One random call on the shared names. */
void grind_step(struct grinder *g);

/* Closes what the grinder holds and goes back to root. */
void grind_end(struct grinder *g);

/* Forks procs grinders in root, each running steps calls or until uptime reaches deadline
 * (whichever comes first; deadline < 0: no deadline), seeded from seed, and waits for them.
 * Fails the test if one fails. Returns the calls made (counted through a pipe). */
long grind_race(const char *root, int procs, long steps, int deadline, unsigned long seed);

/* Checks every name under dir (see above) and returns how many inodes survive under it
 * (files and directories, dir itself not counted). Fails the test at the first bad one. */
int grind_verify(const char *dir);

/* Removes everything under dir (files, device nodes, directories), then dir. */
void grind_remove(const char *dir);

#endif
