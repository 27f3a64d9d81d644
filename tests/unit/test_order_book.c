/* test_order_book.c - service orders as records (include/sa/orders.h): the chain with 接单/拒单,
 * refusals that change nothing, the yearly budget and item limits against orders already in
 * the book, ratings over a window of 回访, journals cut short, and a book that outlives its
 * engine. Catalog: cn-150602 (东胜区, 1000 yuan per person per year; prices and deadlines of
 * the pack, several marked invented there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "svc_helpers.h"

static sa_order_book *new_book(sa_engine **e)
{
	const sa_catalog *c;
	sa_order_book *b;
	*e = svc_engine("cn-150602");
	assert_int_equal(sa_engine_catalog(&c, *e), 0);
	assert_int_equal(sa_order_book_new(&b, c), 0);
	return b;
}

static int ev(sa_order_book *b, const char *json)
{
	return sa_order_book_apply(NULL, b, json, strlen(json));
}

/* A field of an order's record, as text ("" when absent). */
static const char *rec(const sa_order_book *b, const char *id, const char *key, sa_date today)
{
	static char out[512];
	char *json, *p, pat[64];
	assert_int_equal(sa_order_book_order_json(&json, b, id, today), 0);
	snprintf(pat, sizeof pat, "\"%s\":", key);
	out[0] = 0;
	if ((p = strstr(json, pat))) {
		size_t n = 0;
		p += strlen(pat);
		while (p[n] && p[n] != ',' && p[n] != '}' && n < sizeof out - 1)
			n++;
		memcpy(out, p, n);
		out[n] = 0;
	}
	sa_free(json);
	return out;
}

static void test_chain_with_reject(void **state)
{
	(void)state;
	sa_engine *e;
	sa_order_book *b = new_book(&e);
	char *canon;
	const char *apply = "{\"event\":\"apply\",\"at\":\"2025-03-01T09:00\",\"household\":\"h1\",\"member\":\"m1\","
	                    "\"item\":\"massage\",\"quantity\":2}";
	assert_int_equal(sa_order_book_apply(&canon, b, apply, strlen(apply)), 0);
	/* the id is filled in and the time normalised in what a journal records */
	assert_string_equal(canon, "{\"event\":\"apply\",\"order\":\"O000001\",\"at\":\"2025-03-01T09:00:00\","
	                           "\"household\":\"h1\",\"member\":\"m1\",\"item\":\"massage\",\"quantity\":2}");
	sa_free(canon);
	assert_string_equal(rec(b, "O000001", "amount", 0), "\"160.00\""); /* 80 × 2 */
	assert_string_equal(rec(b, "O000001", "amount_fen", 0), "16000");
	/* next step 点单 due 7 days after the application; overdue only after the due day */
	assert_string_equal(rec(b, "O000001", "due", 20250308), "\"2025-03-08\"");
	assert_string_equal(rec(b, "O000001", "overdue", 20250308), "false");
	assert_string_equal(rec(b, "O000001", "overdue", 20250309), "true");

	/* skipping 点单, going back in time, an unknown order: refused, nothing changes */
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"O000001\",\"at\":\"2025-03-02\",\"provider\":\"p1\"}"),
	                 SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"order\",\"order\":\"O000001\",\"at\":\"2025-02-28\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"order\",\"order\":\"O9\",\"at\":\"2025-03-02\"}"), SA_ENOTFOUND);
	assert_string_equal(rec(b, "O000001", "state", 0), "\"applied\"");

	assert_int_equal(ev(b, "{\"event\":\"order\",\"order\":\"O000001\",\"at\":\"2025-03-02\"}"), 0);
	/* a dispatch names the provider */
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"O000001\",\"at\":\"2025-03-03\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"O000001\",\"at\":\"2025-03-03\",\"provider\":\"p1\"}"), 0);
	/* only the provider it was dispatched to accepts or rejects it */
	assert_int_equal(ev(b, "{\"event\":\"accept\",\"order\":\"O000001\",\"at\":\"2025-03-03\",\"provider\":\"p2\"}"),
	                 SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"reject\",\"order\":\"O000001\",\"at\":\"2025-03-03T11:00\"}"), 0);
	/* rejected: 服务 cannot come next, a new 派单 can */
	assert_int_equal(ev(b, "{\"event\":\"serve\",\"order\":\"O000001\",\"at\":\"2025-03-04\"}"), SA_EINVALID);
	assert_string_equal(rec(b, "O000001", "state", 0), "\"rejected\"");
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"O000001\",\"at\":\"2025-03-04\",\"provider\":\"p2\"}"), 0);
	assert_int_equal(ev(b, "{\"event\":\"accept\",\"order\":\"O000001\",\"at\":\"2025-03-04\"}"), 0);
	/* 服务 is due 7 days after the 派单 it follows */
	assert_string_equal(rec(b, "O000001", "due", 0), "\"2025-03-11\"");
	assert_int_equal(ev(b, "{\"event\":\"serve\",\"order\":\"O000001\",\"at\":\"2025-03-10\"}"), 0);
	assert_string_equal(rec(b, "O000001", "due", 0), "\"2025-04-09\""); /* 回访 30 days */
	/* a 回访 needs a score within the catalog's scale (1..5) */
	assert_int_equal(ev(b, "{\"event\":\"follow_up\",\"order\":\"O000001\",\"at\":\"2025-03-20\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"follow_up\",\"order\":\"O000001\",\"at\":\"2025-03-20\",\"score\":6}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"follow_up\",\"order\":\"O000001\",\"at\":\"2025-03-20\",\"score\":4}"), 0);
	assert_string_equal(rec(b, "O000001", "state", 0), "\"followed_up\"");
	assert_string_equal(rec(b, "O000001", "provider", 0), "\"p2\"");
	assert_string_equal(rec(b, "O000001", "reject", 0), "\"2025-03-03T11:00:00\"");
	assert_string_equal(rec(b, "O000001", "next", 0), "null");
	assert_int_equal(ev(b, "{\"event\":\"follow_up\",\"order\":\"O000001\",\"at\":\"2025-03-21\",\"score\":4}"), SA_EINVALID);
	sa_order_book_free(b);
	sa_engine_free(e);
}

static void test_budget_and_limits(void **state)
{
	(void)state;
	sa_engine *e;
	sa_order_book *b = new_book(&e);
	sa_fen spent, budget;
	/* 按摩理疗 80 × 10 = 800 of the 1000-yuan year */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"A\",\"at\":\"2025-01-05\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"massage\",\"quantity\":10}"), 0);
	/* an 11th 按摩理疗 passes the item's 10 a year */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"B\",\"at\":\"2025-02-05\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"massage\",\"quantity\":1}"), SA_EINVALID);
	/* 全屋清洁 100 × 2 = 200: exactly the budget, accepted */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"C\",\"at\":\"2025-06-05\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"deep_clean\",\"quantity\":2}"), 0);
	assert_int_equal(sa_order_book_spent(&spent, &budget, b, "h1", "m1", 2025), 0);
	assert_int_equal(spent, 100000);
	assert_int_equal(budget, 100000);
	/* one fen more: 上门理发 30 refused; the message names spent, order and budget */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"D\",\"at\":\"2025-07-05\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"haircut\"}"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "1000.00"));
	assert_non_null(strstr(sa_error_last()->message, "30.00"));
	/* another member, and the next year, start from nothing */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"E\",\"at\":\"2025-07-05\",\"household\":\"h1\",\"member\":\"m2\","
	                       "\"item\":\"haircut\"}"), 0);
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"F\",\"at\":\"2026-01-01\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"haircut\"}"), 0);
	/* a duplicate id, an unknown item, a quantity that is not a whole number */
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"A\",\"at\":\"2026-01-01\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"haircut\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"at\":\"2026-01-01\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"no_such\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"at\":\"2026-01-01\",\"household\":\"h1\",\"member\":\"m1\","
	                       "\"item\":\"haircut\",\"quantity\":1.5}"), SA_EINVALID);
	assert_int_equal(sa_order_book_count(b), 4);
	sa_order_book_free(b);
	sa_engine_free(e);
}

/* Serve and follow up order id of provider p on day with score s (and flag). */
static void complete(sa_order_book *b, const char *id, const char *p, const char *day, int s, const char *flag)
{
	char buf[512];
	snprintf(buf, sizeof buf, "{\"event\":\"apply\",\"order\":\"%s\",\"at\":\"%s\",\"household\":\"h%s\",\"member\":\"m\","
	         "\"item\":\"haircut\"}", id, day, id);
	assert_int_equal(ev(b, buf), 0);
	const char *steps[] = { "order", "dispatch", "accept", "serve" };
	for (int i = 0; i < 4; i++) {
		snprintf(buf, sizeof buf, "{\"event\":\"%s\",\"order\":\"%s\",\"at\":\"%s\",\"provider\":\"%s\"}", steps[i], id,
		         day, p);
		assert_int_equal(ev(b, buf), 0);
	}
	snprintf(buf, sizeof buf, "{\"event\":\"follow_up\",\"order\":\"%s\",\"at\":\"%s\",\"score\":%d%s%s%s}", id, day, s,
	         flag ? ",\"flag\":\"" : "", flag ? flag : "", flag ? "\"" : "");
	assert_int_equal(ev(b, buf), 0);
}

static void test_ratings_window(void **state)
{
	(void)state;
	sa_engine *e;
	sa_order_book *b = new_book(&e);
	sa_provider_rating r;
	/* 2025 Q1: 5, 5, 4 → 4.67 of 5 = 93 % ≥ 90 %: green (min 3 scores) */
	complete(b, "1", "p", "2025-01-10", 5, NULL);
	complete(b, "2", "p", "2025-02-10", 5, NULL);
	complete(b, "3", "p", "2025-03-10", 4, NULL);
	/* Q2: 3, 3, 4 → 3.33 = 67 % < 75 %: red */
	complete(b, "4", "p", "2025-04-10", 3, NULL);
	complete(b, "5", "p", "2025-05-10", 3, NULL);
	complete(b, "6", "p", "2025-06-10", 4, NULL);
	assert_int_equal(sa_order_book_rating(&r, b, "p", 20250101, 20250331), 0);
	assert_string_equal(r.light, "green");
	assert_int_equal(r.avg_x100, 467);
	assert_int_equal(r.scores, 3);
	assert_int_equal(sa_order_book_rating(&r, b, "p", 20250401, 20250630), 0);
	assert_string_equal(r.light, "red");
	/* the whole half year: 24 / 6 = 4.00 = 80 %: yellow */
	assert_int_equal(sa_order_book_rating(&r, b, "p", 0, 0), 0);
	assert_string_equal(r.light, "yellow");
	assert_int_equal(r.avg_x100, 400);
	/* fewer than 3 scores: unrated; a serious flag: red whatever the scores */
	assert_int_equal(sa_order_book_rating(&r, b, "p", 20250101, 20250131), 0);
	assert_string_equal(r.light, "unrated");
	complete(b, "7", "q", "2025-01-10", 5, "serious");
	assert_int_equal(sa_order_book_rating(&r, b, "q", 0, 0), 0);
	assert_string_equal(r.light, "red");
	assert_int_equal(r.serious_flags, 1);
	assert_int_equal(sa_order_book_rating(&r, b, "nobody", 0, 0), SA_ENOTFOUND);
	sa_order_book_free(b);
	sa_engine_free(e);
}

static void test_journal_replay(void **state)
{
	(void)state;
	sa_engine *e;
	sa_order_book *b = new_book(&e);
	size_t line;
	int cut;
	const char *msg;
	const char *journal =
		"{\"event\":\"apply\",\"order\":\"A\",\"at\":\"2025-03-01\",\"household\":\"h\",\"member\":\"m\",\"item\":\"haircut\"}\n"
		"{\"event\":\"serve\",\"order\":\"A\",\"at\":\"2025-03-02\"}\n"          /* out of order: line 2 */
		"{\"event\":\"order\",\"order\":\"Z\",\"at\":\"2025-03-02\"}\n"          /* unknown order: line 3 */
		"\n"
		"{\"event\":\"order\",\"order\":\"A\",\"at\":\"2025-03-02\"}\n"
		"{\"event\":\"dispatch\",\"order\":\"A\",\"at\":\"2025-03-0";            /* cut short: line 6 */
	assert_int_equal(sa_order_book_replay(b, journal, strlen(journal), "j.jsonl"), 0);
	assert_int_equal(sa_order_book_problem_count(b), 3);
	assert_int_equal(sa_order_book_problem(&line, &cut, &msg, b, 0), 0);
	assert_int_equal(line, 2);
	assert_int_equal(cut, 0);
	assert_non_null(strstr(msg, "j.jsonl:2: "));
	assert_int_equal(sa_order_book_problem(&line, &cut, &msg, b, 1), 0);
	assert_int_equal(line, 3);
	assert_int_equal(sa_order_book_problem(&line, &cut, &msg, b, 2), 0);
	assert_int_equal(line, 6);
	assert_int_equal(cut, 1);
	assert_int_equal(sa_order_book_problem(&line, &cut, &msg, b, 3), SA_ENOTFOUND);
	/* everything up to the last whole record was applied */
	assert_string_equal(rec(b, "A", "state", 0), "\"ordered\"");
	sa_order_book_free(b);
	sa_engine_free(e);
}

static void test_outlives_engine(void **state)
{
	(void)state;
	sa_engine *e;
	sa_order_book *b = new_book(&e);
	char *all;
	assert_int_equal(ev(b, "{\"event\":\"apply\",\"order\":\"A\",\"at\":\"2025-03-01\",\"household\":\"h\",\"member\":\"m\","
	                       "\"item\":\"deep_clean\"}"), 0);
	/* the catalog goes with the engine; the book copied what it needs */
	sa_engine_free(e);
	assert_int_equal(ev(b, "{\"event\":\"order\",\"order\":\"A\",\"at\":\"2025-03-02\"}"), 0);
	assert_string_equal(rec(b, "A", "item_name", 20250303), "\"全屋清洁\"");
	assert_string_equal(rec(b, "A", "due", 20250303), "\"2025-03-05\"");
	assert_int_equal(sa_order_book_to_json(&all, b, 0, 0), 0);
	assert_non_null(strstr(all, "\"id\":\"A\""));
	assert_int_equal(all[strlen(all) - 1], '\n');
	sa_free(all);
	/* not JSON, not an object, an unknown step, a bad time */
	assert_int_equal(ev(b, "{\"event\":"), SA_EINVALID);
	assert_int_equal(ev(b, "[1]"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"cancel\",\"order\":\"A\",\"at\":\"2025-03-02\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"A\",\"at\":\"2025-02-30\",\"provider\":\"p\"}"), SA_EINVALID);
	assert_int_equal(ev(b, "{\"event\":\"dispatch\",\"order\":\"A\",\"at\":\"2025-03-03T25:00\",\"provider\":\"p\"}"),
	                 SA_EINVALID);
	sa_order_book_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_with_reject), cmocka_unit_test(test_budget_and_limits),
		cmocka_unit_test(test_ratings_window), cmocka_unit_test(test_journal_replay),
		cmocka_unit_test(test_outlives_engine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
