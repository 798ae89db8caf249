/*
 * sysfuzz SEED N [FIRST]: a system-call fuzzer. Makes N calls (numbered FIRST.. , default 0),
 * each drawn from SEED and its own index alone, so one seed always gives the same calls and
 * `sysfuzz SEED 1 K` replays call K by itself.
 *
 * Numbers: mostly the calls of abi/syscalls.tbl, every personality's, read from the generated
 * build/gen/include/systable.h (so a call added to the table is fuzzed without a change
 * here); sometimes anything else: negative, huge, 2^32 + a real number (a kernel that looks
 * at 32 bits of a7 would run that call), neighbours of real numbers. A number outside the
 * table must return -1.
 *
 * Arguments, chosen by what the prototype says each one is: small integers, edge integers,
 * pointers into the fuzzer's own scratch memory (aligned or not, path strings, exec argument
 * vectors), its own text, and bad pointers: just past the break, the stack's guard page,
 * where xv6's kernel lives (0x80000000), the top of the address space, MAXVA and beyond, a
 * good address + 4 GiB. A call given a bad pointer (or text, where the kernel would write)
 * must fail: if it succeeds the fuzzer prints a SUSPECT line, unless the length that goes
 * with the pointer is 0 or less.
 *
 * Most calls run in a worker process, a fresh one per batch of 500 (a chdir there is undone at
 * once). Calls that would end the worker, change its memory, or block it (exit, exec, fork,
 * sbrk, a sleep of a tick or more, a read or write on a pipe or device, any call the fuzzer
 * does not know) run in a forked child, one call each; a child whose call might block is killed as soon as it has
 * started the call, so nothing waits on a timer. halt is never made (it stops the machine),
 * nor set_cursor_pos and set_term_color (they would change how the console draws the rest).
 * Descriptors the fuzzer needs (0-2 and its own pipes) and processes it needs (itself and
 * everything older) are never passed where a prototype names a descriptor or a pid.
 *
 * A canary page that no call is ever given is checksummed after every call (by the worker, or
 * by the child that made it): the kernel must never write there.
 *
 * Everything happens in /fzSEED, removed at the end. Prints a summary of what the calls
 * returned, and "sysfuzz: ok" (exit 0), or "sysfuzz: FAILED" (exit 1) after any SUSPECT.
 */
#include <limits.h>
#include "grind.h"
#include "systable.h"
#include "test.h"

#define BATCH 500
#define ARGS 6
/* A child's exit status: CHILD_MAGIC + the class of what its call returned. */
#define CHILD_MAGIC 0x5f00

#define SCRATCH_BYTES (3 * PAGE_SIZE)
#define STRINGS_AT 0
#define ARGV_AT 2048
#define BUFFERS_AT 2560
#define UNTERMINATED_ARGV_AT (SCRATCH_BYTES - 64)
#define LONG_NAME 127
#define TOO_LONG (MAXPATH + 72)

enum result { R_OK, R_MINUS1, R_NEGATIVE, R_CANARY, R_CLASSES };
static const char *const result_names[R_CLASSES] = {"succeeded", "returned -1", "returned another negative",
                                                    "saw the canary changed"};

enum policy { INLINE, CHILD_WAIT, CHILD_KILL, NEVER };

/* What an argument is, taken as a pointer. */
enum kind { K_INT, K_VALID, K_TEXT, K_BAD };

struct call {
    long index;
    long number;
    int desc; /* its line in syscall_table, or -1 */
    long a[ARGS];
    unsigned char kind[ARGS];
};

struct stats {
    long calls, inline_calls, child_calls, interrupted, ended, skipped, outside_table, suspect, canary_bad;
    long results[R_CLASSES];
    long made[SYSCALL_COUNT];
};

/* Set up once by the coordinator; the workers and children inherit them. Nothing here is
 * ever given to a call, and no integer argument is an address in this memory. */
static unsigned long seed;
static int coordinator_pid;
static unsigned char *canary, *scratch;
static unsigned long canary_sum;
static uintptr_t writable_low, heap_end;
static long ints[48];
static int nints;
static long bad[24];
static int nbad;
static long text[4];
static long strings[16];
static int nstrings;
static long argvs[4];

/* The worker's own descriptors, which no call may be given, and those the calls opened. */
static int protected_fds[8], nprotected;
static unsigned char open_fd[NOFILE];
static int handshake[2];
static struct stats st;
/* Whether a call in the worker may have written over the strings and vectors in scratch. */
static int scratch_dirty;
/* The fuzzer's directory, which an inline chdir is undone back to. */
static char dir[24];

static const char read_only_text[] = "read-only text";

/* Host time: the time CSR counts at 10 MHz (uptime's ticks can fall behind on a busy host). */
static inline unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile(".option push\n.option arch, +zicsr\nrdtime %0\n.option pop" : "=r"(t));
    return t;
}

/* ---------------------------------------------------------------------------------------- */
/* Randomness: each call's own generator, from the seed and its index (splitmix64). */

struct rng {
    unsigned long s;
};

static unsigned long next(struct rng *r)
{
    unsigned long z = (r->s += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

static unsigned below(struct rng *r, unsigned n)
{
    return (unsigned)(next(r) % n);
}

/* ---------------------------------------------------------------------------------------- */
/* Memory and the argument pools. */

/* A word at a time: every child checks the canary, so this is on the fuzzer's hot path. */
static unsigned long checksum(const unsigned char *p, int n)
{
    const unsigned long *w = (const unsigned long *)p;
    unsigned long h = 1469598103934665603UL;
    for (int i = 0; i < n / (int)sizeof(long); i++)
        h = (h ^ w[i]) * 1099511628211UL;
    return h;
}

static int canary_intact(void)
{
    return checksum(canary, PAGE_SIZE) == canary_sum;
}

/* The strings and argument vectors calls may be given, laid out again before each call that
 * gets a scratch pointer (an earlier call may have written over them). The first time, it
 * also records where each string is. */
static void lay_out_scratch(void)
{
    static const char *const names[] = {"a", "b", "c", "a/b", "b/c/d", ".", "..", "", "/", "a/", "a//b/",
                                        "xxxxxxxxxxxxxx", "yyyyyyyyyyyyyyyyyyyy", "\x01\x7f\xff"};
    int record = nstrings == 0;
    int at = STRINGS_AT;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (record)
            strings[nstrings++] = (long)scratch + at;
        strcpy((char *)scratch + at, names[i]);
        at += (int)strlen(names[i]) + 1;
    }
    if (record)
        strings[nstrings++] = (long)scratch + at;
    memset(scratch + at, 'l', LONG_NAME); /* a name longer than DIRSIZ, within MAXPATH */
    scratch[at + LONG_NAME] = '\0';
    at += LONG_NAME + 1;
    if (record)
        strings[nstrings++] = (long)scratch + at;
    memset(scratch + at, 'm', TOO_LONG); /* no NUL within MAXPATH */
    scratch[at + TOO_LONG] = '\0';
    long *argv = (long *)(scratch + ARGV_AT);
    argv[0] = strings[0], argv[1] = strings[1], argv[2] = 0; /* a good vector */
    argv[3] = strings[0], argv[4] = bad[0], argv[5] = 0;     /* a bad string in it */
    for (int i = 0; i <= MAXARG; i++)                         /* too many */
        argv[6 + i] = strings[2];
    argv[6 + MAXARG + 1] = 0;
    long *open_ended = (long *)(scratch + UNTERMINATED_ARGV_AT); /* runs into unmapped memory */
    for (int i = 0; i < 8; i++)
        open_ended[i] = strings[0];
}

static void add_int(long v)
{
    /* An integer that is an address of the fuzzer's own writable memory would let a call
     * that writes through it change the fuzzer, unless it is scratch: leave those out. */
    uintptr_t u = (uintptr_t)v;
    int own = u >= writable_low && u < heap_end && !(u >= (uintptr_t)scratch && u < heap_end);
    if (!own && nints < (int)(sizeof ints / sizeof ints[0]))
        ints[nints++] = v;
}

/* In .data, the first writable section (16 bytes keeps it out of the small-data section). */
static char data_probe[16] = "sysfuzz";

static void set_up_memory(void)
{
    int local;
    uintptr_t stack_page = (uintptr_t)&local & ~(PAGE_SIZE - 1);
    canary = (unsigned char *)sbrk(PAGE_SIZE);
    scratch = (unsigned char *)sbrk(SCRATCH_BYTES);
    check(canary != (unsigned char *)SBRK_FAILED && scratch == canary + PAGE_SIZE, "sbrk for scratch memory failed");
    heap_end = (uintptr_t)scratch + SCRATCH_BYTES;
    /* A page of margin below it covers .data objects linked before it. */
    writable_low = ((uintptr_t)data_probe & ~(PAGE_SIZE - 1)) - PAGE_SIZE;
    struct rng r = {seed ^ 0xca11ab1eUL};
    for (int i = 0; i < PAGE_SIZE; i++)
        canary[i] = (unsigned char)next(&r);
    canary_sum = checksum(canary, PAGE_SIZE);

    for (long v = 0; v <= 16; v++)
        add_int(v);
    static const long edges[] = {-1, -2, 4095, 4096, 4097, 65535, 65536, 1L << 20, 1L << 30, INT_MAX, INT_MIN,
                                 UINT_MAX, 1L << 31, 1L << 32, (1L << 32) + 1, LONG_MAX, LONG_MIN, -4096,
                                 NOFILE, MAXPATH, MAXARG, 0x55, 200, O_CREATE | O_RDWR, O_TRUNC | O_WRONLY};
    for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++)
        add_int(edges[i]);

    static const long fixed_bad[] = {0x80000000L, 0x80000000L + 7 * PAGE_SIZE, 0x87fff000L, (1L << 38) - PAGE_SIZE,
                                     (1L << 38) - 8, 1L << 38, (1L << 38) + 8, 1L << 39, (long)0xffffffc000000000UL,
                                     -1L, -(long)PAGE_SIZE};
    bad[nbad++] = (long)heap_end;                     /* just past the break */
    bad[nbad++] = (long)heap_end + PAGE_SIZE;
    bad[nbad++] = (long)heap_end + (1L << 30);
    bad[nbad++] = (long)(stack_page - PAGE_SIZE);      /* the guard page */
    bad[nbad++] = (long)(stack_page - PAGE_SIZE + 100);
    bad[nbad++] = (long)scratch + (1L << 32);          /* good + 4 GiB, for a kernel that truncates */
    for (unsigned i = 0; i < sizeof fixed_bad / sizeof fixed_bad[0]; i++)
        bad[nbad++] = fixed_bad[i];

    text[0] = 0; /* programs are linked at 0: NULL is the first instruction */
    text[1] = (long)&set_up_memory;
    text[2] = (long)&set_up_memory + 3;
    text[3] = (long)read_only_text;

    lay_out_scratch();
    argvs[0] = (long)scratch + ARGV_AT;
    argvs[1] = (long)scratch + ARGV_AT + 3 * sizeof(long);
    argvs[2] = (long)scratch + ARGV_AT + 6 * sizeof(long);
    argvs[3] = (long)scratch + UNTERMINATED_ARGV_AT;
}

/* ---------------------------------------------------------------------------------------- */
/* Making up a call. */

static long any_int(struct rng *r)
{
    switch (below(r, 4)) {
    case 0:
        return (long)next(r);
    case 1:
        return (long)(next(r) & 0xffffffffUL);
    default:
        return ints[below(r, nints)];
    }
}

static void pointer_arg(struct rng *r, struct call *c, int k)
{
    unsigned roll = below(r, 100);
    if (roll < 55) {
        c->kind[k] = K_VALID;
        unsigned what = below(r, 10);
        if (what < 4)
            c->a[k] = strings[below(r, nstrings)];
        else if (what < 5)
            c->a[k] = argvs[below(r, 4)];
        else
            c->a[k] = (long)scratch + BUFFERS_AT + (below(r, 2) ? below(r, SCRATCH_BYTES - BUFFERS_AT) : below(r, 64) * 8);
    } else if (roll < 80) {
        c->kind[k] = K_BAD;
        c->a[k] = bad[below(r, nbad)];
    } else if (roll < 90) {
        c->kind[k] = K_TEXT;
        c->a[k] = text[below(r, 4)];
    } else {
        c->kind[k] = K_INT;
        c->a[k] = ints[below(r, nints)];
    }
}

static void make_call(long index, struct call *c)
{
    struct rng r = {seed * 0x100000001b3UL + (unsigned long)index * 0x9e3779b97f4a7c15UL};
    memset(c, 0, sizeof *c);
    c->index = index;
    c->desc = -1;
    if (below(&r, 10) != 0) {
        c->desc = (int)below(&r, SYSCALL_COUNT);
        c->number = syscall_table[c->desc].number;
    } else {
        switch (below(&r, 6)) {
        case 0: c->number = -(long)below(&r, 100) - 1; break;
        case 1: c->number = (1L << 32) + syscall_table[below(&r, SYSCALL_COUNT)].number; break;
        case 2: c->number = syscall_table[below(&r, SYSCALL_COUNT)].number + (below(&r, 2) ? 1 : -1); break;
        case 3: c->number = (long)next(&r); break;
        default: c->number = below(&r, 1024); break;
        }
        for (int i = 0; i < SYSCALL_COUNT; i++) {
            if (syscall_table[i].number == c->number)
                c->desc = i;
        }
    }
    const struct syscall_desc *d = c->desc >= 0 ? &syscall_table[c->desc] : NULL;
    for (int k = 0; k < ARGS; k++) {
        unsigned bit = 1u << k;
        c->kind[k] = K_INT;
        if (d == NULL || k >= d->args) {
            /* Beyond the prototype (or no prototype): the kernel must ignore or refuse it. */
            if (below(&r, 2))
                pointer_arg(&r, c, k);
            else
                c->a[k] = any_int(&r);
        } else if (d->pointers & bit) {
            pointer_arg(&r, c, k);
        } else if (d->fds & bit) {
            unsigned roll = below(&r, 20);
            c->a[k] = roll < 15 ? (long)below(&r, NOFILE) : roll < 17 ? -1 : any_int(&r);
        } else if (d->lengths & bit) {
            unsigned roll = below(&r, 10);
            c->a[k] = roll < 4 ? (long)below(&r, 65) : roll < 7 ? (long)below(&r, 4097) : roll < 8 ? 0 : any_int(&r);
        } else if (d->pids & bit) {
            c->a[k] = below(&r, 5) < 3 ? coordinator_pid + 1 + (long)below(&r, 64) : any_int(&r);
        } else {
            c->a[k] = below(&r, 3) ? ints[below(&r, nints)] : any_int(&r);
        }
    }
    /* mknod of the console would let fuzzed writes through to it, mixing with the report. */
    if (d != NULL && strcmp(d->name, "mknod") == 0 && (short)c->a[1] == CONSOLE)
        c->a[1] = CONSOLE + 100; /* major is a short: any value whose low 16 bits are 1 */
}

/* What the call is given as a pointer that it must not be able to use: the argument number,
 * or -1. Text counts where the kernel would write. A length of 0 or less after the pointer
 * excuses it (no byte is touched); lengths are C ints, so 2^32 is 0. */
/* Whether the length that goes with pointer argument k (the one after it, as read's, or the
 * one before, as Pebbles' print(size, buf)) is 0 or less: then nothing need be touched. */
static int empty_length(const struct call *c, const struct syscall_desc *d, int k)
{
    unsigned bit = 1u << k;
    if ((d->lengths & (bit << 1)) && k + 1 < d->args)
        return (int)c->a[k + 1] <= 0;
    if (k > 0 && (d->lengths & (bit >> 1)))
        return (int)c->a[k - 1] <= 0;
    return 0;
}

static int bad_pointer_arg(const struct call *c)
{
    if (c->desc < 0)
        return -1;
    const struct syscall_desc *d = &syscall_table[c->desc];
    for (int k = 0; k < d->args; k++) {
        unsigned bit = 1u << k;
        if (!(d->pointers & bit))
            continue;
        /* NULL is text too (programs are linked at 0), but an out-pointer that may be NULL
           (wait's status, freepages' total) means "no result wanted": only the other text
           addresses count as text the kernel must refuse to write. */
        int text = c->kind[k] == K_TEXT && c->a[k] != 0;
        int unusable = c->kind[k] == K_BAD || (text && !(d->readonly & bit));
        if (unusable && !empty_length(c, d, k))
            return k;
    }
    return -1;
}

static unsigned long sequence_hash(long first, long n)
{
    unsigned long h = 1469598103934665603UL;
    for (long i = first; i < first + n; i++) {
        struct call c;
        make_call(i, &c);
        h = (h ^ (unsigned long)c.number) * 1099511628211UL;
        for (int k = 0; k < ARGS; k++) {
            /* Pid arguments relative to the fuzzer, so the hash is the same under run and boot. */
            int pid = c.desc >= 0 && (syscall_table[c.desc].pids & (1u << k));
            h = (h ^ (unsigned long)(c.a[k] - (pid ? coordinator_pid : 0))) * 1099511628211UL;
        }
    }
    return h;
}

/* ---------------------------------------------------------------------------------------- */
/* Making a call. */

static long raw_call(const struct call *c)
{
    register long a0 __asm__("a0") = c->a[0];
    register long a1 __asm__("a1") = c->a[1];
    register long a2 __asm__("a2") = c->a[2];
    register long a3 __asm__("a3") = c->a[3];
    register long a4 __asm__("a4") = c->a[4];
    register long a5 __asm__("a5") = c->a[5];
    register long a7 __asm__("a7") = c->number;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
    return a0;
}

static enum result classify(long r)
{
    return r >= 0 ? R_OK : r == -1 ? R_MINUS1 : R_NEGATIVE;
}

/* Descriptors and pids are C ints: the kernel reads the low 32 bits of the register, so the
 * fuzzer must compare those too (2^32 + 1 is descriptor 1). */
static int is_protected_fd(int fd)
{
    for (int i = 0; i < nprotected; i++) {
        if (protected_fds[i] == fd)
            return 1;
    }
    return 0;
}

/* Whether the call may not be made: it would take a descriptor or a process the fuzzer needs. */
static int must_skip(const struct call *c)
{
    if (c->desc < 0)
        return 0;
    const struct syscall_desc *d = &syscall_table[c->desc];
    for (int k = 0; k < d->args; k++) {
        unsigned bit = 1u << k;
        if ((d->fds & bit) && is_protected_fd((int)c->a[k]))
            return 1;
        if ((d->pids & bit) && ((int)c->a[k] <= coordinator_pid || (int)c->a[k] == getpid()))
            return 1;
    }
    return 0;
}

static int named(const struct call *c, const char *name)
{
    return c->desc >= 0 && strcmp(syscall_table[c->desc].name, name) == 0;
}

/* Whether a read or write on descriptor fd of the worker could block: a pipe or a device. */
static int may_block_on(int fd)
{
    if (fd < 0 || fd >= NOFILE || !open_fd[fd])
        return 0;
    struct stat s;
    return fstat((int)fd, &s) != 0 || s.type == T_DEVICE;
}

/* Pebbles' set_cursor_pos and set_term_color would change how the rest of the transcript is
 * drawn (cursor moves instead of newlines, colors: docs/pebbles.md), so they are not made. */
static int draws(const struct call *c)
{
    return named(c, "set_cursor_pos") || named(c, "set_term_color");
}

static enum policy policy_of(const struct call *c)
{
    if (c->desc < 0)
        return CHILD_WAIT; /* must return -1 at once; a child survives a kernel that disagrees */
    static const char *const inline_calls[] = {"wait", "pipe", "kill", "fstat", "dup", "getpid", "uptime", "open",
                                               "mknod", "unlink", "link", "mkdir", "close", "isatty", "vmstat"};
    if (named(c, "halt") || draws(c))
        return NEVER;
    if (named(c, "read") || named(c, "write")) {
        if (!may_block_on((int)c->a[0]))
            return INLINE;
        return bad_pointer_arg(c) >= 0 ? CHILD_WAIT : CHILD_KILL;
    }
    if (named(c, "sleep"))
        return (int)c->a[0] <= 0 ? INLINE : CHILD_KILL; /* no tick to wait for */
    if (named(c, "chdir"))
        return INLINE; /* and undone at once */
    for (unsigned i = 0; i < sizeof inline_calls / sizeof inline_calls[0]; i++) {
        if (named(c, inline_calls[i]))
            return INLINE;
    }
    if (named(c, "exit") || named(c, "exec") || named(c, "fork") || named(c, "sbrk")
        || syscall_table[c->desc].noreturn)
        return CHILD_WAIT;
    /* A call this fuzzer does not know may block: unless its result matters (a bad pointer,
     * which it must refuse at once), it is killed once started. */
    return bad_pointer_arg(c) >= 0 ? CHILD_WAIT : CHILD_KILL;
}

static void describe(const struct call *c, const char *what, long r)
{
    printf("SUSPECT: call %ld: %s (%ld)(", c->index, c->desc >= 0 ? syscall_table[c->desc].name : "unknown",
           c->number);
    for (int k = 0; k < ARGS; k++)
        printf("%s0x%lx", k ? ", " : "", c->a[k]);
    printf(") %s %ld; replay it with: sysfuzz %lu 1 %ld\n", what, r, seed, c->index);
}

static void note_open(int fd)
{
    if (fd >= 0 && fd < NOFILE)
        open_fd[fd] = 1;
}

/* Keeps track of the descriptors an inline call opened or closed. */
static void note_descriptors(const struct call *c, long r)
{
    if (r < 0)
        return;
    if (named(c, "open") || named(c, "dup"))
        note_open((int)r);
    else if (named(c, "close") && (unsigned)(int)c->a[0] < NOFILE)
        open_fd[(int)c->a[0]] = 0;
    else if (named(c, "pipe")) {
        int fds[2];
        memcpy(fds, (void *)c->a[0], sizeof fds);
        note_open(fds[0]);
        note_open(fds[1]);
    }
}

/* Descriptors for the calls to find open (a random descriptor is one of them as often as
 * not): the directory, a file with something in it, a pipe with a few bytes in it, the null
 * device, and a second descriptor of the file. The calls may close them; they come back at
 * the next reset. */
static void open_standard_descriptors(void)
{
    note_open(open(".", O_RDONLY));
    int file = open("f0", O_CREATE | O_RDWR);
    note_open(file);
    if (file >= 0)
        write(file, read_only_text, sizeof read_only_text);
    int fds[2];
    if (pipe(fds) == 0) {
        note_open(fds[0]);
        note_open(fds[1]);
        write(fds[1], "pipe", 4);
    }
    mknod("n0", NULLDEV, 0);
    note_open(open("n0", O_RDWR));
    if (file >= 0)
        note_open(dup(file));
}

/* Closes what the calls opened, so that the table never fills for good, and opens the
 * standard ones again. */
static void reset_descriptors(void)
{
    for (int fd = 0; fd < NOFILE; fd++) {
        if (open_fd[fd] && !is_protected_fd(fd))
            close(fd);
        open_fd[fd] = 0;
    }
    open_standard_descriptors();
}

static void judge(const struct call *c, enum result cls, long r)
{
    st.results[cls]++;
    if (cls == R_CANARY) {
        st.canary_bad++;
        describe(c, "changed the canary; it returned", r);
        return;
    }
    int k = bad_pointer_arg(c);
    if (k >= 0 && cls == R_OK) {
        st.suspect++;
        describe(c, "was given a bad pointer but returned", r);
    } else if (c->desc < 0 && cls != R_MINUS1) {
        st.suspect++;
        describe(c, "is not in the table but returned", r);
    }
}

/* Runs the call in a forked child; kill_when_started for calls that may block. */
static void call_in_child(const struct call *c, int kill_when_started)
{
    int pid = fork();
    if (pid < 0) {
        st.skipped++;
        return;
    }
    if (pid == 0) {
        if (kill_when_started)
            write(handshake[1], "s", 1);
        long r = raw_call(c);
        exit(CHILD_MAGIC + (canary_intact() ? classify(r) : R_CANARY));
    }
    st.child_calls++;
    if (kill_when_started) {
        char started;
        check(read(handshake[0], &started, 1) == 1, "a child did not start");
        kill(pid);
    }
    int status;
    check(wait(&status) == pid, "wait for the child of call %ld failed", c->index);
    if (status >= CHILD_MAGIC && status < CHILD_MAGIC + R_CLASSES) {
        judge(c, (enum result)(status - CHILD_MAGIC), 0);
    } else if (kill_when_started) {
        st.interrupted++;
    } else {
        /* Ended by its call (exit, a successful exec, memory sbrk took away): not a result,
         * unless the call had to fail. */
        st.ended++;
        if (bad_pointer_arg(c) >= 0 || c->desc < 0) {
            st.suspect++;
            describe(c, "ended its process instead of failing; exit status", status);
        }
    }
}

static void make(const struct call *c)
{
    st.calls++;
    st.outside_table += c->desc < 0;
    enum policy p = policy_of(c);
    if (p == NEVER || must_skip(c)) {
        st.skipped++;
        return;
    }
    if (c->desc >= 0)
        st.made[c->desc]++;
    int gets_scratch = 0, may_write_scratch = 0;
    for (int k = 0; k < ARGS; k++) {
        if (c->kind[k] == K_VALID) {
            gets_scratch = 1;
            may_write_scratch |= c->desc < 0 || k >= syscall_table[c->desc].args
                                 || !(syscall_table[c->desc].readonly & (1u << k));
        }
    }
    if (gets_scratch && scratch_dirty) {
        lay_out_scratch();
        scratch_dirty = 0;
    }
    if (p == INLINE) {
        st.inline_calls++;
        scratch_dirty |= may_write_scratch;
        long r = raw_call(c);
        note_descriptors(c, r);
        if (named(c, "chdir") && r == 0)
            check(chdir(dir) == 0, "cannot go back to %s", dir);
        if (!canary_intact()) {
            canary_sum = checksum(canary, PAGE_SIZE); /* so that each change is reported once */
            judge(c, R_CANARY, r);
        } else {
            judge(c, classify(r), r);
        }
    } else {
        call_in_child(c, p == CHILD_KILL);
    }
}

/* A worker: calls first .. end-1, then its figures to the coordinator. */
static void __attribute__((noreturn)) work(long first, long end, int report)
{
    memset(&st, 0, sizeof st);
    memset(open_fd, 0, sizeof open_fd);
    check(pipe(handshake) == 0, "pipe for the handshake failed");
    int keep[] = {0, 1, 2, report, handshake[0], handshake[1]};
    nprotected = 0;
    for (unsigned i = 0; i < sizeof keep / sizeof keep[0]; i++)
        protected_fds[nprotected++] = keep[i];
    reset_descriptors();
    for (long i = first; i < end; i++) {
        struct call c;
        make_call(i, &c);
        make(&c);
        int open_count = 0;
        for (int fd = 0; fd < NOFILE; fd++)
            open_count += open_fd[fd];
        if (nprotected + open_count > NOFILE - 3)
            reset_descriptors();
    }
    check(write(report, &st, sizeof st) == sizeof st, "the worker could not report");
    exit(0);
}

/* ---------------------------------------------------------------------------------------- */

/* "/fz" and the seed in decimal (the last 11 digits, to fit DIRSIZ). */
static void directory_for(char *dir, unsigned long n)
{
    char digits[12];
    int len = 0;
    n %= 100000000000UL;
    do {
        digits[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    strcpy(dir, "/fz");
    int at = 3;
    while (len > 0)
        dir[at++] = digits[--len];
    dir[at] = '\0';
}

static void add_stats(struct stats *total, const struct stats *s)
{
    long *t = (long *)total;
    const long *p = (const long *)s;
    for (unsigned i = 0; i < sizeof *s / sizeof(long); i++)
        t[i] += p[i];
}

int main(int argc, char *argv[])
{
    test_begin("sysfuzz");
    if (argc < 3 || argc > 4 || atol(argv[2]) < 1 || (argc == 4 && atol(argv[3]) < 0)) {
        fprintf(2, "usage: sysfuzz SEED N [FIRST]\n");
        exit(2);
    }
    seed = (unsigned long)atol(argv[1]);
    long n = atol(argv[2]);
    long first = argc == 4 ? atol(argv[3]) : 0;
    coordinator_pid = getpid();

    directory_for(dir, seed);
    struct stat s;
    if (stat(dir, &s) == 0)
        grind_remove(dir);
    check(mkdir(dir) == 0 && chdir(dir) == 0, "cannot make and enter %s", dir);
    set_up_memory();
    unsigned long hash = sequence_hash(first, n);

    struct stats total;
    memset(&total, 0, sizeof total);
    long died = 0;
    unsigned long start = rdtime();
    for (long at = first; at < first + n; at += BATCH) {
        long end = at + BATCH < first + n ? at + BATCH : first + n;
        int report[2];
        check(pipe(report) == 0, "pipe for a worker failed");
        int pid = fork_or_fail();
        if (pid == 0) {
            close(report[0]);
            work(at, end, report[1]);
        }
        close(report[1]);
        struct stats batch;
        int got = read(report[0], &batch, sizeof batch);
        close(report[0]);
        int status;
        check(wait(&status) == pid, "wait for a worker failed");
        if (got == sizeof batch) {
            add_stats(&total, &batch);
        } else {
            died++;
            printf("SUSPECT: the worker for calls %ld..%ld died (exit status %d)\n", at, end - 1, status);
        }
    }
    long ms = (long)((rdtime() - start) / 10000);
    check(chdir("/") == 0, "chdir / failed");
    grind_remove(dir);

    int covered = 0, never = 0;
    for (int i = 0; i < SYSCALL_COUNT; i++) {
        covered += total.made[i] > 0;
        const char *name = syscall_table[i].name;
        never += strcmp(name, "halt") == 0 || strcmp(name, "set_cursor_pos") == 0 || strcmp(name, "set_term_color") == 0;
    }
    printf("sysfuzz: seed %lu, calls %ld..%ld, sequence %lx\n", seed, first, first + n - 1, hash);
    printf("sysfuzz: %ld calls in %ld ms (%ld a second): %ld in the worker, %ld in children (%ld of them "
           "killed once started), %ld skipped\n",
           total.calls, ms, total.calls * 1000 / (ms > 0 ? ms : 1), total.inline_calls,
           total.child_calls, total.interrupted, total.skipped);
    printf("sysfuzz: results:");
    for (int i = 0; i < R_CLASSES; i++)
        printf(" %ld %s,", total.results[i], result_names[i]);
    printf(" %ld ended their process\n", total.ended);
    printf("sysfuzz: %d of %d calls in the table made (%d never: halt stops the machine, the console's cursor and color calls"
           " change how it draws), %ld numbers outside it\n",
           covered, SYSCALL_COUNT, never, total.outside_table);
    long suspects = total.suspect + total.canary_bad + died;
    printf("sysfuzz: %ld SUSPECT\n", suspects);
    if (suspects > 0) {
        printf("sysfuzz: FAILED\n");
        exit(1);
    }
    printf("sysfuzz: ok\n");
    exit(0);
}
