/*
 * multitest: every primitive at once. Workers draw tasks at random: move money between
 * accounts under per-account mutexes, pass tokens through a bounded queue (mutex and
 * condition variables), take and give back units of a counted pool (semaphore, never more
 * than its size out at once), and read or rewrite a table under a readers/writer lock
 * (readers must see it consistent), and allocate, fill, check and free heap blocks (malloc
 * made thread-safe by the library's mutex). Totals are checked at the end.
 */
#include <string.h>
#include "thrtest.h"

#define WORKERS 8
#define STEPS 300
#define ACCOUNTS 6
#define POOL 3
#define TABLE 16

static mutex_t account_lock[ACCOUNTS];
static long balance[ACCOUNTS];

static mutex_t queue_lock;
static cond_t queue_cv;
static int queued;

static sem_t pool;
static volatile int pool_out;

static rwlock_t table_lock;
static int table[TABLE];

static void transfer(unsigned *seed)
{
    int a = (int)(thrtest_random(seed) % ACCOUNTS), b = (int)(thrtest_random(seed) % ACCOUNTS);
    if (a == b)
        return;
    int lo = a < b ? a : b, hi = a < b ? b : a;
    mutex_lock(&account_lock[lo]);
    mutex_lock(&account_lock[hi]);
    balance[a] -= 5;
    balance[b] += 5;
    mutex_unlock(&account_lock[hi]);
    mutex_unlock(&account_lock[lo]);
}

static void tokens(void)
{
    /* Put one in, take one out: the queue never goes below zero. */
    mutex_lock(&queue_lock);
    queued++;
    cond_signal(&queue_cv);
    mutex_unlock(&queue_lock);
    mutex_lock(&queue_lock);
    while (queued == 0)
        cond_wait(&queue_cv, &queue_lock);
    queued--;
    mutex_unlock(&queue_lock);
}

static void use_pool(void)
{
    sem_wait(&pool);
    int out = __atomic_add_fetch(&pool_out, 1, __ATOMIC_ACQ_REL);
    CHECK(out <= POOL, "%d units of a pool of %d are out", out, POOL);
    thr_yield(-1);
    __atomic_sub_fetch(&pool_out, 1, __ATOMIC_ACQ_REL);
    sem_signal(&pool);
}

static void use_table(unsigned *seed)
{
    if (thrtest_random(seed) % 4 == 0) {
        rwlock_lock(&table_lock, RWLOCK_WRITE);
        int v = table[0] + 1;
        for (int i = 0; i < TABLE; i++) {
            table[i] = v;
            if (i == TABLE / 2)
                thr_yield(-1);
        }
        rwlock_unlock(&table_lock);
    } else {
        rwlock_lock(&table_lock, RWLOCK_READ);
        for (int i = 1; i < TABLE; i++)
            CHECK(table[i] == table[0], "a reader saw a table half written");
        rwlock_unlock(&table_lock);
    }
}

static void use_heap(unsigned *seed)
{
    int n = 1 + (int)(thrtest_random(seed) % 4);
    unsigned char *blocks[4];
    size_t sizes[4];
    for (int i = 0; i < n; i++) {
        sizes[i] = 16 + thrtest_random(seed) % 3000;
        blocks[i] = malloc(sizes[i]);
        CHECK(blocks[i] != NULL, "malloc(%lu) failed", (unsigned long)sizes[i]);
        memset(blocks[i], (int)(sizes[i] & 0xff), sizes[i]);
    }
    thr_yield(-1);
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizes[i]; k++)
            CHECK(blocks[i][k] == (unsigned char)(sizes[i] & 0xff), "a heap block changed under its owner");
        free(blocks[i]);
    }
}

static void *worker(void *arg)
{
    unsigned seed = (unsigned)(long)arg * 2654435761u + 1;
    for (int s = 0; s < STEPS; s++) {
        switch (thrtest_random(&seed) % 5) {
        case 0: transfer(&seed); break;
        case 1: tokens(); break;
        case 2: use_pool(); break;
        case 3: use_heap(&seed); break;
        default: use_table(&seed); break;
        }
    }
    return NULL;
}

int main(int argc, char *argv[])
{
    int tids[WORKERS];
    thrtest_start("multitest", argc, argv, THRTEST_STACK);
    for (int i = 0; i < ACCOUNTS; i++) {
        mutex_init(&account_lock[i]);
        balance[i] = 1000;
    }
    mutex_init(&queue_lock);
    cond_init(&queue_cv);
    sem_init(&pool, POOL);
    rwlock_init(&table_lock);
    for (int i = 0; i < WORKERS; i++)
        CHECK((tids[i] = thr_create(worker, (void *)(long)i)) > 0, "thr_create failed");
    for (int i = 0; i < WORKERS; i++)
        CHECK(thr_join(tids[i], NULL) == 0, "thr_join failed");
    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        total += balance[i];
    CHECK(total == 1000L * ACCOUNTS, "money was made or lost: %ld", total);
    CHECK(queued == 0, "%d tokens left", queued);
    CHECK(pool_out == 0, "%d pool units not given back", pool_out);
    for (int i = 1; i < TABLE; i++)
        CHECK(table[i] == table[0], "the table ended inconsistent");
    rwlock_destroy(&table_lock);
    sem_destroy(&pool);
    report_success();
}
