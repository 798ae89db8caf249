/*
 * Writes machine code into a buffer, runs fence.i and calls it, several times over the same
 * bytes: an emulator that caches decoded instructions must notice each rewrite. The buffer
 * lives in its own section, which the linker script puts in a writable and executable
 * segment (the stack and ordinary data are not executable).
 */
#include "ulib.h"

__asm__(".pushsection .selfmod, \"awx\", @progbits\n"
        ".balign 64\n"
        ".globl jit_buffer\n"
        "jit_buffer: .space 64\n"
        ".popsection");

extern uint32_t jit_buffer[16];

#define REG_A0 10
#define INSN_RET 0x00008067u /* jalr zero, 0(ra) */
#define C_JR_RA 0x8082u      /* c.jr ra */

typedef long (*code_fn)(long);

static uint32_t addi_a0(int imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (REG_A0 << 15) | (REG_A0 << 7) | 0x13;
}

/* c.li a0, imm (imm in -32..31), a 16-bit instruction. */
static uint16_t c_li_a0(int imm)
{
    return (uint16_t)(0x4001 | ((imm & 0x20) << 7) | (REG_A0 << 7) | ((imm & 0x1f) << 2));
}

static long run(long arg)
{
    /* -march=rv64imac leaves out Zifencei, so enable it for this one instruction. */
    __asm__ volatile(".option push\n"
                     ".option arch, +zifencei\n"
                     "fence.i\n"
                     ".option pop" ::: "memory");
    return ((code_fn)(uintptr_t)jit_buffer)(arg);
}

/* addi a0, a0, imm; ret */
static long add_via_code(long x, int imm)
{
    jit_buffer[0] = addi_a0(imm);
    jit_buffer[1] = INSN_RET;
    return run(x);
}

/* c.li a0, imm; c.jr ra — two halfwords where a 32-bit instruction was before. */
static long load_via_compressed(int imm)
{
    uint16_t *half = (uint16_t *)jit_buffer;
    half[0] = c_li_a0(imm);
    half[1] = C_JR_RA;
    return run(0);
}

int main(void)
{
    static const int imms[] = {1, 2, -100, 2047, -2048};
    for (unsigned i = 0; i < sizeof imms / sizeof imms[0]; i++)
        printf("addi a0, a0, %d on 1000 -> %ld\n", imms[i], add_via_code(1000, imms[i]));
    printf("c.li a0, 5 -> %ld\n", load_via_compressed(5));
    printf("c.li a0, -7 -> %ld\n", load_via_compressed(-7));
    printf("addi a0, a0, 3 on 39 -> %ld\n", add_via_code(39, 3));
    return 0;
}
