/* pool.c - small-block allocator for a Lua state.
 *
 * A household's evaluation creates and drops a few hundred small Lua objects (tables, strings,
 * closures, arrays); through malloc/free they cost about a quarter of the evaluation
 * (docs/performance.md). Here blocks up to POOL_MAX bytes come from per-size free lists carved
 * out of 64 KiB slabs: a pop or a push each. Slabs go back to the C library when the state is
 * closed (and the state is rebuilt after any memory error). Larger blocks use malloc.
 *
 * Lua passes the exact old size of every block it frees or resizes, so the size class of a block
 * is known from its size alone. The one block that can end up in the wrong place is a large
 * block shrunk below POOL_MAX while no slab can be allocated: it is kept (Lua must be able to
 * shrink) and, once freed, served from the pool like its class; it is not returned to the C
 * library until the process exits. That needs the C library itself to be out of memory.
 *
 * Not used under AddressSanitizer (it would hide the state's own use-after-free) nor when the
 * host supplies an allocator (sa_engine_options.alloc sees every allocation then). */
#include "lua/state.h"

#include <stdlib.h>
#include <string.h>

#define POOL_STEP 16
#define POOL_MAX 256
#define POOL_CLASSES (POOL_MAX / POOL_STEP)
#define POOL_SLAB ((size_t)64 << 10)

struct sa_pool {
	void *free[POOL_CLASSES + 1]; /* free lists by class (1..POOL_CLASSES); next pointer in the block */
	char *cur, *end;              /* the current slab's uncarved rest */
	void *slabs;                  /* every slab, linked through its first word */
};

sa_pool *sa__pool_new(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return NULL;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return NULL;
#else
	return calloc(1, sizeof(sa_pool));
#endif
#else
	return calloc(1, sizeof(sa_pool));
#endif
}

void sa__pool_free(sa_pool *p)
{
	if (!p)
		return;
	while (p->slabs) {
		void *next = *(void **)p->slabs;
		free(p->slabs);
		p->slabs = next;
	}
	free(p);
}

static void *take(sa_pool *p, size_t c)
{
	void *b = p->free[c];
	size_t size = c * POOL_STEP;
	if (b) {
		p->free[c] = *(void **)b;
		return b;
	}
	if ((size_t)(p->end - p->cur) < size) {
		char *slab = malloc(POOL_SLAB);
		if (!slab)
			return NULL;
		*(void **)slab = p->slabs;
		p->slabs = slab;
		p->cur = slab + POOL_STEP; /* the link word, keeping blocks 16-aligned */
		p->end = slab + POOL_SLAB;
	}
	b = p->cur;
	p->cur += size;
	return b;
}

static void give(sa_pool *p, void *b, size_t c)
{
	*(void **)b = p->free[c];
	p->free[c] = b;
}

void *sa__pool_realloc(sa_pool *p, void *ptr, size_t osize, size_t nsize)
{
	size_t oc = ptr && osize <= POOL_MAX ? (osize + POOL_STEP - 1) / POOL_STEP : 0; /* 0: not pooled */
	size_t nc = nsize && nsize <= POOL_MAX ? (nsize + POOL_STEP - 1) / POOL_STEP : 0;
	void *nb;
	if (nsize == 0) {
		if (ptr) {
			if (oc)
				give(p, ptr, oc);
			else
				free(ptr);
		}
		return NULL;
	}
	if (ptr && oc == nc && oc)
		return ptr; /* same class: the block already fits */
	if (ptr && !oc && !nc)
		return realloc(ptr, nsize);
	nb = nc ? take(p, nc) : malloc(nsize);
	if (!nb)
		return NULL;
	if (ptr) {
		memcpy(nb, ptr, osize < nsize ? osize : nsize);
		if (oc)
			give(p, ptr, oc);
		else
			free(ptr);
	}
	return nb;
}
