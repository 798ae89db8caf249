/* wait_getpid: a child's tid is the pid fork returned, and wait returns it too. The child
 * exits with its own tid as its status, so the parent can check all three agree. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("wait_getpid");
    REPORT_START_CMPLT;
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed: %d", pid);
    if (pid == 0)
        exit(gettid());
    int status = 0;
    int got = wait(&status);
    REPORT_CHECK(got == pid, "wait returned %d, fork %d", got, pid);
    REPORT_CHECK(status == pid, "the child's gettid was %d, fork said %d", status, pid);
    report_success();
}
