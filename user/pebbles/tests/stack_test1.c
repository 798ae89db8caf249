/* stack_test1: 64 KiB of locals, far more than exec's stack; autostack grows the stack while
 * they are touched, from the top down. Exits 42. */
#include <report.h>
#include <syscall.h>

static int deep(volatile char *buf, int n)
{
    int sum = 0;
    for (int i = n - 1; i >= 0; i -= 512)
        buf[i] = (char)(i >> 9);
    for (int i = n - 1; i >= 0; i -= 512)
        sum += buf[i];
    return sum;
}

int main(void)
{
    REPORT_LOCAL_INIT("stack_test1");
    REPORT_START_CMPLT;
    volatile char big[64 * 1024];
    int sum = deep(big, sizeof big);
    int expected = 0;
    for (int i = sizeof big - 1; i >= 0; i -= 512)
        expected += (char)(i >> 9);
    REPORT_CHECK(sum == expected, "the stack held %d, not %d", sum, expected);
    REPORT_END_SUCCESS;
    return 42;
}
