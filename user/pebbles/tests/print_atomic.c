/* print_atomic: four tasks each print 30 lines of 4000 bytes of their own letter, one print a
 * line, all at once. print is atomic, so every line on the console is one letter from end to
 * end (the end-to-end test checks that). The parent reports once all are collected. */
#include <report.h>
#include <string.h>
#include <syscall.h>

#define TASKS 4
#define LINES 30
#define WIDTH 4000

int main(void)
{
    REPORT_LOCAL_INIT("print_atomic");
    REPORT_START_CMPLT;
    for (int t = 0; t < TASKS; t++) {
        int pid = fork();
        REPORT_CHECK(pid >= 0, "fork failed");
        if (pid == 0) {
            char line[WIDTH + 2];
            line[0] = '|';
            memset(line + 1, 'A' + t, WIDTH);
            line[WIDTH + 1] = '\n';
            for (int i = 0; i < LINES; i++) {
                if (print(sizeof line, line) != 0)
                    exit(1);
            }
            exit(0);
        }
    }
    for (int t = 0; t < TASKS; t++) {
        int status = -1;
        REPORT_CHECK(wait(&status) > 0 && status == 0, "a printer failed: %d", status);
    }
    report_success();
}
