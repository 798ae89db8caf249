/* sleep_test1: sleep(n) sleeps at least n ticks (by get_ticks), sleep(0) returns at once and a
 * negative sleep is an error. Exits 42. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("sleep_test1");
    REPORT_START_CMPLT;
    REPORT_CHECK(sleep(-1) < 0, "sleep(-1) succeeded");
    REPORT_CHECK(sleep(0) == 0, "sleep(0) failed");
    for (int n = 1; n <= 16; n *= 2) {
        unsigned before = get_ticks();
        REPORT_CHECK(sleep(n) == 0, "sleep(%d) failed", n);
        unsigned slept = get_ticks() - before;
        REPORT_CHECK(slept >= (unsigned)n, "sleep(%d) returned after %u ticks", n, slept);
    }
    REPORT_END_SUCCESS;
    return 42;
}
