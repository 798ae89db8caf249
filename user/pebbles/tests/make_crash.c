/* make_crash: a "make" whose 100 jobs each run as a program of their own (fork, exec) and
 * crash after doing their work: each job exec's make_crash with "job N", which fills some
 * new pages, checks them, and stores through a wild pointer. make checks every job died with
 * -2 and none is left, and exits with 100 for each job that crashed as it should: 10000. */
#include <report.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define JOBS 100
#define SCRATCH ((char *)0x300000000UL)

static void job(int n)
{
    if (new_pages(SCRATCH, 4 * PAGE_SIZE) < 0)
        exit(1);
    for (int i = 0; i < 4 * PAGE_SIZE; i++)
        SCRATCH[i] = (char)(n + i);
    for (int i = 0; i < 4 * PAGE_SIZE; i++)
        if (SCRATCH[i] != (char)(n + i))
            exit(2);
    *(volatile int *)(0x10UL + (unsigned)n) = n; /* the crash */
    exit(3);
}

int main(int argc, char *argv[])
{
    if (argc == 3 && strcmp(argv[1], "job") == 0)
        job(atoi(argv[2]));
    REPORT_LOCAL_INIT("make_crash");
    REPORT_START_CMPLT;
    int crashed = 0;
    for (int j = 0; j < JOBS; j += 10) {
        for (int k = j; k < j + 10; k++) {
            int pid = fork();
            REPORT_CHECK(pid >= 0, "fork of job %d failed", k);
            if (pid == 0) {
                char number[12];
                snprintf(number, sizeof number, "%d", k);
                char *args[] = {"make_crash", "job", number, 0};
                exec("make_crash", args);
                exit(4);
            }
        }
        for (int k = j; k < j + 10; k++) {
            int status = 0;
            REPORT_CHECK(wait(&status) > 0, "wait failed");
            if (status == -2)
                crashed++;
            else
                REPORT_ERR("a job ended with %d, not -2", status);
        }
    }
    int status;
    REPORT_CHECK(wait(&status) < 0, "a job is left over");
    REPORT_MISC("%d of %d jobs crashed", crashed, JOBS);
    REPORT_END_SUCCESS;
    return crashed * 100;
}
