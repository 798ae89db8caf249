/*
 * The kernel key-value store (Columbia W4118's kkv): four Linux-numbered system calls. Each
 * returns 0 (kkv_destroy: how many pairs it removed) or -1 with errno set (errno.h):
 *   kkv_init(0), kkv_destroy(0)   make and remove the store; EPERM if it already is / is not
 *   kkv_put(key, val, size, 0)    store a copy of size bytes (0 is a valid, empty value; at most
 *                                 KKV_MAX_VALUE), replacing any value the key had
 *   kkv_get(key, val, size, flags) remove the key's pair and copy min(size, its size) bytes to
 *                                 val; the number of bytes copied is not returned (as in W4118).
 *                                 With KKV_NONBLOCK an absent key is ENOENT; with KKV_BLOCK the
 *                                 caller waits for a put (EINTR if a handled signal comes first,
 *                                 EPERM if the store is destroyed meanwhile).
 * Errors: EPERM (not initialized, or twice), EINVAL (flags, size), EFAULT (a bad pointer:
 * nothing changes), ENOMEM (nothing changes), ENOENT, EINTR.
 */
#ifndef OSPREY_KKV_H
#define OSPREY_KKV_H

#include "user.h"
#include "errno.h"

#endif
