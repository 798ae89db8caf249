/* Helpers shared by the test programs; see test.h. */
#include "test.h"

static const char *test_name = "test";

void test_begin(const char *name)
{
    test_name = name;
}

static void __attribute__((noreturn)) vfail(const char *fmt, va_list ap)
{
    fprintf(1, "FAIL: %s: ", test_name);
    vfprintf(1, fmt, ap);
    fprintf(1, "\n");
    exit(1);
}

void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(fmt, ap);
}

void check(int ok, const char *fmt, ...)
{
    if (ok)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfail(fmt, ap);
}

int fork_or_fail(void)
{
    int pid = fork();
    if (pid < 0)
        fail("fork failed");
    return pid;
}

int wait_for(int pid)
{
    int status = 12345;
    int got = wait(&status);
    if (got != pid)
        fail("wait returned %d, expected child %d", got, pid);
    return status;
}

void expect_exit(int pid, int want, const char *what)
{
    int status = wait_for(pid);
    check(status == want, "%s: child exited with status %d, expected %d", what, status, want);
}

void collect_children(int n, int want, const char *what)
{
    for (int i = 0; i < n; i++) {
        int status;
        int pid = wait(&status);
        check(pid > 0, "%s: wait returned %d with %d children left", what, pid, n - i);
        check(status == want, "%s: child %d exited with status %d, expected %d", what, pid, status, want);
    }
    check(wait(NULL) == -1, "%s: wait found a child after all %d were collected", what, n);
}

char *first_unmapped(void)
{
    uintptr_t top = (uintptr_t)sbrk(0);
    return (char *)((top + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
}
