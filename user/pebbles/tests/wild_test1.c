/* wild_test1: a store through a wild pointer kills the thread; the task's status is -2. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("wild_test1");
    REPORT_START_ABORT;
    *(volatile int *)0xdeadbeef0 = 42;
    report_fail("the wild store did not fault");
}
