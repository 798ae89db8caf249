/*
 * linkrace [REPEATS [ROUNDS]]: the smallest workload that leaked inodes (issue 8). Two
 * processes race on the names "a" and "b" in one directory: the child creates "a" and links
 * it as "b"; the parent unlinks "a", creates "b" and links it back as "a". Each repetition is
 * a fresh child, waited for; at the end both names are removed, so a sound kernel leaves
 * every inode free again. Run it, then `osprey fsck` the image: any unnamed inode with link
 * count 0 is a leak.
 */
#include "test.h"

static void child_rounds(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        close(open("a", O_CREATE | O_RDWR));
        unlink("b");
        link("a", "b");
    }
    exit(0);
}

static void parent_rounds(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        unlink("a");
        close(open("b", O_CREATE | O_RDWR));
        link("b", "a");
        unlink("b");
    }
}

int main(int argc, char *argv[])
{
    test_begin("linkrace");
    int repeats = argc > 1 ? atoi(argv[1]) : 20;
    int rounds = argc > 2 ? atoi(argv[2]) : 200;
    for (int r = 0; r < repeats; r++) {
        int pid = fork_or_fail();
        if (pid == 0)
            child_rounds(rounds);
        parent_rounds(rounds);
        expect_exit(pid, 0, "linkrace child");
    }
    unlink("a");
    unlink("b");
    printf("linkrace: ok\n");
    exit(0);
}
