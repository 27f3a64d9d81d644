/* pack_set.h - immutable, refcounted pack versions shared by engines on many threads. */
#ifndef SA_PACK_SET_H
#define SA_PACK_SET_H

#include "core/internal.h"
#include "pack/pack.h"

#include <stdatomic.h>

/* One loaded pack chain. Immutable after creation; engines on any thread read it. */
typedef struct sa_pver {
	atomic_long refs;
	sa_policy *pol; /* owned: the one reference this version holds */
} sa_pver;

sa_pver *sa__version_new(sa_policy *pol); /* takes pol (released on failure too) */
void sa__version_retain(sa_pver *v);
void sa__version_release(sa_pver *v);

/* engine.c: make the engine evaluate with v (builds a Lua state; the engine retains v) */
int sa__engine_use_version(sa_engine *e, sa_pver *v);

#endif
