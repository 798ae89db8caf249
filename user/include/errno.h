/*
 * errno, as C and POSIX have it, for the calls with Linux's conventions (the kernel key-value
 * store, kkv.h): their stubs return -1 and leave the error number here. The E* numbers are
 * Linux's, generated into abi.h from abi/constants.tbl. Calls with xv6's conventions return -1
 * and leave errno alone.
 */
#ifndef OSPREY_ERRNO_H
#define OSPREY_ERRNO_H

#include "abi.h"

extern int errno;

/* A short description of error number e ("unknown error N" for one this runtime lacks). */
const char *strerror(int e);
/* Writes "S: description of errno\n" to fd 2 (only the description if S is NULL or empty). */
void perror(const char *s);

#endif
