/* test_alloc_c.c - failing C allocations in the entry points the bindings call (issue 12):
 * the test is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * --wrap=strndup (tests/CMakeLists.txt), so every allocation libsa's own code makes (and the
 * Lua state's, through libsa's allocator) can be failed. Each scenario sets up an engine
 * first; then, for n = 1, 2, ... (every allocation up to 150, then about 150 points spread
 * over the rest), it runs the entry point with the n-th allocation failing. It must return 0
 * or an error code, never crash, and when it returns 0 its output must be byte for byte the
 * output of a run without failures (a failure absorbed, e.g. by Lua's emergency collection,
 * must not change a decision); LeakSanitizer (the -DSA_SANITIZE=ON build) checks that the
 * failure paths free everything. Entry points: sa_evaluate with sa_decision_to_json/text,
 * sa_explain (text and HTML), sa_whatif, sa_whatif_vary, sa_decision_diff, sa_log_open/
 * append/close/verify, the order book (apply, replay, records, rating, spending), sa_screen_run
 * with the summary's JSON and CSV, sa_monitor_parse with sa_alerts_to_json, sa_plan_check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sec_helpers.h"

#include <unistd.h>

/* ---- the wrapped allocator ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static int armed;           /* count (and fail) only inside a scenario's entry points */
static long count, fail_at; /* fail_at 0: never */

static int fail_now(void)
{
	return armed && ++count == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (n && fail_now())
		return NULL;
	return __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}

/* ---- fixtures ---- */

static const char hh_text[] =
	"household:\n  id: t\n  region: \"150602\"\n  area: urban\n  members:\n"
	"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
	"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: \"300\" } }\n"
	"  assets: { deposits: 0 }\n  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
	"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n";

typedef struct {
	sa_engine *e;
	sa_household *h;
	sa_decision *d;
	const sa_catalog *c;
	char dir[64];
} fixture;

static const char *pack_path(void)
{
	static char p[4096];
	snprintf(p, sizeof p, "%s/policies:%s/tests/data/services", sec_src(), sec_src());
	return p;
}

static void setup(fixture *f, const char *pack)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_household **hs;
	size_t n;
	memset(f, 0, sizeof *f);
	o.pack_path = pack_path();
	o.time_limit_ms = 600000; /* limits by instructions only: no test depends on machine speed */
	assert_int_equal(sa_engine_new(&f->e, &o), 0);
	assert_int_equal(sa_engine_load(f->e, pack), 0);
	assert_int_equal(sa_household_parse(&hs, &n, hh_text, sizeof hh_text - 1, "hh.yaml"), 0);
	f->h = hs[0];
	hs[0] = NULL;
	sa_household_array_free(hs, n);
	if (strcmp(pack, "cn-150602") == 0) {
		assert_int_equal(sa_evaluate(&f->d, f->e, f->h, 20250301), 0);
		assert_int_equal(sa_engine_catalog(&f->c, f->e), 0);
	}
	snprintf(f->dir, sizeof f->dir, "/tmp/sa_alloc_c_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
}

static void teardown(fixture *f)
{
	char cmd[128];
	sa_decision_free(f->d);
	sa_household_free(f->h);
	sa_engine_free(f->e);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
}

static int ok_code(int rc)
{
	return rc == 0 || rc == SA_ENOMEM || rc == SA_EPOLICY || rc == SA_ELIMIT || rc == SA_EINVALID || rc == SA_ERROR ||
	       rc == SA_ENOTFOUND;
}

#define CHECK(call)                                                                                                   \
	do {                                                                                                          \
		int rc_ = (call);                                                                                     \
		if (!ok_code(rc_))                                                                                    \
			fail_msg("%s: %d (%s) with allocation %ld failing", #call, rc_, sec_msg(), fail_at);         \
		if (rc_ != 0)                                                                                         \
			return rc_;                                                                                   \
	} while (0)

typedef int (*scenario)(fixture *f);

/* FNV-1a over every output text of a run: equal digests, equal outputs; the texts are kept
 * (outside the wrapped allocator) to show where they differ */
static uint64_t digest;
static char *texts;
static size_t ntexts;

static void seen(const char *text)
{
	size_t n = text ? strlen(text) : 0;
	char *t = __real_realloc(texts, ntexts + n + 2);
	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++)
		digest = (digest ^ *p) * 1099511628211ULL;
	if (t) {
		memcpy(t + ntexts, text ? text : "", n);
		t[ntexts + n] = '\n';
		t[ntexts + n + 1] = 0;
		texts = t;
		ntexts += n + 1;
	}
}

static void start_run(long n)
{
	count = 0, fail_at = n, armed = 1, digest = 14695981039346656037ULL;
	ntexts = 0;
}

/* Run s with allocation 1, 2, ... failing (sampled after the first 150). */
static void sweep(const char *what, const char *pack, scenario s)
{
	fixture f;
	long total, step, points = 0, failed = 0;
	uint64_t want;
	char *want_texts;
	setup(&f, pack);
	start_run(0);
	assert_int_equal(s(&f), 0);
	armed = 0;
	total = count;
	want = digest;
	want_texts = __real_strdup(texts ? texts : "");
	assert_true(total > 0);
	step = total > 300 ? (total - 150) / 150 : 1;
	for (long n = 1; n <= total; n += n < 150 ? 1 : step, points++) {
		int rc;
		start_run(n);
		rc = s(&f);
		armed = 0;
		failed += rc != 0;
		if (rc == 0 && digest != want) {
			size_t k = 0;
			while (want_texts[k] && want_texts[k] == texts[k])
				k++;
			fail_msg("%s: allocation %ld failing changed the output, with no error, at byte %zu: '%.80s' instead of "
			         "'%.80s'",
			         what, n, k, texts + k, want_texts + k);
		}
	}
	start_run(0);
	assert_int_equal(s(&f), 0); /* and everything works again */
	armed = 0;
	assert_true(digest == want);
	free(want_texts);
	printf("# %s: %ld allocations, %ld failure points, %ld runs failed cleanly\n", what, total, points, failed);
	teardown(&f);
}

/* ---- scenarios ---- */

static int evaluate_run(fixture *f)
{
	sa_decision *d;
	char *json = NULL, *text = NULL;
	int rc;
	CHECK(sa_evaluate(&d, f->e, f->h, 20250301));
	if ((rc = sa_decision_to_json(&json, d, 0)) == 0)
		rc = sa_decision_to_text(&text, d);
	seen(json);
	seen(text);
	sa_free(json);
	sa_free(text);
	sa_decision_free(d);
	CHECK(rc);
	return 0;
}

static int explain_run(fixture *f)
{
	sa_explain_options o;
	char *out = NULL;
	sa_explain_options_init(&o, SA_EXPLAIN_OPTIONS_VERSION);
	CHECK(sa_explain(&out, f->e, f->h, 20250301, &o));
	seen(out);
	sa_free(out);
	o.format = SA_EXPLAIN_HTML;
	CHECK(sa_explain(&out, f->e, f->h, 20250301, &o));
	seen(out);
	sa_free(out);
	return 0;
}

static int whatif_run(fixture *f)
{
	static const char *const sets[] = { "members.m2.income.wages=900" };
	char *out = NULL;
	CHECK(sa_whatif(&out, f->e, f->h, 20250301, sets, 1, SA_WHATIF_JSON));
	seen(out);
	sa_free(out);
	CHECK(sa_whatif(&out, f->e, f->h, 20250301, sets, 1, SA_WHATIF_TEXT));
	seen(out);
	sa_free(out);
	CHECK(sa_whatif_vary(&out, f->e, f->h, 20250301, NULL, 0, "members.m2.income.wages", "0", "1500", "500",
	                     SA_WHATIF_JSON));
	seen(out);
	sa_free(out);
	return 0;
}

static int diff_run(fixture *f)
{
	sa_household *h2;
	sa_decision *d2;
	char *out = NULL;
	int rc;
	CHECK(sa_household_new(&h2, "t", "150602", "urban"));
	if ((rc = sa_household_add_member(NULL, h2, "m1", "head", "1975-03-01")) == 0 &&
	    (rc = sa_evaluate(&d2, f->e, h2, 20250301)) == 0) {
		rc = sa_decision_diff(&out, f->d, d2);
		seen(out);
		sa_free(out);
		sa_decision_free(d2);
	}
	sa_household_free(h2);
	CHECK(rc);
	return 0;
}

static int log_run(fixture *f)
{
	char path[128], *report = NULL;
	const char *paths[1];
	sa_log *log;
	sa_log_report counts;
	uint64_t seq;
	int rc;
	snprintf(path, sizeof path, "%s/decisions.log", f->dir);
	unlink(path);
	CHECK(sa_log_open(&log, path, NULL));
	rc = sa_log_append(&seq, log, f->h, f->d);
	if (rc == 0)
		rc = sa_log_append(&seq, log, f->h, f->d);
	if (sa_log_close(log) != 0 && rc == 0)
		rc = SA_ERROR;
	CHECK(rc);
	paths[0] = path;
	rc = sa_log_verify(&report, &counts, paths, 1, NULL);
	if (rc == 0 && counts.records != 2)
		fail_msg("log: %llu records verified, not 2", (unsigned long long)counts.records);
	sa_free(report);
	CHECK(rc);
	return 0;
}

static int orders_run(fixture *f)
{
	static const char *const events[] = {
		"{\"event\":\"apply\",\"at\":\"2025-03-01T09:00\",\"household\":\"h1\",\"member\":\"m1\",\"item\":\"massage\","
		"\"quantity\":2}",
		"{\"event\":\"order\",\"order\":\"O000001\",\"at\":\"2025-03-02\"}",
		"{\"event\":\"dispatch\",\"order\":\"O000001\",\"at\":\"2025-03-03\",\"provider\":\"p1\"}",
	};
	static const char journal[] =
		"{\"event\":\"apply\",\"order\":\"A\",\"at\":\"2025-03-01\",\"household\":\"h\",\"member\":\"m\",\"item\":\"haircut\"}\n"
		"{\"event\":\"serve\",\"order\":\"A\",\"at\":\"2025-03-02\"}\n"
		"{\"event\":\"order\",\"order\":\"A\",\"at\":\"2025-03-02\"}\n";
	sa_order_book *b;
	sa_provider_rating r;
	sa_fen spent, budget;
	char *out = NULL;
	int rc = 0;
	CHECK(sa_order_book_new(&b, f->c));
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		rc = sa_order_book_apply(&out, b, events[i], strlen(events[i]));
		seen(out);
		sa_free(out);
		out = NULL;
	}
	if (rc == 0)
		rc = sa_order_book_replay(b, journal, sizeof journal - 1, "j.jsonl");
	if (rc == 0 && (rc = sa_order_book_order_json(&out, b, "O000001", 20250310)) == 0) {
		seen(out);
		sa_free(out);
	}
	if (rc == 0 && (rc = sa_order_book_to_json(&out, b, 20250310, 0)) == 0) {
		seen(out);
		sa_free(out);
	}
	if (rc == 0) {
		int x = sa_order_book_rating(&r, b, "p1", 0, 0);
		rc = x == SA_ENOTFOUND ? 0 : x;
	}
	if (rc == 0)
		rc = sa_order_book_spent(&spent, &budget, b, "h1", "m1", 2025);
	sa_order_book_free(b);
	CHECK(rc);
	return 0;
}

static int screen_run(fixture *f)
{
	static const char reg[] =
		"{\"id\":\"a\",\"region\":\"150602\",\"area\":\"urban\",\"members\":[{\"id\":\"m1\",\"relation\":\"head\",\"birth\":\"1960-01-01\"}]}\n"
		"not json\n"
		"{\"id\":\"b\",\"region\":\"150602\",\"area\":\"rural\",\"members\":[{\"id\":\"m1\",\"relation\":\"head\",\"birth\":\"1950-01-01\",\"income\":{\"wages\":\"100\"}}]}\n";
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_screen_options so;
	sa_screen_summary *sum = NULL;
	char *out = NULL;
	int rc;
	(void)f;
	eo.pack_path = pack_path();
	eo.time_limit_ms = 600000;
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = "cn-150602";
	so.engine = &eo;
	so.as_of = 20250301;
	so.jobs = 1;
	so.format = SA_SCREEN_JSONL;
	CHECK(sa_screen_summary_new(&sum));
	rc = sa_screen_run(sum, &so, reg, sizeof reg - 1, "registry.jsonl");
	if (rc == 0 && sa_screen_summary_bad(sum) > 1)
		rc = SA_ENOMEM; /* a record failed on the failed allocation and is counted bad: a visible failure */
	if (rc == 0 && (rc = sa_screen_summary_to_json(&out, sum)) == 0) {
		seen(out);
		sa_free(out);
	}
	if (rc == 0 && (rc = sa_screen_summary_to_csv(&out, sum)) == 0) {
		seen(out);
		sa_free(out);
	}
	sa_screen_summary_free(sum);
	CHECK(rc);
	return 0;
}

static int monitor_run(fixture *f)
{
	char path[4096], *text, *out = NULL;
	size_t len;
	FILE *fp;
	sa_alerts *a = NULL;
	int rc;
	snprintf(path, sizeof path, "%s/tests/data/monitor/events.yaml", sec_src());
	armed = 0; /* reading the fixture is not under test */
	assert_non_null(fp = fopen(path, "rb"));
	text = malloc(1 << 16);
	len = fread(text, 1, 1 << 16, fp);
	fclose(fp);
	armed = 1;
	rc = sa_monitor_parse(&a, f->e, text, len, "events.yaml", 20250901);
	if (rc == 0 && (rc = sa_alerts_to_json(&out, a, 0)) == 0) {
		seen(out);
		sa_free(out);
	}
	sa_alerts_free(a);
	armed = 0;
	free(text);
	armed = 1;
	CHECK(rc);
	return 0;
}

static int plan_run(fixture *f)
{
	static const char plan[] = "member: m1\nstages:\n  - items: [{ item: massage, quantity: 5 }]\n";
	sa_plan_report *r;
	char *out = NULL;
	int rc;
	CHECK(sa_plan_check(&r, f->e, f->d, plan, sizeof plan - 1));
	rc = sa_plan_report_to_json(&out, r, 0);
	seen(out);
	sa_free(out);
	sa_plan_report_free(r);
	CHECK(rc);
	return 0;
}

static void test_alloc_c__evaluate(void **state)
{
	(void)state;
	sweep("evaluate", "cn-150602", evaluate_run);
}

static void test_alloc_c__explain(void **state)
{
	(void)state;
	sweep("explain", "cn-150602", explain_run);
}

static void test_alloc_c__whatif(void **state)
{
	(void)state;
	sweep("whatif", "cn-150602", whatif_run);
}

static void test_alloc_c__decision_diff(void **state)
{
	(void)state;
	sweep("decision diff", "cn-150602", diff_run);
}

static void test_alloc_c__log(void **state)
{
	(void)state;
	sweep("log", "cn-150602", log_run);
}

static void test_alloc_c__orders(void **state)
{
	(void)state;
	sweep("orders", "cn-150602", orders_run);
}

static void test_alloc_c__screen(void **state)
{
	(void)state;
	sweep("screen", "cn-150602", screen_run);
}

static void test_alloc_c__monitor(void **state)
{
	(void)state;
	sweep("monitor", "cn-6101", monitor_run);
}

static void test_alloc_c__plan(void **state)
{
	(void)state;
	sweep("plan", "cn-150602", plan_run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_c__evaluate),   cmocka_unit_test(test_alloc_c__whatif),
		cmocka_unit_test(test_alloc_c__decision_diff), cmocka_unit_test(test_alloc_c__log),
		cmocka_unit_test(test_alloc_c__orders),     cmocka_unit_test(test_alloc_c__monitor),
		cmocka_unit_test(test_alloc_c__plan),       cmocka_unit_test(test_alloc_c__explain),
		cmocka_unit_test(test_alloc_c__screen),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
