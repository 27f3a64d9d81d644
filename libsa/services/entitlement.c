/* entitlement.c - which service items each member of a decided household may have (the
 * decision's "services" section) and the getters over it. */
#include "services/services_internal.h"
#include "services/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void member_facts(mfacts *f, const sa_value *m, const sa_decision *d, sa_date as_of)
{
	const sa_value *v, *sc;
	memset(f, 0, sizeof *f);
	f->id = sa__value_get(m, "id")->str;
	f->tier = sa__decision_member_tier(d, f->id);
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

int sa__services_section(sa_value **out, const struct sa_catalog *c, const sa_value *typed, const sa_decision *d,
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
int sa__services_entitle(sa_engine *e, const sa_household *hh, sa_decision *d)
{
	const sa_catalog *c;
	int rc = sa_engine_catalog(&c, e);
	if (rc == SA_ENOTFOUND) {
		sa_error_clear(); /* no catalog in the chain: no section */
		return SA_OK;
	}
	if (rc < 0)
		return rc;
	return sa__services_section(&d->services, c, hh->typed, d, d->as_of);
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

int sa_decision_service_budget(sa_fen *out, const sa_decision *d, size_t k)
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
