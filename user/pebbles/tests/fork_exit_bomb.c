/* fork_exit_bomb: hundreds of children that exit at once, none waited for until the end; then
 * every one is collected, each exactly once. A fork the kernel refuses (no memory or thread
 * left) is retried after collecting one child. */
#include <report.h>
#include <stdlib.h>
#include <syscall.h>

#define CHILDREN 300

int main(int argc, char *argv[])
{
    REPORT_LOCAL_INIT("fork_exit_bomb");
    REPORT_START_CMPLT;
    int children = argc > 1 ? atoi(argv[1]) : CHILDREN;
    int outstanding = 0, refused = 0;
    long status_sum = 0;
    for (int i = 0; i < children; i++) {
        int pid = fork();
        if (pid == 0)
            exit(i % 7);
        if (pid < 0) {
            refused++;
            REPORT_CHECK(outstanding > 0, "fork refused with no child to collect: %d", pid);
            int status;
            REPORT_CHECK(wait(&status) > 0, "wait failed with children outstanding");
            status_sum += status;
            outstanding--;
            i--;
            continue;
        }
        outstanding++;
    }
    int status;
    while (outstanding > 0) {
        REPORT_CHECK(wait(&status) > 0, "wait failed with %d children outstanding", outstanding);
        status_sum += status;
        outstanding--;
    }
    REPORT_CHECK(wait(&status) < 0, "wait found a child too many");
    long expected = 0;
    for (int i = 0; i < children; i++)
        expected += i % 7;
    REPORT_CHECK(status_sum == expected, "statuses sum to %ld, not %ld", status_sum, expected);
    REPORT_MISC("%d children, %d forks refused on the way", children, refused);
    report_success();
}
