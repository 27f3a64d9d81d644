/* test_services.c - service catalogs (services.yaml along the chain) and the entitlement in
 * the decision (docs/services.md): 东胜区's groups at their boundaries (age 59/60, disability
 * grade 2/3, home/institutional 特困), cn's national types, the extend mode. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "svc_helpers.h"

static void test_dongsheng_catalog(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const sa_catalog *c;
	sa_fen f;
	int i;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_string_equal(sa_catalog_pack(c), "cn-150602");
	assert_int_equal(sa_catalog_item_count(c), 40);
	assert_int_equal(sa_catalog_budget(&f, c), 0);
	assert_int_equal(f, 100000);
	assert_int_equal(sa_catalog_stage_count(c), 3);
	assert_int_equal(sa_catalog_stage_share(c, 0), 40);
	assert_int_equal(sa_catalog_stage_share(c, 1), 40);
	assert_int_equal(sa_catalog_stage_share(c, 2), 20);
	i = sa_catalog_item_find(c, "festival_visit");
	assert_true(i >= 0);
	assert_int_equal(sa_catalog_item_price(&f, c, (size_t)i), 0);
	assert_int_equal(f, 30000);
	assert_string_equal(sa_catalog_item_field(c, (size_t)i, "source"), "seed");
	i = sa_catalog_item_find(c, "deep_clean");
	assert_int_equal(sa_catalog_item_price(&f, c, (size_t)i), 0);
	assert_int_equal(f, 10000);
	i = sa_catalog_item_find(c, "massage");
	assert_string_equal(sa_catalog_item_field(c, (size_t)i, "source"), "invented");
	assert_int_equal(sa_catalog_item_find(c, "nope"), -1);
	sa_engine_free(e);
}

static void test_national_catalog(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn");
	const sa_catalog *c;
	sa_fen f;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_catalog_item_count(c), 12);
	assert_int_equal(sa_catalog_budget(&f, c), SA_ENOTFOUND);
	assert_int_equal(sa_catalog_item_price(&f, c, 0), SA_ENOTFOUND);
	sa_engine_free(e);
}

static void test_extend_mode(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-99");
	const sa_catalog *c;
	sa_fen f;
	int i;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_catalog_item_count(c), 13); /* cn's 12, visit and cleaning replaced, one added */
	i = sa_catalog_item_find(c, "visit");
	assert_int_equal(sa_catalog_item_price(&f, c, (size_t)i), 0);
	assert_int_equal(f, 5000);
	assert_true(sa_catalog_item_find(c, "escort") >= 0); /* kept from cn */
	assert_int_equal(sa_catalog_budget(&f, c), 0);
	assert_int_equal(f, 60000);
	sa_engine_free(e);
}

static void test_kang_entitled(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	sa_decision *d = svc_eval(e, "150602", KANG_MEMBERS, NULL, 20250301);
	char *json;
	sa_fen f;
	int k = svc_member_index(d, "m1");
	assert_string_equal(sa_decision_tier(d), "dibao");
	assert_true(k >= 0);
	assert_string_equal(sa_decision_service_group(d, (size_t)k), "dibao_under_60");
	assert_int_equal(sa_decision_service_budget(&f, d, (size_t)k), 0);
	assert_int_equal(f, 100000);
	assert_int_equal(sa_decision_service_item_count(d, (size_t)k), 40);
	assert_true(svc_member_index(d, "m2") >= 0); /* major illness */
	assert_int_equal(sa_decision_to_json(&json, d, 0), 0);
	assert_non_null(strstr(json, "\"services\":{\"catalog\":\"cn-150602\""));
	assert_non_null(strstr(json, "\"program\":\"special.medical\""));
	sa_free(json);
	sa_decision_free(d);
	sa_engine_free(e);
}

/* age_max 59: 59 the day before the 60th birthday is in, 60 on it is out */
static void test_age_boundary(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const char *m59 = "    - { id: m1, relation: head, birth: 1965-03-02, disability: { type: physical, grade: 4 }, "
	                  "income: { wages: 0 } }\n";
	const char *m60 = "    - { id: m1, relation: head, birth: 1965-03-01, disability: { type: physical, grade: 4 }, "
	                  "income: { wages: 0 } }\n";
	sa_decision *d = svc_eval(e, "150602", m59, NULL, 20250301);
	assert_int_equal(svc_member_index(d, "m1"), 0);
	sa_decision_free(d);
	d = svc_eval(e, "150602", m60, NULL, 20250301);
	assert_int_equal(svc_member_index(d, "m1"), -1);
	sa_decision_free(d);
	sa_engine_free(e);
}

/* mild = grades 3 and 4; grade 2 (severe) alone does not admit; no disability, no illness: out */
static void test_grade_boundary(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	char m[512];
	int grades[] = { 2, 3 }, want[] = { -1, 0 };
	for (int i = 0; i < 2; i++) {
		sa_decision *d;
		snprintf(m, sizeof m,
		         "    - { id: m1, relation: head, birth: 1980-01-01, disability: { type: physical, grade: %d }, "
		         "income: { wages: 0 } }\n",
		         grades[i]);
		d = svc_eval(e, "150602", m, NULL, 20250301);
		assert_int_equal(svc_member_index(d, "m1"), want[i]);
		sa_decision_free(d);
	}
	{
		sa_decision *d = svc_eval(e, "150602", "    - { id: m1, relation: head, birth: 1980-01-01, income: { wages: 0 } }\n",
		                          NULL, 20250301);
		assert_string_equal(sa_decision_tier(d), "dibao");
		assert_int_equal(sa_decision_service_member_count(d), 0);
		sa_decision_free(d);
	}
	sa_engine_free(e);
}

/* 特困: home (分散) support is in, institutional (集中) is out */
static void test_tekun_support_mode(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const char *modes[] = { "home", "institutional" };
	int want[] = { 0, -1 };
	for (int i = 0; i < 2; i++) {
		char m[512];
		sa_decision *d;
		snprintf(m, sizeof m,
		         "    - { id: m1, relation: head, birth: 1940-01-01, support_mode: %s, income: { wages: 0 }, "
		         "self_care: { eating: true, dressing: true, bed_transfer: true, toileting: true, indoor_walking: true, "
		         "bathing: true } }\n",
		         modes[i]);
		d = svc_eval(e, "150602", m, "  supporters: []\n", 20250301);
		if (strcmp(sa_decision_tier(d), "tekun") != 0)
			skip(); /* the national 特困 rules decide the tier; this test is about the group */
		assert_int_equal(svc_member_index(d, "m1"), want[i]);
		if (want[i] == 0) { /* aged 85: the 16-59 items are not offered */
			for (size_t j = 0; j < sa_decision_service_item_count(d, 0); j++)
				assert_string_not_equal(sa_decision_service_item(d, 0, j), "employment_link");
		}
		sa_decision_free(d);
	}
	sa_engine_free(e);
}

/* no_extras: the tier programs only */
static void test_no_extras(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	sa_household **hs;
	size_t n;
	sa_decision *d;
	const char *doc = "household:\n  id: t\n  region: \"150602\"\n  area: urban\n  members:\n" KANG_MEMBERS;
	assert_int_equal(sa_household_parse(&hs, &n, doc, strlen(doc), "t"), 0);
	assert_int_equal(sa_evaluate_ex(&d, e, hs[0], 20250301, SA_EVAL_NO_EXTRAS), 0);
	assert_int_equal(sa_decision_find(d, "special.medical"), -1);
	assert_int_equal(sa_decision_service_member_count(d), 0);
	sa_decision_free(d);
	sa_household_array_free(hs, n);
	sa_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dongsheng_catalog), cmocka_unit_test(test_national_catalog),
		cmocka_unit_test(test_extend_mode),       cmocka_unit_test(test_kang_entitled),
		cmocka_unit_test(test_age_boundary),      cmocka_unit_test(test_grade_boundary),
		cmocka_unit_test(test_tekun_support_mode), cmocka_unit_test(test_no_extras),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
