/* console_test: the text console, driven by a person (or a test on a pseudo-terminal):
 * colors and the cursor (positions read back, off-screen ones refused, wrapping and
 * scrolling at the bottom), readline with editing, two readers served in arrival order, and
 * getchar taking a key before its line ends. It prints what it needs typed, then waits. */
#include <report.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>

static int cursor_is(int row, int col)
{
    int r = -1, c = -1;
    return get_cursor_pos(&r, &c) == 0 && r == row && c == col;
}

/* Forks a reader that announces itself, reads one line and reports it; returns once the
 * reader is blocked in the kernel (yield to it is refused only when it cannot run). */
static int start_reader(const char *name)
{
    int pid = fork();
    REPORT_CHECK(pid >= 0, "fork failed");
    if (pid == 0) {
        char line[32];
        int n = readline(sizeof line - 1, line);
        line[n > 0 ? n : 0] = 0;
        printf("%s got %s", name, line);
        exit(0);
    }
    while (yield(pid) == 0)
        continue;
    return pid;
}

int main(void)
{
    REPORT_LOCAL_INIT("console_test");
    REPORT_START_CMPLT;

    REPORT_CHECK(set_term_color(FGND_YLLW | BGND_BLUE) == 0, "set_term_color failed");
    printf("yellow on blue");
    REPORT_CHECK(set_term_color(FGND_LGRAY | BGND_BLACK) == 0, "set_term_color failed");
    REPORT_CHECK(set_term_color(0x100) < 0 && set_term_color(-1) < 0, "a color off the palette was taken");

    REPORT_CHECK(set_cursor_pos(10, 20) == 0, "set_cursor_pos failed");
    REPORT_CHECK(cursor_is(10, 20), "the cursor is not at 10,20");
    print(1, "X");
    REPORT_CHECK(cursor_is(10, 21), "printing did not move the cursor to 10,21");
    REPORT_CHECK(set_cursor_pos(25, 0) < 0 && set_cursor_pos(-1, 0) < 0 && set_cursor_pos(0, 80) < 0,
                 "an off-screen position was taken");
    REPORT_CHECK(cursor_is(10, 21), "a refused position moved the cursor");
    int row;
    REPORT_CHECK(get_cursor_pos(&row, (int *)0x1000) < 0, "a bad pointer was written");
    REPORT_CHECK(set_cursor_pos(24, 75) == 0, "set_cursor_pos failed");
    print(10, "0123456789"); /* wraps at column 80 and scrolls */
    REPORT_CHECK(cursor_is(24, 5), "after wrapping at the bottom the cursor is not at 24,5");
    print(1, "\n");

    printf("type a line: ");
    char line[64];
    int n = readline(sizeof line - 1, line);
    REPORT_CHECK(n > 0, "readline failed: %d", n);
    line[n] = 0;
    printf("readline got %s", line);

    /* A woken thread runs first: when a line arrives and both readers wake, B (woken last)
     * would take it first were it not for the queue of readers. */
    misbehave(MISBEHAVE_WOKEN_FIRST);
    int a = start_reader("A");
    int b = start_reader("B");
    printf("both readers waiting\n");
    int status;
    REPORT_CHECK(wait(&status) > 0 && wait(&status) > 0, "a reader was lost");
    (void)a;
    (void)b;
    misbehave(MISBEHAVE_NORMAL);

    printf("press a key: ");
    int c = getchar();
    REPORT_CHECK(c > 0, "getchar failed: %d", c);
    printf("getchar got %c\n", c);
    report_success();
}
