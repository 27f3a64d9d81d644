/* plan.c - checking a service plan against the catalog and a member's entitlement. */
#include "services/services_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
