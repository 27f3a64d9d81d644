/* doc_cache.c - the YAML of pack files parsed once per process.
 *
 * After the rule files (lua/chunk_cache.c), parsing the parameter YAML with libyaml was the
 * largest part of loading a pack chain; every engine, screening thread and reload parsed the
 * same bytes again. Here the document tree of a pack file (pack.yaml, params.yaml,
 * params/<topic>.yaml) is kept, keyed by SHA-256 of its bytes, and a later load of the same
 * bytes reads that tree. The tree depends on nothing else (positions are in it; the file name
 * is only for errors, and only documents that parsed are kept), and the pack reader only
 * reads it: a kept tree is shared read-only by every thread, never changed after it is made
 * (sa__value_get reads a map's index, it does not build it).
 *
 * The table is core/cache.c's: bounded to SA_DOC_CACHE_MAX bytes of trees (core/limits.h),
 * least recently used dropped first, thread-safe, entries reachable until the process ends.
 * When a tree cannot be kept (no memory, or larger than the whole cache) the load goes on
 * with its own. */
#include "pack/pack.h"
#include "core/cache.h"
#include "core/limits.h"

#include <stdlib.h>
#include <string.h>

static void free_doc(void *v)
{
	sa__value_free(v);
}

static sa_cache docs = SA_CACHE_INIT(SA_DOC_CACHE_MAX, free_doc);

/* The heap a tree holds, near enough to bound the cache: nodes, texts, arrays, indexes. */
static size_t tree_bytes(const sa_value *v)
{
	size_t n = sizeof *v + (v->str ? strlen(v->str) + 1 : 0) + v->cap * sizeof *v->items +
	           v->icap * sizeof *v->index;
	if (v->keys)
		n += v->cap * sizeof *v->keys;
	for (size_t i = 0; i < v->n; i++) {
		if (v->keys && v->keys[i])
			n += strlen(v->keys[i]) + 1;
		if (v->items[i])
			n += tree_bytes(v->items[i]);
	}
	return n;
}

int sa__pack_doc(sa_pfile_doc *out, const char *text, size_t len, const char *file)
{
	unsigned char key[32];
	sa_sha256 h;
	sa_value *doc;
	const sa_value *kept;
	int rc;

	out->doc = NULL;
	out->held = NULL;
	sa__sha256_begin(&h);
	sa__sha256_add(&h, text, len);
	if (sa__sha256_end(&h, key) == 0) {
		if ((kept = sa__cache_get(&docs, key, &out->held))) {
			out->doc = kept;
			return SA_OK;
		}
		if ((rc = sa__yaml_parse(&doc, text, len, file)) < 0)
			return rc;
		if (sa__cache_put(&docs, key, doc, tree_bytes(doc), &out->held) == 0) {
			out->doc = sa__cache_value(out->held);
			return SA_OK;
		}
	} else if ((rc = sa__yaml_parse(&doc, text, len, file)) < 0) {
		return rc;
	}
	out->doc = doc; /* not kept: this load's own */
	return SA_OK;
}

void sa__pack_doc_release(sa_pfile_doc *d)
{
	if (d->held)
		sa__cache_release(&docs, d->held);
	else
		sa__value_free((sa_value *)d->doc);
	d->doc = NULL;
	d->held = NULL;
}

void sa__pack_doc_cache_stats(sa_cache_stats *st)
{
	sa__cache_stats(&docs, st);
}

void sa__pack_doc_cache_clear(void)
{
	sa__cache_clear(&docs);
}
