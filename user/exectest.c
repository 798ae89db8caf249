/*
 * exectest: exec.
 *   - arguments arrive intact: argvecho shows them, and exectest re-executes itself in a
 *     checking mode that compares every string it was given (empty and long ones included)
 *   - exactly MAXARG arguments work; MAXARG + 1 fail with -1
 *   - a missing file, a text file (README), a directory and an empty path fail with -1,
 *     and a failed exec leaves the caller running as it was
 *   - exec keeps the pid and the open files (with their offsets), and replaces memory:
 *     data is reloaded from the file and the heap is gone
 *   - arguments too big for the new stack either fail with -1 or arrive intact
 * Prints "exectest: ok" and exits 0 when all pass. The checking modes (argv[1] starting with
 * "check-") are exectest's own children and report through their exit status.
 */
#include "test.h"

/* Exit status of a child whose exec returned -1 as it should. */
#define REFUSED 42
#define BIG_ARG_LEN 1500

/* Data the program file initialises: after exec it must read 7 again. */
static int marker = 7;
static const char *self;

static char *arg_list[] = {"exectest", "check-args", "one", "", "two words", NULL, NULL};
static char long_arg[300];
static char numbers[MAXARG + 2][24];
static char *many[MAXARG + 2];

/* Decimal text of v in buf (at least 21 bytes). */
static char *decimal(char *buf, unsigned long v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* ---- the checking modes, run in an exec'd child ---- */

static int check_args(int argc, char **argv)
{
    check(argc == 6, "check-args: argc is %d, expected 6", argc);
    for (int i = 1; i < 6; i++)
        check(strcmp(argv[i], arg_list[i]) == 0, "check-args: argv[%d] is \"%s\", expected \"%s\"", i, argv[i],
              arg_list[i]);
    check(argv[6] == NULL, "check-args: argv[6] is not NULL");
    /* The kernel leaves sp at argv, aligned as the calling convention requires. */
    check((uintptr_t)argv % 16 == 0, "check-args: argv %p is not 16-byte aligned", argv);
    return 0;
}

static int check_many(int argc, char **argv)
{
    check(argc == MAXARG, "check-many: argc is %d, expected %d", argc, MAXARG);
    char buf[24];
    for (int i = 2; i < argc; i++)
        check(strcmp(argv[i], decimal(buf, i)) == 0, "check-many: argv[%d] is \"%s\"", i, argv[i]);
    return 0;
}

/* exec keeps the pid, keeps open files and their offsets, and replaces memory. */
static int check_fresh(int argc, char **argv)
{
    check(argc == 5, "check-fresh: argc is %d", argc);
    check(getpid() == atoi(argv[2]), "check-fresh: pid %d after exec, %s before", getpid(), argv[2]);
    check(marker == 7, "check-fresh: initialised data reads %d after exec, expected 7", marker);
    check((uintptr_t)sbrk(0) < (uintptr_t)atol(argv[4]), "check-fresh: the old heap (break %s) survived exec",
          argv[4]);
    int fd = atoi(argv[3]);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.type == T_FILE, "check-fresh: fd %d did not stay open across exec", fd);
    char buf[11] = {0};
    check(read(fd, buf, 10) == 10 && strcmp(buf, "disk image") == 0,
          "check-fresh: fd %d lost its offset across exec (read \"%s\")", fd, buf);
    return 0;
}

static int check_big(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        check(strlen(argv[i]) == BIG_ARG_LEN, "check-big: argv[%d] has length %d", i, (int)strlen(argv[i]));
        for (int j = 0; j < BIG_ARG_LEN; j++)
            check(argv[i][j] == 'a' + (i + j) % 26, "check-big: argv[%d][%d] is wrong", i, j);
    }
    return 0;
}

static int checking_mode(int argc, char **argv)
{
    test_begin("exectest (exec'd)");
    if (strcmp(argv[1], "check-args") == 0)
        return check_args(argc, argv);
    if (strcmp(argv[1], "check-many") == 0)
        return check_many(argc, argv);
    if (strcmp(argv[1], "check-fresh") == 0)
        return check_fresh(argc, argv);
    if (strcmp(argv[1], "check-big") == 0)
        return check_big(argc, argv);
    fail("unknown mode %s", argv[1]);
}

/* ---- the tests ---- */

/* Forks a child that execs path with argv; returns the child's exit status (REFUSED when
 * exec returned -1). */
static int run(const char *path, char **argv)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        int r = exec(path, argv);
        exit(r == -1 ? REFUSED : 100 + r);
    }
    return wait_for(pid);
}

static void shows_arguments(void)
{
    static char *argv[] = {"argvecho", "hello", "", "two words", NULL};
    check(run("argvecho", argv) == 0, "exec of argvecho failed or it found argv wrong");
}

/* Both sides need arg_list complete: the parent to pass it, the exec'd child to compare. */
static void prepare_arg_list(void)
{
    memset(long_arg, 'x', sizeof long_arg - 1);
    arg_list[5] = long_arg;
}

static void arguments_arrive(void)
{
    int status = run(self, arg_list);
    check(status == 0, "exec'd child found its arguments wrong (status %d)", status);
    printf("exectest: arguments arrive intact\n");
}

/* n arguments: argv[0], the mode, then the numbers 2, 3, ... */
static char **numbered_args(int n)
{
    many[0] = (char *)self;
    many[1] = "check-many";
    for (int i = 2; i < n; i++)
        many[i] = decimal(numbers[i], i);
    many[n] = NULL;
    return many;
}

static void argument_limit(void)
{
    int status = run(self, numbered_args(MAXARG));
    check(status == 0, "exec with MAXARG (%d) arguments failed (status %d)", MAXARG, status);
    status = run(self, numbered_args(MAXARG + 1));
    check(status == REFUSED, "exec with MAXARG + 1 arguments did not return -1 (status %d)", status);
    printf("exectest: %d arguments work, %d fail\n", MAXARG, MAXARG + 1);
}

static void bad_files(void)
{
    static const char *const paths[] = {"no-such-program", "README", ".", "/", ""};
    static char *argv[] = {"bad", NULL};
    for (unsigned i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int status = run(paths[i], argv);
        check(status == REFUSED, "exec(\"%s\") did not return -1 (child status %d)", paths[i], status);
    }
    /* Once more without a child: a failed exec must leave this process as it was. */
    marker = 8;
    check(exec("no-such-program", argv) == -1, "exec of a missing file did not return -1");
    check(marker == 8, "a failed exec changed memory");
    marker = 7;
    printf("exectest: missing files, text files and directories are refused\n");
}

/* The child reads "Osprey " from README, grows its heap and execs check-fresh with the fd. */
static void what_survives(void)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        static char pid_text[24], fd_text[24], break_text[24];
        int fd = open("README", O_RDONLY);
        char buf[7];
        check(fd >= 0 && read(fd, buf, 7) == 7 && memcmp(buf, "Osprey ", 7) == 0, "cannot read README");
        check(sbrk(1 << 20) != SBRK_FAILED, "sbrk failed");
        marker = 42;
        char *argv[] = {(char *)self, "check-fresh", decimal(pid_text, getpid()), decimal(fd_text, fd),
                        decimal(break_text, (uintptr_t)sbrk(0)), NULL};
        exec(self, argv);
        exit(REFUSED);
    }
    int status = wait_for(pid);
    check(status == 0, "exec did not keep the pid and open files, or kept old memory (status %d)", status);
    printf("exectest: exec keeps the pid and open files and replaces memory\n");
}

/* MAXARG - 2 arguments of BIG_ARG_LEN bytes: more than a one-page stack holds. */
static void too_big_for_the_stack(void)
{
    char **argv = malloc((MAXARG + 1) * sizeof(char *));
    check(argv != NULL, "malloc failed");
    argv[0] = (char *)self;
    argv[1] = "check-big";
    for (int i = 2; i < MAXARG; i++) {
        argv[i] = malloc(BIG_ARG_LEN + 1);
        check(argv[i] != NULL, "malloc failed");
        for (int j = 0; j < BIG_ARG_LEN; j++)
            argv[i][j] = (char)('a' + (i + j) % 26);
        argv[i][BIG_ARG_LEN] = '\0';
    }
    argv[MAXARG] = NULL;
    int status = run(self, argv);
    check(status == REFUSED || status == 0, "exec with %d bytes of arguments: child status %d",
          (MAXARG - 2) * BIG_ARG_LEN, status);
    printf("exectest: %d bytes of arguments were %s\n", (MAXARG - 2) * BIG_ARG_LEN,
           status == 0 ? "passed intact" : "refused with -1");
    for (int i = 2; i < MAXARG; i++)
        free(argv[i]);
    free(argv);
}

int main(int argc, char **argv)
{
    self = argv[0];
    prepare_arg_list();
    if (argc > 1 && strncmp(argv[1], "check-", 6) == 0)
        return checking_mode(argc, argv);
    test_begin("exectest");
    shows_arguments();
    arguments_arrive();
    argument_limit();
    bad_files();
    what_survives();
    too_big_for_the_stack();
    printf("exectest: ok\n");
    return 0;
}
