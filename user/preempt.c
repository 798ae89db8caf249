/*
 * preempt: two processes that only compute take turns on the CPU when the timer preempts
 * them. Each prints a numbered line after each stretch of work, so the order of the lines
 * shows where the ticks fell. Under `osprey run --deterministic` on one CPU ticks come from
 * retired instructions, so the order is the same on every run, and the same whether the
 * harts interpret or run translated code (the tests compare them). The last line is the
 * number of ticks from start to finish (not since boot: how long booting takes on the host
 * can add idle ticks before the program starts).
 */
#include "user.h"

#define LINES 24
#define WORK 40000

static volatile unsigned long sink;

static void worker(char name)
{
    for (int line = 0; line < LINES; line++) {
        for (int i = 0; i < WORK; i++)
            sink = sink * 31 + (unsigned long)i;
        printf("%c%d\n", name, line);
    }
    exit(0);
}

int main(void)
{
    int start = uptime();
    for (int i = 0; i < 2; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("preempt: fork failed\n");
            exit(1);
        }
        if (pid == 0)
            worker((char)('a' + i));
    }
    for (int i = 0; i < 2; i++)
        wait(0);
    printf("preempt: done after %d ticks\n", uptime() - start);
    exit(0);
}
