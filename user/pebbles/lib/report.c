/* 15-410 style test reporting (report.h), lprintf (simics.h) and panic (assert.h). */
#include <report.h>
#include <simics.h>
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>

static const char *test_name = "test";

void report_init(const char *name)
{
    test_name = name;
}

void report_line(const char *what)
{
    printf("(^_^)_%s: %s\n", test_name, what);
}

static void report_formatted(const char *kind, const char *fmt, va_list ap)
{
    char text[200];
    vsnprintf(text, sizeof text, fmt, ap);
    printf("(^_^)_%s: %s__%s\n", test_name, kind, text);
}

void report_misc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_formatted("MISC", fmt, ap);
    va_end(ap);
}

void report_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_formatted("ERR", fmt, ap);
    va_end(ap);
}

void report_success(void)
{
    report_line("END__SUCCESS");
    exit(0);
}

void report_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_formatted("ERR", fmt, ap);
    va_end(ap);
    report_line("END__FAIL");
    exit(-1);
}

int lprintf(const char *fmt, ...)
{
    char text[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return printf("lprintf: %s\n", text);
}

void panic(const char *fmt, ...)
{
    char text[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    printf("panic: %s\n", text);
    task_vanish(-1);
}
