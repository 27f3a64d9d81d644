/* value.c - the document tree that YAML/JSON input is read into.
 *
 * Maps with more than a few keys get a hash index, so reading a map of n keys (with its
 * duplicate check) is O(n), not O(n^2): a hostile document of 200,000 keys is read in time
 * linear in its size. Small maps (the usual case) are searched linearly. */
#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

sa_value *sa__value_new(sa_vtype type)
{
	sa_value *v = calloc(1, sizeof *v);
	if (v)
		v->type = type;
	return v;
}

sa_value *sa__value_str(const char *s)
{
	sa_value *v = sa__value_new(SA_V_STR);
	if (v && !(v->str = strdup(s))) {
		free(v);
		return NULL;
	}
	return v;
}

void sa__value_free(sa_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		sa__value_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->index);
	free(v->str);
	free(v);
}

static int grow(sa_value *c)
{
	size_t cap = c->cap ? c->cap * 2 : 4;
	sa_value **items = realloc(c->items, cap * sizeof *items);
	if (!items)
		return -1;
	c->items = items;
	if (c->type == SA_V_MAP) {
		char **keys = realloc(c->keys, cap * sizeof *keys);
		if (!keys)
			return -1;
		c->keys = keys;
	}
	c->cap = cap;
	return 0;
}

/* A NULL item is a constructor that failed (sa__value_str(...) given straight to push or put):
 * an out-of-memory error, never a NULL entry. */
int sa__value_push(sa_value *list, sa_value *item)
{
	if (!item)
		return sa__error_oom();
	return sa__value_push_slot(list, item);
}

int sa__value_push_slot(sa_value *list, sa_value *item)
{
	if (list->n == list->cap && grow(list) < 0) {
		sa__value_free(item);
		return sa__error_oom();
	}
	list->items[list->n++] = item;
	return SA_OK;
}

#define SA_INDEX_FROM 8 /* keys before a map gets an index */

static uint32_t key_hash(const char *k)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

/* slot of key in the index: the one holding it, or the empty one where it would go */
static size_t slot_of(const sa_value *map, const char *key)
{
	size_t mask = map->icap - 1, i = key_hash(key) & mask;
	while (map->index[i] && strcmp(map->keys[map->index[i] - 1], key) != 0)
		i = (i + 1) & mask;
	return i;
}

/* (Re)build the index for n keys at a load of at most 1/2. */
static int build_index(sa_value *map)
{
	size_t cap = 16;
	uint32_t *idx;
	while (cap < 2 * map->n + 2)
		cap *= 2;
	if (map->n >= UINT32_MAX || !(idx = calloc(cap, sizeof *idx)))
		return -1;
	free(map->index);
	map->index = idx;
	map->icap = cap;
	for (size_t i = 0; i < map->n; i++)
		map->index[slot_of(map, map->keys[i])] = (uint32_t)(i + 1);
	return 0;
}

static sa_value **find(const sa_value *map, const char *key)
{
	if (map->index) {
		size_t i = slot_of(map, key);
		return map->index[i] ? &map->items[map->index[i] - 1] : NULL;
	}
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return &map->items[i];
	return NULL;
}

int sa__value_append(sa_value *map, const char *key, sa_value *v)
{
	if (!v)
		return sa__error_oom();
	return sa__value_append_slot(map, key, v);
}

int sa__value_append_slot(sa_value *map, const char *key, sa_value *v)
{
	char *k;
	if ((map->n == map->cap && grow(map) < 0) || !(k = strdup(key))) {
		sa__value_free(v);
		return sa__error_oom();
	}
	map->keys[map->n] = k;
	map->items[map->n++] = v;
	if (map->n >= SA_INDEX_FROM && (2 * map->n + 2 > map->icap ? build_index(map) < 0 : 0)) {
		map->n--; /* keep the map consistent: the new entry is dropped */
		free(k);
		sa__value_free(v);
		return sa__error_oom();
	}
	if (map->index && map->icap >= 2 * map->n + 2)
		map->index[slot_of(map, k)] = (uint32_t)map->n;
	return SA_OK;
}

int sa__value_put(sa_value *map, const char *key, sa_value *v)
{
	sa_value **at;
	if (!v)
		return sa__error_oom();
	at = find(map, key);
	if (at) {
		sa__value_free(*at);
		*at = v;
		return SA_OK;
	}
	return sa__value_append(map, key, v);
}

int sa__value_reindex(sa_value *map)
{
	if (map->index && build_index(map) < 0) { /* no memory for a new index: search linearly */
		free(map->index);
		map->index = NULL;
		map->icap = 0;
	}
	return SA_OK;
}

sa_value *sa__value_get(const sa_value *map, const char *key)
{
	sa_value **at;
	if (!map || map->type != SA_V_MAP)
		return NULL;
	at = find(map, key);
	return at ? *at : NULL;
}

sa_value *sa__value_copy(const sa_value *v)
{
	sa_value *c = sa__value_new(v->type);
	if (!c)
		return NULL;
	c->quoted = v->quoted;
	c->line = v->line;
	c->column = v->column;
	c->num = v->num;
	if (v->str && !(c->str = strdup(v->str)))
		goto fail;
	for (size_t i = 0; i < v->n; i++) {
		sa_value *item = sa__value_copy(v->items[i]);
		if (!item)
			goto fail;
		if ((v->type == SA_V_MAP ? sa__value_put(c, v->keys[i], item) : sa__value_push(c, item)) < 0)
			goto fail;
	}
	return c;
fail:
	sa__value_free(c);
	return NULL;
}

const char *sa__vtype_name(sa_vtype t)
{
	static const char *const names[] = { "null", "text", "boolean", "integer", "money", "date", "list", "map" };
	return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

int sa__scalar_bool(const sa_value *v, bool *out)
{
	if (v->type == SA_V_BOOL) {
		*out = v->num != 0;
		return SA_OK;
	}
	if (v->type == SA_V_STR && !v->quoted) {
		if (strcmp(v->str, "true") == 0) {
			*out = true;
			return SA_OK;
		}
		if (strcmp(v->str, "false") == 0) {
			*out = false;
			return SA_OK;
		}
	}
	return SA_EINVALID;
}

int sa__scalar_int(const sa_value *v, int64_t *out)
{
	const char *p;
	int64_t x = 0;
	int neg = 0;
	if (v->type == SA_V_INT) {
		*out = v->num;
		return SA_OK;
	}
	if (v->type != SA_V_STR || !v->str[0])
		return SA_EINVALID;
	p = v->str;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!*p)
		return SA_EINVALID;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || x > (INT64_MAX - 9) / 10)
			return SA_EINVALID;
		x = x * 10 + (*p - '0');
	}
	*out = neg ? -x : x;
	return SA_OK;
}
