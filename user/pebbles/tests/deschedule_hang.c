/* deschedule_hang: deschedule with nobody to make the thread runnable
 * again: it must stay descheduled for ever, not return and not spin. A FOREVER test: the
 * harness checks the line after START never comes. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("deschedule_hang");
    REPORT_START_FOREVER;
    int reject = 0;
    deschedule(&reject);
    report_fail("deschedule returned with nobody to wake it");
}
