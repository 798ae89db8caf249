/*
 * Signals for Pebbles programs: Osprey's calls 210-216 (sigsend, alarm, sigprocmask,
 * sigpending, pause, declared by the generated syscall.h) and signal(), the same calls and
 * behaviour the xv6 runtime's signal.h describes (docs/kernel.md, Signals). A handled signal
 * makes a blocked readline or getchar return PEBBLES_EINTR with nothing consumed; one whose
 * action is the default ends the task (status -1). The thread library blocks every signal in
 * thr_exit, so no handler runs on a stack its joiner is about to free.
 */
#ifndef PEBBLES_SIGNAL_H
#define PEBBLES_SIGNAL_H

#include <syscall.h>

typedef void (*sighandler_t)(int);

#define SIG_DFL ((sighandler_t)SIGH_DFL)
#define SIG_IGN ((sighandler_t)SIGH_IGN)
#define SIG_ERR ((sighandler_t)-1)

/* The bit of signal s in a mask (sigprocmask, sigpending). */
#define SIGBIT(s) (1 << (s))

/* Sets signal sig's disposition; the previous one, or SIG_ERR. The handler returns through
 * the runtime's sigreturn trampoline (user/lib/xv6/signal.S, shared by both runtimes). */
sighandler_t signal(int sig, sighandler_t handler);

#endif
