/* lint_services.c - every problem of a pack's services.yaml (docs/services.md), with file,
 * line and column (issue 12 #10): unknown keys at every level with "did you mean", the type
 * of every value, money as yuan with at most two decimals, and references (categories, tiers,
 * tags, needs, sources) checked against what the chain defines. The loader
 * (services/catalog.c) stops at the first problem; this reports them all. A catalog this
 * passes is also accepted by the loader. */
#include "inspect/lint_util.h"
#include "core/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const sa_lint_sink *sink;
	const char *file;
	strset cats, items, groups; /* ids the merged catalog holds */
	int oom;
} sctx;

static void bad(sctx *c, const sa_value *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An error at `at` (its line and column) in the file being checked. */
static void bad(sctx *c, const sa_value *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->sink->emit(c->sink->ctx, SA_LINT_ERROR, "services", c->file, at ? at->line : 0, at ? at->column : 0, msg);
}

static const char *const top_keys[] = { "mode", "title", "ref", "budget", "stages", "categories", "groups", "items",
	                                "chain", "rating", "note", NULL };
static const char *const budget_keys[] = { "amount", "carry_over", "note", NULL };
static const char *const category_keys[] = { "id", "name", "note", NULL };
static const char *const stage_keys[] = { "id", "name", "share", "categories", "note", NULL };
static const char *const group_keys[] = { "id", "name", "who", "note", NULL };
static const char *const item_keys[] = { "id", "name", "category", "unit", "price", "max_per_year", "for", "needs",
	                                 "type", "source", "note", "follow_up_days", NULL };
static const char *const cond_keys[] = { "tiers", "age_min", "age_max", "support_mode", "any_of", "all_of", NULL };
static const char *const chain_keys[] = { "order_within_days", "dispatch_within_days", "serve_within_days",
	                                  "follow_up_within_days", NULL };
static const char *const rating_keys[] = { "scale", "green_min", "yellow_min", "min_ratings", NULL };
static const char *const modes[] = { "replace", "extend", NULL };
static const char *const tiers[] = { "tekun", "dibao", "edge", "rigid", NULL };
static const char *const support_modes[] = { "home", "institutional", NULL };
static const char *const sources[] = { "seed", "national", "invented", NULL };
static const char *const tags[] = { "disabled", "disability_mild", "disability_severe", "serious_illness",
	                            "self_care_partial", "self_care_full", "self_care_limited", "minor", "elderly",
	                            "student", NULL };
static const char *const needs[] = { "基本生活", "basic_living", "康复", "rehabilitation", "关怀", "concern", "照护",
	                             "care", "心理", "psychological", "健康", "health", "资助", "financial_aid", "经济",
	                             "economic", "教育", "education", "住房", "housing", "就业", "employment", "监护",
	                             "guardianship", "社会融入", "social_integration", "意愿", "wishes", NULL };

static size_t count(const char *const *l)
{
	size_t n = 0;
	while (l[n])
		n++;
	return n;
}

/* "a, b, c" of a list, for messages */
static void join(char *out, size_t size, const char *const *l)
{
	size_t k = 0;
	out[0] = 0;
	for (size_t i = 0; l[i] && k < size; i++)
		k += (size_t)snprintf(out + k, size - k, "%s%s", i ? ", " : "", l[i]);
}

static const char *str_of(const sa_value *v)
{
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* Unknown keys of map m (allowed: keys), each with "did you mean" when one is near. */
static void check_keys(sctx *c, const sa_value *m, const char *const *keys, const char *where)
{
	for (size_t i = 0; i < m->n; i++) {
		const char *near;
		if (sa__lint_in_list(m->keys[i], keys))
			continue;
		near = sa__lint_nearest(m->keys[i], (char *const *)keys, count(keys));
		if (near)
			bad(c, m->items[i], "unknown key '%s' in %s; did you mean '%s'?", m->keys[i], where,
			        near);
		else {
			char all[400];
			join(all, sizeof all, keys);
			bad(c, m->items[i], "unknown key '%s' in %s (%s)", m->keys[i], where, all);
		}
	}
}

/* v must be a map (key check included); returns 0 when it is not. */
static int want_map(sctx *c, const sa_value *v, const char *const *keys, const char *where)
{
	if (!v || v->type != SA_V_MAP) {
		bad(c, v, "%s must be a map", where);
		return 0;
	}
	check_keys(c, v, keys, where);
	return 1;
}

static int want_list(sctx *c, const sa_value *v, const char *where)
{
	if (v->type != SA_V_LIST) {
		bad(c, v, "%s must be a list", where);
		return 0;
	}
	return 1;
}

static void want_text(sctx *c, const sa_value *m, const char *k, const char *where)
{
	const sa_value *v = sa__value_get(m, k);
	if (v && v->type != SA_V_STR && v->type != SA_V_NULL)
		bad(c, v, "%s: '%s' must be text", where, k);
}

/* A name from a fixed list, with "did you mean". */
static void want_one_of(sctx *c, const sa_value *v, const char *const *l, const char *what, const char *where)
{
	const char *s = str_of(v), *near;
	char all[600];
	if (s && sa__lint_in_list(s, l))
		return;
	join(all, sizeof all, l);
	near = s ? sa__lint_nearest(s, (char *const *)l, count(l)) : NULL;
	if (near)
		bad(c, v, "%s: '%s' is not a %s; did you mean '%s'?", where, s ? s : "?", what, near);
	else
		bad(c, v, "%s: '%s' is not a %s (%s)", where, s ? s : "?", what, all);
}

/* A list of names from a fixed list. */
static void want_names(sctx *c, const sa_value *v, const char *const *l, const char *what, const char *where)
{
	if (!v || !want_list(c, v, where))
		return;
	for (size_t i = 0; i < v->n; i++)
		want_one_of(c, v->items[i], l, what, where);
}

/* A whole number lo..hi; returns it (or lo - 1 when it is not one). */
static int64_t want_int(sctx *c, const sa_value *m, const char *k, int64_t lo, int64_t hi, const char *where)
{
	const sa_value *v = sa__value_get(m, k);
	int64_t x;
	if (!v || v->type == SA_V_NULL)
		return lo - 1;
	if (v->type != SA_V_STR || sa__scalar_int(v, &x) < 0 || x < lo || x > hi) {
		bad(c, v, "%s: '%s' must be a whole number from %lld to %lld", where, k, (long long)lo,
		        (long long)hi);
		return lo - 1;
	}
	return x;
}

/* Money: yuan with at most two decimals (exact decimal text, never a float), 0..10^7 yuan. */
static void want_money(sctx *c, const sa_value *v, const char *where)
{
	sa_fen fen;
	if (!v || v->type == SA_V_NULL)
		return;
	if (v->type != SA_V_STR || sa_money_parse(&fen, v->str) < 0 || fen < 0)
		bad(c, v, "%s: '%s' is not an amount in yuan (digits, at most two decimals)", where,
		        str_of(v) ? v->str : "?");
	else if (fen > SA_PARAM_FEN_MAX)
		bad(c, v, "%s: '%s' is above the limit of 10000000.00 yuan", where, v->str);
}

static void want_ref(sctx *c, const sa_value *v, const strset *ids, const char *what, const char *where)
{
	const char *s = str_of(v), *near;
	if (!s) {
		bad(c, v, "%s: a %s id must be text", where, what);
		return;
	}
	if (sa__lint_set_has(ids, s))
		return;
	near = sa__lint_nearest(s, ids->v, ids->n);
	if (near)
		bad(c, v, "%s: unknown %s '%s'; did you mean '%s'?", where, what, s, near);
	else
		bad(c, v, "%s: unknown %s '%s'", where, what, s);
}

static void check_cond(sctx *c, const sa_value *v, const char *where)
{
	int64_t lo, hi;
	if (!v || v->type == SA_V_NULL || !want_map(c, v, cond_keys, where))
		return;
	want_names(c, sa__value_get(v, "tiers"), tiers, "tier", where);
	lo = want_int(c, v, "age_min", 0, 150, where);
	hi = want_int(c, v, "age_max", 0, 150, where);
	if (lo >= 0 && hi >= 0 && lo > hi)
		bad(c, sa__value_get(v, "age_max"), "%s: age_max %lld is below age_min %lld", where,
		        (long long)hi, (long long)lo);
	if (sa__value_get(v, "support_mode"))
		want_one_of(c, sa__value_get(v, "support_mode"), support_modes, "support mode", where);
	want_names(c, sa__value_get(v, "any_of"), tags, "tag", where);
	want_names(c, sa__value_get(v, "all_of"), tags, "tag", where);
}

/* An id of an entry in list section `what`: text, unique within the file; added to ids. */
static const char *entry_id(sctx *c, const sa_value *m, strset *seen, strset *ids, const char *what)
{
	const sa_value *v = sa__value_get(m, "id");
	const char *id = str_of(v);
	if (!id || !*id) {
		bad(c, v ? v : m, "%s: an entry needs an id (text)", what);
		return NULL;
	}
	if (sa__lint_set_has(seen, id))
		bad(c, v, "%s: duplicate id '%s'", what, id);
	else if (sa__lint_set_add(seen, id, NULL) < 0 || (!sa__lint_set_has(ids, id) && sa__lint_set_add(ids, id, NULL) < 0))
		c->oom = 1;
	return id;
}

/* Collect the ids a catalog document adds (for a child that extends it). */
static void collect(sctx *c, const sa_value *doc)
{
	static const char *const sections[] = { "categories", "items", "groups" };
	strset *sets[] = { &c->cats, &c->items, &c->groups };
	const char *mode = str_of(sa__value_get(doc, "mode"));
	if (!mode || strcmp(mode, "extend") != 0)
		for (int s = 0; s < 3; s++) {
			sa__lint_set_free(sets[s]);
			memset(sets[s], 0, sizeof *sets[s]);
		}
	for (int s = 0; s < 3; s++) {
		const sa_value *l = sa__value_get(doc, sections[s]);
		for (size_t i = 0; l && l->type == SA_V_LIST && i < l->n; i++) {
			const char *id = l->items[i]->type == SA_V_MAP ? str_of(sa__value_get(l->items[i], "id")) : NULL;
			if (id && !sa__lint_set_has(sets[s], id) && sa__lint_set_add(sets[s], id, NULL) < 0)
				c->oom = 1;
		}
	}
}

static void check_doc(sctx *c, const sa_value *d)
{
	const sa_value *v, *l;
	strset seen = { 0 };
	if (d->type != SA_V_MAP) {
		bad(c, d, "services.yaml must be one map (%s)", "title, budget, stages, items, ...");
		return;
	}
	check_keys(c, d, top_keys, "services.yaml");
	if ((v = sa__value_get(d, "mode")))
		want_one_of(c, v, modes, "mode", "mode");
	want_text(c, d, "title", "services.yaml");
	want_text(c, d, "ref", "services.yaml");
	want_text(c, d, "note", "services.yaml");
	if ((v = sa__value_get(d, "budget")) && v->type != SA_V_NULL) {
		if (v->type == SA_V_MAP) {
			const sa_value *co = sa__value_get(v, "carry_over");
			check_keys(c, v, budget_keys, "budget");
			want_money(c, sa__value_get(v, "amount"), "budget.amount");
			if (co && (!str_of(co) || co->quoted || (strcmp(co->str, "true") != 0 && strcmp(co->str, "false") != 0)))
				bad(c, co, "budget.carry_over must be true or false, not '%s'",
				        str_of(co) ? co->str : "?");
		} else
			want_money(c, v, "budget");
	}
	/* categories first: stages and items name them */
	if ((l = sa__value_get(d, "categories")) && want_list(c, l, "categories"))
		for (size_t i = 0; i < l->n; i++)
			if (want_map(c, l->items[i], category_keys, "a category")) {
				entry_id(c, l->items[i], &seen, &c->cats, "categories");
				want_text(c, l->items[i], "name", "a category");
			}
	sa__lint_set_free(&seen);
	memset(&seen, 0, sizeof seen);
	if ((l = sa__value_get(d, "stages")) && want_list(c, l, "stages")) {
		int64_t sum = 0;
		int all = 1;
		for (size_t i = 0; i < l->n; i++) {
			const sa_value *s = l->items[i], *share, *cats;
			const char *id;
			if (!want_map(c, s, stage_keys, "a stage")) {
				all = 0;
				continue;
			}
			id = entry_id(c, s, &seen, &seen, "stages");
			want_text(c, s, "name", "a stage");
			share = sa__value_get(s, "share");
			{
				char buf[32];
				const char *t = str_of(share);
				size_t n = t ? strlen(t) : 0;
				int64_t x;
				sa_value tmp = { 0 };
				if (t && n > 0 && n < sizeof buf) {
					memcpy(buf, t, n + 1);
					if (buf[n - 1] == '%')
						buf[n - 1] = 0;
					tmp = *share;
					tmp.str = buf;
				}
				if (!t || n == 0 || n >= sizeof buf || sa__scalar_int(&tmp, &x) < 0 || x < 0 || x > 100) {
					bad(c, share ? share : s, "stage %s: share must be a percentage 0..100 such as 40%%, not '%s'",
					        id ? id : "?", t ? t : "");
					all = 0;
				} else
					sum += x;
			}
			if ((cats = sa__value_get(s, "categories")) && want_list(c, cats, "a stage's categories"))
				for (size_t k = 0; k < cats->n; k++)
					want_ref(c, cats->items[k], &c->cats, "category", "stage categories");
		}
		if (all && l->n && sum != 100)
			bad(c, l, "stage shares add up to %lld%%, not 100%%", (long long)sum);
	}
	sa__lint_set_free(&seen);
	memset(&seen, 0, sizeof seen);
	if ((l = sa__value_get(d, "groups")) && want_list(c, l, "groups"))
		for (size_t i = 0; i < l->n; i++)
			if (want_map(c, l->items[i], group_keys, "a group")) {
				entry_id(c, l->items[i], &seen, &c->groups, "groups");
				want_text(c, l->items[i], "name", "a group");
				check_cond(c, sa__value_get(l->items[i], "who"), "who");
			}
	sa__lint_set_free(&seen);
	memset(&seen, 0, sizeof seen);
	if ((l = sa__value_get(d, "items")) && want_list(c, l, "items"))
		for (size_t i = 0; i < l->n; i++) {
			const sa_value *m = l->items[i], *x;
			if (!want_map(c, m, item_keys, "an item"))
				continue;
			entry_id(c, m, &seen, &c->items, "items");
			if (!str_of(sa__value_get(m, "name")))
				bad(c, sa__value_get(m, "name") ? sa__value_get(m, "name") : m,
				        "items: an item needs a name (text)%s", "");
			if ((x = sa__value_get(m, "category")) && c->cats.n)
				want_ref(c, x, &c->cats, "category", "item category");
			want_text(c, m, "unit", "an item");
			want_text(c, m, "type", "an item");
			want_text(c, m, "note", "an item");
			if ((x = sa__value_get(m, "source")))
				want_one_of(c, x, sources, "source", "item source");
			want_money(c, sa__value_get(m, "price"), "item price");
			want_int(c, m, "max_per_year", 0, SA_ORDER_MAX_QUANTITY, "an item");
			want_int(c, m, "follow_up_days", 0, 3660, "an item");
			check_cond(c, sa__value_get(m, "for"), "for");
			if ((x = sa__value_get(m, "needs")))
				want_names(c, x, needs, "need domain", "item needs");
		}
	sa__lint_set_free(&seen);
	if ((v = sa__value_get(d, "chain")) && v->type != SA_V_NULL && want_map(c, v, chain_keys, "chain"))
		for (int k = 0; chain_keys[k]; k++)
			want_int(c, v, chain_keys[k], 0, 3660, "chain");
	if ((v = sa__value_get(d, "rating")) && v->type != SA_V_NULL && want_map(c, v, rating_keys, "rating")) {
		int64_t green, yellow;
		want_int(c, v, "scale", 1, 100, "rating");
		green = want_int(c, v, "green_min", 0, 100, "rating");
		yellow = want_int(c, v, "yellow_min", 0, 100, "rating");
		want_int(c, v, "min_ratings", 0, 100000, "rating");
		if (green >= 0 && yellow >= 0 && yellow > green)
			bad(c, sa__value_get(v, "yellow_min"),
			        "rating: yellow_min %lld is above green_min %lld", (long long)yellow, (long long)green);
	}
}

int sa__lint_services(const sa_lint_sink *sink, const sa_value *const *docs, const char *const *files, size_t n)
{
	sctx c;
	memset(&c, 0, sizeof c);
	c.sink = sink;
	for (size_t i = 0; i + 1 < n; i++) /* the ancestors: what a child that extends them sees */
		if (docs[i] && docs[i]->type == SA_V_MAP)
			collect(&c, docs[i]);
	if (n && docs[n - 1]) {
		const char *mode = str_of(sa__value_get(docs[n - 1], "mode"));
		if (!mode || strcmp(mode, "extend") != 0) {
			strset *sets[] = { &c.cats, &c.items, &c.groups };
			for (int s = 0; s < 3; s++) {
				sa__lint_set_free(sets[s]);
				memset(sets[s], 0, sizeof *sets[s]);
			}
		}
		c.file = files[n - 1];
		check_doc(&c, docs[n - 1]);
	}
	sa__lint_set_free(&c.cats);
	sa__lint_set_free(&c.items);
	sa__lint_set_free(&c.groups);
	return c.oom ? SA_ENOMEM : SA_OK;
}
