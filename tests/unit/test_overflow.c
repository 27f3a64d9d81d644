/* test_overflow.c - money cannot overflow (issue 12 #1): household limits keep every sum a rule
 * can form far below 2^63 fen; the money helpers of Lua (sa.add, sa.sum, sa.mul) and every C
 * sum (screening totals) check; an amount beyond 10^13 yuan from a rule is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sec_helpers.h"
#include "core/internal.h"

/* members income lines: n members, every income field at `yuan` */
static char *household(const char *id, int n, const char *yuan)
{
	static const char *const fields[] = { "wages", "business", "property", "transfers", "pension", NULL };
	size_t cap = 256 + (size_t)n * 400, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	len += (size_t)snprintf(t + len, cap - len, "household:\n  id: %s\n  region: \"530102\"\n  area: urban\n  members:\n", id);
	for (int i = 0; i < n; i++) {
		len += (size_t)snprintf(t + len, cap - len, "    - { id: m%d, relation: %s, birth: 1960-01-01, income: {", i,
		                        i ? "other" : "head");
		for (int f = 0; fields[f]; f++)
			len += (size_t)snprintf(t + len, cap - len, "%s %s: \"%s\"", f ? "," : "", fields[f], yuan);
		len += (size_t)snprintf(t + len, cap - len, " } }\n");
	}
	return t;
}

static int parse(sa_household ***hs, size_t *n, const char *t)
{
	return sa_household_parse(hs, n, t, strlen(t), "hh.yaml");
}

/* The reported case: 1,600 members at the old per-field cap summed to 0.00 and 低保 paid
 * 1,190,400.00 yuan a month. Now: more than 100 members, or one amount above 10^9 yuan, is
 * refused with the limit named. */
static void test_overflow_household__limits(void **state)
{
	sa_household **hs;
	size_t n;
	char *t;
	(void)state;
	t = household("big", 1600, "10000000000000");
	assert_int_equal(parse(&hs, &n, t), SA_EINVALID);
	assert_non_null(strstr(sec_msg(), "more than 100 items"));
	free(t);
	t = household("big", 101, "1");
	assert_int_equal(parse(&hs, &n, t), SA_EINVALID);
	assert_non_null(strstr(sec_msg(), "members"));
	free(t);
	t = household("rich", 1, "1000000000.01");
	assert_int_equal(parse(&hs, &n, t), SA_EINVALID);
	assert_non_null(strstr(sec_msg(), "limit of 1000000000.00 yuan"));
	free(t);
}

/* At the limits (100 members, every income field at 10^9 yuan) the national pack decides
 * without overflow: nothing is paid. */
static void test_overflow_household__at_the_limits(void **state)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_household **hs;
	sa_decision *d;
	size_t n;
	char *t = household("max", 100, "1000000000");
	(void)state;
	o.pack_path = getenv("SA_PACK_PATH");
	assert_int_equal(parse(&hs, &n, t), 0);
	assert_int_equal(sa_engine_new(&e, &o), 0);
	assert_int_equal(sa_engine_load(e, "cn"), 0);
	assert_int_equal(sa_evaluate(&d, e, hs[0], 20250801), 0);
	for (size_t i = 0; i < sa_decision_program_count(d); i++) {
		sa_fen amount = 0;
		sa_status st = SA_INELIGIBLE;
		assert_int_equal(sa_decision_program_status(&st, d, i), 0);
		if (st == SA_ELIGIBLE && sa_decision_program_amount(&amount, d, i) == 0 && amount > 0)
			fail_msg("program %s eligible with %lld fen", sa_decision_program_name(d, i), (long long)amount);
	}
	sa_decision_free(d);
	sa_engine_free(e);
	sa_household_array_free(hs, n);
	free(t);
}

/* Lua's money helpers check; an amount beyond 10^13 yuan is refused. */
static void test_overflow_lua__helpers_and_amounts(void **state)
{
	sa_engine *e = sec_engine("money");
	sa_household *h = sec_household("h", 1), *huge = sec_household("huge", 1);
	sa_fen amount = 0;
	(void)state;
	assert_int_equal(sa_engine_load(e, "cn-x"), 0);
	assert_int_equal(sec_eval(e, h, &amount, NULL), 0);
	assert_int_equal(amount, 6);
	assert_int_equal(sec_eval(e, huge, &amount, NULL), SA_EPOLICY);
	assert_non_null(strstr(sec_msg(), "beyond 10^13 yuan"));
	sa_household_free(h);
	sa_household_free(huge);
	sa_engine_free(e);
}

/* C sums: sa__fen_add fails instead of wrapping. */
static void test_overflow_c__sums(void **state)
{
	sa_fen acc = SA_FEN_SUM_MAX - 1;
	(void)state;
	assert_int_equal(sa__fen_add(&acc, 1), 0);
	assert_int_equal(acc, SA_FEN_SUM_MAX);
	assert_int_equal(sa__fen_add(&acc, 1), SA_EINVALID);
	assert_int_equal(acc, SA_FEN_SUM_MAX); /* unchanged */
	acc = INT64_MIN + 5;
	assert_int_equal(sa__fen_add(&acc, -10), SA_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overflow_household__limits),
		cmocka_unit_test(test_overflow_household__at_the_limits),
		cmocka_unit_test(test_overflow_lua__helpers_and_amounts),
		cmocka_unit_test(test_overflow_c__sums),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
