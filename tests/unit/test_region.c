/* test_region.c - a household is decided only under a pack whose GB/T 2260 region covers its
 * own: 530100 (昆明) covers 5301xx, 530000 (云南) covers 53xxxx, 000000 (cn) every code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/internal.h"

#include <string.h>

static void test_covers(void **state)
{
	(void)state;
	assert_int_equal(sa__region_prefix_len("530100"), 4);
	assert_int_equal(sa__region_prefix_len("530000"), 2);
	assert_int_equal(sa__region_prefix_len("000000"), 0);
	assert_int_equal(sa__region_prefix_len("440117"), 6);
	assert_true(sa__region_covers("530100", "530102"));
	assert_false(sa__region_covers("530100", "530302")); /* 曲靖, not 昆明 */
	assert_true(sa__region_covers("530000", "530302"));
	assert_false(sa__region_covers("530000", "440106"));
	assert_true(sa__region_covers("000000", "440106"));
	assert_true(sa__region_covers("440117", "440117"));
	assert_false(sa__region_covers("440117", "440118"));
	assert_false(sa__region_covers("530100", NULL));
}

static sa_household *household(const char *region)
{
	sa_household *hh;
	size_t m;
	assert_int_equal(sa_household_new(&hh, "h", region, "urban"), 0);
	assert_int_equal(sa_household_add_member(&m, hh, "m1", "head", "1950-01-01"), 0);
	return hh;
}

static void test_evaluate_refuses_other_region(void **state)
{
	(void)state;
	sa_engine *e;
	sa_decision *d = NULL;
	sa_household *gz = household("440106"), *km = household("530102");
	assert_int_equal(sa_engine_new(&e, NULL), 0);
	assert_int_equal(sa_engine_load(e, "cn-53"), 0);
	/* a 广州 household under 云南's pack: an error naming both, and no decision */
	assert_int_equal(sa_evaluate(&d, e, gz, 20250801), SA_EINVALID);
	assert_null(d);
	assert_non_null(strstr(sa_error_last()->message, "440106"));
	assert_non_null(strstr(sa_error_last()->message, "cn-53"));
	assert_int_equal(sa_evaluate(&d, e, km, 20250801), 0);
	sa_decision_free(d);
	/* the national pack takes every region */
	assert_int_equal(sa_engine_load(e, "cn"), 0);
	assert_int_equal(sa_evaluate(&d, e, gz, 20250801), 0);
	sa_decision_free(d);
	sa_household_free(gz);
	sa_household_free(km);
	sa_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_covers),
		                            cmocka_unit_test(test_evaluate_refuses_other_region) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
