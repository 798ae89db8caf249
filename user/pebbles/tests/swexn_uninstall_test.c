/* swexn_uninstall_test: swexn with esp3 or eip NULL deregisters, so the next fault kills
 * (-2); a handler runs once and is deregistered, so a second fault without registering again
 * kills; fork copies the handler to the child. Each case runs in a child. */
#include <report.h>
#include <syscall.h>

static char exception_stack[8192] __attribute__((aligned(16)));
static volatile int ran;

static void handler(void *arg, ureg_t *ureg)
{
    (void)arg;
    ran++;
    ureg->pc += 4;
    swexn(0, 0, 0, ureg); /* resume, registering nothing */
}

static int in_child(int which)
{
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        char *top = exception_stack + sizeof exception_stack;
        switch (which) {
        case 0: /* deregistered by a NULL esp3 */
            swexn(top, handler, 0, 0);
            swexn(0, handler, 0, 0);
            break;
        case 1: /* deregistered by a NULL eip */
            swexn(top, handler, 0, 0);
            swexn(top, 0, 0, 0);
            break;
        case 2: /* one fault is handled, the second kills */
            swexn(top, handler, 0, 0);
            __asm__ volatile(".4byte 0");
            break;
        }
        __asm__ volatile(".4byte 0");
        exit(ran == 0 ? 20 : 21);
    }
    int status = 0;
    REPORT_CHECK(wait(&status) == pid, "wait failed");
    return status;
}

int main(void)
{
    REPORT_LOCAL_INIT("swexn_uninstall_test");
    REPORT_START_CMPLT;
    REPORT_CHECK(in_child(0) == -2, "a handler deregistered with esp3 NULL still ran");
    REPORT_CHECK(in_child(1) == -2, "a handler deregistered with eip NULL still ran");
    REPORT_CHECK(in_child(2) == -2, "a handler ran twice without registering again");

    /* Inherited by fork: the child's fault runs the handler the parent registered. */
    REPORT_CHECK(swexn(exception_stack + sizeof exception_stack, handler, 0, 0) == 0, "swexn failed");
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        __asm__ volatile(".4byte 0");
        exit(ran == 1 ? 30 : 31);
    }
    int status = 0;
    REPORT_CHECK(wait(&status) == pid && status == 30, "the forked child's handler: status %d", status);
    REPORT_CHECK(ran == 0, "the child's handler ran in the parent");
    swexn(0, 0, 0, 0);
    report_success();
}
