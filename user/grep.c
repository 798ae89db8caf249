/*
 * grep PATTERN [FILE...]: prints the lines that match PATTERN, from each FILE or from standard
 * input. With more than one file, each line is prefixed by its file's name and a colon.
 * Exits 0 if some line matched, 1 if none did, 2 on an error.
 *
 * Patterns are the basic regular expressions xv6's grep understands: a character matches
 * itself, '.' any character, 'x*' any number of x (x being a character or '.'), '^' at the
 * start anchors the match to the start of the line and '$' at the end to its end. Osprey adds
 * '\' to take the next character literally ("\." matches a dot).
 *
 * The pattern is compiled into a list of items, each one character class (a character, or
 * any) with a flag for '*'; matching walks the items, and a starred item tries every run
 * length it can take, longest first.
 */
#include "user.h"

#define MAX_ITEMS 128
#define ANY (-1)
/* Lines longer than this are matched (and printed) in pieces of this size. */
#define LINE_BUF 2048

struct item {
    int c;    /* the character to match, or ANY */
    int star; /* zero or more of c */
};

static struct item items[MAX_ITEMS];
static int nitems;
static int anchored_start, anchored_end;

static char buf[LINE_BUF + 1];

/* Compiles pattern into items; -1 if it is too long. */
static int compile(const char *p)
{
    anchored_start = *p == '^';
    if (anchored_start)
        p++;
    nitems = 0;
    while (*p != '\0') {
        if (*p == '$' && p[1] == '\0') {
            anchored_end = 1;
            break;
        }
        if (*p == '*' && nitems > 0 && !items[nitems - 1].star) {
            items[nitems - 1].star = 1;
            p++;
            continue;
        }
        if (nitems == MAX_ITEMS)
            return -1;
        struct item *it = &items[nitems++];
        it->star = 0;
        if (*p == '\\' && p[1] != '\0') {
            it->c = (unsigned char)p[1];
            p += 2;
        } else {
            it->c = *p == '.' ? ANY : (unsigned char)*p;
            p++;
        }
    }
    return 0;
}

static int item_matches(const struct item *it, char c)
{
    return it->c == ANY || it->c == (unsigned char)c;
}

/* Whether items[k...] match text starting at s (which ends at end). */
static int match_at(int k, const char *s, const char *end)
{
    for (; k < nitems; k++) {
        const struct item *it = &items[k];
        if (it->star) {
            const char *run = s;
            while (run < end && item_matches(it, *run))
                run++;
            for (; run >= s; run--) {
                if (match_at(k + 1, run, end))
                    return 1;
            }
            return 0;
        }
        if (s == end || !item_matches(it, *s))
            return 0;
        s++;
    }
    return !anchored_end || s == end;
}

/* Whether the pattern matches somewhere in the n bytes at text. */
static int matches(const char *text, int n)
{
    const char *end = text + n;
    if (anchored_start)
        return match_at(0, text, end);
    for (const char *s = text; s <= end; s++) {
        if (match_at(0, s, end))
            return 1;
    }
    return 0;
}

/* The first newline in [s, end), or NULL. */
static char *find_newline(char *s, char *end)
{
    for (; s < end; s++) {
        if (*s == '\n')
            return s;
    }
    return NULL;
}

/* Prints the line if it matches; returns whether it did. */
static int grep_line(const char *prefix, char *text, int n)
{
    if (!matches(text, n))
        return 0;
    if (prefix != NULL)
        printf("%s:", prefix);
    text[n] = '\n';
    write(1, text, n + 1);
    return 1;
}

/* Matches every line read from fd; 1 if some line matched, 0 if none, -1 on a read error. */
static int grep_fd(int fd, const char *prefix)
{
    int matched = 0;
    int have = 0; /* bytes in buf not yet part of a finished line */
    int n;
    while ((n = read(fd, buf + have, LINE_BUF - have)) > 0) {
        have += n;
        char *start = buf;
        char *nl;
        while ((nl = find_newline(start, buf + have)) != NULL) {
            matched |= grep_line(prefix, start, nl - start);
            start = nl + 1;
        }
        have -= start - buf;
        memmove(buf, start, have);
        if (have == LINE_BUF) {
            matched |= grep_line(prefix, buf, have); /* too long: match what we have */
            have = 0;
        }
    }
    if (have > 0)
        matched |= grep_line(prefix, buf, have); /* a last line without a newline */
    return n < 0 ? -1 : matched;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: grep PATTERN [FILE...]\n");
        return 2;
    }
    if (compile(argv[1]) < 0) {
        fprintf(2, "grep: pattern too long\n");
        return 2;
    }
    if (argc == 2) {
        int r = grep_fd(0, NULL);
        if (r < 0)
            fprintf(2, "grep: read error\n");
        return r < 0 ? 2 : r > 0 ? 0 : 1;
    }
    int matched = 0, failed = 0;
    for (int i = 2; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "grep: %s: cannot open\n", argv[i]);
            failed = 1;
            continue;
        }
        int r = grep_fd(fd, argc > 3 ? argv[i] : NULL);
        close(fd);
        if (r < 0) {
            fprintf(2, "grep: %s: read error\n", argv[i]);
            failed = 1;
        }
        matched |= r > 0;
    }
    return failed ? 2 : matched ? 0 : 1;
}
