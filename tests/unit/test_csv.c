/* test_csv.c - CSV records through libcsv (libsa/screen/csv.c): RFC 4180 quoting, doubled
 * quotes, line breaks inside quotes, CRLF, a UTF-8 BOM, no trimming, blank lines, malformed
 * records, and writing cells back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "screen/csv.h"

static int rec(sa_csv *c, const char **s, const char *end, int max)
{
	const char *next;
	int n = sa__csv_record(c, *s, end, max, &next);
	*s = next;
	return n;
}

static void test_csv_quoting(void **state)
{
	const char text[] = "id,name,note\r\n"
	                    "h1,\"Wang, Fang\",\"said \"\"yes\"\"\"\n"
	                    "h2,\" two  spaces \",\"line one\nline two\"\n"
	                    "\n"
	                    "h3, kept ,\n";
	const char *s = text, *end = text + sizeof text - 1;
	sa_csv c = { 0 };
	(void)state;
	assert_int_equal(rec(&c, &s, end, 10), 3);
	assert_string_equal(sa__csv_cell(&c, 0), "id");
	assert_string_equal(sa__csv_cell(&c, 2), "note"); /* CRLF: no \r left in the cell */
	assert_int_equal(rec(&c, &s, end, 10), 3);
	assert_string_equal(sa__csv_cell(&c, 1), "Wang, Fang");
	assert_string_equal(sa__csv_cell(&c, 2), "said \"yes\"");
	/* a quoted line break: one record over two lines */
	assert_int_equal(rec(&c, &s, end, 10), 3);
	assert_string_equal(sa__csv_cell(&c, 1), " two  spaces ");
	assert_string_equal(sa__csv_cell(&c, 2), "line one\nline two");
	assert_int_equal(rec(&c, &s, end, 10), 0); /* the blank line */
	assert_int_equal(rec(&c, &s, end, 10), 3);
	assert_string_equal(sa__csv_cell(&c, 1), " kept "); /* RFC 4180: spaces are part of the field */
	assert_string_equal(sa__csv_cell(&c, 2), "");
	assert_ptr_equal(s, end);
	sa__csv_free(&c);
}

static void test_csv_bom_and_last_line(void **state)
{
	const char text[] = "\xEF\xBB\xBFid,area\nh1,urban";
	const char *s = text, *end = text + sizeof text - 1;
	sa_csv c = { 0 };
	(void)state;
	assert_int_equal(sa__csv_bom(s, (size_t)(end - s)), 3);
	s += 3;
	assert_int_equal(rec(&c, &s, end, 10), 2);
	assert_string_equal(sa__csv_cell(&c, 0), "id");
	assert_int_equal(rec(&c, &s, end, 10), 2); /* no final line break */
	assert_string_equal(sa__csv_cell(&c, 1), "urban");
	assert_ptr_equal(s, end);
	assert_int_equal(sa__csv_bom("id", 2), 0);
	sa__csv_free(&c);
}

static void test_csv_malformed(void **state)
{
	const char text[] = "a,b\"c,d\nok,1\n\"open,2\n";
	const char *s = text, *end = text + sizeof text - 1, *line2 = strchr(text, '\n') + 1;
	sa_csv c = { 0 };
	(void)state;
	assert_int_equal(rec(&c, &s, end, 10), -1); /* a quote inside an unquoted field */
	assert_ptr_equal(s, line2);                 /* the next record is still found */
	assert_int_equal(rec(&c, &s, end, 10), 2);
	assert_string_equal(sa__csv_cell(&c, 0), "ok");
	assert_int_equal(rec(&c, &s, end, 10), -1); /* an unterminated quote at the end */
	assert_ptr_equal(s, end);
	s = text + 8;
	assert_int_equal(rec(&c, &s, end, 1), -1); /* more cells than allowed */
	sa__csv_free(&c);
}

static void test_csv_record_end(void **state)
{
	const char text[] = "h1,\"a\nb\",c\nh2,d\n";
	sa_csv c = { 0 };
	const char *e;
	(void)state;
	e = sa__csv_record_end(&c, text, text + sizeof text - 1);
	assert_int_equal(e - text, 10); /* the line break after c, not the one inside the quotes */
	sa__csv_free(&c);
}

static void test_csv_write(void **state)
{
	sa_buf b = { 0 };
	const char *s, *end;
	sa_csv c = { 0 };
	(void)state;
	sa__csv_field(&b, "plain", 1);
	sa__csv_field(&b, "a,b", 0);
	sa__csv_field(&b, "say \"hi\"", 0);
	sa__csv_field(&b, "two\r\nlines", 0);
	sa__csv_field(&b, "", 0);
	sa__csv_field(&b, "曲靖, 麒麟区", 0);
	assert_false(b.oom);
	assert_string_equal(b.s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",,\"曲靖, 麒麟区\"");
	/* and it reads back */
	s = b.s;
	end = b.s + b.n;
	assert_int_equal(rec(&c, &s, end, 10), 6);
	assert_string_equal(sa__csv_cell(&c, 2), "say \"hi\"");
	assert_string_equal(sa__csv_cell(&c, 3), "two\r\nlines");
	assert_string_equal(sa__csv_cell(&c, 4), "");
	assert_string_equal(sa__csv_cell(&c, 5), "曲靖, 麒麟区");
	sa__csv_free(&c);
	free(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_bom_and_last_line),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_csv_record_end),
		cmocka_unit_test(test_csv_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
