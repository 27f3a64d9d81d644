/* test_params.c - dated parameters of a pack chain (libsa/pack.c, docs/pack-format.md), on the
 * fixtures tests/data/packs/params (cn -> cn-11 -> cn-1101, valid) and
 * tests/data/packs/params-bad (cn and one broken child per error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/internal.h"
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fixture(const char *name)
{
	static char buf[4096];
	const char *src = getenv("SA_SOURCE_DIR");
	snprintf(buf, sizeof buf, "%s/tests/data/packs/%s", src ? src : ".", name);
	return buf;
}

static sa_policy *load(const char *id)
{
	sa_policy *p = NULL;
	int rc = sa__policy_load(&p, fixture("params"), id);
	if (rc < 0)
		print_error("load %s: %s:%d:%d %s\n", id, sa_error_last()->source ? sa_error_last()->source : "-",
		            sa_error_last()->line, sa_error_last()->column, sa_error_last()->message);
	assert_int_equal(rc, SA_OK);
	return p;
}

/* The entry of `name` in force on d; NULL when none. *layer_id = the pack that set it. */
static const sa_pentry *at(const sa_policy *p, const char *name, sa_date d, const char **layer_id)
{
	const sa_peff *e = sa__policy_param(p, name);
	const sa_pentry *v;
	size_t layer = 99;
	assert_non_null(e);
	v = sa__peff_at(p, e, d, &layer);
	if (layer_id)
		*layer_id = v ? p->chain[layer]->id : NULL;
	return v;
}

static void test_params_value__in_force_by_date(void **state)
{
	sa_policy *p = load("cn");
	const sa_pentry *v;
	const char *by;
	(void)state;
	assert_null(at(p, "dibao.standard_urban", 20191231, NULL));
	v = at(p, "dibao.standard_urban", 20200101, &by);
	assert_non_null(v);
	assert_int_equal(v->a, 50000);
	assert_string_equal(v->text, "500");
	assert_string_equal(v->ref, "fixture cn 2020");
	assert_int_equal(v->from, 20200101);
	assert_string_equal(by, "cn");
	v = at(p, "dibao.standard_urban", 20220630, NULL);
	assert_int_equal(v->a, 50000);
	v = at(p, "dibao.standard_urban", 20220701, NULL);
	assert_int_equal(v->a, 60000);
	assert_string_equal(v->note, "raised mid-year");
	v = at(p, "dibao.standard_urban", 20991231, NULL);
	assert_int_equal(v->a, 60000);
	/* declared with no value anywhere */
	assert_null(at(p, "tekun.care_full", 20250101, NULL));
	assert_null(sa__policy_param(p, "dibao.nope"));
	sa__policy_release(p);
}

static void test_params_value__child_overrides_from_its_date(void **state)
{
	sa_policy *p = load("cn-1101");
	const sa_pentry *v;
	const char *by;
	(void)state;
	assert_int_equal(p->n, 3);
	assert_string_equal(p->chain[0]->id, "cn");
	assert_string_equal(p->chain[2]->id, "cn-1101");
	/* before the province's date: the national value */
	v = at(p, "dibao.standard_urban", 20221231, &by);
	assert_int_equal(v->a, 60000);
	assert_string_equal(by, "cn");
	/* from the province's date */
	v = at(p, "dibao.standard_urban", 20230101, &by);
	assert_int_equal(v->a, 70000);
	assert_string_equal(by, "cn-11");
	assert_string_equal(v->ref, "fixture cn-11 2023");
	/* from the city's date */
	v = at(p, "dibao.standard_urban", 20240101, &by);
	assert_int_equal(v->a, 80000);
	assert_string_equal(by, "cn-1101");
	/* before anyone's date */
	assert_null(at(p, "dibao.standard_urban", 20191231, NULL));
	sa__policy_release(p);
}

static void test_params_value__until_expires(void **state)
{
	sa_policy *p = load("cn-11");
	const sa_pentry *v;
	const char *by;
	(void)state;
	/* with nothing above it: no value after `until` */
	v = at(p, "tekun.care_full", 20230630, &by);
	assert_int_equal(v->a, 100000);
	assert_int_equal(v->until, 20230630);
	assert_string_equal(by, "cn-11");
	assert_null(at(p, "tekun.care_full", 20230701, NULL));
	assert_null(at(p, "tekun.care_full", 20221231, NULL));
	/* with a parent value: the parent's again after `until` */
	v = at(p, "dibao.standard_rural", 20231231, &by);
	assert_int_equal(v->a, 45000);
	assert_string_equal(by, "cn-11");
	v = at(p, "dibao.standard_rural", 20240101, &by);
	assert_int_equal(v->a, 40000);
	assert_string_equal(by, "cn");
	sa__policy_release(p);
}

static void test_params_value__null_stops_fallback(void **state)
{
	sa_policy *p = load("cn-1101");
	const sa_pentry *v;
	const char *by;
	(void)state;
	v = at(p, "stats.disposable_income", 20231231, &by);
	assert_int_equal(v->a, 3000000);
	assert_string_equal(by, "cn");
	/* cn-11 says "not known" from 2024: no value, not the national one */
	assert_null(at(p, "stats.disposable_income", 20240101, NULL));
	assert_null(at(p, "stats.disposable_income", 20250801, NULL));
	sa__policy_release(p);
}

static void test_params_value__types(void **state)
{
	sa_policy *p = load("cn-11");
	const sa_pentry *v;
	const sa_peff *e;
	const char *by;
	(void)state;
	e = sa__policy_param(p, "tekun.basic_multiplier");
	assert_int_equal(e->decl->type, SA_PT_RATIO);
	assert_true(e->decl->has_rounding);
	assert_int_equal(e->decl->rounding, SA_ROUND_UP_YUAN);
	v = at(p, "tekun.basic_multiplier", 20250801, NULL);
	assert_int_equal(v->a, 13);
	assert_int_equal(v->b, 10);
	v = at(p, "rigid.spending_ratio", 20250801, NULL);
	assert_int_equal(v->a, 40);
	assert_int_equal(v->b, 100);
	assert_false(sa__policy_param(p, "rigid.spending_ratio")->decl->has_rounding);
	v = at(p, "test.third", 20250801, NULL);
	assert_int_equal(v->a, 1);
	assert_int_equal(v->b, 3);
	v = at(p, "test.eighth", 20250801, NULL);
	assert_int_equal(v->a, 125);
	assert_int_equal(v->b, 1000);
	v = at(p, "assets.vehicle_allowed", 20250801, NULL);
	assert_int_equal(v->a, 0);
	v = at(p, "dibao.rural_payment", 20250801, NULL);
	assert_string_equal(v->text, "gap");
	/* an int set by the child in a params/<topic>.yaml file */
	v = at(p, "assets.max_housing_units", 20231231, &by);
	assert_int_equal(v->a, 1);
	assert_string_equal(by, "cn");
	v = at(p, "assets.max_housing_units", 20240101, &by);
	assert_int_equal(v->a, 2);
	assert_string_equal(by, "cn-11");
	assert_int_equal(p->chain[1]->nparam_files, 2);
	sa__policy_release(p);
}

/* Loading pack `id` from params-bad fails with SA_EPOLICY at <id>/<file>:line:column. */
static void bad_at(const char *id, const char *file, int line, int column, const char *in_message)
{
	sa_policy *p = (sa_policy *)1;
	const sa_error *e;
	char want[128];
	size_t wl, sl;
	sa_error_clear();
	assert_int_equal(sa__policy_load(&p, fixture("params-bad"), id), SA_EPOLICY);
	assert_null(p);
	assert_non_null(e = sa_error_last());
	snprintf(want, sizeof want, "params-bad/%s/%s", id, file);
	if (!e->source || e->line != line || e->column != column || !strstr(e->message, in_message))
		print_error("%s: got %s:%d:%d '%s'\n", id, e->source ? e->source : "(null)", e->line, e->column, e->message);
	assert_non_null(e->source);
	wl = strlen(want);
	sl = strlen(e->source);
	assert_true(sl >= wl);
	assert_string_equal(e->source + sl - wl, want);
	assert_int_equal(e->line, line);
	assert_int_equal(e->column, column);
	assert_non_null(strstr(e->message, in_message));
}

static void test_params_error__overlap(void **state)
{
	(void)state;
	bad_at("cn-21", "params.yaml", 8, 9, "values of 'dibao.standard_urban' overlap");
}

static void test_params_error__order(void **state)
{
	(void)state;
	bad_at("cn-22", "params.yaml", 7, 9, "values of 'dibao.standard_urban' must be in increasing 'from' order");
}

static void test_params_error__undeclared_in_child(void **state)
{
	(void)state;
	bad_at("cn-23", "params.yaml", 8, 5,
	       "parameter 'dibao.standrad_urban' is not declared by this pack or its ancestors");
}

static void test_params_error__redeclared_in_child(void **state)
{
	(void)state;
	bad_at("cn-25", "params.yaml", 3, 5, "'dibao.standard_urban' is already declared by an ancestor");
	/* the file named is the one the declaration is in */
	bad_at("cn-32", "params/extra.yaml", 3, 5, "'tekun.basic_multiplier' is already declared by an ancestor");
}

static void test_params_error__values(void **state)
{
	(void)state;
	bad_at("cn-24", "params.yaml", 5, 16, "'1.3.1' is not a ratio");
	bad_at("cn-31", "params.yaml", 5, 16, "'1/0' is not a ratio");
	bad_at("cn-26", "params.yaml", 4, 9, "'until' is before 'from'");
	bad_at("cn-27", "params.yaml", 4, 15, "'2023-02-29' is not a date");
	bad_at("cn-28", "params.yaml", 5, 16, "'700.001' is not yuan with at most two decimals");
	bad_at("cn-29", "params.yaml", 5, 15, "unknown key 'valu' in a value entry");
}

/* Issue 12 #1: parameter values are bounded (core/limits.h), so no product the rules form over
 * a household at its limits can wrap (docs/security.md "Money"). */
static void test_params_error__value_limits(void **state)
{
	(void)state;
	bad_at("cn-33", "params.yaml", 5, 16, "'10000000.01' is above the limit of 10000000.00 yuan for a money parameter");
	bad_at("cn-34", "params.yaml", 5, 16, "ratio '33.33%': numerator and denominator are limited to 1000");
	bad_at("cn-36", "params.yaml", 5, 16, "ratio '1001/1000': numerator and denominator are limited to 1000");
	bad_at("cn-35", "params.yaml", 5, 16, "'1000001' is beyond the limit of 1000000 for an int parameter");
}

static void test_params_error__chain(void **state)
{
	sa_policy *p;
	(void)state;
	assert_int_equal(sa__policy_load(&p, fixture("params"), "cn-99"), SA_ENOTFOUND);
	assert_non_null(strstr(sa_error_last()->message, "pack 'cn-99' not found"));
	assert_int_equal(sa__policy_load(&p, fixture("params"), "CN-11"), SA_EINVALID);
	assert_int_equal(sa__policy_load(&p, fixture("params"), "../cn"), SA_EINVALID);
	assert_int_equal(sa__policy_load(&p, fixture("params"), "cn-"), SA_EINVALID);
	/* the first directory of the path that holds the pack wins */
	{
		char path[8300];
		snprintf(path, sizeof path, "/nonexistent:%s", fixture("params"));
		assert_int_equal(sa__policy_load(&p, path, "cn-11"), SA_OK);
		assert_string_equal(sa__policy_leaf(p)->id, "cn-11");
		sa__policy_release(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_value__in_force_by_date),
		cmocka_unit_test(test_params_value__child_overrides_from_its_date),
		cmocka_unit_test(test_params_value__until_expires),
		cmocka_unit_test(test_params_value__null_stops_fallback),
		cmocka_unit_test(test_params_value__types),
		cmocka_unit_test(test_params_error__overlap),
		cmocka_unit_test(test_params_error__order),
		cmocka_unit_test(test_params_error__undeclared_in_child),
		cmocka_unit_test(test_params_error__redeclared_in_child),
		cmocka_unit_test(test_params_error__values),
		cmocka_unit_test(test_params_error__value_limits),
		cmocka_unit_test(test_params_error__chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
