/* test_date.c - calendar dates as YYYYMMDD (libsa/date.c): parsing, validity, ages in whole
 * years at birthday boundaries (59/60, 15/16, 29 February) and month arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <string.h>

static sa_date parse_ok(const char *text)
{
	sa_date d = 0;
	assert_int_equal(sa_date_parse(&d, text), SA_OK);
	return d;
}

static void parse_fails(const char *text, const char *in_message)
{
	sa_date d = 12345;
	sa_error_clear();
	assert_int_equal(sa_date_parse(&d, text), SA_EINVALID);
	assert_non_null(sa_error_last());
	assert_non_null(strstr(sa_error_last()->message, in_message));
	if (text)
		assert_int_equal(d, 12345); /* never a half-parsed date */
}

static void test_date_parse__valid(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2025-08-01"), 20250801);
	assert_int_equal(parse_ok("2024-02-29"), 20240229);
	assert_int_equal(parse_ok("2000-02-29"), 20000229);
	assert_int_equal(parse_ok("1958-03-01"), 19580301);
	assert_int_equal(parse_ok("2025-12-31"), 20251231);
	assert_int_equal(parse_ok("1800-01-01"), 18000101);
}

static void test_date_parse__impossible(void **state)
{
	(void)state;
	parse_fails("2023-02-29", "impossible date '2023-02-29'");
	parse_fails("1900-02-29", "impossible date");
	parse_fails("2025-04-31", "impossible date");
	parse_fails("2025-13-01", "impossible date");
	parse_fails("2025-00-10", "impossible date");
	parse_fails("2025-01-00", "impossible date");
	parse_fails("2025-01-32", "impossible date");
	parse_fails("0000-01-01", "impossible date");
}

static void test_date_parse__malformed(void **state)
{
	(void)state;
	parse_fails("2025-8-1", "expected YYYY-MM-DD");
	parse_fails("20250801", "expected YYYY-MM-DD");
	parse_fails("2025/08/01", "expected YYYY-MM-DD");
	parse_fails("2025-08-01x", "expected YYYY-MM-DD");
	parse_fails("2025-08-01T00:00", "expected YYYY-MM-DD");
	parse_fails(" 2025-08-01", "expected YYYY-MM-DD");
	parse_fails("2025-08", "expected YYYY-MM-DD");
	parse_fails("", "expected YYYY-MM-DD");
	parse_fails(NULL, "missing date");
}

static void test_date_valid__integers(void **state)
{
	(void)state;
	assert_true(sa_date_valid(20240229));
	assert_false(sa_date_valid(20230229));
	assert_false(sa_date_valid(20250230));
	assert_false(sa_date_valid(0));
	assert_false(sa_date_valid(-20250801));
	assert_false(sa_date_valid(2025080));
	assert_true(sa_date_valid(99991231));
}

static void test_date_format__iso(void **state)
{
	char buf[16];
	(void)state;
	assert_int_equal(sa_date_format(buf, sizeof buf, 20250801), 10);
	assert_string_equal(buf, "2025-08-01");
	sa_date_format(buf, sizeof buf, 19580301);
	assert_string_equal(buf, "1958-03-01");
}

static void test_date_age__sixty(void **state)
{
	(void)state;
	/* born 1965-08-01: 59 the day before the 60th birthday, 60 on it */
	assert_int_equal(sa_date_age(19650801, 20250731), 59);
	assert_int_equal(sa_date_age(19650801, 20250801), 60);
	assert_int_equal(sa_date_age(19650801, 20250802), 60);
	/* across a year end */
	assert_int_equal(sa_date_age(19651231, 20251230), 59);
	assert_int_equal(sa_date_age(19651231, 20251231), 60);
	assert_int_equal(sa_date_age(19660101, 20251231), 59);
}

static void test_date_age__sixteen(void **state)
{
	(void)state;
	assert_int_equal(sa_date_age(20090315, 20250314), 15);
	assert_int_equal(sa_date_age(20090315, 20250315), 16);
	assert_int_equal(sa_date_age(20090315, 20240316), 15);
}

static void test_date_age__leap_day_birthday(void **state)
{
	(void)state;
	/* a 29 February birthday turns on 1 March in common years */
	assert_int_equal(sa_date_age(20000229, 20010228), 0);
	assert_int_equal(sa_date_age(20000229, 20010301), 1);
	assert_int_equal(sa_date_age(20080229, 20240228), 15);
	assert_int_equal(sa_date_age(20080229, 20240229), 16);
	assert_int_equal(sa_date_age(20080229, 20230228), 14);
	assert_int_equal(sa_date_age(20080229, 20230301), 15);
	assert_int_equal(sa_date_age(19640229, 20240229), 60);
	assert_int_equal(sa_date_age(19640229, 20240228), 59);
}

static void test_date_age__edges(void **state)
{
	(void)state;
	assert_int_equal(sa_date_age(20250801, 20250801), 0);
	assert_int_equal(sa_date_age(20250801, 20250731), -1); /* not born yet */
	assert_int_equal(sa_date_age(19000101, 20250801), 125);
}

static void test_date_add_months__clamps(void **state)
{
	(void)state;
	assert_int_equal(sa_date_add_months(20250131, 1), 20250228);
	assert_int_equal(sa_date_add_months(20240131, 1), 20240229);
	assert_int_equal(sa_date_add_months(20250331, -1), 20250228);
	assert_int_equal(sa_date_add_months(20250531, 1), 20250630);
	assert_int_equal(sa_date_add_months(20240229, 12), 20250228);
	assert_int_equal(sa_date_add_months(20240229, 48), 20280229);
}

static void test_date_add_months__year_boundaries(void **state)
{
	(void)state;
	assert_int_equal(sa_date_add_months(20251215, 1), 20260115);
	assert_int_equal(sa_date_add_months(20250115, -1), 20241215);
	assert_int_equal(sa_date_add_months(20250115, -13), 20231215);
	assert_int_equal(sa_date_add_months(20250801, 0), 20250801);
	assert_int_equal(sa_date_add_months(20250801, 12), 20260801);
	assert_int_equal(sa_date_add_months(20250801, -24), 20230801);
	assert_int_equal(sa_date_add_months(20250101, 11), 20251201);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse__valid),
		cmocka_unit_test(test_date_parse__impossible),
		cmocka_unit_test(test_date_parse__malformed),
		cmocka_unit_test(test_date_valid__integers),
		cmocka_unit_test(test_date_format__iso),
		cmocka_unit_test(test_date_age__sixty),
		cmocka_unit_test(test_date_age__sixteen),
		cmocka_unit_test(test_date_age__leap_day_birthday),
		cmocka_unit_test(test_date_age__edges),
		cmocka_unit_test(test_date_add_months__clamps),
		cmocka_unit_test(test_date_add_months__year_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
