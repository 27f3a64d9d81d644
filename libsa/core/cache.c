/* cache.c - process-wide caches of immutable values keyed by a content hash.
 *
 * Used where the same input is turned into the same immutable value again and again: the
 * compiled rule files (lua/chunk_cache.c) and the parsed YAML of pack files (pack/pack.c).
 * The key is SHA-256 of everything the value is made from, so an entry can only ever be
 * found for exactly that input; a changed input has another key and is made afresh.
 *
 * Bounded: each cache holds values of at most `cap` bytes in all (the user states each
 * value's size); past it the least recently used entries are dropped. A value handed out
 * stays valid until it is given back (sa__cache_release), even if it is dropped meanwhile:
 * the last holder frees it. Entries stay reachable from the cache for the life of the
 * process, so nothing is reported as leaked; sa__cache_clear frees them.
 *
 * Thread-safe: one mutex per cache guards its table, its recency list and the use counts;
 * nothing slow runs under it (making a value, and using one, happen outside). */
#include "core/cache.h"

#include <stdlib.h>
#include <string.h>

struct sa_cache_entry {
	unsigned char key[32];
	void *value;
	size_t size;
	int users;                             /* holders right now */
	bool dropped;                          /* out of the table; the last holder frees it */
	struct sa_cache_entry *prev, *next;    /* recency, most recent first */
	struct sa_cache_entry *chain;          /* same bucket */
};

static size_t cost(const sa_cache_entry *e)
{
	return sizeof *e + e->size;
}

static void entry_free(sa_cache *c, sa_cache_entry *e)
{
	c->free_value(e->value);
	free(e);
}

/* Under the lock. */
static void unlink_recency(sa_cache *c, sa_cache_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(sa_cache *c, sa_cache_entry *e)
{
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

/* Under the lock: take e out of the table; free it unless someone holds it. */
static void drop(sa_cache *c, sa_cache_entry *e)
{
	sa_cache_entry **pp = &c->buckets[e->key[0]];
	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	unlink_recency(c, e);
	c->bytes -= cost(e);
	c->entries--;
	c->drops++;
	if (e->users)
		e->dropped = true;
	else
		entry_free(c, e);
}

static sa_cache_entry *find(sa_cache *c, const unsigned char key[32])
{
	for (sa_cache_entry *e = c->buckets[key[0]]; e; e = e->chain)
		if (memcmp(e->key, key, 32) == 0)
			return e;
	return NULL;
}

const void *sa__cache_get(sa_cache *c, const unsigned char key[32], sa_cache_entry **held)
{
	sa_cache_entry *e;
	pthread_mutex_lock(&c->mu);
	if ((e = find(c, key))) {
		e->users++;
		unlink_recency(c, e);
		push_front(c, e);
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->mu);
	*held = e;
	return e ? e->value : NULL;
}

void sa__cache_release(sa_cache *c, sa_cache_entry *held)
{
	bool last;
	if (!held)
		return;
	pthread_mutex_lock(&c->mu);
	last = --held->users == 0 && held->dropped;
	pthread_mutex_unlock(&c->mu);
	if (last)
		entry_free(c, held);
}

int sa__cache_put(sa_cache *c, const unsigned char key[32], void *value, size_t size, sa_cache_entry **held)
{
	sa_cache_entry *e, *old;
	if (held)
		*held = NULL;
	if (sizeof *e + size > c->cap || !(e = malloc(sizeof *e))) /* larger than the whole cache, or no memory */
		return -1;
	memset(e, 0, sizeof *e);
	memcpy(e->key, key, 32);
	e->value = value;
	e->size = size;
	pthread_mutex_lock(&c->mu);
	if ((old = find(c, key))) { /* another thread made the same value meanwhile: keep that one */
		if (held) {
			old->users++;
			*held = old;
		}
		pthread_mutex_unlock(&c->mu);
		entry_free(c, e);
		return 0;
	}
	while (c->tail && c->bytes + cost(e) > c->cap)
		drop(c, c->tail);
	e->chain = c->buckets[key[0]];
	c->buckets[key[0]] = e;
	push_front(c, e);
	c->bytes += cost(e);
	c->entries++;
	if (held) {
		e->users++;
		*held = e;
	}
	pthread_mutex_unlock(&c->mu);
	return 0;
}

const void *sa__cache_value(const sa_cache_entry *held)
{
	return held ? held->value : NULL;
}

void sa__cache_stats(sa_cache *c, sa_cache_stats *st)
{
	pthread_mutex_lock(&c->mu);
	st->entries = c->entries;
	st->bytes = c->bytes;
	st->hits = c->hits;
	st->misses = c->misses;
	st->drops = c->drops;
	pthread_mutex_unlock(&c->mu);
}

void sa__cache_clear(sa_cache *c)
{
	pthread_mutex_lock(&c->mu);
	while (c->tail)
		drop(c, c->tail);
	pthread_mutex_unlock(&c->mu);
}
