/*
 * What the thread library's test programs share: START and END lines (report.h), a failure
 * that ends the whole task from any thread (report_fail's exit would end only the calling
 * thread, and main could still report success), an optional misbehave mode as the first
 * argument, a per-thread random number generator, and waiting with a deadline.
 */
#ifndef THRTEST_H
#define THRTEST_H

#include <cond.h>
#include <mutex.h>
#include <report.h>
#include <rwlock.h>
#include <sem.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

#define THRTEST_STACK (32 * 1024)
/* How long a test waits for something that must happen before it calls it a failure:
 * generous, since the machine may be shared. Ticks are 10 ms. */
#define THRTEST_DEADLINE_TICKS 3000

static inline void thrtest_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static inline void thrtest_fail(const char *fmt, ...)
{
    char text[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    REPORT_ERR("%s", text);
    REPORT_END_FAIL;
    task_vanish(-1);
}

#define CHECK(e, ...) ((e) ? (void)0 : thrtest_fail(__VA_ARGS__))

/* START line, misbehave mode from argv[1] if there is one, thr_init. Returns the mode. */
static inline int thrtest_start(const char *name, int argc, char *argv[], unsigned stack)
{
    REPORT_LOCAL_INIT(name);
    REPORT_START_CMPLT;
    int mode = argc > 1 ? atoi(argv[1]) : 0;
    if (mode != 0) {
        misbehave(mode);
        REPORT_MISC("misbehave mode %d", mode);
    }
    CHECK(thr_init(stack) == 0, "thr_init failed");
    CHECK(thr_init(stack) < 0, "a second thr_init succeeded");
    return mode;
}

static inline unsigned thrtest_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* Yields until *flag reaches value, failing the test after the deadline. */
static inline void thrtest_await(volatile int *flag, int value, const char *what)
{
    unsigned start = get_ticks();
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < value) {
        CHECK(get_ticks() - start < THRTEST_DEADLINE_TICKS, "timed out waiting for %s (%d of %d)", what,
              *flag, value);
        yield(-1);
    }
}

#endif
