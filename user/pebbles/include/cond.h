/* 15-410 P2 condition variables (user/pebbles/thread/cond.c). */
#ifndef PEBBLES_COND_H
#define PEBBLES_COND_H

#include "cond_type.h"
#include "mutex_type.h"

int cond_init(cond_t *cv);
void cond_destroy(cond_t *cv);
void cond_wait(cond_t *cv, mutex_t *mp);
void cond_signal(cond_t *cv);
void cond_broadcast(cond_t *cv);

#endif
