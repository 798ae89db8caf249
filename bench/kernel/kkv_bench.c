/*
 * kkv_bench P ROUNDS MODE [RUNS]: the kernel key-value store under load.
 *   distinct  P processes, each doing ROUNDS put+get pairs on keys of its own (process p uses
 *             key p, so each process has a bucket to itself: 17 buckets, at most 8 processes)
 *   chain     as distinct, but each process first puts CHAIN_PAIRS more keys of its own bucket
 *             (p + 17, p + 34, ...), which stay for the whole run: every put of its key walks
 *             that chain under the bucket's lock to find the key absent, so a lock is held for
 *             as long as a loaded hash table holds it, and one global lock for every bucket
 *             serializes the walks that per-bucket locks let run side by side
 *   hot       P processes doing ROUNDS put+get pairs on one key (a get may find the value gone
 *             to another process: ENOENT; the pair still counts)
 *   null      the control: P processes each making ROUNDS pairs of getpid calls (as many traps
 *             as a put+get pair, and no shared kernel state but what every system call touches),
 *             to tell the store's own limits from the system-call path's and the host's
 *   wake      the wake-up latency of a blocking get: a child blocks on a key, the parent puts
 *             the time it put (rdtime, just before the call), and the getter subtracts that from
 *             rdtime as soon as its get returns: put call, wake-up, the getter's CPU found and
 *             its return to user mode, all in one. ROUNDS wake-ups; P is ignored.
 *
 * The pair modes fork the P workers once and time RUNS runs of ROUNDS pairs each (default 1).
 * For each run the parent sends every worker, through a pipe of its own, one start time
 * START_LEAD_MS ahead; each worker waits for that time, does its pairs and sends back the time
 * it finished, and the run lasts from the start time to the last finish. A common start keeps
 * out of the figure what releasing the workers one after another costs (the last one released
 * had to wait for a CPU until the parent went to sleep, up to a timer tick, 10 ms of a 400 ms
 * run), and the workers' own finish times keep out the parent's wake-up after the last one.
 *
 * The first seconds of a boot are slower than the rest (the host's JIT is still compiling the
 * kernel's paths, and the compiles of the guest's hot code bring more .NET code to its higher
 * tiers for seconds after), so with RUNS > 1 the first run is a warm-up: it repeats its ROUNDS
 * until WARMUP_SECONDS have passed, and the summary is over runs 2..RUNS. Prints a line per run
 *     kkv MODE P run I: V pairs per second (ROUNDS rounds each, T ticks; each worker A..B)
 * where A and B are the slowest and the fastest worker's own pairs per second (its rounds over
 * the time from the start to its finish; in a warm-up run, of its last repetition): far apart,
 * the host gave the workers unequal shares; close together but each below a 1-CPU run's
 * figure, every CPU was slowed.
 * then
 *     kkv MODE P: V pairs per second (best of runs 2..N; median M)
 * and for wake
 *     kkv wake: V us per wake-up (median of ROUNDS; min A, max B; N ticks in all)
 * Time is the time CSR, one clock for every CPU.
 */
#include "bench.h"
#include "kkv.h"

#define MAX_PROCS 8
#define MAX_RUNS 32
#define MAX_WAKES 1000
#define WAKE_KEY 77
#define LATENCY_KEY 78
#define WARMUP_SECONDS 3
#define CHAIN_PAIRS 1024
#define START_LEAD_MS 30

enum mode { DISTINCT, CHAIN, HOT, NULLCALL };
static const char *mode_names[] = { "distinct", "chain", "hot", "null" };

static void fail_errno(const char *what)
{
    bench_fail("kkv", "%s: %s", what, strerror(errno));
}

/* Sorts a small array in place (insertion sort: at most MAX_WAKES values). */
static void sort(uint64 *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64 x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static void one_run(int p, int rounds, enum mode mode)
{
    if (mode == NULLCALL) {
        int pid = getpid(), wrong = 0;
        for (int i = 0; i < rounds; i++)
            wrong |= (getpid() ^ pid) | (getpid() ^ pid);
        if (wrong)
            bench_fail("kkv", "getpid did not always return %d", pid);
        return;
    }
    /* In chain mode a put walks all CHAIN_PAIRS resident pairs to find p absent, then adds it at
       the head, where the get finds it at once. */
    unsigned key = mode == HOT ? 1000 : (unsigned)p;
    long value = p, back;
    for (int i = 0; i < rounds; i++) {
        if (kkv_put(key, &value, sizeof value, 0) < 0)
            fail_errno("put");
        if (kkv_get(key, &back, sizeof back, KKV_NONBLOCK) < 0 && errno != ENOENT)
            fail_errno("get");
    }
}

/* chain mode's resident pairs: CHAIN_PAIRS more keys in process p's bucket (kkv_destroy removes them). */
static void fill_chain(int p)
{
    long value = p;
    for (unsigned j = 1; j <= CHAIN_PAIRS; j++)
        if (kkv_put((unsigned)p + j * KKV_BUCKETS, &value, sizeof value, 0) < 0)
            fail_errno("put of a resident pair");
}

/* A worker: one run each time its go pipe gives it a start time, its finish time on done after each. */
static void worker(int p, int rounds, enum mode mode, int go, int done)
{
    uint64 start;
    if (mode == CHAIN)
        fill_chain(p);
    while (read(go, &start, sizeof start) == sizeof start) {
        while (rdtime() < start)
            ;
        one_run(p, rounds, mode);
        uint64 finish = rdtime();
        if (write(done, &finish, sizeof finish) != sizeof finish)
            exit(1);
    }
    exit(0);
}

static void pairs(int procs, int rounds, enum mode mode, int runs)
{
    int go[MAX_PROCS][2], done[2];
    if (pipe(done) < 0)
        bench_fail("kkv", "pipe failed");
    for (int p = 0; p < procs; p++) {
        if (pipe(go[p]) < 0)
            bench_fail("kkv", "pipe failed");
        int pid = fork();
        if (pid < 0)
            bench_fail("kkv", "fork failed");
        if (pid == 0) {
            close(done[0]);
            for (int q = 0; q <= p; q++)
                close(go[q][1]);
            worker(p, rounds, mode, go[p][0], done[1]);
        }
        close(go[p][0]);
    }
    close(done[1]);

    uint64 rates[MAX_RUNS];
    uint64 total = (uint64)procs * rounds;
    for (int r = 0; r < runs; r++) {
        uint64 ticks = 0, pairs_done = 0, first_finish, last_finish;
        do {
            uint64 start = rdtime() + START_LEAD_MS * (TICKS_PER_SECOND / 1000);
            for (int p = 0; p < procs; p++)
                if (write(go[p][1], &start, sizeof start) != sizeof start)
                    bench_fail("kkv", "a worker is gone");
            first_finish = ~0UL;
            last_finish = 0;
            for (int p = 0; p < procs; p++) {
                uint64 finish;
                if (read(done[0], &finish, sizeof finish) != sizeof finish)
                    bench_fail("kkv", "a worker failed");
                /* From the common start, so a worker that got its CPU late counts its lateness. */
                finish -= start;
                first_finish = finish < first_finish ? finish : first_finish;
                last_finish = finish > last_finish ? finish : last_finish;
            }
            pairs_done += total;
            ticks += last_finish;
        } while (r == 0 && runs > 1 && ticks < WARMUP_SECONDS * TICKS_PER_SECOND);
        rates[r] = pairs_done * TICKS_PER_SECOND / ticks;
        printf("kkv %s %d run %d: %lu pairs per second (%d rounds each, %lu ticks; each worker %lu..%lu)\n",
               mode_names[mode], procs, r + 1, rates[r], rounds, ticks,
               (uint64)rounds * TICKS_PER_SECOND / last_finish, (uint64)rounds * TICKS_PER_SECOND / first_finish);
    }
    for (int p = 0; p < procs; p++)
        close(go[p][1]);
    for (int p = 0; p < procs; p++) {
        int status;
        if (wait(&status) < 0 || status != 0)
            bench_fail("kkv", "a worker failed");
    }

    int first = runs > 1 ? 1 : 0, n = runs - first;
    sort(rates + first, n);
    printf("kkv %s %d: %lu pairs per second (best of runs %d..%d; median %lu)\n", mode_names[mode], procs,
           rates[runs - 1], first + 1, runs, rates[first + n / 2]);
}

static void wake(int rounds)
{
    static uint64 latency[MAX_WAKES];
    uint64 total = 0;
    for (int i = 0; i < rounds; i++) {
        int ready[2];
        if (pipe(ready) < 0)
            bench_fail("kkv", "pipe failed");
        int pid = fork();
        if (pid < 0)
            bench_fail("kkv", "fork failed");
        if (pid == 0) {
            close(ready[0]);
            write(ready[1], "r", 1);
            uint64 put_at;
            if (kkv_get(WAKE_KEY, &put_at, sizeof put_at, KKV_BLOCK) < 0)
                fail_errno("blocking get");
            uint64 woke = rdtime() - put_at;
            /* The latency goes back through the store. */
            if (kkv_put(LATENCY_KEY, &woke, sizeof woke, 0) < 0)
                fail_errno("put of the latency");
            exit(0);
        }
        close(ready[1]);
        char c;
        if (read(ready[0], &c, 1) != 1)
            bench_fail("kkv", "the getter never started");
        close(ready[0]);
        /* Give the getter time to block: a get that finds the value at once measures nothing. */
        sleep(2);
        uint64 now = rdtime();
        if (kkv_put(WAKE_KEY, &now, sizeof now, 0) < 0)
            fail_errno("put");
        int status;
        if (wait(&status) != pid || status != 0)
            bench_fail("kkv", "the getter failed");
        uint64 woke;
        if (kkv_get(LATENCY_KEY, &woke, sizeof woke, 0) < 0)
            fail_errno("get of the latency");
        /* One clock for all CPUs: a "negative" latency is a broken clock, not a fast wake-up. */
        if ((long)woke < 0)
            bench_fail("kkv", "the getter woke %ld ticks before the put: the CPUs' clocks disagree", (long)woke);
        latency[i] = woke;
        total += woke;
    }
    sort(latency, rounds);
    uint64 median = latency[rounds / 2];
    printf("kkv wake: %lu.%lu us per wake-up (median of %d; min %lu.%lu, max %lu.%lu; %lu ticks in all)\n",
           median / 10, median % 10, rounds, latency[0] / 10, latency[0] % 10,
           latency[rounds - 1] / 10, latency[rounds - 1] % 10, total);
}

int main(int argc, char **argv)
{
    (void)bench_rounds;   /* the rounds come with the mode here */
    (void)bench_report;
    if (argc != 4 && argc != 5)
        bench_fail("kkv", "usage: kkv_bench PROCESSES ROUNDS distinct|chain|hot|null|wake [RUNS]");
    int procs = atoi(argv[1]), rounds = atoi(argv[2]), runs = argc == 5 ? atoi(argv[4]) : 1;
    if (procs < 1 || procs > MAX_PROCS || rounds < 1 || runs < 1 || runs > MAX_RUNS)
        bench_fail("kkv", "1..%d processes, a positive number of rounds and 1..%d runs", MAX_PROCS, MAX_RUNS);
    if (kkv_init(0) < 0)
        fail_errno("init");
    if (strcmp(argv[3], "wake") == 0) {
        if (rounds > MAX_WAKES)
            bench_fail("kkv", "at most %d wake-ups", MAX_WAKES);
        wake(rounds);
    } else {
        int m = 0;
        while (m <= NULLCALL && strcmp(argv[3], mode_names[m]) != 0)
            m++;
        if (m > NULLCALL)
            bench_fail("kkv", "unknown mode %s", argv[3]);
        pairs(procs, rounds, (enum mode)m, runs);
    }
    if (kkv_destroy(0) < 0)
        fail_errno("destroy");
    return 0;
}
