/* The layout of sem_t (user/pebbles/thread/sem.c): a count guarded by a mutex. */
#ifndef PEBBLES_SEM_TYPE_H
#define PEBBLES_SEM_TYPE_H

#include "cond_type.h"
#include "mutex_type.h"

typedef struct sem {
    mutex_t lock;               /* protects every field below */
    cond_t nonzero;             /* signalled once for every unit handed to a waiter */
    int count;                  /* units left; only nonzero while no unit is owed */
    int waiting;                /* threads inside sem_wait's wait, for sem_destroy's check */
    unsigned next_ticket;       /* the ticket the next waiter takes */
    unsigned granted;           /* waiters with tickets below this have their unit */
    unsigned magic;
} sem_t;

#define SEM_MAGIC 0x73656d61u

#endif
