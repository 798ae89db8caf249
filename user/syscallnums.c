/*
 * syscallnums: a system-call number the kernel does not know returns -1, and the process
 * carries on. Covers the gap after xv6's calls (22..64), numbers kept for later ranges, gaps
 * between the Pebbles numbers (0x43, 0x73), and numbers far outside any table, including
 * negative ones.
 */
#include "test.h"

/* An ecall with an arbitrary number in a7; the arguments are harmless zeros. */
static long raw_syscall(long number)
{
    register long a0 __asm__("a0") = 0;
    register long a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

int main(void)
{
    /* 0x43, 0x56, 0x61, 0x73 and 0x75 are gaps among the Pebbles calls (0x41..0x74). */
    static const long unknown[] = {0, 22, 23, 40, 63, 64, 93, 199, 299, 500, 505, 1000, 0x43, 0x56, 0x61, 0x73, 0x75,
                                   0x7fffffff, -1, -22, 0x100000000L};
    test_begin("syscallnums");
    for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        check(raw_syscall(unknown[i]) == -1, "system call %ld did not return -1", unknown[i]);
    /* Still alive and still served by known calls. */
    check(getpid() > 0, "getpid after unknown calls");
    printf("syscallnums: ok\n");
    return 0;
}
