/*
 * The runtime every Osprey user program has, in both flavours: the flavour's system calls
 * (all of abi/syscalls.tbl for xv6, only write and exit for linux), string functions and
 * printf. A program that includes only this header and calls only write and exit builds for
 * both flavours; xv6 programs include user.h, which adds the rest of the xv6 runtime.
 * Freestanding, with no libc underneath.
 */
#ifndef OSPREY_ULIB_H
#define OSPREY_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* System-call numbers and prototypes: build/gen/include/syscall.h (xv6, generated from
 * abi/syscalls.tbl) or user/lib/linux/syscall.h; the Makefile puts the right one on the path. */
#include "syscall.h"

/* string.c */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
long atol(const char *s);
int atoi(const char *s);

/* printf.c: %d %i %u %x %X %p %s %c %% with l/ll/z sizes, '-', '0' and a field width.
 * fprintf takes the file descriptor first, as xv6's does. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(int fd, const char *fmt, va_list ap);

#endif
