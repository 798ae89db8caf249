/* kill [-SIGNAL] PID...: ends each process (kill, as xv6's), or sends it SIGNAL, given as a
 * number or a name with or without SIG (kill -INT 5, kill -SIGUSR1 5, kill -9 5). */
#include "user.h"
#include "signal.h"

static const struct {
    const char *name;
    int number;
} names[] = {
    {"INT", SIGINT}, {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
    {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD},
};

/* Parses a whole non-negative decimal number; -1 if s is not one. */
static int parse_number(const char *s)
{
    if (*s == '\0' || strlen(s) > 9)
        return -1;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
    }
    return atoi(s);
}

/* The signal a -SIGNAL argument names (without its '-'); -1 if none. */
static int parse_signal(const char *s)
{
    int n = parse_number(s);
    if (n >= 0)
        return n > 0 && n < NSIG ? n : -1;
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        if (strcmp(s, names[i].name) == 0)
            return names[i].number;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int first = 1;
    int sig = 0; /* 0: kill() */
    if (argc > 1 && argv[1][0] == '-') {
        sig = parse_signal(argv[1] + 1);
        if (sig < 0) {
            fprintf(2, "kill: %s: no such signal\n", argv[1] + 1);
            return 2;
        }
        first = 2;
    }
    if (argc <= first) {
        fprintf(2, "usage: kill [-SIGNAL] PID...\n");
        return 2;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        int pid = parse_number(argv[i]);
        if (pid < 0) {
            fprintf(2, "kill: %s: not a process id\n", argv[i]);
            status = 1;
        } else if (pid == 1 && (sig == 0 ? kill(pid) : sigsend(pid, sig)) < 0) {
            fprintf(2, "kill: 1: init cannot be killed\n");
            status = 1;
        } else if ((sig == 0 ? kill(pid) : sigsend(pid, sig)) < 0) {
            fprintf(2, "kill: %s: no such process\n", argv[i]);
            status = 1;
        }
    }
    return status;
}
