/*
 * The Pebbles runtime's stdio: formatted output to the console (printf and friends print
 * with one print call per call, up to 256 bytes, so short lines from different threads never
 * interleave), into strings, and a few character helpers. Formats: %d %i %u %x %X %p %s %c
 * %f %F %% with l/ll/z sizes, '-', '0', '+' and ' ' flags, width and precision (user/lib/printf.c).
 */
#ifndef PEBBLES_STDIO_H
#define PEBBLES_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int sprintf(char *str, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vsprintf(char *str, const char *fmt, va_list ap);
int snprintf(char *str, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap);

/* One character, or a string and a newline, to the console. */
int putchar(int c);
int puts(const char *s);

#endif
