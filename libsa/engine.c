/* engine.c - the engine: options, loading a pack chain into a sandbox, evaluating. */
#include "internal.h"
#include "pack.h"
#include "household_internal.h"
#include "decision_internal.h"
#include "lua/bridge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SA_DEFAULT_MEMORY ((size_t)64 << 20)
#define SA_DEFAULT_INSTRUCTIONS 20000000ULL

struct sa_engine {
	sa_engine_options opts;
	char *pack_path;
	sa_policy *pol;
	sa_lua *lua;
};

int sa_engine_options_init(sa_engine_options *opts, unsigned int version)
{
	if (!opts || version != SA_ENGINE_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_engine_options_init: unsupported version %u", version);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	return SA_OK;
}

int sa_engine_new(sa_engine **out, const sa_engine_options *opts)
{
	sa_engine *e;
	const char *path;
	*out = NULL;
	if (opts && opts->version != SA_ENGINE_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_engine_new: options version %u is not %u", opts->version,
		                 SA_ENGINE_OPTIONS_VERSION);
	if (!(e = calloc(1, sizeof *e)))
		return sa__error_oom();
	if (opts)
		e->opts = *opts;
	else
		sa_engine_options_init(&e->opts, SA_ENGINE_OPTIONS_VERSION);
	if (!e->opts.memory_limit)
		e->opts.memory_limit = SA_DEFAULT_MEMORY;
	if (!e->opts.instruction_limit)
		e->opts.instruction_limit = SA_DEFAULT_INSTRUCTIONS;
	path = e->opts.pack_path ? e->opts.pack_path : getenv("SA_PACK_PATH");
	if (!(e->pack_path = strdup(path && *path ? path : "policies"))) {
		free(e);
		return sa__error_oom();
	}
	e->opts.pack_path = e->pack_path;
	*out = e;
	return SA_OK;
}

static sa_lua_limits limits_of(const sa_engine *e)
{
	sa_lua_limits l = { e->opts.alloc, e->opts.alloc_ud, e->opts.memory_limit, e->opts.instruction_limit };
	return l;
}

int sa_engine_load(sa_engine *e, const char *pack_id)
{
	sa_policy *pol;
	sa_lua *lua;
	sa_lua_limits lim;
	int rc;
	if (!e || !pack_id)
		return sa__error(SA_EINVALID, "sa_engine_load: NULL argument");
	if ((rc = sa__policy_load(&pol, e->pack_path, pack_id)) < 0)
		return rc;
	lim = limits_of(e);
	if ((rc = sa__lua_new(&lua, pol, &lim)) < 0) {
		sa__policy_release(pol);
		return rc;
	}
	sa__lua_free(e->lua);
	sa__policy_release(e->pol);
	e->pol = pol;
	e->lua = lua;
	return SA_OK;
}

const char *sa_engine_pack_id(const sa_engine *e)
{
	return e && e->pol ? sa__policy_leaf(e->pol)->id : NULL;
}

const char *sa_engine_pack_hash(const sa_engine *e)
{
	return e && e->pol ? e->pol->hash : NULL;
}

void sa_engine_free(sa_engine *e)
{
	if (!e)
		return;
	sa__lua_free(e->lua);
	sa__policy_release(e->pol);
	free(e->pack_path);
	free(e);
}

/* After a memory or instruction trip the state may be in any shape: rebuild it. */
static void rebuild(sa_engine *e)
{
	sa_lua *lua;
	sa_lua_limits lim = limits_of(e);
	sa_error saved = { 0 };
	char msg[1024] = "";
	const sa_error *last = sa_error_last();
	if (last) {
		saved = *last;
		snprintf(msg, sizeof msg, "%s", last->message);
	}
	if (sa__lua_new(&lua, e->pol, &lim) == 0) {
		sa__lua_free(e->lua);
		e->lua = lua;
	}
	sa__error_at(saved.code, saved.source, saved.line, saved.column, "%s", msg);
}

int sa_evaluate(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of)
{
	sa_decision *d;
	int rc;
	*out = NULL;
	if (!e || !hh)
		return sa__error(SA_EINVALID, "sa_evaluate: NULL argument");
	if (!e->lua)
		return sa__error(SA_EINVALID, "sa_evaluate: no pack loaded (sa_engine_load)");
	if (!hh->typed)
		return sa__error(SA_EINVALID, "sa_evaluate: the household has no members");
	if (!sa_date_valid(as_of))
		return sa__error(SA_EINVALID, "sa_evaluate: %d is not a date YYYYMMDD", (int)as_of);
	{
		const sa_value *members = sa__value_get(hh->typed, "members");
		for (size_t i = 0; i < members->n; i++) {
			const sa_value *birth = sa__value_get(members->items[i], "birth");
			if (birth->num > as_of)
				return sa__error_at(SA_EINVALID, hh->source, birth->line, birth->column,
				                    "field 'members[%zu].birth': born after the evaluation date", i);
		}
	}
	if (!(d = calloc(1, sizeof *d)))
		return sa__error_oom();
	d->as_of = as_of;
	memcpy(d->hash, e->pol->hash, sizeof d->hash);
	if (!(d->pack_id = strdup(sa__policy_leaf(e->pol)->id)) ||
	    (sa_household_id(hh) && !(d->household_id = strdup(sa_household_id(hh))))) {
		sa_decision_free(d);
		return sa__error_oom();
	}
	if ((rc = sa__lua_evaluate(e->lua, hh->typed, as_of, d)) < 0) {
		sa_decision_free(d);
		if (rc == SA_ENOMEM || rc == SA_ELIMIT)
			rebuild(e);
		return rc;
	}
	*out = d;
	return SA_OK;
}

int sa_evaluate_period(sa_fen *total, sa_engine *e, const sa_household *hh, const char *program, sa_date from,
                       int months)
{
	sa_fen sum = 0;
	int seen = 0;
	*total = 0;
	if (months <= 0 || months > 1200)
		return sa__error(SA_EINVALID, "sa_evaluate_period: months must be 1..1200");
	for (int m = 0; m < months; m++) {
		sa_date d = sa_date_add_months(from / 100 * 100 + 1, m);
		sa_decision *dec;
		int i, rc = sa_evaluate(&dec, e, hh, d);
		sa_fen amount;
		if (rc < 0)
			return rc;
		i = sa_decision_find(dec, program);
		if (i >= 0) {
			seen = 1;
			if (sa_decision_program_status(dec, (size_t)i) == SA_ELIGIBLE &&
			    sa_decision_program_amount(dec, (size_t)i, &amount) == 0)
				sum += amount;
		}
		sa_decision_free(dec);
	}
	if (!seen)
		return sa__error(SA_ENOTFOUND, "program '%s' is not in the decision", program);
	*total = sum;
	return SA_OK;
}

const struct sa_pack *sa__engine_policy_leaf(const sa_engine *e)
{
	return e->pol ? sa__policy_leaf(e->pol) : NULL;
}

int sa__engine_call(sa_engine *e, const char *rule, const sa_household *hh, const sa_value *arg, sa_date as_of,
                    sa_value **out)
{
	int rc;
	*out = NULL;
	if (!e || !e->lua)
		return sa__error(SA_EINVALID, "no pack loaded (sa_engine_load)");
	if (!hh || !hh->typed)
		return sa__error(SA_EINVALID, "the household has no members");
	if ((rc = sa__lua_call(e->lua, rule, hh->typed, arg, as_of, out)) < 0 && (rc == SA_ENOMEM || rc == SA_ELIMIT))
		rebuild(e);
	return rc;
}
