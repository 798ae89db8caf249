/*
 * faulttest: children that fault on purpose, each in a different way a user program can:
 * loads, stores and jumps to unmapped memory (far away, just past the break, the stack's guard
 * page, the kernel half, a non-canonical address), stores to text and read-only data,
 * executing data and stack, running off the stack by recursion, an illegal instruction,
 * ebreak, privileged instructions and CSRs, and a misaligned atomic. The kernel must kill each
 * child (exit status -1) and nothing else: the parent carries on, and a well-behaved child
 * afterwards still exits 0. Prints "faulttest: ok" and exits 0 when all pass.
 */
#include "test.h"

/* Below 2^38, far above anything a small program maps. */
#define FAR_UNMAPPED 0x3000000000UL
#define KERNEL_HALF 0xffffffc000000000UL
/* Bits 63..39 differ from bit 38: no Sv39 translation exists. */
#define NON_CANONICAL 0x0000800000000000UL
#define INSN_RET 0x00008067u

int main(void);

static const unsigned read_only_word = 1;
static unsigned data_code[4];

static void load_far(void) { (void)*(volatile int *)FAR_UNMAPPED; }
static void store_far(void) { *(volatile int *)FAR_UNMAPPED = 1; }
static void load_past_break(void) { (void)*(volatile char *)first_unmapped(); }
static void store_past_break(void) { *(volatile char *)first_unmapped() = 1; }
static void load_kernel_half(void) { (void)*(volatile long *)KERNEL_HALF; }
static void load_non_canonical(void) { (void)*(volatile long *)NON_CANONICAL; }
static void store_text(void) { *(volatile unsigned *)(uintptr_t)&main = 0; }
static void store_read_only(void) { *(volatile unsigned *)&read_only_word = 2; }

static void load_guard_page(void)
{
    int local;
    uintptr_t stack_page = (uintptr_t)&local & ~(PAGE_SIZE - 1);
    (void)*(volatile char *)(stack_page - 1);
}

static void jump_to(uintptr_t target)
{
    void (*f)(void) = (void (*)(void))target;
    f();
}

static void jump_far(void) { jump_to(FAR_UNMAPPED); }

/* A valid "ret" in memory that is not executable: it must fault, not return. */
static void execute_data(void)
{
    data_code[0] = INSN_RET;
    jump_to((uintptr_t)data_code);
}

static void execute_stack(void)
{
    volatile unsigned code[4] = {INSN_RET};
    jump_to((uintptr_t)code);
}

/* Each frame keeps a buffer live, so the recursion reaches the guard page within a page;
 * the depth limit, far beyond that, is only there to make the recursion finite in C's eyes. */
static int recurse(int depth)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    if (depth > (1 << 20))
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void overflow_stack(void) { recurse(0); }

/* All-zero bits are defined to be an illegal instruction. */
static void illegal_instruction(void) { __asm__ volatile(".word 0"); }
static void breakpoint(void) { __asm__ volatile("ebreak"); }
/* -march=rv64imac leaves Zicsr out of the assembler; enable it for these instructions only. */
#define WITH_ZICSR(insn) ".option push\n.option arch, +zicsr\n" insn "\n.option pop"
static void machine_csr(void) { __asm__ volatile(WITH_ZICSR("csrr t0, mstatus") ::: "t0"); }
static void supervisor_csr(void) { __asm__ volatile(WITH_ZICSR("csrr t0, satp") ::: "t0"); }
static void supervisor_return(void) { __asm__ volatile("sret"); }
static void machine_return(void) { __asm__ volatile("mret"); }

static void misaligned_atomic(void)
{
    static long words[2];
    __asm__ volatile("amoadd.w zero, %1, (%0)" ::"r"((char *)words + 1), "r"(1) : "memory");
}

static const struct {
    const char *name;
    void (*fault)(void);
} faults[] = {
    {"load from an unmapped address", load_far},
    {"store to an unmapped address", store_far},
    {"load just past the break", load_past_break},
    {"store just past the break", store_past_break},
    {"load from the stack's guard page", load_guard_page},
    {"load from the kernel half", load_kernel_half},
    {"load from a non-canonical address", load_non_canonical},
    {"store to text", store_text},
    {"store to read-only data", store_read_only},
    {"jump to an unmapped address", jump_far},
    {"execute data", execute_data},
    {"execute the stack", execute_stack},
    {"recursion past the stack", overflow_stack},
    {"illegal instruction", illegal_instruction},
    {"ebreak", breakpoint},
    {"read of a machine CSR", machine_csr},
    {"read of a supervisor CSR", supervisor_csr},
    {"sret", supervisor_return},
    {"mret", machine_return},
    {"misaligned atomic", misaligned_atomic},
};

static void run_fault(int i)
{
    int pid = fork_or_fail();
    if (pid == 0) {
        faults[i].fault();
        printf("faulttest: child survived: %s\n", faults[i].name);
        exit(0);
    }
    int status = wait_for(pid);
    check(status == -1, "%s: child exited with status %d, expected -1 (killed)", faults[i].name, status);
    printf("faulttest: %s: killed\n", faults[i].name);
}

int main(void)
{
    test_begin("faulttest");
    for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++)
        run_fault((int)i);
    /* The faults were the children's alone. */
    int pid = fork_or_fail();
    if (pid == 0)
        exit(0);
    expect_exit(pid, 0, "a well-behaved child after the faults");
    printf("faulttest: ok\n");
    return 0;
}
