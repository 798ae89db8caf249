/*
 * lprintf: 15-410's debug output went to the Simics log. Osprey has no simulator log, so it
 * goes to the console as a line of its own, prefixed "lprintf: " (user/pebbles/lib/report.c).
 */
#ifndef PEBBLES_SIMICS_H
#define PEBBLES_SIMICS_H

int lprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define MAGIC_BREAK ((void)0)

#endif
