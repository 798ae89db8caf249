/* swexn_basic_test: a load from a page that is not there runs the handler, which maps the page
 * with new_pages, stores 42 where the load was going, and resumes the load: it reads 42. */
#include <report.h>
#include <syscall.h>

#define WHERE ((volatile int *)0x500000008UL)

static char exception_stack[8192] __attribute__((aligned(16)));
static int handled;

static void handler(void *arg, ureg_t *ureg)
{
    REPORT_CHECK(arg == (void *)&handled, "the handler's argument is %p", arg);
    REPORT_CHECK(ureg->cause == 13, "cause %lu, not a load page fault (13)", ureg->cause);
    REPORT_CHECK(ureg->addr == (unsigned long)WHERE, "addr 0x%lx, not the load's", ureg->addr);
    REPORT_CHECK(new_pages((void *)(ureg->addr & ~(unsigned long)(PAGE_SIZE - 1)), PAGE_SIZE) == 0, "new_pages failed");
    *WHERE = 42;
    handled++;
    swexn(0, 0, 0, ureg);
    report_fail("swexn with a new ureg returned");
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_basic_test");
    REPORT_START_CMPLT;
    REPORT_CHECK(swexn(exception_stack + sizeof exception_stack, handler, &handled, 0) == 0, "swexn failed");
    int v = *WHERE;
    REPORT_CHECK(handled == 1, "the handler ran %d times", handled);
    REPORT_CHECK(v == 42, "the load read %d, not 42", v);
    report_success();
}
