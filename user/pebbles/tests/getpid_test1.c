/* getpid_test1: gettid is the same every call, and a child's is what fork returned; the
 * parent's tid is unchanged by forking. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("getpid_test1");
    REPORT_START_CMPLT;
    int me = gettid();
    REPORT_CHECK(me > 0 && gettid() == me, "gettid is not stable: %d", me);
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0)
        exit(gettid() != me ? gettid() : -1);
    int status = 0;
    REPORT_CHECK(wait(&status) == pid && status == pid, "the child's tid was %d, fork said %d", status, pid);
    REPORT_CHECK(gettid() == me, "the parent's tid changed");
    report_success();
}
