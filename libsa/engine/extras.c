/* extras.c - cash programs decided after the tier decision: rules.special (专项救助) and
 * rules.temporary (临时救助) run with the tiers found, their programs appended in C
 * (docs/services.md "Special", "Temporary"). */
#include "engine/engine.h"
#include "engine/extras.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the decision's extras */

/* rules.<rule>(h, arg, ctx), when the pack defines it: its programs are read by the one decoder
 * of programs (libsa/lua/convert.c) and appended. */
static int run_rule(sa_engine *e, const sa_household *hh, sa_date as_of, sa_decision *d, unsigned flags,
                    const char *rule, const sa_value *arg)
{
	if (!sa__engine_has_rule(e, rule))
		return SA_OK;
	return sa__engine_call_programs(e, rule, hh, arg, as_of, d, flags);
}

/* put a string, with failure tracking: *ok becomes false on any OOM */
static void put_str(sa_value *m, const char *k, const char *s, bool *ok)
{
	sa_value *v = sa__value_str(s ? s : "");
	if (!v || sa__value_put(m, k, v) < 0) /* put takes v, even on failure */
		*ok = false;
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
			for (size_t i = 0; ok && i < d->ntiers; i++) { /* the tier programs: the pack names them */
				const sa_program *p = &d->programs[i];
				if (p->status != SA_UNDETERMINED)
					continue;
				for (size_t k = 0; ok && k < p->nmissing; k++) {
					sa_value *s = sa__value_str(p->missing[k]);
					if (!s || sa__value_push(pend, s) < 0) /* push takes s */
						ok = false;
				}
			}
			if (!ok)
				sa__value_free(pend);
			else if (sa__value_put(arg, "pending", pend) < 0) /* takes pend, even on failure */
				ok = false;
		}
		if (ok) {
			if (sa__value_put(arg, "members", mt) < 0) /* takes mt, even on failure */
				ok = false;
			mt = NULL;
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
