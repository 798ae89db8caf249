/*
 * System-call numbers for the two ABIs Osprey's user programs are built for. The Linux
 * numbers are RISC-V Linux's, so a linux-flavour binary also runs under qemu-riscv64.
 * Included from assembly too, so only preprocessor definitions here.
 */
#ifndef OSPREY_SYSCALL_H
#define OSPREY_SYSCALL_H

#ifdef OSPREY_ABI_LINUX
#define SYS_write 64
#define SYS_exit  93
#else
#define SYS_write 16
#define SYS_exit  2
#endif

#endif
