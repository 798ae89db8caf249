/*
 * cyclone: chains of threads, each making the next and joining it, so that every thread is
 * at once a joiner and joined; run it under each misbehave mode (the first argument). Each
 * link yields to its parent (running, or waiting in thr_join, when the yield is refused) and
 * to anyone, and passes its child's value on plus one: the chain's head must see its length.
 */
#include "thrtest.h"

#define LINKS 24
#define CHAINS 4

static int parents[LINKS + 1];

static void *link_thread(void *arg)
{
    int depth = (int)(long)arg;
    if (depth == LINKS)
        return (void *)0;
    int parent = parents[depth];
    parents[depth + 1] = thr_getid();
    thr_yield(parent);
    int child = thr_create(link_thread, (void *)(long)(depth + 1));
    CHECK(child > 0, "thr_create at depth %d returned %d", depth, child);
    thr_yield(-1);
    void *status = 0;
    CHECK(thr_join(child, &status) == 0, "thr_join at depth %d failed", depth);
    CHECK(status == (void *)(long)(LINKS - depth - 1), "depth %d got %ld from its child", depth, (long)status);
    return (void *)(long)(LINKS - depth);
}

int main(int argc, char *argv[])
{
    thrtest_start("cyclone", argc, argv, THRTEST_STACK);
    for (int chain = 0; chain < CHAINS; chain++) {
        parents[0] = thr_getid();
        int head = thr_create(link_thread, (void *)0);
        CHECK(head > 0, "thr_create failed");
        void *status = 0;
        CHECK(thr_join(head, &status) == 0, "thr_join of the chain failed");
        CHECK(status == (void *)(long)LINKS, "chain %d reported %ld, not %d", chain, (long)status, LINKS);
    }
    report_success();
}
