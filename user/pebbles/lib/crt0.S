# Entry of a Pebbles program. exec starts it here with _main's four arguments in a0..a3:
# argc, argv, stack_high (one past the top of the stack) and stack_low (the lowest address
# of the stack exec mapped). _start sets gp and calls _main (lib/main.c), which never returns.
# The note below is how exec knows the program follows Pebbles' conventions: the Pebbles
# address space, and a fault that kills only the faulting thread (abi/constants.tbl).
#include "syscall.h"

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
    mv fp, zero
    call _main
    unimp
    .size _start, . - _start

    .pushsection .note.osprey, "a", @note
    .balign 4
    .word 7, 4, OSPREY_NOTE_PERSONALITY
    .asciz "Osprey"
    .balign 4
    .word PERSONALITY_PEBBLES
    .popsection
