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

/* A household with every amount and list at its limit (docs/security.md "Money"): 100
 * members with all 15 income kinds and employment costs at 10^9 yuan, deposits, securities and
 * insurance at 10^9 yuan, 100 vehicles at 10^9 yuan, 1,000 housing units, all 4 rigid
 * spendings at 10^9 yuan, 100 supporters with 10^9 yuan a month, hardship of 120 months for 100
 * persons and 10^9 yuan. */
static char *worst_household(void)
{
	static const char *const inc[] = { "wages", "business", "property", "transfers", "pension",
		                           "basic_pension_central", "special_care", "scholarship", "family_planning",
		                           "bravery_award", "assistance", "old_age_allowance", "maintenance_received",
		                           "maintenance_paid", "taxes_and_contributions", NULL };
	const char *M = "\"1000000000\"";
	size_t cap = 200000, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
#define OUT(...) (len += (size_t)snprintf(t + len, cap - len, __VA_ARGS__), assert_true(len < cap))
	OUT("household:\n  id: worst\n  region: \"990101\"\n  area: urban\n"
	    "  attested: { assets_within_rigid_limits: true }\n  members:\n");
	for (int i = 0; i < 100; i++) {
		OUT("    - id: m%d\n      relation: %s\n      birth: 1960-01-01\n      employment: employed\n      income: {", i,
		    i ? "other" : "head");
		for (int f = 0; inc[f]; f++)
			OUT("%s %s: %s", f ? "," : "", inc[f], M);
		OUT(" }\n      employment_costs: %s\n", M);
	}
	OUT("  assets:\n    deposits: %s\n    securities: %s\n    insurance: %s\n    housing_units: 1000\n"
	    "    non_residential_units: 1000\n    vehicles:\n", M, M, M);
	for (int i = 0; i < 100; i++)
		OUT("      - { kind: car, value: %s }\n", M);
	OUT("  rigid_spending: { medical: %s, education: %s, rehabilitation: %s, other: %s }\n  supporters:\n", M, M, M, M);
	for (int i = 0; i < 100; i++)
		OUT("    - { relation: child, birth: 1980-01-01, income: %s, supports: [m0] }\n", M);
	OUT("  hardship: { kind: expense, cause: medical, severity: serious, months: 120, persons: 100, spending: %s }\n", M);
#undef OUT
	return t;
}

/* field `key` of program `name`'s margin in a decision document, as text */
static const char *margin_of(const sa_value *doc, const char *name, const char *key)
{
	const sa_value *progs = sa__value_get(doc, "programs");
	assert_non_null(progs);
	for (size_t i = 0; i < progs->n; i++) {
		const sa_value *p = progs->items[i], *v = sa__value_get(p, "program");
		if (v && v->str && strcmp(v->str, name) == 0) {
			const sa_value *m = sa__value_get(p, "margin"), *f;
			assert_non_null(m);
			f = sa__value_get(m, key);
			assert_non_null(f);
			return f->str;
		}
	}
	fail_msg("no program %s", name);
	return NULL;
}

/* The worst-case household at every limit is decided exactly: the totals the national rules
 * form with Lua's integer `+` and `*` (the household's monthly counted income, 12 times it,
 * 60 % of that) are the exact figures, not wrapped ones, and nothing is paid. Counted income
 * per member (00_facts.lua): wages - employment cost + business + property + transfers +
 * pension + maintenance received - maintenance paid - taxes; the central basic pension and the
 * uncounted kinds (Art. 13) are left out. cn-test, 2025-08-01: no employment-cost rule, so
 * 100 x 4 x 10^9 = 4 x 10^11 yuan; 2024-03-01: a 30 % wage share, 100 x 3.7 x 10^9. */
static void test_overflow_household__every_limit(void **state)
{
	static const struct {
		sa_date date;
		const char *income, *annual, *rigid_limit, *dibao_amount_fen;
	} cases[] = {
		{ 20250801, "400000000000.00", "4800000000000.00", "2880000000000.00", "39999993000001" },
		{ 20240301, "370000000000.00", "4440000000000.00", "2664000000000.00", "36999993000001" },
	};
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_household **hs;
	size_t n;
	char *t = worst_household();
	(void)state;
	o.pack_path = getenv("SA_PACK_PATH");
	assert_int_equal(parse(&hs, &n, t), 0);
	assert_int_equal(sa_engine_new(&e, &o), 0);
	assert_int_equal(sa_engine_load(e, "cn-test"), 0);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		sa_decision *d;
		char *json;
		sa_value *doc;
		assert_int_equal(sa_evaluate(&d, e, hs[0], cases[c].date), 0);
		assert_int_equal(sa_decision_missing_count(d), 0);
		for (size_t i = 0; i < sa_decision_program_count(d); i++) {
			sa_status st = SA_ELIGIBLE;
			assert_int_equal(sa_decision_program_status(&st, d, i), 0);
			if (st != SA_INELIGIBLE)
				fail_msg("%s is not ineligible", sa_decision_program_name(d, i));
		}
		assert_int_equal(sa_decision_to_json(&json, d, 0), 0);
		assert_int_equal(sa__yaml_parse(&doc, json, strlen(json), "decision.json"), 0);
		assert_string_equal(margin_of(doc, "dibao", "value"), cases[c].income);
		assert_string_equal(margin_of(doc, "edge", "value"), cases[c].income);
		assert_string_equal(margin_of(doc, "dibao", "amount_fen"), cases[c].dibao_amount_fen);
		assert_string_equal(margin_of(doc, "rigid", "value"), "4000000000.00");
		assert_string_equal(margin_of(doc, "rigid", "base"), cases[c].annual);
		assert_string_equal(margin_of(doc, "rigid", "limit"), cases[c].rigid_limit);
		sa__value_free(doc);
		sa_free(json);
		sa_decision_free(d);
	}
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
		cmocka_unit_test(test_overflow_household__every_limit),
		cmocka_unit_test(test_overflow_lua__helpers_and_amounts),
		cmocka_unit_test(test_overflow_c__sums),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
