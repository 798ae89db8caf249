/*
 * The Pebbles init (osprey boot --init pebbles_init): runs the shell, and whenever it ends,
 * says how and starts it again, as 15-410's init does. Orphans are given to init: it
 * collects them as they end, while it waits for the shell.
 */
#include <stdio.h>
#include <syscall.h>

int main(int argc, char *argv[])
{
    char *shell_argv[] = { "shell", NULL };
    for (;;) {
        int pid = fork();
        if (pid == 0) {
            int r = exec(shell_argv[0], shell_argv);
            printf("init: cannot run %s (%d)\n", shell_argv[0], r);
            task_vanish(-1);
        }
        if (pid < 0) {
            printf("init: fork failed (%d); trying again\n", pid);
            sleep(100);
            continue;
        }
        int status = 0, ended;
        while ((ended = wait(&status)) != pid) {
            if (ended < 0) {
                printf("init: wait failed (%d)\n", ended);
                break;
            }
        }
        printf("Shell exited with status %d; starting it back up...\n", status);
    }
}
