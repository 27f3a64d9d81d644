/* test_audit.c - margins, what-if, the decision log and its verification, archives and
 * replay, pack signatures and explanations (sa/audit.h) on the shipped packs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sa.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[256];

static const char HH3[] =
	"household:\n"
	"  id: yn-dibao-002\n"
	"  region: \"530102\"\n"
	"  area: urban\n"
	"  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, assets_within_edge_limits: true }\n"
	"  members:\n"
	"    - { id: m1, relation: head, birth: 1980-05-01, employment: employed, able_to_work: true, income: { wages: \"%s\" } }\n"
	"    - { id: m2, relation: spouse, birth: 1982-09-20, employment: none, able_to_work: true, income: {} }\n"
	"    - { id: m3, relation: child, birth: 2012-02-14, education: { level: junior, full_time: true }, income: {} }\n";

static sa_household *household(const char *wages)
{
	char text[2048];
	sa_household **hs, *h;
	size_t n;
	snprintf(text, sizeof text, HH3, wages);
	assert_int_equal(sa_household_parse(&hs, &n, text, strlen(text), "test"), SA_OK);
	assert_int_equal(n, 1);
	h = hs[0];
	hs[0] = NULL;
	sa_household_array_free(hs, n);
	return h;
}

static sa_engine *engine(const char *pack, const char *path, const char *verify_key)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	o.pack_path = path;
	o.verify_key = verify_key;
	assert_int_equal(sa_engine_new(&e, &o), SA_OK);
	if (sa_engine_load(e, pack) < 0) {
		sa_engine_free(e);
		return NULL;
	}
	return e;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

static void spit(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmp, name);
}

/* ---- margins ---- */

static void test_margin__dibao_edge_values(void **state)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household *h;
	sa_decision *d;
	sa_fen amount;
	int dir, other;
	(void)state;
	h = household("1000");
	assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_OK);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, &other, d, (size_t)sa_decision_find(d, "dibao")), SA_OK);
	assert_int_equal(amount, 123200); /* 744 × 3 − 1000 */
	assert_int_equal(dir, 1);
	assert_int_equal(other, 1);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)sa_decision_find(d, "edge")), SA_OK);
	assert_int_equal(amount, 234800); /* 1.5 × 744 × 3 − 1000 */
	/* 特困: the child m3 (no labour capacity, under 16) is the only candidate; own income 0 */
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)sa_decision_find(d, "tekun")), SA_OK);
	assert_int_equal(amount, 74400);
	assert_int_equal(dir, 1);
	sa_decision_free(d);
	sa_household_free(h);
	/* one fen below the line passes by one fen; at the line it fails by one fen */
	h = household("2231.99");
	assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_OK);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)sa_decision_find(d, "dibao")), SA_OK);
	assert_int_equal(amount, 1);
	assert_int_equal(dir, 1);
	sa_decision_free(d);
	sa_household_free(h);
	h = household("2232");
	assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_OK);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)sa_decision_find(d, "dibao")), SA_OK);
	assert_int_equal(amount, 1);
	assert_int_equal(dir, -1);
	sa_decision_free(d);
	sa_household_free(h);
	sa_engine_free(e);
}

/* 特困 (特困人员认定办法 第六条（一）): each candidate's own monthly counted income against the
 * local 低保 standard (云南 urban 744.00 on 2025-08-01); the program margin is the nearest one. */
static const char TEKUN[] =
	"household:\n  id: tk\n  region: \"530102\"\n  area: urban\n"
	"  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, assets_within_edge_limits: true }\n"
	"  members:\n"
	"    - { id: m1, relation: head, birth: 1950-01-01, employment: none, able_to_work: false, income: { wages: \"%s\" } }\n"
	"%s";

static sa_decision *tekun_decision(sa_engine *e, const char *wages, const char *more, char **explained)
{
	char text[2048];
	sa_household **hs;
	sa_decision *d;
	size_t n;
	sa_explain_options o;
	snprintf(text, sizeof text, TEKUN, wages, more);
	assert_int_equal(sa_household_parse(&hs, &n, text, strlen(text), "tk"), SA_OK);
	assert_int_equal(sa_evaluate(&d, e, hs[0], 20250801), SA_OK);
	if (explained) {
		assert_int_equal(sa_explain_options_init(&o, SA_EXPLAIN_OPTIONS_VERSION), SA_OK);
		o.lang = SA_LANG_BOTH;
		assert_int_equal(sa_explain(explained, e, hs[0], 20250801, &o), SA_OK);
	}
	sa_household_array_free(hs, n);
	return d;
}

static sa_status status_of(const sa_decision *d, const char *program)
{
	sa_status st;
	assert_int_equal(sa_decision_program_status(&st, d, (size_t)sa_decision_find(d, program)), SA_OK);
	return st;
}

static void test_margin__tekun_per_person(void **state)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_decision *d;
	sa_fen amount;
	int dir, other, i;
	const char *who;
	char *text;
	(void)state;
	/* one fen below the standard: passes by one fen, eligible */
	d = tekun_decision(e, "743.99", "", &text);
	i = sa_decision_find(d, "tekun");
	assert_int_equal(status_of(d, "tekun"), SA_ELIGIBLE);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, &other, d, (size_t)i), SA_OK);
	assert_int_equal(amount, 1);
	assert_int_equal(dir, 1);
	assert_int_equal(other, 1);
	assert_int_equal(sa_decision_program_margin_candidate(&who, &amount, &dir, d, (size_t)i, 0), SA_OK);
	assert_string_equal(who, "m1");
	assert_int_equal(sa_decision_program_margin_candidate(&who, &amount, &dir, d, (size_t)i, 1), SA_ENOTFOUND);
	assert_non_null(strstr(text, "m1: 743.99 < 744.00"));
	assert_non_null(strstr(text, "m1本人月收入增加 0.01 元（达到 744.00 元）即不再满足这一条件"));
	assert_non_null(strstr(text, "m1's own monthly counted income rising by 0.01 (to 744.00) would fail this test"));
	sa_free(text);
	sa_decision_free(d);
	/* at the standard: fails by one fen, ineligible */
	d = tekun_decision(e, "744", "", NULL);
	i = sa_decision_find(d, "tekun");
	assert_int_equal(status_of(d, "tekun"), SA_INELIGIBLE);
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)i), SA_OK);
	assert_int_equal(amount, 1);
	assert_int_equal(dir, -1);
	sa_decision_free(d);
	/* two candidates: the program margin is the nearer one (m2, 44.00 below), each listed */
	d = tekun_decision(e, "500",
	                   "    - { id: m2, relation: spouse, birth: 1955-01-01, employment: none, able_to_work: false, "
	                   "income: { wages: \"700\" } }\n"
	                   "    - { id: m3, relation: child, birth: 1990-01-01, employment: employed, able_to_work: true, "
	                   "income: { wages: \"9000\" } }\n", NULL);
	i = sa_decision_find(d, "tekun");
	assert_int_equal(sa_decision_program_margin(&amount, &dir, NULL, d, (size_t)i), SA_OK);
	assert_int_equal(amount, 4400);
	assert_int_equal(dir, 1);
	assert_int_equal(sa_decision_program_margin_candidate(&who, &amount, &dir, d, (size_t)i, 0), SA_OK);
	assert_string_equal(who, "m1");
	assert_int_equal(amount, 24400);
	assert_int_equal(sa_decision_program_margin_candidate(&who, &amount, &dir, d, (size_t)i, 1), SA_OK);
	assert_string_equal(who, "m2");
	assert_int_equal(amount, 4400);
	/* m3 (working age, able) is no candidate: his income is no 特困 test */
	assert_int_equal(sa_decision_program_margin_candidate(&who, &amount, &dir, d, (size_t)i, 2), SA_ENOTFOUND);
	sa_decision_free(d);
	sa_engine_free(e);
}

static void test_margin__rigid_spending(void **state)
{
	static const char text[] =
		"household:\n  id: gz\n  region: \"440106\"\n  area: urban\n"
		"  attested: { assets_within_dibao_limits: true, assets_within_edge_limits: true, assets_within_rigid_limits: true }\n"
		"  rigid_spending: { medical: \"40000\" }\n  members:\n"
		"    - { id: m1, relation: head, birth: 1975-01-01, employment: employed, able_to_work: true, income: { wages: \"5000\" } }\n"
		"    - { id: m2, relation: spouse, birth: 1976-01-01, employment: employed, able_to_work: true, income: { wages: \"1000\" } }\n";
	sa_engine *e = engine("cn-4401", NULL, NULL);
	sa_household **hs;
	size_t n;
	sa_decision *d;
	char *json;
	cJSON *t, *p, *m;
	(void)state;
	assert_int_equal(sa_household_parse(&hs, &n, text, strlen(text), "gz"), SA_OK);
	assert_int_equal(sa_evaluate(&d, e, hs[0], 20250801), SA_OK);
	assert_int_equal(sa_decision_to_json(&json, d, SA_JSON_NO_REASONS), SA_OK);
	t = cJSON_Parse(json);
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(t, "programs")) if (strcmp(cJSON_GetObjectItem(p, "program")->valuestring,
	                                                                       "rigid") == 0) break;
	assert_non_null(p);
	m = cJSON_GetObjectItem(p, "margin");
	/* 广东: spending must reach (≥) 60% of 12 × 6,000 = 43,200; it is 40,000: 3,200 short */
	assert_string_equal(cJSON_GetObjectItem(m, "basis")->valuestring, "rigid_spending");
	assert_string_equal(cJSON_GetObjectItem(m, "limit")->valuestring, "43200.00");
	assert_string_equal(cJSON_GetObjectItem(m, "amount")->valuestring, "3200.00");
	assert_string_equal(cJSON_GetObjectItem(m, "direction")->valuestring, "up");
	assert_string_equal(cJSON_GetObjectItem(m, "op")->valuestring, ">=");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "other_conditions")));
	cJSON_Delete(t);
	sa_free(json);
	sa_decision_free(d);
	sa_household_array_free(hs, n);
	sa_engine_free(e);
}

/* ---- what-if ---- */

static const char *diff_after(cJSON *diff, const char *field, const char **before)
{
	cJSON *row;
	cJSON_ArrayForEach(row, diff) if (strcmp(cJSON_GetObjectItem(row, "field")->valuestring, field) == 0)
	{
		cJSON *b = cJSON_GetObjectItem(row, "before"), *a = cJSON_GetObjectItem(row, "after");
		if (before)
			*before = cJSON_IsString(b) ? b->valuestring : "null";
		return cJSON_IsString(a) ? a->valuestring : "null";
	}
	return NULL;
}

static void test_whatif__set_and_diff(void **state)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household *h = household("1000");
	const char *sets[] = { "members.m1.income.wages=1500" }, *before;
	const char *bad_member[] = { "members.m9.income.wages=1" }, *bad_value[] = { "members.m1.income.wages=abc" };
	char *out;
	cJSON *t;
	(void)state;
	assert_int_equal(sa_whatif(&out, e, h, 20250801, sets, 1, SA_WHATIF_JSON), SA_OK);
	t = cJSON_Parse(out);
	assert_non_null(t);
	assert_string_equal(diff_after(cJSON_GetObjectItem(t, "diff"), "programs.dibao.amount", &before), "732.00");
	assert_string_equal(before, "1232.00");
	assert_non_null(diff_after(cJSON_GetObjectItem(t, "diff"), "programs.dibao.margin.amount", NULL));
	assert_null(diff_after(cJSON_GetObjectItem(t, "diff"), "programs.dibao.status", NULL)); /* unchanged */
	cJSON_Delete(t);
	sa_free(out);
	/* the household itself is untouched */
	assert_int_equal(sa_whatif(&out, e, h, 20250801, sets, 1, SA_WHATIF_TEXT), SA_OK);
	assert_non_null(strstr(out, "programs.dibao.amount: 1232.00 → 732.00"));
	sa_free(out);
	assert_int_equal(sa_whatif(&out, e, h, 20250801, bad_member, 1, SA_WHATIF_TEXT), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "no member 'm9'"));
	assert_int_equal(sa_whatif(&out, e, h, 20250801, bad_value, 1, SA_WHATIF_TEXT), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "wages"));
	sa_household_free(h);
	sa_engine_free(e);
}

static void test_whatif__vary_table(void **state)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household *h = household("1000");
	char *out;
	cJSON *t, *rows;
	(void)state;
	assert_int_equal(sa_whatif_vary(&out, e, h, 20250801, NULL, 0, "members.m1.income.wages", "0", "3000", "1000",
	                                SA_WHATIF_JSON), SA_OK);
	t = cJSON_Parse(out);
	rows = cJSON_GetObjectItem(t, "rows");
	assert_int_equal(cJSON_GetArraySize(rows), 4);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0), "value")->valuestring, "0");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0),
	                    "programs"), "dibao"), "amount")->valuestring, "2232.00");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 2),
	                    "programs"), "dibao"), "amount")->valuestring, "232.00");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 3), "tier")->valuestring, "edge");
	cJSON_Delete(t);
	sa_free(out);
	assert_int_equal(sa_whatif_vary(&out, e, h, 20250801, NULL, 0, "members.m1.income.wages", "0", "10", "0",
	                                SA_WHATIF_TEXT), SA_EINVALID);
	sa_household_free(h);
	sa_engine_free(e);
}

/* ---- the log ---- */

static void write_log(const char *path, const sa_log_options *o, int n)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_log *log;
	assert_int_equal(sa_log_open(&log, path, o), SA_OK);
	for (int i = 0; i < n; i++) {
		char w[16];
		sa_household *h;
		sa_decision *d;
		uint64_t seq;
		snprintf(w, sizeof w, "%d", 500 + 300 * i);
		h = household(w);
		assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_OK);
		assert_int_equal(sa_log_append(&seq, log, h, d), SA_OK);
		sa_decision_free(d);
		sa_household_free(h);
	}
	assert_int_equal(sa_log_close(log), SA_OK);
	sa_engine_free(e);
}

static int verify(const char *path, const char *key, sa_log_report *c, char **report)
{
	const char *files[] = { path };
	char *r = NULL;
	int rc = sa_log_verify(&r, c, files, 1, key);
	if (report)
		*report = r;
	else
		sa_free(r);
	return rc;
}

/* the lines of a file, for cutting and reordering */
static size_t lines(char *text, char **out, size_t max)
{
	size_t n = 0;
	for (char *p = text; *p && n < max;) {
		char *nl = strchr(p, '\n');
		out[n++] = p;
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	return n;
}

static void write_lines(const char *path, char **l, const int *order, size_t n)
{
	FILE *f = fopen(path, "wb");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", l[order[i]]);
	fclose(f);
}

static void test_log__records_and_chain(void **state)
{
	char path[512], *text, *report;
	sa_log_report c;
	cJSON *rec, *p;
	int found = 0;
	(void)state;
	path_of(path, sizeof path, "a.log");
	write_log(path, NULL, 3);
	write_log(path, NULL, 2); /* reopened: the chain and the numbering go on */
	assert_int_equal(verify(path, NULL, &c, &report), SA_OK);
	assert_int_equal(c.records, 5);
	assert_non_null(strstr(report, "OK: 5 records, seq 1 to 5"));
	sa_free(report);
	text = slurp(path);
	*strchr(text, '\n') = 0;
	rec = cJSON_Parse(text);
	assert_string_equal(cJSON_GetObjectItem(rec, "format")->valuestring, "sa-log/2");
	assert_int_equal(cJSON_GetObjectItem(rec, "seq")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "pack"), "id")->valuestring, "cn-53");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "pack"), "version")->valuestring, "2025.1");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "household"), "id")->valuestring, "yn-dibao-002");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "decision"), "tier")->valuestring, "dibao");
	/* the parameters the rules read, with value, date and source: [name, value, from, pack,
	 * source key], the source's text in "texts" where the file first uses it (sa-log/2) */
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(rec, "params")) if (strcmp(cJSON_GetArrayItem(p, 0)->valuestring,
	                                                                   "dibao.standard_urban") == 0)
	{
		const char *k = cJSON_GetArrayItem(p, 4)->valuestring;
		assert_string_equal(cJSON_GetArrayItem(p, 1)->valuestring, "744");
		assert_string_equal(cJSON_GetArrayItem(p, 2)->valuestring, "2025-07-01");
		assert_string_equal(cJSON_GetArrayItem(p, 3)->valuestring, "cn-53");
		assert_int_equal(strlen(k), 16);
		assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "texts"), k)->valuestring,
		                       "云民发〔2025〕40号"));
		found = 1;
	}
	assert_true(found);
	cJSON_Delete(rec);
	/* the second record uses the same texts: defined once, not repeated */
	{
		char *second = text + strlen(text) + 1, *end = strchr(second, '\n');
		*end = 0;
		assert_null(strstr(second, "\"texts\""));
		assert_null(strstr(second, "云民发〔2025〕40号"));
	}
	free(text);
}

/* sa-log/1 (texts written out in every record) is still read: verify and replay take it; a
 * writer refuses to continue it. The record is the v2 one with its decision in full. */
static void test_log__format_1_read(void **state)
{
	char path[512], v1[512], arch[512], hash[65], *text, *report, *json, *line;
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household *h = household("500");
	sa_decision *d;
	sa_log *log;
	size_t diffs;
	cJSON *rec;
	(void)state;
	path_of(path, sizeof path, "f2.log");
	path_of(v1, sizeof v1, "f1.log");
	path_of(arch, sizeof arch, "f-archive");
	write_log(path, NULL, 1);
	text = slurp(path);
	*strchr(text, '\n') = 0;
	rec = cJSON_Parse(text);
	assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_OK);
	assert_int_equal(sa_decision_to_json(&json, d, 0), SA_OK);
	cJSON_ReplaceItemInObject(rec, "format", cJSON_CreateString("sa-log/1"));
	cJSON_ReplaceItemInObject(rec, "decision", cJSON_Parse(json));
	cJSON_DeleteItemFromObject(rec, "texts");
	line = cJSON_PrintUnformatted(rec);
	{
		char *all = malloc(strlen(line) + 2);
		sprintf(all, "%s\n", line);
		spit(v1, all, strlen(all));
		free(all);
	}
	assert_int_equal(sa_pack_archive(hash, NULL, "cn-53", arch), SA_OK);
	assert_int_equal(sa_replay(&report, &diffs, v1, arch), SA_OK);
	assert_int_equal(diffs, 0);
	sa_free(report);
	/* a writer does not continue it (its hash is not even recomputed: the format is first) */
	assert_int_equal(sa_log_open(&log, v1, NULL), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "no longer writes"));
	free(line);
	cJSON_Delete(rec);
	sa_free(json);
	free(text);
	sa_decision_free(d);
	sa_household_free(h);
	sa_engine_free(e);
}

/* line (one record, no newline) with its hash recomputed over the body as it now is */
static void rehash(char *out, size_t size, const char *line)
{
	const char *tail = NULL, *at = line;
	size_t body;
	while ((at = strstr(at, ",\"hash\":\""))) /* the record's own: the last one (the pack has one too) */
		tail = at++;
	body = (size_t)(tail - line);
	unsigned char md[32];
	unsigned int mdlen = 0;
	char *buf = malloc(body + 2), hex[65];
	memcpy(buf, line, body);
	buf[body] = '}';
	EVP_Digest(buf, body + 1, md, &mdlen, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	snprintf(out, size, "%.*s,\"hash\":\"%s\"}\n", (int)body, line, hex);
	free(buf);
}

/* sa-log/2 keeps each long text once under the first 16 hex digits of its SHA-256: verify
 * finds a text that does not hash to its key even when the record's own hash was redone. */
static void test_log__texts_keys_checked(void **state)
{
	char path[512], bad[512], *text, *report, *fixed, *at;
	size_t cap;
	sa_log_report c;
	(void)state;
	path_of(path, sizeof path, "k.log");
	path_of(bad, sizeof bad, "k-bad.log");
	write_log(path, NULL, 1);
	text = slurp(path);
	*strchr(text, '\n') = 0;
	cap = strlen(text) + 128;
	fixed = malloc(cap);
	rehash(fixed, cap, text); /* the helper itself: the same record, the same hash */
	spit(bad, fixed, strlen(fixed));
	if (verify(bad, NULL, &c, &report) != SA_OK)
		fail_msg("%s", report);
	sa_free(report);
	assert_non_null(at = strstr(text, "40号")); /* 云民发〔2025〕40号, the source of the 744 standard */
	at[1] = '1';                                /* -> 41号, and the record rehashed */
	rehash(fixed, cap, text);
	spit(bad, fixed, strlen(fixed));
	assert_int_equal(verify(bad, NULL, &c, &report), SA_EINVALID);
	assert_int_equal(c.bad_line, 1);
	assert_non_null(strstr(report, "does not hash to it"));
	sa_free(report);
	free(fixed);
	free(text);
}

static void test_log__tampering_found(void **state)
{
	char path[512], bad[512], *text, *l[16];
	sa_log_report c;
	size_t n;
	static const int removed[] = { 0, 2, 3 }, inserted[] = { 0, 1, 1, 2, 3 }, reordered[] = { 0, 2, 1, 3 },
	                 first_gone[] = { 1, 2, 3 };
	(void)state;
	path_of(path, sizeof path, "t.log");
	path_of(bad, sizeof bad, "bad.log");
	write_log(path, NULL, 4);
	text = slurp(path);
	n = lines(text, l, 16);
	assert_int_equal(n, 4);
	write_lines(bad, l, removed, 3);
	assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(c.bad_line, 2);
	write_lines(bad, l, inserted, 5);
	assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(c.bad_line, 3);
	write_lines(bad, l, reordered, 4);
	assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(c.bad_line, 2);
	write_lines(bad, l, first_gone, 3);
	assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(c.bad_line, 1);
	free(text);
	/* an edited amount */
	text = slurp(path);
	{
		char *at = strstr(text + 1, "\"amount_fen\":");
		at[14] = at[14] == '9' ? '8' : '9';
		spit(bad, text, strlen(text));
		assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
		assert_int_equal(c.bad_line, 1);
	}
	free(text);
	/* a write cut short: truncated, never valid, the records before it kept */
	text = slurp(path);
	spit(bad, text, strlen(text) - 40);
	assert_int_equal(verify(bad, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(c.truncated, 1);
	assert_int_equal(c.records, 3);
	assert_int_equal(c.bad_line, 4);
	/* and no writer appends after a partial record */
	{
		sa_log *log;
		assert_int_equal(sa_log_open(&log, bad, NULL), SA_EINVALID);
		assert_non_null(strstr(sa_error_last()->message, "partial record"));
	}
	free(text);
}

static void test_log__bad_input(void **state)
{
	char path[512], other[512], *text;
	sa_log *log, *second;
	sa_log_report c;
	char *report;
	(void)state;
	/* unwritable */
	assert_true(sa_log_open(&log, "/nonexistent-dir/x.log", NULL) < 0);
	assert_null(log);
	/* another format version */
	path_of(path, sizeof path, "v.log");
	path_of(other, sizeof other, "v2.log");
	write_log(path, NULL, 1);
	text = slurp(path);
	memcpy(strstr(text, "sa-log/2"), "sa-log/7", 8);
	spit(other, text, strlen(text));
	free(text);
	assert_int_equal(verify(other, NULL, &c, &report), SA_EINVALID);
	assert_non_null(strstr(report, "'sa-log/7'"));
	sa_free(report);
	assert_int_equal(sa_log_open(&log, other, NULL), SA_EINVALID);
	assert_non_null(strstr(sa_error_last()->message, "sa-log/7"));
	/* one writer at a time */
	assert_int_equal(sa_log_open(&log, path, NULL), SA_OK);
	assert_true(sa_log_open(&second, path, NULL) < 0);
	assert_non_null(strstr(sa_error_last()->message, "locked by another writer"));
	assert_int_equal(sa_log_close(log), SA_OK);
	/* not a log at all */
	spit(other, "hello\n", 6);
	assert_int_equal(verify(other, NULL, &c, NULL), SA_EINVALID);
	assert_int_equal(sa_log_open(&log, other, NULL), SA_EINVALID);
}

static void test_log__hmac_redaction_rotation(void **state)
{
	char path[512], key[512], salt[512], rot[512], rot1[512], *text;
	const char *files[3];
	sa_log_options o = SA_LOG_OPTIONS_INIT;
	sa_log_report c;
	char *report;
	(void)state;
	path_of(key, sizeof key, "hmac.key");
	path_of(salt, sizeof salt, "salt");
	spit(key, "secret key of the county\n", 25);
	spit(salt, "pepper-4711\n", 12);
	path_of(path, sizeof path, "h.log");
	o.hmac_key_file = key;
	o.redact = 1;
	o.redact_salt_file = salt;
	o.fsync = SA_FSYNC_EVERY_N;
	o.fsync_n = 2;
	write_log(path, &o, 3);
	assert_int_equal(verify(path, key, &c, NULL), SA_OK);
	assert_int_equal(verify(path, salt, &c, NULL), SA_EINVALID); /* another key */
	text = slurp(path);
	assert_null(strstr(text, "yn-dibao-002"));
	assert_null(strstr(text, "\"m1\""));
	assert_null(strstr(text, "\"reasons\""));
	assert_non_null(strstr(text, "\"redacted\":true"));
	assert_non_null(strstr(text, "\"hmac\":\""));
	free(text);
	/* redaction needs its salt */
	o.redact_salt_file = NULL;
	{
		sa_log *log;
		assert_int_equal(sa_log_open(&log, path, &o), SA_EINVALID);
	}
	/* rotation: the new file starts with the hash of the old file's last record */
	o = (sa_log_options)SA_LOG_OPTIONS_INIT;
	o.rotate_bytes = 1; /* every record in a file of its own */
	o.fsync = SA_FSYNC_CLOSE;
	path_of(rot, sizeof rot, "r.log");
	path_of(rot1, sizeof rot1, "r.log.1");
	write_log(rot, &o, 3);
	files[0] = rot1;
	snprintf(path, sizeof path, "%s/r.log.2", tmp);
	files[1] = path;
	files[2] = rot;
	assert_int_equal(sa_log_verify(&report, &c, files, 3, NULL), SA_OK);
	assert_int_equal(c.records, 3);
	sa_free(report);
	assert_int_equal(verify(rot, NULL, &c, NULL), SA_EINVALID); /* alone it lacks its start */
}

/* ---- archive and replay ---- */

static void test_replay__same_differs_unknown(void **state)
{
	char log[512], arch[512], empty[512], hash[65], *report, *text;
	size_t diffs;
	(void)state;
	path_of(log, sizeof log, "replay.log");
	path_of(arch, sizeof arch, "archive");
	path_of(empty, sizeof empty, "empty-archive");
	mkdir(empty, 0755);
	write_log(log, NULL, 3);
	assert_int_equal(sa_pack_archive(hash, NULL, "cn-53", arch), SA_OK);
	assert_int_equal(sa_pack_archive(hash, NULL, "cn-53", arch), SA_OK); /* again: already there */
	assert_int_equal(sa_replay(&report, &diffs, log, arch), SA_OK);
	assert_int_equal(diffs, 0);
	assert_non_null(strstr(report, "3 records replayed: 3 the same"));
	sa_free(report);
	/* a logged decision that the archived version would not make */
	text = slurp(log);
	{
		char *at = strstr(text, "\"amount\":\"1732.00\"");
		assert_non_null(at); /* the first household: wages 500 -> 2232 - 500 */
		memcpy(at, "\"amount\":\"1733.00\"", 18);
	}
	spit(log, text, strlen(text));
	free(text);
	assert_int_equal(sa_replay(&report, &diffs, log, arch), SA_OK);
	assert_int_equal(diffs, 1);
	assert_non_null(strstr(report, "programs.dibao.amount: logged 1733.00, now 1732.00"));
	sa_free(report);
	/* the version named is not in the archive */
	assert_int_equal(sa_replay(&report, &diffs, log, empty), SA_ENOTFOUND);
	assert_non_null(strstr(sa_error_last()->message, hash));
}

/* Replace every `from` in text (a fresh string; `from` must occur). */
static char *replace_all(const char *text, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	const char *p = text, *q;
	char *out, *o;
	while ((q = strstr(p, from))) {
		n++;
		p = q + nf;
	}
	assert_true(n > 0);
	out = malloc(strlen(text) + n * (nt + 1) + 1);
	o = out;
	for (p = text; (q = strstr(p, from)); p = q + nf) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, nt);
		o += nt;
	}
	strcpy(o, p);
	return out;
}

/* Replay compares the whole decision, reasons too: the same households under an archived
 * version whose only change is one reason's Chinese text are reported, reason by reason. */
static void test_replay__reason_text(void **state)
{
	char log[512], log2[512], arch[512], copy[600], lua[700], cmd[2048], a[65], b[65], *report, *text, *changed;
	size_t diffs;
	(void)state;
	path_of(log, sizeof log, "reason.log");
	path_of(log2, sizeof log2, "reason-b.log");
	path_of(arch, sizeof arch, "reason-archive");
	write_log(log, NULL, 2);
	assert_int_equal(sa_pack_archive(a, NULL, "cn-53", arch), SA_OK);
	/* version B: a copy of A with the 低保 income reason's zh text changed */
	snprintf(copy, sizeof copy, "%s/reason-packs", tmp);
	snprintf(cmd, sizeof cmd, "cp -r '%s/%s' '%s'", arch, a, copy);
	assert_int_equal(system(cmd), 0);
	snprintf(lua, sizeof lua, "%s/cn/rules/dibao.lua", copy);
	text = slurp(lua);
	changed = replace_all(text, "人均收入低于低保标准\",", "人均收入低于当地低保标准\",");
	spit(lua, changed, strlen(changed));
	free(text);
	free(changed);
	assert_int_equal(sa_pack_archive(b, copy, "cn-53", arch), SA_OK);
	assert_string_not_equal(a, b);
	/* the log as if written under B: replay under B finds only the reason text changed */
	text = slurp(log);
	changed = replace_all(text, a, b);
	spit(log2, changed, strlen(changed));
	free(text);
	free(changed);
	assert_int_equal(sa_replay(&report, &diffs, log2, arch), SA_OK);
	assert_int_equal(diffs, 2);
	assert_non_null(strstr(report, "2 records replayed: 0 the same, 2 different"));
	assert_non_null(strstr(report, "programs.dibao.reasons.dibao.income.below.zh: logged 家庭月收入合计 500.00 元"));
	assert_non_null(strstr(report, "人均收入低于低保标准, now 家庭月收入合计 500.00 元"));
	assert_non_null(strstr(report, "人均收入低于当地低保标准\n"));
	/* nothing else differs: one line per record besides its heading */
	assert_null(strstr(report, "programs.dibao.amount"));
	assert_null(strstr(report, ".en:"));
	sa_free(report);
	/* under A itself the same log replays clean */
	assert_int_equal(sa_replay(&report, &diffs, log, arch), SA_OK);
	assert_int_equal(diffs, 0);
	sa_free(report);
}

/* ---- signatures ---- */

static void keypair(const char *priv, const char *pub)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *f;
	assert_non_null(k);
	f = fopen(priv, "w");
	PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	f = fopen(pub, "w");
	PEM_write_PUBKEY(f, k);
	fclose(f);
	EVP_PKEY_free(k);
}

static void test_sign__engine_refuses(void **state)
{
	char arch[512], packs[600], hash[65], priv[512], pub[512], priv2[512], pub2[512], sig[700], param[700];
	sa_engine *e;
	char *text;
	(void)state;
	path_of(arch, sizeof arch, "sign-archive");
	path_of(priv, sizeof priv, "k.pem");
	path_of(pub, sizeof pub, "k.pub");
	path_of(priv2, sizeof priv2, "k2.pem");
	path_of(pub2, sizeof pub2, "k2.pub");
	keypair(priv, pub);
	keypair(priv2, pub2);
	/* a private copy of cn and cn-53 to sign and change */
	assert_int_equal(sa_pack_archive(hash, NULL, "cn-53", arch), SA_OK);
	snprintf(packs, sizeof packs, "%s/%s", arch, hash);
	/* unsigned: refused, naming the first pack */
	assert_null(engine("cn-53", packs, pub));
	assert_non_null(strstr(sa_error_last()->message, "pack cn is not signed"));
	assert_int_equal(sa_pack_sign(NULL, packs, "cn", priv), SA_OK);
	assert_null(engine("cn-53", packs, pub));
	assert_non_null(strstr(sa_error_last()->message, "pack cn-53 is not signed"));
	assert_int_equal(sa_pack_sign(NULL, packs, "cn-53", priv), SA_OK);
	assert_non_null(e = engine("cn-53", packs, pub));
	sa_engine_free(e);
	assert_int_equal(sa_pack_verify(packs, "cn-53", pub), SA_OK);
	/* another key */
	assert_null(engine("cn-53", packs, pub2));
	assert_non_null(strstr(sa_error_last()->message, "pack cn: the signature is wrong"));
	/* a changed pack */
	snprintf(param, sizeof param, "%s/cn-53/params.yaml", packs);
	text = slurp(param);
	{
		size_t n = strlen(text);
		char *more = malloc(n + 40);
		memcpy(more, text, n);
		memcpy(more + n, "\n# changed after signing\n", 26);
		spit(param, more, n + 25);
		free(more);
	}
	assert_null(engine("cn-53", packs, pub));
	assert_non_null(strstr(sa_error_last()->message, "pack cn-53 changed since it was signed"));
	spit(param, text, strlen(text));
	free(text);
	assert_non_null(e = engine("cn-53", packs, pub));
	sa_engine_free(e);
	/* a removed signature */
	snprintf(sig, sizeof sig, "%s/cn-53/pack.sig", packs);
	unlink(sig);
	assert_null(engine("cn-53", packs, pub));
	assert_int_equal(sa_error_last()->code, SA_EPOLICY);
	assert_non_null(strstr(sa_error_last()->message, "pack cn-53 is not signed"));
	/* without a verify key nothing is checked */
	assert_non_null(e = engine("cn-53", packs, NULL));
	sa_engine_free(e);
}

/* ---- explanations ---- */

static void test_explain__text_and_html(void **state)
{
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household *h = household("2231.99");
	sa_explain_options o = SA_EXPLAIN_OPTIONS_INIT;
	char *out;
	(void)state;
	assert_int_equal(sa_explain(&out, e, h, 20250801, NULL), SA_OK);
	assert_non_null(strstr(out, "2,231.99 < 744.00 × 3 = 2,232.00"));
	assert_non_null(strstr(out, "工资性收入 2,231.99 元/月：计入（最低生活保障审核确认办法（民发〔2021〕57号）第十三条）"));
	assert_non_null(strstr(out, "城市低保标准 dibao.standard_urban = 744，2025-07-01 起施行，cn-53：云民发〔2025〕40号"));
	assert_non_null(strstr(out, "家庭月收入合计增加 0.01 元（达到 2,232.00 元）即不再满足这一条件"));
	assert_non_null(strstr(out, "本项目还须满足其他条件"));
	assert_null(strstr(out, "gap payment")); /* zh only by default */
	sa_free(out);
	o.lang = SA_LANG_EN;
	assert_int_equal(sa_explain(&out, e, h, 20250801, &o), SA_OK);
	assert_non_null(strstr(out, "total monthly counted income rising by 0.01 (to 2,232.00) would fail this test"));
	assert_null(strstr(out, "最低生活保障："));
	sa_free(out);
	o.lang = SA_LANG_BOTH;
	o.format = SA_EXPLAIN_HTML;
	assert_int_equal(sa_explain(&out, e, h, 20250801, &o), SA_OK);
	assert_true(strncmp(out, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(out, "@page{size:A4"));
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "低保线"));
	assert_non_null(strstr(out, "边缘线"));
	assert_non_null(strstr(out, "本户现状"));
	assert_null(strstr(out, "src="));   /* self-contained: nothing fetched */
	assert_null(strstr(out, "<link"));
	assert_null(strstr(out, "@import"));
	sa_free(out);
	sa_household_free(h);
	sa_engine_free(e);
}

static void test_explain__questions_for_missing_facts(void **state)
{
	static const char text[] =
		"household:\n  id: q\n  region: \"530102\"\n  area: urban\n  members:\n"
		"    - { id: m1, relation: head, birth: 1980-05-01, employment: employed, able_to_work: true, income: { wages: \"500\" } }\n"
		"    - { id: m2, relation: spouse, birth: 1982-09-20, able_to_work: true }\n";
	sa_engine *e = engine("cn-53", NULL, NULL);
	sa_household **hs;
	size_t n;
	sa_explain_options o = SA_EXPLAIN_OPTIONS_INIT;
	char *out;
	(void)state;
	assert_int_equal(sa_household_parse(&hs, &n, text, strlen(text), "q"), SA_OK);
	o.lang = SA_LANG_BOTH;
	assert_int_equal(sa_explain(&out, e, hs[0], 20250801, &o), SA_OK);
	assert_non_null(strstr(out, "member:m2.income: 请核实m2每月的各项收入"));
	assert_non_null(strstr(out, "What are m2's monthly incomes by kind"));
	assert_non_null(strstr(out, "经信息核对，家庭财产状况是否符合当地最低生活保障的财产规定？"));
	assert_non_null(strstr(out, "收入未申报：待核实（不按零计算）"));
	sa_free(out);
	sa_household_array_free(hs, n);
	sa_engine_free(e);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/sa-audit-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_margin__dibao_edge_values),
		cmocka_unit_test(test_margin__tekun_per_person),
		cmocka_unit_test(test_margin__rigid_spending),
		cmocka_unit_test(test_whatif__set_and_diff),
		cmocka_unit_test(test_whatif__vary_table),
		cmocka_unit_test(test_log__records_and_chain),
		cmocka_unit_test(test_log__format_1_read),
		cmocka_unit_test(test_log__tampering_found),
		cmocka_unit_test(test_log__texts_keys_checked),
		cmocka_unit_test(test_log__bad_input),
		cmocka_unit_test(test_log__hmac_redaction_rotation),
		cmocka_unit_test(test_replay__same_differs_unknown),
		cmocka_unit_test(test_replay__reason_text),
		cmocka_unit_test(test_sign__engine_refuses),
		cmocka_unit_test(test_explain__text_and_html),
		cmocka_unit_test(test_explain__questions_for_missing_facts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
