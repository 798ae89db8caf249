/* exec_nonexist: exec of a file that does not exist, of bad names and argument vectors, and of
 * a file that is not a program fail with negative codes, leaving the caller running. */
#include <report.h>
#include <syscall.h>

/* Bad pointers the compiler cannot see through. */
static char *volatile bad_name = (char *)0x10;
static char **volatile bad_argv = (char **)0x10;

int main(void)
{
    REPORT_LOCAL_INIT("exec_nonexist");
    REPORT_START_CMPLT;
    char *args[] = {"no_such_program", 0};
    int r = exec("no_such_program", args);
    REPORT_CHECK(r < 0, "exec of a missing file returned %d", r);
    r = exec(bad_name, args);
    REPORT_CHECK(r < 0, "exec of a bad name pointer returned %d", r);
    r = exec("exec_basic_helper", bad_argv);
    REPORT_CHECK(r < 0, "exec with a bad argv returned %d", r);
    char *bad_arg[] = {"exec_basic_helper", (char *)0x20, 0};
    r = exec("exec_basic_helper", bad_arg);
    REPORT_CHECK(r < 0, "exec with a bad argument string returned %d", r);
    char *many[40];
    for (int i = 0; i < 39; i++)
        many[i] = "x";
    many[39] = 0;
    r = exec("exec_basic_helper", many);
    REPORT_CHECK(r < 0, "exec with 39 arguments returned %d", r);
    r = exec("README", args);
    REPORT_CHECK(r < 0, "exec of a text file returned %d", r);
    REPORT_MISC("still here after six failed execs");
    report_success();
}
