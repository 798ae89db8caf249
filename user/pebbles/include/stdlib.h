/*
 * The Pebbles runtime's stdlib: the heap (thread-safe: any thread may call these at any time;
 * the heap grows through new_pages, user/pebbles/lib/malloc.c), exit, and number parsing.
 */
#ifndef PEBBLES_STDLIB_H
#define PEBBLES_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* 15-410's exit: set_status(status), then vanish(). It ends the calling thread; the task ends
 * (with that status) when its last thread has. abort ends the whole task with status -1. */
void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int abs(int x);

#endif
