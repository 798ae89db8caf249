/*
 * ls: for each path (default "."), one line per file: name, type (T_DIR 1, T_FILE 2,
 * T_DEVICE 3), inode number and size, as xv6's ls prints them. A directory is listed by its
 * entries, each stat'ed by its path inside the directory.
 */
#include "user.h"

/* Built here, not on the one-page stack. */
static char path[MAXPATH];

static void print_entry(const char *name, const struct stat *st)
{
    printf("%-14s %d %u %lu\n", name, st->type, st->ino, (unsigned long)st->size);
}

/* The last component of a path, for naming a file given as a path. */
static const char *last_component(const char *p)
{
    const char *name = p;
    for (const char *s = p; *s != '\0'; s++) {
        if (*s == '/' && s[1] != '\0')
            name = s + 1;
    }
    return name;
}

/* Lists one directory entry; returns -1 if it cannot be stat'ed. */
static int list_entry(const char *dir, const struct dirent *de)
{
    char name[DIRSIZ + 1];
    memcpy(name, de->name, DIRSIZ);
    name[DIRSIZ] = '\0'; /* a name of exactly DIRSIZ characters has no terminator */
    size_t len = strlen(dir);
    if (len + 1 + DIRSIZ + 1 > sizeof path) {
        fprintf(2, "ls: path too long: %s/%s\n", dir, name);
        return -1;
    }
    strcpy(path, dir);
    path[len] = '/';
    strcpy(path + len + 1, name);
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(2, "ls: cannot stat %s\n", path);
        return -1;
    }
    print_entry(name, &st);
    return 0;
}

/* Lists the directory open on fd; returns -1 if any entry failed. */
static int list_directory(int fd, const char *dir)
{
    struct dirent de;
    int status = 0;
    int n;
    while ((n = read(fd, &de, sizeof de)) == sizeof de) {
        if (de.inum != 0 && list_entry(dir, &de) < 0)
            status = -1;
    }
    if (n != 0) {
        fprintf(2, "ls: error reading directory %s\n", dir);
        status = -1;
    }
    return status;
}

static int ls(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) {
        fprintf(2, "ls: cannot open %s\n", p);
        return -1;
    }
    struct stat st;
    int status = fstat(fd, &st);
    if (status < 0)
        fprintf(2, "ls: cannot stat %s\n", p);
    else if (st.type == T_DIR)
        status = list_directory(fd, p);
    else
        print_entry(last_component(p), &st);
    close(fd);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return ls(".") < 0 ? 1 : 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (ls(argv[i]) < 0)
            status = 1;
    }
    return status;
}
