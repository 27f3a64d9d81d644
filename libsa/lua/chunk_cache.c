/* chunk_cache.c - rule files compiled once per process.
 *
 * Compiling the national rules (≈ 170 KB of Lua text) was more than half of loading a pack
 * into an engine, while loading the same functions from lua_dump's binary form costs about a
 * fourteenth of it (docs/performance.md). So the first state that compiles a rule file from
 * its text keeps the dump of the function it compiled (strip = 0: line information and the
 * chunk name stay, so errors still name file:line), keyed by SHA-256 of the chunk name and the
 * text. A later load of the same name and text -- another engine, a screening thread, a reload
 * of a chain where only some files changed -- loads that dump with mode "b" instead.
 *
 * Why it is safe (docs/security.md): binary chunks in a pack are still refused (sandbox.c
 * checks the text and compiles with mode "t"); the only binary chunks ever loaded are dumps
 * this process made itself, from text it compiled itself, found by the hash of that text
 * and name. Nothing is read from or written to disk, and rules cannot reach the cache (no
 * load, no string.dump in the sandbox).
 *
 * The table is core/cache.c's: bounded to SA_CHUNK_CACHE_MAX bytes of dumps (core/limits.h),
 * least recently used dropped first, thread-safe, entries reachable until the process ends.
 * Compiling, dumping and loading run outside its lock. */
#include "lua/state.h"
#include "core/cache.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	size_t len;
	unsigned char bytes[];
} dump;

static sa_cache chunks = SA_CACHE_INIT(SA_CHUNK_CACHE_MAX, free);

/* ---- loading and dumping through Lua's reader and writer ---- */

typedef struct {
	const unsigned char *p;
	size_t n;
} reader_state;

static const char *read_all(lua_State *L, void *ud, size_t *size)
{
	reader_state *r = ud;
	(void)L;
	*size = r->n;
	r->n = 0;
	return *size ? (const char *)r->p : NULL;
}

typedef struct {
	dump *d; /* grows as lua_dump writes */
	size_t cap;
} writer_state;

static int write_grow(lua_State *L, const void *p, size_t sz, void *ud)
{
	writer_state *w = ud;
	size_t n = w->d ? w->d->len : 0;
	(void)L;
	if (n + sz > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		dump *nd;
		while (cap < n + sz)
			cap *= 2;
		if (cap > SA_CHUNK_CACHE_MAX || !(nd = realloc(w->d, sizeof *nd + cap)))
			return 1; /* lua_dump stops; nothing is kept */
		nd->len = n;
		w->d = nd;
		w->cap = cap;
	}
	memcpy(w->d->bytes + n, p, sz);
	w->d->len = n + sz;
	return 0;
}

static void key_of(unsigned char key[32], bool *ok, const char *name, const char *text, size_t len)
{
	sa_sha256 h;
	sa__sha256_begin(&h);
	sa__sha256_add(&h, name, strlen(name) + 1); /* the NUL keeps name and text apart */
	sa__sha256_add(&h, text, len);
	*ok = sa__sha256_end(&h, key) == 0;
}

int sa__chunk_load(lua_State *L, const char *text, size_t len, const char *name)
{
	unsigned char key[32];
	char chunkname[300];
	bool keyed;
	int status;
	sa_cache_entry *held;
	const dump *d;

	key_of(key, &keyed, name, text, len);
	if (keyed && (d = sa__cache_get(&chunks, key, &held))) {
		reader_state r = { d->bytes, d->len };
		status = lua_load(L, read_all, &r, name, "b");
		sa__cache_release(&chunks, held);
		if (status == LUA_OK || status == LUA_ERRMEM)
			return status;
		lua_pop(L, 1); /* cannot happen to our own dump; compile the text instead */
	}
	snprintf(chunkname, sizeof chunkname, "=%s", name);
	status = luaL_loadbufferx(L, text, len, chunkname, "t");
	if (status == LUA_OK && keyed) {
		writer_state w = { NULL, 0 };
		if (lua_dump(L, write_grow, &w, 0) != 0 || !w.d ||
		    sa__cache_put(&chunks, key, w.d, w.d->len, NULL) < 0)
			free(w.d);
	}
	return status;
}

void sa__chunk_cache_stats(sa_cache_stats *st)
{
	sa__cache_stats(&chunks, st);
}

void sa__chunk_cache_clear(void)
{
	sa__cache_clear(&chunks);
}
