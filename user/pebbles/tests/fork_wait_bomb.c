/* fork_wait_bomb: fork and wait, one child at a time, many times; each child's status and
 * pid come back right, and pids are never reused while the parent runs. */
#include <report.h>
#include <stdlib.h>
#include <syscall.h>

int main(int argc, char *argv[])
{
    REPORT_LOCAL_INIT("fork_wait_bomb");
    REPORT_START_CMPLT;
    int rounds = argc > 1 ? atoi(argv[1]) : 400;
    int last = 0;
    for (int i = 0; i < rounds; i++) {
        int pid = fork();
        REPORT_CHECK(pid >= 0, "fork %d failed: %d", i, pid);
        if (pid == 0)
            exit(i & 0xff);
        int status = -1;
        REPORT_CHECK(wait(&status) == pid, "round %d: wait did not return the child", i);
        REPORT_CHECK(status == (i & 0xff), "round %d: status %d", i, status);
        REPORT_CHECK(pid > last, "round %d: pid %d after %d", i, pid, last);
        last = pid;
    }
    report_success();
}
