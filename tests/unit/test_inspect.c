/* test_inspect.c - sa_pack_info (sa pack show) and sa_pack_info_diff (sa pack diff) on the
 * overlay fixture tests/data/lint/overlay: cn -> cn-11 -> cn-1101, where the city's
 * rules.amount calls super.amount (the province's), which calls super.amount (cn's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data_path(const char *sub)
{
	static char buf[2][4096];
	static int k;
	const char *src = getenv("SA_SOURCE_DIR");
	k ^= 1;
	snprintf(buf[k], sizeof buf[k], "%s/tests/data/lint/%s", src ? src : ".", sub);
	return buf[k];
}

static void test_show_params(void **state)
{
	sa_pack_info *info;
	const sa_param_info *p;
	const sa_param_value *v;
	(void)state;
	assert_int_equal(sa_pack_info_load(&info, data_path("overlay"), "cn-1101"), SA_OK);
	assert_string_equal(sa_pack_info_id(info), "cn-1101");
	assert_int_equal(sa_pack_info_chain_count(info), 3);
	assert_string_equal(sa_pack_info_chain_id(info, 0), "cn");
	assert_string_equal(sa_pack_info_chain_id(info, 1), "cn-11");
	assert_int_equal(sa_pack_info_param_count(info), 1);
	assert_non_null(p = sa_pack_info_param_find(info, "dibao.standard_urban"));
	assert_string_equal(p->type, "money");
	assert_string_equal(p->unit, "yuan/person/month");
	assert_string_equal(p->declared_by, "cn");
	assert_int_equal(p->nvalues, 2);
	assert_string_equal(p->values[0].pack, "cn");
	assert_string_equal(p->values[1].pack, "cn-11");
	assert_non_null(v = sa_pack_info_param_at(info, p, 20250301));
	assert_string_equal(v->value, "200");
	assert_string_equal(v->pack, "cn-11");
	assert_int_equal(v->from, 20240101);
	assert_string_equal(v->ref, "fixture cn-11 2024");
	assert_non_null(v = sa_pack_info_param_at(info, p, 20230601));
	assert_string_equal(v->value, "100");
	assert_string_equal(v->pack, "cn");
	assert_null(sa_pack_info_param_at(info, p, 20190101));
	assert_null(sa_pack_info_param_find(info, "dibao.nope"));
	sa_pack_info_free(info);
	sa_pack_info_free(NULL);
}

static void test_show_rules_overrides(void **state)
{
	sa_pack_info *info;
	const sa_rule_info *r;
	(void)state;
	assert_int_equal(sa_pack_info_load(&info, data_path("overlay"), "cn-1101"), SA_OK);
	assert_int_equal(sa_pack_info_rule_count(info), 2);
	assert_non_null(r = sa_pack_info_rule_find(info, "amount"));
	assert_string_equal(r->defined_by, "cn-1101");
	assert_string_equal(r->file, "cn-1101/rules/amount.lua");
	assert_int_equal(r->line, 3);
	assert_string_equal(r->overrides, "cn-11");
	assert_true(r->calls_super);
	assert_int_equal(r->ndefined, 3);
	assert_string_equal(r->defined_in[0], "cn");
	assert_string_equal(r->defined_in[1], "cn-11");
	assert_string_equal(r->defined_in[2], "cn-1101");
	assert_non_null(r = sa_pack_info_rule_find(info, "evaluate"));
	assert_string_equal(r->defined_by, "cn");
	assert_null(r->overrides);
	assert_false(r->calls_super);
	sa_pack_info_free(info);
}

/* The result of the overlay: cn-1101 amount = 2 x (cn-11: super + 20) over cn's standard. */
static void test_super_calls_super(void **state)
{
	sa_test_counts c = { 0, 0 };
	(void)state;
	assert_int_equal(sa_pack_test(&c, data_path("overlay"), "cn-1101", NULL, NULL), SA_OK);
	assert_int_equal(c.passed, 2);
	assert_int_equal(c.failed, 0);
}

typedef struct {
	int kinds[16];
	char names[16][64];
	char right[16][256];
	int n;
} diffs;

static int on_diff(const sa_diff_item *it, void *payload)
{
	diffs *d = payload;
	if (d->n < 16) {
		d->kinds[d->n] = it->kind;
		snprintf(d->names[d->n], sizeof d->names[d->n], "%s", it->name);
		snprintf(d->right[d->n], sizeof d->right[d->n], "%s", it->right ? it->right : "");
		d->n++;
	}
	return 0;
}

static void test_diff_packs(void **state)
{
	sa_pack_info *a, *b;
	diffs d;
	(void)state;
	memset(&d, 0, sizeof d);
	assert_int_equal(sa_pack_info_load(&a, data_path("overlay"), "cn"), SA_OK);
	assert_int_equal(sa_pack_info_load(&b, data_path("overlay"), "cn-1101"), SA_OK);
	/* value on 2025-03-01 differs (100 vs 200), and rules.amount is defined by another pack */
	assert_int_equal(sa_pack_info_diff(a, b, 20250301, on_diff, &d), 2);
	assert_int_equal(d.kinds[0], SA_DIFF_PARAM_VALUE);
	assert_string_equal(d.names[0], "dibao.standard_urban");
	assert_non_null(strstr(d.right[0], "200 (cn-11, from 2024-01-01)"));
	assert_int_equal(d.kinds[1], SA_DIFF_RULE_CHANGED);
	assert_string_equal(d.names[1], "amount");
	/* on 2023-06-01 both are 100, but the histories differ */
	memset(&d, 0, sizeof d);
	assert_int_equal(sa_pack_info_diff(a, b, 20230601, on_diff, &d), 2);
	assert_int_equal(d.kinds[0], SA_DIFF_PARAM_HISTORY);
	assert_non_null(strstr(d.right[0], "2024-01-01 200"));
	sa_pack_info_free(a);
	sa_pack_info_free(b);
}

/* Two versions of one pack: cn from the overlay fixture and its copy in the bad fixture. */
static void test_diff_versions(void **state)
{
	sa_pack_info *a, *b;
	(void)state;
	assert_int_equal(sa_pack_info_load(&a, data_path("overlay"), "cn"), SA_OK);
	assert_int_equal(sa_pack_info_load(&b, data_path("bad"), "cn"), SA_OK);
	assert_int_equal(sa_pack_info_diff(a, b, 20250301, NULL, NULL), 0);
	sa_pack_info_free(a);
	sa_pack_info_free(b);
}

static void test_load_errors(void **state)
{
	sa_pack_info *info;
	const sa_error *e;
	(void)state;
	assert_int_equal(sa_pack_info_load(&info, data_path("overlay"), "cn-99"), SA_ENOTFOUND);
	assert_null(info);
	/* cn-12 of the bad fixture does not load: the loader's first error, with its position */
	assert_true(sa_pack_info_load(&info, data_path("bad"), "cn-12") < 0);
	assert_non_null(e = sa_error_last());
	assert_non_null(e->source);
	assert_true(e->line > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_params),
		cmocka_unit_test(test_show_rules_overrides),
		cmocka_unit_test(test_super_calls_super),
		cmocka_unit_test(test_diff_packs),
		cmocka_unit_test(test_diff_versions),
		cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests_name("inspect", tests, NULL, NULL);
}
