/* test_money.c - money as integer fen (libsa/money.c): parsing yuan text, formatting, and
 * sa_money_muldiv with every rounding mode, including the published figures of
 * policy-facts (955.5 -> 956, 967.2 -> 968, 2051.2 -> 2052, 6400 / 12) and the A3 pitfall
 * (the household-level 低保 gap is not the sum of rounded per-capita gaps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <string.h>

static sa_fen parse_ok(const char *text)
{
	sa_fen v = -12345;
	assert_int_equal(sa_money_parse(&v, text), SA_OK);
	return v;
}

static void parse_fails(const char *text)
{
	sa_fen v = 777;
	sa_error_clear();
	assert_int_equal(sa_money_parse(&v, text), SA_EINVALID);
	assert_int_equal(v, 777); /* untouched */
	assert_non_null(sa_error_last());
	assert_int_equal(sa_error_last()->code, SA_EINVALID);
	assert_non_null(sa_error_last()->message);
}

static void test_money_parse__whole_yuan(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("744"), 74400);
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("1282"), 128200);
	assert_int_equal(parse_ok("+3"), 300);
}

static void test_money_parse__decimals(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("533.33"), 53333);
	assert_int_equal(parse_ok("0.5"), 50);
	assert_int_equal(parse_ok("0.05"), 5);
	assert_int_equal(parse_ok("955.50"), 95550);
	assert_int_equal(parse_ok("-12.5"), -1250);
	assert_int_equal(parse_ok("007"), 700);
}

static void test_money_parse__errors(void **state)
{
	(void)state;
	parse_fails("1.234");
	assert_non_null(strstr(sa_error_last()->message, "more than two decimals"));
	parse_fails("abc");
	parse_fails("");
	assert_non_null(strstr(sa_error_last()->message, "empty"));
	parse_fails("1e3");
	parse_fails("--1");
	parse_fails("-");
	parse_fails(".5");
	parse_fails("5.");
	parse_fails("1.2.3");
	parse_fails("1,000");
	parse_fails(" 1");
	parse_fails("1 ");
	parse_fails("0x10");
	parse_fails(NULL);
}

static void test_money_parse__overflow(void **state)
{
	(void)state;
	parse_fails("99999999999999999999");
	assert_non_null(strstr(sa_error_last()->message, "too large"));
	parse_fails("9223372036854775807");
	parse_fails("-99999999999999999999.99");
	/* The cap is 10^13 yuan whatever the number of decimals. */
	assert_int_equal(parse_ok("10000000000000"), 1000000000000000LL);
	parse_fails("10000000000000.01");
	parse_fails("100000000000000");
}

static void test_money_format__yuan_with_two_decimals(void **state)
{
	char buf[32];
	(void)state;
	assert_int_equal(sa_money_format(buf, sizeof buf, 74400), 6);
	assert_string_equal(buf, "744.00");
	sa_money_format(buf, sizeof buf, 53333);
	assert_string_equal(buf, "533.33");
	sa_money_format(buf, sizeof buf, 5);
	assert_string_equal(buf, "0.05");
	sa_money_format(buf, sizeof buf, 0);
	assert_string_equal(buf, "0.00");
	sa_money_format(buf, sizeof buf, -1250);
	assert_string_equal(buf, "-12.50");
	sa_money_format(buf, sizeof buf, -5);
	assert_string_equal(buf, "-0.05");
	sa_money_format(buf, sizeof buf, INT64_MIN);
	assert_string_equal(buf, "-92233720368547758.08");
	sa_money_format(buf, sizeof buf, INT64_MAX);
	assert_string_equal(buf, "92233720368547758.07");
}

static void test_money_format__round_trip(void **state)
{
	static const char *const texts[] = { "744.00", "533.33", "0.50", "-12.50", "1923.00", "0.01" };
	char buf[32];
	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		sa_money_format(buf, sizeof buf, parse_ok(texts[i]));
		assert_string_equal(buf, texts[i]);
	}
}

static void test_money_format__truncates_safely(void **state)
{
	char buf[4];
	(void)state;
	/* snprintf semantics: the full length is returned, the text is cut and terminated. */
	assert_int_equal(sa_money_format(buf, sizeof buf, 74400), 6);
	assert_string_equal(buf, "744");
}

static sa_fen muldiv(sa_fen fen, int64_t num, int64_t den, sa_rounding mode)
{
	sa_fen out = -1;
	assert_int_equal(sa_money_muldiv(&out, fen, num, den, mode), SA_OK);
	return out;
}

static void test_money_muldiv__every_mode_positive(void **state)
{
	(void)state;
	/* 1.3 x 735 = 955.50 yuan exactly */
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_UP_YUAN), 95600);
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_HALF_UP_YUAN), 95600);
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_DOWN_YUAN), 95500);
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_UP_FEN), 95550);
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_HALF_UP_FEN), 95550);
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_DOWN_FEN), 95550);
	/* 6400 / 12 = 533.3333... yuan */
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_UP_YUAN), 53400);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_HALF_UP_YUAN), 53300);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_DOWN_YUAN), 53300);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_UP_FEN), 53334);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_HALF_UP_FEN), 53333);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_DOWN_FEN), 53333);
	/* 2/3 fen: half-up goes up, down goes down */
	assert_int_equal(muldiv(2, 1, 3, SA_ROUND_HALF_UP_FEN), 1);
	assert_int_equal(muldiv(2, 1, 3, SA_ROUND_DOWN_FEN), 0);
	assert_int_equal(muldiv(1, 1, 3, SA_ROUND_HALF_UP_FEN), 0);
	assert_int_equal(muldiv(1, 1, 3, SA_ROUND_UP_FEN), 1);
	/* exactly half a yuan, and a hair below */
	assert_int_equal(muldiv(150, 1, 1, SA_ROUND_HALF_UP_YUAN), 200);
	assert_int_equal(muldiv(149, 1, 1, SA_ROUND_HALF_UP_YUAN), 100);
	/* whole yuan stay put in every mode */
	for (int m = SA_ROUND_UP_YUAN; m <= SA_ROUND_DOWN_FEN; m++)
		assert_int_equal(muldiv(128200, 3, 2, (sa_rounding)m), 192300);
	assert_int_equal(muldiv(0, 13, 10, SA_ROUND_UP_YUAN), 0);
}

static void test_money_muldiv__every_mode_negative(void **state)
{
	(void)state;
	/* -955.50 yuan: up = toward +inf, down = toward -inf, half-up = halves away from zero */
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_UP_YUAN), -95500);
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_DOWN_YUAN), -95600);
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_HALF_UP_YUAN), -95600);
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_UP_FEN), -95550);
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_HALF_UP_FEN), -95550);
	assert_int_equal(muldiv(-73500, 13, 10, SA_ROUND_DOWN_FEN), -95550);
	/* -533.333... yuan */
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_UP_YUAN), -53300);
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_HALF_UP_YUAN), -53300);
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_DOWN_YUAN), -53400);
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_UP_FEN), -53333);
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_HALF_UP_FEN), -53333);
	assert_int_equal(muldiv(-640000, 1, 12, SA_ROUND_DOWN_FEN), -53334);
	/* a negative ratio gives the same as a negative amount */
	assert_int_equal(muldiv(73500, -13, 10, SA_ROUND_HALF_UP_YUAN), -95600);
	/* half a fen below zero: away from zero */
	assert_int_equal(muldiv(-1, 1, 2, SA_ROUND_HALF_UP_FEN), -1);
	assert_int_equal(muldiv(1, 1, 2, SA_ROUND_HALF_UP_FEN), 1);
	assert_int_equal(muldiv(-150, 1, 1, SA_ROUND_HALF_UP_YUAN), -200);
	assert_int_equal(muldiv(-149, 1, 1, SA_ROUND_HALF_UP_YUAN), -100);
}

static void test_money_muldiv__published_figures(void **state)
{
	(void)state;
	/* 云南 2024: 1.3 x 735 = 955.5 -> 956 */
	assert_int_equal(muldiv(73500, 13, 10, SA_ROUND_UP_YUAN), 95600);
	/* 云南 2025: 1.3 x 744 = 967.2 -> 968 */
	assert_int_equal(muldiv(74400, 13, 10, SA_ROUND_UP_YUAN), 96800);
	/* 广州 2024: 1.6 x 1282 = 2051.2 -> 2052 */
	assert_int_equal(muldiv(128200, 16, 10, SA_ROUND_UP_YUAN), 205200);
	/* 1.5 x 1282 = 1923 exactly (the 边缘 line) */
	assert_int_equal(muldiv(128200, 15, 10, SA_ROUND_UP_YUAN), 192300);
	assert_int_equal(muldiv(128200, 3, 2, SA_ROUND_DOWN_FEN), 192300);
	/* an annual rural standard of 6400 per month: 533.33 half-up to the fen, 534 up to the yuan */
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_HALF_UP_FEN), 53333);
	assert_int_equal(muldiv(640000, 1, 12, SA_ROUND_UP_YUAN), 53400);
}

static void test_money_muldiv__a3_household_gap(void **state)
{
	sa_fen standard = 70000, income = 100000, per_capita, gap_pc;
	(void)state;
	/* household level: 700 x 3 - 1000 = 1100 */
	assert_int_equal(standard * 3 - income, 110000);
	/* per capita: 1000 / 3 = 333.33; 700 - 333.33 = 366.67 -> 367 up to the yuan; x 3 = 1101 */
	per_capita = muldiv(income, 1, 3, SA_ROUND_HALF_UP_FEN);
	assert_int_equal(per_capita, 33333);
	gap_pc = muldiv(standard - per_capita, 1, 1, SA_ROUND_UP_YUAN);
	assert_int_equal(gap_pc, 36700);
	assert_int_equal(gap_pc * 3, 110100);
	assert_true(gap_pc * 3 != standard * 3 - income);
}

static void test_money_muldiv__errors(void **state)
{
	sa_fen out = 42;
	(void)state;
	assert_int_equal(sa_money_muldiv(&out, 100, 1, 0, SA_ROUND_UP_YUAN), SA_EINVALID);
	assert_int_equal(sa_money_muldiv(&out, 100, 1, -3, SA_ROUND_UP_YUAN), SA_EINVALID);
	assert_int_equal(sa_money_muldiv(&out, 100, 1, 1, (sa_rounding)99), SA_EINVALID);
	assert_int_equal(sa_money_muldiv(&out, INT64_MAX, INT64_MAX, 1, SA_ROUND_DOWN_FEN), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "overflow"));
	assert_int_equal(sa_money_muldiv(&out, INT64_MIN, 1000, 1, SA_ROUND_UP_FEN), SA_EINVALID);
	assert_int_equal(out, 42);
	/* the 128-bit intermediate: a product far past int64 that divides back into range */
	assert_int_equal(sa_money_muldiv(&out, 100000000000000LL, 1000000, 1000000, SA_ROUND_DOWN_FEN), SA_OK);
	assert_int_equal(out, 100000000000000LL);
}

static void test_money_rounding__names(void **state)
{
	static const char *const names[] = { "up_yuan", "half_up_yuan", "down_yuan", "up_fen", "half_up_fen", "down_fen" };
	sa_rounding r;
	(void)state;
	for (int i = 0; i < 6; i++) {
		assert_int_equal(sa_rounding_parse(&r, names[i]), SA_OK);
		assert_int_equal((int)r, i);
		assert_string_equal(sa_rounding_name(r), names[i]);
	}
	assert_int_equal(sa_rounding_parse(&r, "UP_YUAN"), SA_EINVALID);
	assert_int_equal(sa_rounding_parse(&r, "ceil"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "ceil"));
	assert_int_equal(sa_rounding_parse(&r, NULL), SA_EINVALID);
	assert_string_equal(sa_rounding_name((sa_rounding)42), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_parse__whole_yuan),
		cmocka_unit_test(test_money_parse__decimals),
		cmocka_unit_test(test_money_parse__errors),
		cmocka_unit_test(test_money_parse__overflow),
		cmocka_unit_test(test_money_format__yuan_with_two_decimals),
		cmocka_unit_test(test_money_format__round_trip),
		cmocka_unit_test(test_money_format__truncates_safely),
		cmocka_unit_test(test_money_muldiv__every_mode_positive),
		cmocka_unit_test(test_money_muldiv__every_mode_negative),
		cmocka_unit_test(test_money_muldiv__published_figures),
		cmocka_unit_test(test_money_muldiv__a3_household_gap),
		cmocka_unit_test(test_money_muldiv__errors),
		cmocka_unit_test(test_money_rounding__names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
