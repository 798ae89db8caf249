/* 15-410 test programs include this name for their reporting; it is report.h here. */
#ifndef PEBBLES_410_TESTS_H
#define PEBBLES_410_TESTS_H
#include <report.h>
#endif
