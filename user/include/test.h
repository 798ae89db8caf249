/*
 * Helpers for Osprey's test programs (xv6 flavour). A test prints what it checks, and on the
 * first failure prints one line "FAIL: TEST: what went wrong" and exits with status 1, so an
 * end-to-end test can judge it by its output and exit status alone. A failure in a child
 * process exits the child the same way; the parent notices through the child's status.
 */
#ifndef OSPREY_TEST_H
#define OSPREY_TEST_H

#include "user.h"

/* Names the test in FAIL lines; call first thing in main. */
void test_begin(const char *name);

/* Prints "FAIL: name: message" and exits 1. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* fail()s with the message unless ok. */
void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* fork, failing the test if the kernel refuses. */
int fork_or_fail(void);

/* Waits for a child, which must be pid, and returns its exit status. */
int wait_for(int pid);

/* Waits for child pid and fails unless it exited with status want. */
void expect_exit(int pid, int want, const char *what);

/* Waits for n children, in whatever order they exit, and fails unless each exited with
 * status want; then wait must report no children left. */
void collect_children(int n, int want, const char *what);

/* The top of the heap rounded up to a page: the lowest address with nothing mapped (the
 * kernel maps whole pages, so the rest of the break's own page may still be mapped). */
char *first_unmapped(void);

#define PAGE_SIZE 4096UL

#endif
