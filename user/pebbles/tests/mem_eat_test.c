/* mem_eat_test: a runaway recursion grows the stack until the autostack limit, where the
 * thread is killed cleanly (status -2) instead of eating every page; then the parent can
 * still get memory. */
#include <report.h>
#include <syscall.h>

/* The limit the compiler cannot see, so the recursion is not refused at build time. */
static volatile int forever = 1;

static int eat(int depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (!forever)
        return frame[0];
    return eat(depth + 1) + frame[0];
}

int main(void)
{
    REPORT_LOCAL_INIT("mem_eat_test");
    REPORT_START_CMPLT;
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed: %d", pid);
    if (pid == 0)
        exit(eat(0));
    int status = 0;
    REPORT_CHECK(wait(&status) == pid, "wait failed");
    REPORT_CHECK(status == -2, "the recursion ended with status %d, not -2", status);
    /* Nothing leaked: a megabyte is still there for the asking. */
    char *base = (char *)0x40000000;
    REPORT_CHECK(new_pages(base, 1 << 20) == 0, "new_pages after the recursion failed");
    base[(1 << 20) - 1] = 1;
    REPORT_CHECK(remove_pages(base) == 0, "remove_pages failed");
    report_success();
}
