/*
 * forktest: fork, exit and wait.
 *   - wait with no children returns -1
 *   - exit statuses (any int, not only 0..255) come back through wait, with the child's pid
 *   - a child gets a copy of its parent's memory (data, stack and heap), not a share of it
 *   - each child is collected exactly once
 *   - an orphan (whose parent exited first) still runs to the end and is collected by init
 *   - fork fills the process table and then fails with -1; everything is collected after
 * Prints "forktest: ok" and exits 0 when all pass.
 */
#include "test.h"

/* A child that forks more than MAX_CHILDREN times means the kernel has no process limit. */
#define MAX_CHILDREN 1000
/* NPROC is 64; the reaper or init, this test and any orphan take some slots. */
#define MIN_CHILDREN 50

static int pids[MAX_CHILDREN];
static char data_copy[64] = "parent's data";

static void no_children(void)
{
    int status = 99;
    check(wait(&status) == -1, "wait with no children did not return -1");
    check(wait(NULL) == -1, "wait(NULL) with no children did not return -1");
    printf("forktest: wait with no children returns -1\n");
}

/* Statuses beyond a byte and negative ones too: xv6 passes the whole int. */
static void exit_statuses(void)
{
    static const int statuses[] = {0, 1, 42, 255, 1000, -7};
    for (unsigned i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        int pid = fork_or_fail();
        if (pid == 0)
            exit(statuses[i]);
        expect_exit(pid, statuses[i], "exit status");
    }
    /* The child's own pid, as getpid sees it, must be what fork told the parent. */
    int pid = fork_or_fail();
    if (pid == 0)
        exit(getpid());
    expect_exit(pid, pid, "getpid in the child");
    check(getpid() != pid, "parent and child have the same pid %d", pid);
    printf("forktest: exit statuses and pids come back through wait\n");
}

/* The child changes its copies of data, stack and heap; the parent's must not change. */
static void memory_is_copied(void)
{
    char stack_copy[16] = "parent's stack";
    char *heap = malloc(32);
    check(heap != NULL, "malloc failed");
    strcpy(heap, "parent's heap");
    int pid = fork_or_fail();
    if (pid == 0) {
        int same = strcmp(data_copy, "parent's data") == 0 && strcmp(stack_copy, "parent's stack") == 0
                   && strcmp(heap, "parent's heap") == 0;
        strcpy(data_copy, "child's data");
        strcpy(stack_copy, "child's stack");
        strcpy(heap, "child's heap");
        exit(same ? 0 : 1);
    }
    expect_exit(pid, 0, "the child did not see the parent's memory");
    check(strcmp(data_copy, "parent's data") == 0, "the child's store reached the parent's data");
    check(strcmp(stack_copy, "parent's stack") == 0, "the child's store reached the parent's stack");
    check(strcmp(heap, "parent's heap") == 0, "the child's store reached the parent's heap");
    free(heap);
    printf("forktest: a child's memory is a copy\n");
}

/* Three children, collected in whatever order they exit, each exactly once. */
static void each_child_once(void)
{
    int children[3];
    for (int i = 0; i < 3; i++) {
        children[i] = fork_or_fail();
        if (children[i] == 0)
            exit(10 + i);
    }
    for (int n = 0; n < 3; n++) {
        int status;
        int pid = wait(&status);
        int i = 0;
        while (i < 3 && children[i] != pid)
            i++;
        check(i < 3, "wait returned %d, which is not a child still to collect", pid);
        check(status == 10 + i, "child %d exited with %d, expected %d", pid, status, 10 + i);
        children[i] = -2;
    }
    check(wait(NULL) == -1, "wait after collecting every child did not return -1");
    printf("forktest: every child is collected once\n");
}

/*
 * A child forks a grandchild and exits at once, leaving it an orphan. The grandchild must run
 * to the end (it prints a line the end-to-end test looks for) and be collected by init; the
 * parent cannot wait for it. Returns the grandchild's pid, which the child passes up as its
 * exit status.
 */
static int orphan(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        int grandchild = fork();
        if (grandchild == 0) {
            sleep(2); /* by now its parent has very likely exited */
            printf("forktest: orphaned grandchild finished\n");
            exit(0);
        }
        exit(grandchild);
    }
    int grandchild = wait_for(pid);
    check(grandchild > 0, "the child could not fork a grandchild (status %d)", grandchild);
    check(wait(NULL) == -1, "the orphaned grandchild %d came back to its grandparent's wait", grandchild);
    printf("forktest: orphaned a grandchild\n");
    return grandchild;
}

/* Forks until the process table is full; each child exits at once, its zombie keeping its slot. */
static int fork_until_full(void)
{
    int n = 0;
    for (;;) {
        check(n < MAX_CHILDREN, "fork succeeded %d times without running out", MAX_CHILDREN);
        int pid = fork();
        if (pid < 0)
            return n;
        if (pid == 0)
            exit(n);
        pids[n++] = pid;
    }
}

static void collect_all(int n)
{
    for (int collected = 0; collected < n; collected++) {
        int status;
        int pid = wait(&status);
        check(pid > 0, "wait returned %d with %d children left", pid, n - collected);
        int i = 0;
        while (i < n && pids[i] != pid)
            i++;
        check(i < n, "wait returned %d, which is not a child still to collect", pid);
        check(status == i, "child %d exited with %d, expected %d", pid, status, i);
        pids[i] = -2;
    }
    check(wait(NULL) == -1, "wait after collecting %d children did not return -1", n);
}

static void fill_process_table(void)
{
    int n = fork_until_full();
    printf("forktest: fork failed cleanly after %d children\n", n);
    check(n >= MIN_CHILDREN, "only %d forks succeeded, expected at least %d", n, MIN_CHILDREN);
    collect_all(n);
    /* The slots must be free again. */
    int pid = fork_or_fail();
    if (pid == 0)
        exit(5);
    expect_exit(pid, 5, "fork after the table emptied");
    printf("forktest: collected all %d and could fork again\n", n);
}

/*
 * By now the orphan has had far longer than it needs. kill only finds processes that are
 * still running, so -1 means it finished; 0 means it was still running (and is now killed).
 */
static void orphan_finished(int grandchild)
{
    sleep(10);
    check(kill(grandchild) == -1, "orphaned grandchild %d was still running", grandchild);
    printf("forktest: the orphan finished\n");
}

int main(void)
{
    test_begin("forktest");
    no_children();
    exit_statuses();
    memory_is_copied();
    each_child_once();
    int grandchild = orphan();
    fill_process_table();
    orphan_finished(grandchild);
    printf("forktest: ok\n");
    return 0;
}
