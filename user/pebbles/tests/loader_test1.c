/* loader_test1: exec loads initialized data exactly and clears the bss; exits 0. */
#include <report.h>
#include <syscall.h>

static int data[1024] = {1, 2, 3, [1023] = 0x12345678};
static char bss[64 * 1024];
static const char text_string[] = "read-only data in the text segment";

int main(void)
{
    REPORT_LOCAL_INIT("loader_test1");
    REPORT_START_CMPLT;
    REPORT_CHECK(data[0] == 1 && data[1] == 2 && data[2] == 3 && data[1023] == 0x12345678, "initialized data is wrong");
    for (int i = 3; i < 1023; i++)
        REPORT_CHECK(data[i] == 0, "data[%d] is %d", i, data[i]);
    for (unsigned i = 0; i < sizeof bss; i++)
        REPORT_CHECK(bss[i] == 0, "bss[%u] is %d", i, bss[i]);
    bss[sizeof bss - 1] = 1; /* and it is writable */
    REPORT_CHECK(text_string[0] == 'r', "rodata is wrong");
    report_success();
}
