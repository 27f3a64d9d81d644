/* services_internal.h - what the service-assistance modules (libsa/services/) share: the
 * catalog's parsed form and small helpers for building and reading document trees. */
#ifndef SA_SERVICES_INTERNAL_H
#define SA_SERVICES_INTERNAL_H

#include <stdatomic.h>

#include "core/internal.h"
#include "engine/engine.h"
#include "core/household_internal.h"
#include "core/decision_internal.h"
#include "sa/services.h"

#include <string.h>

/* ------------------------------------------------------------------ the catalog (catalog.c) */

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
	atomic_int refs;   /* the engine's cache, and every order or ratings made from it */
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
	sa_value *item_ids, *cat_ids; /* id -> position (hash-indexed maps): every lookup O(1) */
	bool has_budget, carry_over;
	sa_fen budget;
	int chain_days[5];  /* [step]: days after the previous step; -1 none */
	int scale, green_min, yellow_min, min_ratings;
	const char *file;  /* for error positions: the leaf-most services.yaml */
};

static inline const char *text(const sa_value *m, const char *k)
{
	const sa_value *v = m && m->type == SA_V_MAP ? sa__value_get(m, k) : NULL;
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* ------------------------------------------------------------------ ratings (rating.c) */


const char *sa__rating_light(int scale, int green_min, int yellow_min, int min_ratings, int64_t sum, size_t n,
                             size_t minor, size_t serious);

void sa__catalog_free(struct sa_catalog *c); /* drops one reference */
/* Objects that outlive a reload (orders, ratings) keep their catalog alive: issue 12 #4. */
const struct sa_catalog *sa__catalog_retain(const struct sa_catalog *c);
/* The catalog of a chain: the nearest services.yaml, merged with its parents' (mode: extend). */
int sa__catalog_load(struct sa_catalog **out, const sa_policy *pol);

/* ------------------------------------------------------------------ entitlement (entitlement.c) */

/* The "services" section of a decision: each member's group, budget and items. */
int sa__services_section(sa_value **out, const struct sa_catalog *c, const sa_value *typed, const sa_decision *d,
                         sa_date as_of);

static inline sa_value *vstr(const char *s)
{
	return sa__value_str(s ? s : "");
}

static inline sa_value *vint(int64_t n)
{
	sa_value *v = sa__value_new(SA_V_INT);
	if (v)
		v->num = n;
	return v;
}

static inline sa_value *vmoney(sa_fen f)
{
	char buf[32];
	sa_money_format(buf, sizeof buf, f);
	return sa__value_str(buf);
}

/* put with failure tracking: *ok becomes false on any OOM (put and push take v, also when
 * they fail) */
static inline void put(sa_value *m, const char *k, sa_value *v, bool *ok)
{
	if (!v || sa__value_put(m, k, v) < 0)
		*ok = false;
}

static inline void push(sa_value *l, sa_value *v, bool *ok)
{
	if (!v || sa__value_push(l, v) < 0)
		*ok = false;
}

static inline sa_fen stage_amount(const struct sa_catalog *c, size_t s)
{
	sa_fen out = 0;
	sa_money_muldiv(&out, c->budget, c->stages[s].share, 100, SA_ROUND_DOWN_FEN);
	return out;
}

static inline const sa_value *svc_member(const sa_decision *d, size_t k)
{
	const sa_value *l = d && d->services ? sa__value_get(d->services, "members") : NULL;
	return l && k < l->n ? l->items[k] : NULL;
}

/* ------------------------------------------------------------------ an entitled member (plan.c, proposal.c) */

static inline const sa_value *entitled_member(const sa_decision *d, const char *member)
{
	for (size_t k = 0; k < sa_decision_service_member_count(d); k++)
		if (member && strcmp(sa_decision_service_member(d, k), member) == 0)
			return svc_member(d, k);
	return NULL;
}

static inline bool member_may(const sa_value *em, const char *item_id)
{
	const sa_value *l = em ? sa__value_get(em, "items") : NULL;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->items[i]->str, item_id) == 0)
			return true;
	return false;
}

static inline bool stage_allows(const stage *s, const char *category)
{
	if (!s->categories)
		return true;
	for (size_t i = 0; i < s->categories->n; i++)
		if (category && strcmp(s->categories->items[i]->str, category) == 0)
			return true;
	return false;
}

#endif
