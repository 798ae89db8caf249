/* mem_permissions: each forbidden access, made by a child of its own,
 * kills it with status -2: a store to the text, a store to read-only data, a load below the
 * user address space (where the 15-410 kernel lived), a jump into the data (not executable),
 * a load above the user address space. The parent checks every one. */
#include <report.h>
#include <syscall.h>

static const int constant = 7;
static unsigned data_code[4] = {0x00008067}; /* "ret", but in a data page */

int main(void);

static int attempt(int which)
{
    switch (which) {
    case 0:
        *(volatile unsigned *)(void *)&main = 0;
        break;
    case 1:
        *(volatile int *)&constant = 8;
        break;
    case 2:
        return *(volatile int *)0x100000;
    case 3:
        ((void (*)(void))data_code)();
        break;
    case 4:
        return *(volatile int *)(1UL << 40);
    }
    return 0;
}

int main(void)
{
    REPORT_LOCAL_INIT("mem_permissions");
    REPORT_START_CMPLT;
    static const char *what[] = {"store to text", "store to rodata", "load below user memory",
                                 "jump into data", "load above user memory"};
    for (int i = 0; i < 5; i++) {
        int pid = fork();
        REPORT_CHECK(pid >= 0, "fork failed: %d", pid);
        if (pid == 0) {
            attempt(i);
            exit(100 + i);
        }
        int status = 0;
        REPORT_CHECK(wait(&status) == pid, "wait failed");
        REPORT_CHECK(status == -2, "%s: the child's status is %d, not -2", what[i], status);
    }
    REPORT_CHECK(constant == 7, "rodata changed");
    report_success();
}
