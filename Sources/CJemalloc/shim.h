#pragma once
#include <stddef.h>

// Only jemalloc's control interface. Linking the library is what matters: its malloc and free
// then serve the whole process (glibc's are interposed), so <jemalloc/jemalloc.h>, which
// redeclares malloc and friends, is not included.
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
