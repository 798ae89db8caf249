/*
 * The program the gdb test debugs (tests/.../Insight/GdbTests.cs): a child process that runs
 * worker() in its own address space (a breakpoint set in the parent must not stop it), then
 * two threads of the parent that each run worker() once both exist (so a stop in worker
 * always finds three threads), while the first thread waits for them.
 * "gdbdemo spin" spins until a debugger sets release (the Ctrl-C and memory-write test).
 */
#include "thread.h"

static volatile int finished[3];
volatile long total;
volatile int release;
static volatile int go;

__attribute__((noinline)) void worker(void *arg)
{
    long n = (long)arg;
    long sum = 0;
    for (long i = 1; i <= 1000; i++)
        sum += i * (n + 1);
    total += sum;
    finished[n] = 1;
}

static void start(void *arg)
{
    while (!go)
        yield(-1);
    worker(arg);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "spin") == 0) {
        while (!release)
            ;
        printf("gdbdemo: released\n");
        exit(0);
    }
    int pid = fork();
    if (pid == 0) {
        worker((void *)2);
        printf("gdbdemo: child ran worker\n");
        exit(0);
    }
    int status;
    wait(&status);
    void *a = thread_stack(8192), *b = thread_stack(8192);
    if (thread_spawn(a, start, (void *)0) < 0 || thread_spawn(b, start, (void *)1) < 0) {
        printf("FAIL: gdbdemo: thread_spawn\n");
        exit(1);
    }
    go = 1;
    while (!finished[0] || !finished[1])
        yield(-1);
    printf("gdbdemo: ok %ld\n", total);
    exit(0);
}
