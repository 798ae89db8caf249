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

/* What vmstat fills in (Osprey's call 220): frames, page faults by how they ended, and the
 * caller's own figures. The kernel writes VMSTAT_WORDS 8-byte fields in this order. */
struct vmstat {
    uint64 flags;             /* VM_COW, VM_LAZY_SBRK: how the kernel was booted */
    uint64 total_frames;      /* frames the allocator manages */
    uint64 free_frames;       /* free now (reserved ones included) */
    uint64 reserved_frames;   /* promised to zero-fill pages and not yet taken */
    uint64 shared_frames;     /* frames more than one page-table entry maps */
    uint64 zero_mappings;     /* entries mapping the zero frame */
    uint64 user_frames;       /* frames user pages map */
    /* Page faults since boot, machine-wide. */
    uint64 cow_copy;          /* store to a shared copy-on-write page: copied */
    uint64 cow_reuse;         /* store to a copy-on-write page no one else maps: made writable */
    uint64 zero_fill;         /* store to a promised page: given its frame */
    uint64 lazy_heap;         /* first touch of a --lazy-sbrk heap page */
    uint64 killed;            /* faults that killed their process */
    uint64 out_of_memory;     /* ... of them because no frame was left */
    uint64 injected_failures; /* frame requests failed on purpose (failalloc) */
    /* The caller's own faults, size and resident frames. */
    uint64 my_cow_copy;
    uint64 my_cow_reuse;
    uint64 my_zero_fill;
    uint64 my_lazy_heap;
    uint64 my_size;
    uint64 my_resident;
};
_Static_assert(sizeof(struct vmstat) == VMSTAT_WORDS * 8, "struct vmstat must match the kernel's layout");

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

/* The report's "tot=" figure: failed test-and-sets on the kmem* and bcache* locks (what the
 * lab's ntas() returns); prints the whole report first if print is non-zero. */
long statistics_total(int print);

#endif
