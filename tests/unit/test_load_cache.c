/* test_load_cache.c - the process caches that make a pack load fast, over the bounded,
 * thread-safe cache of core/cache.c: rule files compiled once (lua/chunk_cache.c) and pack
 * YAML parsed once (pack/doc_cache.c). Engines loaded from the caches decide byte for byte as
 * engines that compiled and parsed everything; a changed rule or parameter file is compiled or
 * parsed again, never served stale; errors on the cached paths still name file:line (and the
 * file of this load, not of the load that parsed the same bytes first); binary chunks in a pack
 * are still refused; engines loaded on several threads while the caches are cleared under them
 * agree. No timing: what is checked is the caches' counts and the decisions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sec_helpers.h"
#include "core/cache.h"
#include "core/limits.h"
#include "core/decision_internal.h"
#include "pack/pack.h"
#include "lua/bridge.h"

#define KINDS 5

static sa_engine *load(const char *pack_path, const char *pack)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e = NULL;
	o.pack_path = pack_path;
	assert_int_equal(sa_engine_new(&e, &o), 0);
	if (sa_engine_load(e, pack) != 0)
		fail_msg("load %s: %s", pack, sec_msg());
	return e;
}

static char *decide_json(sa_engine *e, const sa_household *h)
{
	sa_decision *d = NULL;
	char *json = NULL;
	assert_int_equal(sa_evaluate_ex(&d, e, h, 20250801, 0), 0);
	assert_int_equal(sa_decision_to_json(&json, d, 0), 0);
	sa_decision_free(d);
	return json;
}

/* Every decision of e on the households hh, concatenated. */
static char *decide_all(sa_engine *e, sa_household *const *hh, size_t n)
{
	sa_buf b = { 0 };
	for (size_t i = 0; i < n; i++) {
		char *j = decide_json(e, hh[i]);
		sa__buf_add(&b, j, strlen(j));
		sa_free(j);
	}
	assert_false(b.oom);
	return b.s;
}

static size_t national_rule_files(void)
{
	sa_policy *pol;
	size_t n;
	char path[4096];
	snprintf(path, sizeof path, "%s/policies", sec_src());
	assert_int_equal(sa__policy_load(&pol, path, "cn"), 0);
	n = pol->chain[0]->nrules;
	sa__policy_release(pol);
	return n;
}

static void clear_all(void)
{
	sa__chunk_cache_clear();
	sa__pack_doc_cache_clear();
}

/* Two engines on the same chains give byte-identical decisions; the second compiled and parsed
 * nothing. */
static void test_chunk_cache__same_pack_same_decisions(void **state)
{
	char path[4096], file[4200];
	sa_household **hh, *kinds[KINDS];
	size_t n, nrules = national_rule_files();
	sa_cache_stats s0, s1, s2, d1, d2;
	sa_engine *a, *b;
	char *da, *db, *ka, *kb;
	(void)state;
	snprintf(path, sizeof path, "%s/policies", sec_src());
	snprintf(file, sizeof file, "%s/samples/cn-53/households.yaml", sec_src());
	assert_int_equal(sa_household_read_file(&hh, &n, file), 0);
	assert_true(n > 0);
	for (int k = 0; k < KINDS; k++)
		assert_non_null(kinds[k] = sec_household("k", k + 1));

	clear_all();
	sa__chunk_cache_stats(&s0);
	assert_int_equal(s0.entries, 0);
	a = load(path, "cn-53");
	sa__chunk_cache_stats(&s1);
	sa__pack_doc_cache_stats(&d1);
	assert_true(d1.entries >= 4); /* pack.yaml of cn and cn-53, their params.yaml, ... */
	assert_int_equal(s1.misses - s0.misses, nrules); /* compiled from text, each file once */
	assert_int_equal(s1.hits, s0.hits);
	assert_int_equal(s1.entries, nrules);
	assert_true(s1.bytes > 0 && s1.bytes <= SA_CHUNK_CACHE_MAX);
	b = load(path, "cn-53");
	sa__chunk_cache_stats(&s2);
	sa__pack_doc_cache_stats(&d2);
	assert_int_equal(s2.hits - s1.hits, nrules); /* every file from its dump */
	assert_int_equal(s2.misses, s1.misses);
	assert_int_equal(d2.misses, d1.misses); /* every YAML file from its tree */
	assert_int_equal(d2.hits - d1.hits, d1.entries);
	assert_string_equal(sa_engine_pack_hash(a), sa_engine_pack_hash(b));
	da = decide_all(a, hh, n);
	db = decide_all(b, hh, n);
	assert_string_equal(da, db);
	free(da);
	free(db);
	sa_engine_free(a);
	sa_engine_free(b);

	/* 昆明 over 云南 over cn: the national files come from the cache, decisions agree */
	a = load(path, "cn-5301");
	b = load(path, "cn-5301");
	ka = decide_all(a, kinds, KINDS);
	kb = decide_all(b, kinds, KINDS);
	assert_string_equal(ka, kb);
	sa_engine_free(b);
	clear_all(); /* and against an engine that compiled and parsed everything again */
	b = load(path, "cn-5301");
	free(kb);
	kb = decide_all(b, kinds, KINDS);
	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
	sa_engine_free(a);
	sa_engine_free(b);
	sa_household_array_free(hh, n);
	for (int k = 0; k < KINDS; k++)
		sa_household_free(kinds[k]);
}

/* A pack cn-x over the hostile baseline, in a fresh directory: rules/r.lua is text. */
static void write_pack(char *dir, size_t size, char *pack_path, size_t psize)
{
	char f[4200];
	FILE *fp;
	snprintf(dir, size, "/tmp/sa-chunk-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(f, sizeof f, "%s/cn-x", dir);
	assert_int_equal(mkdir(f, 0755), 0);
	snprintf(f, sizeof f, "%s/cn-x/rules", dir);
	assert_int_equal(mkdir(f, 0755), 0);
	snprintf(f, sizeof f, "%s/cn-x/pack.yaml", dir);
	assert_non_null(fp = fopen(f, "w"));
	fputs("id: cn-x\ntitle: chunk cache\nregion: \"530000\"\nextends: cn\nversion: \"1\"\n", fp);
	fclose(fp);
	snprintf(pack_path, psize, "%s:%s/tests/data/hostile/base", dir, sec_src());
}

static void write_rule(const char *dir, const char *text)
{
	char f[4200];
	FILE *fp;
	snprintf(f, sizeof f, "%s/cn-x/rules/r.lua", dir);
	assert_non_null(fp = fopen(f, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void remove_pack(const char *dir)
{
	char f[4200];
	snprintf(f, sizeof f, "%s/cn-x/rules/r.lua", dir);
	unlink(f);
	snprintf(f, sizeof f, "%s/cn-x/rules", dir);
	rmdir(f);
	snprintf(f, sizeof f, "%s/cn-x/pack.yaml", dir);
	unlink(f);
	snprintf(f, sizeof f, "%s/cn-x", dir);
	rmdir(f);
	rmdir(dir);
}

static sa_fen amount_of(sa_engine *e)
{
	sa_household *h = sec_household("h", 1);
	sa_fen amount = -1;
	assert_int_equal(sec_eval(e, h, &amount, NULL), 0);
	sa_household_free(h);
	return amount;
}

/* A rule file whose text changed (same length, same name) is compiled again, not served stale;
 * the engine loaded before keeps deciding with the old text. */
static void test_chunk_cache__changed_text_recompiled(void **state)
{
	char dir[64], path[4300];
	sa_engine *v1, *v1b, *v2, *back;
	sa_cache_stats s0, s1;
	(void)state;
	write_pack(dir, sizeof dir, path, sizeof path);
	write_rule(dir, "function rules.evaluate(h, ctx) return rules.result(h, 1111) end\n");
	v1 = load(path, "cn-x");
	v1b = load(path, "cn-x"); /* from the cache */
	assert_int_equal(amount_of(v1), 1111);
	assert_int_equal(amount_of(v1b), 1111);
	write_rule(dir, "function rules.evaluate(h, ctx) return rules.result(h, 2222) end\n");
	sa__chunk_cache_stats(&s0);
	v2 = load(path, "cn-x");
	sa__chunk_cache_stats(&s1);
	assert_int_equal(s1.misses - s0.misses, 1); /* r.lua; the baseline's file is a hit */
	assert_int_equal(s1.hits - s0.hits, 1);
	assert_int_equal(amount_of(v2), 2222);
	assert_int_equal(amount_of(v1), 1111);
	assert_string_not_equal(sa_engine_pack_hash(v1), sa_engine_pack_hash(v2));
	/* the old text again: its dump is still there, and it is the old rule */
	write_rule(dir, "function rules.evaluate(h, ctx) return rules.result(h, 1111) end\n");
	back = load(path, "cn-x");
	assert_int_equal(amount_of(back), 1111);
	assert_string_equal(sa_engine_pack_hash(back), sa_engine_pack_hash(v1));
	sa_engine_free(v1);
	sa_engine_free(v1b);
	sa_engine_free(v2);
	sa_engine_free(back);
	remove_pack(dir);
}

static void write_params(const char *dir, const char *yuan, const char *extra)
{
	char f[4200];
	FILE *fp;
	snprintf(f, sizeof f, "%s/cn-x/params.yaml", dir);
	assert_non_null(fp = fopen(f, "w"));
	fprintf(fp, "params:\n  test.amount:\n    values:\n      - from: 2020-01-01\n        value: \"%s\"\n"
	            "        ref: test%s\n", yuan, extra);
	fclose(fp);
}

/* A parameter file whose bytes changed is parsed again; the same bytes in another pack report
 * their errors with that pack's file. */
static void test_doc_cache__changed_params_reparsed(void **state)
{
	char dir[64], dir2[64], path[4300], path2[4300], f[4200];
	sa_engine *v1, *v2, *e;
	sa_cache_stats s0, s1;
	(void)state;
	write_pack(dir, sizeof dir, path, sizeof path);
	write_rule(dir, "function rules.evaluate(h, ctx) return rules.result(h, sa.param(\"test.amount\")) end\n");
	write_params(dir, "5.00", "");
	v1 = load(path, "cn-x");
	assert_int_equal(amount_of(v1), 500);
	write_params(dir, "7.00", "");
	sa__pack_doc_cache_stats(&s0);
	v2 = load(path, "cn-x");
	sa__pack_doc_cache_stats(&s1);
	assert_int_equal(s1.misses - s0.misses, 1); /* cn-x/params.yaml; the rest are hits */
	assert_int_equal(amount_of(v2), 700);
	assert_int_equal(amount_of(v1), 500);
	sa_engine_free(v1);
	sa_engine_free(v2);

	/* a parameter error: the same position each time, in the file of the pack being loaded */
	write_params(dir, "5.00", "\n        colour: red");
	write_pack(dir2, sizeof dir2, path2, sizeof path2);
	write_rule(dir2, "function rules.evaluate(h, ctx) return rules.result(h, 1) end\n");
	write_params(dir2, "5.00", "\n        colour: red");
	for (int round = 0; round < 3; round++) {
		const char *d = round < 2 ? dir : dir2;
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		o.pack_path = round < 2 ? path : path2;
		assert_int_equal(sa_engine_new(&e, &o), 0);
		assert_int_equal(sa_engine_load(e, "cn-x"), SA_EPOLICY);
		snprintf(f, sizeof f, "%s/cn-x/params.yaml", d);
		assert_string_equal(sa_error_last()->source, f);
		assert_int_equal(sa_error_last()->line, 7);
		assert_int_equal(sa_error_last()->column, 17); /* at "red" */
		assert_non_null(strstr(sec_msg(), "colour"));
		sa_engine_free(e);
	}
	snprintf(f, sizeof f, "%s/cn-x/params.yaml", dir);
	unlink(f);
	snprintf(f, sizeof f, "%s/cn-x/params.yaml", dir2);
	unlink(f);
	remove_pack(dir);
	remove_pack(dir2);
}

/* Errors raised by a function loaded from a dump still name the rule file and line: a runtime
 * error while evaluating (from the line information) and one while loading. */
static void test_chunk_cache__errors_name_file_line(void **state)
{
	char dir[64], path[4300];
	sa_household *h = sec_household("h", 1);
	sa_cache_stats s0, s1;
	(void)state;
	write_pack(dir, sizeof dir, path, sizeof path);
	write_rule(dir, "-- line 1\n"
	                "local function f(h)\n"
	                "  local missing = nil\n"
	                "  return missing.field\n" /* line 4 */
	                "end\n"
	                "function rules.evaluate(h, ctx) return f(h) end\n");
	clear_all();
	for (int round = 0; round < 2; round++) { /* round 1 loads from the dump */
		sa_engine *e;
		sa_decision *d = NULL;
		sa__chunk_cache_stats(&s0);
		e = load(path, "cn-x");
		sa__chunk_cache_stats(&s1);
		assert_int_equal(s1.hits - s0.hits, round ? 2 : 0);
		assert_int_equal(sa_evaluate(&d, e, h, 20250801), SA_EPOLICY);
		assert_string_equal(sa_error_last()->source, "cn-x/rules/r.lua");
		assert_int_equal(sa_error_last()->line, 4);
		assert_non_null(strstr(sec_msg(), "cn-x/rules/r.lua:4:"));
		if (!strstr(sec_msg(), "local 'missing'")) /* local names: the dump keeps its debug information */
			fail_msg("%s", sec_msg());
		sa_engine_free(e);
	}
	for (int round = 0; round < 2; round++) { /* the hostile case: an error on line 3 while loading */
		sa_engine *e = sec_engine("load_runtime");
		assert_int_equal(sa_engine_load(e, "cn-x"), SA_EPOLICY);
		assert_string_equal(sa_error_last()->source, "cn-x/rules/attack.lua");
		assert_int_equal(sa_error_last()->line, 3);
		sa_engine_free(e);
	}
	sa_household_free(h);
	remove_pack(dir);
}

/* A pack with a binary chunk is refused with a warm cache as with a cold one; so is a syntax
 * error (nothing of a failed compile is kept). */
static void test_chunk_cache__binary_still_refused(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		sa_engine *e = sec_engine("bytecode");
		assert_int_equal(sa_engine_load(e, "cn-x"), SA_EPOLICY);
		assert_non_null(strstr(sec_msg(), "binary chunks are not accepted"));
		assert_string_equal(sa_error_last()->source, "cn-x/rules/binary.lua");
		sa_engine_free(e);
		e = sec_engine("load_syntax");
		assert_int_equal(sa_engine_load(e, "cn-x"), SA_EPOLICY);
		assert_non_null(sa_error_last()->source);
		assert_true(sa_error_last()->line > 0);
		sa_engine_free(e);
	}
}

/* ---- threads: loads of the same chain while another thread clears the cache */

#define THREADS 3
#define LOADS 4

static char *expected_kinds;
static char threads_path[4096];
static atomic_int loaders_done;

static void *loader(void *arg)
{
	long *wrong = arg;
	sa_household *kinds[KINDS];
	for (int k = 0; k < KINDS; k++)
		kinds[k] = sec_household("k", k + 1);
	for (int i = 0; i < LOADS; i++) {
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		sa_engine *e = NULL;
		sa_buf b = { 0 };
		o.pack_path = threads_path;
		if (sa_engine_new(&e, &o) != 0 || sa_engine_load(e, "cn-5301") != 0) {
			(*wrong)++;
			sa_engine_free(e);
			continue;
		}
		for (int k = 0; k < KINDS; k++) {
			sa_decision *d = NULL;
			char *json = NULL;
			if (sa_evaluate_ex(&d, e, kinds[k], 20250801, 0) != 0 || sa_decision_to_json(&json, d, 0) != 0) {
				(*wrong)++;
			} else {
				sa__buf_add(&b, json, strlen(json));
			}
			sa_free(json);
			sa_decision_free(d);
		}
		if (!b.s || strcmp(b.s, expected_kinds) != 0)
			(*wrong)++;
		free(b.s);
		sa_engine_free(e);
	}
	for (int k = 0; k < KINDS; k++)
		sa_household_free(kinds[k]);
	atomic_fetch_add(&loaders_done, 1);
	return NULL;
}

static void *clearer(void *arg)
{
	(void)arg;
	while (atomic_load(&loaders_done) < THREADS) {
		clear_all();
		usleep(200);
	}
	return NULL;
}

static void test_load_cache__threads(void **state)
{
	pthread_t t[THREADS], c;
	pthread_attr_t a;
	long wrong[THREADS] = { 0 };
	sa_household *kinds[KINDS];
	sa_engine *e;
	sa_cache_stats st;
	(void)state;
	snprintf(threads_path, sizeof threads_path, "%s/policies", sec_src());
	for (int k = 0; k < KINDS; k++)
		kinds[k] = sec_household("k", k + 1);
	clear_all();
	e = load(threads_path, "cn-5301"); /* single-threaded, compiled from text */
	expected_kinds = decide_all(e, kinds, KINDS);
	sa_engine_free(e);
	clear_all();
	atomic_store(&loaders_done, 0);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 1u << 20);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], &a, loader, &wrong[i]), 0);
	assert_int_equal(pthread_create(&c, &a, clearer, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(wrong[i], 0);
	}
	pthread_join(c, NULL);
	pthread_attr_destroy(&a);
	/* and without the clearer: every thread loads from dumps */
	atomic_store(&loaders_done, THREADS - 1);
	e = load(threads_path, "cn-5301");
	sa_engine_free(e);
	loader(&wrong[0]);
	assert_int_equal(wrong[0], 0);
	sa__chunk_cache_stats(&st);
	assert_true(st.hits > 0);
	assert_true(st.bytes <= SA_CHUNK_CACHE_MAX);
	free(expected_kinds);
	for (int k = 0; k < KINDS; k++)
		sa_household_free(kinds[k]);
}

/* ---- core/cache.c on its own, with a small cap */

static int freed;
static void count_free(void *v)
{
	freed++;
	free(v);
}

static void key_n(unsigned char key[32], int n)
{
	memset(key, 0, 32);
	key[0] = (unsigned char)(n * 37); /* spread and collide buckets alike */
	key[31] = (unsigned char)n;
}

static void test_cache__bounded_lru(void **state)
{
	/* room for three values of 100 bytes with their entries, not four */
	static sa_cache c = SA_CACHE_INIT(0, count_free);
	unsigned char k[32];
	sa_cache_entry *held, *h2;
	sa_cache_stats st;
	const char *v;
	(void)state;
	c.cap = 3 * (100 + 128);
	freed = 0;
	for (int i = 1; i <= 3; i++) {
		key_n(k, i);
		assert_int_equal(sa__cache_put(&c, k, malloc(100), 100, NULL), 0);
	}
	sa__cache_stats(&c, &st);
	assert_int_equal(st.entries, 3);
	assert_true(st.bytes <= c.cap);
	key_n(k, 1); /* 1 becomes the most recent: 2 is dropped next */
	assert_non_null(sa__cache_get(&c, k, &held));
	sa__cache_release(&c, held);
	key_n(k, 4);
	assert_int_equal(sa__cache_put(&c, k, malloc(100), 100, NULL), 0);
	sa__cache_stats(&c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.drops, 1);
	assert_int_equal(freed, 1);
	key_n(k, 2);
	assert_null(sa__cache_get(&c, k, &held));
	assert_null(held);
	key_n(k, 1);
	assert_non_null(sa__cache_get(&c, k, &held));
	sa__cache_release(&c, held);

	/* a value held while it is dropped stays valid until it is given back */
	key_n(k, 3);
	assert_non_null(v = sa__cache_get(&c, k, &held));
	sa__cache_clear(&c);
	sa__cache_stats(&c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	assert_int_equal(freed, 3); /* 1 and 4 now; 3 is held */
	memset((char *)v, 7, 100);  /* still ours (ASan would see a use after free) */
	sa__cache_release(&c, held);
	assert_int_equal(freed, 4);

	/* larger than the cache: refused, the caller keeps its value */
	{
		char *big = malloc(4 * (100 + 128));
		key_n(k, 5);
		assert_int_equal(sa__cache_put(&c, k, big, 4 * (100 + 128), NULL), -1);
		free(big);
	}
	/* the same key twice: the first value stays, the second is freed; held is the kept one */
	key_n(k, 6);
	assert_int_equal(sa__cache_put(&c, k, malloc(100), 100, &held), 0);
	assert_int_equal(sa__cache_put(&c, k, malloc(100), 100, &h2), 0);
	assert_ptr_equal(held, h2);
	assert_ptr_equal(sa__cache_value(held), sa__cache_value(h2));
	assert_int_equal(freed, 5);
	sa__cache_release(&c, held);
	sa__cache_release(&c, h2);
	sa__cache_clear(&c);
	assert_int_equal(freed, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache__bounded_lru),
		cmocka_unit_test(test_chunk_cache__same_pack_same_decisions),
		cmocka_unit_test(test_chunk_cache__changed_text_recompiled),
		cmocka_unit_test(test_doc_cache__changed_params_reparsed),
		cmocka_unit_test(test_chunk_cache__errors_name_file_line),
		cmocka_unit_test(test_chunk_cache__binary_still_refused),
		cmocka_unit_test(test_load_cache__threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
