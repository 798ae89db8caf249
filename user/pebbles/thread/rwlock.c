/*
 * Readers/writer locks that starve neither side. A reader that arrives while a writer holds
 * the lock or waits for it waits too (so a stream of readers cannot keep a writer out); when
 * a writer unlocks, every reader waiting at that moment is admitted as one batch before the
 * next writer (so a stream of writers cannot keep readers out). Writers are admitted one at a
 * time in arrival order (tickets). Admission is a hand-over: the unlocker counts the admitted
 * threads as holders before waking them, so nobody can slip in between.
 * rwlock_downgrade turns the caller's write hold into a read hold and admits the waiting
 * readers with it; waiting writers stay waiting.
 */
#include "rwlock.h"
#include "cond.h"
#include "mutex.h"
#include "thr_internals.h"

int rwlock_init(rwlock_t *rw)
{
    if (rw == NULL)
        return -1;
    if (mutex_init(&rw->lock) < 0 || cond_init(&rw->readers_go) < 0 || cond_init(&rw->writer_go) < 0)
        return -1;
    rw->readers = rw->writer = 0;
    rw->waiting_readers = rw->waiting_writers = 0;
    rw->read_batch = rw->writer_next = rw->writer_tickets = 0;
    rw->magic = RWLOCK_MAGIC;
    return 0;
}

static void check_live(rwlock_t *rw, const char *what)
{
    if (rw->magic != RWLOCK_MAGIC)
        thr_panic("%s(%p): the rwlock is not initialised (or was destroyed)", what, (void *)rw);
}

/* Under rw->lock: every waiting reader now holds the lock. */
static void admit_readers(rwlock_t *rw)
{
    rw->readers += rw->waiting_readers;
    rw->waiting_readers = 0;
    rw->read_batch++;
    cond_broadcast(&rw->readers_go);
}

/* Under rw->lock, with the lock unheld: the writer with the oldest ticket now holds it. */
static void admit_writer(rwlock_t *rw)
{
    rw->writer = 1;
    rw->waiting_writers--;
    rw->writer_next++;
    cond_broadcast(&rw->writer_go);
}

void rwlock_destroy(rwlock_t *rw)
{
    check_live(rw, "rwlock_destroy");
    mutex_lock(&rw->lock);
    if (rw->readers || rw->writer || rw->waiting_readers || rw->waiting_writers) {
        int readers = rw->readers, writer = rw->writer, waiting = rw->waiting_readers + rw->waiting_writers;
        mutex_unlock(&rw->lock);
        thr_panic("rwlock_destroy(%p): held by %d readers and %d writers, %d threads waiting", (void *)rw, readers,
                  writer, waiting);
    }
    rw->magic = 0;
    mutex_unlock(&rw->lock);
    cond_destroy(&rw->readers_go);
    cond_destroy(&rw->writer_go);
    mutex_destroy(&rw->lock);
}

void rwlock_lock(rwlock_t *rw, int type)
{
    check_live(rw, "rwlock_lock");
    if (type != RWLOCK_READ && type != RWLOCK_WRITE)
        thr_panic("rwlock_lock(%p, %d): the type is neither RWLOCK_READ nor RWLOCK_WRITE", (void *)rw, type);
    mutex_lock(&rw->lock);
    if (type == RWLOCK_READ) {
        if (!rw->writer && rw->waiting_writers == 0) {
            rw->readers++;
        } else {
            unsigned batch = rw->read_batch;
            rw->waiting_readers++;
            while (rw->read_batch == batch)
                cond_wait(&rw->readers_go, &rw->lock);
        }
    } else {
        if (!rw->writer && rw->readers == 0 && rw->waiting_writers == 0) {
            rw->writer = 1;
        } else {
            unsigned ticket = rw->writer_tickets++;
            rw->waiting_writers++;
            while ((int)(rw->writer_next - ticket) <= 0)
                cond_wait(&rw->writer_go, &rw->lock);
        }
    }
    mutex_unlock(&rw->lock);
}

void rwlock_unlock(rwlock_t *rw)
{
    check_live(rw, "rwlock_unlock");
    mutex_lock(&rw->lock);
    if (rw->writer) {
        rw->writer = 0;
        if (rw->waiting_readers > 0)
            admit_readers(rw);
        else if (rw->waiting_writers > 0)
            admit_writer(rw);
    } else if (rw->readers > 0) {
        if (--rw->readers == 0 && rw->waiting_writers > 0)
            admit_writer(rw);
    } else {
        mutex_unlock(&rw->lock);
        thr_panic("rwlock_unlock(%p): the lock is not held", (void *)rw);
    }
    mutex_unlock(&rw->lock);
}

void rwlock_downgrade(rwlock_t *rw)
{
    check_live(rw, "rwlock_downgrade");
    mutex_lock(&rw->lock);
    if (!rw->writer) {
        mutex_unlock(&rw->lock);
        thr_panic("rwlock_downgrade(%p): the lock is not held for writing", (void *)rw);
    }
    rw->writer = 0;
    rw->readers = 1;
    if (rw->waiting_readers > 0)
        admit_readers(rw);
    mutex_unlock(&rw->lock);
}
