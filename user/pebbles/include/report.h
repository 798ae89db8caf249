/*
 * How test programs report, in the 15-410 way: a START line when the test begins, saying
 * whether it is expected to run to completion (COMPLETE), to be killed (ABORT) or to run for
 * ever (FOREVER), then an END line with SUCCESS or FAIL; MISC and ERR lines in between.
 * Each line is one print, so lines from different threads never interleave:
 *     (^_^)_NAME: START__TYPE_COMPLETE
 *     (^_^)_NAME: END__SUCCESS
 * NAME is the program's name on the disk (the test must say it once: REPORT_LOCAL_INIT or
 * TEST_PROG_ENGAGE, then the macros below). The end-to-end tests look for these lines.
 */
#ifndef PEBBLES_REPORT_H
#define PEBBLES_REPORT_H

#include <stdlib.h>

void report_init(const char *name);
void report_line(const char *what);
void report_misc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* END__SUCCESS, then exit(0); END__FAIL (after the reason), then exit(-1). */
void report_success(void) __attribute__((noreturn));
void report_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define REPORT_LOCAL_INIT(name) report_init(name)
#define REPORT_START_CMPLT report_line("START__TYPE_COMPLETE")
#define REPORT_START_ABORT report_line("START__TYPE_ABORT")
#define REPORT_START_FOREVER report_line("START__TYPE_FOREVER")
#define REPORT_END_SUCCESS report_line("END__SUCCESS")
#define REPORT_END_FAIL report_line("END__FAIL")
#define REPORT_MISC(...) report_misc(__VA_ARGS__)
#define REPORT_ERR(...) report_err(__VA_ARGS__)
/* Reports FAIL with a reason and exits unless e holds. */
#define REPORT_CHECK(e, ...) ((e) ? (void)0 : report_fail(__VA_ARGS__))

#endif
