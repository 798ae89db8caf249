/* remove_pages1 (15-410's remove_pages_test1): regions of 1 to 49 pages are made, written,
 * read back and removed; the same addresses can then be had again. Exits 0. */
#include <report.h>
#include <syscall.h>

#define BASE ((char *)0x200000000UL)

int main(void)
{
    REPORT_LOCAL_INIT("remove_pages1");
    REPORT_START_CMPLT;
    for (int round = 0; round < 2; round++) {
        for (int pages = 1; pages < 50; pages++) {
            char *base = BASE + (unsigned long)pages * 64 * PAGE_SIZE;
            int len = pages * PAGE_SIZE;
            REPORT_CHECK(new_pages(base, len) == 0, "new_pages of %d pages failed", pages);
            for (int i = 0; i < len; i += PAGE_SIZE)
                REPORT_CHECK(base[i] == 0, "page %d of %d is not zero", i / PAGE_SIZE, pages);
            for (int i = 0; i < len; i += 512)
                base[i] = (char)(pages + i);
            for (int i = 0; i < len; i += 512)
                REPORT_CHECK(base[i] == (char)(pages + i), "region of %d pages lost a store", pages);
        }
        for (int pages = 1; pages < 50; pages++)
            REPORT_CHECK(remove_pages(BASE + (unsigned long)pages * 64 * PAGE_SIZE) == 0, "remove_pages of %d pages failed", pages);
    }
    report_success();
}
