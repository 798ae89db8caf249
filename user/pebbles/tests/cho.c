/* cho: each program of the table in turn, checking its status. */
#include "cho.h"

int main(void)
{
    REPORT_LOCAL_INIT("cho");
    REPORT_START_CMPLT;
    int failures = 0;
    for (int i = 0; i < CHO_PROGRAMS; i++) {
        int pid = cho_start(i, -1);
        failures += cho_collect(1, &pid, &i);
    }
    REPORT_CHECK(failures == 0, "%d programs exited wrongly", failures);
    report_success();
}
