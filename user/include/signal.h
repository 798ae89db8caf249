/*
 * Signals (Osprey's calls 210-216; numbers and behaviour as POSIX and Linux have them, see
 * docs/kernel.md): SIGINT, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGCHLD from abi.h.
 * Every signal's default action ends the process with status -1, except SIGCHLD's (ignored).
 * SIGKILL cannot be caught, ignored or blocked. A handler runs with its own signal blocked
 * and returns through sigreturn; the interrupted code sees every register as it left it.
 */
#ifndef OSPREY_SIGNAL_H
#define OSPREY_SIGNAL_H

#include "user.h"

typedef void (*sighandler_t)(int);

#define SIG_DFL ((sighandler_t)SIGH_DFL)
#define SIG_IGN ((sighandler_t)SIGH_IGN)
#define SIG_ERR ((sighandler_t)-1)

/* The bit of signal s in a mask (sigprocmask, sigpending). */
#define SIGBIT(s) (1 << (s))

/* Sets signal sig's disposition: SIG_DFL, SIG_IGN or a handler; the previous one, or SIG_ERR
 * (a bad signal, SIGKILL, a handler outside the program). Handlers survive fork; exec resets
 * them to SIG_DFL and keeps SIG_IGN. */
sighandler_t signal(int sig, sighandler_t handler);

/* From the generated syscall.h:
 *   int sigsend(int pid, int sig)      0, or -1 (no such process, bad signal)
 *   int alarm(int ticks)               SIGALRM after ticks (0 cancels); ticks left on the old one
 *   int sigprocmask(int how, int mask) SIG_BLOCK/SIG_UNBLOCK/SIG_SETMASK; the old mask, or -1
 *   int sigpending(void)               the blocked signals waiting
 *   int pause(void)                    waits for a handled signal; returns -1 after its handler */

#endif
