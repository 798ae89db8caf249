/*
 * The layout of mutex_t (15-410 P2: the library defines it). Every field belongs to the
 * library; programs only pass a mutex_t's address. (user/pebbles/thread/mutex.c)
 */
#ifndef PEBBLES_MUTEX_TYPE_H
#define PEBBLES_MUTEX_TYPE_H

struct thr_waiter;

typedef struct mutex {
    int guard;                  /* 0 free, else the tid of the thread inside the guard */
    int state;                  /* MUTEX_FREE or MUTEX_HELD, under the guard */
    unsigned magic;             /* MUTEX_MAGIC while initialised and not destroyed */
    int owner_tid;              /* the holder's tid, for yield-to-holder and messages */
    void *owner;                /* the holder's thread record (its identity in this task) */
    struct thr_waiter *head;    /* threads waiting, first come first served */
    struct thr_waiter *tail;
} mutex_t;

#define MUTEX_MAGIC 0x6d757478u
/* A mutex ready for use without mutex_init (the library's own, malloc's). */
#define MUTEX_INITIALIZER { 0, 0, MUTEX_MAGIC, 0, 0, 0, 0 }

#endif
