/* fork_wait: the parent's wait returns the child's pid with the status it exited with (17). */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("fork_wait");
    REPORT_START_CMPLT;
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed: %d", pid);
    if (pid == 0)
        exit(17);
    int status = 0;
    REPORT_CHECK(wait(&status) == pid, "wait did not return the child");
    REPORT_CHECK(status == 17, "status %d, not 17", status);
    REPORT_CHECK(wait(&status) < 0, "a second wait found another child");
    report_success();
}
