/* test_alert.c - alerts as records (include/sa/monitor.h, docs/monitoring.md "Alert records"):
 * stable ids, priority, due and overdue, the lifecycle open → acknowledged → closed, JSON
 * written and read back unchanged, bad records refused with their line; and the eligibility
 * re-run when an event changes a member's income or the members (西安 cn-6101, urban 低保
 * standard 740 yuan from 2020-10-01, 西安晚报 2020-11-18 as cited in the pack). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUSEHOLD                                                                                               \
	"- household:\n"                                                                                           \
	"    id: xa-9\n    region: \"610103\"\n    area: urban\n    enrolments: [%s]\n"                           \
	"    members:\n"                                                                                           \
	"      - { id: m1, relation: head, birth: 1980-01-01, income: { wages: \"%s\" } }\n"                      \
	"      - { id: m2, relation: spouse, birth: 1982-01-01, income: { wages: \"0\" } }\n"                     \
	"    assets: { deposits: 0 }\n"                                                                            \
	"    attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "                    \
	"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n"                                    \
	"  events:\n%s"

static sa_alerts *monitor(const char *enrol, const char *wages, const char *events, sa_date as_of)
{
	char doc[4096];
	sa_engine *e;
	sa_alerts *a = NULL;
	snprintf(doc, sizeof doc, HOUSEHOLD, enrol, wages, events);
	assert_int_equal(sa_engine_new(&e, NULL), 0);
	if (sa_engine_load(e, "cn-6101") != 0)
		fail_msg("load: %s", sa_error_last()->message);
	if (sa_monitor_parse(&a, e, doc, strlen(doc), "test", as_of) != 0)
		fail_msg("monitor: %s", sa_error_last()->message);
	sa_engine_free(e);
	return a;
}

static int find(const sa_alerts *a, const char *rule)
{
	for (size_t i = 0; i < sa_alerts_count(a); i++)
		if (strcmp(sa_alert_field(a, i, "rule"), rule) == 0)
			return (int)i;
	return -1;
}

static const char *const HOSPITAL = "    - { kind: hospitalisation, date: 2025-08-20, member: m1 }\n";

static void test_ids_priority_overdue(void **state)
{
	(void)state;
	sa_alerts *a = monitor("", "0", HOSPITAL, 20250901), *b = monitor("", "0", HOSPITAL, 20250905);
	int i = find(a, "monitor.visit.hospital"), j = find(b, "monitor.visit.hospital");
	assert_true(i >= 0 && j >= 0);
	/* the same household, rule, member and due date: the same id on another day's run */
	assert_string_equal(sa_alert_field(a, (size_t)i, "id"), sa_alert_field(b, (size_t)j, "id"));
	assert_int_equal(strlen(sa_alert_field(a, (size_t)i, "id")), 17);
	assert_string_equal(sa_alert_field(a, (size_t)i, "priority"), "high"); /* a visit */
	assert_string_equal(sa_alert_field(a, (size_t)i, "status"), "open");
	assert_string_equal(sa_alert_field(a, (size_t)i, "member"), "m1");
	/* 五必访 due on the day of the event (no monitor.visit_within_days in 西安) */
	assert_string_equal(sa_alert_field(a, (size_t)i, "due"), "2025-08-20");
	assert_int_equal(sa_alert_overdue(a, (size_t)i, 20250820), 0);
	assert_int_equal(sa_alert_overdue(a, (size_t)i, 20250821), 1);
	/* another member: another id */
	sa_alerts *c = monitor("", "0", "    - { kind: hospitalisation, date: 2025-08-20, member: m2 }\n", 20250901);
	assert_string_not_equal(sa_alert_field(c, (size_t)find(c, "monitor.visit.hospital"), "id"),
	                        sa_alert_field(a, (size_t)i, "id"));
	/* the reference is a published document, not a file of ours */
	assert_non_null(strstr(sa_alert_field(a, (size_t)i, "ref"), "兴庆区民政局"));
	assert_null(strstr(sa_alert_field(a, (size_t)i, "ref"), "seeds/"));
	sa_alerts_free(a);
	sa_alerts_free(b);
	sa_alerts_free(c);
}

static void test_lifecycle_and_round_trip(void **state)
{
	(void)state;
	sa_alerts *a = monitor("", "0", HOSPITAL, 20250901), *back;
	char *json, *again, id[32];
	int i = find(a, "monitor.visit.hospital");
	snprintf(id, sizeof id, "%s", sa_alert_field(a, (size_t)i, "id"));
	/* closing an open alert, acknowledging without who, an unknown id, a bad time */
	assert_int_equal(sa_alert_close(a, id, "2025-09-02", "visited"), SA_EINVALID);
	assert_int_equal(sa_alert_acknowledge(a, id, "2025-09-02", ""), SA_EINVALID);
	assert_int_equal(sa_alert_acknowledge(a, "Anone", "2025-09-02", "张"), SA_ENOTFOUND);
	assert_int_equal(sa_alert_acknowledge(a, id, "2025-09-31", "张"), SA_EINVALID);
	assert_string_equal(sa_alert_field(a, (size_t)i, "status"), "open");
	assert_int_equal(sa_alert_acknowledge(a, id, "2025-09-02T10:30", "张社工"), 0);
	assert_string_equal(sa_alert_field(a, (size_t)i, "status"), "acknowledged");
	assert_int_equal(sa_alert_acknowledge(a, id, "2025-09-02T11:00", "李"), SA_EINVALID); /* twice */
	/* closed needs an outcome, and not before the acknowledgement */
	assert_int_equal(sa_alert_close(a, id, "2025-09-03", ""), SA_EINVALID);
	assert_int_equal(sa_alert_close(a, id, "2025-09-01", "visited"), SA_EINVALID);
	assert_int_equal(sa_alert_close(a, id, "2025-09-03", "已入户走访 visited"), 0);
	assert_string_equal(sa_alert_field(a, (size_t)i, "closed_at"), "2025-09-03");
	assert_string_equal(sa_alert_field(a, (size_t)i, "outcome"), "已入户走访 visited");
	assert_int_equal(sa_alert_overdue(a, (size_t)i, 20251231), 0); /* closed is never overdue */
	/* written and read back: the same records, the same text */
	assert_int_equal(sa_alerts_to_json(&json, a, 0), 0);
	assert_int_equal(sa_alerts_parse(&back, json, strlen(json), "alerts.jsonl"), 0);
	assert_int_equal(sa_alerts_count(back), sa_alerts_count(a));
	assert_int_equal(sa_alerts_to_json(&again, back, 0), 0);
	assert_string_equal(again, json);
	assert_string_equal(sa_alert_field(back, (size_t)i, "acknowledged_by"), "张社工");
	sa_free(json);
	sa_free(again);
	sa_alerts_free(back);
	sa_alerts_free(a);
}

static void expect_bad(const char *text, int line, const char *words)
{
	sa_alerts *a = NULL;
	const sa_error *err;
	assert_int_equal(sa_alerts_parse(&a, text, strlen(text), "alerts.jsonl"), SA_EINVALID);
	assert_null(a);
	err = sa_error_last();
	assert_int_equal(err->line, line);
	if (!strstr(err->message, words))
		fail_msg("message '%s' lacks '%s'", err->message, words);
}

#define REC(extra) "{\"id\":\"A1\",\"rule\":\"r\",\"action\":\"visit\",\"as_of\":\"2025-09-01\"" extra "}\n"

static void test_bad_records(void **state)
{
	(void)state;
	sa_alerts *a;
	assert_int_equal(sa_alerts_parse(&a, REC(",\"status\":\"open\""), strlen(REC(",\"status\":\"open\"")), "x"), 0);
	sa_alerts_free(a);
	expect_bad(REC(",\"status\":\"open\"") "{\"id\":", 2, "not valid JSON");
	expect_bad(REC(",\"status\":\"done\""), 1, "status 'done'");
	expect_bad(REC(",\"status\":\"open\",\"colour\":\"red\""), 1, "unknown alert field colour");
	expect_bad(REC(",\"status\":\"closed\",\"acknowledged_at\":\"2025-09-02\""), 1, "closed_at and outcome");
	expect_bad(REC(",\"status\":\"acknowledged\""), 1, "acknowledged_at");
	expect_bad(REC(",\"status\":\"open\"") "\n" REC(",\"status\":\"open\""), 3, "appears twice");
	expect_bad(REC(",\"status\":\"open\",\"zh\":5"), 1, "must be text or null");
}

static void test_recheck_income(void **state)
{
	(void)state;
	/* m1's wages fall from 2000 to 300: 2 × 740 − 300 = 1180 a month of 低保, no longer 边缘 */
	sa_alerts *a = monitor("", "2000.00", "    - { kind: income_change, date: 2025-08-15, member: m1, income: wages, after: \"300.00\" }\n",
	                       20250901);
	int i = find(a, "monitor.recheck");
	char *json;
	assert_true(i >= 0);
	assert_string_equal(sa_alert_field(a, (size_t)i, "priority"), "high");
	assert_string_equal(sa_alert_field(a, (size_t)i, "zh"),
	                    "收入或成员变化后重新核定：低保 dibao：无资格 → 有资格 1180.00；低保边缘 edge：有资格 → 无资格");
	assert_int_equal(sa_alerts_to_json(&json, a, 0), 0);
	assert_non_null(strstr(json, "\"changes\":[{\"program\":\"dibao\",\"before\":{\"status\":\"ineligible\",\"amount\":null},"
	                             "\"after\":{\"status\":\"eligible\",\"amount\":\"1180.00\"}}"));
	sa_free(json);
	sa_alerts_free(a);
	/* an event after the as-of date changes nothing yet: no re-run */
	a = monitor("", "2000.00", "    - { kind: income_change, date: 2025-09-15, member: m1, income: wages, after: \"300.00\" }\n",
	            20250901);
	assert_int_equal(find(a, "monitor.recheck"), -1);
	sa_alerts_free(a);
	/* an amount that moves without a status change: normal priority */
	a = monitor("", "300.00", "    - { kind: income_change, date: 2025-08-15, member: m1, income: wages, after: \"100.00\" }\n",
	            20250901);
	i = find(a, "monitor.recheck");
	assert_string_equal(sa_alert_field(a, (size_t)i, "priority"), "normal");
	assert_string_equal(sa_alert_field(a, (size_t)i, "zh"), "收入或成员变化后重新核定：低保 dibao：有资格 1180.00 → 有资格 1380.00");
	sa_alerts_free(a);
}

static void test_recheck_members(void **state)
{
	(void)state;
	/* the earner leaves: the spouse alone, 740 a month (单人户, no income) */
	sa_alerts *a = monitor("dibao", "2000.00", "    - { kind: member_left, date: 2025-08-01, member: m1 }\n", 20250901);
	int i = find(a, "monitor.recheck");
	assert_true(i >= 0);
	assert_non_null(strstr(sa_alert_field(a, (size_t)i, "zh"), "低保 dibao：无资格 → 有资格 740.00"));
	sa_alerts_free(a);
	/* an income_change without its member is an error with the event's position */
	{
		char doc[4096];
		sa_engine *e;
		snprintf(doc, sizeof doc, HOUSEHOLD, "", "0", "    - { kind: income_change, date: 2025-08-15, income: wages, after: \"1\" }\n");
		assert_int_equal(sa_engine_new(&e, NULL), 0);
		assert_int_equal(sa_engine_load(e, "cn-6101"), 0);
		assert_int_equal(sa_monitor_parse(&a, e, doc, strlen(doc), "ev.yaml", 20250901), SA_EINVALID);
		assert_int_equal(sa_error_last()->line, 12); /* the event's line */
		snprintf(doc, sizeof doc, HOUSEHOLD, "", "0", "    - { kind: member_left, date: 2025-08-15, member: m9 }\n");
		assert_int_equal(sa_monitor_parse(&a, e, doc, strlen(doc), "ev.yaml", 20250901), SA_EINVALID);
		assert_non_null(strstr(sa_error_last()->message, "m9"));
		sa_engine_free(e);
	}
}

/* A medical alert per person, on a fixed line or on a share of disposable income. */
static sa_alerts *medical_run(const char *pack, const char *region, const char *events)
{
	char doc[2048], path[4096];
	const char *src = getenv("SA_SOURCE_DIR");
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_alerts *a = NULL;
	snprintf(path, sizeof path, "%s/policies:%s/tests/data/monitor/packs", src ? src : ".", src ? src : ".");
	o.pack_path = path;
	snprintf(doc, sizeof doc,
	         "- household:\n    id: h\n    region: \"%s\"\n    area: urban\n    enrolments: [dibao]\n    members:\n"
	         "      - { id: m1, relation: head, birth: 1960-01-01 }\n      - { id: m2, relation: spouse, birth: 1962-01-01 }\n"
	         "  events:\n%s",
	         region, events);
	assert_int_equal(sa_engine_new(&e, &o), 0);
	if (sa_engine_load(e, pack) != 0)
		fail_msg("load %s: %s", pack, sa_error_last()->message);
	if (sa_monitor_parse(&a, e, doc, strlen(doc), "test", 20250901) != 0)
		fail_msg("monitor: %s", sa_error_last()->message);
	sa_engine_free(e);
	return a;
}

static void test_medical_per_person_and_share(void **state)
{
	(void)state;
	/* 西安 low-income line 10,000 is per person (个人自付): 6,000 + 6,000 in two people is no alert */
	sa_alerts *a = medical_run("cn-6101", "610103",
	                           "    - { kind: medical, date: 2025-06-01, amount: \"6000\", member: m1 }\n"
	                           "    - { kind: medical, date: 2025-07-01, amount: \"6000\", member: m2 }\n");
	assert_int_equal(find(a, "monitor.medical_high"), -1);
	sa_alerts_free(a);
	a = medical_run("cn-6101", "610103",
	                "    - { kind: medical, date: 2025-06-01, amount: \"6000\", member: m1 }\n"
	                "    - { kind: medical, date: 2025-07-01, amount: \"4000.01\", member: m1 }\n");
	assert_true(find(a, "monitor.medical_high") >= 0);
	assert_string_equal(sa_alert_field(a, (size_t)find(a, "monitor.medical_high"), "member"), "m1");
	sa_alerts_free(a);
	/* a line as a share: 50 % of 45,082 = 22,541.00, warned strictly above */
	a = medical_run("cn-610199", "610199", "    - { kind: medical, date: 2025-06-01, amount: \"22541.00\", member: m1 }\n");
	assert_int_equal(find(a, "monitor.medical_high"), -1);
	sa_alerts_free(a);
	a = medical_run("cn-610199", "610199", "    - { kind: medical, date: 2025-06-01, amount: \"22541.01\", member: m1 }\n");
	assert_true(find(a, "monitor.medical_high") >= 0);
	assert_non_null(strstr(sa_alert_field(a, (size_t)find(a, "monitor.medical_high"), "zh"), "预警线 22541.00 元"));
	/* the reference names both the share's and the income figure's documents */
	assert_non_null(strstr(sa_alert_field(a, (size_t)find(a, "monitor.medical_high"), "ref"), "西安调查队"));
	sa_alerts_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_priority_overdue), cmocka_unit_test(test_lifecycle_and_round_trip),
		cmocka_unit_test(test_bad_records),          cmocka_unit_test(test_recheck_income),
		cmocka_unit_test(test_recheck_members),      cmocka_unit_test(test_medical_per_person_and_share),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
