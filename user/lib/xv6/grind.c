/* The shared-names race of concnames and grindfs; see grind.h. */
#include "grind.h"
#include "test.h"

static const char *const grind_names[] = {"a", "b", "c", "d"};
#define GRIND_NAMES 4
#define GRIND_WRITE_MAX 3000
/* grind_verify and grind_remove walk at most this deep and this wide (a directory holds at
 * most GRIND_NAMES live names besides "." and ".."). */
#define GRIND_MAX_DEPTH 8
#define GRIND_MAX_ENTRIES 64
#define GRIND_MAX_FILES 256
#define GRIND_PATH 128

static char grind_buf[GRIND_WRITE_MAX];

static unsigned grind_rnd(struct grinder *g)
{
    g->rng = g->rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(g->rng >> 33);
}

/* A name, or two: "c" or "c/a". */
static char *grind_path(struct grinder *g, char *out, int two_levels)
{
    strcpy(out, grind_names[grind_rnd(g) % GRIND_NAMES]);
    if (two_levels || grind_rnd(g) % 5 < 2) {
        size_t n = strlen(out);
        out[n] = '/';
        strcpy(out + n + 1, grind_names[grind_rnd(g) % GRIND_NAMES]);
    }
    return out;
}

static int grind_levels(const char *path)
{
    return strchr(path, '/') != NULL ? 2 : 1;
}

/* Counts one call, which must have succeeded (r >= 0) or failed with -1. */
static long grind_result(struct grinder *g, long r, const char *call, const char *path)
{
    check(r >= -1, "%s(%s) returned %ld", call, path, r);
    g->ops++;
    g->succeeded += r != -1;
    return r;
}

/* Writes up to 3 blocks: all of it, or less when the disk fills, or -1 (nothing: a file
 * another process truncated below this descriptor's offset). */
static void grind_write(struct grinder *g, int fd)
{
    int n = (int)(grind_rnd(g) % GRIND_WRITE_MAX) + 1;
    memset(grind_buf, 'a' + (int)(grind_rnd(g) % 26), n);
    int w = write(fd, grind_buf, n);
    check(w >= -1 && w <= n, "write of %d bytes returned %d", n, w);
    g->ops++;
    g->succeeded += w != -1;
}

static void grind_create(struct grinder *g, const char *path)
{
    int fd = (int)grind_result(g, open(path, O_CREATE | O_RDWR), "open", path);
    if (fd >= 0) {
        grind_write(g, fd);
        close(fd);
    }
}

static void grind_read(struct grinder *g, const char *path)
{
    int fd = (int)grind_result(g, open(path, O_RDONLY), "open", path);
    if (fd < 0)
        return;
    struct stat st;
    check(fstat(fd, &st) == 0, "fstat of open %s failed", path);
    check(st.type == T_FILE || st.type == T_DIR, "%s has type %d", path, st.type);
    check(st.nlink >= 0, "%s has nlink %d", path, st.nlink);
    int n = read(fd, grind_buf, sizeof grind_buf);
    check(n >= 0 && n <= (int)sizeof grind_buf, "read of %s returned %d", path, n);
    close(fd);
}

static void grind_chdir(struct grinder *g, const char *path)
{
    if (g->depth + grind_levels(path) <= GRIND_MAX_CHDIR_DEPTH && grind_rnd(g) % 2 == 0) {
        if (grind_result(g, chdir(path), "chdir", path) == 0)
            g->depth += grind_levels(path);
        return;
    }
    check(chdir(g->root) == 0, "chdir back to %s failed", g->root);
    g->depth = 0;
}

void grind_begin(struct grinder *g, const char *root, unsigned long seed)
{
    memset(g, 0, sizeof *g);
    g->root = root;
    g->rng = seed * 2654435761UL + 1;
    for (int i = 0; i < GRIND_HELD; i++)
        g->held[i] = -1;
    check(chdir(root) == 0, "chdir(%s) failed", root);
}

void grind_step(struct grinder *g)
{
    char a[32], b[32];
    grind_path(g, a, 0);
    grind_path(g, b, 0);
    int *held = &g->held[grind_rnd(g) % GRIND_HELD];
    int fd;
    switch (grind_rnd(g) % 14) {
    case 0:
    case 1:
        grind_create(g, a);
        break;
    case 2:
    case 3:
    case 13: /* a file, or an empty directory */
        grind_result(g, unlink(a), "unlink", a);
        break;
    case 4:
        grind_result(g, link(a, b), "link", a);
        break;
    case 5:
        grind_result(g, mkdir(a), "mkdir", a);
        break;
    case 6:
        grind_chdir(g, a);
        break;
    case 7: /* rename by link */
        if (grind_result(g, link(a, b), "link", a) == 0)
            grind_result(g, unlink(a), "unlink", a);
        break;
    case 8: /* hold a file open across later calls (a directory does not open for writing) */
        if (*held >= 0)
            close(*held);
        *held = (int)grind_result(g, open(a, O_RDWR), "open", a);
        break;
    case 9: /* write through a held file, which may have been unlinked or truncated since */
        if (*held >= 0)
            grind_write(g, *held);
        break;
    case 10: /* truncate, perhaps under another process's held descriptor */
        fd = (int)grind_result(g, open(a, O_RDWR | O_TRUNC), "open", a);
        if (fd >= 0)
            close(fd);
        break;
    case 11:
        grind_read(g, a);
        break;
    default: /* create inside a directory, which another process may be removing */
        grind_create(g, grind_path(g, a, 1));
        break;
    }
}

void grind_end(struct grinder *g)
{
    for (int i = 0; i < GRIND_HELD; i++) {
        if (g->held[i] >= 0)
            close(g->held[i]);
        g->held[i] = -1;
    }
    check(chdir(g->root) == 0, "chdir back to %s failed", g->root);
    g->depth = 0;
}

long grind_race(const char *root, int procs, long steps, int deadline, unsigned long seed)
{
    int counts[2];
    check(pipe(counts) == 0, "pipe failed");
    for (int p = 0; p < procs; p++) {
        if (fork_or_fail() == 0) {
            close(counts[0]);
            struct grinder g;
            grind_begin(&g, root, seed * 1000 + (unsigned long)p);
            for (long i = 0; i < steps && (deadline < 0 || uptime() < deadline); i++)
                grind_step(&g);
            grind_end(&g);
            check(write(counts[1], &g.ops, sizeof g.ops) == sizeof g.ops, "writing the count failed");
            exit(0);
        }
    }
    close(counts[1]);
    long total = 0, ops;
    while (read(counts[0], &ops, sizeof ops) == sizeof ops)
        total += ops;
    close(counts[0]);
    collect_children(procs, 0, "a grinder");
    return total;
}

/* ---------------------------------------------------------------------------------------- */
/* What survives. */

static char grind_entry[GRIND_MAX_DEPTH][GRIND_MAX_ENTRIES][DIRSIZ + 1];
static char grind_child[GRIND_MAX_DEPTH][GRIND_PATH];
static uint file_inum[GRIND_MAX_FILES];
static short file_nlink[GRIND_MAX_FILES];
static int file_names[GRIND_MAX_FILES];
static int grind_files;

/* The live names in directory path (not "." or ".."), into grind_entry[level]; their count. */
static int grind_entries(const char *path, int level)
{
    check(level < GRIND_MAX_DEPTH, "%s is more than %d directories deep", path, GRIND_MAX_DEPTH);
    int fd = open(path, O_RDONLY);
    check(fd >= 0, "the surviving directory %s does not open", path);
    struct dirent de;
    int n = 0;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0)
            continue;
        check(n < GRIND_MAX_ENTRIES, "%s holds more than %d names", path, GRIND_MAX_ENTRIES);
        char *name = grind_entry[level][n];
        memcpy(name, de.name, DIRSIZ);
        name[DIRSIZ] = '\0'; /* a name of exactly DIRSIZ bytes has no NUL of its own */
        n += strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
    }
    close(fd);
    return n;
}

static char *grind_join(const char *dir, const char *name, int level)
{
    check(strlen(dir) + 1 + strlen(name) < GRIND_PATH, "path %s/%s is too long", dir, name);
    strcpy(grind_child[level], dir);
    size_t n = strlen(dir);
    grind_child[level][n] = '/';
    strcpy(grind_child[level] + n + 1, name);
    return grind_child[level];
}

static void grind_count_file(const char *path, const struct stat *st)
{
    for (int i = 0; i < grind_files; i++) {
        if (file_inum[i] == st->ino) {
            file_names[i]++;
            return;
        }
    }
    check(grind_files < GRIND_MAX_FILES, "more than %d files survive", GRIND_MAX_FILES);
    check(st->nlink >= 1, "%s is named but has nlink %d", path, st->nlink);
    file_inum[grind_files] = st->ino;
    file_nlink[grind_files] = st->nlink;
    file_names[grind_files++] = 1;
}

/* Inodes under dir; checks each name opens, and dir's link count. */
static int grind_verify_dir(const char *dir, int level)
{
    int n = grind_entries(dir, level), inodes = 0, subdirectories = 0;
    for (int i = 0; i < n; i++) {
        char *path = grind_join(dir, grind_entry[level][i], level);
        int fd = open(path, O_RDONLY);
        check(fd >= 0, "the surviving name %s does not open", path);
        struct stat st;
        check(fstat(fd, &st) == 0, "fstat of %s failed", path);
        close(fd);
        if (st.type == T_DIR) {
            subdirectories++;
            inodes += 1 + grind_verify_dir(path, level + 1);
        } else {
            check(st.type == T_FILE, "%s has type %d", path, st.type);
            int before = grind_files;
            grind_count_file(path, &st);
            inodes += grind_files > before;
        }
    }
    struct stat st;
    check(stat(dir, &st) == 0 && st.type == T_DIR, "stat of directory %s failed", dir);
    check(st.nlink == 1 + subdirectories, "directory %s has nlink %d, but 1 name and %d subdirectories", dir,
          st.nlink, subdirectories);
    return inodes;
}

int grind_verify(const char *dir)
{
    grind_files = 0;
    int inodes = grind_verify_dir(dir, 0);
    for (int i = 0; i < grind_files; i++)
        check(file_nlink[i] == file_names[i], "inode %d has nlink %d, but %d names", file_inum[i], file_nlink[i],
              file_names[i]);
    return inodes;
}

/* Streams through the directory rather than listing it first: what a fuzzer leaves there
 * has no bound on its names. */
static void grind_remove_level(const char *dir, int level)
{
    check(level < GRIND_MAX_DEPTH, "%s is more than %d directories deep", dir, GRIND_MAX_DEPTH);
    int fd = open(dir, O_RDONLY);
    check(fd >= 0, "the directory %s does not open", dir);
    struct dirent de;
    char name[DIRSIZ + 1];
    while (read(fd, &de, sizeof de) == sizeof de) {
        memcpy(name, de.name, DIRSIZ);
        name[DIRSIZ] = '\0';
        if (de.inum == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        /* Anything but a directory with names in it goes at once (a device node of a major
         * with no driver does not even open); such a directory is emptied first. */
        char *path = grind_join(dir, name, level);
        if (unlink(path) != 0)
            grind_remove_level(path, level + 1);
    }
    close(fd);
    check(unlink(dir) == 0, "unlink(%s) failed", dir);
}

void grind_remove(const char *dir)
{
    grind_remove_level(dir, 0);
}
