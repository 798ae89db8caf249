/*
 * The cho family: run the kernel tests with known exit statuses as children (fork, exec,
 * wait) and check each status against the table, as 15-410's cho programs do. Used by cho
 * (one at a time), cho2 (all at once, twice over) and cho_variant (all at once, each child
 * under a different misbehave mode).
 */
#include <report.h>
#include <stdio.h>
#include <syscall.h>

struct cho_entry {
    char *name;
    int status;
};

static struct cho_entry cho_table[] = {
    {"exec_basic", 1},     {"fork_wait", 0},      {"loader_test1", 0},  {"loader_test2", 42},
    {"make_crash", 10000}, {"print_basic", 0},    {"remove_pages1", 0}, {"remove_pages2", -2},
    {"sleep_test1", 42},   {"stack_test1", 42},   {"wild_test1", -2},   {"yield_desc_mkrun", 0},
};

#define CHO_PROGRAMS ((int)(sizeof cho_table / sizeof cho_table[0]))

/* Starts entry i as a child (under misbehave mode, if mode >= 0); its pid. */
static int cho_start(int i, int mode)
{
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork for %s failed: %d", cho_table[i].name, pid);
    if (pid == 0) {
        if (mode >= 0)
            misbehave(mode);
        char *args[] = {cho_table[i].name, 0};
        exec(cho_table[i].name, args);
        printf("cho: exec %s failed\n", cho_table[i].name);
        exit(-99);
    }
    return pid;
}

/* Collects n children started from pids[]/which[], checking each status; the failures. */
static int cho_collect(int n, const int *pids, const int *which)
{
    int failures = 0;
    for (int k = 0; k < n; k++) {
        int status = 0;
        int pid = wait(&status);
        REPORT_CHECK(pid > 0, "wait failed with children outstanding");
        int j = 0;
        while (j < n && pids[j] != pid)
            j++;
        REPORT_CHECK(j < n, "wait returned pid %d, not a child", pid);
        struct cho_entry *e = &cho_table[which[j]];
        if (status != e->status) {
            REPORT_ERR("%s exited with %d, expected %d", e->name, status, e->status);
            failures++;
        } else {
            REPORT_MISC("%s exited with %d, as expected", e->name, status);
        }
    }
    return failures;
}
