/* fork_test1: fork returns the child's pid to the parent and 0 to the child; both run on,
 * with their own copies of memory. */
#include <report.h>
#include <stdio.h>
#include <syscall.h>

static int shared_looking = 5;

int main(void)
{
    REPORT_LOCAL_INIT("fork_test1");
    REPORT_START_CMPLT;
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed: %d", pid);
    if (pid == 0) {
        shared_looking = 6; /* the parent must not see this */
        REPORT_MISC("child running, tid %d", gettid());
        exit(3);
    }
    int status = 0;
    int got = wait(&status);
    REPORT_CHECK(got == pid, "wait returned %d, fork said %d", got, pid);
    REPORT_CHECK(status == 3, "the child's status is %d, not 3", status);
    REPORT_CHECK(shared_looking == 5, "the child's store reached the parent: %d", shared_looking);
    REPORT_MISC("parent running, child was %d", pid);
    report_success();
}
