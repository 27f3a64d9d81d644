/* test_engine.c - the public API end to end (sa_engine_*, sa_evaluate, sa_decision_*,
 * sa_evaluate_period) on the fixture tests/data/packs/engine: cn (rules/eval.lua) ->
 * cn-99 (a standard raised on 2024-07-01 and 2025-07-01), and cn-98 (a syntax error). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/internal.h"
#include "core/decision_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The status of program i (the test fails when i is out of range). */
static sa_status status_of(const sa_decision *d, size_t i)
{
	sa_status st = SA_INELIGIBLE;
	assert_int_equal(sa_decision_program_status(&st, d, i), SA_OK);
	return st;
}

static const char *packs(void)
{
	static char buf[4096];
	const char *src = getenv("SA_SOURCE_DIR");
	snprintf(buf, sizeof buf, "%s/tests/data/packs/engine", src ? src : ".");
	return buf;
}

static int setup(void **state)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	o.pack_path = packs();
	if (sa_engine_new(&e, &o) < 0 || sa_engine_load(e, "cn-99") < 0) {
		print_error("setup: %s\n", sa_error_last() ? sa_error_last()->message : "?");
		sa_engine_free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	sa_engine_free(*state);
	return 0;
}

/* Urban; m1 born 1950 with no income, m2 born 1990 earning 1000 a month. */
static sa_household *household(const char *id, const char *area)
{
	sa_household *hh;
	assert_int_equal(sa_household_new(&hh, id, "990102", area), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1950-01-01"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m2", "child", "1990-06-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "0"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.1.income.wages", "1000"), SA_OK);
	return hh;
}

static sa_decision *evaluate(sa_engine *e, const sa_household *hh, sa_date on)
{
	sa_decision *d = NULL;
	int rc = sa_evaluate(&d, e, hh, on);
	if (rc < 0)
		print_error("evaluate: %s\n", sa_error_last()->message);
	assert_int_equal(rc, SA_OK);
	return d;
}

static sa_fen amount(const sa_decision *d, const char *program)
{
	int i = sa_decision_find(d, program);
	sa_fen a = -1;
	assert_true(i >= 0);
	assert_int_equal(sa_decision_program_amount(&a, d, (size_t)i), SA_OK);
	return a;
}

static void test_engine_options__init_and_versions(void **state)
{
	sa_engine_options o;
	sa_engine *e = (sa_engine *)1;
	(void)state;
	memset(&o, 0xff, sizeof o);
	assert_int_equal(sa_engine_options_init(&o, SA_ENGINE_OPTIONS_VERSION), SA_OK);
	assert_int_equal(o.version, SA_ENGINE_OPTIONS_VERSION);
	assert_null(o.pack_path);
	assert_null(o.alloc);
	assert_int_equal(o.memory_limit, 0);
	assert_int_equal(o.instruction_limit, 0);
	assert_null(o.verify_key);
	assert_int_equal(sa_engine_options_init(&o, 1), SA_OK); /* version 1: the struct before verify_key */
	assert_int_equal(o.version, 1);
	assert_int_equal(sa_engine_options_init(&o, 3), SA_EINVALID);
	assert_int_equal(sa_engine_options_init(NULL, SA_ENGINE_OPTIONS_VERSION), SA_EINVALID);
	o.version = 7;
	assert_int_equal(sa_engine_new(&e, &o), SA_EINVALID);
	assert_null(e);
	assert_non_null(strstr(sa_error_last()->message, "version"));
	/* NULL options: defaults, and the pack path from $SA_PACK_PATH */
	assert_int_equal(sa_engine_new(&e, NULL), SA_OK);
	assert_null(sa_engine_pack_id(e));
	assert_null(sa_engine_pack_hash(e));
	sa_engine_free(e);
	sa_engine_free(NULL);
}

/* Every options struct's SA_*_OPTIONS_INIT is what its sa_*_options_init gives
 * (docs/api-conventions.md section 4). */
static void test_engine_options__static_initialisers(void **state)
{
	sa_engine_options e = SA_ENGINE_OPTIONS_INIT, ei;
	sa_screen_options s = SA_SCREEN_OPTIONS_INIT, si;
	sa_test_options t = SA_TEST_OPTIONS_INIT, ti;
	sa_explain_options x = SA_EXPLAIN_OPTIONS_INIT, xi;
	sa_log_options l = SA_LOG_OPTIONS_INIT, li;
	(void)state;
	assert_int_equal(sa_engine_options_init(&ei, SA_ENGINE_OPTIONS_VERSION), SA_OK);
	assert_int_equal(sa_screen_options_init(&si, SA_SCREEN_OPTIONS_VERSION), SA_OK);
	assert_int_equal(sa_test_options_init(&ti, SA_TEST_OPTIONS_VERSION), SA_OK);
	assert_int_equal(sa_explain_options_init(&xi, SA_EXPLAIN_OPTIONS_VERSION), SA_OK);
	assert_int_equal(sa_log_options_init(&li, SA_LOG_OPTIONS_VERSION), SA_OK);
	assert_int_equal(e.version, ei.version);
	assert_true(e.pack_path == ei.pack_path && e.alloc == ei.alloc && e.memory_limit == ei.memory_limit &&
	            e.instruction_limit == ei.instruction_limit && e.output_limit == ei.output_limit &&
	            e.time_limit_ms == ei.time_limit_ms && e.verify_key == ei.verify_key);
	assert_int_equal(s.version, si.version);
	assert_true(s.pack == si.pack && s.engine == si.engine && s.as_of == si.as_of && s.jobs == si.jobs &&
	            s.format == si.format && s.json_flags == si.json_flags && s.on_record == si.on_record &&
	            s.on_error == si.on_error && s.on_progress == si.on_progress && s.ud == si.ud &&
	            s.route == si.route && s.log == si.log);
	assert_int_equal(s.json_flags, SA_JSON_NO_REASONS);
	assert_true(t.version == ti.version && t.flags == ti.flags && t.on_case == ti.on_case &&
	            t.on_coverage == ti.on_coverage && t.payload == ti.payload);
	assert_true(x.version == xi.version && x.format == xi.format && x.lang == xi.lang);
	assert_true(l.version == li.version && l.fsync == li.fsync);
}

static void test_engine_load__errors(void **state)
{
	sa_engine *e = *state;
	const sa_error *err;
	const char *hash = sa_engine_pack_hash(e);
	char before[65];
	assert_non_null(hash);
	assert_int_equal(strlen(hash), 64);
	memcpy(before, hash, 65);
	/* a pack that does not exist */
	assert_int_equal(sa_engine_load(e, "cn-42"), SA_ENOTFOUND);
	assert_non_null(strstr(sa_error_last()->message, "pack 'cn-42' not found"));
	/* not a pack id */
	assert_int_equal(sa_engine_load(e, "yunnan"), SA_EINVALID);
	assert_int_equal(sa_engine_load(e, NULL), SA_EINVALID);
	/* a Lua syntax error: SA_EPOLICY with the rule file and line */
	assert_int_equal(sa_engine_load(e, "cn-98"), SA_EPOLICY);
	err = sa_error_last();
	assert_int_equal(err->code, SA_EPOLICY);
	assert_non_null(err->source);
	assert_string_equal(err->source, "cn-98/rules/bad.lua");
	assert_int_equal(err->line, 3);
	assert_non_null(strstr(err->message, "cn-98/rules/bad.lua:3:"));
	assert_non_null(strstr(err->message, "'}' expected"));
	/* after every failure the engine still has the pack it had */
	assert_string_equal(sa_engine_pack_id(e), "cn-99");
	assert_string_equal(sa_engine_pack_hash(e), before);
	/* the parent alone loads, with another hash */
	assert_int_equal(sa_engine_load(e, "cn"), SA_OK);
	assert_string_equal(sa_engine_pack_id(e), "cn");
	assert_string_not_equal(sa_engine_pack_hash(e), before);
	assert_int_equal(sa_engine_load(e, "cn-99"), SA_OK);
	assert_string_equal(sa_engine_pack_hash(e), before); /* same content, same hash */
}

static void test_engine_load__pack_path_list(void **state)
{
	sa_engine_options o;
	sa_engine *e;
	char path[8300];
	(void)state;
	sa_engine_options_init(&o, SA_ENGINE_OPTIONS_VERSION);
	snprintf(path, sizeof path, "/nonexistent/a:%s", packs());
	o.pack_path = path;
	assert_int_equal(sa_engine_new(&e, &o), SA_OK);
	assert_int_equal(sa_engine_load(e, "cn-99"), SA_OK);
	assert_string_equal(sa_engine_pack_id(e), "cn-99");
	sa_engine_free(e);
}

static void test_engine_evaluate__amounts_and_reads(void **state)
{
	sa_engine *e = *state;
	sa_household *hh = household("e-1", "urban");
	sa_decision *d = evaluate(e, hh, 20250801);
	int t = sa_decision_find(d, "tekun"), b = sa_decision_find(d, "dibao");
	assert_string_equal(sa_decision_tier(d), "tekun");
	assert_int_equal(sa_decision_circle(d), 1);
	assert_int_equal(sa_decision_program_count(d), 2);
	assert_int_equal(t, 0);
	assert_int_equal(b, 1);
	assert_int_equal(sa_decision_find(d, "edge"), -1);
	assert_string_equal(sa_decision_program_name(d, 0), "tekun");
	assert_null(sa_decision_program_name(d, 2));
	/* sa.mul with the ratio's own rounding: 1.3 x 744 = 967.2 -> 968 */
	assert_int_equal(status_of(d, 0), SA_ELIGIBLE);
	assert_int_equal(amount(d, "tekun"), 96800);
	assert_string_equal(sa_decision_program_care_level(d, 0), "self");
	{
		sa_fen part = -1;
		assert_int_equal(sa_decision_program_part(&part, d, 0, "basic"), SA_OK);
		assert_int_equal(part, 96800);
		assert_int_equal(sa_decision_program_part(&part, d, 0, "care"), SA_ENOTFOUND);
		assert_int_equal(sa_decision_program_part(&part, d, 1, "basic"), SA_ENOTFOUND);
	}
	assert_int_equal(sa_decision_program_member_count(d, 0), 1);
	assert_string_equal(sa_decision_program_member(d, 0, 0), "m1");
	assert_null(sa_decision_program_member(d, 0, 1));
	/* household-level gap: 744 x 2 - 1000 = 488 */
	assert_int_equal(status_of(d, 1), SA_ELIGIBLE);
	assert_int_equal(amount(d, "dibao"), 48800);
	assert_null(sa_decision_program_care_level(d, 1));
	assert_int_equal(sa_decision_program_member_count(d, 1), 2);
	assert_int_equal(sa_decision_missing_count(d), 0);
	assert_null(sa_decision_missing(d, 0));
	assert_string_equal(sa_decision_pack_hash(d), sa_engine_pack_hash(e));
	assert_string_equal(sa_status_name(SA_ELIGIBLE), "eligible");
	assert_string_equal(sa_status_name(SA_INELIGIBLE), "ineligible");
	assert_string_equal(sa_status_name(SA_UNDETERMINED), "undetermined");
	sa_decision_free(d);
	/* before the 2025 raise: 1.3 x 735 = 955.5 -> 956; 735 x 2 - 1000 = 470 */
	d = evaluate(e, hh, 20250630);
	assert_int_equal(amount(d, "tekun"), 95600);
	assert_int_equal(amount(d, "dibao"), 47000);
	sa_decision_free(d);
	/* before cn-99's first value: cn's 700 -> 910 */
	d = evaluate(e, hh, 20240630);
	assert_int_equal(amount(d, "tekun"), 91000);
	sa_decision_free(d);
	sa_decision_free(NULL);
	sa_household_free(hh);
}

static void test_engine_evaluate__reasons_name_parameters(void **state)
{
	sa_engine *e = *state;
	sa_household *hh = household("e-2", "urban");
	sa_decision *d = evaluate(e, hh, 20250801);
	const sa_reason *r = &d->programs[0].reasons[0];
	assert_int_equal(d->programs[0].nreasons, 1);
	assert_string_equal(r->id, "tekun.basic");
	assert_string_equal(r->zh, "基本生活标准 = 倍数 × 低保标准");
	assert_string_equal(r->en, "basic living = multiplier x dibao standard");
	assert_string_equal(r->ref, "fixture Art. 2");
	assert_int_equal(r->nparams, 2);
	assert_string_equal(r->params[0].name, "tekun.basic_multiplier");
	assert_string_equal(r->params[0].value, "1.3");
	assert_string_equal(r->params[0].from, "2016-10-01");
	assert_string_equal(r->params[0].pack, "cn");
	assert_string_equal(r->params[0].ref, "fixture 特困 2016");
	assert_string_equal(r->params[1].name, "dibao.standard_urban");
	assert_string_equal(r->params[1].value, "744");
	assert_string_equal(r->params[1].from, "2025-07-01");
	assert_string_equal(r->params[1].pack, "cn-99");
	assert_string_equal(r->params[1].ref, "fixture 2025-07 (as 云民发〔2025〕40号)");
	sa_decision_free(d);
	/* the value in force on the evaluation date, with its own date and pack */
	d = evaluate(e, hh, 20240630);
	r = &d->programs[0].reasons[0];
	assert_string_equal(r->params[1].value, "700");
	assert_string_equal(r->params[1].from, "2024-01-01");
	assert_string_equal(r->params[1].pack, "cn");
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_evaluate__age_boundary(void **state)
{
	sa_engine *e = *state;
	sa_household *hh;
	sa_decision *d;
	assert_int_equal(sa_household_new(&hh, "e-3", "990102", "urban"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1965-08-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.pension", "2000"), SA_OK);
	d = evaluate(e, hh, 20250731); /* 59 */
	assert_int_equal(status_of(d, 0), SA_INELIGIBLE);
	assert_int_equal(sa_decision_program_amount(&(sa_fen){ 0 }, d, 0), SA_ENOTFOUND);
	assert_string_equal(sa_decision_tier(d), "none");
	assert_int_equal(sa_decision_circle(d), 0);
	assert_int_equal(status_of(d, 1), SA_INELIGIBLE); /* 2000 >= 744 */
	sa_decision_free(d);
	d = evaluate(e, hh, 20250801); /* 60 */
	assert_int_equal(status_of(d, 0), SA_ELIGIBLE);
	assert_int_equal(amount(d, "tekun"), 96800);
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_evaluate__undetermined_names_missing(void **state)
{
	sa_engine *e = *state;
	sa_household *hh;
	sa_decision *d;
	assert_int_equal(sa_household_new(&hh, "e-4", "990102", "rural"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1950-01-01"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m2", "spouse", "1952-01-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.wages", "100"), SA_OK);
	/* 2024: no rural standard anywhere in the chain, and m2's income is unknown */
	d = evaluate(e, hh, 20240801);
	assert_int_equal(status_of(d, 0), SA_UNDETERMINED);
	assert_int_equal(status_of(d, 1), SA_UNDETERMINED);
	assert_string_equal(sa_decision_tier(d), "none");
	assert_int_equal(sa_decision_missing_count(d), 2);
	assert_string_equal(sa_decision_missing(d, 0), "param:dibao.standard_rural"); /* first seen, no duplicates */
	assert_string_equal(sa_decision_missing(d, 1), "member:m2.income");
	sa_decision_free(d);
	/* 2025: the rural standard exists; only the income is missing */
	d = evaluate(e, hh, 20250801);
	assert_int_equal(status_of(d, 0), SA_ELIGIBLE);
	assert_int_equal(amount(d, "tekun"), 65000); /* 1.3 x 500 */
	assert_int_equal(sa_decision_missing_count(d), 1);
	assert_string_equal(sa_decision_missing(d, 0), "member:m2.income");
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_evaluate__errors(void **state)
{
	sa_engine *e = *state, *empty;
	sa_household *hh = household("e-5", "urban"), *boom, *nobody, *partial;
	sa_decision *d = (sa_decision *)1;
	const sa_error *err;
	assert_int_equal(sa_evaluate(&d, e, hh, 20250231), SA_EINVALID);
	assert_null(d);
	assert_int_equal(sa_evaluate(&d, e, NULL, 20250801), SA_EINVALID);
	assert_int_equal(sa_evaluate(&d, NULL, hh, 20250801), SA_EINVALID);
	/* a member born after the evaluation date */
	assert_int_equal(sa_evaluate(&d, e, hh, 19900531), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "members[1].birth"));
	/* no pack loaded */
	assert_int_equal(sa_engine_new(&empty, NULL), SA_OK);
	assert_int_equal(sa_evaluate(&d, empty, hh, 20250801), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "no pack loaded"));
	sa_engine_free(empty);
	/* a household without members, and one built with a required field still absent */
	assert_int_equal(sa_household_new(&nobody, "e-6", "990102", "urban"), SA_OK);
	assert_int_equal(sa_evaluate(&d, e, nobody, 20250801), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "at least one member"));
	partial = household("e-7", "urban");
	assert_int_equal(sa_household_set(partial, "members.0.disability.type", "physical"), SA_OK);
	assert_int_equal(sa_evaluate(&d, e, partial, 20250801), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "field 'members[0].disability.grade': is required"));
	/* a rule that raises: SA_EPOLICY with the rule file and line; the engine goes on */
	boom = household("boom", "urban");
	assert_int_equal(sa_evaluate(&d, e, boom, 20250801), SA_EPOLICY);
	err = sa_error_last();
	assert_string_equal(err->source, "cn/rules/eval.lua");
	assert_int_equal(err->line, 73);
	assert_non_null(strstr(err->message, "a rule failed on purpose"));
	d = evaluate(e, hh, 20250801);
	assert_int_equal(amount(d, "tekun"), 96800);
	sa_decision_free(d);
	sa_household_free(boom);
	sa_household_free(nobody);
	sa_household_free(partial);
	sa_household_free(hh);
}

static void test_engine_period__over_a_change_date(void **state)
{
	sa_engine *e = *state;
	sa_household *hh = household("e-8", "urban");
	sa_period per;
	/* May, June at 735 (956 / 470); July, August at 744 (968 / 488) */
	assert_int_equal(sa_evaluate_period(&per, e, hh, "tekun", 20250501, 4), SA_OK);
	assert_int_equal(per.total, 95600 * 2 + 96800 * 2);
	assert_int_equal(sa_evaluate_period(&per, e, hh, "dibao", 20250501, 4), SA_OK);
	assert_int_equal(per.total, 47000 * 2 + 48800 * 2);
	/* a start mid-month counts from the first of that month */
	assert_int_equal(sa_evaluate_period(&per, e, hh, "dibao", 20250515, 4), SA_OK);
	assert_int_equal(per.total, 47000 * 2 + 48800 * 2);
	/* twelve months across both 2024-07-01 and 2025-07-01 */
	assert_int_equal(sa_evaluate_period(&per, e, hh, "tekun", 20240601, 14), SA_OK);
	assert_int_equal(per.total, 91000 + 95600 * 12 + 96800);
	assert_int_equal(sa_evaluate_period_part(&per, e, hh, "tekun", "basic", 20250501, 4), SA_OK);
	assert_int_equal(per.total, 95600 * 2 + 96800 * 2);
	assert_int_equal(sa_evaluate_period(&per, e, hh, "edge", 20250501, 4), SA_ENOTFOUND);
	assert_int_equal(per.total, 0);
	assert_int_equal(sa_evaluate_period(&per, e, hh, "tekun", 20250501, 0), SA_EINVALID);
	sa_household_free(hh);
}

static void test_engine_period__months_not_eligible_count_zero(void **state)
{
	sa_engine *e = *state;
	sa_household *hh;
	sa_period per;
	assert_int_equal(sa_household_new(&hh, "e-9", "990102", "urban"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1965-08-01"), SA_OK);
	assert_int_equal(sa_household_set(hh, "members.0.income.pension", "2000"), SA_OK);
	/* turns 60 on 2025-08-01: June and July ineligible, August and September 968 */
	assert_int_equal(sa_evaluate_period(&per, e, hh, "tekun", 20250601, 4), SA_OK);
	assert_int_equal(per.total, 96800 * 2);
	assert_int_equal(per.status, SA_ELIGIBLE);
	assert_int_equal(per.months_eligible, 2);
	sa_household_free(hh);
}

static const char expected_json[] =
	"{\"schema_version\":1,\"household\":\"e-10\",\"pack\":\"cn-99\",\"pack_hash\":\"%s\",\"as_of\":\"2025-08-01\","
	"\"tier\":\"tekun\",\"circle\":1,\"programs\":["
	"{\"program\":\"tekun\",\"status\":\"eligible\",\"amount\":\"968.00\",\"amount_fen\":96800,"
	"\"parts\":{\"basic\":\"968.00\"},\"care_level\":\"self\",\"members\":[\"m1\"],\"missing\":[],\"margin\":null,\"reasons\":["
	"{\"id\":\"tekun.basic\",\"zh\":\"基本生活标准 = 倍数 × 低保标准\","
	"\"en\":\"basic living = multiplier x dibao standard\",\"ref\":\"fixture Art. 2\",\"params\":["
	"{\"name\":\"tekun.basic_multiplier\",\"value\":\"1.3\",\"from\":\"2016-10-01\",\"pack\":\"cn\","
	"\"ref\":\"fixture 特困 2016\"},"
	"{\"name\":\"dibao.standard_urban\",\"value\":\"744\",\"from\":\"2025-07-01\",\"pack\":\"cn-99\","
	"\"ref\":\"fixture 2025-07 (as 云民发〔2025〕40号)\"}]}]},"
	"{\"program\":\"dibao\",\"status\":\"eligible\",\"amount\":\"488.00\",\"amount_fen\":48800,"
	"\"parts\":{},\"care_level\":null,\"members\":[\"m1\",\"m2\"],\"missing\":[],\"margin\":null,\"reasons\":["
	"{\"id\":\"dibao.gap\",\"zh\":\"差额 = 标准 × 人数 − 家庭收入\","
	"\"en\":\"gap = standard x members - household income\",\"ref\":\"fixture Art. 3\",\"params\":["
	"{\"name\":\"dibao.standard_urban\",\"value\":\"744\",\"from\":\"2025-07-01\",\"pack\":\"cn-99\","
	"\"ref\":\"fixture 2025-07 (as 云民发〔2025〕40号)\"}]}]}],"
	"\"missing\":[]}";

static void test_engine_output__json(void **state)
{
	sa_engine *e = *state;
	sa_household *hh = household("e-10", "urban");
	sa_decision *d = evaluate(e, hh, 20250801);
	char *json = NULL, want[4096];
	snprintf(want, sizeof want, expected_json, sa_engine_pack_hash(e));
	assert_int_equal(sa_decision_to_json(&json, d, 0), SA_OK);
	if (strcmp(json, want) != 0)
		print_error("got:  %s\nwant: %s\n", json, want);
	assert_string_equal(json, want);
	sa_free(json);
	/* without reasons */
	assert_int_equal(sa_decision_to_json(&json, d, SA_JSON_NO_REASONS), SA_OK);
	assert_null(strstr(json, "\"reasons\""));
	assert_non_null(strstr(json, "\"care_level\":\"self\",\"members\":[\"m1\"],\"missing\":[],\"margin\":null},"));
	sa_free(json);
	/* pretty: two spaces per level */
	assert_int_equal(sa_decision_to_json(&json, d, SA_JSON_PRETTY), SA_OK);
	assert_true(strncmp(json, "{\n  \"schema_version\": 1,\n  \"household\": \"e-10\",\n  \"pack\": \"cn-99\",\n", 66) == 0);
	assert_non_null(strstr(json, "\n      \"amount\": \"968.00\",\n      \"amount_fen\": 96800,\n"));
	assert_non_null(strstr(json, "\"members\": [\"m1\", \"m2\"]"));
	assert_true(json[strlen(json) - 1] == '}');
	sa_free(json);
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_output__json_undetermined(void **state)
{
	sa_engine *e = *state;
	sa_household *hh;
	sa_decision *d;
	char *json;
	assert_int_equal(sa_household_new(&hh, "e-11", "990102", "rural"), SA_OK);
	assert_int_equal(sa_household_add_member(NULL, hh, "m1", "head", "1990-01-01"), SA_OK);
	d = evaluate(e, hh, 20240801);
	assert_int_equal(sa_decision_to_json(&json, d, SA_JSON_NO_REASONS), SA_OK);
	assert_non_null(strstr(json, "\"tier\":\"none\",\"circle\":null,"));
	assert_non_null(strstr(json, "{\"program\":\"tekun\",\"status\":\"undetermined\",\"amount\":null,"
	                             "\"amount_fen\":null,\"parts\":{},\"care_level\":null,\"members\":[],"
	                             "\"missing\":[\"param:dibao.standard_rural\"],\"margin\":null}"));
	assert_non_null(strstr(json, "\"missing\":[\"param:dibao.standard_rural\",\"member:m1.income\"]}"));
	sa_free(json);
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_output__text(void **state)
{
	sa_engine *e = *state;
	sa_household *hh = household("e-12", "urban");
	sa_decision *d = evaluate(e, hh, 20250801);
	char *text;
	assert_int_equal(sa_decision_to_text(&text, d), SA_OK);
	assert_non_null(strstr(text, "家庭 household e-12  政策包 pack cn-99  日期 as of 2025-08-01\n"));
	assert_non_null(strstr(text, "层级 tier: tekun  圈层 circle: 1\n"));
	assert_non_null(strstr(text, "tekun  符合 eligible  金额 amount 968.00 元/月 yuan/month (basic 968.00)  护理 care self  成员 members m1\n"));
	assert_non_null(strstr(text, "dibao  符合 eligible  金额 amount 488.00 元/月 yuan/month  成员 members m1 m2\n"));
	assert_non_null(strstr(text, "      - tekun.basic: 基本生活标准 = 倍数 × 低保标准 / basic living = multiplier x dibao standard [fixture Art. 2]\n"));
	sa_free(text);
	sa_decision_free(d);
	sa_household_free(hh);
}

static void test_engine_errors__strerror(void **state)
{
	(void)state;
	assert_string_equal(sa_strerror(SA_OK), "ok");
	assert_string_equal(sa_strerror(SA_ENOTFOUND), "not found");
	assert_string_equal(sa_strerror(SA_EPOLICY), "policy error");
	assert_string_equal(sa_strerror(12345), "unknown error");
	sa_error_clear();
	assert_null(sa_error_last());
	assert_string_equal(sa_version(), SA_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_options__init_and_versions),
		cmocka_unit_test(test_engine_options__static_initialisers),
		cmocka_unit_test_setup_teardown(test_engine_load__errors, setup, teardown),
		cmocka_unit_test(test_engine_load__pack_path_list),
		cmocka_unit_test_setup_teardown(test_engine_evaluate__amounts_and_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_evaluate__reasons_name_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_evaluate__age_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_evaluate__undetermined_names_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_evaluate__errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_period__over_a_change_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_period__months_not_eligible_count_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_output__json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_output__json_undetermined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_output__text, setup, teardown),
		cmocka_unit_test(test_engine_errors__strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
