/* swexn_stands_for_swextensible: the handler is deregistered while it runs, so a fault in it
 * kills the thread (-2) rather than recursing; and a handler that returns returns to an
 * address that faults, which kills it too. Each case runs in a child. */
#include <report.h>
#include <syscall.h>

static char exception_stack[8192] __attribute__((aligned(16)));
/* Unmapped addresses the compiler cannot see through. */
static volatile int *volatile low = (volatile int *)0x10, *volatile lower = (volatile int *)0x20;
static volatile int entered;

static void faulting_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    (void)ureg;
    entered++;
    *low = 1; /* a fault with no handler: the end */
}

static void returning_handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    (void)ureg;
    entered++;
}

static int child(swexn_handler_t h)
{
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        swexn(exception_stack + sizeof exception_stack, h, 0, 0);
        *lower = 1;
        exit(entered == 1 ? 10 : 11);
    }
    int status = 0;
    REPORT_CHECK(wait(&status) == pid, "wait failed");
    return status;
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_stands_for_swextensible");
    REPORT_START_CMPLT;
    int status = child(faulting_handler);
    REPORT_CHECK(status == -2, "a fault in the handler ended the child with %d, not -2", status);
    status = child(returning_handler);
    REPORT_CHECK(status == -2, "a returning handler ended the child with %d, not -2", status);
    report_success();
}
