/* readline_basic: readline returns one line at a time, or its first len bytes (the rest stays
 * for the next call); bad buffers and lengths are refused. Prints each line read. */
#include <report.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("readline_basic");
    REPORT_START_CMPLT;
    char buf[64];
    REPORT_CHECK(readline(-1, buf) < 0, "a negative length was accepted");
    REPORT_CHECK(readline(10, (char *)0x1000) < 0, "a bad buffer was accepted");
    int n = readline(sizeof buf, buf);
    REPORT_CHECK(n == 6 && memcmp(buf, "hello\n", 6) == 0, "first line: %d bytes", n);
    n = readline(4, buf);
    REPORT_CHECK(n == 4 && memcmp(buf, "long", 4) == 0, "the first part of a long line: %d bytes", n);
    n = readline(sizeof buf, buf);
    REPORT_CHECK(n == 6 && memcmp(buf, " line\n", 6) == 0, "its rest: %d bytes", n);
    buf[n] = 0;
    printf("read: [%s]\n", buf);
    report_success();
}
