/*
 * The runtime for Osprey's early user programs: two system calls, a few string functions
 * and printf. Freestanding, with no libc underneath; a full xv6 runtime replaces it later.
 */
#ifndef OSPREY_ULIB_H
#define OSPREY_ULIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* System calls (syscall.S). */
long write(int fd, const void *buf, size_t n);
void exit(int status) __attribute__((noreturn));

/* string.c */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
long atol(const char *s);
int atoi(const char *s);

/* printf.c: %d %i %u %x %X %p %s %c %% with l/ll/z sizes, '-', '0' and a field width. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(int fd, const char *fmt, va_list ap);

#endif
