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
    # exit does not return; if a broken kernel lets it, stop here rather than run on.
1:  j 1b
    .size exit, . - exit
