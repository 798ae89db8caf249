/* print_basic: print writes exactly the bytes asked for; bad lengths and buffers are refused. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("print_basic");
    REPORT_START_CMPLT;
    char text[] = "print_basic says hello\n";
    REPORT_CHECK(print(sizeof text - 1, text) == 0, "print failed");
    REPORT_CHECK(print(4, "abcdefgh") == 0 && print(1, "\n") == 0, "short print failed");
    REPORT_CHECK(print(-1, text) < 0, "a negative length was printed");
    REPORT_CHECK(print(10, (char *)0x1000) < 0, "a bad buffer was printed");
    REPORT_CHECK(print(0, (char *)0) == 0, "an empty print failed");
    report_success();
}
