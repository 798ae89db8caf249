/*
 * filetest: reading the file system, on the disk image user/Makefile describes (README and
 * the programs in the root directory).
 *   - README reads the same whatever the read size, its length is fstat's size, and it begins
 *     with its known first line; reads at end of file return 0
 *   - the biggest file (a program) is bigger than the 12 direct blocks and reads back whole
 *     (through the indirect block), the same in reads of any size
 *   - a directory reads as 16-byte entries holding ".", ".." and README, with the right inode
 *     numbers; the root is inode 1 and its ".." is itself
 *   - fstat reports T_FILE, T_DIR and T_DEVICE (the console on fds 0..2)
 *   - chdir changes where relative paths start, refuses files and missing names, and, when
 *     the disk has a subdirectory, moves down and back up with ".."
 *   - directories cannot be opened for writing; a read-only fd cannot be written
 *   - a process has exactly NOFILE descriptors, handed out lowest first
 *   - dup and fork share one offset; two opens of a file have their own
 * Prints "filetest: ok" and exits 0 when all pass.
 */
#include "test.h"

#define ROOT_INODE 1
#define README_FIRST_LINE "Osprey disk image\n"

/* Static, because a process's stack is one page. */
static char whole[8192];
static char chunk[4096];
static struct dirent entries[256];

static int open_or_fail(const char *path)
{
    int fd = open(path, O_RDONLY);
    check(fd >= 0, "cannot open %s", path);
    return fd;
}

/* Reads all of path in reads of n bytes; returns the length, copies the first cap bytes to
 * out and leaves a checksum of every byte in *sum. */
static long read_all(const char *path, int n, char *out, long cap, unsigned long *sum)
{
    int fd = open_or_fail(path);
    long total = 0;
    *sum = 0;
    int got;
    while ((got = read(fd, chunk, n)) > 0) {
        check(got <= n, "read of %d bytes from %s returned %d", n, path, got);
        for (int i = 0; i < got; i++) {
            *sum = *sum * 31 + (unsigned char)chunk[i];
            if (total + i < cap)
                out[total + i] = chunk[i];
        }
        total += got;
    }
    check(got == 0, "read from %s returned %d", path, got);
    check(read(fd, chunk, n) == 0, "a second read at the end of %s did not return 0", path);
    close(fd);
    return total;
}

static struct stat stat_or_fail(const char *path)
{
    struct stat st;
    check(stat(path, &st) == 0, "cannot stat %s", path);
    return st;
}

static void read_sizes_agree(const char *path, long *length, unsigned long *sum)
{
    static const int sizes[] = {1, 7, 100, 1024, 1500, 4096};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned long s;
        long n = read_all(path, sizes[i], whole, sizeof whole, &s);
        if (i == 0) {
            *length = n;
            *sum = s;
        }
        check(n == *length && s == *sum, "%s reads differently in %d-byte reads", path, sizes[i]);
    }
    struct stat st = stat_or_fail(path);
    check(st.type == T_FILE, "%s has type %d, expected T_FILE", path, st.type);
    check(st.size == (uint64)*length, "%s: fstat says %lu bytes, reading gave %ld", path, st.size, *length);
    check(st.nlink >= 1 && st.ino > 0, "%s: nlink %d, inode %u", path, st.nlink, st.ino);
}

static void read_readme(void)
{
    long length;
    unsigned long sum;
    read_sizes_agree("README", &length, &sum);
    check(length < (long)sizeof whole, "README is too long for this test");
    check(length > 1024, "README should span two blocks; it has %ld bytes", length);
    whole[length] = '\0';
    check(strncmp(whole, README_FIRST_LINE, strlen(README_FIRST_LINE)) == 0, "README begins \"%.20s\"", whole);
    int fd = open_or_fail("README");
    check(read(fd, chunk, 0) == 0, "a read of 0 bytes did not return 0");
    close(fd);
    printf("filetest: README reads the same in reads of any size\n");
}

/* Reads directory path into entries; returns how many. */
static int read_directory(const char *path)
{
    int fd = open_or_fail(path);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.type == T_DIR, "%s is not T_DIR", path);
    int n = 0;
    int got;
    while ((got = read(fd, &entries[n], sizeof entries[0])) == sizeof entries[0]) {
        n++;
        check(n < (int)(sizeof entries / sizeof entries[0]), "%s has too many entries", path);
    }
    check(got == 0, "reading directory %s returned %d, not a whole entry", path, got);
    check(st.size == (uint64)n * sizeof entries[0], "%s: size %lu, but %d entries read", path, st.size, n);
    close(fd);
    return n;
}

/* The inode number of name in the entries read, or 0. */
static int find_entry(int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (entries[i].inum != 0 && strncmp(entries[i].name, name, DIRSIZ) == 0)
            return entries[i].inum;
    }
    return 0;
}

/* "/NAME" for an entry of the root directory (in a static buffer). */
static const char *root_path(const struct dirent *de)
{
    static char path[DIRSIZ + 2];
    path[0] = '/';
    memcpy(path + 1, de->name, DIRSIZ);
    path[DIRSIZ + 1] = '\0'; /* a name of exactly DIRSIZ characters has no terminator */
    return path;
}

/* The biggest file in the root directory (a program, on the default image), as "/NAME". */
static const char *biggest_file(void)
{
    static char best[DIRSIZ + 2];
    uint64 best_size = 0;
    int n = read_directory("/");
    for (int i = 0; i < n; i++) {
        const char *path = root_path(&entries[i]);
        struct stat st;
        if (entries[i].inum != 0 && stat(path, &st) == 0 && st.type == T_FILE && st.size > best_size) {
            best_size = st.size;
            strcpy(best, path);
        }
    }
    check(best_size > 0, "no files in the root directory");
    return best;
}

static void read_big_file(void)
{
    const char *path = biggest_file();
    long length;
    unsigned long sum;
    read_sizes_agree(path, &length, &sum);
    check(length > 12 * 1024, "the biggest file, %s, has %ld bytes: too few to need the indirect block", path,
          length);
    printf("filetest: a file bigger than 12 blocks reads back whole\n");
}

static void read_root(void)
{
    int n = read_directory("/");
    check(find_entry(n, ".") == ROOT_INODE, "/. is inode %d, not %d", find_entry(n, "."), ROOT_INODE);
    check(find_entry(n, "..") == ROOT_INODE, "/.. is inode %d, not %d", find_entry(n, ".."), ROOT_INODE);
    int readme = find_entry(n, "README");
    check(readme != 0 && (uint)readme == stat_or_fail("/README").ino, "README's entry has inode %d", readme);
    struct stat st = stat_or_fail("/");
    check(st.ino == ROOT_INODE && st.type == T_DIR, "/ is inode %u of type %d", st.ino, st.type);
    check(stat_or_fail("/..").ino == ROOT_INODE, "the root's .. is not the root");
    printf("filetest: the root directory reads as entries with ., .. and README\n");
}

static void console_is_a_device(void)
{
    for (int fd = 0; fd < 3; fd++) {
        struct stat st;
        check(fstat(fd, &st) == 0, "fd %d is not open", fd);
        check(st.type == T_DEVICE, "fd %d has type %d, expected T_DEVICE", fd, st.type);
    }
    printf("filetest: fds 0, 1 and 2 are a device\n");
}

/* "/NAME" for a subdirectory of the root, if the disk has one; NULL if not. */
static const char *find_subdirectory(void)
{
    int n = read_directory("/");
    for (int i = 0; i < n; i++) {
        if (entries[i].inum == 0 || entries[i].inum == ROOT_INODE)
            continue;
        const char *path = root_path(&entries[i]);
        struct stat st;
        if (stat(path, &st) == 0 && st.type == T_DIR)
            return path;
    }
    return NULL;
}

static void change_into(const char *sub)
{
    uint inode = stat_or_fail(sub).ino;
    check(chdir(sub) == 0, "chdir(%s) failed", sub);
    check(stat_or_fail(".").ino == inode, "after chdir(%s), . is not %s", sub, sub);
    check(stat_or_fail("..").ino == ROOT_INODE, "after chdir(%s), .. is not the root", sub);
    check(chdir("..") == 0 && stat_or_fail(".").ino == ROOT_INODE, "chdir(..) did not return to the root");
    /* A child's working directory is its own. */
    int pid = fork_or_fail();
    if (pid == 0)
        exit(chdir(sub) == 0 && stat_or_fail(".").ino == inode ? 0 : 1);
    expect_exit(pid, 0, "chdir in a child");
    check(stat_or_fail(".").ino == ROOT_INODE, "a child's chdir moved its parent");
    printf("filetest: chdir into a subdirectory and back\n");
}

static void change_directory(void)
{
    check(chdir("/") == 0, "chdir(/) failed");
    check(stat_or_fail(".").ino == ROOT_INODE, "after chdir(/), . is not the root");
    uint readme = stat_or_fail("/README").ino;
    static const char *const same[] = {"README", "./README", "/./README", "/../README", "../README"};
    for (unsigned i = 0; i < sizeof same / sizeof same[0]; i++)
        check(stat_or_fail(same[i]).ino == readme, "%s is not /README", same[i]);
    check(chdir("README") == -1, "chdir into a file succeeded");
    check(chdir("no-such-directory") == -1, "chdir into a missing directory succeeded");
    check(stat_or_fail(".").ino == ROOT_INODE, "a failed chdir moved the working directory");
    printf("filetest: chdir and relative paths\n");
    const char *sub = find_subdirectory();
    if (sub != NULL)
        change_into(sub);
    else
        printf("filetest: no subdirectory on the disk; chdir into one not tested\n");
    check(chdir("/") == 0, "chdir(/) failed");
}

static void open_modes(void)
{
    check(open(".", O_WRONLY) == -1, "a directory opened for writing");
    check(open(".", O_RDWR) == -1, "a directory opened for reading and writing");
    check(open("no-such-file", O_RDONLY) == -1, "a missing file opened");
    check(open("README/x", O_RDONLY) == -1, "a file opened as a directory");
    int fd = open_or_fail("README");
    check(write(fd, "x", 1) == -1, "a read-only fd was written");
    close(fd);
    fd = open("README", O_WRONLY);
    if (fd >= 0) {
        check(read(fd, chunk, 1) == -1, "a write-only fd was read");
        close(fd);
    }
    printf("filetest: open modes are enforced\n");
}

/* Which of the descriptors 0..NOFILE-1 are open now. */
static int count_open(char *open_now)
{
    int n = 0;
    struct stat st;
    for (int fd = 0; fd < NOFILE; fd++) {
        open_now[fd] = fstat(fd, &st) == 0;
        n += open_now[fd];
    }
    return n;
}

static int lowest_free(const char *open_now)
{
    int fd = 0;
    while (fd < NOFILE && open_now[fd])
        fd++;
    return fd;
}

static void descriptor_limit(void)
{
    char open_now[NOFILE];
    int already = count_open(open_now);
    int opened[NOFILE];
    int n = 0;
    for (;;) {
        int fd = open("README", O_RDONLY);
        if (fd < 0)
            break;
        check(n < NOFILE, "open succeeded more than NOFILE (%d) times", NOFILE);
        check(fd == lowest_free(open_now), "open returned fd %d, not the lowest free %d", fd, lowest_free(open_now));
        open_now[fd] = 1;
        opened[n++] = fd;
    }
    check(already + n == NOFILE, "%d fds were open and %d more opened: expected NOFILE (%d) in all", already, n,
          NOFILE);
    check(dup(0) == -1, "dup succeeded with every fd in use");
    for (int i = 0; i < n; i++) {
        check(close(opened[i]) == 0, "close(%d) failed", opened[i]);
        check(close(opened[i]) == -1, "close(%d) twice succeeded", opened[i]);
    }
    check(count_open(open_now) == already, "closing did not free every fd");
    printf("filetest: exactly %d fds per process, lowest first\n", NOFILE);
}

static void read_expect(int fd, const char *want, const char *what)
{
    int n = (int)strlen(want);
    char buf[32];
    check(read(fd, buf, n) == n && memcmp(buf, want, n) == 0, "%s: read \"%.*s\", expected \"%s\"", what, n, buf,
          want);
}

static void shared_offsets(void)
{
    int fd = open_or_fail("README");
    int copy = dup(fd);
    check(copy > fd, "dup(%d) returned %d", fd, copy);
    read_expect(fd, "Osprey", "the original");
    read_expect(copy, " disk", "the dup");
    check(close(fd) == 0, "close failed");
    check(read(fd, chunk, 1) == -1, "read from a closed fd succeeded");
    read_expect(copy, " image", "the dup after the original closed");
    int other = open_or_fail("README");
    read_expect(other, "Osprey", "a second open");
    int pid = fork_or_fail();
    if (pid == 0) {
        read_expect(copy, "\n====", "the child");
        exit(0);
    }
    expect_exit(pid, 0, "reading a shared fd in a child");
    read_expect(copy, "=====", "the parent after its child read");
    close(copy);
    close(other);
    printf("filetest: dup and fork share an offset, open does not\n");
}

int main(void)
{
    test_begin("filetest");
    read_readme();
    read_big_file();
    read_root();
    console_is_a_device();
    change_directory();
    open_modes();
    descriptor_limit();
    shared_offsets();
    printf("filetest: ok\n");
    return 0;
}
