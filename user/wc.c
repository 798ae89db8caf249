/*
 * wc [FILE...]: counts lines, words and bytes, printed as "LINES WORDS BYTES NAME" for each
 * file, or "LINES WORDS BYTES" for standard input when no file is named. A word is a run of
 * characters other than spaces, tabs and newlines. With more than one file a "total" line
 * follows.
 */
#include "user.h"

struct counts {
    long lines, words, bytes;
};

static char buf[1024];

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Counts what fd holds into c; -1 on a read error. */
static int count(int fd, struct counts *c)
{
    int in_word = 0;
    int n;
    memset(c, 0, sizeof *c);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        c->bytes += n;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n')
                c->lines++;
            if (is_space(buf[i])) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
    return n < 0 ? -1 : 0;
}

static void print(const struct counts *c, const char *name)
{
    if (name == NULL)
        printf("%ld %ld %ld\n", c->lines, c->words, c->bytes);
    else
        printf("%ld %ld %ld %s\n", c->lines, c->words, c->bytes, name);
}

int main(int argc, char **argv)
{
    struct counts c;
    if (argc < 2) {
        if (count(0, &c) < 0) {
            fprintf(2, "wc: read error\n");
            return 1;
        }
        print(&c, NULL);
        return 0;
    }
    struct counts total = {0, 0, 0};
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "wc: %s: cannot open\n", argv[i]);
            status = 1;
            continue;
        }
        int r = count(fd, &c);
        close(fd);
        if (r < 0) {
            fprintf(2, "wc: %s: read error\n", argv[i]);
            status = 1;
            continue;
        }
        print(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (argc > 2)
        print(&total, "total");
    return status;
}
