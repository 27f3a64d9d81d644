/* test_monitor.c - rules.monitor boundaries (policies/cn/rules/monitor.lua, docs/monitoring.md):
 * the Xi'an medical lines (strictly above 10,000 / 26,000 yuan), the 30-day revisit, the 12- and
 * 6-month reviews, the phase-out cap and the 3-month recheck after a death. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sa_alerts *run(const char *pack, const char *enrol, const char *members, const char *events, sa_date as_of)
{
	char doc[4096];
	sa_engine *e;
	sa_alerts *a = NULL;
	snprintf(doc, sizeof doc,
	         "- household:\n"
	         "    id: t1\n    region: \"610103\"\n    area: urban\n    enrolments: [%s]\n"
	         "    members:\n%s"
	         "  events:\n%s",
	         enrol, members ? members : "      - { id: m1, relation: head, birth: 1950-01-01 }\n", events);
	assert_int_equal(sa_engine_new(&e, NULL), 0);
	if (sa_engine_load(e, pack) != 0)
		fail_msg("load %s: %s", pack, sa_error_last()->message);
	if (sa_monitor_parse(&a, e, doc, strlen(doc), "test", as_of) != 0)
		fail_msg("monitor: %s", sa_error_last()->message);
	sa_engine_free(e);
	return a;
}

static int find(const sa_alerts *a, const char *id)
{
	for (size_t i = 0; i < sa_alerts_count(a); i++)
		if (strcmp(sa_alert_field(a, i, "rule"), id) == 0)
			return (int)i;
	return -1;
}

static int medical(const char *pack, const char *enrol, const char *amount)
{
	char ev[256];
	sa_alerts *a;
	int i;
	snprintf(ev, sizeof ev, "    - { kind: medical, date: 2025-06-01, amount: \"%s\" }\n", amount);
	a = run(pack, enrol, NULL, ev, 20250901);
	i = find(a, "monitor.medical_high");
	if (i >= 0)
		assert_string_equal(sa_alert_field(a, (size_t)i, "action"), "review");
	sa_alerts_free(a);
	return i >= 0;
}

static void test_medical_low_income(void **state)
{
	(void)state;
	assert_false(medical("cn-6101", "dibao", "9999.99"));
	assert_false(medical("cn-6101", "dibao", "10000.00")); /* 超过: strictly above */
	assert_true(medical("cn-6101", "dibao", "10000.01"));
	assert_true(medical("cn-6101", "edge", "10000.01"));
}

static void test_medical_general(void **state)
{
	(void)state;
	assert_false(medical("cn-6101", "", "10000.01"));
	assert_false(medical("cn-6101", "", "25999.99"));
	assert_false(medical("cn-6101", "", "26000.00"));
	assert_true(medical("cn-6101", "", "26000.01"));
	/* the national pack sets no line: no warning at any amount */
	assert_false(medical("cn", "dibao", "999999.00"));
}

static void test_medical_window(void **state)
{
	sa_alerts *a;
	(void)state;
	/* 2024-09-01 is exactly 12 months before: outside (date > as_of - 12 months) */
	a = run("cn-6101", "dibao", NULL,
	        "    - { kind: medical, date: 2024-09-01, amount: \"5000\" }\n"
	        "    - { kind: medical, date: 2025-08-01, amount: \"5000.01\" }\n", 20250901);
	assert_int_equal(find(a, "monitor.medical_high"), -1);
	sa_alerts_free(a);
	a = run("cn-6101", "dibao", NULL,
	        "    - { kind: medical, date: 2024-09-02, amount: \"5000\" }\n"
	        "    - { kind: medical, date: 2025-08-01, amount: \"5000.01\" }\n", 20250901);
	assert_true(find(a, "monitor.medical_high") >= 0);
	sa_alerts_free(a);
}

static void test_revisit_30_days(void **state)
{
	sa_alerts *a;
	int i;
	(void)state;
	a = run("cn", "dibao", NULL, "    - { kind: enrolled, program: dibao, date: 2025-03-01 }\n", 20250302);
	i = find(a, "monitor.revisit");
	assert_true(i >= 0);
	assert_string_equal(sa_alert_field(a, (size_t)i, "due"), "2025-03-31");
	assert_string_equal(sa_alert_field(a, (size_t)i, "action"), "visit");
	sa_alerts_free(a);
	/* a visit on day 30 settles it; on day 31 it does not */
	a = run("cn", "dibao", NULL,
	        "    - { kind: enrolled, program: dibao, date: 2025-03-01 }\n    - { kind: visit, date: 2025-03-31 }\n",
	        20250415);
	assert_int_equal(find(a, "monitor.revisit"), -1);
	sa_alerts_free(a);
	a = run("cn", "dibao", NULL,
	        "    - { kind: exited, program: dibao, date: 2025-03-01 }\n    - { kind: visit, date: 2025-04-01 }\n",
	        20250415);
	assert_true(find(a, "monitor.revisit") >= 0);
	sa_alerts_free(a);
}

static void test_review_12_months(void **state)
{
	sa_alerts *a;
	int i;
	(void)state;
	a = run("cn", "dibao", NULL, "    - { kind: review, date: 2025-01-15 }\n", 20251214);
	assert_int_equal(find(a, "monitor.review.annual"), -1);
	sa_alerts_free(a);
	a = run("cn", "dibao", NULL, "    - { kind: review, date: 2025-01-15 }\n", 20251215);
	i = find(a, "monitor.review.annual");
	assert_true(i >= 0);
	assert_int_equal(sa_alert_due(a, (size_t)i), 20260115);
	sa_alerts_free(a);
}

static void test_review_6_months(void **state)
{
	sa_alerts *a;
	int i;
	(void)state;
	/* unstable income noted at the last review */
	a = run("cn", "dibao", NULL, "    - { kind: review, date: 2025-01-15, unstable_income: true }\n", 20250615);
	i = find(a, "monitor.review.half_year");
	assert_true(i >= 0);
	assert_int_equal(sa_alert_due(a, (size_t)i), 20250715);
	sa_alerts_free(a);
	a = run("cn", "dibao", NULL, "    - { kind: review, date: 2025-01-15, unstable_income: true }\n", 20250614);
	assert_int_equal(find(a, "monitor.review.half_year"), -1);
	sa_alerts_free(a);
	/* a member able to work, aged 16-59 */
	a = run("cn", "dibao",
	        "      - { id: m1, relation: head, birth: 1985-01-01, able_to_work: true }\n",
	        "    - { kind: review, date: 2025-01-15 }\n", 20250615);
	i = find(a, "monitor.review.half_year");
	assert_true(i >= 0);
	assert_int_equal(sa_alert_due(a, (size_t)i), 20250715);
	sa_alerts_free(a);
}

static void test_phase_out_and_death(void **state)
{
	sa_alerts *a;
	int i;
	(void)state;
	a = run("cn", "dibao", NULL, "    - { kind: phase_out, date: 2025-02-28 }\n", 20250301);
	i = find(a, "monitor.phase_out_end");
	assert_true(i >= 0);
	assert_int_equal(sa_alert_due(a, (size_t)i), 20250828);
	sa_alerts_free(a);
	a = run("cn", "dibao",
	        "      - { id: m1, relation: head, birth: 1950-01-01 }\n      - { id: m2, relation: spouse, birth: 1952-01-01 }\n",
	        "    - { kind: death, date: 2025-11-30, member: m2 }\n", 20251201);
	i = find(a, "monitor.review.death");
	assert_true(i >= 0);
	assert_int_equal(sa_alert_due(a, (size_t)i), 20260228); /* 3 months, end of month clamped */
	assert_string_equal(sa_alert_field(a, (size_t)i, "member"), "m2");
	assert_true(find(a, "monitor.visit.death") >= 0); /* 过世必访 */
	sa_alerts_free(a);
}

static void test_five_must_visits(void **state)
{
	sa_alerts *a;
	(void)state;
	a = run("cn", "tekun", NULL,
	        "    - { kind: hospitalisation, date: 2025-08-01, member: m1 }\n"
	        "    - { kind: accident, date: 2025-08-02 }\n    - { kind: disaster, date: 2025-08-03 }\n", 20250901);
	assert_true(find(a, "monitor.visit.hospital") >= 0);
	assert_true(find(a, "monitor.visit.accident") >= 0);
	assert_true(find(a, "monitor.visit.disaster") >= 0);
	assert_true(find(a, "monitor.visit.special") >= 0); /* 特殊救助对象: no visit in 12 months */
	sa_alerts_free(a);
	a = run("cn", "tekun", NULL,
	        "    - { kind: hospitalisation, date: 2025-08-01, member: m1 }\n    - { kind: visit, date: 2025-08-05 }\n",
	        20250901);
	assert_int_equal(find(a, "monitor.visit.hospital"), -1);
	assert_int_equal(find(a, "monitor.visit.special"), -1);
	sa_alerts_free(a);
}

static void test_bad_event(void **state)
{
	sa_engine *e;
	sa_alerts *a;
	const char *doc = "- household: { id: x, region: \"610103\", area: urban, members: [{ id: m1, relation: head, birth: 1950-01-01 }] }\n"
	                  "  events:\n    - { kind: flood, date: 2025-01-01 }\n";
	(void)state;
	assert_int_equal(sa_engine_new(&e, NULL), 0);
	assert_int_equal(sa_engine_load(e, "cn"), 0);
	assert_int_equal(sa_monitor_parse(&a, e, doc, strlen(doc), "bad.yaml", 20250901), SA_EINVALID);
	assert_int_equal(sa_error_last()->line, 3);
	sa_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_medical_low_income), cmocka_unit_test(test_medical_general),
		cmocka_unit_test(test_medical_window),     cmocka_unit_test(test_revisit_30_days),
		cmocka_unit_test(test_review_12_months),   cmocka_unit_test(test_review_6_months),
		cmocka_unit_test(test_phase_out_and_death), cmocka_unit_test(test_five_must_visits),
		cmocka_unit_test(test_bad_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
