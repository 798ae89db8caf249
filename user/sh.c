/*
 * sh: the shell. Reads a line, turns it into words and operators, parses those into a tree,
 * and runs the tree:
 *
 *   line     := list
 *   list     := pipeline ((';' | '&') pipeline?)*   ('&': the one before it runs in the background)
 *   pipeline := command ('|' command)*
 *   command  := '(' list ')' redir*  |  (word | redir)+
 *   redir    := ('<' | '>' | '>>') word
 *
 * Words may be quoted with '...' or "..." to keep spaces and operators in them; a '#' that
 * starts a word begins a comment. Builtins: cd, exit, wait.
 *
 * The prompt "$ " (and the pid of each background job) is printed only when a person types at
 * standard input (isatty), so that a script piped in gives a transcript of the commands' output
 * and nothing else.
 *
 * Background jobs are the shell's own children, so that `wait` can wait for them. Every later
 * wait for a foreground command collects the jobs that ended meanwhile, so they stay zombies
 * only until the next command. At the end of a script the shell waits for its jobs before it
 * exits, so their output is part of the transcript (init halts the machine once sh is gone).
 *
 * `sh FILE` reads the commands from FILE instead of standard input.
 *
 * ^C (SIGINT to every process but init) stops the foreground command, not the shell: the shell
 * ignores SIGINT, each foreground child puts it back to the default before it runs its command,
 * and background children keep ignoring it (exec keeps an ignored signal ignored), so a job
 * started with & survives ^C, as in V7 Unix.
 */
#include "user.h"
#include "signal.h"

#define LINE_MAX 512
#define MAX_TOKENS 256
/* Every token makes at most one node, and the line one more. */
#define MAX_NODES (MAX_TOKENS + 1)

/* Token kinds. */
enum { TK_WORD, TK_PIPE, TK_IN, TK_OUT, TK_APPEND, TK_SEMI, TK_AMP, TK_OPEN, TK_CLOSE, TK_END };

struct token {
    int kind;
    char *text; /* the word, or the operator as typed; NULL for TK_END */
};

/* Node kinds of the command tree. */
enum { N_EXEC, N_REDIR, N_PIPE, N_LIST, N_BACK, N_GROUP };

struct node {
    int kind;
    struct node *left;  /* N_REDIR, N_BACK, N_GROUP: what they apply to; N_PIPE, N_LIST: 1st part */
    struct node *right; /* N_PIPE, N_LIST: the rest */
    char **argv;        /* N_EXEC: NULL-terminated, argc words */
    int argc;
    char *file; /* N_REDIR: the file, opened with flags onto fd; append seeks to its end */
    int fd;
    int flags;
    int append;
};

/* One line's worth of everything, reset for each line: nothing outlives the line, so there is
 * nothing to free. Static, because a process's stack is a single page. */
static char line[LINE_MAX];
static char words[2 * LINE_MAX]; /* each word and its NUL take at most twice its typed length */
static struct token tokens[MAX_TOKENS + 1];
static struct node nodes[MAX_NODES];
static char *argv_pool[MAX_TOKENS + MAX_NODES];
static int ntokens, nnodes, nargv;
static int pos; /* the parser's next token */
static int parse_failed;
static char path[MAXPATH];

/* Whether a person types at standard input: decides the prompt and end-of-script waiting. */
static int interactive;

static void __attribute__((noreturn)) exec_node(struct node *n);
static int run(struct node *n);
static struct node *parse_list(void);

/* ---- Words ---- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_operator(char c)
{
    return c != '\0' && strchr("|<>;&()", c) != NULL;
}

/* Reads the operator at *s into t and moves *s past it. */
static void scan_operator(const char **s, struct token *t)
{
    static char *const text[] = {
        [TK_PIPE] = "|", [TK_IN] = "<", [TK_OUT] = ">", [TK_APPEND] = ">>",
        [TK_SEMI] = ";", [TK_AMP] = "&", [TK_OPEN] = "(", [TK_CLOSE] = ")",
    };
    char c = *(*s)++;
    switch (c) {
    case '|': t->kind = TK_PIPE; break;
    case '<': t->kind = TK_IN; break;
    case ';': t->kind = TK_SEMI; break;
    case '&': t->kind = TK_AMP; break;
    case '(': t->kind = TK_OPEN; break;
    case ')': t->kind = TK_CLOSE; break;
    default:
        t->kind = TK_OUT;
        if (**s == '>') {
            t->kind = TK_APPEND;
            (*s)++;
        }
    }
    t->text = text[t->kind];
}

/* Copies the word at s into *out (quotes removed, NUL added) and returns where it ended, or
 * NULL for an unterminated quote. */
static const char *scan_word(const char *s, char **out)
{
    char *w = *out;
    while (*s != '\0' && !is_space(*s) && !is_operator(*s)) {
        if (*s != '\'' && *s != '"') {
            *w++ = *s++;
            continue;
        }
        char quote = *s++;
        while (*s != quote) {
            if (*s == '\0')
                return NULL;
            *w++ = *s++;
        }
        s++;
    }
    *w++ = '\0';
    *out = w;
    return s;
}

/* Splits s into tokens, ending with TK_END; -1 (reported) if it cannot. */
static int tokenize(const char *s)
{
    char *w = words;
    ntokens = 0;
    for (;;) {
        while (is_space(*s))
            s++;
        if (*s == '\0' || *s == '#')
            break;
        if (ntokens == MAX_TOKENS) {
            fprintf(2, "sh: too many words\n");
            return -1;
        }
        struct token *t = &tokens[ntokens++];
        if (is_operator(*s)) {
            scan_operator(&s, t);
            continue;
        }
        t->kind = TK_WORD;
        t->text = w;
        if ((s = scan_word(s, &w)) == NULL) {
            fprintf(2, "sh: syntax error: unterminated quote\n");
            return -1;
        }
    }
    tokens[ntokens].kind = TK_END;
    tokens[ntokens].text = NULL;
    return 0;
}

/* ---- Parsing ---- */

static int peek(void)
{
    return tokens[pos].kind;
}

/* Reports the token at pos as unexpected (once a line); returns NULL for the caller to pass up. */
static struct node *syntax_error(void)
{
    if (!parse_failed) {
        if (tokens[pos].kind == TK_END)
            fprintf(2, "sh: syntax error near end of line\n");
        else
            fprintf(2, "sh: syntax error near '%s'\n", tokens[pos].text);
    }
    parse_failed = 1;
    return NULL;
}

/* The bounds make the pool impossible to exhaust, but a mistake there must not corrupt memory. */
static struct node *make(int kind, struct node *left, struct node *right)
{
    if (nnodes == MAX_NODES) {
        fprintf(2, "sh: command too complex\n");
        parse_failed = 1;
        return NULL;
    }
    struct node *n = &nodes[nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->left = left;
    n->right = right;
    return n;
}

static int is_redirect(int kind)
{
    return kind == TK_IN || kind == TK_OUT || kind == TK_APPEND;
}

/* Parses one redirection at pos into a node whose left is still to be filled in. */
static struct node *parse_redirect(void)
{
    int kind = tokens[pos++].kind;
    if (peek() != TK_WORD)
        return syntax_error();
    struct node *r = make(N_REDIR, NULL, NULL);
    if (r == NULL)
        return NULL;
    r->file = tokens[pos++].text;
    r->fd = kind == TK_IN ? 0 : 1;
    if (kind == TK_IN)
        r->flags = O_RDONLY;
    else if (kind == TK_OUT)
        r->flags = O_WRONLY | O_CREATE | O_TRUNC;
    else
        r->flags = O_RDWR | O_CREATE; /* read, to find the end (see seek_to_end) */
    r->append = kind == TK_APPEND;
    return r;
}

/*
 * Adds redirection r to the chain at *slot, just above the command. Redirections run from the
 * top of the chain down, so keeping them in the order typed makes the last one typed for an fd
 * the one that counts, as in other shells. Returns the slot for the next one.
 */
static struct node **chain_redirect(struct node **slot, struct node *r)
{
    r->left = *slot;
    *slot = r;
    return &r->left;
}

/* command := (word | redir)+ */
static struct node *parse_simple(void)
{
    struct node *cmd = make(N_EXEC, NULL, NULL);
    if (cmd == NULL)
        return NULL;
    struct node *top = cmd;
    struct node **slot = &top;
    cmd->argv = &argv_pool[nargv];
    while (peek() == TK_WORD || is_redirect(peek())) {
        if (peek() != TK_WORD) {
            struct node *r = parse_redirect();
            if (r == NULL)
                return NULL;
            slot = chain_redirect(slot, r);
            continue;
        }
        if (cmd->argc == MAXARG) {
            fprintf(2, "sh: too many arguments (at most %d)\n", MAXARG);
            parse_failed = 1;
            return NULL;
        }
        argv_pool[nargv++] = tokens[pos++].text;
        cmd->argc++;
    }
    argv_pool[nargv++] = NULL;
    /* Redirections alone (`> file`) are allowed: they create or truncate, as in sh. */
    if (top == cmd && cmd->argc == 0)
        return syntax_error();
    return top;
}

/* command := '(' list ')' redir* */
static struct node *parse_group(void)
{
    pos++;
    struct node *inner = parse_list();
    if (inner == NULL)
        return NULL;
    if (peek() != TK_CLOSE)
        return syntax_error();
    pos++;
    struct node *top = make(N_GROUP, inner, NULL);
    struct node **slot = &top;
    while (top != NULL && is_redirect(peek())) {
        struct node *r = parse_redirect();
        if (r == NULL)
            return NULL;
        slot = chain_redirect(slot, r);
    }
    if (peek() == TK_WORD || peek() == TK_OPEN)
        return syntax_error();
    return top;
}

static struct node *parse_command(void)
{
    if (peek() == TK_OPEN)
        return parse_group();
    return parse_simple();
}

/* pipeline := command ('|' command)*, as a right-leaning chain of N_PIPE. */
static struct node *parse_pipeline(void)
{
    struct node *first = parse_command();
    if (first == NULL || peek() != TK_PIPE)
        return first;
    pos++;
    struct node *rest = parse_pipeline();
    if (rest == NULL)
        return NULL;
    return make(N_PIPE, first, rest);
}

/* list := pipeline ((';' | '&') pipeline?)*; ends before ')' or the end of the line. */
static struct node *parse_list(void)
{
    struct node *list = NULL;
    while (peek() != TK_END && peek() != TK_CLOSE) {
        struct node *job = parse_pipeline();
        if (job == NULL)
            return NULL;
        int separator = peek();
        if (separator == TK_AMP)
            job = make(N_BACK, job, NULL);
        if (job == NULL)
            return NULL;
        list = list == NULL ? job : make(N_LIST, list, job);
        if (list == NULL)
            return NULL;
        if (separator != TK_AMP && separator != TK_SEMI)
            break;
        pos++;
    }
    if (list == NULL)
        return syntax_error(); /* "()" or a ')' with nothing before it */
    return list;
}

/* The tree for s; NULL for an empty line or an error (already reported). */
static struct node *parse(const char *s)
{
    nnodes = nargv = pos = parse_failed = 0;
    if (tokenize(s) < 0 || peek() == TK_END)
        return NULL;
    struct node *tree = parse_list();
    if (tree != NULL && peek() != TK_END)
        return syntax_error(); /* a ')' without its '(' */
    return tree;
}

/* ---- Running ---- */

/* Makes descriptor from into descriptor to (closing from); -1 if it could not. */
static int move_fd(int from, int to)
{
    if (from == to)
        return 0;
    close(to);
    int got = dup(from);
    close(from);
    if (got == to)
        return 0;
    if (got >= 0)
        close(got); /* a lower descriptor was free, so dup could not land on to */
    return -1;
}

/*
 * Moves fd's offset to the end of the file, for '>>'. xv6 has no lseek, so the file is read
 * through once. Only as many bytes as fstat reports are read: a device such as the console
 * has size 0 and would otherwise block waiting for input that is not an end.
 */
static int seek_to_end(int fd)
{
    static char discard[1024];
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -1;
    if (st.type != T_FILE)
        return 0;
    for (uint64 left = st.size; left > 0;) {
        int want = left < sizeof discard ? (int)left : (int)sizeof discard;
        int n = read(fd, discard, want);
        if (n <= 0)
            return -1;
        left -= n;
    }
    return 0;
}

static int redirect(struct node *r)
{
    int fd = open(r->file, r->flags);
    if (fd < 0) {
        fprintf(2, "sh: %s: cannot %s\n", r->file, r->fd == 0 ? "open" : "create");
        return -1;
    }
    if (r->append && seek_to_end(fd) < 0) {
        fprintf(2, "sh: %s: cannot append\n", r->file);
        close(fd);
        return -1;
    }
    if (move_fd(fd, r->fd) < 0) {
        fprintf(2, "sh: %s: cannot redirect\n", r->file);
        return -1;
    }
    return 0;
}

/* Waits for child pid and returns its status; other children that end meanwhile (background
 * jobs) are collected on the way, so finished jobs do not stay zombies. */
static int wait_for(int pid)
{
    int status;
    int got;
    while ((got = wait(&status)) >= 0) {
        if (got == pid)
            return status;
    }
    return -1;
}

/* Collects every child, for `wait` and the end of a script. */
static void wait_all(void)
{
    while (wait(NULL) >= 0)
        ;
}

/* Runs n in a new child process; its pid, or -1 (reported). A foreground child takes ^C's
 * SIGINT by default; a background one goes on ignoring it, as the shell does. */
static int spawn(struct node *n, int foreground)
{
    int pid = fork();
    if (pid == 0) {
        if (foreground)
            signal(SIGINT, SIG_DFL);
        exec_node(n);
    }
    if (pid < 0)
        fprintf(2, "sh: fork failed\n");
    return pid;
}

static int builtin_cd(int argc, char **argv)
{
    if (argc > 2) {
        fprintf(2, "sh: cd: too many arguments\n");
        return 1;
    }
    const char *dir = argc == 2 ? argv[1] : "/";
    if (chdir(dir) == 0)
        return 0;
    struct stat st;
    if (stat(dir, &st) == 0 && st.type != T_DIR)
        fprintf(2, "sh: cd: %s: not a directory\n", dir);
    else
        fprintf(2, "sh: cd: %s: no such directory\n", dir);
    return 1;
}

/* Parses a whole decimal number (an optional '-' first); -1 if s is not one. */
static int parse_number(const char *s, int *out)
{
    const char *d = *s == '-' ? s + 1 : s;
    if (*d == '\0')
        return -1;
    for (const char *p = d; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
    }
    *out = atoi(s);
    return 0;
}

static int builtin_exit(int argc, char **argv)
{
    int status = 0;
    if (argc > 2 || (argc == 2 && parse_number(argv[1], &status) < 0)) {
        fprintf(2, "sh: exit: usage: exit [STATUS]\n");
        return 1;
    }
    exit(status);
}

static int builtin_wait(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    wait_all();
    return 0;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} builtins[] = {
    {"cd", builtin_cd},
    {"exit", builtin_exit},
    {"wait", builtin_wait},
};

/* The builtin for a simple command, or -1 when it is a program. */
static int find_builtin(struct node *n)
{
    if (n->kind != N_EXEC || n->argc == 0)
        return -1;
    for (int i = 0; i < (int)(sizeof builtins / sizeof builtins[0]); i++) {
        if (strcmp(n->argv[0], builtins[i].name) == 0)
            return i;
    }
    return -1;
}

/* Runs the program argv[0], looked for as named and then in "/", so that commands still work
 * after a cd. Returns only by exiting. */
static void __attribute__((noreturn)) exec_program(char **argv)
{
    const char *name = argv[0];
    exec(name, argv);
    int in_root = strchr(name, '/') == NULL && strlen(name) + 2 <= sizeof path;
    if (in_root) {
        path[0] = '/';
        strcpy(path + 1, name);
        exec(path, argv);
    }
    struct stat st;
    if (stat(name, &st) == 0 || (in_root && stat(path, &st) == 0)) {
        fprintf(2, "sh: %s: cannot run\n", name);
        exit(126);
    }
    fprintf(2, "sh: %s: not found\n", name);
    exit(127);
}

/*
 * Runs a pipeline (a chain of N_PIPE) in this process, one child per stage, each reading the
 * pipe the stage before it writes. Called only in a child of the shell, whose only children
 * are then the stages. Returns the last stage's status.
 */
static int run_pipeline(struct node *n)
{
    int in = -1; /* read end of the pipe from the stage before, or -1 for the first stage */
    int last = -1;
    int stages = 0;
    for (;;) {
        int is_last = n->kind != N_PIPE;
        struct node *stage = is_last ? n : n->left;
        int p[2] = {-1, -1};
        if (!is_last && pipe(p) < 0) {
            fprintf(2, "sh: pipe failed\n");
            break;
        }
        int pid = fork();
        if (pid == 0) {
            if (p[0] >= 0)
                close(p[0]);
            if ((in >= 0 && move_fd(in, 0) < 0) || (p[1] >= 0 && move_fd(p[1], 1) < 0)) {
                fprintf(2, "sh: cannot set up pipe\n");
                exit(1);
            }
            exec_node(stage);
        }
        if (in >= 0)
            close(in);
        if (p[1] >= 0)
            close(p[1]);
        in = p[0];
        if (pid < 0) {
            fprintf(2, "sh: fork failed\n");
            break;
        }
        stages++;
        if (is_last) {
            last = pid;
            break;
        }
        n = n->right;
    }
    /* After a failure the last read end is still open; closing it lets the stages end. */
    if (last < 0 && in >= 0)
        close(in);
    int status = 1;
    for (; stages > 0; stages--) {
        int st;
        int got = wait(&st);
        if (got < 0)
            break;
        if (got == last)
            status = st;
    }
    return status;
}

/* Runs n in this process, which is a child made for it: never returns. */
static void __attribute__((noreturn)) exec_node(struct node *n)
{
    int b;
    switch (n->kind) {
    case N_EXEC:
        if (n->argc == 0)
            exit(0); /* only redirections, which are done */
        if ((b = find_builtin(n)) >= 0)
            exit(builtins[b].run(n->argc, n->argv));
        exec_program(n->argv);
    case N_REDIR:
        if (redirect(n) < 0)
            exit(1);
        exec_node(n->left);
    case N_PIPE:
        exit(run_pipeline(n));
    case N_GROUP:
        exit(run(n->left));
    default:
        exit(run(n));
    }
}

/*
 * Runs n from the shell itself and returns its status. Lists and background jobs are walked
 * here, and a simple builtin runs here, so that `cd dir; ls` changes the shell's own directory.
 * Everything else runs in a child.
 */
static int run(struct node *n)
{
    int pid;
    int b;
    switch (n->kind) {
    case N_LIST:
        run(n->left);
        return run(n->right);
    case N_BACK:
        pid = spawn(n->left, 0);
        if (pid > 0 && interactive)
            printf("[%d]\n", pid);
        return pid < 0 ? 1 : 0;
    case N_EXEC:
        if ((b = find_builtin(n)) >= 0)
            return builtins[b].run(n->argc, n->argv);
        /* fall through */
    default:
        pid = spawn(n, 1);
        return pid < 0 ? 1 : wait_for(pid);
    }
}

/* ---- Reading ---- */

/*
 * Reads the next line into the static buffer: 1 for a line, 0 for a line too long (reported
 * and skipped), -1 at end of input. A last line without a newline still counts.
 */
static int read_line(void)
{
    gets(line, sizeof line);
    size_t len = strlen(line);
    if (len == 0)
        return -1;
    if (line[len - 1] == '\n' || len + 1 < sizeof line)
        return 1;
    /* The buffer filled without a newline: drop the rest of the line, whatever its length. */
    do {
        gets(line, sizeof line);
        len = strlen(line);
    } while (len > 0 && line[len - 1] != '\n');
    fprintf(2, "sh: line too long (at most %d characters)\n", LINE_MAX - 2);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        fprintf(2, "usage: sh [FILE]\n");
        exit(2);
    }
    if (argc == 2) {
        close(0);
        if (open(argv[1], O_RDONLY) != 0) {
            fprintf(2, "sh: %s: cannot open\n", argv[1]);
            exit(1);
        }
    }
    interactive = isatty(0) == 1;
    signal(SIGINT, SIG_IGN);
    for (;;) {
        if (interactive)
            write(2, "$ ", 2);
        int r = read_line();
        if (r < 0)
            break;
        struct node *tree = r > 0 ? parse(line) : NULL;
        if (tree != NULL)
            run(tree);
    }
    if (!interactive)
        wait_all();
    exit(0);
}
