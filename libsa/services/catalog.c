/* catalog.c - the service catalog: services.yaml merged along the pack chain, checked, and
 * read through include/sa/services.h (docs/services.md). */
#include "services/services_internal.h"
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct sa_catalog *sa__catalog_retain(const struct sa_catalog *c)
{
	if (c)
		atomic_fetch_add(&((struct sa_catalog *)c)->refs, 1);
	return c;
}

void sa__catalog_free(struct sa_catalog *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) > 1)
		return;
	sa__value_free(c->doc);
	sa__value_free(c->item_ids);
	sa__value_free(c->cat_ids);
	free(c->items);
	free(c->cats);
	free(c->stages);
	free(c->groups);
	free(c->pack);
	free((char *)c->file);
	free(c);
}

static int bad(const char *file, const sa_value *at, const char *fmt, const char *a, const char *b)
{
	char msg[400];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	return sa__error_at(SA_EPOLICY, file, at ? at->line : 0, at ? at->column : 0, "%s", msg);
}

static int int_of(const char *file, const sa_value *m, const char *k, int dflt, int *out)
{
	const sa_value *v = sa__value_get(m, k);
	int64_t x;
	*out = dflt;
	if (!v || v->type == SA_V_NULL)
		return SA_OK;
	if (v->type != SA_V_STR || sa__scalar_int(v, &x) < 0 || x < 0 || x > 100000)
		return bad(file, v, "services.yaml: '%s' must be a whole number%s", k, NULL);
	*out = (int)x;
	return SA_OK;
}

/* An id index: a map from id to position, hash-indexed (core/value.c), so that a catalog of
 * n entries is read in linear time (issue 12 #7). Returns the position of id, or -1 after
 * adding it at `pos`; SA_ENOMEM as -2. */
static int index_add(sa_value *ix, const char *id, size_t pos)
{
	const sa_value *have = sa__value_get(ix, id);
	sa_value *v;
	if (have)
		return (int)have->num;
	if (!(v = sa__value_new(SA_V_INT)))
		return -2;
	v->num = (int64_t)pos;
	if (sa__value_append(ix, id, v) < 0) /* takes v, even on failure */
		return -2;
	return -1;
}

static int index_has(const sa_value *ix, const char *id)
{
	return ix && id && sa__value_get(ix, id) != NULL;
}

/* Merge child list `src` into `dst` by item id (replacing equal ids, appending new ones). */
static int merge_by_id(sa_value *dst, sa_value *src)
{
	sa_value *ix = sa__value_new(SA_V_MAP);
	int rc = SA_OK;
	if (!ix)
		return sa__error_oom();
	for (size_t j = 0; j < dst->n; j++) {
		const char *have = text(dst->items[j], "id");
		if (have && index_add(ix, have, j) == -2)
			goto oom;
	}
	for (size_t i = 0; i < src->n; i++) {
		const char *id = text(src->items[i], "id");
		int at = id ? index_add(ix, id, dst->n) : -1;
		if (at == -2)
			goto oom;
		if (at >= 0) {
			sa__value_free(dst->items[at]);
			dst->items[at] = src->items[i];
			src->items[i] = NULL;
		} else {
			if (sa__value_push(dst, src->items[i]) < 0)
				goto oom;
			src->items[i] = NULL;
		}
	}
	sa__value_free(ix);
	return rc;
oom:
	sa__value_free(ix);
	return sa__error_oom();
}

static const char *const top_keys[] = { "mode", "title", "ref", "budget", "stages", "categories", "groups", "items",
	                                "chain", "rating", "note", NULL };
static const char *const item_keys[] = { "id", "name", "category", "unit", "price", "max_per_year", "for", "needs",
	                                 "type", "source", "note", "follow_up_days", NULL };
static const char *const cond_keys[] = { "tiers", "age_min", "age_max", "support_mode", "any_of", "all_of", NULL };
static const char *const tags[] = { "disabled", "disability_mild", "disability_severe", "serious_illness",
	                            "self_care_partial", "self_care_full", "self_care_limited", "minor", "elderly",
	                            "student", NULL };

static int check_keys(const char *file, const sa_value *m, const char *const *keys, const char *what)
{
	if (!m || m->type != SA_V_MAP)
		return bad(file, m, "services.yaml: %s must be a map%s", what, NULL);
	for (size_t i = 0; i < m->n; i++) {
		bool ok = false;
		for (size_t k = 0; keys[k]; k++)
			ok = ok || strcmp(keys[k], m->keys[i]) == 0;
		if (!ok) {
			const char *near = sa__nearest(m->keys[i], keys);
			char where[160];
			snprintf(where, sizeof where, "%s%s%s%s", what, near ? " (did you mean '" : "", near ? near : "",
			         near ? "'?)" : "");
			return bad(file, m->items[i], "services.yaml: unknown key '%s' in %s", m->keys[i], where);
		}
	}
	return SA_OK;
}

static int check_tag_list(const char *file, const sa_value *l)
{
	if (!l)
		return SA_OK;
	if (l->type != SA_V_LIST)
		return bad(file, l, "services.yaml: any_of / all_of is a list of tags%s%s", NULL, NULL);
	for (size_t i = 0; i < l->n; i++) {
		bool ok = false;
		for (size_t k = 0; tags[k]; k++)
			ok = ok || (l->items[i]->type == SA_V_STR && strcmp(tags[k], l->items[i]->str) == 0);
		if (!ok)
			return bad(file, l->items[i], "services.yaml: unknown tag '%s'%s", l->items[i]->str, NULL);
	}
	return SA_OK;
}

static int check_cond(const char *file, const sa_value *c)
{
	int rc, x;
	if (!c)
		return SA_OK;
	if ((rc = check_keys(file, c, cond_keys, "a condition")) < 0 || (rc = int_of(file, c, "age_min", 0, &x)) < 0 ||
	    (rc = int_of(file, c, "age_max", 0, &x)) < 0 || (rc = check_tag_list(file, sa__value_get(c, "any_of"))) < 0 ||
	    (rc = check_tag_list(file, sa__value_get(c, "all_of"))) < 0)
		return rc;
	return SA_OK;
}

static int parse_percent(const char *file, const sa_value *v, int *out)
{
	char buf[32];
	int64_t x;
	size_t n;
	sa_value tmp;
	if (!v || v->type != SA_V_STR || (n = strlen(v->str)) == 0 || n >= sizeof buf)
		return bad(file, v, "services.yaml: a stage needs a share such as 40%%%s%s", NULL, NULL);
	memcpy(buf, v->str, n + 1);
	if (buf[n - 1] == '%')
		buf[n - 1] = 0;
	tmp = *v;
	tmp.str = buf;
	if (sa__scalar_int(&tmp, &x) < 0 || x < 0 || x > 100)
		return bad(file, v, "services.yaml: share '%s' is not a percentage 0..100%s", v->str, NULL);
	*out = (int)x;
	return SA_OK;
}

static int money_of(const char *file, const sa_value *v, sa_fen *out)
{
	if (v->type != SA_V_STR || sa_money_parse(out, v->str) < 0 || *out < 0)
		return bad(file, v, "services.yaml: '%s' is not an amount in yuan%s", v->str ? v->str : "?", NULL);
	return SA_OK;
}

static int build(struct sa_catalog *c)
{
	const char *f = c->file;
	sa_value *d = c->doc, *v;
	int rc, x;
	static const char *const steps[5] = { NULL, "order_within_days", "dispatch_within_days", "serve_within_days",
		                              "follow_up_within_days" };
	if ((rc = check_keys(f, d, top_keys, "the catalog")) < 0)
		return rc;
	if ((v = sa__value_get(d, "budget")) && v->type != SA_V_NULL) {
		const sa_value *a = v->type == SA_V_MAP ? sa__value_get(v, "amount") : v;
		if (v->type == SA_V_MAP) {
			const char *co = text(v, "carry_over");
			c->carry_over = co && strcmp(co, "true") == 0;
		}
		if (a && a->type != SA_V_NULL) {
			if ((rc = money_of(f, a, &c->budget)) < 0)
				return rc;
			c->has_budget = true;
		}
	}
	if ((v = sa__value_get(d, "categories"))) {
		if (v->type != SA_V_LIST || !(c->cats = calloc(v->n ? v->n : 1, sizeof *c->cats)))
			return v->type != SA_V_LIST ? bad(f, v, "services.yaml: categories is a list%s%s", NULL, NULL) : sa__error_oom();
		if (!(c->cat_ids = sa__value_new(SA_V_MAP)))
			return sa__error_oom();
		for (size_t i = 0; i < v->n; i++) {
			category *k = &c->cats[c->ncats++];
			if (!(k->id = text(v->items[i], "id")))
				return bad(f, v->items[i], "services.yaml: a category needs an id%s%s", NULL, NULL);
			k->name = text(v->items[i], "name");
			if (index_add(c->cat_ids, k->id, i) == -2)
				return sa__error_oom();
		}
	}
	if ((v = sa__value_get(d, "stages"))) {
		int sum = 0;
		if (v->type != SA_V_LIST || !(c->stages = calloc(v->n ? v->n : 1, sizeof *c->stages)))
			return v->type != SA_V_LIST ? bad(f, v, "services.yaml: stages is a list%s%s", NULL, NULL) : sa__error_oom();
		for (size_t i = 0; i < v->n; i++) {
			stage *s = &c->stages[c->nstages++];
			const sa_value *cats;
			if (!(s->id = text(v->items[i], "id")))
				return bad(f, v->items[i], "services.yaml: a stage needs an id%s%s", NULL, NULL);
			s->name = text(v->items[i], "name");
			if ((rc = parse_percent(f, sa__value_get(v->items[i], "share"), &s->share)) < 0)
				return rc;
			sum += s->share;
			cats = sa__value_get(v->items[i], "categories");
			if (cats && cats->type != SA_V_LIST)
				return bad(f, cats, "services.yaml: a stage's categories is a list%s%s", NULL, NULL);
			for (size_t k = 0; cats && k < cats->n; k++) {
				bool ok = index_has(c->cat_ids, cats->items[k]->str);
				if (!ok)
					return bad(f, cats->items[k], "services.yaml: stage %s names an unknown category '%s'", s->id,
					           cats->items[k]->str);
			}
			s->categories = cats;
		}
		if (c->nstages && sum != 100)
			return bad(f, v, "services.yaml: stage shares must add up to 100%%%s%s", NULL, NULL);
	}
	if ((v = sa__value_get(d, "groups"))) {
		if (v->type != SA_V_LIST || !(c->groups = calloc(v->n ? v->n : 1, sizeof *c->groups)))
			return v->type != SA_V_LIST ? bad(f, v, "services.yaml: groups is a list%s%s", NULL, NULL) : sa__error_oom();
		for (size_t i = 0; i < v->n; i++) {
			group *g = &c->groups[c->ngroups++];
			if (!(g->id = text(v->items[i], "id")))
				return bad(f, v->items[i], "services.yaml: a group needs an id%s%s", NULL, NULL);
			g->zh = text(v->items[i], "name");
			g->cond = sa__value_get(v->items[i], "who");
			if ((rc = check_cond(f, g->cond)) < 0)
				return rc;
		}
	}
	if ((v = sa__value_get(d, "items"))) {
		if (v->type != SA_V_LIST || !(c->items = calloc(v->n ? v->n : 1, sizeof *c->items)))
			return v->type != SA_V_LIST ? bad(f, v, "services.yaml: items is a list%s%s", NULL, NULL) : sa__error_oom();
		if (!(c->item_ids = sa__value_new(SA_V_MAP)))
			return sa__error_oom();
		for (size_t i = 0; i < v->n; i++) {
			const sa_value *m = v->items[i], *p;
			item *it = &c->items[c->nitems++];
			int at;
			if ((rc = check_keys(f, m, item_keys, "an item")) < 0)
				return rc;
			if (!(it->id = text(m, "id")) || !(it->name = text(m, "name")))
				return bad(f, m, "services.yaml: an item needs an id and a name%s%s", NULL, NULL);
			if ((at = index_add(c->item_ids, it->id, i)) == -2)
				return sa__error_oom();
			if (at >= 0)
				return bad(f, m, "services.yaml: duplicate item id '%s'%s", it->id, NULL);
			it->category = text(m, "category");
			if (it->category && c->ncats) {
				bool ok = index_has(c->cat_ids, it->category);
				if (!ok)
					return bad(f, sa__value_get(m, "category"), "services.yaml: item %s: unknown category '%s'", it->id,
					           it->category);
			}
			it->unit = text(m, "unit");
			it->type = text(m, "type");
			it->source = text(m, "source");
			if ((p = sa__value_get(m, "price")) && p->type != SA_V_NULL) {
				if ((rc = money_of(f, p, &it->price)) < 0)
					return rc;
				it->has_price = true;
			}
			if ((rc = int_of(f, m, "max_per_year", 0, &it->max_per_year)) < 0 ||
			    (rc = int_of(f, m, "follow_up_days", -1, &it->follow_up_days)) < 0)
				return rc;
			it->who = sa__value_get(m, "for");
			if ((rc = check_cond(f, it->who)) < 0)
				return rc;
			it->needs = sa__value_get(m, "needs");
		}
	}
	c->chain_days[0] = -1;
	v = sa__value_get(d, "chain");
	for (int k = 1; k < 5; k++) {
		if ((rc = int_of(f, v && v->type == SA_V_MAP ? v : NULL, steps[k], -1, &x)) < 0)
			return rc;
		c->chain_days[k] = x;
	}
	v = sa__value_get(d, "rating");
	if (v && v->type == SA_V_MAP) {
		if ((rc = int_of(f, v, "scale", 5, &c->scale)) < 0 || (rc = int_of(f, v, "green_min", 90, &c->green_min)) < 0 ||
		    (rc = int_of(f, v, "yellow_min", 75, &c->yellow_min)) < 0 ||
		    (rc = int_of(f, v, "min_ratings", 1, &c->min_ratings)) < 0)
			return rc;
	} else {
		c->scale = 5, c->green_min = 90, c->yellow_min = 75, c->min_ratings = 1;
	}
	if (c->scale < 1)
		return bad(f, v, "services.yaml: rating.scale must be at least 1%s%s", NULL, NULL);
	return SA_OK;
}

/* int_of with a NULL map: no value */
int sa__catalog_load(struct sa_catalog **out, const sa_policy *pol)
{
	struct sa_catalog *c;
	sa_value *doc = NULL;
	const char *leaf = NULL;
	char path[4096], leafpath[4096] = "";
	int rc;
	*out = NULL;
	for (size_t i = 0; i < pol->n; i++) {
		sa_value *mine;
		const char *mode, *bytes;
		size_t len;
		/* the bytes the pack loader read (once, safely) and hashed: never the file again */
		if (!(bytes = sa__pack_services_text(pol->chain[i], &len)))
			continue;
		snprintf(path, sizeof path, "%s/services.yaml", pol->chain[i]->dir);
		if ((rc = sa__yaml_parse(&mine, bytes, len, path)) < 0) {
			sa__value_free(doc);
			return rc == SA_ENOMEM ? rc : sa__error(SA_EPOLICY, "%s", sa_error_last()->message);
		}
		if (mine->type != SA_V_MAP) {
			sa__value_free(doc);
			sa__value_free(mine);
			return bad(path, NULL, "services.yaml holds one map%s%s", NULL, NULL);
		}
		mode = text(mine, "mode");
		if (mode && strcmp(mode, "extend") != 0 && strcmp(mode, "replace") != 0) {
			rc = bad(path, sa__value_get(mine, "mode"), "services.yaml: mode is replace or extend, not '%s'%s", mode, NULL);
			sa__value_free(doc);
			sa__value_free(mine);
			return rc;
		}
		if (!doc || !mode || strcmp(mode, "replace") == 0) {
			sa__value_free(doc);
			doc = mine;
		} else { /* extend: lists merged by id, other sections replaced when present */
			for (size_t k = 0; k < mine->n; k++) {
				sa_value *have = sa__value_get(doc, mine->keys[k]);
				bool list = strcmp(mine->keys[k], "items") == 0 || strcmp(mine->keys[k], "categories") == 0 ||
				            strcmp(mine->keys[k], "groups") == 0;
				if (list && have && have->type == SA_V_LIST && mine->items[k]->type == SA_V_LIST) {
					if ((rc = merge_by_id(have, mine->items[k])) < 0) {
						sa__value_free(doc);
						sa__value_free(mine);
						return rc;
					}
				} else {
					if (sa__value_put(doc, mine->keys[k], mine->items[k]) < 0) {
						sa__value_free(doc);
						sa__value_free(mine);
						return sa__error_oom();
					}
					mine->items[k] = NULL;
				}
			}
			/* the taken items are NULL now; free what is left */
			for (size_t k = 0; k < mine->n; k++)
				if (mine->items[k] && mine->items[k]->type == SA_V_LIST) {
					sa_value *l = mine->items[k];
					for (size_t j = 0; j < l->n; j++)
						if (!l->items[j])
							l->items[j] = sa__value_new(SA_V_NULL);
				}
			for (size_t k = 0; k < mine->n; k++)
				if (!mine->items[k])
					mine->items[k] = sa__value_new(SA_V_NULL);
			sa__value_free(mine);
		}
		leaf = pol->chain[i]->id;
		snprintf(leafpath, sizeof leafpath, "%s", path);
	}
	if (!doc)
		return sa__error(SA_ENOTFOUND, "no pack of %s's chain has a services.yaml", pol->chain[pol->n - 1]->id);
	if ((c = calloc(1, sizeof *c)))
		atomic_init(&c->refs, 1);
	if (!c || !(c->pack = strdup(leaf)) || !(c->file = strdup(leafpath))) {
		if (c)
			free(c->pack);
		free(c);
		sa__value_free(doc);
		return sa__error_oom();
	}
	c->doc = doc;
	if ((rc = build(c)) < 0) {
		sa__catalog_free(c);
		return rc;
	}
	*out = c;
	return SA_OK;
}

const char *sa_catalog_pack(const sa_catalog *c)
{
	return c ? c->pack : NULL;
}

int sa_catalog_budget(sa_fen *out, const sa_catalog *c)
{
	if (!c || !c->has_budget)
		return SA_ENOTFOUND;
	*out = c->budget;
	return SA_OK;
}

size_t sa_catalog_item_count(const sa_catalog *c)
{
	return c ? c->nitems : 0;
}

int sa_catalog_item_find(const sa_catalog *c, const char *id)
{
	const sa_value *at = c && id && c->item_ids ? sa__value_get(c->item_ids, id) : NULL;
	return at ? (int)at->num : -1;
}

const char *sa_catalog_item_field(const sa_catalog *c, size_t i, const char *f)
{
	const item *it;
	if (!c || i >= c->nitems || !f)
		return NULL;
	it = &c->items[i];
	if (strcmp(f, "id") == 0)
		return it->id;
	if (strcmp(f, "name") == 0)
		return it->name;
	if (strcmp(f, "category") == 0)
		return it->category;
	if (strcmp(f, "unit") == 0)
		return it->unit;
	if (strcmp(f, "type") == 0)
		return it->type;
	if (strcmp(f, "source") == 0)
		return it->source;
	return NULL;
}

int sa_catalog_item_price(sa_fen *out, const sa_catalog *c, size_t i)
{
	if (!c || i >= c->nitems || !c->items[i].has_price)
		return SA_ENOTFOUND;
	*out = c->items[i].price;
	return SA_OK;
}

size_t sa_catalog_stage_count(const sa_catalog *c)
{
	return c ? c->nstages : 0;
}

const char *sa_catalog_stage_id(const sa_catalog *c, size_t i)
{
	return c && i < c->nstages ? c->stages[i].id : NULL;
}

int sa_catalog_stage_share(const sa_catalog *c, size_t i)
{
	return c && i < c->nstages ? c->stages[i].share : 0;
}

/* JSON types for the catalog as written in YAML (every scalar text): counts become numbers,
 * flags booleans; money (amount, price) stays an exact decimal string with its integer fen
 * beside it (<key>_fen); a share "40%" gains share_percent. */
static int json_types(sa_value *v)
{
	if (v->type == SA_V_LIST) {
		for (size_t i = 0; i < v->n; i++)
			if (json_types(v->items[i]) < 0)
				return -1;
		return 0;
	}
	if (v->type != SA_V_MAP)
		return 0;
	for (size_t i = 0, n = v->n; i < n; i++) {
		sa_value *x = v->items[i];
		const char *k = v->keys[i];
		if (x->type == SA_V_MAP || x->type == SA_V_LIST) {
			if (json_types(x) < 0)
				return -1;
		} else if (x->type == SA_V_STR && x->str) {
			sa_fen fen;
			char key[128], money[40];
			if ((strcmp(k, "amount") == 0 || strcmp(k, "price") == 0) && sa_money_parse(&fen, x->str) == 0) {
				sa_value *f = sa__value_new(SA_V_INT);
				sa_money_format(money, sizeof money, fen);
				free(x->str);
				if (!(x->str = strdup(money)) || !f)
					return -1;
				f->num = fen;
				snprintf(key, sizeof key, "%s_fen", k);
				if (sa__value_put(v, key, f) < 0)
					return -1;
			} else if (strcmp(k, "share") == 0 && x->str[0] && x->str[strlen(x->str) - 1] == '%' &&
			           strspn(x->str, "0123456789") == strlen(x->str) - 1) {
				sa_value *f = sa__value_new(SA_V_INT);
				if (!f)
					return -1;
				f->num = atoi(x->str);
				if (sa__value_put(v, "share_percent", f) < 0)
					return -1;
			} else if (!x->quoted && (strcmp(x->str, "true") == 0 || strcmp(x->str, "false") == 0)) {
				x->type = SA_V_BOOL;
				x->num = x->str[0] == 't';
			} else if (!x->quoted && x->str[strspn(x->str, "0123456789")] == 0 && x->str[0] &&
			           strlen(x->str) < 16) {
				x->type = SA_V_INT;
				x->num = atoll(x->str);
			}
		}
	}
	return 0;
}

int sa_catalog_to_json(char **out, const sa_catalog *c)
{
	sa_value *m;
	int rc;
	*out = NULL;
	if (!c)
		return sa__error(SA_EINVALID, "sa_catalog_to_json: NULL catalog");
	if (!(m = sa__value_copy(c->doc)) || sa__value_put(m, "pack", sa__value_str(c->pack)) < 0 || json_types(m) < 0) {
		sa__value_free(m);
		return sa__error_oom();
	}
	rc = sa__value_to_json(out, m, true);
	sa__value_free(m);
	return rc;
}

static void catalog_free(void *c)
{
	sa__catalog_free(c);
}

/* The engine keeps the catalog of its loaded chain (sa__engine_slot) and drops it when the
 * chain changes. */
int sa_engine_catalog(const sa_catalog **out, sa_engine *e)
{
	struct sa_catalog *c;
	int rc;
	*out = NULL;
	if (!e || !sa__engine_policy(e))
		return sa__error(SA_EINVALID, "sa_engine_catalog: no pack loaded (sa_engine_load)");
	if ((c = sa__engine_slot(e))) {
		*out = c;
		return SA_OK;
	}
	if ((rc = sa__catalog_load(&c, sa__engine_policy(e))) < 0)
		return rc;
	sa__engine_slot_set(e, c, catalog_free);
	*out = c;
	return SA_OK;
}
