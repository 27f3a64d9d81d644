/* test_batch.c - sa_evaluate_batch: many households in one call into Lua give the same
 * decisions, byte for byte, as sa_evaluate_ex one by one; nothing carries from one household
 * to the next inside a batch; a household that fails (bad input, a runaway rule) fails alone
 * and the rest of the batch is decided. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sec_helpers.h"

#include <sa.h>

static char *json_of(const sa_decision *d)
{
	char *j = NULL;
	assert_int_equal(sa_decision_to_json(&j, d, 0), 0);
	return j;
}

/* A household of the national pack's test data: wages vary the outcome. */
static sa_household *household(int i)
{
	char text[1024];
	sa_household **arr;
	size_t n;
	sa_household *h;
	snprintf(text, sizeof text,
	         "household:\n  id: b%d\n  region: \"990000\"\n  area: %s\n"
	         "  attested: { assets_within_tekun_limits: true, assets_within_dibao_limits: true, assets_within_edge_limits: true }\n"
	         "  members:\n"
	         "    - { id: m1, relation: head, birth: %s, employment: employed, able_to_work: true, income: { wages: \"%d\" } }\n"
	         "    - { id: m2, relation: child, birth: 2012-03-01, income: {} }\n",
	         i, i % 2 ? "urban" : "rural", i == 7 ? "2030-01-01" : "1970-03-01", (i * 173) % 2000);
	assert_int_equal(sa_household_parse(&arr, &n, text, strlen(text), "batch"), 0);
	assert_int_equal(n, 1);
	h = arr[0];
	sa_free(arr);
	return h;
}

static void test_batch_same__as_one_by_one(void **state)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	enum { N = 40 };
	sa_household *hh[N];
	sa_decision *d[N];
	int codes[N];
	unsigned flags[] = { 0, SA_EVAL_NO_TEXT, SA_EVAL_NO_TEXT | SA_EVAL_NO_REASONS | SA_EVAL_NO_EXTRAS };
	(void)state;
	assert_int_equal(sa_engine_new(&e, &o), 0);
	assert_int_equal(sa_engine_load(e, "cn-test"), 0);
	for (int i = 0; i < N; i++)
		hh[i] = household(i);
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		assert_int_equal(sa_evaluate_batch(d, codes, e, (const sa_household *const *)hh, N, 20250801, flags[f]), N - 1);
		for (int i = 0; i < N; i++) {
			sa_decision *one = NULL;
			int rc = sa_evaluate_ex(&one, e, hh[i], 20250801, flags[f]);
			assert_int_equal(codes[i], rc);
			if (i == 7) { /* born after the date: refused, and only this one */
				assert_int_equal(rc, SA_EINVALID);
				assert_null(d[i]);
				continue;
			}
			assert_int_equal(rc, 0);
			{
				char *a = json_of(d[i]), *b = json_of(one);
				assert_string_equal(a, b);
				sa_free(a);
				sa_free(b);
			}
			sa_decision_free(one);
			sa_decision_free(d[i]);
		}
	}
	for (int i = 0; i < N; i++)
		sa_household_free(hh[i]);
	sa_engine_free(e);
}

/* The poisoning pack keeps a counter and the last household in upvalues: X decided first, after
 * 30 others and last in one batch is the same. */
static void test_batch_state__nothing_carries(void **state)
{
	sa_engine *e = sec_engine("state_upvalue");
	enum { N = 32 };
	sa_household *x = sec_household("X", 3), *other = sec_household("other", 1);
	const sa_household *hh[N];
	sa_decision *d[N];
	int codes[N];
	sa_fen first = -1, last = -2, amount;
	(void)state;
	assert_int_equal(sa_engine_load(e, "cn-x"), 0);
	for (int i = 0; i < N; i++)
		hh[i] = i == 0 || i == N - 1 ? x : other;
	assert_int_equal(sa_evaluate_batch(d, codes, e, hh, N, 20250801, 0), N);
	assert_int_equal(sa_decision_program_amount(&first, d[0], 0), 0);
	assert_int_equal(sa_decision_program_amount(&last, d[N - 1], 0), 0);
	assert_int_equal(first, 1000 + 1 + 10000);
	assert_int_equal(last, first);
	for (int i = 1; i < N - 1; i++) {
		assert_int_equal(sa_decision_program_amount(&amount, d[i], 0), 0);
		assert_int_equal(amount, 11001);
	}
	{
		char *a = json_of(d[0]), *b = json_of(d[N - 1]);
		size_t k = strlen("{\"household\":\"X\"");
		assert_memory_equal(a, b, k);
		assert_string_equal(a, b);
		sa_free(a);
		sa_free(b);
	}
	for (int i = 0; i < N; i++)
		sa_decision_free(d[i]);
	sa_household_free(x);
	sa_household_free(other);
	sa_engine_free(e);
}

/* A runaway rule (deterministic mode) fails each household with the limit; the engine is
 * rebuilt in between and every household gets its own error, none is skipped. */
static void test_batch_limits__runaway_fails_alone(void **state)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	enum { N = 3 };
	sa_household *h = sec_household("h", 1);
	const sa_household *hh[N] = { h, h, h };
	sa_decision *d[N];
	int codes[N];
	(void)state;
	o.instruction_limit = 100000;
	e = sec_engine_opts("loop", &o);
	assert_int_equal(sa_engine_load(e, "cn-x"), 0);
	assert_int_equal(sa_evaluate_batch(d, codes, e, hh, N, 20250801, 0), 0);
	for (int i = 0; i < N; i++) {
		assert_null(d[i]);
		assert_int_equal(codes[i], SA_ELIMIT);
	}
	assert_non_null(strstr(sa_error_last()->message, "instruction limit of 100000 exceeded"));
	/* the same engine then decides a well-behaved pack in a batch */
	assert_int_equal(sa_engine_load(e, "cn"), 0);
	assert_int_equal(sa_evaluate_batch(d, codes, e, hh, N, 20250801, 0), N);
	for (int i = 0; i < N; i++) {
		sa_fen amount = 0;
		assert_int_equal(sa_decision_program_amount(&amount, d[i], 0), 0);
		assert_int_equal(amount, 10001);
		sa_decision_free(d[i]);
	}
	sa_household_free(h);
	sa_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_same__as_one_by_one),
		cmocka_unit_test(test_batch_state__nothing_carries),
		cmocka_unit_test(test_batch_limits__runaway_fails_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
