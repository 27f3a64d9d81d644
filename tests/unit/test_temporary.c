/* test_temporary.c - 临时救助 (policies/cn/rules/temporary.lua) on the fixture pack cn-99
 * (tests/data/services: urban standard 700, months 2..6, small amount 800, urgent ≥ 2 ×, cap
 * 20 ×, township ≤ 2 ×, disposable income 36000): the Gansu K1 example, every clamp and cap at
 * its boundary, the approval level, the means test of 支出型; and special assistance. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "svc_helpers.h"

/* The status of program i (the test fails when i is out of range). */
static sa_status status_of(const sa_decision *d, size_t i)
{
	sa_status st = SA_INELIGIBLE;
	assert_int_equal(sa_decision_program_status(&st, d, i), SA_OK);
	return st;
}

static sa_engine *E;

static int setup(void **state)
{
	(void)state;
	E = svc_engine("cn-99");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sa_engine_free(E);
	return 0;
}

static const char *people(int n, const char *wages0)
{
	static char buf[2048];
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		                        "    - { id: m%d, relation: %s, birth: 1980-01-01, income: { wages: \"%s\" } }\n", i + 1,
		                        i ? "child" : "head", i == 0 && wages0 ? wages0 : "0");
	return buf;
}

/* run a hardship; returns the temporary program's status, amount in *fen (-1 if none) */
static sa_status temp(int persons, const char *wages0, const char *hardship, sa_fen *fen, sa_decision **keep)
{
	char extra[512];
	sa_decision *d;
	int i;
	sa_status st;
	snprintf(extra, sizeof extra, "  hardship: %s\n", hardship);
	d = svc_eval(E, "990000", people(persons, wages0), extra, 20250301);
	i = sa_decision_find(d, "temporary");
	assert_true(i >= 0);
	st = status_of(d, (size_t)i);
	if (sa_decision_program_amount(fen, d, (size_t)i) != 0)
		*fen = -1;
	if (keep)
		*keep = d;
	else
		sa_decision_free(d);
	return st;
}

static int has_reason(const sa_decision *d, const char *id)
{
	char *json;
	char want[128];
	int yes;
	snprintf(want, sizeof want, "\"id\":\"%s\"", id);
	assert_int_equal(sa_decision_to_json(&json, d, 0), 0);
	yes = strstr(json, want) != NULL;
	sa_free(json);
	return yes;
}

/* K1: 700 × 3 × 4 = 8400; 8 months are counted as 6: 12600; 1 month as 2: 4200 */
static void test_expense_formula(void **state)
{
	(void)state;
	sa_fen f;
	sa_decision *d;
	assert_int_equal(temp(3, NULL, "{ kind: expense, cause: medical, months: 4 }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, 840000);
	assert_true(has_reason(d, "temporary.approval.county"));
	{ /* one-off, never per month (issue 13 point 5) */
		int i = sa_decision_find(d, "temporary");
		char *json, *text;
		assert_string_equal(sa_decision_program_period(d, (size_t)i), "once");
		assert_string_equal(sa_decision_program_period(d, (size_t)sa_decision_find(d, "dibao")), "month");
		assert_int_equal(sa_decision_to_json(&json, d, 0), 0);
		assert_non_null(strstr(json, "\"amount_fen\":840000,\"period\":\"once\""));
		sa_free(json);
		assert_int_equal(sa_decision_to_text(&text, d), 0);
		assert_non_null(strstr(text, "8400.00 元（一次性）yuan (one-off)"));
		assert_null(strstr(strstr(text, "temporary"), "元/月"));
		sa_free(text);
	}
	sa_decision_free(d);
	assert_int_equal(temp(3, NULL, "{ kind: expense, months: 6 }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 1260000);
	assert_int_equal(temp(3, NULL, "{ kind: expense, months: 8 }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 1260000);
	assert_int_equal(temp(3, NULL, "{ kind: expense, months: 2 }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 420000);
	assert_int_equal(temp(3, NULL, "{ kind: expense, months: 1 }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 420000);
}

/* cap 20 × 700 = 14000: 5 × 4 months is exactly the cap (no 一事一议); 5 × 5 is capped */
static void test_cap(void **state)
{
	(void)state;
	sa_fen f;
	sa_decision *d;
	assert_int_equal(temp(5, NULL, "{ kind: expense, months: 4 }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, 1400000);
	assert_false(has_reason(d, "temporary.cap"));
	sa_decision_free(d);
	assert_int_equal(temp(5, NULL, "{ kind: expense, months: 5 }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, 1400000);
	assert_true(has_reason(d, "temporary.cap"));
	assert_true(has_reason(d, "temporary.approval.case_by_case"));
	sa_decision_free(d);
	/* never more than the stated spending */
	assert_int_equal(temp(3, NULL, "{ kind: expense, months: 4, spending: \"5000\" }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 500000);
}

/* mild emergency: the small amount, ≤ 800, no means test */
static void test_small_amount(void **state)
{
	(void)state;
	sa_fen f;
	sa_decision *d;
	assert_int_equal(temp(1, "99999", "{ kind: urgent, severity: mild, cause: fire }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, 80000);
	assert_true(has_reason(d, "temporary.approval.township"));
	sa_decision_free(d);
	assert_int_equal(temp(1, NULL, "{ kind: urgent, severity: mild, spending: \"500\" }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 50000);
	assert_int_equal(temp(1, NULL, "{ kind: urgent, severity: mild, spending: \"800.01\" }", &f, NULL), SA_ELIGIBLE);
	assert_int_equal(f, 80000);
}

/* serious emergency: 1 × 2 months = 1400 = the 2 × floor and the township limit; 3 months: county */
static void test_urgent_and_approval(void **state)
{
	(void)state;
	sa_fen f, part;
	sa_decision *d;
	int i;
	assert_int_equal(temp(1, NULL, "{ kind: urgent, severity: serious, cause: traffic, months: 1 }", &f, &d),
	                 SA_ELIGIBLE);
	assert_int_equal(f, 140000);
	assert_true(has_reason(d, "temporary.approval.township"));
	i = sa_decision_find(d, "temporary");
	assert_int_equal(sa_decision_program_part(&part, d, (size_t)i, "first_help"), 0);
	assert_int_equal(part, 80000); /* the small amount is paid first */
	sa_decision_free(d);
	assert_int_equal(temp(1, NULL, "{ kind: urgent, severity: serious, months: 3 }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, 210000);
	assert_true(has_reason(d, "temporary.approval.county"));
	sa_decision_free(d);
}

/* 支出型 means test: per-capita annual income must be below 36000 (3 persons: 9000/month total) */
static void test_expense_means_test(void **state)
{
	(void)state;
	sa_fen f;
	assert_int_equal(temp(3, "9000", "{ kind: expense, months: 4 }", &f, NULL), SA_INELIGIBLE);
	assert_int_equal(temp(3, "8999.99", "{ kind: expense, months: 4 }", &f, NULL), SA_ELIGIBLE);
	/* 急难型 has no means test */
	assert_int_equal(temp(3, "9000", "{ kind: urgent, months: 4 }", &f, NULL), SA_ELIGIBLE);
}

static void test_undetermined_and_absent(void **state)
{
	(void)state;
	sa_fen f;
	sa_decision *d;
	/* the means test passes; only the amount waits for the months (issue 13 point 8) */
	assert_int_equal(temp(2, NULL, "{ kind: expense }", &f, &d), SA_ELIGIBLE);
	assert_int_equal(f, -1);
	assert_int_equal(sa_decision_missing_count(d) > 0, 1);
	{
		int found = 0;
		for (size_t k = 0; k < sa_decision_missing_count(d); k++)
			found |= strcmp(sa_decision_missing(d, k), "household.hardship.months") == 0;
		assert_true(found);
	}
	sa_decision_free(d);
	d = svc_eval(E, "990000", people(1, NULL), NULL, 20250301);
	assert_int_equal(sa_decision_find(d, "temporary"), -1);
	sa_decision_free(d);
	/* the national pack sets no amounts: eligible (no means test), the amount names the parameter */
	{
		sa_engine *cn = svc_engine("cn");
		sa_decision *x = svc_eval(cn, "990000", people(1, NULL), "  hardship: { kind: urgent, severity: mild }\n", 20250301);
		int i = sa_decision_find(x, "temporary");
		sa_fen fen;
		assert_int_equal(status_of(x, (size_t)i), SA_ELIGIBLE);
		assert_int_equal(sa_decision_program_amount(&fen, x, (size_t)i), SA_ENOTFOUND);
		sa_decision_free(x);
		sa_engine_free(cn);
	}
}

/* bad hardship input is refused by the schema */
static void test_schema(void **state)
{
	(void)state;
	sa_household **hs;
	size_t n;
	const char *doc = "household:\n  id: t\n  region: \"990000\"\n  area: urban\n  members:\n"
	                  "    - { id: m1, relation: head, birth: 1980-01-01 }\n  hardship: { kind: lottery }\n";
	assert_int_equal(sa_household_parse(&hs, &n, doc, strlen(doc), "t"), SA_EINVALID);
}

/* special assistance by tier: a 低保 household with a pupil opens medical, education, housing, employment */
static void test_special(void **state)
{
	(void)state;
	sa_decision *d = svc_eval(E, "990000",
	                          "    - { id: m1, relation: head, birth: 1980-01-01, income: { wages: 0 } }\n"
	                          "    - { id: m2, relation: child, birth: 2012-01-01, education: { level: junior }, income: { wages: 0 } }\n",
	                          NULL, 20250301);
	const char *names[] = { "special.medical", "special.education", "special.housing", "special.employment" };
	assert_string_equal(sa_decision_tier(d), "dibao");
	for (int k = 0; k < 4; k++) {
		int i = sa_decision_find(d, names[k]);
		assert_true(i >= 0);
		assert_int_equal(status_of(d, (size_t)i), SA_ELIGIBLE);
	}
	assert_int_equal(sa_decision_program_member_count(d, (size_t)sa_decision_find(d, "special.education")), 1);
	assert_int_equal(sa_decision_program_member_count(d, (size_t)sa_decision_find(d, "special.employment")), 1);
	sa_decision_free(d);
	/* no tier: all four ineligible */
	d = svc_eval(E, "990000", people(1, "90000"), NULL, 20250301);
	assert_string_equal(sa_decision_tier(d), "none");
	assert_int_equal(status_of(d, (size_t)sa_decision_find(d, "special.medical")), SA_INELIGIBLE);
	sa_decision_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expense_formula), cmocka_unit_test(test_cap),
		cmocka_unit_test(test_small_amount),    cmocka_unit_test(test_urgent_and_approval),
		cmocka_unit_test(test_expense_means_test), cmocka_unit_test(test_undetermined_and_absent),
		cmocka_unit_test(test_schema),          cmocka_unit_test(test_special),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
