/* exec_basic: exec replaces the program; exec_basic_helper reports
 * and exits 1, which becomes this task's status. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("exec_basic");
    REPORT_START_CMPLT;
    char *args[] = {"exec_basic_helper", "from exec_basic", 0};
    int r = exec("exec_basic_helper", args);
    report_fail("exec returned %d", r);
}
