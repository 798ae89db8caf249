/*
 * init: the first process. Makes sure file descriptors 0, 1 and 2 are the console, then runs
 * the shell, starting a new one whenever it exits. Without a shell on the disk it only
 * collects the orphans the kernel hands it, so that they do not stay zombies.
 */
#include "user.h"

static char *sh_argv[] = {"sh", NULL};

/* Opens the console as 0, 1 and 2 unless the kernel already did. */
static void open_console(void)
{
    struct stat st;
    if (fstat(0, &st) == 0)
        return;
    int fd = open("console", O_RDWR);
    if (fd < 0 && mknod("console", CONSOLE, 0) == 0)
        fd = open("console", O_RDWR);
    if (fd < 0)
        halt(); /* no console: there is nowhere to say what went wrong */
    /* 0 was free, so the console is 0; dup hands out the lowest free descriptors next. */
    while ((fd = dup(0)) >= 0 && fd < 2)
        ;
    if (fd > 2)
        close(fd); /* 1 or 2 was open already */
}

static int start_shell(void)
{
    int pid = fork();
    if (pid == 0) {
        exec(sh_argv[0], sh_argv);
        printf("init: exec %s failed\n", sh_argv[0]);
        exit(1);
    }
    if (pid < 0)
        printf("init: fork failed\n");
    return pid;
}

/* Collects children (orphans included) until pid exits; returns its status. */
static int reap_until(int pid)
{
    int status;
    int got;
    while ((got = wait(&status)) != pid) {
        if (got < 0)
            return -1;
    }
    return status;
}

/* With no shell, init has nothing to do but collect orphans as they exit. */
static void __attribute__((noreturn)) reap_forever(void)
{
    for (;;) {
        if (wait(NULL) < 0)
            sleep(10); /* no children right now: do not spin */
    }
}

int main(void)
{
    open_console();
    struct stat st;
    if (stat(sh_argv[0], &st) < 0) {
        printf("init: no %s on the disk; only collecting orphans\n", sh_argv[0]);
        reap_forever();
    }
    for (;;) {
        printf("init: starting %s\n", sh_argv[0]);
        int pid = start_shell();
        /* A shell that cannot start or fails at once must not become a flood of retries. */
        if (pid < 0 || reap_until(pid) != 0)
            sleep(100);
    }
}
