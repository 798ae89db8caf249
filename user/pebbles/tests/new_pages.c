/* new_pages: bad arguments and used ranges are refused (the stack, the text, the data, an
 * earlier region, misaligned or non-multiple lengths, outside user memory); fresh pages read
 * as zeros; then pages are taken until the kernel says no, cleanly, and all given back. */
#include <autostack.h>
#include <report.h>
#include <syscall.h>

static int data_word = 1;

#define BASE ((char *)0x100000000UL)
#define CHUNK (4 << 20)

int main(void)
{
    REPORT_LOCAL_INIT("new_pages");
    REPORT_START_CMPLT;
    int local = 0;
    char *stack_page = (char *)((unsigned long)&local & ~(unsigned long)(PAGE_SIZE - 1));
    char *data_page = (char *)((unsigned long)&data_word & ~(unsigned long)(PAGE_SIZE - 1));
    char *text_page = (char *)((unsigned long)&main & ~(unsigned long)(PAGE_SIZE - 1));
    REPORT_CHECK(new_pages(stack_page, PAGE_SIZE) < 0, "new_pages on the stack succeeded");
    REPORT_CHECK(new_pages(data_page, PAGE_SIZE) < 0, "new_pages on the data succeeded");
    REPORT_CHECK(new_pages(text_page, PAGE_SIZE) < 0, "new_pages on the text succeeded");
    REPORT_CHECK(new_pages((char *)0x1000, PAGE_SIZE) < 0, "new_pages below user memory succeeded");
    REPORT_CHECK(new_pages((char *)(1UL << 38), PAGE_SIZE) < 0, "new_pages above user memory succeeded");
    REPORT_CHECK(new_pages(BASE + 1, PAGE_SIZE) < 0, "a misaligned base was taken");
    REPORT_CHECK(new_pages(BASE, PAGE_SIZE + 1) < 0, "a length of a page and a byte was taken");
    REPORT_CHECK(new_pages(BASE, 0) < 0, "a length of 0 was taken");
    REPORT_CHECK(new_pages(BASE, -PAGE_SIZE) < 0, "a negative length was taken");
    REPORT_CHECK(remove_pages(BASE) < 0, "remove_pages of nothing succeeded");

    REPORT_CHECK(new_pages(BASE, 4 * PAGE_SIZE) == 0, "new_pages of 4 pages failed");
    for (int i = 0; i < 4 * PAGE_SIZE; i++)
        REPORT_CHECK(BASE[i] == 0, "a new page is not zero at %d", i);
    BASE[5] = 5;
    REPORT_CHECK(new_pages(BASE + 2 * PAGE_SIZE, 4 * PAGE_SIZE) < 0, "an overlapping region was taken");
    REPORT_CHECK(new_pages(BASE - PAGE_SIZE, 2 * PAGE_SIZE) < 0, "a region overlapping the start was taken");
    REPORT_CHECK(remove_pages(BASE + PAGE_SIZE) < 0, "remove_pages inside a region succeeded");
    REPORT_CHECK(BASE[5] == 5, "the region changed");
    REPORT_CHECK(remove_pages(BASE) == 0, "remove_pages failed");

    /* Exhaust memory, one 4 MiB region at a time, touching every page of each. */
    char *next = BASE;
    int regions = 0, r;
    while ((r = new_pages(next, CHUNK)) == 0) {
        for (int i = 0; i < CHUNK; i += PAGE_SIZE)
            next[i] = 1;
        next += CHUNK;
        regions++;
        REPORT_CHECK(regions < 100000, "memory never ran out");
    }
    REPORT_CHECK(regions > 0, "not even one region: %d", r);
    REPORT_MISC("%d regions of 4 MiB before the kernel said %d", regions, r);
    for (char *p = BASE; p < next; p += CHUNK)
        REPORT_CHECK(remove_pages(p) == 0, "remove_pages of a region failed");
    /* All of it is back. */
    REPORT_CHECK(new_pages(BASE, CHUNK) == 0, "memory did not come back");
    REPORT_CHECK(remove_pages(BASE) == 0, "remove_pages failed");
    report_success();
}
