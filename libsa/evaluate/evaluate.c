/* evaluate.c - sa_evaluate and its variants (include/sa/decision.h): the engine's decision
 * (tier programs, then the cash programs after them) with the service entitlement added, and
 * sums over months. It sits above the engine and the services so that neither calls up. */
#include "evaluate/evaluate.h"
#include "services/services.h"

#include <stdlib.h>
#include <string.h>

int sa_evaluate(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of)
{
	return sa_evaluate_ex(out, e, hh, as_of, 0);
}

int sa_evaluate_ex(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of, unsigned int flags)
{
	int rc = sa__engine_decide(out, e, hh, as_of, flags);
	if (rc < 0 || (flags & SA_EVAL_NO_EXTRAS))
		return rc;
	/* services: entitlement from the catalog, when the chain has one (docs/services.md) */
	if ((rc = sa__services_entitle(e, hh, *out)) < 0) {
		sa_decision_free(*out);
		*out = NULL;
	}
	return rc;
}

int sa__evaluate_batch(sa_decision **out, int *codes, sa_engine *e, const sa_household *const *hh, size_t n,
                       sa_date as_of, unsigned int flags, void (*on_error)(void *ud, size_t i, int code), void *ud)
{
	int rc = sa__engine_decide_batch(out, codes, e, hh, n, as_of, flags, on_error, ud);
	if (rc < 0 || (flags & SA_EVAL_NO_EXTRAS))
		return rc;
	/* services: entitlement from the catalog, when the chain has one (docs/services.md) */
	for (size_t i = 0; i < n; i++)
		if (out[i] && (codes[i] = sa__services_entitle(e, hh[i], out[i])) < 0) {
			sa_decision_free(out[i]);
			out[i] = NULL;
			rc--;
			if (on_error)
				on_error(ud, i, codes[i]);
		}
	return rc;
}

int sa_evaluate_batch(sa_decision **out, int *codes, sa_engine *e, const sa_household *const *hh, size_t n,
                      sa_date as_of, unsigned int flags)
{
	return sa__evaluate_batch(out, codes, e, hh, n, as_of, flags, NULL, NULL);
}

int sa_evaluate_period_part(sa_period *out, sa_engine *e, const sa_household *hh, const char *program,
                            const char *part, sa_date from, int months)
{
	sa_period r = { SA_INELIGIBLE, 0, 0, 0 };
	int seen = 0;
	if (!out)
		return sa__error(SA_EINVALID, "sa_evaluate_period: NULL argument");
	memset(out, 0, sizeof *out);
	if (months <= 0 || months > 1200)
		return sa__error(SA_EINVALID, "sa_evaluate_period: months must be 1..1200");
	if (!sa_date_valid(from))
		return sa__error(SA_EINVALID, "sa_evaluate_period: %d is not a date", (int)from);
	for (int m = 0; m < months && r.status != SA_UNDETERMINED; m++) {
		/* the first day of each month: the value in force that month */
		sa_date d = sa_date_add_months(from / 100 * 100 + 1, m);
		sa_decision *dec;
		int i, rc = sa_evaluate(&dec, e, hh, d);
		sa_status st;
		sa_fen amount;
		if (rc < 0)
			return rc;
		i = sa_decision_find(dec, program);
		if (i >= 0) {
			seen = 1;
			st = dec->programs[i].status;
			if (st == SA_ELIGIBLE) {
				rc = part ? sa_decision_program_part(&amount, dec, (size_t)i, part)
				          : sa_decision_program_amount(&amount, dec, (size_t)i);
				if (rc < 0)
					st = SA_UNDETERMINED; /* eligible, amount unknown */
			}
			if (st == SA_UNDETERMINED) {
				/* an unknown month is never counted as zero */
				r.status = SA_UNDETERMINED;
				r.total = 0;
				r.months_eligible = 0;
				r.unknown_month = d;
			} else if (st == SA_ELIGIBLE) {
				r.status = SA_ELIGIBLE;
				r.total += amount;
				r.months_eligible++;
			}
		}
		sa_decision_free(dec);
	}
	if (!seen)
		return sa__error(SA_ENOTFOUND, "program '%s' is not in the decision", program);
	*out = r;
	return SA_OK;
}

int sa_evaluate_period(sa_period *out, sa_engine *e, const sa_household *hh, const char *program, sa_date from,
                       int months)
{
	return sa_evaluate_period_part(out, e, hh, program, NULL, from, months);
}
