/* The layout of rwlock_t (user/pebbles/thread/rwlock.c). */
#ifndef PEBBLES_RWLOCK_TYPE_H
#define PEBBLES_RWLOCK_TYPE_H

#include "cond_type.h"
#include "mutex_type.h"

typedef struct rwlock {
    mutex_t lock;               /* protects every field below */
    cond_t readers_go;          /* broadcast when a batch of waiting readers is admitted */
    cond_t writer_go;           /* broadcast when the next writer is admitted */
    int readers;                /* readers holding the lock (admitted ones included) */
    int writer;                 /* 1 while a writer holds it */
    int waiting_readers;        /* readers not yet admitted */
    int waiting_writers;        /* writers not yet admitted */
    unsigned read_batch;        /* which batch of waiting readers was admitted last */
    unsigned writer_next;       /* the ticket of the next writer to admit */
    unsigned writer_tickets;    /* the next ticket a waiting writer takes */
    unsigned magic;
} rwlock_t;

#define RWLOCK_MAGIC 0x72776c6bu

#endif
