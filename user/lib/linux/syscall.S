# The linux flavour's two system-call stubs: the C arguments are already in a0..a2, so each
# stub only loads its number into a7 and traps; the result comes back in a0.
#include "syscall.h"

    .text

    .globl write
    .type write, @function
write:
    li a7, SYS_write
    ecall
    ret
    .size write, . - write

    .globl exit
    .type exit, @function
exit:
    li a7, SYS_exit
    ecall
    # exit does not return; if it does (the wrong --abi under osprey emulate), fault on an
    # illegal instruction rather than run on or spin.
    unimp
    .size exit, . - exit
