/* engine.c - the engine: options, loading a pack chain into a sandbox, deciding; pack sets. */
#include "engine/engine.h"
#include "core/limits.h"
#include "engine/extras.h"
#include "engine/pack_set.h"
#include "lua/bridge.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


struct sa_engine {
	sa_engine_options opts;
	char *pack_path;
	sa_pver *ver;  /* the version evaluated with (retained) */
	sa_policy *pol;   /* ver->pol */
	sa_lua *lua;
	sa_pack_set *set; /* followed set, or NULL */
	char *verify_key; /* opts.verify_key, owned */
	uint64_t gen;     /* generation of the set that ver came from */
	void *slot;                   /* sa__engine_slot: derived from pol by a layer above */
	sa__slot_free_fn slot_free;
	const sa_policy *slot_pol;     /* the chain slot was derived from */
	sa_coverage *cov;              /* sa test --coverage: lines run, while a test runs */
};

struct sa_pack_set {
	atomic_long refs;
	pthread_mutex_t mu;   /* guards cur (reading it and taking a reference) and publishing */
	pthread_mutex_t pub;  /* serialises publishers (held while checking, off the hot path) */
	sa_pver *cur;
	atomic_uint_fast64_t gen;
	sa_engine_options opts;
	char *pack_path;
	char *verify_key; /* opts.verify_key, owned */
};

/* ---- versions ---- */

sa_pver *sa__version_new(sa_policy *pol)
{
	sa_pver *v = malloc(sizeof *v);
	if (!v) {
		sa__policy_release(pol);
		return NULL;
	}
	atomic_init(&v->refs, 1);
	v->pol = pol;
	return v;
}

void sa__version_retain(sa_pver *v)
{
	atomic_fetch_add_explicit(&v->refs, 1, memory_order_relaxed);
}

void sa__version_release(sa_pver *v)
{
	if (v && atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) == 1) {
		sa__policy_release(v->pol);
		free(v);
	}
}

int sa_engine_options_init(sa_engine_options *opts, unsigned int version)
{
	if (!opts || version < 1 || version > SA_ENGINE_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_engine_options_init: unsupported version %u", version);
	memset(opts, 0, version == 1 ? offsetof(sa_engine_options, verify_key) : sizeof *opts);
	opts->version = version;
	return SA_OK;
}

int sa_engine_new(sa_engine **out, const sa_engine_options *opts)
{
	sa_engine *e;
	const char *path;
	*out = NULL;
	if (opts && (opts->version < 1 || opts->version > SA_ENGINE_OPTIONS_VERSION))
		return sa__error(SA_EINVALID, "sa_engine_new: options version %u is not 1 to %u", opts->version,
		                 SA_ENGINE_OPTIONS_VERSION);
	if (!(e = calloc(1, sizeof *e)))
		return sa__error_oom();
	if (opts && opts->version == 1) /* a version-1 struct ends before verify_key */
		memcpy(&e->opts, opts, offsetof(sa_engine_options, verify_key));
	else if (opts)
		e->opts = *opts;
	else
		sa_engine_options_init(&e->opts, SA_ENGINE_OPTIONS_VERSION);
	if (!e->opts.memory_limit)
		e->opts.memory_limit = SA_DEFAULT_MEMORY;
	/* instruction_limit stays 0 for the default (time) mode: limits_of */
	if (!e->opts.output_limit)
		e->opts.output_limit = SA_DEFAULT_OUTPUT;
	if (!e->opts.time_limit_ms)
		e->opts.time_limit_ms = SA_DEFAULT_TIME_MS;
	path = sa_pack_path_resolve(e->opts.pack_path);
	if (!(e->pack_path = strdup(path))) {
		free(e);
		return sa__error_oom();
	}
	e->opts.pack_path = e->pack_path;
	if (e->opts.verify_key && !(e->verify_key = strdup(e->opts.verify_key))) {
		free(e->pack_path);
		free(e);
		return sa__error_oom();
	}
	e->opts.verify_key = e->verify_key;
	e->opts.version = SA_ENGINE_OPTIONS_VERSION;
	*out = e;
	return SA_OK;
}

static sa_lua_limits limits_of(const sa_engine *e)
{
	/* An explicit instruction limit asks for the deterministic count hook; by default only C
	 * work is charged (to 20,000,000) and the watchdog enforces the time limit. */
	sa_lua_limits l = { e->opts.alloc, e->opts.alloc_ud, e->opts.memory_limit,
		            e->opts.instruction_limit ? e->opts.instruction_limit : SA_DEFAULT_INSTRUCTIONS,
		            e->opts.output_limit, e->opts.time_limit_ms, e->opts.instruction_limit != 0 };
	return l;
}

int sa__engine_use_version(sa_engine *e, sa_pver *v)
{
	sa_lua *lua;
	sa_lua_limits lim = limits_of(e);
	int rc;
	if ((rc = sa__lua_new(&lua, v->pol, &lim)) < 0)
		return rc;
	sa__version_retain(v);
	sa__lua_free(e->lua);
	sa__version_release(e->ver);
	e->ver = v;
	e->pol = v->pol;
	e->lua = lua;
	sa__engine_slot_set(e, NULL, NULL); /* derived from the old chain */
	return SA_OK;
}

int sa_engine_load(sa_engine *e, const char *pack_id)
{
	sa_policy *pol;
	sa_pver *v;
	int rc;
	if (!e || !pack_id)
		return sa__error(SA_EINVALID, "sa_engine_load: NULL argument");
	if ((rc = sa__policy_load(&pol, e->pack_path, pack_id)) < 0)
		return rc;
	if (e->verify_key && (rc = sa__policy_verify_signatures(pol, e->verify_key)) < 0) {
		sa__policy_release(pol);
		return rc;
	}
	if (!(v = sa__version_new(pol)))
		return sa__error_oom();
	rc = sa__engine_use_version(e, v);
	sa__version_release(v);
	if (rc == 0 && e->set) { /* an explicit load stops following the set */
		sa_pack_set_free(e->set);
		e->set = NULL;
	}
	return rc;
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
	sa__version_release(e->ver);
	sa_pack_set_free(e->set);
	sa__engine_slot_set(e, NULL, NULL);
	free(e->pack_path);
	free(e->verify_key);
	free(e);
}

/* ---- pack sets ---- */

int sa_pack_set_new(sa_pack_set **out, const sa_engine_options *opts)
{
	sa_pack_set *set;
	sa_engine *tmp;
	int rc;
	*out = NULL;
	if ((rc = sa_engine_new(&tmp, opts)) < 0) /* resolves defaults and the pack path */
		return rc;
	if (!(set = calloc(1, sizeof *set))) {
		sa_engine_free(tmp);
		return sa__error_oom();
	}
	set->opts = tmp->opts;
	set->pack_path = tmp->pack_path;
	set->opts.pack_path = set->pack_path;
	tmp->pack_path = NULL;
	set->verify_key = tmp->verify_key;
	set->opts.verify_key = set->verify_key;
	tmp->verify_key = NULL;
	sa_engine_free(tmp);
	atomic_init(&set->refs, 1);
	atomic_init(&set->gen, 0);
	pthread_mutex_init(&set->mu, NULL);
	pthread_mutex_init(&set->pub, NULL);
	*out = set;
	return SA_OK;
}

static void set_retain(sa_pack_set *set)
{
	atomic_fetch_add_explicit(&set->refs, 1, memory_order_relaxed);
}

void sa_pack_set_free(sa_pack_set *set)
{
	if (!set || atomic_fetch_sub_explicit(&set->refs, 1, memory_order_acq_rel) != 1)
		return;
	sa__version_release(set->cur);
	pthread_mutex_destroy(&set->mu);
	pthread_mutex_destroy(&set->pub);
	free(set->pack_path);
	free(set->verify_key);
	free(set);
}

/* The published version, retained, and its generation; NULL if none. */
static sa_pver *set_current(sa_pack_set *set, uint64_t *gen)
{
	sa_pver *v;
	pthread_mutex_lock(&set->mu);
	v = set->cur;
	if (v)
		sa__version_retain(v);
	*gen = atomic_load(&set->gen);
	pthread_mutex_unlock(&set->mu);
	return v;
}

int sa__pack_set_publish(sa_test_counts *counts, sa_pack_set *set, const char *pack_id, sa__pack_check_fn check_fn)
{
	sa_policy *pol;
	sa_pver *v, *old;
	sa_engine *check;
	sa_test_counts c = { 0, 0 };
	int rc;
	if (counts)
		*counts = c;
	if (!set || !pack_id)
		return sa__error(SA_EINVALID, "sa_pack_set_publish: NULL argument");
	pthread_mutex_lock(&set->pub);
	if ((rc = sa__policy_load(&pol, set->pack_path, pack_id)) < 0)
		goto out;
	if (set->verify_key && (rc = sa__policy_verify_signatures(pol, set->verify_key)) < 0) {
		sa__policy_release(pol);
		goto out;
	}
	if (!(v = sa__version_new(pol))) {
		rc = sa__error_oom();
		goto out;
	}
	/* Check it off the hot path: it compiles in a fresh sandbox, and its golden tests pass. */
	if ((rc = sa_engine_new(&check, &set->opts)) < 0) {
		sa__version_release(v);
		goto out;
	}
	rc = sa__engine_use_version(check, v);
	if (rc == 0 && check_fn)
		rc = check_fn(&c, check, pack_id);
	sa_engine_free(check);
	if (counts) /* set, not added to (include/sa/engine.h) */
		*counts = c;
	if (rc < 0) {
		sa__version_release(v);
		goto out;
	}
	pthread_mutex_lock(&set->mu);
	old = set->cur;
	set->cur = v;
	atomic_fetch_add(&set->gen, 1);
	pthread_mutex_unlock(&set->mu);
	sa__version_release(old);
out:
	pthread_mutex_unlock(&set->pub);
	return rc;
}

int sa_pack_set_hash(char out[65], const sa_pack_set *cset)
{
	sa_pack_set *set = (sa_pack_set *)cset;
	int rc = SA_OK;
	pthread_mutex_lock(&set->mu);
	if (set->cur)
		memcpy(out, set->cur->pol->hash, 65);
	else
		rc = SA_ENOTFOUND;
	pthread_mutex_unlock(&set->mu);
	return rc < 0 ? sa__error(rc, "nothing has been published in this pack set") : SA_OK;
}

uint64_t sa_pack_set_generation(const sa_pack_set *set)
{
	return set ? atomic_load(&((sa_pack_set *)set)->gen) : 0;
}

/* Switch to the set's newest version if there is a newer one. On failure keep the old one
 * (and retry at the next evaluation); fail only when there is nothing to evaluate with. */
static int sync_set(sa_engine *e)
{
	sa_pver *v;
	uint64_t gen;
	int rc;
	if (atomic_load_explicit(&e->set->gen, memory_order_acquire) == e->gen && e->lua)
		return SA_OK;
	if (!(v = set_current(e->set, &gen)))
		return e->lua ? SA_OK : sa__error(SA_EINVALID, "sa_evaluate: nothing published in the pack set yet");
	if (v == e->ver) {
		e->gen = gen;
		sa__version_release(v);
		return SA_OK;
	}
	rc = sa__engine_use_version(e, v);
	sa__version_release(v);
	if (rc == 0)
		e->gen = gen;
	return e->lua ? SA_OK : rc;
}

int sa_engine_follow(sa_engine *e, sa_pack_set *set)
{
	if (!e || !set)
		return sa__error(SA_EINVALID, "sa_engine_follow: NULL argument");
	set_retain(set);
	sa_pack_set_free(e->set);
	e->set = set;
	e->gen = (uint64_t)-1;
	if (sa_pack_set_generation(set) == 0)
		return SA_OK;
	{
		sa_pver *v;
		uint64_t gen;
		int rc = SA_OK;
		if ((v = set_current(set, &gen))) {
			if ((rc = sa__engine_use_version(e, v)) == 0)
				e->gen = gen;
			sa__version_release(v);
		}
		return rc;
	}
}

/* After a memory or instruction trip the state may be in any shape: rebuild it. */
static void rebuild(sa_engine *e)
{
	sa_lua *lua;
	sa_lua_limits lim = limits_of(e);
	sa_error saved = { 0 };
	char msg[1024] = "", src[512] = "";
	const sa_error *last = sa_error_last();
	if (last) {
		saved = *last;
		snprintf(msg, sizeof msg, "%s", last->message);
		if (last->source)
			snprintf(src, sizeof src, "%s", last->source);
	}
	if (sa__lua_new(&lua, e->pol, &lim) == 0) {
		sa__lua_free(e->lua);
		e->lua = lua;
	}
	sa__error_at(saved.code, src[0] ? src : NULL, saved.line, saved.column, "%s", msg);
}

static void release_version(void *v)
{
	sa__version_release(v);
}

/* Checks a household against the evaluation date and makes its empty decision. */
static int prepare(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of)
{
	sa_decision *d;
	int rc;
	*out = NULL;
	if ((rc = sa__household_ready(hh)) < 0)
		return rc;
	{
		/* never decide a household under another place's rules */
		const sa_pack *leaf = sa__policy_leaf(e->pol);
		const sa_value *region = sa__value_get(hh->typed, "region");
		if (leaf && region && region->str && !sa__region_covers(leaf->region, region->str))
			return sa__error_at(SA_EINVALID, hh->source, region->line, region->column,
			                    "户籍地区划 %s 不在 %s（区划 %s）范围内：请用覆盖该地区的政策包 / household region %s is "
			                    "not covered by pack %s (region %s): use a pack that covers it",
			                    region->str, leaf->id, leaf->region ? leaf->region : "-", region->str, leaf->id,
			                    leaf->region ? leaf->region : "-");
	}
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
	*out = d;
	return SA_OK;
}

/* Append the parameters read since the last sa__lua_reads_reset to d, for the decision log:
 * pointers into the retained version. */
static int take_reads(sa_engine *e, sa_decision *d)
{
	struct sa_param_read *r;
	size_t nreads;
	const struct sa_param_read *reads = sa__lua_reads(e->lua, &nreads);
	if (!nreads || !e->ver)
		return SA_OK;
	if (!(r = realloc(d->reads, (d->nreads + nreads) * sizeof *d->reads)))
		return sa__error_oom();
	memcpy(r + d->nreads, reads, nreads * sizeof *d->reads);
	d->reads = r;
	d->nreads += nreads;
	if (!d->ver) {
		d->ver = e->ver;
		d->ver_release = release_version;
		sa__version_retain(e->ver);
	}
	return SA_OK;
}

int sa__engine_decide(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of, unsigned flags)
{
	sa_decision *d;
	int rc;
	*out = NULL;
	if (!e || !hh)
		return sa__error(SA_EINVALID, "sa_evaluate: NULL argument");
	if (e->set && (rc = sync_set(e)) < 0)
		return rc;
	if (!e->lua)
		return sa__error(SA_EINVALID, "sa_evaluate: no pack loaded (sa_engine_load)");
	if ((rc = sa__household_ready(hh)) < 0)
		return rc;
	if (!sa_date_valid(as_of))
		return sa__error(SA_EINVALID, "sa_evaluate: %d is not a date YYYYMMDD", (int)as_of);
	if ((rc = prepare(&d, e, hh, as_of)) < 0)
		return rc;
	sa__lua_reads_reset(e->lua);
	if ((rc = sa__lua_evaluate_ex(e->lua, hh->typed, as_of, d, flags)) < 0) {
		sa_decision_free(d);
		if (rc == SA_ENOMEM || rc == SA_ELIMIT)
			rebuild(e);
		return rc;
	}
	d->ntiers = d->nprograms;
	/* special and temporary after the tier decision (extras.c) */
	if ((!(flags & SA_EVAL_NO_EXTRAS) && (rc = sa__engine_extras(e, hh, as_of, d, flags)) < 0) ||
	    (rc = take_reads(e, d)) < 0) {
		sa_decision_free(d);
		return rc;
	}
	*out = d;
	return SA_OK;
}

/* sa__engine_decide_batch: what happens around each household inside the Lua call */
typedef struct {
	sa_engine *e;
	sa_decision **d;
	int *codes;
	void (*on_error)(void *ud, size_t i, int code);
	void *ud;
} batch_ctx;

static void batch_before(void *ud, size_t i)
{
	batch_ctx *c = ud;
	(void)i;
	sa__lua_reads_reset(c->e->lua);
}

static void batch_after(void *ud, size_t i, int rc)
{
	batch_ctx *c = ud;
	if (rc == 0) {
		c->d[i]->ntiers = c->d[i]->nprograms;
		rc = take_reads(c->e, c->d[i]);
	}
	if (rc < 0) {
		sa_decision_free(c->d[i]);
		c->d[i] = NULL;
		if (c->on_error)
			c->on_error(c->ud, i, rc);
	}
	c->codes[i] = rc;
}

static void batch_fail(batch_ctx *c, size_t i, int rc)
{
	sa_decision_free(c->d[i]);
	c->d[i] = NULL;
	c->codes[i] = rc;
	if (c->on_error)
		c->on_error(c->ud, i, rc);
}

int sa__engine_decide_batch(sa_decision **out, int *codes, sa_engine *e, const sa_household *const *hh, size_t n,
                            sa_date as_of, unsigned flags, void (*on_error)(void *ud, size_t i, int code), void *ud)
{
	const sa_value **typed;
	batch_ctx c = { e, out, codes, on_error, ud };
	sa_lua_batch b;
	int rc;
	if (!out || !codes || !e || (n && !hh))
		return sa__error(SA_EINVALID, "sa_evaluate_batch: NULL argument");
	for (size_t i = 0; i < n; i++)
		out[i] = NULL, codes[i] = 0;
	if (e->set && (rc = sync_set(e)) < 0)
		return rc;
	if (!e->lua)
		return sa__error(SA_EINVALID, "sa_evaluate_batch: no pack loaded (sa_engine_load)");
	if (!sa_date_valid(as_of))
		return sa__error(SA_EINVALID, "sa_evaluate_batch: %d is not a date YYYYMMDD", (int)as_of);
	if (!(typed = calloc(n ? n : 1, sizeof *typed)))
		return sa__error_oom();
	for (size_t i = 0; i < n; i++) {
		if (!hh[i])
			codes[i] = sa__error(SA_EINVALID, "sa_evaluate_batch: NULL household");
		else if ((codes[i] = prepare(&out[i], e, hh[i], as_of)) == 0)
			typed[i] = hh[i]->typed;
		if (codes[i] < 0 && on_error)
			on_error(ud, i, codes[i]);
	}
	memset(&b, 0, sizeof b);
	b.hh = typed;
	b.d = out;
	b.rc = codes;
	b.n = n;
	b.as_of = as_of;
	b.flags = flags;
	b.before = batch_before;
	b.after = batch_after;
	b.ud = &c;
	while (b.done < n) {
		size_t from = b.done;
		bool broken;
		b.s = e->lua;
		rc = sa__lua_evaluate_batch(&b);
		broken = rc < 0;
		if (rc < 0) { /* the batch call itself failed (cleaning up after household b.done) */
			if (b.done < n && out[b.done])
				batch_fail(&c, b.done, rc);
			b.done++;
		} else if (b.done > from && (codes[b.done - 1] == SA_ENOMEM || codes[b.done - 1] == SA_ELIMIT)) {
			broken = true; /* a trip: the state may be in any shape */
		}
		if (broken)
			rebuild(e);
	}
	free(typed);
	/* special and temporary after the tier decisions (extras.c), household by household */
	for (size_t i = 0; i < n && !(flags & SA_EVAL_NO_EXTRAS); i++) {
		if (!out[i])
			continue;
		sa__lua_reads_reset(e->lua);
		if ((rc = sa__engine_extras(e, hh[i], as_of, out[i], flags)) < 0 || (rc = take_reads(e, out[i])) < 0)
			batch_fail(&c, i, rc);
	}
	rc = 0;
	for (size_t i = 0; i < n; i++)
		rc += out[i] != NULL;
	return rc;
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
	if (!hh)
		return sa__error(SA_EINVALID, "no household");
	if ((rc = sa__household_ready(hh)) < 0)
		return rc;
	if ((rc = sa__lua_call(e->lua, rule, hh->typed, arg, as_of, out)) < 0 && (rc == SA_ENOMEM || rc == SA_ELIMIT))
		rebuild(e);
	return rc;
}

int sa__engine_call_programs(sa_engine *e, const char *rule, const sa_household *hh, const sa_value *arg,
                             sa_date as_of, sa_decision *d, unsigned flags)
{
	int rc = sa__lua_call_programs(e->lua, rule, hh->typed, arg, as_of, d, flags);
	if (rc < 0 && (rc == SA_ENOMEM || rc == SA_ELIMIT))
		rebuild(e);
	return rc;
}

const sa_policy *sa__engine_policy(const sa_engine *e)
{
	return e ? e->pol : NULL;
}

int sa__engine_coverage_begin(sa_engine *e)
{
	int rc;
	if (!e || !e->lua || !e->pol)
		return sa__error(SA_EINVALID, "no pack loaded (sa_engine_load)");
	if (e->cov)
		return SA_OK;
	if ((rc = sa__coverage_new(&e->cov, e->pol)) < 0)
		return rc;
	sa__lua_set_coverage(e->lua, e->cov);
	return SA_OK;
}

void sa__engine_coverage_end(sa_engine *e, const char *pack, void (*cb)(const sa_test_coverage *, void *),
                             void *payload)
{
	if (!e || !e->cov)
		return;
	if (e->lua)
		sa__lua_set_coverage(e->lua, NULL);
	if (cb)
		sa__coverage_report(e->cov, pack, cb, payload);
	sa__coverage_free(e->cov);
	e->cov = NULL;
}

int sa__engine_has_rule(sa_engine *e, const char *rule)
{
	return e && e->lua ? sa__lua_has_rule(e->lua, rule) : 0;
}

void *sa__engine_slot(const sa_engine *e)
{
	return e && e->slot_pol == e->pol ? e->slot : NULL;
}

void sa__engine_slot_set(sa_engine *e, void *obj, sa__slot_free_fn free_fn)
{
	if (e->slot && e->slot_free)
		e->slot_free(e->slot);
	e->slot = obj;
	e->slot_free = free_fn;
	e->slot_pol = obj ? e->pol : NULL;
}
