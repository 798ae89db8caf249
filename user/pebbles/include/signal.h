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

#include "../../lib/sighandler.h"

#endif
