/* services.c - service-type assistance (include/sa/services.h, docs/services.md): the
 * catalog (services.yaml along the pack chain), entitlement in the decision, plans, needs to
 * items, the order chain and provider ratings; and the decision's extras: rules.temporary and
 * rules.special run after the tier decision and their programs appended in C. */
#include "core/internal.h"
#include "pack/pack.h"
#include "core/household_internal.h"
#include "core/decision_internal.h"
#include "sa/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ the catalog */

typedef struct {
	const char *id, *name, *category, *unit, *type, *source;
	bool has_price;
	sa_fen price;
	int max_per_year;   /* 0 = no limit */
	int follow_up_days; /* -1 = the chain's */
	const sa_value *who;   /* condition, or NULL */
	const sa_value *needs; /* list of need domains, or NULL */
} item;

typedef struct {
	const char *id, *name;
	int share;              /* percent */
	const sa_value *categories; /* list of category ids */
} stage;

typedef struct {
	const char *id, *name;
} category;

typedef struct {
	const char *id, *zh;
	const sa_value *cond;
} group;

struct sa_catalog {
	char *pack;
	sa_value *doc; /* merged document; everything below points into it */
	item *items;
	size_t nitems;
	category *cats;
	size_t ncats;
	stage *stages;
	size_t nstages;
	group *groups;
	size_t ngroups;
	bool has_budget, carry_over;
	sa_fen budget;
	int chain_days[5];  /* [step]: days after the previous step; -1 none */
	int scale, green_min, yellow_min, min_ratings;
	const char *file;  /* for error positions: the leaf-most services.yaml */
};

void sa__catalog_free(struct sa_catalog *c)
{
	if (!c)
		return;
	sa__value_free(c->doc);
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

static const char *text(const sa_value *m, const char *k)
{
	const sa_value *v = m && m->type == SA_V_MAP ? sa__value_get(m, k) : NULL;
	return v && v->type == SA_V_STR ? v->str : NULL;
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

/* Merge child list `src` into `dst` by item id (replacing equal ids, appending new ones). */
static int merge_by_id(sa_value *dst, sa_value *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const char *id = text(src->items[i], "id");
		bool done = false;
		for (size_t j = 0; id && j < dst->n; j++) {
			const char *have = text(dst->items[j], "id");
			if (have && strcmp(have, id) == 0) {
				sa__value_free(dst->items[j]);
				dst->items[j] = src->items[i];
				src->items[i] = NULL;
				done = true;
				break;
			}
		}
		if (!done) {
			if (sa__value_push(dst, src->items[i]) < 0)
				return sa__error_oom();
			src->items[i] = NULL;
		}
	}
	return SA_OK;
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
		if (!ok)
			return bad(file, m->items[i], "services.yaml: unknown key '%s' in %s", m->keys[i], what);
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
		for (size_t i = 0; i < v->n; i++) {
			category *k = &c->cats[c->ncats++];
			if (!(k->id = text(v->items[i], "id")))
				return bad(f, v->items[i], "services.yaml: a category needs an id%s%s", NULL, NULL);
			k->name = text(v->items[i], "name");
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
				bool ok = false;
				for (size_t j = 0; j < c->ncats; j++)
					ok = ok || (cats->items[k]->str && strcmp(c->cats[j].id, cats->items[k]->str) == 0);
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
		for (size_t i = 0; i < v->n; i++) {
			const sa_value *m = v->items[i], *p;
			item *it = &c->items[c->nitems++];
			if ((rc = check_keys(f, m, item_keys, "an item")) < 0)
				return rc;
			if (!(it->id = text(m, "id")) || !(it->name = text(m, "name")))
				return bad(f, m, "services.yaml: an item needs an id and a name%s%s", NULL, NULL);
			for (size_t j = 0; j + 1 < c->nitems; j++)
				if (strcmp(c->items[j].id, it->id) == 0)
					return bad(f, m, "services.yaml: duplicate item id '%s'%s", it->id, NULL);
			it->category = text(m, "category");
			if (it->category && c->ncats) {
				bool ok = false;
				for (size_t j = 0; j < c->ncats; j++)
					ok = ok || strcmp(c->cats[j].id, it->category) == 0;
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
		struct stat st;
		sa_value *mine;
		const char *mode;
		snprintf(path, sizeof path, "%s/services.yaml", pol->chain[i]->dir);
		if (stat(path, &st) != 0)
			continue;
		if ((rc = sa__yaml_parse_file(&mine, path)) < 0) {
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
	if (!(c = calloc(1, sizeof *c)) || !(c->pack = strdup(leaf)) || !(c->file = strdup(leafpath))) {
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

int sa_catalog_budget(const sa_catalog *c, sa_fen *out)
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
	for (size_t i = 0; c && id && i < c->nitems; i++)
		if (strcmp(c->items[i].id, id) == 0)
			return (int)i;
	return -1;
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

int sa_catalog_item_price(const sa_catalog *c, size_t i, sa_fen *out)
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

int sa_catalog_to_json(char **out, const sa_catalog *c)
{
	sa_value *m;
	int rc;
	*out = NULL;
	if (!c)
		return sa__error(SA_EINVALID, "sa_catalog_to_json: NULL catalog");
	if (!(m = sa__value_copy(c->doc)) || sa__value_put(m, "pack", sa__value_str(c->pack)) < 0) {
		sa__value_free(m);
		return sa__error_oom();
	}
	rc = sa__value_to_json(out, m, true);
	sa__value_free(m);
	return rc;
}

/* ------------------------------------------------------------------ member facts and conditions */

typedef struct {
	const char *id;
	const char *tier; /* highest eligible program covering the member, or NULL */
	int age;
	int grade;        /* disability grade 1..4, 0 none */
	bool illness, student;
	const char *support_mode;
	int unable;       /* self-care activities not achieved, -1 not assessed */
} mfacts;

static bool has_tag(const mfacts *m, const char *t)
{
	if (strcmp(t, "disabled") == 0)
		return m->grade > 0;
	if (strcmp(t, "disability_mild") == 0)
		return m->grade >= 3;
	if (strcmp(t, "disability_severe") == 0)
		return m->grade == 1 || m->grade == 2;
	if (strcmp(t, "serious_illness") == 0)
		return m->illness;
	if (strcmp(t, "self_care_partial") == 0)
		return m->unable >= 1 && m->unable <= 3;
	if (strcmp(t, "self_care_full") == 0)
		return m->unable >= 4;
	if (strcmp(t, "self_care_limited") == 0)
		return m->unable >= 1;
	if (strcmp(t, "minor") == 0)
		return m->age < 18;
	if (strcmp(t, "elderly") == 0)
		return m->age >= 60;
	if (strcmp(t, "student") == 0)
		return m->student;
	return false;
}

static bool cond_holds(const sa_value *c, const mfacts *m)
{
	const sa_value *v;
	int64_t x;
	if (!c || c->type != SA_V_MAP)
		return true;
	if ((v = sa__value_get(c, "tiers")) && v->type == SA_V_LIST) {
		bool ok = false;
		for (size_t i = 0; i < v->n; i++)
			ok = ok || (m->tier && v->items[i]->str && strcmp(v->items[i]->str, m->tier) == 0);
		if (!ok)
			return false;
	}
	if ((v = sa__value_get(c, "age_min")) && sa__scalar_int(v, &x) == 0 && m->age < x)
		return false;
	if ((v = sa__value_get(c, "age_max")) && sa__scalar_int(v, &x) == 0 && m->age > x)
		return false;
	if ((v = sa__value_get(c, "support_mode")) && v->type == SA_V_STR &&
	    (!m->support_mode || strcmp(m->support_mode, v->str) != 0))
		return false;
	if ((v = sa__value_get(c, "all_of")) && v->type == SA_V_LIST)
		for (size_t i = 0; i < v->n; i++)
			if (!has_tag(m, v->items[i]->str))
				return false;
	if ((v = sa__value_get(c, "any_of")) && v->type == SA_V_LIST && v->n) {
		bool ok = false;
		for (size_t i = 0; i < v->n; i++)
			ok = ok || has_tag(m, v->items[i]->str);
		if (!ok)
			return false;
	}
	return true;
}

static const char *const tier_order[] = { "tekun", "dibao", "edge", "rigid", NULL };

/* The highest tier program (eligible) whose members include id. */
static const char *member_tier(const sa_decision *d, const char *id)
{
	for (size_t t = 0; tier_order[t]; t++)
		for (size_t i = 0; i < d->nprograms; i++) {
			const sa_program *p = &d->programs[i];
			if (p->status != SA_ELIGIBLE || strcmp(p->name, tier_order[t]) != 0)
				continue;
			for (size_t k = 0; k < p->nmembers; k++)
				if (strcmp(p->members[k], id) == 0)
					return tier_order[t];
		}
	return NULL;
}

static void member_facts(mfacts *f, const sa_value *m, const sa_decision *d, sa_date as_of)
{
	const sa_value *v, *sc;
	memset(f, 0, sizeof *f);
	f->id = sa__value_get(m, "id")->str;
	f->tier = member_tier(d, f->id);
	f->age = sa_date_age((sa_date)sa__value_get(m, "birth")->num, as_of);
	if ((v = sa__value_get(m, "disability")) && v->type == SA_V_MAP && sa__value_get(v, "grade"))
		f->grade = (int)sa__value_get(v, "grade")->num;
	f->illness = (v = sa__value_get(m, "serious_illness")) && v->num;
	if ((v = sa__value_get(m, "support_mode")) && v->type == SA_V_STR)
		f->support_mode = v->str;
	if ((v = sa__value_get(m, "education")) && v->type == SA_V_MAP) {
		const sa_value *lv = sa__value_get(v, "level");
		f->student = lv && lv->str && strcmp(lv->str, "none") != 0;
	}
	f->unable = -1;
	if ((sc = sa__value_get(m, "self_care")) && sc->type == SA_V_MAP) {
		f->unable = 0;
		for (size_t i = 0; i < sc->n; i++)
			if (sc->items[i]->type == SA_V_BOOL && !sc->items[i]->num)
				f->unable++;
	}
}

/* ------------------------------------------------------------------ entitlement */

static sa_value *vstr(const char *s)
{
	return sa__value_str(s ? s : "");
}

static sa_value *vint(int64_t n)
{
	sa_value *v = sa__value_new(SA_V_INT);
	if (v)
		v->num = n;
	return v;
}

static sa_value *vmoney(sa_fen f)
{
	char buf[32];
	sa_money_format(buf, sizeof buf, f);
	return sa__value_str(buf);
}

/* put with failure tracking: *ok becomes false on any OOM */
static void put(sa_value *m, const char *k, sa_value *v, bool *ok)
{
	if (!v || sa__value_put(m, k, v) < 0) {
		sa__value_free(v);
		*ok = false;
	}
}

static void push(sa_value *l, sa_value *v, bool *ok)
{
	if (!v || sa__value_push(l, v) < 0) {
		sa__value_free(v);
		*ok = false;
	}
}

static sa_fen stage_amount(const struct sa_catalog *c, size_t s)
{
	sa_fen out = 0;
	sa_money_muldiv(&out, c->budget, c->stages[s].share, 100, SA_ROUND_DOWN_FEN);
	return out;
}

static int services_section(sa_value **out, const struct sa_catalog *c, const sa_value *typed, const sa_decision *d,
                            sa_date as_of)
{
	const sa_value *members = sa__value_get(typed, "members");
	sa_value *sec = sa__value_new(SA_V_MAP), *list = sa__value_new(SA_V_LIST);
	bool ok = sec && list;
	*out = NULL;
	if (!ok) {
		sa__value_free(sec);
		sa__value_free(list);
		return sa__error_oom();
	}
	put(sec, "catalog", vstr(c->pack), &ok);
	put(sec, "budget", c->has_budget ? vmoney(c->budget) : sa__value_new(SA_V_NULL), &ok);
	for (size_t i = 0; ok && i < members->n; i++) {
		mfacts f;
		const group *g = NULL;
		sa_value *m, *items, *stages;
		member_facts(&f, members->items[i], d, as_of);
		if (!f.tier)
			continue;
		for (size_t k = 0; k < c->ngroups && !g; k++)
			if (cond_holds(c->groups[k].cond, &f))
				g = &c->groups[k];
		if (!g)
			continue;
		m = sa__value_new(SA_V_MAP);
		items = sa__value_new(SA_V_LIST);
		stages = sa__value_new(SA_V_LIST);
		if (!m || !items || !stages) {
			sa__value_free(m);
			sa__value_free(items);
			sa__value_free(stages);
			ok = false;
			break;
		}
		put(m, "member", vstr(f.id), &ok);
		put(m, "tier", vstr(f.tier), &ok);
		put(m, "group", vstr(g->id), &ok);
		put(m, "group_name", g->zh ? vstr(g->zh) : sa__value_new(SA_V_NULL), &ok);
		put(m, "budget", c->has_budget ? vmoney(c->budget) : sa__value_new(SA_V_NULL), &ok);
		for (size_t s = 0; c->has_budget && s < c->nstages; s++) {
			sa_value *st = sa__value_new(SA_V_MAP);
			if (!st) {
				ok = false;
				break;
			}
			put(st, "stage", vstr(c->stages[s].id), &ok);
			put(st, "share", vint(c->stages[s].share), &ok);
			put(st, "amount", vmoney(stage_amount(c, s)), &ok);
			push(stages, st, &ok);
		}
		for (size_t k = 0; k < c->nitems; k++)
			if (cond_holds(c->items[k].who, &f))
				push(items, vstr(c->items[k].id), &ok);
		put(m, "stages", stages, &ok);
		put(m, "items", items, &ok);
		push(list, m, &ok);
	}
	put(sec, "members", list, &ok);
	if (!ok) {
		sa__value_free(sec);
		return sa__error_oom();
	}
	*out = sec;
	return SA_OK;
}

static const sa_value *svc_member(const sa_decision *d, size_t k)
{
	const sa_value *l = d && d->services ? sa__value_get(d->services, "members") : NULL;
	return l && k < l->n ? l->items[k] : NULL;
}

size_t sa_decision_service_member_count(const sa_decision *d)
{
	const sa_value *l = d && d->services ? sa__value_get(d->services, "members") : NULL;
	return l ? l->n : 0;
}

const char *sa_decision_service_member(const sa_decision *d, size_t k)
{
	return text(svc_member(d, k), "member");
}

const char *sa_decision_service_group(const sa_decision *d, size_t k)
{
	return text(svc_member(d, k), "group");
}

int sa_decision_service_budget(const sa_decision *d, size_t k, sa_fen *out)
{
	const char *b = text(svc_member(d, k), "budget");
	if (!b)
		return SA_ENOTFOUND;
	return sa_money_parse(out, b);
}

size_t sa_decision_service_item_count(const sa_decision *d, size_t k)
{
	const sa_value *m = svc_member(d, k), *l = m ? sa__value_get(m, "items") : NULL;
	return l ? l->n : 0;
}

const char *sa_decision_service_item(const sa_decision *d, size_t k, size_t j)
{
	const sa_value *m = svc_member(d, k), *l = m ? sa__value_get(m, "items") : NULL;
	return l && j < l->n ? l->items[j]->str : NULL;
}

/* ------------------------------------------------------------------ plans */

typedef struct {
	char *code, *zh, *en, *item, *stage;
} violation;

struct sa_plan_report {
	char *member;
	bool accepted;
	sa_fen total;
	sa_fen *stage_totals;
	size_t nstages;
	char **stage_ids;
	violation *v;
	size_t n, cap;
	bool oom;
};

void sa_plan_report_free(sa_plan_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].code);
		free(r->v[i].zh);
		free(r->v[i].en);
		free(r->v[i].item);
		free(r->v[i].stage);
	}
	for (size_t i = 0; i < r->nstages; i++)
		free(r->stage_ids[i]);
	free(r->stage_ids);
	free(r->stage_totals);
	free(r->v);
	free(r->member);
	free(r);
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;
	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = true;
	return d;
}

static void violate(sa_plan_report *r, const char *code, const char *item, const char *stg, const char *zh,
                    const char *en)
{
	violation *x;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		violation *nv = realloc(r->v, cap * sizeof *nv);
		if (!nv) {
			r->oom = true;
			return;
		}
		r->v = nv;
		r->cap = cap;
	}
	x = &r->v[r->n++];
	x->code = dup_or_null(code, &r->oom);
	x->zh = dup_or_null(zh, &r->oom);
	x->en = dup_or_null(en, &r->oom);
	x->item = dup_or_null(item, &r->oom);
	x->stage = dup_or_null(stg, &r->oom);
}

static const sa_value *entitled_member(const sa_decision *d, const char *member)
{
	for (size_t k = 0; k < sa_decision_service_member_count(d); k++)
		if (member && strcmp(sa_decision_service_member(d, k), member) == 0)
			return svc_member(d, k);
	return NULL;
}

static bool member_may(const sa_value *em, const char *item_id)
{
	const sa_value *l = em ? sa__value_get(em, "items") : NULL;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->items[i]->str, item_id) == 0)
			return true;
	return false;
}

static bool stage_allows(const stage *s, const char *category)
{
	if (!s->categories)
		return true;
	for (size_t i = 0; i < s->categories->n; i++)
		if (category && strcmp(s->categories->items[i]->str, category) == 0)
			return true;
	return false;
}

static const char *cat_name(const struct sa_catalog *c, const char *id)
{
	for (size_t i = 0; id && i < c->ncats; i++)
		if (strcmp(c->cats[i].id, id) == 0)
			return c->cats[i].name ? c->cats[i].name : id;
	return id ? id : "?";
}

int sa_plan_check(sa_plan_report **out, sa_engine *e, const sa_decision *d, const char *text_, size_t len)
{
	const sa_catalog *c;
	sa_value *doc = NULL;
	const sa_value *stages, *em;
	const char *member;
	sa_plan_report *r;
	int *qty_year = NULL;
	sa_fen carried = 0;
	char zh[512], en[512], a[32], b[32];
	int rc;

	*out = NULL;
	if (!e || !d || !text_)
		return sa__error(SA_EINVALID, "sa_plan_check: NULL argument");
	if ((rc = sa_engine_catalog(&c, e)) < 0)
		return rc;
	if ((rc = sa__yaml_parse(&doc, text_, len, "plan")) < 0)
		return rc;
	if (doc->type != SA_V_MAP || !(member = text(doc, "member")) || !(stages = sa__value_get(doc, "stages")) ||
	    stages->type != SA_V_LIST) {
		rc = sa__error_at(SA_EINVALID, "plan", doc->line, doc->column,
		                  "a plan is a map with 'member' and a list 'stages' (docs/services.md)");
		sa__value_free(doc);
		return rc;
	}
	if (!(r = calloc(1, sizeof *r)) || !(r->member = strdup(member)) ||
	    !(qty_year = calloc(c->nitems ? c->nitems : 1, sizeof *qty_year)) ||
	    !(r->stage_totals = calloc(stages->n ? stages->n : 1, sizeof *r->stage_totals)) ||
	    !(r->stage_ids = calloc(stages->n ? stages->n : 1, sizeof *r->stage_ids))) {
		sa_plan_report_free(r);
		free(qty_year);
		sa__value_free(doc);
		return sa__error_oom();
	}
	r->nstages = stages->n;
	em = entitled_member(d, member);
	if (!em) {
		snprintf(zh, sizeof zh, "成员 %s 不属于服务类救助对象（不符合本目录任何对象组）", member);
		snprintf(en, sizeof en, "member %s is not entitled to services (no catalog group admits them)", member);
		violate(r, "plan.not_entitled", NULL, NULL, zh, en);
	}
	if (stages->n > c->nstages && c->nstages) {
		snprintf(zh, sizeof zh, "计划有 %zu 个阶段，目录只分 %zu 个阶段", stages->n, c->nstages);
		snprintf(en, sizeof en, "the plan has %zu stages; the catalog has %zu", stages->n, c->nstages);
		violate(r, "plan.unknown_stage", NULL, NULL, zh, en);
	}
	for (size_t s = 0; s < stages->n; s++) {
		const sa_value *st = stages->items[s], *items = sa__value_get(st, "items");
		const char *sid = text(st, "stage");
		const stage *cs = NULL;
		sa_fen sum = 0;
		if (sid) {
			for (size_t k = 0; k < c->nstages; k++)
				if (strcmp(c->stages[k].id, sid) == 0)
					cs = &c->stages[k];
			if (!cs) {
				snprintf(zh, sizeof zh, "目录没有阶段 %s", sid);
				snprintf(en, sizeof en, "the catalog has no stage %s", sid);
				violate(r, "plan.unknown_stage", NULL, sid, zh, en);
			}
		} else if (s < c->nstages) {
			cs = &c->stages[s];
		}
		sid = cs ? cs->id : sid;
		r->stage_ids[s] = dup_or_null(sid ? sid : "?", &r->oom);
		for (size_t i = 0; items && items->type == SA_V_LIST && i < items->n; i++) {
			const sa_value *pi = items->items[i], *qv = sa__value_get(pi, "quantity");
			const char *iid = text(pi, "item");
			int idx = sa_catalog_item_find(c, iid);
			int64_t q = 1;
			const item *it;
			if (qv && (sa__scalar_int(qv, &q) < 0 || q < 1 || q > 100000)) {
				snprintf(zh, sizeof zh, "%s 的数量必须是正整数", iid ? iid : "?");
				snprintf(en, sizeof en, "the quantity of %s must be a positive whole number", iid ? iid : "?");
				violate(r, "plan.bad_quantity", iid, sid, zh, en);
				continue;
			}
			if (idx < 0) {
				snprintf(zh, sizeof zh, "目录没有服务项目 %s", iid ? iid : "?");
				snprintf(en, sizeof en, "the catalog has no item %s", iid ? iid : "?");
				violate(r, "plan.unknown_item", iid, sid, zh, en);
				continue;
			}
			it = &c->items[idx];
			if (!it->has_price) {
				snprintf(zh, sizeof zh, "%s（%s）没有单价，无法计入预算", it->name, it->id);
				snprintf(en, sizeof en, "%s has no unit price in the catalog", it->id);
				violate(r, "plan.no_price", it->id, sid, zh, en);
			} else {
				sum += it->price * q;
			}
			if (em && !member_may(em, it->id)) {
				snprintf(zh, sizeof zh, "成员 %s 不符合 %s（%s）的点单条件", member, it->name, it->id);
				snprintf(en, sizeof en, "member %s may not order %s", member, it->id);
				violate(r, "plan.item_not_allowed", it->id, sid, zh, en);
			}
			if (cs && !stage_allows(cs, it->category)) {
				snprintf(zh, sizeof zh, "%s（%s，%s类）不属于阶段 %s 可选的类别", it->name, it->id, cat_name(c, it->category),
				         cs->id);
				snprintf(en, sizeof en, "%s (category %s) may not be chosen in stage %s", it->id,
				         it->category ? it->category : "?", cs->id);
				violate(r, "plan.category_not_in_stage", it->id, sid, zh, en);
			}
			qty_year[idx] += (int)q;
		}
		r->stage_totals[s] = sum;
		r->total += sum;
		if (cs && c->has_budget) {
			sa_fen cap = stage_amount(c, (size_t)(cs - c->stages)) + (c->carry_over ? carried : 0);
			if (sum > cap) {
				sa_money_format(a, sizeof a, sum);
				sa_money_format(b, sizeof b, cap);
				snprintf(zh, sizeof zh, "阶段 %s 合计 %s 元，超过该阶段额度 %s 元（%d%%）", cs->id, a, b, cs->share);
				snprintf(en, sizeof en, "stage %s costs %s yuan, above its share of %s yuan (%d%%)", cs->id, a, b,
				         cs->share);
				violate(r, "plan.stage_over_share", NULL, cs->id, zh, en);
			}
			carried = c->carry_over && cap > sum ? cap - sum : 0;
		}
	}
	for (size_t k = 0; k < c->nitems; k++)
		if (c->items[k].max_per_year && qty_year[k] > c->items[k].max_per_year) {
			snprintf(zh, sizeof zh, "%s（%s）全年共 %d %s，超过上限 %d", c->items[k].name, c->items[k].id, qty_year[k],
			         c->items[k].unit ? c->items[k].unit : "次", c->items[k].max_per_year);
			snprintf(en, sizeof en, "%s: %d in the year, above the limit of %d", c->items[k].id, qty_year[k],
			         c->items[k].max_per_year);
			violate(r, "plan.item_limit", c->items[k].id, NULL, zh, en);
		}
	if (c->has_budget && r->total > c->budget) {
		sa_money_format(a, sizeof a, r->total);
		sa_money_format(b, sizeof b, c->budget);
		snprintf(zh, sizeof zh, "计划合计 %s 元，超过每人每年预算 %s 元", a, b);
		snprintf(en, sizeof en, "the plan costs %s yuan, above the yearly budget of %s yuan", a, b);
		violate(r, "plan.over_budget", NULL, NULL, zh, en);
	}
	free(qty_year);
	sa__value_free(doc);
	if (r->oom) {
		sa_plan_report_free(r);
		return sa__error_oom();
	}
	r->accepted = r->n == 0;
	*out = r;
	return SA_OK;
}

int sa_plan_report_accepted(const sa_plan_report *r)
{
	return r && r->accepted;
}

sa_fen sa_plan_report_total(const sa_plan_report *r)
{
	return r ? r->total : 0;
}

size_t sa_plan_report_violation_count(const sa_plan_report *r)
{
	return r ? r->n : 0;
}

const char *sa_plan_report_violation(const sa_plan_report *r, size_t k, const char *f)
{
	if (!r || k >= r->n || !f)
		return NULL;
	if (strcmp(f, "code") == 0)
		return r->v[k].code;
	if (strcmp(f, "zh") == 0)
		return r->v[k].zh;
	if (strcmp(f, "en") == 0)
		return r->v[k].en;
	if (strcmp(f, "item") == 0)
		return r->v[k].item;
	if (strcmp(f, "stage") == 0)
		return r->v[k].stage;
	return NULL;
}

int sa_plan_report_to_json(char **out, const sa_plan_report *r, unsigned int flags)
{
	sa_value *m = sa__value_new(SA_V_MAP), *st = sa__value_new(SA_V_LIST), *vl = sa__value_new(SA_V_LIST);
	bool ok = m && st && vl;
	int rc;
	*out = NULL;
	if (!ok || !r) {
		sa__value_free(m);
		sa__value_free(st);
		sa__value_free(vl);
		return r ? sa__error_oom() : sa__error(SA_EINVALID, "sa_plan_report_to_json: NULL report");
	}
	put(m, "member", vstr(r->member), &ok);
	if ((m->n && ok)) {
		sa_value *b = sa__value_new(SA_V_BOOL);
		if (b)
			b->num = r->accepted;
		put(m, "accepted", b, &ok);
	}
	put(m, "total", vmoney(r->total), &ok);
	for (size_t s = 0; s < r->nstages; s++) {
		sa_value *x = sa__value_new(SA_V_MAP);
		if (!x) {
			ok = false;
			break;
		}
		put(x, "stage", vstr(r->stage_ids[s]), &ok);
		put(x, "total", vmoney(r->stage_totals[s]), &ok);
		push(st, x, &ok);
	}
	put(m, "stages", st, &ok);
	for (size_t k = 0; k < r->n; k++) {
		sa_value *x = sa__value_new(SA_V_MAP);
		if (!x) {
			ok = false;
			break;
		}
		put(x, "code", vstr(r->v[k].code), &ok);
		put(x, "zh", vstr(r->v[k].zh), &ok);
		put(x, "en", vstr(r->v[k].en), &ok);
		put(x, "item", r->v[k].item ? vstr(r->v[k].item) : sa__value_new(SA_V_NULL), &ok);
		put(x, "stage", r->v[k].stage ? vstr(r->v[k].stage) : sa__value_new(SA_V_NULL), &ok);
		push(vl, x, &ok);
	}
	put(m, "violations", vl, &ok);
	if (!ok) {
		sa__value_free(m);
		return sa__error_oom();
	}
	rc = sa__value_to_json(out, m, (flags & SA_JSON_PRETTY) != 0);
	sa__value_free(m);
	return rc;
}

/* ------------------------------------------------------------------ needs to items */

/* zh names of the needs domains (seed 003, Hunan needs list; 2024 pilot assessment). */
static const char *const need_alias[][2] = {
	{ "基本生活", "basic_living" }, { "康复", "rehabilitation" }, { "关怀", "concern" }, { "照护", "care" },
	{ "心理", "psychological" },    { "健康", "health" },         { "资助", "financial_aid" },
	{ "经济", "economic" },         { "教育", "education" },      { "住房", "housing" },
	{ "就业", "employment" },       { "监护", "guardianship" },   { "社会融入", "social_integration" },
	{ "意愿", "wishes" },
};

static const char *need_id(const char *n)
{
	for (size_t i = 0; i < sizeof need_alias / sizeof *need_alias; i++)
		if (strcmp(need_alias[i][0], n) == 0)
			return need_alias[i][1];
	return n;
}

static bool meets(const item *it, const char *need)
{
	for (size_t i = 0; it->needs && it->needs->type == SA_V_LIST && i < it->needs->n; i++)
		if (it->needs->items[i]->str && strcmp(need_id(it->needs->items[i]->str), need) == 0)
			return true;
	return false;
}

int sa_plan_propose(char **out, sa_engine *e, const sa_decision *d, const char *member, const char *const *needs,
                    size_t nneeds)
{
	const sa_catalog *c;
	const sa_value *em;
	sa_value *plan, *stages, *unmet;
	int *qty = NULL, *stage_qty = NULL;
	bool ok = true, *met = NULL;
	int rc;
	*out = NULL;
	if (!e || !d || !member || (nneeds && !needs))
		return sa__error(SA_EINVALID, "sa_plan_propose: NULL argument");
	if ((rc = sa_engine_catalog(&c, e)) < 0)
		return rc;
	if (!(em = entitled_member(d, member)))
		return sa__error(SA_ENOTFOUND, "member %s is not entitled to services", member);
	if (!c->has_budget || !c->nstages)
		return sa__error(SA_ENOTFOUND, "catalog %s has no budget or stages to plan within", c->pack);
	plan = sa__value_new(SA_V_MAP);
	stages = sa__value_new(SA_V_LIST);
	unmet = sa__value_new(SA_V_LIST);
	qty = calloc(c->nitems + 1, sizeof *qty);
	stage_qty = calloc(c->nitems + 1, sizeof *stage_qty);
	met = calloc(nneeds + 1, sizeof *met);
	if (!plan || !stages || !unmet || !qty || !stage_qty || !met) {
		ok = false;
		goto done;
	}
	put(plan, "member", vstr(member), &ok);
	/* Each stage: rounds over the needs in the order given; in a round each need adds one unit
	 * of the cheapest allowed item (in the stage's categories, that the member may order,
	 * within the item limit) that still fits the stage's remaining share. A need already met
	 * by an item is met again by the same item first (e.g. more sessions of 按摩理疗). */
	for (size_t s = 0; s < c->nstages; s++) {
		sa_fen left = stage_amount(c, s);
		sa_value *st = sa__value_new(SA_V_MAP), *items = sa__value_new(SA_V_LIST);
		bool added = true;
		memset(stage_qty, 0, (c->nitems + 1) * sizeof *stage_qty);
		if (!st || !items) {
			sa__value_free(st);
			sa__value_free(items);
			ok = false;
			break;
		}
		while (added) {
			added = false;
			for (size_t n = 0; n < nneeds; n++) {
				const char *need = need_id(needs[n]);
				int best = -1;
				for (size_t k = 0; k < c->nitems; k++) {
					const item *it = &c->items[k];
					if (!it->has_price || !meets(it, need) || !member_may(em, it->id) ||
					    !stage_allows(&c->stages[s], it->category) || it->price > left ||
					    (it->max_per_year && qty[k] >= it->max_per_year))
						continue;
					if (best < 0 || (stage_qty[k] && !stage_qty[best]) ||
					    ((stage_qty[k] > 0) == (stage_qty[best] > 0) && it->price < c->items[best].price))
						best = (int)k;
				}
				if (best >= 0) {
					qty[best]++;
					stage_qty[best]++;
					left -= c->items[best].price;
					met[n] = true;
					added = true;
				}
			}
		}
		put(st, "stage", vstr(c->stages[s].id), &ok);
		for (size_t k = 0; k < c->nitems; k++)
			if (stage_qty[k]) {
				sa_value *x = sa__value_new(SA_V_MAP);
				if (!x) {
					ok = false;
					break;
				}
				put(x, "item", vstr(c->items[k].id), &ok);
				put(x, "quantity", vint(stage_qty[k]), &ok);
				push(items, x, &ok);
			}
		put(st, "items", items, &ok);
		push(stages, st, &ok);
	}
	for (size_t n = 0; n < nneeds; n++)
		if (!met[n])
			push(unmet, vstr(needs[n]), &ok);
done:
	if (ok) {
		put(plan, "stages", stages, &ok);
		stages = NULL;
		put(plan, "unmet", unmet, &ok);
		unmet = NULL;
	}
	sa__value_free(stages);
	sa__value_free(unmet);
	free(qty);
	free(stage_qty);
	free(met);
	if (!ok) {
		sa__value_free(plan);
		return sa__error_oom();
	}
	rc = sa__value_to_json(out, plan, true);
	sa__value_free(plan);
	return rc;
}

/* ------------------------------------------------------------------ the order chain */

struct sa_order {
	const struct sa_catalog *c;
	int item;
	int state;
	sa_date dates[5];
};

static const char *const step_names[5] = { "apply", "order", "dispatch", "serve", "follow_up" };
static const char *const step_zh[5] = { "申请", "点单", "派单", "服务", "回访" };

const char *sa_order_step_name(sa_order_step s)
{
	return (unsigned)s < 5 ? step_names[s] : NULL;
}

const char *sa_order_step_zh(sa_order_step s)
{
	return (unsigned)s < 5 ? step_zh[s] : NULL;
}

/* days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
static int64_t days_of(sa_date d)
{
	int64_t y = d / 10000, m = d / 100 % 100, dd = d % 100, era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static sa_date civil_of(int64_t z)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	return (sa_date)((y + (m <= 2)) * 10000 + m * 100 + d);
}

sa_date sa__date_add_days(sa_date d, int n)
{
	return civil_of(days_of(d) + n);
}

int sa_order_new(sa_order **out, const sa_catalog *c, const char *item_id, sa_date applied)
{
	sa_order *o;
	int idx;
	*out = NULL;
	if (!c || !item_id)
		return sa__error(SA_EINVALID, "sa_order_new: NULL argument");
	if ((idx = sa_catalog_item_find(c, item_id)) < 0)
		return sa__error(SA_ENOTFOUND, "the catalog has no item %s", item_id);
	if (!sa_date_valid(applied))
		return sa__error(SA_EINVALID, "sa_order_new: %d is not a date", (int)applied);
	if (!(o = calloc(1, sizeof *o)))
		return sa__error_oom();
	o->c = c;
	o->item = idx;
	o->state = SA_ORDER_APPLY;
	o->dates[0] = applied;
	*out = o;
	return SA_OK;
}

void sa_order_free(sa_order *o)
{
	free(o);
}

int sa_order_advance(sa_order *o, sa_order_step step, sa_date date)
{
	if (!o)
		return sa__error(SA_EINVALID, "sa_order_advance: NULL order");
	if ((unsigned)step > 4 || (int)step != o->state + 1)
		return sa__error(SA_EINVALID, "order of %s: %s (%s) cannot follow %s (%s); the chain is 申请 → 点单 → 派单 → 服务 → 回访",
		                 o->c->items[o->item].id, (unsigned)step < 5 ? step_names[step] : "?",
		                 (unsigned)step < 5 ? step_zh[step] : "?", step_names[o->state], step_zh[o->state]);
	if (!sa_date_valid(date))
		return sa__error(SA_EINVALID, "sa_order_advance: %d is not a date", (int)date);
	if (date < o->dates[o->state])
		return sa__error(SA_EINVALID, "order of %s: %s on %d is before %s on %d", o->c->items[o->item].id,
		                 step_names[step], (int)date, step_names[o->state], (int)o->dates[o->state]);
	o->dates[step] = date;
	o->state = (int)step;
	return SA_OK;
}

sa_order_step sa_order_state(const sa_order *o)
{
	return o ? (sa_order_step)o->state : SA_ORDER_APPLY;
}

sa_date sa_order_date(const sa_order *o, sa_order_step s)
{
	return o && (unsigned)s < 5 && (int)s <= o->state ? o->dates[s] : 0;
}

sa_date sa_order_due(const sa_order *o, sa_order_step s)
{
	int days;
	if (!o || (unsigned)s > 4 || s == SA_ORDER_APPLY || (int)s - 1 > o->state)
		return 0;
	days = o->c->chain_days[s];
	if (s == SA_ORDER_FOLLOW_UP && o->c->items[o->item].follow_up_days >= 0)
		days = o->c->items[o->item].follow_up_days;
	return days < 0 ? 0 : sa__date_add_days(o->dates[s - 1], days);
}

int sa_order_overdue(const sa_order *o, sa_date today)
{
	sa_date due;
	if (!o || o->state >= SA_ORDER_FOLLOW_UP)
		return 0;
	due = sa_order_due(o, (sa_order_step)(o->state + 1));
	return due && today > due;
}

/* ------------------------------------------------------------------ provider ratings */

typedef struct {
	char *name;
	int64_t sum;
	size_t n;
	int minor, serious;
} provider;

struct sa_ratings {
	const struct sa_catalog *c;
	provider *p;
	size_t n, cap;
};

int sa_ratings_new(sa_ratings **out, const sa_catalog *c)
{
	*out = NULL;
	if (!c)
		return sa__error(SA_EINVALID, "sa_ratings_new: NULL catalog");
	if (!(*out = calloc(1, sizeof **out)))
		return sa__error_oom();
	(*out)->c = c;
	return SA_OK;
}

void sa_ratings_free(sa_ratings *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->p[i].name);
	free(r->p);
	free(r);
}

static provider *find_provider(const sa_ratings *r, const char *name, bool create)
{
	sa_ratings *w = (sa_ratings *)r;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->p[i].name, name) == 0)
			return &r->p[i];
	if (!create)
		return NULL;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		provider *np = realloc(w->p, cap * sizeof *np);
		if (!np)
			return NULL;
		w->p = np;
		w->cap = cap;
	}
	memset(&w->p[w->n], 0, sizeof *w->p);
	if (!(w->p[w->n].name = strdup(name)))
		return NULL;
	return &w->p[w->n++];
}

int sa_ratings_add(sa_ratings *r, const char *name, int score)
{
	provider *p;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_add: NULL argument");
	if (score < 1 || score > r->c->scale)
		return sa__error(SA_EINVALID, "score %d is outside 1..%d", score, r->c->scale);
	if (!(p = find_provider(r, name, true)))
		return sa__error_oom();
	p->sum += score;
	p->n++;
	return SA_OK;
}

int sa_ratings_flag(sa_ratings *r, const char *name, int serious)
{
	provider *p;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_flag: NULL argument");
	if (!(p = find_provider(r, name, true)))
		return sa__error_oom();
	if (serious)
		p->serious++;
	else
		p->minor++;
	return SA_OK;
}

int sa_ratings_status(const sa_ratings *r, const char *name, const char **light, int *avg_x100, size_t *count)
{
	const provider *p;
	int avg = 0;
	const char *l;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_status: NULL argument");
	if (!(p = find_provider(r, name, false)))
		return SA_ENOTFOUND;
	if (p->n)
		avg = (int)((p->sum * 100 + (int64_t)p->n / 2) / (int64_t)p->n);
	if (p->serious)
		l = "red";
	else if (p->n < (size_t)r->c->min_ratings)
		l = p->minor ? "yellow" : "unrated";
	else {
		/* share of the scale, in percent, compared exactly: sum/n/scale*100 >= min */
		int64_t pct_num = p->sum * 100, pct_den = (int64_t)p->n * r->c->scale;
		if (pct_num >= (int64_t)r->c->green_min * pct_den)
			l = "green";
		else if (pct_num >= (int64_t)r->c->yellow_min * pct_den)
			l = "yellow";
		else
			l = "red";
		if (p->minor && strcmp(l, "green") == 0)
			l = "yellow";
	}
	if (light)
		*light = l;
	if (avg_x100)
		*avg_x100 = avg;
	if (count)
		*count = p->n;
	return SA_OK;
}

/* ------------------------------------------------------------------ the decision's extras */

/* A program from a rule's document result (the shape of rules.evaluate's programs). */
static char *xdup(const char *s, bool *ok)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*ok = false;
	return d;
}

static int add_program(sa_decision *d, const sa_policy *pol, const sa_value *pv, sa_date as_of, unsigned flags,
                       const char *rule)
{
	sa_program *np, *p;
	const char *name = text(pv, "program"), *status = text(pv, "status");
	const sa_value *v;
	bool ok = true;
	if (!name || !status)
		return sa__error(SA_EPOLICY, "rules.%s: a program needs 'program' and 'status'", rule);
	if (!(np = realloc(d->programs, (d->nprograms + 1) * sizeof *np)))
		return sa__error_oom();
	d->programs = np;
	p = &d->programs[d->nprograms++];
	memset(p, 0, sizeof *p);
	p->name = xdup(name, &ok);
	p->status = strcmp(status, "eligible") == 0     ? SA_ELIGIBLE
	            : strcmp(status, "ineligible") == 0 ? SA_INELIGIBLE
	                                                : SA_UNDETERMINED;
	if ((v = sa__value_get(pv, "amount")) && v->type == SA_V_INT) {
		p->has_amount = true;
		p->amount = v->num;
	}
	if ((v = sa__value_get(pv, "parts")) && v->type == SA_V_MAP && v->n) {
		if (!(p->part_names = calloc(v->n, sizeof *p->part_names)) ||
		    !(p->part_amounts = calloc(v->n, sizeof *p->part_amounts)))
			ok = false;
		for (size_t i = 0; ok && i < v->n; i++)
			if (v->items[i]->type == SA_V_INT) {
				p->part_names[p->nparts] = xdup(v->keys[i], &ok);
				p->part_amounts[p->nparts++] = v->items[i]->num;
			}
	}
	if ((v = sa__value_get(pv, "members")) && v->type == SA_V_LIST && v->n) {
		if (!(p->members = calloc(v->n, sizeof *p->members)))
			ok = false;
		for (size_t i = 0; ok && i < v->n; i++)
			if (v->items[i]->type == SA_V_STR)
				p->members[p->nmembers++] = xdup(v->items[i]->str, &ok);
	}
	if ((v = sa__value_get(pv, "missing")) && v->type == SA_V_LIST && v->n) {
		if (!(p->missing = calloc(v->n, sizeof *p->missing)))
			ok = false;
		for (size_t i = 0; ok && i < v->n; i++)
			if (v->items[i]->type == SA_V_STR)
				p->missing[p->nmissing++] = xdup(v->items[i]->str, &ok);
	}
	if (!(flags & SA_EVAL_NO_REASONS) && (v = sa__value_get(pv, "reasons")) && v->type == SA_V_LIST && v->n) {
		if (!(p->reasons = calloc(v->n, sizeof *p->reasons)))
			ok = false;
		for (size_t i = 0; ok && i < v->n; i++) {
			const sa_value *rv = v->items[i], *ps = sa__value_get(rv, "params");
			sa_reason *r = &p->reasons[p->nreasons++];
			r->id = xdup(text(rv, "id"), &ok);
			if (!(flags & SA_EVAL_NO_TEXT)) {
				r->zh = xdup(text(rv, "zh"), &ok);
				r->en = xdup(text(rv, "en"), &ok);
			}
			r->ref = xdup(text(rv, "ref"), &ok);
			if (ok && ps && ps->type == SA_V_LIST && ps->n) {
				if (!(r->params = calloc(ps->n, sizeof *r->params))) {
					ok = false;
					break;
				}
				for (size_t k = 0; ok && k < ps->n; k++) {
					sa_rparam *rp;
					const sa_peff *pe;
					const sa_pentry *en;
					size_t layer = 0;
					char date[16];
					if (ps->items[k]->type != SA_V_STR)
						continue;
					rp = &r->params[r->nparams++];
					rp->name = xdup(ps->items[k]->str, &ok);
					if (!(pe = sa__policy_param(pol, ps->items[k]->str)) || !(en = sa__peff_at(pol, pe, as_of, &layer)))
						continue;
					sa_date_format(date, sizeof date, en->from);
					rp->value = xdup(en->text, &ok);
					rp->from = xdup(date, &ok);
					rp->pack = xdup(pol->chain[layer]->id, &ok);
					rp->ref = xdup(en->ref ? en->ref : "", &ok);
				}
			}
		}
	}
	/* the decision's missing facts: the union, first-seen order */
	for (size_t i = 0; ok && i < p->nmissing; i++) {
		bool seen = false;
		char **nm;
		for (size_t k = 0; k < d->nmissing && !seen; k++)
			seen = strcmp(d->missing[k], p->missing[i]) == 0;
		if (seen)
			continue;
		if (!(nm = realloc(d->missing, (d->nmissing + 1) * sizeof *nm))) {
			ok = false;
			break;
		}
		d->missing = nm;
		d->missing[d->nmissing++] = xdup(p->missing[i], &ok);
	}
	return ok ? SA_OK : sa__error_oom();
}

static int run_rule(sa_engine *e, const sa_household *hh, sa_date as_of, sa_decision *d, unsigned flags,
                    const char *rule, const sa_value *arg)
{
	sa_value *res = NULL;
	int rc;
	if (!sa__engine_has_rule(e, rule))
		return SA_OK;
	if ((rc = sa__engine_call(e, rule, hh, arg, as_of, &res)) < 0)
		return rc;
	if (res->type == SA_V_MAP && sa__value_get(res, "program"))
		rc = add_program(d, sa__engine_policy(e), res, as_of, flags, rule);
	else if (res->type == SA_V_LIST)
		for (size_t i = 0; i < res->n && rc == 0; i++)
			rc = add_program(d, sa__engine_policy(e), res->items[i], as_of, flags, rule);
	else if (!(res->type == SA_V_MAP && res->n == 0) && res->type != SA_V_NULL)
		rc = sa__error(SA_EPOLICY, "rules.%s must return a program or a list of programs", rule);
	sa__value_free(res);
	return rc;
}

int sa__decision_extras(sa_engine *e, const sa_household *hh, sa_date as_of, sa_decision *d, unsigned flags)
{
	const sa_value *members = sa__value_get(hh->typed, "members");
	const sa_catalog *c;
	sa_value *arg, *mt;
	bool ok;
	int rc;

	/* rules.special(h, {tier, members = {id = tier}}, ctx) */
	arg = sa__value_new(SA_V_MAP);
	mt = sa__value_new(SA_V_MAP);
	ok = arg && mt;
	if (ok) {
		put(arg, "tier", vstr(d->tier ? d->tier : "none"), &ok);
		for (size_t i = 0; ok && i < members->n; i++) {
			const char *id = sa__value_get(members->items[i], "id")->str;
			const char *t = member_tier(d, id);
			if (t)
				put(mt, id, vstr(t), &ok);
		}
		put(arg, "members", mt, &ok);
		mt = NULL;
	}
	if (!ok) {
		sa__value_free(arg);
		sa__value_free(mt);
		return sa__error_oom();
	}
	rc = run_rule(e, hh, as_of, d, flags, "special", arg);
	/* rules.temporary(h, same arg, ctx) only for a household that states a hardship */
	if (rc == 0 && sa__value_get(hh->typed, "hardship"))
		rc = run_rule(e, hh, as_of, d, flags, "temporary", arg);
	sa__value_free(arg);
	if (rc < 0)
		return rc;
	/* services: entitlement from the catalog, when the chain has one */
	rc = sa_engine_catalog(&c, e);
	if (rc == SA_ENOTFOUND) {
		sa_error_clear();
		return SA_OK;
	}
	if (rc < 0)
		return rc;
	return services_section(&d->services, c, hh->typed, d, as_of);
}
