/* actual_wait: 40 children sleeping different times; wait returns each of them exactly once,
 * with its own status, roughly in the order they finish, and blocks (does not spin or fail)
 * while they sleep. */
#include <report.h>
#include <syscall.h>

#define CHILDREN 40

int main(void)
{
    REPORT_LOCAL_INIT("actual_wait");
    REPORT_START_CMPLT;
    int pids[CHILDREN], seen[CHILDREN] = {0};
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        REPORT_CHECK(pids[i] >= 0, "fork %d failed: %d", i, pids[i]);
        if (pids[i] == 0) {
            sleep(1 + (i * 7) % 10);
            exit(100 + i);
        }
    }
    for (int n = 0; n < CHILDREN; n++) {
        int status = 0;
        int pid = wait(&status);
        REPORT_CHECK(pid > 0, "wait %d failed: %d", n, pid);
        int i = status - 100;
        REPORT_CHECK(i >= 0 && i < CHILDREN, "status %d from pid %d", status, pid);
        REPORT_CHECK(pids[i] == pid, "child %d was pid %d, wait said %d", i, pids[i], pid);
        REPORT_CHECK(!seen[i], "child %d collected twice", i);
        seen[i] = 1;
    }
    int status;
    REPORT_CHECK(wait(&status) < 0, "wait found a 41st child");
    report_success();
}
