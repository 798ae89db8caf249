/* The program exec_basic runs: checks its arguments came through and exits 1. */
#include <report.h>
#include <string.h>
#include <syscall.h>

int main(int argc, char *argv[])
{
    REPORT_LOCAL_INIT("exec_basic");
    REPORT_CHECK(argc == 2 && strcmp(argv[0], "exec_basic_helper") == 0 && strcmp(argv[1], "from exec_basic") == 0,
                 "exec_basic_helper got %d arguments", argc);
    REPORT_END_SUCCESS;
    return 1;
}
