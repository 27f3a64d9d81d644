/* cache.h - process-wide caches of immutable values keyed by SHA-256 of their input (cache.c).
 * A user defines one static sa_cache with SA_CACHE_INIT and the function that frees a value. */
#ifndef SA_CORE_CACHE_H
#define SA_CORE_CACHE_H

#include "core/internal.h"

#include <pthread.h>
#include <stdint.h>

typedef struct sa_cache_entry sa_cache_entry;

typedef struct {
	pthread_mutex_t mu;
	sa_cache_entry *buckets[256]; /* by the key's first byte */
	sa_cache_entry *head, *tail;  /* recency, most recent first */
	size_t cap;                   /* bytes of values and entries at most */
	void (*free_value)(void *value);
	size_t bytes, entries;
	uint64_t hits, misses, drops;
} sa_cache;

#define SA_CACHE_INIT(cap_bytes, free_fn) { .mu = PTHREAD_MUTEX_INITIALIZER, .cap = (cap_bytes), .free_value = (free_fn) }

typedef struct {
	size_t entries, bytes;        /* in the cache now (bytes: values and their entries) */
	uint64_t hits, misses, drops; /* since the process started */
} sa_cache_stats;

/* The value kept under key, held until sa__cache_release(c, *held); NULL (and *held NULL) if none. */
const void *sa__cache_get(sa_cache *c, const unsigned char key[32], sa_cache_entry **held);
void sa__cache_release(sa_cache *c, sa_cache_entry *held); /* held may be NULL */
/* Keep value (size bytes) under key: 0 and the cache owns it (if another thread kept an equal
 * value first, value is freed and that one is used); with held, the entry is held for the
 * caller (read it with sa__cache_value). -1 (no memory, or larger than the cache): nothing
 * kept, the caller still owns value. */
int sa__cache_put(sa_cache *c, const unsigned char key[32], void *value, size_t size, sa_cache_entry **held);
const void *sa__cache_value(const sa_cache_entry *held);
void sa__cache_stats(sa_cache *c, sa_cache_stats *st);
void sa__cache_clear(sa_cache *c); /* drop every entry; values held now are freed by their holders */

#endif
