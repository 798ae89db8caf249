/* swexn_cookie_monster: a handler that re-registers itself each time with a new argument (the
 * cookie) eats 100 illegal instructions in a row; each time it gets the cookie it was last
 * registered with and the pc of the instruction, which it steps over. Whatever esp3's
 * alignment, the ureg it is given is aligned and lies below esp3. */
#include <report.h>
#include <syscall.h>

#define COOKIES 100

static char exception_stack[8192] __attribute__((aligned(16)));
static char *esp3;
static long eaten;

static void monster(void *cookie, ureg_t *ureg)
{
    REPORT_CHECK((long)cookie == 1000 + eaten, "cookie %ld, expected %ld", (long)cookie, 1000 + eaten);
    REPORT_CHECK(ureg->cause == 2, "cause %lu, not an illegal instruction (2)", ureg->cause);
    REPORT_CHECK((unsigned long)ureg % 16 == 0, "the ureg at %p is not 16-byte aligned", (void *)ureg);
    REPORT_CHECK((char *)(ureg + 1) <= esp3 && (char *)ureg >= exception_stack, "the ureg is not below esp3");
    int local;
    REPORT_CHECK((char *)&local < (char *)ureg, "the handler's stack is not below the ureg");
    eaten++;
    ureg->pc += 4;
    esp3 = exception_stack + sizeof exception_stack - (eaten % 16); /* any alignment */
    swexn(esp3, monster, (void *)(1000 + eaten), ureg);
    report_fail("swexn with a new ureg returned");
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_cookie_monster");
    REPORT_START_CMPLT;
    esp3 = exception_stack + sizeof exception_stack;
    REPORT_CHECK(swexn(esp3, monster, (void *)1000L, 0) == 0, "swexn failed");
    for (int i = 0; i < COOKIES; i++)
        __asm__ volatile(".4byte 0");
    REPORT_CHECK(eaten == COOKIES, "%ld cookies eaten, not %d", eaten, COOKIES);
    swexn(0, 0, 0, 0);
    report_success();
}
