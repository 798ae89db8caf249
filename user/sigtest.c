/*
 * sigtest: signals (signal.h).
 *   dispositions  default ends the process (-1), SIGCHLD's default ignores, SIG_IGN discards,
 *                 a handler runs on return from the call that sent it; signal() returns the
 *                 previous disposition; bad signals, SIGKILL and bad handlers are refused
 *   kill          SIGKILL cannot be caught, ignored or blocked
 *   inherit       handlers survive fork; exec resets caught signals and keeps ignored ones
 *   alarm         SIGALRM after the ticks asked; alarm returns the ticks left; 0 cancels
 *   registers     a handler that clobbers every register, integer and FP, and fcsr, leaves the
 *                 interrupted code seeing none of it
 *   eintr         pipe read and write, wait, sleep and pause give up with -1 for a handled
 *                 signal, with nothing consumed; a terminating signal ends a sleeper promptly
 *   nesting       a signal sent during its own handler waits until the handler returns;
 *                 signals blocked and then let in together are delivered one after another
 * With no argument every scenario runs; one name runs that one. Prints "sigtest: ok".
 * `sigtest spin` only spins (a runaway program for trying ^C in the shell).
 */
#include "test.h"
#include "signal.h"

/* "Promptly": far sooner than the sleeps the children are in. */
#define PROMPT_TICKS 300

static volatile int caught[NSIG];
static volatile int last_sig;

static void count_signal(int sig)
{
    caught[sig]++;
    last_sig = sig;
}

static void reset_counts(void)
{
    for (int i = 0; i < NSIG; i++)
        caught[i] = 0;
}

/* Forks a child that runs fn and exits 0 (fn fails the test itself). */
static int child(void (*fn)(void))
{
    int pid = fork_or_fail();
    if (pid == 0) {
        fn();
        exit(0);
    }
    return pid;
}

static void spin_forever(void)
{
    for (;;)
        ;
}

static void sleep_forever(void)
{
    sleep(1000000);
    fail("a sleep of a million ticks returned");
}

/* Sends sig to pid each tick until pid has exited (sigsend fails then). A child waiting in a
 * call that the signal interrupts may not be in it yet when the first one comes. */
static void send_until_gone(int pid, int sig)
{
    int sent = 0;
    while (sigsend(pid, sig) == 0) {
        sent++;
        sleep(1);
    }
    check(sent > 0, "sigsend to pid %d failed at once", pid);
}

/* ---- dispositions ---- */

static void sigchld_ignored(void)
{
    check(sigsend(getpid(), SIGCHLD) == 0, "sigsend SIGCHLD to self");
    check(sigsend(getpid(), SIGCHLD) == 0, "sigsend SIGCHLD to self again");
}

static void ignore_usr1(void)
{
    check(signal(SIGUSR1, SIG_IGN) == SIG_DFL, "the first signal() did not return SIG_DFL");
    for (int i = 0; i < 5; i++)
        check(sigsend(getpid(), SIGUSR1) == 0, "sigsend SIGUSR1 to self");
    check(sigpending() == 0, "an ignored signal is pending");
}

static void dispositions_run(void)
{
    printf("sigtest: dispositions\n");
    int signals[] = {SIGINT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM};
    for (int i = 0; i < (int)(sizeof signals / sizeof signals[0]); i++) {
        int pid = child(spin_forever);
        check(sigsend(pid, signals[i]) == 0, "sigsend %d", signals[i]);
        expect_exit(pid, -1, "a spinner after a default signal");
        pid = child(sleep_forever);
        check(sigsend(pid, signals[i]) == 0, "sigsend %d", signals[i]);
        expect_exit(pid, -1, "a sleeper after a default signal");
    }
    expect_exit(child(sigchld_ignored), 0, "a process sent SIGCHLD");
    expect_exit(child(ignore_usr1), 0, "a process ignoring SIGUSR1");

    /* A handler runs before sigsend returns to the sender, when it signals itself. */
    reset_counts();
    check(signal(SIGUSR2, count_signal) == SIG_DFL, "signal(SIGUSR2) did not return SIG_DFL");
    check(sigsend(getpid(), SIGUSR2) == 0, "sigsend to self");
    check(caught[SIGUSR2] == 1 && last_sig == SIGUSR2, "the handler ran %d times", caught[SIGUSR2]);
    check(signal(SIGUSR2, SIG_IGN) == count_signal, "signal() did not return the handler");
    check(sigsend(getpid(), SIGUSR2) == 0, "sigsend of an ignored signal");
    check(caught[SIGUSR2] == 1, "an ignored signal ran the handler");
    check(signal(SIGUSR2, SIG_DFL) == SIG_IGN, "signal() did not return SIG_IGN");

    /* Refusals. */
    check(signal(0, count_signal) == SIG_ERR, "signal 0 accepted");
    check(signal(NSIG, count_signal) == SIG_ERR, "signal NSIG accepted");
    check(signal(-3, SIG_IGN) == SIG_ERR, "signal -3 accepted");
    check(signal(SIGUSR1, (sighandler_t)(uintptr_t)first_unmapped()) == SIG_ERR, "a handler past the program accepted");
    check(signal(SIGUSR1, (sighandler_t)0x3fffffff000UL) == SIG_ERR, "a handler far outside the program accepted");
    check(__signal(SIGUSR1, (const void *)(uintptr_t)count_signal, (const void *)(uintptr_t)first_unmapped()) == -1,
          "a bad trampoline accepted");
    int on_stack;
    uintptr_t guard = ((uintptr_t)&on_stack & ~(PAGE_SIZE - 1)) - PAGE_SIZE;
    check(signal(SIGUSR1, (sighandler_t)guard) == SIG_ERR, "a handler in the stack's guard page accepted");
    check(signal(SIGUSR1, (sighandler_t)(uintptr_t)&on_stack) == SIG_ERR, "a handler on the (not executable) stack accepted");
    check(signal(SIGUSR1, (sighandler_t)(uintptr_t)&caught[0]) == SIG_ERR, "a handler in data accepted");
    check(sigsend(getpid(), 0) == -1, "sigsend of signal 0");
    check(sigsend(getpid(), NSIG) == -1, "sigsend of signal NSIG");
    check(sigsend(999999, SIGUSR1) == -1, "sigsend to no such process");
    check(sigsend(-1, SIGUSR1) == -1, "sigsend to pid -1");
    check(sigprocmask(3, 0) == -1, "sigprocmask with a bad how");
    check(sigprocmask(-1, 0) == -1, "sigprocmask with how -1");
}

/* ---- SIGKILL ---- */

static void block_everything_and_spin(void)
{
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL)
            signal(s, SIG_IGN);
    }
    sigprocmask(SIG_SETMASK, -1);
    check((sigprocmask(SIG_BLOCK, 0) & SIGBIT(SIGKILL)) == 0, "SIGKILL is blocked");
    spin_forever();
}

static void kill_scenario(void)
{
    printf("sigtest: kill\n");
    check(signal(SIGKILL, count_signal) == SIG_ERR, "SIGKILL caught");
    check(signal(SIGKILL, SIG_IGN) == SIG_ERR, "SIGKILL ignored");
    check(signal(SIGKILL, SIG_DFL) == SIG_ERR, "SIGKILL's disposition changed");
    int pid = child(block_everything_and_spin);
    /* The child may not have blocked yet; either way SIGKILL ends it. */
    check(sigsend(pid, SIGKILL) == 0, "sigsend SIGKILL");
    expect_exit(pid, -1, "a process sent SIGKILL");
    pid = child(sleep_forever);
    check(kill(pid) == 0, "kill");
    expect_exit(pid, -1, "a process kill()ed");
}

/* ---- inheritance ---- */

static void handler_in_child(void)
{
    reset_counts();
    check(sigsend(getpid(), SIGUSR1) == 0, "sigsend in the child");
    check(caught[SIGUSR1] == 1, "the inherited handler ran %d times", caught[SIGUSR1]);
}

static void exec_child(void)
{
    char *argv[] = {"sigtest", "execchild", 0};
    exec("sigtest", argv);
    exec("/sigtest", argv);
    fail("exec sigtest failed");
}

static void inherit(void)
{
    printf("sigtest: inherit\n");
    signal(SIGUSR1, count_signal);
    signal(SIGUSR2, SIG_IGN);
    expect_exit(child(handler_in_child), 0, "a child using an inherited handler");
    expect_exit(child(exec_child), 0, "a child after exec");
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

/* After exec (sigtest execchild): the caught signal is back at SIG_DFL, the ignored one ignored. */
static int execchild(void)
{
    check(signal(SIGUSR1, SIG_DFL) == SIG_DFL, "a caught signal survived exec");
    check(signal(SIGUSR2, SIG_IGN) == SIG_IGN, "an ignored signal was not ignored after exec");
    return 0;
}

/* ---- alarm ---- */

static void alarm_scenario(void)
{
    printf("sigtest: alarm\n");
    reset_counts();
    signal(SIGALRM, count_signal);
    check(alarm(0) == 0, "alarm(0) with no alarm set returned nonzero");
    int start = uptime();
    check(alarm(5) == 0, "the first alarm returned nonzero");
    while (caught[SIGALRM] == 0)
        check(pause() == -1, "pause did not return -1");
    int took = uptime() - start;
    check(took >= 4, "the alarm of 5 ticks came after %d", took);
    check(caught[SIGALRM] == 1, "SIGALRM came %d times", caught[SIGALRM]);
    check(alarm(1000) == 0, "alarm after the last went off returned nonzero");
    int left = alarm(0);
    check(left > 900 && left <= 1000, "alarm(0) said %d ticks were left of 1000", left);
    check(alarm(0) == 0, "a cancelled alarm left ticks");
    sleep(3);
    check(caught[SIGALRM] == 1, "a cancelled alarm went off");
    /* A new alarm replaces the old one. */
    alarm(1000);
    check(alarm(3) > 900, "replacing an alarm");
    while (caught[SIGALRM] == 1)
        pause();
    sleep(5);
    check(caught[SIGALRM] == 2, "replaced alarm went off %d times", caught[SIGALRM]);
    signal(SIGALRM, SIG_DFL);
    /* An alarm's default action ends the process. */
    int pid = fork_or_fail();
    if (pid == 0) {
        alarm(2);
        spin_forever();
    }
    expect_exit(pid, -1, "a process whose alarm went off");
}

/* ---- registers ---- */

/* What regs_spin saw once the handler had run: x1..x31, f0..f31, fcsr, and the spin count. */
struct regstate {
    volatile int flag;      /* set by the handler */
    int pad;
    unsigned long x[32];    /* x[n] = register n after the spin (x[0] unused) */
    unsigned long f[32];
    unsigned long fcsr;
    unsigned long spins;
};
static struct regstate regstate;

#define XVAL(n) (0x5a5a000000000000UL + ((unsigned long)(n) << 8) + (n))
#define FVAL(n) (0x4000000000000000UL + ((unsigned long)(n) << 32) + (n) * 3)
#define FCSR_VAL 0x85UL

void regs_spin(struct regstate *s);
void clobber_handler(int sig);

/* The interrupted code: every register but sp and gp set to a known value (the callee-saved ones, integer and FP, saved first), then a spin on the
 * flag (t6 holds its address, t5 what was loaded, t4 counts the spins), then every register
 * stored for main to check. The callee-saved registers and ra are saved and restored around. */
__asm__(
    "    .text\n"
    "    .globl regs_spin\n"
    "regs_spin:\n"
    "    addi sp, sp, -224\n"
    "    fsd fs0, 112(sp)\n    fsd fs1, 120(sp)\n    fsd fs2, 128(sp)\n    fsd fs3, 136(sp)\n"
    "    fsd fs4, 144(sp)\n    fsd fs5, 152(sp)\n    fsd fs6, 160(sp)\n    fsd fs7, 168(sp)\n"
    "    fsd fs8, 176(sp)\n    fsd fs9, 184(sp)\n    fsd fs10, 192(sp)\n    fsd fs11, 200(sp)\n"
    "    sd ra, 0(sp)\n"
    "    sd s0, 8(sp)\n    sd s1, 16(sp)\n    sd s2, 24(sp)\n    sd s3, 32(sp)\n"
    "    sd s4, 40(sp)\n    sd s5, 48(sp)\n    sd s6, 56(sp)\n    sd s7, 64(sp)\n"
    "    sd s8, 72(sp)\n    sd s9, 80(sp)\n    sd s10, 88(sp)\n    sd s11, 96(sp)\n"
    "    sd tp, 104(sp)\n"
    "    mv t6, a0\n"
#define SETF(n) "    li t5, " #n "\n    slli t5, t5, 32\n    li t4, 0x4000000000000000\n    add t5, t5, t4\n    addi t5, t5, " #n "*3\n    fmv.d.x f" #n ", t5\n"
    SETF(0) SETF(1) SETF(2) SETF(3) SETF(4) SETF(5) SETF(6) SETF(7)
    SETF(8) SETF(9) SETF(10) SETF(11) SETF(12) SETF(13) SETF(14) SETF(15)
    SETF(16) SETF(17) SETF(18) SETF(19) SETF(20) SETF(21) SETF(22) SETF(23)
    SETF(24) SETF(25) SETF(26) SETF(27) SETF(28) SETF(29) SETF(30) SETF(31)
    "    li t5, 0x85\n    csrw fcsr, t5\n"
#define SETX(n) "    li x" #n ", 0x5a5a000000000000 + (" #n " << 8) + " #n "\n"
    SETX(1) SETX(4) SETX(5) SETX(6) SETX(7) SETX(8) SETX(9) SETX(10) SETX(11)
    SETX(12) SETX(13) SETX(14) SETX(15) SETX(16) SETX(17) SETX(18) SETX(19) SETX(20)
    SETX(21) SETX(22) SETX(23) SETX(24) SETX(25) SETX(26) SETX(27) SETX(28)
    "    li t4, 0\n"
    "1:  addi t4, t4, 1\n"
    "    lw t5, 0(t6)\n"
    "    beqz t5, 1b\n"
#define STX(n) "    sd x" #n ", 8+8*" #n "(t6)\n"
    STX(1) STX(2) STX(3) STX(4) STX(5) STX(6) STX(7) STX(8) STX(9) STX(10) STX(11)
    STX(12) STX(13) STX(14) STX(15) STX(16) STX(17) STX(18) STX(19) STX(20) STX(21)
    STX(22) STX(23) STX(24) STX(25) STX(26) STX(27) STX(28) STX(29) STX(30) STX(31)
#define STF(n) "    fsd f" #n ", 264+8*" #n "(t6)\n"
    STF(0) STF(1) STF(2) STF(3) STF(4) STF(5) STF(6) STF(7) STF(8) STF(9) STF(10)
    STF(11) STF(12) STF(13) STF(14) STF(15) STF(16) STF(17) STF(18) STF(19) STF(20)
    STF(21) STF(22) STF(23) STF(24) STF(25) STF(26) STF(27) STF(28) STF(29) STF(30) STF(31)
    "    csrr t5, fcsr\n    sd t5, 520(t6)\n"
    "    sd t4, 528(t6)\n"
    "    csrw fcsr, zero\n"
    "    ld ra, 0(sp)\n"
    "    ld s0, 8(sp)\n    ld s1, 16(sp)\n    ld s2, 24(sp)\n    ld s3, 32(sp)\n"
    "    ld s4, 40(sp)\n    ld s5, 48(sp)\n    ld s6, 56(sp)\n    ld s7, 64(sp)\n"
    "    ld s8, 72(sp)\n    ld s9, 80(sp)\n    ld s10, 88(sp)\n    ld s11, 96(sp)\n"
    "    ld tp, 104(sp)\n"
    "    fld fs0, 112(sp)\n    fld fs1, 120(sp)\n    fld fs2, 128(sp)\n    fld fs3, 136(sp)\n"
    "    fld fs4, 144(sp)\n    fld fs5, 152(sp)\n    fld fs6, 160(sp)\n    fld fs7, 168(sp)\n"
    "    fld fs8, 176(sp)\n    fld fs9, 184(sp)\n    fld fs10, 192(sp)\n    fld fs11, 200(sp)\n"
    "    addi sp, sp, 224\n"
    "    ret\n"
    /* The handler: every register but sp clobbered (gp and tp too), FP and fcsr as well; then
     * the flag set, ra reloaded and back to the trampoline. */
    "    .globl clobber_handler\n"
    "clobber_handler:\n"
    "    addi sp, sp, -16\n"
    "    sd ra, 0(sp)\n"
#define CLOBX(n) "    li x" #n ", 0x0badbad000000000 + " #n "\n"
    CLOBX(1) CLOBX(3) CLOBX(4) CLOBX(5) CLOBX(6) CLOBX(7) CLOBX(8) CLOBX(9) CLOBX(10)
    CLOBX(11) CLOBX(12) CLOBX(13) CLOBX(14) CLOBX(15) CLOBX(16) CLOBX(17) CLOBX(18)
    CLOBX(19) CLOBX(20) CLOBX(21) CLOBX(22) CLOBX(23) CLOBX(24) CLOBX(25) CLOBX(26)
    CLOBX(27) CLOBX(28) CLOBX(29) CLOBX(30) CLOBX(31)
#define CLOBF(n) "    fmv.d.x f" #n ", x" #n "\n"
    CLOBF(0) CLOBF(1) CLOBF(2) CLOBF(3) CLOBF(4) CLOBF(5) CLOBF(6) CLOBF(7) CLOBF(8)
    CLOBF(9) CLOBF(10) CLOBF(11) CLOBF(12) CLOBF(13) CLOBF(14) CLOBF(15) CLOBF(16)
    CLOBF(17) CLOBF(18) CLOBF(19) CLOBF(20) CLOBF(21) CLOBF(22) CLOBF(23) CLOBF(24)
    CLOBF(25) CLOBF(26) CLOBF(27) CLOBF(28) CLOBF(29) CLOBF(30) CLOBF(31)
    "    li t5, 0x3f\n    csrw fcsr, t5\n"
    "    lla t6, regstate\n"
    "    li t5, 1\n"
    "    sw t5, 0(t6)\n"
    "    ld ra, 0(sp)\n"
    "    addi sp, sp, 16\n"
    "    ret\n");

static unsigned long read_gp(void)
{
    unsigned long gp;
    __asm__ volatile("mv %0, gp" : "=r"(gp));
    return gp;
}

static void registers(void)
{
    printf("sigtest: registers\n");
    check(signal(SIGALRM, clobber_handler) == SIG_DFL, "signal(SIGALRM)");
    unsigned long gp = read_gp();
    for (int attempt = 0;; attempt++) {
        memset(&regstate, 0, sizeof regstate);
        alarm(3);
        regs_spin(&regstate);
        if (regstate.spins > 1)
            break; /* the signal came during the spin, as wanted */
        check(attempt < 3, "the alarm kept coming before the spin started");
    }
    for (int n = 1; n < 32; n++) {
        unsigned long want = XVAL(n);
        if (n == 2)
            continue; /* sp: the spin's own, checked by its return */
        if (n == 3)
            want = gp;
        if (n == 29)
            continue; /* t4: the spin count */
        if (n == 30)
            want = 1; /* t5: the flag it loaded */
        if (n == 31)
            want = (unsigned long)&regstate; /* t6: the state's address */
        check(regstate.x[n] == want, "x%d was 0x%lx after the handler, wanted 0x%lx", n, regstate.x[n], want);
    }
    for (int n = 0; n < 32; n++)
        check(regstate.f[n] == FVAL(n), "f%d was 0x%lx after the handler, wanted 0x%lx", n, regstate.f[n], FVAL(n));
    check(regstate.fcsr == FCSR_VAL, "fcsr was 0x%lx after the handler, wanted 0x%lx", regstate.fcsr, FCSR_VAL);
    signal(SIGALRM, SIG_DFL);
}

/* ---- EINTR ---- */

static void pipe_read_interrupted(void)
{
    int p[2];
    check(pipe(p) == 0, "pipe");
    signal(SIGUSR1, count_signal);
    char buf[8];
    int n = read(p[0], buf, sizeof buf); /* the write end is ours: it never ends */
    check(n == -1, "a read interrupted by a signal returned %d", n);
    check(caught[SIGUSR1] >= 1, "read returned -1 but no handler ran");
    /* Nothing was consumed or lost: the pipe still works, in order. */
    check(write(p[1], "ab", 2) == 2, "write after EINTR");
    check(read(p[0], buf, 2) == 2 && buf[0] == 'a' && buf[1] == 'b', "the pipe after EINTR");
}

static void pipe_write_interrupted(void)
{
    int p[2];
    check(pipe(p) == 0, "pipe");
    signal(SIGUSR1, count_signal);
    static char full[4096];
    memset(full, 'f', sizeof full);
    check(write(p[1], full, sizeof full) == sizeof full, "filling the pipe");
    int n = write(p[1], "more", 4); /* full, and the reader (us) is not reading */
    check(n == -1, "a write interrupted by a signal returned %d", n);
    check(caught[SIGUSR1] >= 1, "write returned -1 but no handler ran");
    static char back[4096];
    check(read(p[0], back, sizeof back) == sizeof back, "reading the pipe back");
    close(p[1]);
    check(read(p[0], back, 8) == 0, "the interrupted write left bytes in the pipe");
}

static void wait_interrupted(void)
{
    signal(SIGUSR1, count_signal);
    int grandchild = fork_or_fail();
    if (grandchild == 0)
        sleep_forever();
    int r = wait(0);
    check(r == -1, "a wait interrupted by a signal returned %d", r);
    check(caught[SIGUSR1] >= 1, "wait returned -1 but no handler ran");
    /* The child was not lost: it is still there to kill and collect. */
    check(kill(grandchild) == 0, "kill the grandchild");
    signal(SIGUSR1, SIG_IGN); /* the parent may still be sending */
    expect_exit(grandchild, -1, "the grandchild after the interrupted wait");
}

static void sleep_interrupted(void)
{
    signal(SIGUSR1, count_signal);
    int r = sleep(1000000);
    check(r == -1, "a sleep interrupted by a signal returned %d", r);
    check(caught[SIGUSR1] >= 1, "sleep returned -1 but no handler ran");
}

static void pause_interrupted(void)
{
    signal(SIGUSR1, count_signal);
    check(pause() == -1, "pause returned");
    check(caught[SIGUSR1] >= 1, "pause returned but no handler ran");
}

static void eintr(void)
{
    printf("sigtest: eintr\n");
    void (*waits[])(void) = {pipe_read_interrupted, pipe_write_interrupted, wait_interrupted,
                             sleep_interrupted, pause_interrupted};
    /* The handler is set before the fork: a signal that reached a child before it could set
     * one itself would end it. */
    signal(SIGUSR1, count_signal);
    for (int i = 0; i < (int)(sizeof waits / sizeof waits[0]); i++) {
        int pid = child(waits[i]);
        send_until_gone(pid, SIGUSR1);
        expect_exit(pid, 0, "a child whose wait was interrupted");
    }
    signal(SIGUSR1, SIG_DFL);
    /* A terminating signal ends a sleeper promptly. */
    int pid = child(sleep_forever);
    sleep(2);
    int start = uptime();
    check(sigsend(pid, SIGTERM) == 0, "sigsend SIGTERM");
    expect_exit(pid, -1, "a sleeper sent SIGTERM");
    check(uptime() - start < PROMPT_TICKS, "the sleeper took %d ticks to end", uptime() - start);
}

/* ---- nesting ---- */

static volatile int depth, max_depth, order[8], orders;

static void nested_handler(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (orders < 8)
        order[orders++] = sig;
    if (sig == SIGUSR1 && caught[SIGUSR1]++ == 0)
        sigsend(getpid(), SIGUSR1); /* waits: SIGUSR1 is blocked while this runs */
    depth--;
}

static void nesting(void)
{
    printf("sigtest: nesting\n");
    reset_counts();
    signal(SIGUSR1, nested_handler);
    signal(SIGUSR2, nested_handler);
    check(sigsend(getpid(), SIGUSR1) == 0, "sigsend");
    check(caught[SIGUSR1] == 2, "SIGUSR1's handler ran %d times", caught[SIGUSR1]);
    check(max_depth == 1, "a handler ran inside its own handler (depth %d)", max_depth);
    check(orders == 2 && order[0] == SIGUSR1 && order[1] == SIGUSR1, "the SIGUSR1s were not one after another");

    /* Two signals blocked, then let in together: both come, one after another. */
    orders = 0;
    max_depth = 0;
    int old = sigprocmask(SIG_BLOCK, SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2));
    check(old == 0, "the mask was 0x%x", old);
    caught[SIGUSR1] = 1; /* no resend this time */
    check(sigsend(getpid(), SIGUSR2) == 0 && sigsend(getpid(), SIGUSR1) == 0, "sigsend");
    check(orders == 0, "a blocked signal was delivered");
    check(sigpending() == (SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2)), "sigpending was 0x%x", sigpending());
    sigprocmask(SIG_SETMASK, 0);
    check(orders == 2, "%d handlers ran after the unblock", orders);
    check(order[0] == SIGUSR1 && order[1] == SIGUSR2, "the order was %d, %d", order[0], order[1]);
    check(max_depth == 1, "the two handlers nested");
    check(sigpending() == 0, "something still pending");
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

static const struct {
    const char *name;
    void (*run)(void);
} scenarios[] = {
    {"dispositions", dispositions_run}, {"kill", kill_scenario}, {"inherit", inherit},
    {"alarm", alarm_scenario}, {"registers", registers}, {"eintr", eintr},
    {"nesting", nesting},
};

int main(int argc, char **argv)
{
    test_begin("sigtest");
    if (argc == 2 && strcmp(argv[1], "execchild") == 0)
        return execchild();
    if (argc == 2 && strcmp(argv[1], "spin") == 0) {
        /* A runaway program for the shell's ^C test. */
        printf("sigtest: spinning\n");
        spin_forever();
    }
    int n = sizeof scenarios / sizeof scenarios[0];
    int ran = 0;
    for (int i = 0; i < n; i++) {
        if (argc < 2 || strcmp(argv[1], scenarios[i].name) == 0) {
            scenarios[i].run();
            ran++;
        }
    }
    check(ran > 0, "no scenario named %s", argc > 1 ? argv[1] : "");
    printf("sigtest: ok\n");
    return 0;
}
