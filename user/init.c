/*
 * init: the first process. Makes sure file descriptors 0, 1 and 2 are the console and that
 * /statistics and /null exist, then runs the shell, starting a new one whenever it exits, and meanwhile
 * collects the orphans the kernel hands it so that they do not stay zombies.
 *
 * When the console's input is not a person at a terminal (a script piped into osprey boot),
 * the shell exits at the end of the script, and init powers the machine off instead of
 * starting another shell: the boot then ends with the transcript.
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

/*
 * Whether the device node at path behaves as the one it should be: the null device reads end of
 * file at once, the statistics device gives its report. stat cannot tell a node's major number,
 * so this is how a node made before the numbers changed (null was major 2, which is now the
 * statistics device's) is recognised. A statistics device is read to its end (-1), which leaves
 * it ready for the next reader.
 */
static int behaves_as(const char *path, int major)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    char buf[16];
    int n = read(fd, buf, sizeof buf);
    int ok = major == NULLDEV ? n == 0 : n >= 8 && memcmp(buf, "--- lock", 8) == 0;
    while (n > 0)
        n = read(fd, buf, sizeof buf);
    close(fd);
    return ok;
}

/* A device gets its name on a disk that lacks it, or has it with the wrong major number; a
 * read-only disk simply keeps what it has. */
static void make_device(const char *path, int major)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (st.type == T_DEVICE && behaves_as(path, major))
            return;
        if (unlink(path) < 0) {
            printf("init: cannot remake %s\n", path);
            return;
        }
    }
    if (mknod(path, major, 0) < 0)
        printf("init: cannot make %s\n", path);
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

/* Collects children (orphans included) until pid exits. */
static void reap_until(int pid)
{
    int got;
    while ((got = wait(NULL)) != pid && got >= 0)
        ;
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
    make_device("statistics", STATS);
    make_device("null", NULLDEV);
    struct stat st;
    if (stat(sh_argv[0], &st) < 0) {
        printf("init: no %s on the disk; only collecting orphans\n", sh_argv[0]);
        reap_forever();
    }
    for (;;) {
        printf("init: starting %s\n", sh_argv[0]);
        int started = uptime();
        int pid = start_shell();
        if (pid >= 0)
            reap_until(pid);
        /* Input that is not a terminal has ended (the shell exits only at its end, or on
         * `exit`): nobody is left to type at a new shell. */
        if (isatty(0) != 1)
            halt();
        /* A shell that cannot start, or exits at once (a terminal whose input has ended for
         * good gives end of file to every read), must not become a flood of restarts. */
        if (uptime() - started < 100)
            sleep(100);
    }
}
