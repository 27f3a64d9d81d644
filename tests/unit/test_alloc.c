/* test_alloc.c - failing-allocator sweep through sa_engine_options.alloc: fail the n-th
 * allocation for n = 1, 2, ... through engine creation, pack loading and evaluation until a
 * run succeeds. Every failure must come back as an error code (never a crash or abort);
 * LeakSanitizer (the -DSA_SANITIZE=ON build) checks that nothing leaks. Only the Lua
 * state's allocations go through the hook (docs/security.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sec_helpers.h"

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

static void sweep(const char *c, const char *id)
{
	long n, allocs = 0, step = 1;
	const char *s = getenv("SA_ALLOC_STEP"); /* test every step-th allocation (default 1) */
	if (s && atol(s) > 0)
		step = atol(s);
	for (n = 1;; n += step) {
		if (one_run(c, id, n, &allocs))
			break;
		assert_true(n < 10000000);
	}
	printf("# %s/%s: swept %ld allocations\n", c, id, n);
}

static void test_alloc_sweep__base_pack(void **state)
{
	(void)state;
	sweep("base", "cn");
}

/* A child pack with frozen tables, metatables and upvalues to snapshot. */
static void test_alloc_sweep__frozen_state(void **state)
{
	(void)state;
	sweep("state_read", "cn-x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_sweep__base_pack),
		cmocka_unit_test(test_alloc_sweep__frozen_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
