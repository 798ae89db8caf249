/* swexn_regs: the ureg holds every register as it was at the fault, and swexn's newureg puts
 * back every register as the handler left it (a changed callee-saved register and a0 arrive).
 * swexn refuses, changing nothing, a newureg with a privileged status bit, a pc outside user
 * memory, or a pointer it cannot read, and an esp3 or eip outside user memory. */
#include <report.h>
#include <syscall.h>

static char exception_stack[8192] __attribute__((aligned(16)));
static ureg_t seen;

static void handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    seen = *ureg;
    ureg->pc += 4;
    ureg->x18 = 0x5151515151515151UL; /* s2 */
    ureg->x10 = 77;                   /* a0 */
    swexn(exception_stack + sizeof exception_stack, handler, 0, ureg);
    report_fail("resume returned");
}

static void never(void *arg, ureg_t *ureg)
{
    (void)arg;
    (void)ureg;
    report_fail("a refused registration took effect");
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_regs");
    REPORT_START_CMPLT;
    char *top = exception_stack + sizeof exception_stack;
    ureg_t bad = {0};

    /* Refusals, each leaving no handler registered. */
    bad.pc = (unsigned long)&main;
    bad.x2 = (unsigned long)top;
    bad.status = 1UL << 8; /* SPP: return to supervisor mode */
    REPORT_CHECK(swexn(top, never, 0, &bad) < 0, "a privileged status bit was accepted");
    bad.status = 1UL << 40;
    REPORT_CHECK(swexn(top, never, 0, &bad) < 0, "a high status bit was accepted");
    bad.status = 0;
    bad.pc = 1UL << 40;
    REPORT_CHECK(swexn(top, never, 0, &bad) < 0, "a pc outside user memory was accepted");
    REPORT_CHECK(swexn(top, never, 0, (ureg_t *)0x1000) < 0, "an unreadable newureg was accepted");
    REPORT_CHECK(swexn((void *)(1UL << 40), never, 0, 0) < 0, "an esp3 outside user memory was accepted");
    REPORT_CHECK(swexn(top, (swexn_handler_t)(1UL << 40), 0, 0) < 0, "an eip outside user memory was accepted");

    /* The registers at a fault, and back from a newureg. */
    REPORT_CHECK(swexn(top, handler, 0, 0) == 0, "swexn failed");
    register unsigned long s2 __asm__("s2") = 0x1212121212121212UL;
    register unsigned long s11 __asm__("s11") = 0xbbbbbbbbbbbbbbbbUL;
    register unsigned long t6 __asm__("t6") = 0x6666666666666666UL;
    register unsigned long a0 __asm__("a0") = 5;
    __asm__ volatile(".4byte 0" : "+r"(s2), "+r"(a0) : "r"(s11), "r"(t6) : "memory");
    REPORT_CHECK(seen.x18 == 0x1212121212121212UL, "s2 at the fault: 0x%lx", seen.x18);
    REPORT_CHECK(seen.x27 == 0xbbbbbbbbbbbbbbbbUL, "s11 at the fault: 0x%lx", seen.x27);
    REPORT_CHECK(seen.x31 == 0x6666666666666666UL, "t6 at the fault: 0x%lx", seen.x31);
    REPORT_CHECK(seen.x10 == 5, "a0 at the fault: %lu", seen.x10);
    REPORT_CHECK(seen.status == UREG_STATUS_FS, "status at the fault: 0x%lx", seen.status);
    REPORT_CHECK(s2 == 0x5151515151515151UL, "s2 after the resume: 0x%lx", s2);
    REPORT_CHECK(a0 == 77, "a0 after the resume: %lu", a0);
    swexn(0, 0, 0, 0);
    report_success();
}
