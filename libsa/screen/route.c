/* route.c - routing a mixed registry (docs/screening.md "A province in one run"): each
 * household goes to the most specific pack on the pack path whose region covers its code.
 * The national baseline (000000) states no local standards and is never a destination: a
 * household that only it covers is reported, not decided. */
#include "screen/route.h"
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sa__router {
	struct route_entry {
		char *id, *region;
		size_t prefix; /* significant digits of region */
	} *v;
	size_t n, cap;
};

void sa__router_free(sa__router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].region);
	}
	free(r->v);
	free(r);
}

static int by_prefix(const void *a, const void *b)
{
	const struct route_entry *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix > y->prefix ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* One pack directory: its pack.yaml's id and region (a pack found earlier on the path wins). */
static int add_pack(sa__router *r, const char *dir, const char *name)
{
	char path[4200];
	sa_value *doc = NULL;
	const sa_value *id, *region;
	int rc;
	snprintf(path, sizeof path, "%s/%s/pack.yaml", dir, name);
	if ((rc = sa__yaml_parse_file(&doc, path)) < 0)
		return rc == SA_ENOTFOUND ? SA_OK : rc;
	id = sa__value_get(doc, "id");
	region = sa__value_get(doc, "region");
	if (id && id->type == SA_V_STR && region && region->type == SA_V_STR && sa__region_prefix_len(region->str) > 0) {
		bool dup = false;
		for (size_t i = 0; i < r->n && !dup; i++)
			dup = strcmp(r->v[i].id, id->str) == 0;
		if (!dup) {
			if (r->n == r->cap) {
				size_t cap = r->cap ? r->cap * 2 : 32;
				struct route_entry *nv = realloc(r->v, cap * sizeof *nv);
				if (!nv)
					goto oom;
				r->v = nv;
				r->cap = cap;
			}
			r->v[r->n].id = strdup(id->str);
			r->v[r->n].region = strdup(region->str);
			r->v[r->n].prefix = sa__region_prefix_len(region->str);
			if (!r->v[r->n].id || !r->v[r->n].region) {
				free(r->v[r->n].id);
				free(r->v[r->n].region);
				goto oom;
			}
			r->n++;
		}
	}
	sa__value_free(doc);
	return SA_OK;
oom:
	sa__value_free(doc);
	return sa__error_oom();
}

int sa__router_new(sa__router **out, const char *pack_path)
{
	sa__router *r = calloc(1, sizeof *r);
	char **ids = NULL, **dirs = NULL;
	size_t n = 0;
	int rc;
	*out = NULL;
	if (!r)
		return sa__error_oom();
	/* the packs on the path (pack/files.c), each id from the first directory that has it */
	rc = sa__pack_ids(&ids, &dirs, &n, pack_path);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_pack(r, dirs[i], ids[i]);
	sa__pack_ids_free(ids, dirs, n);
	if (rc < 0) {
		sa__router_free(r);
		return rc;
	}
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, by_prefix);
	*out = r;
	return SA_OK;
}

const char *sa__router_pick(const sa__router *r, const char *region)
{
	for (size_t i = 0; r && region && i < r->n; i++)
		if (strncmp(r->v[i].region, region, r->v[i].prefix) == 0)
			return r->v[i].id;
	return NULL;
}
