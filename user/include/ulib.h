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

/* printf.c: %d %i %u %x %X %p %s %c %f %F %% with l/ll/z sizes, the '-', '0', '+' and ' '
 * flags, a field width and a precision (either may be '*'). %f is exact and rounds in the
 * current rounding mode, as glibc's does. fprintf takes the file descriptor first, as xv6's
 * does. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(int fd, const char *fmt, va_list ap);
int vprintf(const char *fmt, va_list ap);
/* Into a string: snprintf writes at most size bytes, NUL included, and returns the length
 * the whole output would have. */
int snprintf(char *str, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap);
int sprintf(char *str, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char *str, const char *fmt, va_list ap);

#ifdef OSPREY_PEBBLES
/* The Pebbles runtime has no write call: its write prints descriptors 1 and 2 on the console
 * (user/pebbles/lib/write.c), which is all printf needs. */
int write(int fd, const void *buf, int n);
#endif

/* fp.c: the rounding mode and exception flags of fcsr (the FE_* values are frm's and
 * fflags' encodings, as in glibc for RISC-V), and the math functions that are one F/D
 * instruction. fesetround returns -1 for a mode that is not one of these. */
#define FE_TONEAREST 0
#define FE_TOWARDZERO 1
#define FE_DOWNWARD 2
#define FE_UPWARD 3
#define FE_TONEARESTFROMZERO 4
#define FE_INEXACT 1
#define FE_UNDERFLOW 2
#define FE_OVERFLOW 4
#define FE_DIVBYZERO 8
#define FE_INVALID 16
#define FE_ALL_EXCEPT 31
int fegetround(void);
int fesetround(int mode);
int fetestexcept(int excepts);
int feclearexcept(int excepts);
double sqrt(double x);
float sqrtf(float x);
double fabs(double x);
float fabsf(float x);
double fma(double x, double y, double z);

#endif
