/* extras.c - cash programs decided after the tier decision: rules.special (专项救助) and
 * rules.temporary (临时救助) run with the tiers found, their programs appended in C
 * (docs/services.md "Special", "Temporary"). */
#include "engine/engine.h"
#include "engine/extras.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the decision's extras */

/* text of m[k] when it is a string */
static const char *text(const sa_value *m, const char *k)
{
	const sa_value *v = m && m->type == SA_V_MAP ? sa__value_get(m, k) : NULL;
	return v && v->type == SA_V_STR ? v->str : NULL;
}

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
	if ((v = sa__value_get(pv, "period")) && v->type == SA_V_STR) {
		if (strcmp(v->str, "once") != 0 && strcmp(v->str, "month") != 0)
			return sa__error(SA_EPOLICY, "rules.%s: period must be \"month\" or \"once\"", rule);
		if (strcmp(v->str, "once") == 0)
			p->period = xdup(v->str, &ok);
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

/* put a string, with failure tracking: *ok becomes false on any OOM */
static void put_str(sa_value *m, const char *k, const char *s, bool *ok)
{
	sa_value *v = sa__value_str(s ? s : "");
	if (!v || sa__value_put(m, k, v) < 0) {
		sa__value_free(v);
		*ok = false;
	}
}

int sa__engine_extras(sa_engine *e, const sa_household *hh, sa_date as_of, sa_decision *d, unsigned flags)
{
	const sa_value *members = sa__value_get(hh->typed, "members");
	sa_value *arg, *mt;
	bool ok;
	int rc;

	/* rules.special(h, {tier, members = {id = tier}}, ctx) */
	arg = sa__value_new(SA_V_MAP);
	mt = sa__value_new(SA_V_MAP);
	ok = arg && mt;
	if (ok) {
		put_str(arg, "tier", d->tier ? d->tier : "none", &ok);
		for (size_t i = 0; ok && i < members->n; i++) {
			const char *id = sa__value_get(members->items[i], "id")->str;
			const char *t = sa__decision_member_tier(d, id);
			if (t)
				put_str(mt, id, t, &ok);
		}
		if (ok) { /* missing names of the tier programs left undetermined (issue 13 point 8) */
			sa_value *pend = sa__value_new(SA_V_LIST);
			ok = pend != NULL;
			for (size_t i = 0; ok && i < d->nprograms; i++) {
				const sa_program *p = &d->programs[i];
				if (p->status != SA_UNDETERMINED || !(strcmp(p->name, "tekun") == 0 || strcmp(p->name, "dibao") == 0 ||
				                                      strcmp(p->name, "edge") == 0 || strcmp(p->name, "rigid") == 0))
					continue;
				for (size_t k = 0; ok && k < p->nmissing; k++) {
					sa_value *s = sa__value_str(p->missing[k]);
					if (!s || sa__value_push(pend, s) < 0) {
						sa__value_free(s);
						ok = false;
					}
				}
			}
			if (!ok)
				sa__value_free(pend);
			else if (sa__value_put(arg, "pending", pend) < 0) /* takes pend, even on failure */
				ok = false;
		}
		if (ok) {
			if (sa__value_put(arg, "members", mt) < 0)
				ok = false;
			else
				mt = NULL; /* arg owns it */
		}
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
	return rc;
}
