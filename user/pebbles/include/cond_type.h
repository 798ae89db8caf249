/* The layout of cond_t (user/pebbles/thread/cond.c). */
#ifndef PEBBLES_COND_TYPE_H
#define PEBBLES_COND_TYPE_H

struct thr_waiter;

typedef struct cond {
    int guard;                  /* 0 free, else the tid of the thread inside the guard */
    unsigned magic;             /* COND_MAGIC while initialised and not destroyed */
    struct thr_waiter *head;    /* waiting threads, woken first come first served */
    struct thr_waiter *tail;
} cond_t;

#define COND_MAGIC 0x636f6e64u
#define COND_INITIALIZER { 0, COND_MAGIC, 0, 0 }

#endif
