/* test_order.c - the order chain 申请 → 点单 → 派单 → 服务 → 回访 (transitions, due dates from
 * 东胜区's chain deadlines) and provider ratings with the traffic light (惠民县, seeds/000). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "svc_helpers.h"

static void test_chain(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const sa_catalog *c;
	sa_order *o;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_order_new(&o, c, "massage", 20250301), 0);
	assert_int_equal(sa_order_state(o), SA_ORDER_APPLY);
	assert_int_equal(sa_order_due(o, SA_ORDER_ORDER), 20250308); /* 7 days */
	assert_int_equal(sa_order_due(o, SA_ORDER_DISPATCH), 0);     /* 点单 not done */
	/* skipping a step, or going back in time, is refused and changes nothing */
	assert_int_equal(sa_order_advance(o, SA_ORDER_DISPATCH, 20250302), SA_EINVALID);
	assert_int_equal(sa_order_advance(o, SA_ORDER_ORDER, 20250228), SA_EINVALID);
	assert_int_equal(sa_order_state(o), SA_ORDER_APPLY);
	/* overdue: the due day itself is not late, the day after is */
	assert_int_equal(sa_order_overdue(o, 20250308), 0);
	assert_int_equal(sa_order_overdue(o, 20250309), 1);
	assert_int_equal(sa_order_advance(o, SA_ORDER_ORDER, 20250301), 0); /* same day is fine */
	assert_int_equal(sa_order_due(o, SA_ORDER_DISPATCH), 20250304);    /* 3 days */
	assert_int_equal(sa_order_advance(o, SA_ORDER_DISPATCH, 20250303), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_SERVE), 20250310);
	assert_int_equal(sa_order_advance(o, SA_ORDER_SERVE, 20250310), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_FOLLOW_UP), 20250409); /* 30 days, across the month */
	assert_int_equal(sa_order_overdue(o, 20250409), 0);
	assert_int_equal(sa_order_overdue(o, 20250410), 1);
	assert_int_equal(sa_order_advance(o, SA_ORDER_FOLLOW_UP, 20250320), 0);
	assert_int_equal(sa_order_state(o), SA_ORDER_FOLLOW_UP);
	assert_int_equal(sa_order_overdue(o, 20260101), 0);
	assert_int_equal(sa_order_advance(o, SA_ORDER_FOLLOW_UP, 20250321), SA_EINVALID); /* chain ended */
	assert_int_equal(sa_order_date(o, SA_ORDER_SERVE), 20250310);
	assert_string_equal(sa_order_step_zh(SA_ORDER_FOLLOW_UP), "回访");
	sa_order_free(o);
	assert_int_equal(sa_order_new(&o, c, "nothing", 20250301), SA_ENOTFOUND);
	sa_engine_free(e);
}

/* cn sets no deadlines: no due dates */
static void test_no_deadlines(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn");
	const sa_catalog *c;
	sa_order *o;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_order_new(&o, c, "visit", 20250301), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_ORDER), 0);
	assert_int_equal(sa_order_overdue(o, 20300101), 0);
	sa_order_free(o);
	sa_engine_free(e);
}

/* 东胜区 thresholds (invented): scale 5, green ≥ 90 % (4.5), yellow ≥ 75 % (3.75), 3 scores */
static void test_ratings(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const sa_catalog *c;
	sa_ratings *r;
	const char *light;
	int avg;
	size_t n;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_ratings_new(&r, c), 0);
	/* A: 5 4 5 4 = 4.5 exactly: green */
	sa_ratings_add(r, "A", 5), sa_ratings_add(r, "A", 4), sa_ratings_add(r, "A", 5), sa_ratings_add(r, "A", 4);
	assert_int_equal(sa_ratings_status(&light, &avg, &n, r, "A"), 0);
	assert_string_equal(light, "green");
	assert_int_equal(avg, 450);
	assert_int_equal(n, 4);
	/* B: 5 4 4 = 4.33: yellow; C: 4 4 3 4 = 3.75 exactly: yellow; D: 4 3 4 4 3 = 3.6: red */
	sa_ratings_add(r, "B", 5), sa_ratings_add(r, "B", 4), sa_ratings_add(r, "B", 4);
	sa_ratings_status(&light, NULL, NULL, r, "B");
	assert_string_equal(light, "yellow");
	sa_ratings_add(r, "C", 4), sa_ratings_add(r, "C", 4), sa_ratings_add(r, "C", 3), sa_ratings_add(r, "C", 4);
	sa_ratings_status(&light, NULL, NULL, r, "C");
	assert_string_equal(light, "yellow");
	sa_ratings_add(r, "D", 4), sa_ratings_add(r, "D", 3), sa_ratings_add(r, "D", 4), sa_ratings_add(r, "D", 4);
	sa_ratings_add(r, "D", 3);
	sa_ratings_status(&light, NULL, NULL, r, "D");
	assert_string_equal(light, "red");
	/* fewer than 3 scores: unrated; a minor problem caps at yellow; a serious one is red */
	sa_ratings_add(r, "E", 5), sa_ratings_add(r, "E", 5);
	sa_ratings_status(&light, NULL, NULL, r, "E");
	assert_string_equal(light, "unrated");
	sa_ratings_add(r, "E", 5);
	sa_ratings_status(&light, NULL, NULL, r, "E");
	assert_string_equal(light, "green");
	sa_ratings_flag(r, "E", 0);
	sa_ratings_status(&light, NULL, NULL, r, "E");
	assert_string_equal(light, "yellow");
	sa_ratings_flag(r, "E", 1);
	sa_ratings_status(&light, NULL, NULL, r, "E");
	assert_string_equal(light, "red");
	/* scores outside 1..5 */
	assert_int_equal(sa_ratings_add(r, "A", 0), SA_EINVALID);
	assert_int_equal(sa_ratings_add(r, "A", 6), SA_EINVALID);
	assert_int_equal(sa_ratings_status(&light, NULL, NULL, r, "Z"), SA_ENOTFOUND);
	sa_ratings_free(r);
	sa_engine_free(e);
}

/* Issue 12 #4: an order and ratings outlive the engine's reload (and the engine itself): they
 * keep their catalog alive (the sanitizer build reports any use after free). */
static void test_outlive_reload(void **state)
{
	(void)state;
	sa_engine *e = svc_engine("cn-150602");
	const sa_catalog *c;
	sa_order *o;
	sa_ratings *r;
	const char *light;
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_order_new(&o, c, "massage", 20250301), 0);
	assert_int_equal(sa_ratings_new(&r, c), 0);
	assert_int_equal(sa_engine_load(e, "cn"), 0); /* a reload drops the engine's catalog */
	assert_int_equal(sa_engine_catalog(&c, e), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_ORDER), 20250308); /* still 东胜区's 7 days */
	assert_int_equal(sa_order_advance(o, SA_ORDER_ORDER, 20250302), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_DISPATCH), 20250305);
	sa_engine_free(e);
	sa_ratings_add(r, "A", 5), sa_ratings_add(r, "A", 4), sa_ratings_add(r, "A", 5), sa_ratings_add(r, "A", 4);
	assert_int_equal(sa_ratings_status(&light, NULL, NULL, r, "A"), 0);
	assert_string_equal(light, "green");
	assert_int_equal(sa_order_advance(o, SA_ORDER_DISPATCH, 20250304), 0);
	assert_int_equal(sa_order_due(o, SA_ORDER_SERVE), 20250311);
	sa_order_free(o);
	sa_ratings_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_no_deadlines),
		cmocka_unit_test(test_ratings),
		cmocka_unit_test(test_outlive_reload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
