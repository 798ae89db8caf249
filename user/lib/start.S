# Program entry. xv6's exec passes argc and argv in a0 and a1; Linux (and qemu-riscv64)
# leaves them on the stack: argc at 0(sp), the argv array from 8(sp). Either way main's
# return value becomes the exit status.

    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    # gp must be set before any code the linker relaxed to gp-relative addressing runs,
    # and this load itself must not be relaxed against a gp that is not set yet.
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
#ifdef OSPREY_ABI_LINUX
    ld a0, 0(sp)
    addi a1, sp, 8
#endif
    call main
    call exit
    .size _start, . - _start
