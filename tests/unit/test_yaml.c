/* test_yaml.c - the YAML/JSON reader (libsa/yaml_reader.c): the tree it builds with 1-based
 * positions, and its refusals: syntax errors with line and column, anchors and aliases,
 * duplicate keys, nesting past the cap, several documents, NUL bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sa_value *parse_ok(const char *text)
{
	sa_value *v = NULL;
	assert_int_equal(sa__yaml_parse(&v, text, strlen(text), "doc.yaml"), SA_OK);
	assert_non_null(v);
	return v;
}

/* Parse must fail with SA_EINVALID at line:column, with `in_message` in the message. */
static void parse_fails_at(const char *text, int line, int column, const char *in_message)
{
	sa_value *v = (sa_value *)1;
	const sa_error *e;
	sa_error_clear();
	assert_int_equal(sa__yaml_parse(&v, text, strlen(text), "doc.yaml"), SA_EINVALID);
	assert_null(v);
	assert_non_null(e = sa_error_last());
	assert_int_equal(e->code, SA_EINVALID);
	assert_string_equal(e->source, "doc.yaml");
	if (e->line != line || e->column != column || !strstr(e->message, in_message))
		print_error("got %d:%d '%s', expected %d:%d '%s'\n", e->line, e->column, e->message, line, column,
		            in_message);
	assert_int_equal(e->line, line);
	assert_int_equal(e->column, column);
	assert_non_null(strstr(e->message, in_message));
}

static void test_yaml_tree__map_list_scalars(void **state)
{
	sa_value *v = parse_ok("a: 1\nb:\n  c: \"x\"\n  d: [p, q]\ne: ~\n");
	sa_value *b, *d;
	(void)state;
	assert_int_equal(v->type, SA_V_MAP);
	assert_int_equal(v->n, 3);
	assert_string_equal(v->keys[0], "a");
	assert_int_equal(sa__value_get(v, "a")->type, SA_V_STR);
	assert_string_equal(sa__value_get(v, "a")->str, "1");
	assert_false(sa__value_get(v, "a")->quoted);
	assert_int_equal(sa__value_get(v, "a")->line, 1);
	assert_int_equal(sa__value_get(v, "a")->column, 4);
	b = sa__value_get(v, "b");
	assert_int_equal(b->type, SA_V_MAP);
	assert_int_equal(b->line, 3);
	assert_int_equal(b->column, 3);
	assert_true(sa__value_get(b, "c")->quoted);
	assert_string_equal(sa__value_get(b, "c")->str, "x");
	d = sa__value_get(b, "d");
	assert_int_equal(d->type, SA_V_LIST);
	assert_int_equal(d->n, 2);
	assert_string_equal(d->items[1]->str, "q");
	assert_int_equal(d->items[1]->line, 4);
	assert_int_equal(d->items[1]->column, 10);
	assert_int_equal(sa__value_get(v, "e")->type, SA_V_NULL);
	sa__value_free(v);
}

static void test_yaml_tree__json(void **state)
{
	sa_value *v = parse_ok("{\"a\": [1, \"x\", null], \"b\": {\"c\": true}}");
	sa_value *a;
	(void)state;
	assert_int_equal(v->type, SA_V_MAP);
	a = sa__value_get(v, "a");
	assert_int_equal(a->type, SA_V_LIST);
	assert_int_equal(a->n, 3);
	assert_string_equal(a->items[0]->str, "1");
	assert_true(a->items[1]->quoted);
	assert_int_equal(a->items[2]->type, SA_V_NULL);
	assert_string_equal(sa__value_get(sa__value_get(v, "b"), "c")->str, "true");
	sa__value_free(v);
}

static void test_yaml_tree__empty_and_quoted_null(void **state)
{
	sa_value *v = parse_ok("");
	(void)state;
	assert_int_equal(v->type, SA_V_NULL);
	sa__value_free(v);
	v = parse_ok("a: \"null\"\nb: ''\n");
	assert_int_equal(sa__value_get(v, "a")->type, SA_V_STR); /* quoted: text, not null */
	assert_int_equal(sa__value_get(v, "b")->type, SA_V_STR);
	assert_string_equal(sa__value_get(v, "b")->str, "");
	sa__value_free(v);
}

static void test_yaml_syntax__positions(void **state)
{
	(void)state;
	parse_fails_at("a: b: c\n", 1, 5, "mapping values are not allowed");
	parse_fails_at("a: 1\n  b: 2\n", 2, 4, "mapping values are not allowed");
	parse_fails_at("a: [1, 2\n", 2, 1, "did not find expected ',' or ']'");
	parse_fails_at("a: \"unterminated\n", 2, 1, "quoted scalar");
	parse_fails_at("a:\n\tb: 1\n", 2, 1, "cannot start any token");
}

static void test_yaml_refuse__anchors_and_aliases(void **state)
{
	(void)state;
	parse_fails_at("a: &x 1\nb: *x\n", 1, 4, "anchors are not allowed");
	parse_fails_at("b: *x\n", 1, 4, "aliases are not allowed");
	parse_fails_at("a:\n  - &l [1]\n", 2, 5, "anchors are not allowed");
	parse_fails_at("a: &m {k: v}\n", 1, 4, "anchors are not allowed");
	/* the billion-laughs shape never gets past the first anchor */
	parse_fails_at("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", 1, 4, "anchors are not allowed");
}

static void test_yaml_refuse__duplicate_keys(void **state)
{
	(void)state;
	parse_fails_at("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a'");
	parse_fails_at("m:\n  k: 1\n  k: 2\n", 3, 3, "duplicate key 'k'");
	parse_fails_at("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key 'a'");
}

static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 1);
	assert_non_null(s);
	for (int i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth * 2 - 1 - i] = ']';
	}
	s[depth * 2] = 0;
	return s;
}

static void test_yaml_refuse__nesting_cap(void **state)
{
	char *ok = nested(64), *deep = nested(65);
	sa_value *v;
	(void)state;
	v = parse_ok(ok);
	assert_int_equal(v->type, SA_V_LIST);
	sa__value_free(v);
	parse_fails_at(deep, 1, 65, "nesting deeper than 64");
	free(ok);
	free(deep);
}

static void test_yaml_refuse__other(void **state)
{
	(void)state;
	parse_fails_at("a: 1\n---\nb: 2\n", 3, 1, "more than one document");
	parse_fails_at("? [1]\n: 2\n", 1, 3, "a map key must be text");
	parse_fails_at("a: \"x\\0y\"\n", 1, 4, "NUL byte");
}

static void test_yaml_file__missing(void **state)
{
	sa_value *v;
	(void)state;
	assert_int_equal(sa__yaml_parse_file(&v, "/nonexistent/libsa/x.yaml"), SA_ENOTFOUND);
	assert_string_equal(sa_error_last()->source, "/nonexistent/libsa/x.yaml");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_tree__map_list_scalars),
		cmocka_unit_test(test_yaml_tree__json),
		cmocka_unit_test(test_yaml_tree__empty_and_quoted_null),
		cmocka_unit_test(test_yaml_syntax__positions),
		cmocka_unit_test(test_yaml_refuse__anchors_and_aliases),
		cmocka_unit_test(test_yaml_refuse__duplicate_keys),
		cmocka_unit_test(test_yaml_refuse__nesting_cap),
		cmocka_unit_test(test_yaml_refuse__other),
		cmocka_unit_test(test_yaml_file__missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
