/*
 * The linux flavour's system calls: only write and exit, with RISC-V Linux's numbers, so a
 * linux-flavour binary also runs under qemu-riscv64 and `osprey emulate --abi linux`.
 * It stands in for the xv6 flavour's build/gen/include/syscall.h (generated from
 * abi/syscalls.tbl), with the same prototypes for these two calls, so a program that uses
 * only them builds unchanged for both. Included from assembly too.
 */
#ifndef OSPREY_LINUX_SYSCALL_H
#define OSPREY_LINUX_SYSCALL_H

#define SYS_write 64
#define SYS_exit  93

#ifndef __ASSEMBLER__
/* As in abi/syscalls.tbl. Linux's write takes a size_t; an int in a0..a2 is sign-extended
 * to 64 bits by the calling convention, so any non-negative count means the same. */
int write(int fd, const void *buf, int n);
void exit(int status) __attribute__((noreturn));
#endif

#endif
