/*
 * The xv6 flavour's user runtime: every system call in abi/syscalls.tbl, the constants the
 * kernel shares (abi/constants.tbl: open flags, inode types, limits), the on-disk and stat
 * structures, string functions, printf/fprintf, malloc/free and a few file helpers. In the
 * spirit of xv6's user.h, so xv6-style programs read naturally, but Osprey's own.
 * Only for the xv6 flavour: the linux flavour has nothing beyond ulib.h.
 */
#ifndef OSPREY_USER_H
#define OSPREY_USER_H

#include "ulib.h" /* system calls, string functions, printf */
#include "abi.h"  /* generated: O_*, T_*, NOFILE, MAXARG, MAXPATH, DIRSIZ, CONSOLE */

typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long uint64;

/* What fstat fills in; the layout is xv6's, because the kernel copies it out byte for byte. */
struct stat {
    int dev;     /* device of the file system holding the inode */
    uint ino;    /* inode number */
    short type;  /* T_DIR, T_FILE or T_DEVICE */
    short nlink; /* links to the inode */
    uint64 size; /* bytes in the file */
};
_Static_assert(sizeof(struct stat) == 24, "struct stat must match the kernel's 24-byte layout");
_Static_assert(offsetof(struct stat, type) == 8 && offsetof(struct stat, size) == 16,
               "struct stat fields must sit where the kernel writes them");

/* One directory entry, as a directory's data holds them (xv6's format): inum 0 is a free slot,
 * and the name is not NUL-terminated when it is exactly DIRSIZ characters long. */
struct dirent {
    ushort inum;
    char name[DIRSIZ];
};
_Static_assert(sizeof(struct dirent) == 16, "a directory entry is 16 bytes on disk");

/* The value sbrk returns when it fails. */
#define SBRK_FAILED ((char *)-1)

/* malloc.c: memory from sbrk, 16-byte aligned; free(NULL) does nothing. */
void *malloc(size_t n);
void free(void *p);

/* fileio.c */
/* Reads one line from fd 0 into buf (at most max-1 characters, keeping the newline) and
 * NUL-terminates it; an empty string means end of input. */
char *gets(char *buf, int max);
/* Fills st for path (open, fstat, close); -1 if it cannot be opened. */
int stat(const char *path, struct stat *st);

/* statistics.c, as the MIT lock lab's: reads the statistics device (/statistics, major STATS)
 * into buf, at most size bytes, until the device says its report has ended; returns the bytes
 * read, and the text is NUL-terminated when it fits. Makes the node if it is missing (init makes
 * it at boot; osprey run has no init); exits if the device cannot be opened. */
int statistics(void *buf, int size);

#endif
