/*
 * The 15-410 P2 thread library (user/pebbles/thread/): threads of one task, each on a stack
 * of its own from new_pages, with a guard gap below it. thr_init must come first. Errors are
 * negative. See docs/pebbles.md, "The thread library".
 */
#ifndef PEBBLES_THREAD_H
#define PEBBLES_THREAD_H

/* Every thread made after this gets a stack of at least size bytes (rounded up to pages).
 * Call it once, from the program's first thread, before any other thr_ call. */
int thr_init(unsigned int size);

/* Runs func(arg) in a new thread; returning from func is thr_exit with its value. Returns
 * the new thread's id, or a negative error (no memory for a stack, no thread left). */
int thr_create(void *(*func)(void *), void *arg);

/* Waits for thread tid to exit, stores its thr_exit value through statusp (unless NULL) and
 * frees what it used. Negative if tid is not a thread of this library, is the caller, or is
 * already being joined; each thread can be joined once. */
int thr_join(int tid, void **statusp);

/* Ends the calling thread with status for its joiner. The task goes on until its last
 * thread ends (the task's exit status is set_status's business, not this). */
void thr_exit(void *status) __attribute__((noreturn));

int thr_getid(void);

/* Lets tid (or, with -1, anyone) run. Negative if tid is not runnable. */
int thr_yield(int tid);

#endif
