/* cho_variant: every program of the table at once, each under another misbehave mode, then
 * the table of what each exited with. */
#include "cho.h"

int main(void)
{
    REPORT_LOCAL_INIT("cho_variant");
    REPORT_START_CMPLT;
    int pids[CHO_PROGRAMS], which[CHO_PROGRAMS];
    for (int k = 0; k < CHO_PROGRAMS; k++) {
        which[k] = CHO_PROGRAMS - 1 - k;
        pids[k] = cho_start(which[k], k % 5);
    }
    int failures = cho_collect(CHO_PROGRAMS, pids, which);
    REPORT_CHECK(failures == 0, "%d programs exited wrongly", failures);
    report_success();
}
