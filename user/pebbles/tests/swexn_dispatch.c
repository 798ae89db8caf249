/* swexn_dispatch: every kind of fault reaches the handler with its cause (the RISC-V scause
 * number) and address: an illegal instruction (2), a breakpoint (3), a load page fault (13), a
 * store page fault (15, to the read-only text too) and an instruction page fault (12). The
 * handler steps over the instruction (or returns to the caller, for the bad jump). */
#include <report.h>
#include <syscall.h>

static char exception_stack[8192] __attribute__((aligned(16)));
/* Changed by the handler behind the compiler's back. */
static volatile unsigned long last_cause, last_addr;
static volatile int faults;
static volatile int *volatile nowhere = (volatile int *)0x600000000UL;

/* The length of the instruction at pc: 4 bytes if its low two bits are 11, else 2 (RVC). */
static unsigned long length_at(unsigned long pc)
{
    unsigned short half = *(volatile unsigned short *)pc;
    return (half & 3) == 3 ? 4 : 2;
}

static void handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    last_cause = ureg->cause;
    last_addr = ureg->addr;
    faults++;
    if (ureg->cause == 12)
        ureg->pc = ureg->x1; /* the jump went nowhere: return to whoever jumped */
    else if (ureg->cause == 2 || ureg->cause == 3)
        ureg->pc += 4; /* main's own 4-byte instructions */
    else
        ureg->pc += length_at(ureg->pc); /* a load or store the compiler chose: 2 or 4 bytes */
    swexn(exception_stack + sizeof exception_stack, handler, 0, ureg);
}

static void expect(unsigned long cause, unsigned long addr, const char *what)
{
    REPORT_CHECK(last_cause == cause, "%s: cause %lu, not %lu", what, last_cause, cause);
    REPORT_CHECK(last_addr == addr, "%s: addr 0x%lx, not 0x%lx", what, last_addr, addr);
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_dispatch");
    REPORT_START_CMPLT;
    REPORT_CHECK(swexn(exception_stack + sizeof exception_stack, handler, 0, 0) == 0, "swexn failed");
    __asm__ volatile(".4byte 0");
    expect(2, 0, "illegal instruction");
    __asm__ volatile(".option push\n.option norvc\nebreak\n.option pop");
    expect(3, 0, "breakpoint");
    (void)*nowhere;
    expect(13, (unsigned long)nowhere, "load");
    *nowhere = 1;
    expect(15, (unsigned long)nowhere, "store");
    volatile char *text = (volatile char *)(void *)&main;
    *text = 0;
    expect(15, (unsigned long)text, "store to text");
    void (*volatile jump)(void) = (void (*)(void))0x700000000UL;
    jump();
    expect(12, 0x700000000UL, "instruction fetch");
    REPORT_CHECK(faults == 6, "%d faults handled, not 6", faults);
    swexn(0, 0, 0, 0);
    report_success();
}
