# signal(): the system call __signal with the runtime's return trampoline, which the kernel
# makes every handler's return address. The trampoline enters sigreturn, which restores the
# registers the kernel saved on the stack when the signal came (docs/kernel.md, Upcalls).
#include "syscall.h"

    .text
    .globl signal
    .type signal, @function
signal:
    lla a2, __sigreturn_trampoline
    j __signal
    .size signal, . - signal

    .globl __sigreturn_trampoline
    .type __sigreturn_trampoline, @function
__sigreturn_trampoline:
    li a7, SYS_sigreturn
    ecall
    unimp
    .size __sigreturn_trampoline, . - __sigreturn_trampoline
