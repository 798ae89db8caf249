/* fork_bomb: every task forks for ever. The kernel must refuse forks cleanly when it runs out
 * of threads or memory, and stay healthy: a FOREVER test, which the test harness stops. A
 * refused fork sleeps a tick and tries again, so the bomb keeps pressing. */
#include <report.h>
#include <syscall.h>

int main(void)
{
    REPORT_LOCAL_INIT("fork_bomb");
    REPORT_START_FOREVER;
    int refused = 0;
    while (1) {
        int pid = fork();
        if (pid < 0) {
            if (++refused == 1 && gettid() != 0)
                REPORT_MISC("a fork was refused (%d); pressing on", pid);
            sleep(1);
        }
    }
}
