/* yield_desc_mkrun: yield, deschedule and make_runnable between a parent and its child
 * (tids are global). The child deschedules itself; until it has, make_runnable of it is
 * refused and the parent yields to it; once it has, yield to it is refused, one make_runnable
 * wakes it and a second is refused. Also: yield(-1), yield to no such thread, deschedule with
 * a nonzero reject, bad pointers. Exits 0. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("yield_desc_mkrun");
    REPORT_START_CMPLT;
    REPORT_CHECK(yield(-1) == 0, "yield(-1) failed");
    REPORT_CHECK(yield(0x7fffffff) < 0, "yield to no such thread succeeded");
    REPORT_CHECK(make_runnable(gettid()) < 0, "make_runnable of myself (running) succeeded");
    int reject = 1;
    REPORT_CHECK(deschedule(&reject) == 0, "deschedule with reject set failed");
    REPORT_CHECK(deschedule((int *)0x1000) < 0, "deschedule with a bad pointer succeeded");

    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        int no = 0;
        deschedule(&no);
        exit(0);
    }
    int tries = 0;
    while (make_runnable(pid) < 0) {
        /* Not descheduled yet: let it run until it is; yield(pid) is refused once it is. */
        yield(pid);
        REPORT_CHECK(++tries < 1000000, "the child never descheduled");
    }
    /* It deschedules only once: it is runnable, running or gone now, never descheduled. */
    REPORT_CHECK(make_runnable(pid) < 0, "a second make_runnable succeeded");
    int status = -1;
    REPORT_CHECK(wait(&status) == pid && status == 0, "the child ended with %d", status);
    REPORT_MISC("make_runnable took %d tries", tries + 1);
    report_success();
}
