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

#include "../lib/sighandler.h"

/* From the generated syscall.h:
 *   int sigsend(int pid, int sig)      0, or -1 (no such process, bad signal)
 *   int alarm(int ticks)               SIGALRM after ticks (0 cancels); ticks left on the old one
 *   int sigprocmask(int how, int mask) SIG_BLOCK/SIG_UNBLOCK/SIG_SETMASK; the old mask, or -1
 *   int sigpending(void)               the blocked signals waiting
 *   int pause(void)                    waits for a handled signal; returns -1 after its handler */

#endif
