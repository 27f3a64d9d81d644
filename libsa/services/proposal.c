/* proposal.c - needs to items: a proposed plan for one member from the needs assessed. */
#include "services/services_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
