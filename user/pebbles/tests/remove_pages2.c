/* remove_pages2 (15-410's remove_pages_test2): a page touched after remove_pages kills the
 * thread; the task's status is -2. */
#include <report.h>
#include <syscall.h>

#define BASE ((char *)0x200000000UL)

int main(void)
{
    REPORT_LOCAL_INIT("remove_pages2");
    REPORT_START_ABORT;
    REPORT_CHECK(new_pages(BASE, 3 * PAGE_SIZE) == 0, "new_pages failed");
    BASE[PAGE_SIZE] = 1;
    REPORT_CHECK(remove_pages(BASE) == 0, "remove_pages failed");
    BASE[PAGE_SIZE] = 2;
    report_fail("a removed page was still writable");
}
