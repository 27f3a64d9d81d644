/* test_lint.c - sa_lint finds every problem of a pack with its file:line
 * (fixtures: tests/data/lint/<case>/, docs/pack-tools.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/scan.h"

typedef struct {
	char code[32];
	char file[512];
	int line;
	int severity;
	char message[512];
} got_t;

typedef struct {
	got_t v[64];
	size_t n;
	int stop_after;
} got_list;

static int collect(const sa_lint_finding *f, void *payload)
{
	got_list *g = payload;
	if (g->n < 64) {
		got_t *x = &g->v[g->n++];
		snprintf(x->code, sizeof x->code, "%s", f->code);
		snprintf(x->file, sizeof x->file, "%s", f->file ? f->file : "");
		snprintf(x->message, sizeof x->message, "%s", f->message);
		x->line = f->line;
		x->severity = f->severity;
	}
	return g->stop_after && (int)g->n >= g->stop_after;
}

static const char *data_path(const char *sub)
{
	static char buf[4096];
	const char *src = getenv("SA_SOURCE_DIR");
	snprintf(buf, sizeof buf, "%s/tests/data/lint/%s", src ? src : ".", sub);
	return buf;
}

/* The finding with this code, file suffix and line, or NULL. */
static const got_t *find(const got_list *g, const char *code, const char *file_suffix, int line)
{
	for (size_t i = 0; i < g->n; i++) {
		size_t a = strlen(g->v[i].file), b = strlen(file_suffix);
		if (strcmp(g->v[i].code, code) == 0 && a >= b && strcmp(g->v[i].file + a - b, file_suffix) == 0 &&
		    g->v[i].line == line)
			return &g->v[i];
	}
	return NULL;
}

static void dump(const got_list *g)
{
	for (size_t i = 0; i < g->n; i++)
		fprintf(stderr, "  %s:%d [%s] %s\n", g->v[i].file, g->v[i].line, g->v[i].code, g->v[i].message);
}

static got_list bad;
static sa_lint_counts bad_counts;

static int setup_bad(void **state)
{
	(void)state;
	memset(&bad, 0, sizeof bad);
	memset(&bad_counts, 0, sizeof bad_counts);
	return sa_lint(&bad_counts, data_path("bad"), "cn-12", collect, &bad) == SA_OK ? 0 : -1;
}

static void expect(const char *code, const char *file, int line, const char *text)
{
	const got_t *f = find(&bad, code, file, line);
	if (!f) {
		fprintf(stderr, "missing %s at %s:%d; got:\n", code, file, line);
		dump(&bad);
	}
	assert_non_null(f);
	if (text)
		assert_non_null(strstr(f->message, text));
}

static void test_param_typo_suggests_nearest(void **state)
{
	(void)state;
	expect("param-undeclared", "cn-12/params.yaml", 3, "did you mean 'dibao.standard_urban'");
}

static void test_param_gaps_all_reported(void **state)
{
	(void)state;
	expect("value-gap", "cn-12/params.yaml", 13, "2020-01-01..2020-06-30");
	expect("value-gap", "cn-12/params.yaml", 30, "2022-01-01..2022-12-31");
}

static void test_param_overlap_and_ref(void **state)
{
	(void)state;
	expect("value-overlap", "cn-12/params.yaml", 17, "until 2020-12-31");
	expect("value-ref", "cn-12/params.yaml", 20, NULL);
}

static void test_declaration_needs_unit_and_ref(void **state)
{
	(void)state;
	expect("param-unit", "cn-12/params.yaml", 23, "local.heating");
	expect("param-ref", "cn-12/params.yaml", 23, "local.heating");
}

static void test_lua_globals(void **state)
{
	(void)state;
	expect("lua-global", "cn-12/rules/helpers.lua", 3, "did you mean 'pairs'");
	expect("lua-global-write", "cn-12/rules/helpers.lua", 4, "counter");
	expect("lua-field", "cn-12/rules/helpers.lua", 5, "string.find");
}

static void test_lua_syntax(void **state)
{
	(void)state;
	expect("lua-syntax", "cn-12/rules/syntax.lua", 3, "near 'end'");
}

static void test_rules_overlay(void **state)
{
	(void)state;
	/* rules.amount overrides cn's: fine; rules.amont is new: error with a suggestion */
	assert_null(find(&bad, "rule-new", "cn-12/rules/helpers.lua", 7));
	expect("rule-new", "cn-12/rules/helpers.lua", 11, "did you mean rules.amount");
	/* `-- sa-lint: new` above rules.heating allows it */
	assert_null(find(&bad, "rule-new", "cn-12/rules/helpers.lua", 16));
	expect("super-undefined", "cn-12/rules/helpers.lua", 8, "super.bonus");
	expect("rule-unknown", "cn-12/rules/helpers.lua", 17, "heat_extra");
}

static void test_no_golden_tests(void **state)
{
	(void)state;
	expect("tests-missing", "cn-12/tests", 0, NULL);
}

static void test_counts(void **state)
{
	(void)state;
	if (bad_counts.errors != 14 || bad_counts.warnings != 1)
		dump(&bad);
	assert_int_equal(bad_counts.errors, 14);
	assert_int_equal(bad_counts.warnings, 1);
	assert_int_equal(bad.n, 15);
}

static void test_overlay_is_clean(void **state)
{
	const char *ids[] = { "cn", "cn-11", "cn-1101" };
	(void)state;
	for (int i = 0; i < 3; i++) {
		got_list g;
		sa_lint_counts c = { 0, 0 };
		memset(&g, 0, sizeof g);
		assert_int_equal(sa_lint(&c, data_path("overlay"), ids[i], collect, &g), SA_OK);
		if (g.n)
			dump(&g);
		assert_int_equal(c.errors, 0);
		assert_int_equal(c.warnings, 0);
	}
}

static void test_not_found_and_stop(void **state)
{
	got_list g;
	sa_lint_counts c = { 0, 0 };
	(void)state;
	memset(&g, 0, sizeof g);
	assert_int_equal(sa_lint(&c, data_path("bad"), "cn-99", collect, &g), SA_ENOTFOUND);
	g.stop_after = 1;
	assert_int_equal(sa_lint(&c, data_path("bad"), "cn-12", collect, &g), SA_EUSER);
	assert_int_equal(g.n, 1);
}

/* A function with more than 256 constants: globals are then read through GETUPVAL _ENV +
 * GETTABLE, not GETTABUP; the scan still finds them with their line. */
static void test_scan_many_constants(void **state)
{
	char text[20000];
	size_t off = 0;
	sa_lscan s;
	int found = 0;
	(void)state;
	off += (size_t)snprintf(text + off, sizeof text - off, "local t = {\n");
	for (int i = 0; i < 300; i++)
		off += (size_t)snprintf(text + off, sizeof text - off, "\"k%d\",\n", i);
	off += (size_t)snprintf(text + off, sizeof text - off, "}\nlocal x = undefined_thing\nrules.late = 1\n");
	assert_int_equal(sa__lua_scan(&s, "many.lua", text, off), SA_OK);
	assert_null(s.error);
	for (size_t i = 0; i < s.n; i++) {
		if (s.refs[i].kind == SA_LREF_GET && strcmp(s.refs[i].name, "undefined_thing") == 0) {
			assert_int_equal(s.refs[i].line, 303);
			found |= 1;
		}
		if (s.refs[i].kind == SA_LREF_RULE_DEF && strcmp(s.refs[i].name, "late") == 0) {
			assert_int_equal(s.refs[i].line, 304);
			found |= 2;
		}
	}
	assert_int_equal(found, 3);
	sa__lscan_free(&s);
}

static void test_scan_rule_defs_and_super(void **state)
{
	const char *text = "local function helper() return 1 end\n"
	                   "function rules.a(x)\n"
	                   "  return super.a(x) + helper()\n"
	                   "end\n"
	                   "rules.b = function() return super.c() end\n";
	sa_lscan s;
	int seen = 0;
	(void)state;
	assert_int_equal(sa__lua_scan(&s, "defs.lua", text, strlen(text)), SA_OK);
	for (size_t i = 0; i < s.n; i++) {
		const sa_lref *r = &s.refs[i];
		if (r->kind == SA_LREF_RULE_DEF && strcmp(r->name, "a") == 0) {
			assert_int_equal(r->line, 2);
			assert_int_equal(r->last_line, 4);
			seen |= 1;
		}
		if (r->kind == SA_LREF_SUPER_GET && strcmp(r->name, "a") == 0) {
			assert_int_equal(r->line, 3);
			assert_true(r->def >= 0);
			assert_string_equal(s.refs[r->def].name, "a");
			seen |= 2;
		}
		if (r->kind == SA_LREF_SUPER_GET && strcmp(r->name, "c") == 0) {
			assert_true(r->def >= 0);
			assert_string_equal(s.refs[r->def].name, "b");
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
	sa__lscan_free(&s);
}

int main(void)
{
	const struct CMUnitTest bad_tests[] = {
		cmocka_unit_test(test_param_typo_suggests_nearest),
		cmocka_unit_test(test_param_gaps_all_reported),
		cmocka_unit_test(test_param_overlap_and_ref),
		cmocka_unit_test(test_declaration_needs_unit_and_ref),
		cmocka_unit_test(test_lua_globals),
		cmocka_unit_test(test_lua_syntax),
		cmocka_unit_test(test_rules_overlay),
		cmocka_unit_test(test_no_golden_tests),
		cmocka_unit_test(test_counts),
	};
	const struct CMUnitTest other[] = {
		cmocka_unit_test(test_overlay_is_clean),
		cmocka_unit_test(test_not_found_and_stop),
		cmocka_unit_test(test_scan_many_constants),
		cmocka_unit_test(test_scan_rule_defs_and_super),
	};
	return cmocka_run_group_tests_name("lint_bad_pack", bad_tests, setup_bad, NULL) |
	       cmocka_run_group_tests_name("lint", other, NULL, NULL);
}
