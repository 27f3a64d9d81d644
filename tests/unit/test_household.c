/* test_household.c - the household schema (libsa/household.c, docs/household.md): every kind
 * of error names file, line, column and the field's path; JSON works as well as YAML; the
 * defaults that are not "unknown"; and the builder API (sa_household_new, _add_member, _set),
 * where a failed call leaves the household as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/internal.h"
#include "core/household_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line numbers of BASE (1-based) are used by the error tests below. */
#define L1 "household:\n"
#define L2 "  id: t-001\n"
#define L3 "  region: \"530102\"\n"
#define L4 "  area: urban\n"
#define L5 "  members:\n"
#define L6 "    - id: m1\n"
#define L7 "      relation: head\n"
#define L8 "      birth: 1958-03-01\n"
#define L9 "      income:\n"
#define L10 "        wages: \"1200\"\n"
#define L11 "    - id: m2\n"
#define L12 "      relation: spouse\n"
#define L13 "      birth: 1960-05-01\n"
#define BASE L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12 L13

static sa_household *parse_one(const char *text)
{
	sa_household **arr = NULL;
	sa_household *hh;
	size_t n = 0;
	int rc = sa_household_parse(&arr, &n, text, strlen(text), "hh.yaml");
	if (rc < 0)
		print_error("unexpected error: %s\n", sa_error_last()->message);
	assert_int_equal(rc, SA_OK);
	assert_int_equal(n, 1);
	hh = arr[0];
	arr[0] = NULL;
	sa_household_array_free(arr, 1);
	return hh;
}

/* Parsing `text` fails with SA_EINVALID at hh.yaml:line:column, and the message names `field`
 * (as "field '<path>'") and contains `what`. */
static void fails_at(const char *text, int line, int column, const char *field, const char *what)
{
	sa_household **arr = (sa_household **)1;
	size_t n = 99;
	const sa_error *e;
	char want[300];
	sa_error_clear();
	assert_int_equal(sa_household_parse(&arr, &n, text, strlen(text), "hh.yaml"), SA_EINVALID);
	assert_null(arr);
	assert_int_equal(n, 0);
	assert_non_null(e = sa_error_last());
	snprintf(want, sizeof want, "field '%s'", field);
	if (e->line != line || e->column != column || !strstr(e->message, want) || !strstr(e->message, what))
		print_error("got %s:%d:%d '%s'\n", e->source, e->line, e->column, e->message);
	assert_string_equal(e->source, "hh.yaml");
	assert_int_equal(e->line, line);
	assert_int_equal(e->column, column);
	assert_non_null(strstr(e->message, want));
	assert_non_null(strstr(e->message, what));
}

static const sa_value *typed_member(const sa_household *hh, size_t i)
{
	const sa_value *m = sa__value_get(hh->typed, "members");
	assert_non_null(m);
	assert_true(i < m->n);
	return m->items[i];
}

static void test_household_parse__valid_yaml(void **state)
{
	sa_household *hh = parse_one(BASE);
	const sa_value *m0 = typed_member(hh, 0), *income;
	(void)state;
	assert_string_equal(sa_household_id(hh), "t-001");
	assert_int_equal(sa__value_get(m0, "birth")->type, SA_V_DATE);
	assert_int_equal(sa__value_get(m0, "birth")->num, 19580301);
	income = sa__value_get(m0, "income");
	assert_non_null(income);
	assert_int_equal(sa__value_get(income, "wages")->type, SA_V_MONEY);
	assert_int_equal(sa__value_get(income, "wages")->num, 120000);
	sa_household_free(hh);
}

static void test_household_parse__defaults(void **state)
{
	sa_household *hh = parse_one(BASE);
	const sa_value *m0 = typed_member(hh, 0), *m1 = typed_member(hh, 1), *income, *v;
	(void)state;
	/* lives_with_household true, excluded none, enrolments empty, supporters none */
	v = sa__value_get(m0, "lives_with_household");
	assert_int_equal(v->type, SA_V_BOOL);
	assert_int_equal(v->num, 1);
	assert_string_equal(sa__value_get(m0, "excluded")->str, "none");
	v = sa__value_get(hh->typed, "enrolments");
	assert_int_equal(v->type, SA_V_MAP);
	assert_int_equal(v->n, 0);
	v = sa__value_get(hh->typed, "supporters");
	assert_int_equal(v->type, SA_V_LIST);
	assert_int_equal(v->n, 0);
	/* inside an income block an unlisted kind is zero; without the block income is unknown */
	income = sa__value_get(m0, "income");
	assert_int_equal(sa__value_get(income, "pension")->type, SA_V_MONEY);
	assert_int_equal(sa__value_get(income, "pension")->num, 0);
	assert_int_equal(sa__value_get(income, "taxes_and_contributions")->num, 0);
	assert_null(sa__value_get(m1, "income"));
	/* other facts are never defaulted */
	assert_null(sa__value_get(m0, "self_care"));
	assert_null(sa__value_get(m0, "able_to_work"));
	assert_null(sa__value_get(hh->typed, "assets"));
	assert_null(sa__value_get(hh->typed, "attested"));
	sa_household_free(hh);
}

static void test_household_parse__json(void **state)
{
	const char *json = "{\"household\": {\"id\": \"j1\", \"region\": \"530102\", \"area\": \"rural\",\n"
	                   " \"enrolments\": [\"dibao\"],\n"
	                   " \"members\": [{\"id\": \"a\", \"relation\": \"head\", \"birth\": \"1950-01-01\",\n"
	                   "   \"income\": {\"pension\": 300.5}, \"lives_with_household\": false}]}}";
	sa_household *hh = parse_one(json);
	const sa_value *m0 = typed_member(hh, 0);
	(void)state;
	assert_string_equal(sa_household_id(hh), "j1");
	assert_int_equal(sa__value_get(sa__value_get(m0, "income"), "pension")->num, 30050);
	assert_int_equal(sa__value_get(m0, "lives_with_household")->num, 0);
	assert_int_equal(sa__value_get(sa__value_get(hh->typed, "enrolments"), "dibao")->num, 1);
	sa_household_free(hh);
	/* errors in JSON carry positions too */
	fails_at("{\"household\": {\"id\": \"j1\", \"region\": \"530102\", \"area\": \"town\",\n"
	         " \"members\": [{\"id\": \"a\", \"relation\": \"head\", \"birth\": \"1950-01-01\"}]}}",
	         1, 56, "area", "'town' is not one of: urban, rural");
}

/* A bare household object (a JSON-lines record, a jsonb value) is one household too; a map
 * that is neither a household nor a wrapper is still refused. */
static void test_household_parse__bare(void **state)
{
	const char *bare = "{\"id\": \"b1\", \"region\": \"530102\", \"area\": \"urban\",\n"
	                   " \"members\": [{\"id\": \"a\", \"relation\": \"head\", \"birth\": \"1950-01-01\"}]}";
	const char *neither = "{\"house\": 1}";
	sa_household **arr;
	size_t n;
	sa_household *hh = parse_one(bare);
	(void)state;
	assert_string_equal(sa_household_id(hh), "b1");
	sa_household_free(hh);
	fails_at("{\"id\": \"b1\", \"region\": \"530102\", \"area\": \"town\",\n"
	         " \"members\": [{\"id\": \"a\", \"relation\": \"head\", \"birth\": \"1950-01-01\"}]}",
	         1, 42, "area", "'town' is not one of: urban, rural");
	assert_int_equal(sa_household_parse(&arr, &n, neither, strlen(neither), "x.json"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "expected a household object"));
}

static void test_household_parse__many(void **state)
{
	const char *two = "households:\n"
	                  "  - { id: a, region: \"530102\", area: urban, members: [{ id: m, relation: head, birth: 1950-01-01 }] }\n"
	                  "  - { id: b, region: \"530102\", area: rural, members: [{ id: m, relation: head, birth: 1951-01-01 }] }\n";
	sa_household **arr;
	size_t n;
	(void)state;
	assert_int_equal(sa_household_parse(&arr, &n, two, strlen(two), "two.yaml"), SA_OK);
	assert_int_equal(n, 2);
	assert_string_equal(sa_household_id(arr[0]), "a");
	assert_string_equal(sa_household_id(arr[1]), "b");
	sa_household_array_free(arr, n);
	/* one bad household: nothing is returned */
	fails_at("households:\n"
	         "  - { id: a, region: \"530102\", area: urban, members: [{ id: m, relation: head, birth: 1950-01-01 }] }\n"
	         "  - { id: b, region: \"5301\", area: rural, members: [{ id: m, relation: head, birth: 1951-01-01 }] }\n",
	         3, 22, "region", "not a six-digit GB/T 2260 code");
}

static void test_household_error__unknown_field(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 "        wagez: \"1200\"\n" L11 L12 L13, 10, 16, "members[0].income.wagez",
	         "unknown field in income");
	fails_at(L1 L2 L3 L4 "  colour: red\n" L5 L6 L7 L8, 5, 11, "colour", "unknown field in household");
}

static void test_household_error__wrong_type(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 "      income: [1, 2]\n" L11 L12 L13, 9, 15, "members[0].income",
	         "expected a map, found list");
	fails_at(L1 L2 L3 L4 L5 L6 L7 "      birth: [1958]\n", 8, 14, "members[0].birth", "expected a single value");
	fails_at(L1 L2 L3 L4 "  assets: { housing_units: \"2\" }\n" L5 L6 L7 L8, 5, 28, "assets.housing_units",
	         "not a whole number");
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 "      serious_illness: yes\n", 9, 24, "members[0].serious_illness",
	         "not true or false");
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 "      disability: { type: physical, grade: 5 }\n", 9, 44,
	         "members[0].disability.grade", "not a whole number from 0 to 4");
	fails_at(L1 L2 L3 L4 "  members: { id: m1 }\n", 5, 12, "members", "expected a list, found map");
}

static void test_household_error__negative_money(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 "        wages: \"-5\"\n" L11 L12 L13, 10, 16, "members[0].income.wages",
	         "'-5' is negative");
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 "        wages: 12.345\n" L11 L12 L13, 10, 16, "members[0].income.wages",
	         "not yuan with at most two decimals");
	fails_at(L1 L2 L3 L4 "  rigid_spending: { medical: \"-1\" }\n" L5 L6 L7 L8, 5, 30, "rigid_spending.medical",
	         "is negative");
}

static void test_household_error__impossible_date(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 L5 L6 L7 "      birth: 2023-02-29\n" L9 L10 L11 L12 L13, 8, 14, "members[0].birth",
	         "'2023-02-29' is not a real date");
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12 "      birth: 1960-5-1\n", 13, 14, "members[1].birth",
	         "not a real date YYYY-MM-DD");
}

static void test_household_error__bad_enum(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 "  area: town\n" L5 L6 L7 L8, 4, 9, "area", "'town' is not one of: urban, rural");
	fails_at(L1 L2 L3 L4 L5 L6 "      relation: boss\n" L8, 7, 17, "members[0].relation", "'boss' is not one of: head");
	fails_at(L1 L2 L3 L4 "  enrolments: [dibao, welfare]\n" L5 L6 L7 L8, 5, 23, "enrolments[1]",
	         "expected one of: tekun, dibao");
	fails_at(L1 L2 L3 L4 "  assets: { vehicles: [ { kind: boat } ] }\n" L5 L6 L7 L8, 5, 33,
	         "assets.vehicles[0].kind", "'boat' is not one of: car");
}

static void test_household_error__duplicate_member_ids(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 "    - id: m1\n" L12 L13, 11, 11, "members[1].id",
	         "duplicate member id 'm1'");
}

/* issue 13: a supporter's `supports` must name members; income per month or per year */
static void test_household_error__supporters(void **state)
{
	(void)state;
	fails_at(L1 L2 L3 L4 "  supporters: [ { relation: child, supports: [m1, m9] } ]\n" L5 L6 L7 L8, 5, 51,
	         "supporters[0].supports", "'m9' names no member of this household");
	fails_at(L1 L2 L3 L4 "  supporters: [ { relation: child, income: \"1\", income_annual: \"12\" } ]\n" L5 L6 L7 L8,
	         5, 64, "supporters[0].income_annual", "give income (per month) or income_annual (per year), not both");
}

static void test_household_error__missing_required(void **state)
{
	(void)state;
	/* a member without relation: the position is the member's map */
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L13, 11, 7, "members[1].relation", "is required");
	/* a household without region */
	fails_at(L1 L2 L4 L5 L6 L7 L8, 2, 3, "region", "is required");
	/* explicit null for a required field */
	fails_at(L1 L2 L3 L4 L5 L6 L7 "      birth: ~\n", 8, 14, "members[0].birth", "is required");
	/* a household with no members */
	fails_at(L1 L2 L3 L4 "  members: []\n", 5, 12, "members", "at least one member");
	/* a disability needs type and grade */
	fails_at(L1 L2 L3 L4 L5 L6 L7 L8 "      disability: { type: physical }\n", 9, 19, "members[0].disability.grade",
	         "is required");
}

static void test_household_error__document_shape(void **state)
{
	sa_household **arr;
	size_t n;
	const char *bad = "people: []\n";
	(void)state;
	assert_int_equal(sa_household_parse(&arr, &n, bad, strlen(bad), "shape.yaml"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "'household'"));
	assert_string_equal(sa_error_last()->source, "shape.yaml");
	assert_int_equal(sa_error_last()->line, 1);
	bad = "household: [1]\n";
	assert_int_equal(sa_household_parse(&arr, &n, bad, strlen(bad), "shape.yaml"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "a household is a map"));
	/* a YAML syntax error surfaces with its position */
	bad = "household:\n  id: [\n";
	assert_int_equal(sa_household_parse(&arr, &n, bad, strlen(bad), "shape.yaml"), SA_EINVALID);
	assert_int_equal(sa_error_last()->line, 3);
	assert_int_equal(sa_household_read_file(&arr, &n, "/nonexistent/hh.yaml"), SA_ENOTFOUND);
	assert_null(arr);
	assert_int_equal(n, 0);
}

static void test_household_build__new_and_members(void **state)
{
	sa_household *hh;
	size_t i = 99;
	(void)state;
	assert_int_equal(sa_household_new(&hh, "b-1", "530102", "urban"), SA_OK);
	assert_string_equal(sa_household_id(hh), "b-1");
	assert_null(hh->typed); /* nothing to evaluate yet */
	assert_int_equal(sa_household_add_member(&i, hh, "m1", "head", "1958-03-01"), SA_OK);
	assert_int_equal(i, 0);
	assert_int_equal(sa_household_add_member(&i, hh, "m2", "spouse", "1960-05-01"), SA_OK);
	assert_int_equal(i, 1);
	assert_int_equal(sa_household_add_member(NULL, hh, "m3", "child", "2010-09-01"), SA_OK);
	assert_string_equal(sa_household_id(hh), "b-1");
	assert_int_equal(sa__value_get(hh->typed, "members")->n, 3);
	assert_int_equal(sa__value_get(typed_member(hh, 2), "birth")->num, 20100901);
	assert_false(hh->incomplete);
	sa_household_free(hh);
	sa_household_free(NULL);
}

static void test_household_build__add_member_errors(void **state)
{
	sa_household *hh;
	size_t i = 99;
	(void)state;
	assert_int_equal(sa_household_new(&hh, NULL, "530102", "urban"), SA_EINVALID);
	assert_null(hh);
	assert_int_equal(sa_household_new(&hh, "b-2", "530102", "urban"), SA_OK);
	assert_int_equal(sa_household_add_member(&i, hh, "m1", "head", "1958-03-01"), SA_OK);
	i = 99;
	assert_int_equal(sa_household_add_member(&i, hh, "m2", "spouse", "2023-02-29"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[1].birth'"));
	assert_null(sa_error_last()->source);
	assert_int_equal(sa_error_last()->line, 0);
	assert_int_equal(i, 99);
	assert_int_equal(sa_household_add_member(&i, hh, "m1", "spouse", "1960-05-01"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "duplicate member id 'm1'"));
	assert_int_equal(sa_household_add_member(&i, hh, "m2", "boss", "1960-05-01"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[1].relation'"));
	assert_int_equal(sa_household_add_member(&i, hh, "m2", NULL, "1960-05-01"), SA_EINVALID);
	assert_int_equal(sa_household_add_member(&i, NULL, "m2", "spouse", "1960-05-01"), SA_EINVALID);
	/* none of the failures changed it: the next member is still index 1 */
	assert_int_equal(sa__value_get(hh->typed, "members")->n, 1);
	assert_int_equal(sa_household_add_member(&i, hh, "m2", "spouse", "1960-05-01"), SA_OK);
	assert_int_equal(i, 1);
	sa_household_free(hh);
}

static void test_household_build__set_fields(void **state)
{
	sa_household *hh;
	const sa_value *m0;
	(void)state;
	assert_int_equal(sa_household_new(&hh, "b-3", "530102", "rural"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1958-03-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "3000"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.support_mode", "home"), SA_OK);
	assert_int_equal(sa_household_set(hh, "enrolments.0", "dibao"), SA_OK);
	assert_int_equal(sa_household_set(hh, "enrolments.1", "monitored"), SA_OK);
	assert_int_equal(sa_household_set(hh, "assets.vehicles.0.kind", "car"), SA_OK);
	assert_int_equal(sa_household_set(hh, "assets.vehicles.0.value", "30000"), SA_OK);
	assert_int_equal(sa_household_set(hh, "assets.housing_units", "1"), SA_OK);
	assert_int_equal(sa_household_set(hh, "dibao_tier", "B"), SA_OK);
	m0 = typed_member(hh, 0);
	assert_int_equal(sa__value_get(sa__value_get(m0, "income"), "wages")->num, 300000);
	assert_int_equal(sa__value_get(sa__value_get(m0, "income"), "pension")->num, 0);
	assert_string_equal(sa__value_get(m0, "support_mode")->str, "home");
	assert_int_equal(sa__value_get(sa__value_get(hh->typed, "enrolments"), "monitored")->num, 1);
	assert_int_equal(
		sa__value_get(sa__value_get(sa__value_get(hh->typed, "assets"), "vehicles")->items[0], "value")->num,
		3000000);
	assert_int_equal(sa__value_get(sa__value_get(hh->typed, "assets"), "housing_units")->num, 1);
	/* setting a field again replaces it */
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "0.5"), SA_OK);
	assert_int_equal(sa__value_get(sa__value_get(typed_member(hh, 0), "income"), "wages")->num, 50);
	assert_false(hh->incomplete);
	sa_household_free(hh);
}

static void test_household_build__failed_set_leaves_it_unchanged(void **state)
{
	sa_household *hh;
	sa_value *raw_before;
	(void)state;
	assert_int_equal(sa_household_new(&hh, "b-4", "530102", "urban"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1958-03-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "3000"), SA_OK);
	raw_before = hh->raw;
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "-1"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[0].income.wages': '-1' is negative"));
	assert_int_equal(sa_household_set(hh, "members.0.income.wage", "1"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[0].income.wage': unknown field"));
	assert_int_equal(sa_household_set(hh, "members.0.birth", "2023-02-29"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "area", "town"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "members.3.birth", "1950-01-01"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "past the end"));
	assert_int_equal(sa_household_set(hh, "members.x", "1"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "names a field of a list"));
	assert_int_equal(sa_household_set(hh, "area.0", "urban"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "members..id", "x"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "members", "none"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "members.1.id", "m1"), SA_EINVALID); /* duplicate id */
	assert_int_equal(sa_household_set(hh, NULL, "x"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "area", NULL), SA_EINVALID);
	/* the very same raw tree, same typed values */
	assert_ptr_equal(hh->raw, raw_before);
	assert_string_equal(
		sa__value_get(sa__value_get(sa__value_get(hh->raw, "members")->items[0], "income"), "wages")->str, "3000");
	assert_int_equal(sa__value_get(sa__value_get(typed_member(hh, 0), "income"), "wages")->num, 300000);
	assert_int_equal(sa__value_get(typed_member(hh, 0), "birth")->num, 19580301);
	assert_string_equal(sa__value_get(hh->typed, "area")->str, "urban");
	assert_int_equal(sa__value_get(hh->typed, "members")->n, 1);
	sa_household_free(hh);
}

static void test_household_build__set_before_members_is_checked(void **state)
{
	sa_household *hh;
	(void)state;
	assert_int_equal(sa_household_new(&hh, "b-5", "530102", "urban"), SA_OK);
	assert_int_equal(sa_household_set(hh, "area", "town"), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'area'"));
	assert_int_equal(sa_household_set(hh, "attested.assets_within_dibao_limits", "true"), SA_OK);
	assert_null(hh->typed);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1958-03-01"), SA_OK);
	assert_int_equal(sa__value_get(sa__value_get(hh->typed, "attested"), "assets_within_dibao_limits")->num, 1);
	assert_string_equal(sa__value_get(hh->typed, "area")->str, "urban");
	sa_household_free(hh);
}

static void test_household_build__objects_field_by_field(void **state)
{
	static const char *const acts[] = { "eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing" };
	sa_household *hh;
	char path[64];
	(void)state;
	assert_int_equal(sa_household_new(&hh, "b-6", "530102", "urban"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1950-01-01"), SA_OK);
	/* an object with several required fields is built one field at a time */
	assert_int_equal(sa_household_set(hh, "members.0.disability.type", "physical"), SA_OK);
	assert_true(hh->incomplete);
	assert_int_equal(sa__household_ready(hh), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[0].disability.grade': is required"));
	/* but each value is still checked at once */
	assert_int_equal(sa_household_set(hh, "members.0.disability.grade", "9"), SA_EINVALID);
	assert_int_equal(sa_household_set(hh, "members.0.disability.grade", "2"), SA_OK);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof path, "members.0.self_care.%s", acts[i]);
		assert_int_equal(sa_household_set(hh, path, i == 5 ? "false" : "true"), SA_OK);
		assert_int_equal(hh->incomplete, i < 5);
	}
	assert_int_equal(sa__household_ready(hh), SA_OK);
	assert_int_equal(sa__value_get(sa__value_get(typed_member(hh, 0), "disability"), "grade")->num, 2);
	assert_int_equal(sa__value_get(sa__value_get(typed_member(hh, 0), "self_care"), "bathing")->num, 0);
	/* an added member stays possible while something is incomplete */
	assert_int_equal(sa_household_set(hh, "supporters.0.birth", "1980-01-01"), SA_OK);
	assert_true(hh->incomplete);
	assert_int_equal(sa_household_add_member(NULL, hh, "m2", "child", "2012-01-01"), SA_OK);
	assert_int_equal(sa__household_ready(hh), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'supporters[0].relation': is required"));
	assert_int_equal(sa_household_set(hh, "supporters.0.relation", "child"), SA_OK);
	assert_int_equal(sa__household_ready(hh), SA_OK);
	sa_household_free(hh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_household_parse__valid_yaml),
		cmocka_unit_test(test_household_parse__defaults),
		cmocka_unit_test(test_household_parse__json),
		cmocka_unit_test(test_household_parse__bare),
		cmocka_unit_test(test_household_parse__many),
		cmocka_unit_test(test_household_error__unknown_field),
		cmocka_unit_test(test_household_error__wrong_type),
		cmocka_unit_test(test_household_error__negative_money),
		cmocka_unit_test(test_household_error__impossible_date),
		cmocka_unit_test(test_household_error__bad_enum),
		cmocka_unit_test(test_household_error__duplicate_member_ids),
		cmocka_unit_test(test_household_error__supporters),
		cmocka_unit_test(test_household_error__missing_required),
		cmocka_unit_test(test_household_error__document_shape),
		cmocka_unit_test(test_household_build__new_and_members),
		cmocka_unit_test(test_household_build__add_member_errors),
		cmocka_unit_test(test_household_build__set_fields),
		cmocka_unit_test(test_household_build__failed_set_leaves_it_unchanged),
		cmocka_unit_test(test_household_build__set_before_members_is_checked),
		cmocka_unit_test(test_household_build__objects_field_by_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
