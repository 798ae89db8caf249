/* kill PID...: kills each process. */
#include "user.h"

/* Parses a whole non-negative decimal number; -1 if s is not one. */
static int parse_pid(const char *s)
{
    if (*s == '\0' || strlen(s) > 9)
        return -1;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
    }
    return atoi(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: kill PID...\n");
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int pid = parse_pid(argv[i]);
        if (pid < 0) {
            fprintf(2, "kill: %s: not a process id\n", argv[i]);
            status = 1;
        } else if (pid == 1 && kill(pid) < 0) {
            fprintf(2, "kill: 1: init cannot be killed\n");
            status = 1;
        } else if (kill(pid) < 0) {
            fprintf(2, "kill: %s: no such process\n", argv[i]);
            status = 1;
        }
    }
    return status;
}
