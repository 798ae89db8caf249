/* assert: a failed one prints where and panics the task (task_vanish(-1)), as 15-410's does. */
#ifndef PEBBLES_ASSERT_H
#define PEBBLES_ASSERT_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : panic("%s:%d: %s: assertion failed: %s", __FILE__, __LINE__, __func__, #e))
#endif

#endif
