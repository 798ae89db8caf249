/* cho2: every program of the table at once, twice over (24 children in flight). */
#include "cho.h"

int main(void)
{
    REPORT_LOCAL_INIT("cho2");
    REPORT_START_CMPLT;
    int pids[2 * CHO_PROGRAMS], which[2 * CHO_PROGRAMS];
    for (int k = 0; k < 2 * CHO_PROGRAMS; k++) {
        which[k] = k % CHO_PROGRAMS;
        pids[k] = cho_start(which[k], -1);
    }
    int failures = cho_collect(2 * CHO_PROGRAMS, pids, which);
    REPORT_CHECK(failures == 0, "%d programs exited wrongly", failures);
    report_success();
}
