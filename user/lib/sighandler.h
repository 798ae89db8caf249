/*
 * What both runtimes' signal.h declare alike (user/include/signal.h for xv6 programs,
 * user/pebbles/include/signal.h for Pebbles ones): handler type, the special dispositions,
 * mask bits and signal(). The includer has the generated constants (SIGH_DFL, SIGH_IGN)
 * already; signal() itself is user/lib/xv6/signal.S's, shared by both runtimes.
 */
#ifndef OSPREY_SIGHANDLER_H
#define OSPREY_SIGHANDLER_H

typedef void (*sighandler_t)(int);

#define SIG_DFL ((sighandler_t)SIGH_DFL)
#define SIG_IGN ((sighandler_t)SIGH_IGN)
#define SIG_ERR ((sighandler_t)-1)

/* The bit of signal s in a mask (sigprocmask, sigpending). */
#define SIGBIT(s) (1 << (s))

/* Sets signal sig's disposition: SIG_DFL, SIG_IGN or a handler; the previous one, or SIG_ERR
 * (a bad signal, SIGKILL, a handler outside the program). Handlers survive fork; exec resets
 * them to SIG_DFL and keeps SIG_IGN. A handler returns through the runtime's sigreturn
 * trampoline. */
sighandler_t signal(int sig, sighandler_t handler);

#endif
