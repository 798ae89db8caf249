/*
 * writetest: the file system's write side, one call at a time (usertests covers the
 * combinations and the races).
 *   - create, write, read back, O_CREATE of an existing file, O_TRUNC, append by offset
 *   - a file that grows through the indirect block to the largest size, and one byte more fails
 *   - mkdir gives "." and ".." and counts the child's ".." in the parent's nlink
 *   - link adds a name (nlink 2), unlink removes one, the data lives until the last name goes
 *   - an unlinked open file still reads until it is closed
 *   - unlink refuses ".", "..", non-empty directories and missing names; link refuses
 *     directories, existing names and missing parents; mkdir refuses existing names
 *   - names of 14 bytes, and longer names cut to 14
 *   - mknod makes a device node; the null device reads end of file and swallows writes
 *   - the blocks a file used come back when it is removed
 * Prints "writetest: ok" and exits 0 when all pass.
 */
#include "test.h"

static char buf[8192];
static char back[8192];

static void fill(char *p, int n, int seed)
{
    for (int i = 0; i < n; i++)
        p[i] = (char)(seed + i * 7 + (i >> 8));
}

static int create_or_fail(const char *path)
{
    int fd = open(path, O_CREATE | O_RDWR);
    check(fd >= 0, "cannot create %s", path);
    return fd;
}

static long file_size(const char *path)
{
    struct stat st;
    check(stat(path, &st) == 0, "cannot stat %s", path);
    return (long)st.size;
}

static int nlink_of(const char *path)
{
    struct stat st;
    check(stat(path, &st) == 0, "cannot stat %s", path);
    return st.nlink;
}

static void create_write_read(void)
{
    int fd = create_or_fail("wt-a");
    fill(buf, 5000, 1);
    check(write(fd, buf, 5000) == 5000, "write of 5000 bytes");
    close(fd);
    check(file_size("wt-a") == 5000, "size after write is %ld", file_size("wt-a"));
    fd = open("wt-a", O_RDONLY);
    check(read(fd, back, sizeof(back)) == 5000, "read back 5000");
    check(memcmp(buf, back, 5000) == 0, "contents differ");
    close(fd);

    /* O_CREATE of an existing file opens it, keeping the contents. */
    fd = open("wt-a", O_CREATE | O_RDWR);
    check(fd >= 0 && file_size("wt-a") == 5000, "O_CREATE of an existing file");
    /* Writing over the start keeps the rest. */
    check(write(fd, "XY", 2) == 2, "overwrite");
    close(fd);
    check(file_size("wt-a") == 5000, "overwrite changed the size");

    fd = open("wt-a", O_WRONLY | O_TRUNC);
    check(fd >= 0, "open O_TRUNC");
    check(file_size("wt-a") == 0, "O_TRUNC left %ld bytes", file_size("wt-a"));
    check(write(fd, "hello", 5) == 5, "write after truncate");
    close(fd);
    fd = open("wt-a", O_RDONLY);
    check(read(fd, back, 100) == 5 && memcmp(back, "hello", 5) == 0, "read after truncate");
    close(fd);
    check(unlink("wt-a") == 0, "unlink wt-a");
    check(open("wt-a", O_RDONLY) < 0, "wt-a still opens after unlink");
    printf("writetest: create, write, truncate, unlink\n");
}

static void big_file(void)
{
    long max = (12 + 256) * 1024L;
    int fd = create_or_fail("wt-big");
    for (long off = 0; off < max; off += 4096) {
        fill(buf, 4096, (int)(off / 4096));
        check(write(fd, buf, 4096) == 4096, "big write at %ld", off);
    }
    check(write(fd, "x", 1) < 0, "a write past the largest file succeeded");
    close(fd);
    check(file_size("wt-big") == max, "big size %ld", file_size("wt-big"));
    fd = open("wt-big", O_RDONLY);
    for (long off = 0; off < max; off += 4096) {
        fill(buf, 4096, (int)(off / 4096));
        check(read(fd, back, 4096) == 4096 && memcmp(buf, back, 4096) == 0, "big read at %ld", off);
    }
    close(fd);
    check(unlink("wt-big") == 0, "unlink wt-big");
    printf("writetest: a file of the largest size\n");
}

static void directories(void)
{
    int root_links = nlink_of(".");
    check(mkdir("wt-d") == 0, "mkdir wt-d");
    check(mkdir("wt-d") < 0, "mkdir of an existing name");
    check(nlink_of(".") == root_links + 1, "parent nlink %d, wanted %d", nlink_of("."), root_links + 1);
    check(nlink_of("wt-d") == 1, "new directory nlink %d", nlink_of("wt-d"));
    check(chdir("wt-d") == 0, "chdir wt-d");
    int fd = create_or_fail("f");
    check(write(fd, "abc", 3) == 3, "write in subdirectory");
    close(fd);
    check(unlink(".") < 0 && unlink("..") < 0, "unlink of . or ..");
    check(chdir("..") == 0, "chdir ..");
    check(unlink("wt-d") < 0, "unlink of a non-empty directory");
    check(file_size("wt-d/f") == 3, "wt-d/f size");
    check(link("wt-d", "wt-dlink") < 0, "link of a directory");
    check(link("wt-d/f", "wt-nodir/f") < 0, "link into a missing directory");
    check(link("wt-d/f", "wt-d/f") < 0, "link onto an existing name");
    check(link("wt-none", "wt-x") < 0, "link of a missing file");
    check(unlink("wt-d/f") == 0, "unlink wt-d/f");
    check(unlink("wt-d") == 0, "unlink of the emptied directory");
    check(nlink_of(".") == root_links, "parent nlink after rmdir %d", nlink_of("."));
    check(unlink("wt-d") < 0, "unlink of a missing name");
    printf("writetest: mkdir, chdir, unlink of directories\n");
}

static void links(void)
{
    int fd = create_or_fail("wt-l1");
    check(write(fd, "linked", 6) == 6, "write wt-l1");
    close(fd);
    check(link("wt-l1", "wt-l2") == 0, "link");
    check(nlink_of("wt-l1") == 2, "nlink after link %d", nlink_of("wt-l1"));
    check(unlink("wt-l1") == 0, "unlink first name");
    check(nlink_of("wt-l2") == 1, "nlink after unlink %d", nlink_of("wt-l2"));
    fd = open("wt-l2", O_RDONLY);
    check(read(fd, back, 100) == 6 && memcmp(back, "linked", 6) == 0, "data under the second name");
    /* Open and unlinked: still readable. */
    check(unlink("wt-l2") == 0, "unlink the last name");
    check(open("wt-l2", O_RDONLY) < 0, "the unlinked name still opens");
    struct stat st;
    check(fstat(fd, &st) == 0 && st.nlink == 0 && st.size == 6, "fstat of an unlinked open file");
    close(fd);
    printf("writetest: link, unlink, unlinked open files\n");
}

static void names(void)
{
    int fd = create_or_fail("abcdefghijklmn"); /* 14 bytes */
    close(fd);
    fd = open("abcdefghijklmnXYZ", O_RDONLY); /* cut to the same 14 */
    check(fd >= 0, "a long name does not find its 14-byte prefix");
    close(fd);
    check(unlink("abcdefghijklmn") == 0, "unlink 14-byte name");
    printf("writetest: 14-byte names\n");
}

static void devices(void)
{
    check(mknod("wt-null", NULLDEV, 0) == 0, "mknod");
    check(mknod("wt-null", NULLDEV, 0) < 0, "mknod of an existing name");
    int fd = open("wt-null", O_RDWR);
    check(fd >= 0, "open null device");
    check(write(fd, buf, 1000) == 1000, "write to null");
    check(read(fd, back, 10) == 0, "read from null");
    struct stat st;
    check(fstat(fd, &st) == 0 && st.type == T_DEVICE, "fstat of a device node");
    close(fd);
    check(unlink("wt-null") == 0, "unlink device node");
    printf("writetest: device nodes and the null device\n");
}

/* Writes files until the disk is full, frees them, and fills it again to the same amount. */
static long fill_disk(void)
{
    long total = 0;
    char name[8] = "wt-f00";
    int files = 0;
    for (;;) {
        name[4] = (char)('0' + files / 10);
        name[5] = (char)('0' + files % 10);
        int fd = open(name, O_CREATE | O_WRONLY);
        if (fd < 0)
            break;
        files++;
        int full = 0;
        for (int i = 0; i < 268; i++) {
            int n = write(fd, buf, 1024);
            if (n > 0)
                total += n;
            if (n != 1024) {
                full = 1;
                break;
            }
        }
        close(fd);
        if (full)
            break;
        check(files < 100, "the disk never filled");
    }
    for (int i = 0; i < files; i++) {
        name[4] = (char)('0' + i / 10);
        name[5] = (char)('0' + i % 10);
        check(unlink(name) == 0, "unlink %s", name);
    }
    return total;
}

static void full_disk(void)
{
    long first = fill_disk();
    long second = fill_disk();
    check(first > 100 * 1024, "only %ld bytes fit on the disk", first);
    check(first == second, "the disk held %ld bytes, then %ld after freeing", first, second);
    printf("writetest: a full disk fails cleanly and its space comes back (%ld bytes)\n", first);
}

int main(void)
{
    test_begin("writetest");
    create_write_read();
    big_file();
    directories();
    links();
    names();
    devices();
    full_disk();
    printf("writetest: ok\n");
    exit(0);
}
