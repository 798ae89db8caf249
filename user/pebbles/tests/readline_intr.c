/* readline_intr: a signal ends a blocked readline or getchar, as it ends an xv6 console read.
 * With a handler for SIGALRM, readline waits with an alarm set every few ticks: each alarm
 * makes it return PEBBLES_EINTR after the handler ran, and what has been typed of the line so
 * far stays in the console, still editable, for the next readline; getchar likewise. The
 * person (a test on a pseudo-terminal) types only when the program says it was interrupted:
 *   "readline interrupted 1"   type "abc" (no newline), wait for the next interruption,
 *                              then DEL and "def" and Enter: the line read is "abdef\n";
 *   "getchar interrupted 1"    type "q".
 * With the argument "default", SIGALRM keeps its default action: the alarm ends the task
 * (status -1) while it waits in readline. */
#include <report.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define ALARM_TICKS 5
#define MOST_INTERRUPTIONS 20000

static volatile int alarms, rearm;

/* Counts the alarm and sets the next, so one that comes between two waits costs nothing. */
static void on_alarm(int sig)
{
    if (sig != SIGALRM)
        return;
    alarms++;
    if (rearm)
        alarm(ALARM_TICKS);
}

/* One interrupted wait: the call's result was EINTR and the handler has run for it. */
static void check_interrupted(const char *call, int r, int before)
{
    REPORT_CHECK(r == PEBBLES_EINTR, "%s returned %d, not PEBBLES_EINTR", call, r);
    REPORT_CHECK(alarms > before, "%s gave up, but the handler did not run", call);
}

static void alarms_on(int on)
{
    rearm = on;
    alarm(on ? ALARM_TICKS : 0);
}

int main(int argc, char *argv[])
{
    REPORT_LOCAL_INIT("readline_intr");
    char line[64];
    if (argc > 1 && strcmp(argv[1], "default") == 0) {
        REPORT_START_ABORT;
        alarm(ALARM_TICKS);
        printf("readline_intr: waiting for the alarm\n");
        int n = readline(sizeof line - 1, line);
        report_fail("readline returned %d instead of the task ending", n);
    }
    REPORT_START_CMPLT;
    REPORT_CHECK(signal(SIGALRM, on_alarm) != SIG_ERR, "signal(SIGALRM) failed");

    int n, interruptions = 0;
    alarms_on(1);
    for (;;) {
        int before = alarms;
        n = readline(sizeof line - 1, line);
        if (n >= 0)
            break;
        check_interrupted("readline", n, before);
        REPORT_CHECK(++interruptions < MOST_INTERRUPTIONS, "no line after %d interruptions", interruptions);
        printf("readline interrupted %d\n", interruptions);
    }
    alarms_on(0);
    REPORT_CHECK(interruptions >= 2, "readline was interrupted %d times, the test types after 2", interruptions);
    line[n] = 0;
    printf("readline got %s", line);
    REPORT_CHECK(n == 6 && strcmp(line, "abdef\n") == 0, "the line typed across interruptions was lost or changed");

    interruptions = 0;
    int c;
    alarms_on(1);
    for (;;) {
        int before = alarms;
        c = getchar();
        if (c >= 0)
            break;
        check_interrupted("getchar", c, before);
        REPORT_CHECK(++interruptions < MOST_INTERRUPTIONS, "no key after %d interruptions", interruptions);
        printf("getchar interrupted %d\n", interruptions);
    }
    alarms_on(0);
    printf("getchar got %c\n", c);
    REPORT_CHECK(c == 'q', "getchar returned %d", c);
    report_success();
}
