/* halt_test: halt stops the machine; nothing runs after it. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("halt_test");
    REPORT_START_ABORT;
    REPORT_MISC("halting");
    halt();
}
