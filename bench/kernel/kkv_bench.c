/*
 * kkv_bench P ROUNDS distinct|hot|wake: the kernel key-value store under load.
 *   distinct  P processes, each doing ROUNDS put+get pairs on keys of its own (process p uses
 *             key p, so each process has a bucket to itself: 17 buckets, at most 4 processes)
 *   hot       P processes doing ROUNDS put+get pairs on one key (a get may find the value gone
 *             to another process: ENOENT; the pair still counts)
 *   wake      the wake-up latency of a blocking get: a child blocks, the parent puts the time
 *             it put, the child reads the time it woke; ROUNDS times, P is ignored
 * Prints "kkv MODE P: V pairs per second (ROUNDS rounds each, T ticks)" or, for wake,
 * "kkv wake: V us per wake-up (...)". The processes start together (a pipe releases them) and
 * the time runs from the release to the last one's exit.
 */
#include "bench.h"
#include "kkv.h"

#define MAX_PROCS 8

static void fail_errno(const char *what)
{
    bench_fail("kkv", "%s: %s", what, strerror(errno));
}

static void worker(int p, int rounds, int hot, int go)
{
    char c;
    if (read(go, &c, 1) != 1)
        exit(1);
    unsigned key = hot ? 1000 : (unsigned)p;
    long value = p, back;
    for (int i = 0; i < rounds; i++) {
        if (kkv_put(key, &value, sizeof value, 0) < 0)
            fail_errno("put");
        if (kkv_get(key, &back, sizeof back, KKV_NONBLOCK) < 0 && errno != ENOENT)
            fail_errno("get");
    }
    exit(0);
}

static void pairs(int procs, int rounds, int hot)
{
    int go[2];
    if (pipe(go) < 0)
        bench_fail("kkv", "pipe failed");
    for (int p = 0; p < procs; p++) {
        int pid = fork();
        if (pid < 0)
            bench_fail("kkv", "fork failed");
        if (pid == 0) {
            close(go[1]);
            worker(p, rounds, hot, go[0]);
        }
    }
    close(go[0]);
    uint64 start = rdtime();
    for (int p = 0; p < procs; p++)
        write(go[1], "g", 1);
    for (int p = 0; p < procs; p++) {
        int status;
        if (wait(&status) < 0 || status != 0)
            bench_fail("kkv", "a worker failed");
    }
    uint64 ticks = rdtime() - start;
    uint64 total = (uint64)procs * rounds;
    uint64 per_second = total * (1000000000UL / NS_PER_TICK) / (ticks ? ticks : 1);
    printf("kkv %s %d: %lu pairs per second (%d rounds each, %lu ticks)\n", hot ? "hot" : "distinct", procs,
           per_second, rounds, ticks);
}

static void wake(int rounds)
{
    uint64 total = 0;
    for (int i = 0; i < rounds; i++) {
        int ready[2];
        if (pipe(ready) < 0)
            bench_fail("kkv", "pipe failed");
        int pid = fork();
        if (pid == 0) {
            close(ready[0]);
            write(ready[1], "r", 1);
            uint64 put_at;
            if (kkv_get(77, &put_at, sizeof put_at, KKV_BLOCK) < 0)
                fail_errno("blocking get");
            uint64 woke = rdtime() - put_at;
            /* The latency goes back through the store (key 78). */
            if (kkv_put(78, &woke, sizeof woke, 0) < 0)
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
        if (kkv_put(77, &now, sizeof now, 0) < 0)
            fail_errno("put");
        int status;
        if (wait(&status) != pid || status != 0)
            bench_fail("kkv", "the getter failed");
        uint64 woke;
        if (kkv_get(78, &woke, sizeof woke, 0) < 0)
            fail_errno("get of the latency");
        total += woke;
    }
    bench_report("kkv wake", "us", 1000, "wake-up", total, rounds);
}

int main(int argc, char **argv)
{
    (void)bench_rounds; /* the rounds come with the mode here */
    if (argc != 4)
        bench_fail("kkv", "usage: kkv_bench PROCESSES ROUNDS distinct|hot|wake");
    int procs = atoi(argv[1]), rounds = atoi(argv[2]);
    if (procs < 1 || procs > MAX_PROCS || rounds < 1)
        bench_fail("kkv", "1..%d processes and a positive number of rounds", MAX_PROCS);
    if (kkv_init(0) < 0)
        fail_errno("init");
    if (strcmp(argv[3], "wake") == 0)
        wake(rounds);
    else if (strcmp(argv[3], "distinct") == 0 || strcmp(argv[3], "hot") == 0)
        pairs(procs, rounds, strcmp(argv[3], "hot") == 0);
    else
        bench_fail("kkv", "unknown mode %s", argv[3]);
    if (kkv_destroy(0) < 0)
        fail_errno("destroy");
    return 0;
}
