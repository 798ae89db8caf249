/*
 * The Pebbles shell: reads a line with readline, splits it into words, and runs the program
 * the first word names (fork, exec, wait), or a builtin: `exit [N]` ends the shell with
 * status N (init starts another), `halt` powers off. A command ending in `&` runs in the
 * background; `wait` collects such jobs. After a foreground command that did not end with
 * status 0 the shell says so. At the end of input (readline returns 0) the machine halts, so
 * a script piped into `osprey boot --init pebbles_init` ends the session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

#define LINE 256
#define WORDS 32

static int split(char *line, char *words[])
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (*p == '\0' || n == WORDS - 1)
            break;
        words[n++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    words[n] = NULL;
    return n;
}

static void run(char *words[], int background)
{
    int pid = fork();
    if (pid < 0) {
        printf("shell: fork failed (%d)\n", pid);
        return;
    }
    if (pid == 0) {
        int r = exec(words[0], words);
        printf("shell: cannot run %s (%d)\n", words[0], r);
        exit(-1);
    }
    if (background) {
        printf("[%d]\n", pid);
        return;
    }
    int status = 0, ended;
    while ((ended = wait(&status)) != pid) {
        if (ended < 0)
            return;
        printf("[%d] ended with status %d\n", ended, status);
    }
    if (status != 0)
        printf("%s: status %d\n", words[0], status);
}

int main(int argc, char *argv[])
{
    char line[LINE];
    char *words[WORDS];
    for (;;) {
        printf("[%d]$ ", gettid());
        int len = readline(LINE - 1, line);
        if (len <= 0) {
            printf("\n");
            halt();
        }
        line[len] = '\0';
        int n = split(line, words);
        if (n == 0)
            continue;
        int background = 0;
        if (strcmp(words[n - 1], "&") == 0) {
            words[--n] = NULL;
            background = 1;
            if (n == 0)
                continue;
        }
        if (strcmp(words[0], "exit") == 0)
            exit(n > 1 ? atoi(words[1]) : 0);
        if (strcmp(words[0], "halt") == 0)
            halt();
        if (strcmp(words[0], "wait") == 0) {
            int status, pid;
            while ((pid = wait(&status)) >= 0)
                printf("[%d] ended with status %d\n", pid, status);
            continue;
        }
        run(words, background);
    }
}
