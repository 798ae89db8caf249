/* The Pebbles heap (stdlib.h declares it; 15-410 programs also include malloc.h). */
#ifndef PEBBLES_MALLOC_H
#define PEBBLES_MALLOC_H
#include <stdlib.h>
#endif
