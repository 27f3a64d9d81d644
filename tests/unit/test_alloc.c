/* test_alloc.c - failing-allocator sweep through sa_engine_options.alloc: fail the n-th
 * allocation for n = 1, 2, ... through engine creation, pack loading and evaluation until a
 * run succeeds. Every failure must come back as an error code (never a crash or abort);
 * LeakSanitizer (the -DSA_SANITIZE=ON build) checks that nothing leaks. Only the Lua
 * state's allocations go through the hook (docs/security.md). The pack sweeps run twice: with
 * the process caches emptied before each run (every rule file compiled from text) and with
 * them filled (every rule file loaded from its dump, lua/chunk_cache.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sec_helpers.h"
#include "lua/bridge.h"

typedef struct {
	long count, fail_at, failed;
} counter;

static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	counter *c = ud;
	(void)old_size;
	if (new_size == 0) {
		free(ptr);
		return NULL;
	}
	if (++c->count == c->fail_at) {
		c->failed++;
		return NULL;
	}
	return realloc(ptr, new_size);
}

/* One run: returns 1 when everything succeeded, 0 when a failure came back cleanly. */
static int one_run(const char *c, const char *id, long fail_at, long *allocs)
{
	counter cnt = { 0, fail_at, 0 };
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_household *h = sec_household("h", 2);
	sa_fen amount = 0;
	int rc, ok = 0;
	o.alloc = failing_alloc;
	o.alloc_ud = &cnt;
	assert_non_null(h);
	e = sec_engine_opts(c, &o);
	assert_non_null(e);
	rc = sa_engine_load(e, id);
	if (rc == 0) {
		rc = sec_eval(e, h, &amount, NULL);
		if (rc == 0)
			rc = sec_eval(e, h, &amount, NULL); /* restore of upvalues ran in between */
		if (rc == 0)
			ok = cnt.failed == 0;
		else {
			assert_true(rc == SA_ENOMEM || rc == SA_EPOLICY || rc == SA_ELIMIT);
			/* the engine is still usable once memory is there again */
			cnt.fail_at = 0;
			assert_int_equal(sec_eval(e, h, &amount, NULL), 0);
		}
	} else {
		assert_true(rc == SA_ENOMEM || rc == SA_EPOLICY);
		assert_null(sa_engine_pack_id(e));
	}
	sa_engine_free(e);
	sa_household_free(h);
	*allocs = cnt.count;
	return ok;
}

static void sweep(const char *c, const char *id, bool cold)
{
	long n, allocs = 0, step = 1;
	const char *s = getenv("SA_ALLOC_STEP"); /* test every step-th allocation (default 1) */
	sa_cache_stats before, after;
	if (s && atol(s) > 0)
		step = atol(s);
	if (!cold) /* fill the caches: every later load takes the dumps */
		one_run(c, id, 0, &allocs);
	sa__chunk_cache_stats(&before);
	for (n = 1;; n += step) {
		if (cold) {
			sa__chunk_cache_clear();
			sa__pack_doc_cache_clear();
		}
		if (one_run(c, id, n, &allocs))
			break;
		assert_true(n < 10000000);
	}
	sa__chunk_cache_stats(&after);
	/* the path swept is the one meant: no dump used when cold, no compile when warm */
	if (cold)
		assert_int_equal(after.hits, before.hits);
	else
		assert_int_equal(after.misses, before.misses);
	printf("# %s/%s (%s caches): swept %ld allocations\n", c, id, cold ? "empty" : "filled", n);
}

static void test_alloc_sweep__base_pack(void **state)
{
	(void)state;
	sweep("base", "cn", true);
	sweep("base", "cn", false);
}

/* A child pack with frozen tables, metatables and upvalues to snapshot. */
static void test_alloc_sweep__frozen_state(void **state)
{
	(void)state;
	sweep("state_read", "cn-x", true);
	sweep("state_read", "cn-x", false);
}

/* ---- the other entry points (issue 12): screening, monitoring, services ----
 * Each scenario runs once to count the Lua allocations, then again failing the n-th one at
 * about 60 points spread over the whole run (a full sweep over the national pack would take
 * minutes under the sanitizers). Every run must succeed or fail with an error code; the
 * sanitizer build checks for leaks. */
typedef int (*scenario)(sa_engine_options *o);

static const char *national_path(void)
{
	static char p[4096];
	snprintf(p, sizeof p, "%s/policies:%s/tests/data/services", sec_src(), sec_src());
	return p;
}

static int screen_run(sa_engine_options *o)
{
	static const char reg[] =
		"{\"id\":\"a\",\"region\":\"530102\",\"area\":\"urban\",\"members\":[{\"id\":\"m1\",\"relation\":\"head\",\"birth\":\"1960-01-01\"}]}\n"
		"not json\n"
		"{\"id\":\"b\",\"region\":\"530102\",\"area\":\"rural\",\"members\":[{\"id\":\"m1\",\"relation\":\"head\",\"birth\":\"1950-01-01\",\"income\":{\"wages\":\"100\"}}]}\n";
	sa_screen_options so;
	sa_screen_summary *sum = NULL;
	int rc;
	o->pack_path = national_path();
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = "cn-53";
	so.engine = o;
	so.as_of = 20250801;
	so.jobs = 1;
	so.format = SA_SCREEN_JSONL;
	if ((rc = sa_screen_summary_new(&sum)) < 0)
		return rc;
	rc = sa_screen_run(sum, &so, reg, sizeof reg - 1, "registry.jsonl");
	if (rc == 0 && sa_screen_summary_bad(sum) > 1)
		rc = SA_ENOMEM; /* a record failed on the failed allocation: a clean failure */
	sa_screen_summary_free(sum);
	return rc;
}

static int monitor_run(sa_engine_options *o)
{
	char *text;
	size_t len;
	char path[4096];
	FILE *f;
	sa_engine *e;
	sa_alerts *a = NULL;
	int rc;
	o->pack_path = national_path();
	snprintf(path, sizeof path, "%s/tests/data/monitor/events.yaml", sec_src());
	if (!(f = fopen(path, "rb")))
		return SA_ENOTFOUND;
	text = malloc(1 << 16);
	len = fread(text, 1, 1 << 16, f);
	fclose(f);
	if ((rc = sa_engine_new(&e, o)) == 0 && (rc = sa_engine_load(e, "cn-6101")) == 0 &&
	    (rc = sa_monitor_parse(&a, e, text, len, "events.yaml", 20250901)) == 0)
		sa_alerts_free(a);
	sa_engine_free(e);
	free(text);
	return rc;
}

static int services_run(sa_engine_options *o)
{
	static const char hh[] =
		"household:\n  id: t\n  region: \"150602\"\n  area: urban\n  members:\n"
		"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
		"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"
		"  assets: { deposits: 0 }\n  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
		"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n";
	static const char plan[] = "member: m1\nstages:\n  - items: [{ item: massage, quantity: 5 }]\n";
	sa_engine *e;
	sa_household **hs = NULL;
	size_t n = 0;
	sa_decision *d = NULL;
	sa_plan_report *r = NULL;
	const sa_catalog *c;
	int rc;
	o->pack_path = national_path();
	if ((rc = sa_engine_new(&e, o)) < 0)
		return rc;
	if ((rc = sa_engine_load(e, "cn-150602")) == 0 && (rc = sa_engine_catalog(&c, e)) == 0 &&
	    (rc = sa_household_parse(&hs, &n, hh, sizeof hh - 1, "hh.yaml")) == 0 &&
	    (rc = sa_evaluate(&d, e, hs[0], 20250301)) == 0 &&
	    (rc = sa_plan_check(&r, e, d, plan, sizeof plan - 1)) == 0)
		sa_plan_report_free(r);
	sa_decision_free(d);
	sa_household_array_free(hs, n);
	sa_engine_free(e);
	return rc;
}

static void sampled_sweep(const char *what, scenario run)
{
	counter cnt = { 0, 0, 0 };
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	long total, step, points = 0;
	o.alloc = failing_alloc;
	o.alloc_ud = &cnt;
	assert_int_equal(run(&o), 0);
	total = cnt.count;
	assert_true(total > 0);
	step = total / 60 > 0 ? total / 60 : 1;
	for (long n = 1; n <= total; n += step, points++) {
		int rc;
		cnt = (counter){ 0, n, 0 };
		rc = run(&o);
		if (rc != 0 && rc != SA_ENOMEM && rc != SA_EPOLICY && rc != SA_ELIMIT)
			fail_msg("%s: failing allocation %ld of %ld gave %d (%s)", what, n, total, rc, sec_msg());
	}
	printf("# %s: %ld allocations, %ld failure points\n", what, total, points);
}

static void test_alloc_sweep__screening(void **state)
{
	(void)state;
	sampled_sweep("screening", screen_run);
}

static void test_alloc_sweep__monitoring(void **state)
{
	(void)state;
	sampled_sweep("monitoring", monitor_run);
}

static void test_alloc_sweep__services(void **state)
{
	(void)state;
	sampled_sweep("services", services_run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_sweep__base_pack),
		cmocka_unit_test(test_alloc_sweep__frozen_state),
		cmocka_unit_test(test_alloc_sweep__screening),
		cmocka_unit_test(test_alloc_sweep__monitoring),
		cmocka_unit_test(test_alloc_sweep__services),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
