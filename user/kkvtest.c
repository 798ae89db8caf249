/*
 * kkvtest: the kernel key-value store (kkv.h), in the scenarios of Columbia W4118's "fridge"
 * assignment, as programs of our own:
 *   sequential   put/get, get removes, overwrite, keys 1 and 18 in one bucket, ENOENT,
 *                truncation, zero-length values, EPERM before init and after destroy, double
 *                init and destroy, EINVAL flags and sizes, EFAULT pointers (nothing changes),
 *                destroy's count
 *   hotpotato    64 processes pass one value around by non-blocking get and put: it is never
 *                held twice and no increment is lost
 *   block        a child blocks in get, the parent puts, the child gets that value
 *   blocksignal  a child blocked in get takes SIGUSR1 (handled): EINTR, nothing consumed
 *   manyblocked  8 children block on one key; each of 8 puts satisfies exactly one of them
 *   destroy      a destroy wakes every blocked getter (EPERM) while puts and gets race on
 *                other keys from other processes
 *   stress       8 processes, 400 random keys each, values checked byte for byte
 * With no argument every scenario runs; one name runs that one. Prints "kkvtest: ok".
 */
#include "test.h"
#include "kkv.h"
#include "signal.h"

static void expect_error(int result, int want, const char *what)
{
    check(result == -1 && errno == want, "%s: returned %d with errno %d (%s), wanted -1 with %s",
          what, result, errno, strerror(errno), strerror(want));
}

static void ok_or_fail(int result, const char *what)
{
    check(result == 0, "%s: returned %d (errno %d: %s)", what, result, errno, strerror(errno));
}

static unsigned rng_state = 12345;

static unsigned next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* ---- sequential ---- */

static void sequential(void)
{
    char buf[64];
    printf("kkvtest: sequential\n");
    expect_error(kkv_put(1, "x", 1, 0), EPERM, "put before init");
    expect_error(kkv_get(1, buf, sizeof buf, KKV_NONBLOCK), EPERM, "get before init");
    expect_error(kkv_get(1, buf, sizeof buf, KKV_BLOCK), EPERM, "blocking get before init");
    expect_error(kkv_destroy(0), EPERM, "destroy before init");
    expect_error(kkv_init(2), EINVAL, "init with a flag");
    ok_or_fail(kkv_init(0), "init");
    expect_error(kkv_init(0), EPERM, "init twice");

    /* put then get; the get removes the pair. */
    ok_or_fail(kkv_put(7, "seven", 6, 0), "put 7");
    memset(buf, 0, sizeof buf);
    ok_or_fail(kkv_get(7, buf, sizeof buf, KKV_NONBLOCK), "get 7");
    check(strcmp(buf, "seven") == 0, "get 7 gave '%s'", buf);
    expect_error(kkv_get(7, buf, sizeof buf, KKV_NONBLOCK), ENOENT, "second get of 7");
    expect_error(kkv_get(99, buf, sizeof buf, 0), ENOENT, "get of a key never put");

    /* A put of an existing key replaces its value. */
    ok_or_fail(kkv_put(8, "old value", 10, 0), "put 8");
    ok_or_fail(kkv_put(8, "new", 4, 0), "put 8 again");
    memset(buf, 'z', sizeof buf);
    ok_or_fail(kkv_get(8, buf, sizeof buf, 0), "get 8");
    check(strcmp(buf, "new") == 0 && buf[5] == 'z', "overwritten 8 gave '%s'", buf);
    expect_error(kkv_get(8, buf, sizeof buf, 0), ENOENT, "8 after its get");

    /* Keys 1 and 18 share bucket 1 (17 buckets) and stay apart. */
    ok_or_fail(kkv_put(1, "one", 4, 0), "put 1");
    ok_or_fail(kkv_put(18, "eighteen", 9, 0), "put 18");
    ok_or_fail(kkv_put(35, "thirty-five", 12, 0), "put 35");
    ok_or_fail(kkv_get(18, buf, sizeof buf, 0), "get 18");
    check(strcmp(buf, "eighteen") == 0, "18 gave '%s'", buf);
    ok_or_fail(kkv_get(1, buf, sizeof buf, 0), "get 1");
    check(strcmp(buf, "one") == 0, "1 gave '%s'", buf);
    ok_or_fail(kkv_get(35, buf, sizeof buf, 0), "get 35");
    check(strcmp(buf, "thirty-five") == 0, "35 gave '%s'", buf);

    /* A value longer than the buffer is truncated, with no terminator added. */
    ok_or_fail(kkv_put(3, "abcdefgh", 8, 0), "put 3");
    memset(buf, '#', sizeof buf);
    ok_or_fail(kkv_get(3, buf, 3, 0), "short get of 3");
    check(memcmp(buf, "abc###", 6) == 0, "truncated get wrote '%.6s'", buf);
    expect_error(kkv_get(3, buf, sizeof buf, 0), ENOENT, "3 after its truncated get");

    /* A zero-length value is a value: a get finds it (and copies nothing). */
    ok_or_fail(kkv_put(4, "", 0, 0), "put of an empty value");
    memset(buf, '#', sizeof buf);
    ok_or_fail(kkv_get(4, buf, sizeof buf, KKV_BLOCK), "blocking get of an empty value");
    check(buf[0] == '#', "an empty value wrote a byte");
    expect_error(kkv_get(4, buf, sizeof buf, 0), ENOENT, "4 after its get");
    ok_or_fail(kkv_put(4, 0, 0, 0), "put of an empty value from NULL");
    ok_or_fail(kkv_get(4, 0, 0, 0), "get of an empty value into NULL");

    /* Flags and sizes. */
    expect_error(kkv_put(5, "x", 1, 1), EINVAL, "put with a flag");
    expect_error(kkv_get(5, buf, sizeof buf, 2), EINVAL, "get with an unknown flag");
    expect_error(kkv_get(5, buf, sizeof buf, KKV_BLOCK | 4), EINVAL, "get with KKV_BLOCK and an unknown flag");
    expect_error(kkv_put(5, buf, KKV_MAX_VALUE + 1, 0), EINVAL, "put of a value past KKV_MAX_VALUE");
    expect_error(kkv_put(5, buf, (unsigned long)-1, 0), EINVAL, "put of size -1");
    expect_error(kkv_destroy(1), EINVAL, "destroy with a flag");

    /* The largest value goes in and out whole. */
    char *big = malloc(KKV_MAX_VALUE);
    char *back = malloc(KKV_MAX_VALUE);
    check(big != 0 && back != 0, "malloc failed");
    for (int i = 0; i < KKV_MAX_VALUE; i++)
        big[i] = (char)(i * 7 + 3);
    ok_or_fail(kkv_put(6, big, KKV_MAX_VALUE, 0), "put of KKV_MAX_VALUE bytes");
    ok_or_fail(kkv_get(6, back, KKV_MAX_VALUE, 0), "get of KKV_MAX_VALUE bytes");
    check(memcmp(big, back, KKV_MAX_VALUE) == 0, "the largest value came back different");

    /* Bad pointers: EFAULT, and nothing changes. */
    char *bad = first_unmapped();
    expect_error(kkv_put(9, bad, 10, 0), EFAULT, "put from an unmapped address");
    expect_error(kkv_get(9, buf, sizeof buf, 0), ENOENT, "get after a failed put");
    expect_error(kkv_put(9, (char *)0x3fffffffff00UL, 10, 0), EFAULT, "put from past the address space");
    ok_or_fail(kkv_put(9, "nine", 5, 0), "put 9");
    expect_error(kkv_get(9, bad, 5, 0), EFAULT, "get into an unmapped address");
    expect_error(kkv_get(9, bad - 2, 5, KKV_BLOCK), EFAULT, "blocking get straddling the end of memory");
    expect_error(kkv_get(9, (char *)(uintptr_t)expect_error, 5, 0), EFAULT, "get into the program's text");
    memset(buf, 0, sizeof buf);
    ok_or_fail(kkv_get(9, buf, sizeof buf, 0), "get 9 after the failed gets");
    check(strcmp(buf, "nine") == 0, "9 after failed gets gave '%s'", buf);

    /* destroy returns how many pairs it removed; then everything is EPERM again. */
    for (unsigned k = 100; k < 140; k++)
        ok_or_fail(kkv_put(k, &k, sizeof k, 0), "put of many keys");
    ok_or_fail(kkv_put(100, "again", 6, 0), "overwrite before destroy");
    int removed = kkv_destroy(0);
    check(removed == 40, "destroy removed %d pairs, wanted 40", removed);
    expect_error(kkv_destroy(0), EPERM, "destroy twice");
    expect_error(kkv_put(1, "x", 1, 0), EPERM, "put after destroy");
    expect_error(kkv_get(1, buf, sizeof buf, KKV_BLOCK), EPERM, "get after destroy");
    ok_or_fail(kkv_init(0), "init after destroy");
    expect_error(kkv_get(100, buf, sizeof buf, 0), ENOENT, "a key from before the destroy");
    check(kkv_destroy(0) == 0, "destroy of an empty store did not return 0");
    free(big);
    free(back);
}

/* ---- hot potato ---- */

#define POTATO_KEY 4242
#define POTATO_PLAYERS 64
#define POTATO_ROUNDS 20

static void potato_player(void)
{
    for (int round = 0; round < POTATO_ROUNDS;) {
        long count;
        int r = kkv_get(POTATO_KEY, &count, sizeof count, KKV_NONBLOCK);
        if (r < 0) {
            check(errno == ENOENT, "potato get: errno %d", errno);
            yield(-1);
            continue;
        }
        /* Ours alone until we put it back: nobody else can have it. */
        count++;
        check(kkv_put(POTATO_KEY, &count, sizeof count, 0) == 0, "potato put: errno %d", errno);
        round++;
    }
    exit(0);
}

static void hotpotato(void)
{
    printf("kkvtest: hotpotato\n");
    ok_or_fail(kkv_init(0), "init");
    long count = 0;
    ok_or_fail(kkv_put(POTATO_KEY, &count, sizeof count, 0), "first put");
    /* As many players as the process table has room for, up to 64 (osprey run's default
     * table of 64 holds the reaper, this process and 62 players; --nproc 80 gives all 64). */
    int players = 0;
    while (players < POTATO_PLAYERS) {
        int pid = fork();
        if (pid == 0)
            potato_player();
        if (pid < 0)
            break;
        players++;
    }
    check(players >= POTATO_PLAYERS / 2, "only %d players could be made", players);
    printf("kkvtest: %d players\n", players);
    collect_children(players, 0, "a potato player");
    ok_or_fail(kkv_get(POTATO_KEY, &count, sizeof count, 0), "last get");
    check(count == players * POTATO_ROUNDS, "the potato counted %ld, wanted %d", count,
          players * POTATO_ROUNDS);
    check(kkv_destroy(0) == 0, "the store was not empty at the end");
}

/* ---- blocking ---- */

/* Makes a child that blocks on key and exits 0 if it gets want (of n bytes). */
static int blocked_getter(unsigned key, const char *want, int n)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        char buf[32];
        memset(buf, 0, sizeof buf);
        int r = kkv_get(key, buf, sizeof buf, KKV_BLOCK);
        check(r == 0, "blocked get: returned %d, errno %d", r, errno);
        check(memcmp(buf, want, n) == 0, "blocked get got '%s'", buf);
        exit(0);
    }
    return pid;
}

static void block(void)
{
    printf("kkvtest: block\n");
    ok_or_fail(kkv_init(0), "init");
    int pid = blocked_getter(50, "wake up", 8);
    /* Whether the child blocked already or not, the put must reach it. */
    for (int i = 0; i < 20; i++)
        yield(-1);
    ok_or_fail(kkv_put(50, "wake up", 8, 0), "put for the blocked getter");
    expect_exit(pid, 0, "the blocked getter");
    char buf[8];
    expect_error(kkv_get(50, buf, sizeof buf, 0), ENOENT, "the value after the blocked get took it");
    check(kkv_destroy(0) == 0, "the store was not empty");
}

static volatile int usr1_seen;

static void on_usr1(int sig)
{
    check(sig == SIGUSR1, "handler got signal %d", sig);
    usr1_seen++;
}

static void blocksignal(void)
{
    printf("kkvtest: blocksignal\n");
    ok_or_fail(kkv_init(0), "init");
    int ready[2];
    check(pipe(ready) == 0, "pipe");
    int pid = fork_or_fail();
    if (pid == 0) {
        check(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal");
        close(ready[0]);
        write(ready[1], "r", 1);
        char buf[8];
        int r = kkv_get(60, buf, sizeof buf, KKV_BLOCK);
        check(r == -1 && errno == EINTR, "get interrupted by SIGUSR1: returned %d, errno %d", r, errno);
        check(usr1_seen >= 1, "the get ended with EINTR but no handler ran");
        /* Nothing was consumed: the key is still absent, and a put now still works. */
        expect_error(kkv_get(60, buf, sizeof buf, 0), ENOENT, "the key after EINTR");
        exit(0);
    }
    close(ready[1]);
    char c;
    check(read(ready[0], &c, 1) == 1, "the child never got ready");
    close(ready[0]);
    /* The child may not be in its get yet, and a signal that comes before the get does not
     * interrupt it; so the signal is sent again each tick until the child has gone (sigsend
     * then fails). The child checks that its get ended with EINTR. */
    int sent = 0;
    while (sigsend(pid, SIGUSR1) == 0) {
        sent++;
        sleep(1);
    }
    check(sent > 0, "sigsend to the blocked child failed at once");
    int status = -100;
    status = wait_for(pid);
    check(status == 0, "the interrupted child exited %d", status);
    ok_or_fail(kkv_put(60, "after", 6, 0), "put after the interrupted get");
    check(kkv_destroy(0) == 1, "destroy did not find the one pair");
}

#define MANY 8

static void manyblocked(void)
{
    printf("kkvtest: manyblocked\n");
    ok_or_fail(kkv_init(0), "init");
    int pids[MANY];
    for (int i = 0; i < MANY; i++) {
        pids[i] = fork_or_fail();
        if (pids[i] == 0) {
            int got = -1;
            int r = kkv_get(70, &got, sizeof got, KKV_BLOCK);
            check(r == 0, "blocked get %d: errno %d", i, errno);
            check(got >= 0 && got < MANY, "blocked get got %d", got);
            exit(10 + got);
        }
    }
    int seen[MANY] = {0};
    for (int v = 0; v < MANY; v++) {
        ok_or_fail(kkv_put(70, &v, sizeof v, 0), "put for the blocked getters");
        /* Exactly one getter takes each value: one child exits before the next put. */
        int status;
        int pid = wait(&status);
        check(pid > 0, "no child exited after put %d", v);
        check(status >= 10 && status < 10 + MANY, "a getter exited %d", status);
        check(status - 10 == v, "the getter got %d when %d was the only value", status - 10, v);
        seen[v]++;
    }
    for (int v = 0; v < MANY; v++)
        check(seen[v] == 1, "value %d was taken %d times", v, seen[v]);
    int x;
    expect_error(kkv_get(70, &x, sizeof x, 0), ENOENT, "key 70 after every getter took one");
    check(kkv_destroy(0) == 0, "the store was not empty");
}

#define DESTROY_GETTERS 6
#define DESTROY_RACERS 3

static void destroy(void)
{
    printf("kkvtest: destroy\n");
    ok_or_fail(kkv_init(0), "init");
    int ready[2];
    check(pipe(ready) == 0, "pipe");
    for (int i = 0; i < DESTROY_GETTERS; i++) {
        if (fork_or_fail() == 0) {
            close(ready[0]);
            write(ready[1], "g", 1);
            char buf[8];
            int r = kkv_get(80 + i, buf, sizeof buf, KKV_BLOCK);
            check(r == -1 && errno == EPERM, "getter woken by destroy: returned %d, errno %d", r, errno);
            exit(0);
        }
    }
    /* Racers put and get their own keys until the store goes away under them. */
    for (int i = 0; i < DESTROY_RACERS; i++) {
        if (fork_or_fail() == 0) {
            close(ready[0]);
            write(ready[1], "r", 1);
            unsigned key = 1000 + i;
            for (int n = 0;; n++) {
                int v = n;
                if (kkv_put(key, &v, sizeof v, 0) < 0) {
                    check(errno == EPERM, "racer put: errno %d", errno);
                    break;
                }
                int back = -1;
                if (kkv_get(key, &back, sizeof back, 0) < 0) {
                    /* Only the destroy can take a racer's own key from under it. */
                    check(errno == EPERM, "racer get: errno %d", errno);
                    break;
                }
                check(back == v, "racer got %d back, put %d", back, v);
            }
            exit(0);
        }
    }
    close(ready[1]);
    char c;
    for (int i = 0; i < DESTROY_GETTERS + DESTROY_RACERS; i++)
        check(read(ready[0], &c, 1) == 1, "a child never started");
    close(ready[0]);
    for (int i = 0; i < 50; i++)
        yield(-1);
    int removed = kkv_destroy(0);
    check(removed >= 0 && removed <= DESTROY_RACERS, "destroy removed %d pairs", removed);
    collect_children(DESTROY_GETTERS + DESTROY_RACERS, 0, "a getter or racer");
}

/* ---- stress ---- */

#define STRESS_PROCS 8
#define STRESS_KEYS 400

/* The value of key k: its length and bytes follow from k alone. */
static int fill_value(unsigned k, unsigned char *v)
{
    int n = (k * 37) % 200;
    for (int i = 0; i < n; i++)
        v[i] = (unsigned char)(k * 31 + i * 7);
    return n;
}

/* Process p's i-th key and whether it leaves that key's pair in the store; the same random
 * stream in the worker and in the checker. Keys of process p are p mod STRESS_PROCS, so the
 * processes never share a key but do share every bucket. */
static unsigned stress_key(int *left)
{
    unsigned k = (next_random() % 1000000) * STRESS_PROCS;
    *left = next_random() % 3 == 0;
    return k;
}

static void stress(void)
{
    printf("kkvtest: stress\n");
    ok_or_fail(kkv_init(0), "init");
    unsigned char value[256], back[256];
    for (int p = 0; p < STRESS_PROCS; p++) {
        if (fork_or_fail() == 0) {
            rng_state = 777 + p * 1001;
            for (int i = 0; i < STRESS_KEYS; i++) {
                int left;
                unsigned k = stress_key(&left) + p;
                int n = fill_value(k, value);
                check(kkv_put(k, value, n, 0) == 0, "stress put: errno %d", errno);
                if (left)
                    continue;
                memset(back, 0, sizeof back);
                check(kkv_get(k, back, sizeof back, 0) == 0, "stress get of %u: errno %d", k, errno);
                check(memcmp(value, back, n) == 0, "key %u came back different", k);
            }
            exit(0);
        }
    }
    collect_children(STRESS_PROCS, 0, "a stress process");
    /* Replay each process's stream: every pair it left (and did not take again later) must be
     * there, byte for byte. */
    static unsigned keys[STRESS_KEYS];
    static int lefts[STRESS_KEYS];
    int checked = 0;
    for (int p = 0; p < STRESS_PROCS; p++) {
        rng_state = 777 + p * 1001;
        for (int i = 0; i < STRESS_KEYS; i++)
            keys[i] = stress_key(&lefts[i]) + p;
        for (int i = 0; i < STRESS_KEYS; i++) {
            int last = 1;
            for (int j = i + 1; j < STRESS_KEYS; j++)
                last &= keys[j] != keys[i];
            if (!lefts[i] || !last)
                continue;
            int n = fill_value(keys[i], value);
            memset(back, 0, sizeof back);
            check(kkv_get(keys[i], back, sizeof back, 0) == 0, "pair %u left by process %d is gone (errno %d)", keys[i], p, errno);
            check(memcmp(value, back, n) == 0, "pair %u left by process %d changed", keys[i], p);
            checked++;
        }
    }
    check(checked > STRESS_PROCS * STRESS_KEYS / 5, "only %d pairs were left to check", checked);
    check(kkv_destroy(0) == 0, "the store held pairs nobody put");
}

static const struct {
    const char *name;
    void (*run)(void);
} scenarios[] = {
    {"sequential", sequential}, {"hotpotato", hotpotato}, {"block", block},
    {"blocksignal", blocksignal}, {"manyblocked", manyblocked}, {"destroy", destroy},
    {"stress", stress},
};

int main(int argc, char **argv)
{
    test_begin("kkvtest");
    int n = sizeof scenarios / sizeof scenarios[0];
    int ran = 0;
    for (int i = 0; i < n; i++) {
        if (argc < 2 || strcmp(argv[1], scenarios[i].name) == 0) {
            scenarios[i].run();
            ran++;
        }
    }
    check(ran > 0, "no scenario named %s", argc > 1 ? argv[1] : "");
    printf("kkvtest: ok\n");
    return 0;
}
