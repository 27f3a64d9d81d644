/* readers.c - sa-bench-readers: the cost of each reader against input size (issue 12 #7), a
 * benchmark, not a test. Every shape builds an input of n units (outside the measured part),
 * then reads it once inside measure(); a linear reader costs 4 times as much at 4n (a
 * quadratic one 16 times).
 *   build/bench/sa-bench-readers [scale]          # wall-clock seconds at n and 4n, every shape
 *   build/bench/sa-bench-readers --list           # the shapes' names
 *   build/bench/sa-bench-readers SHAPE N          # read one input once (for callgrind)
 * bench/readers-instructions.sh runs each shape under callgrind, counting only the
 * instructions inside measure(): figures that do not depend on the machine's load
 * (docs/performance.md "Readers"). Run from the source tree (it reads policies/ and
 * tests/data/hostile/base/). */
#include "core/internal.h"
#include "engine/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct {
	char *t;
	size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;
	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(b->t ? b->t + b->len : NULL, b->t ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->t && b->len + (size_t)k < b->cap)
			break;
		b->cap = (b->cap + (size_t)k + 1) * 2;
		if (!(b->t = realloc(b->t, b->cap)))
			exit(2);
	}
	b->len += (size_t)k;
}

static void write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(b->t, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "bench: cannot write %s\n", path);
		exit(2);
	}
}

/* ---- the measured part: one call to one reader ---- */

typedef enum { R_HOUSEHOLD, R_SCREEN_JSONL, R_SCREEN_CSV, R_MONITOR, R_PLAN, R_LOAD, R_RESULT_MAP, R_RESULT_MISSING } reader;

typedef struct {
	reader r;
	const buf *in;
	sa_engine *e;
	const sa_decision *d;
	const sa_household *h;
	int catalog; /* R_LOAD: also build the service catalog */
} job;

static const char *pack_path(void)
{
	return getenv("SA_PACK_PATH") ? getenv("SA_PACK_PATH") : "policies";
}

static int screen(const job *j, sa_screen_format format)
{
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_screen_options so;
	sa_screen_summary *sum;
	eo.pack_path = pack_path();
	eo.time_limit_ms = 600000; /* under callgrind an evaluation is 50 times slower */
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = "cn";
	so.engine = &eo;
	so.as_of = 20250801;
	so.jobs = 1;
	so.format = format;
	int rc;
	sa_screen_summary_new(&sum);
	rc = sa_screen_run(sum, &so, j->in->t, j->in->len, "bench");
	sa_screen_summary_free(sum);
	return rc;
}

/* callgrind counts from here (--toggle-collect=measure) */
__attribute__((noinline)) static int measure(const job *j)
{
	int rc = 0;
	switch (j->r) {
	case R_HOUSEHOLD: {
		sa_household **hs;
		size_t n;
		if ((rc = sa_household_parse(&hs, &n, j->in->t, j->in->len, "bench")) == 0)
			sa_household_array_free(hs, n);
		break;
	}
	case R_SCREEN_JSONL: rc = screen(j, SA_SCREEN_JSONL); break;
	case R_SCREEN_CSV: rc = screen(j, SA_SCREEN_CSV); break;
	case R_MONITOR: {
		sa_alerts *a;
		if ((rc = sa_monitor_parse(&a, j->e, j->in->t, j->in->len, "bench", 20250901)) == 0)
			sa_alerts_free(a);
		break;
	}
	case R_PLAN: {
		sa_plan_report *r;
		if ((rc = sa_plan_check(&r, j->e, j->d, j->in->t, j->in->len)) == 0)
			sa_plan_report_free(r);
		break;
	}
	case R_LOAD: {
		const sa_catalog *c;
		if ((rc = sa_engine_load(j->e, "cn-x")) == 0 && j->catalog)
			rc = sa_engine_catalog(&c, j->e);
		break;
	}
	case R_RESULT_MAP: {
		sa_value *out = NULL;
		rc = sa__engine_call(j->e, "map", j->h, NULL, 20250801, &out);
		sa__value_free(out);
		break;
	}
	case R_RESULT_MISSING: {
		sa_decision *d;
		if ((rc = sa_evaluate(&d, j->e, j->h, 20250801)) == 0)
			sa_decision_free(d);
		break;
	}
	}
	return rc;
}

/* ---- inputs of n units ---- */

static void household_keys(buf *b, size_t n, int json)
{
	if (json) {
		put(b, "{\"household\": {\"id\": \"x\"");
		for (size_t i = 0; i < n; i++)
			put(b, ", \"k%zu\": 1", i);
		put(b, "}}\n");
	} else {
		put(b, "household:\n  id: x\n");
		for (size_t i = 0; i < n; i++)
			put(b, "  k%zu: 1\n", i);
	}
}

static void household_members(buf *b, size_t n, int json)
{
	if (json) {
		put(b, "{\"household\": {\"id\": \"x\", \"region\": \"530102\", \"area\": \"urban\", \"members\": [");
		for (size_t i = 0; i < n; i++)
			put(b, "%s{\"id\": \"m%zu\", \"relation\": \"head\", \"birth\": \"1960-01-01\"}", i ? ", " : "", i);
		put(b, "]}}\n");
	} else {
		put(b, "household:\n  id: x\n  region: \"530102\"\n  area: urban\n  members:\n");
		for (size_t i = 0; i < n; i++)
			put(b, "    - { id: m%zu, relation: head, birth: 1960-01-01 }\n", i);
	}
}

/* a YYYY-MM-DD date i days after 1800-01-01 */
static void day(char out[16], size_t i)
{
	sa_date d = sa__date_add_days(18000101, (int)i);
	snprintf(out, 16, "%04d-%02d-%02d", (int)(d / 10000 % 10000), (int)(d / 100 % 100), (int)(d % 100));
}

static char dir[] = "/tmp/sa_bench_readers_XXXXXX"; /* the scratch pack, removed after each run */

/* a scratch pack cn-x over the hostile baseline; `what` decides which file is large */
static sa_engine *scratch_engine(const char *what, size_t n)
{
	static char path[4200];
	const char *src = getenv("SA_SOURCE_DIR") ? getenv("SA_SOURCE_DIR") : ".";
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	buf b = { 0 };
	char f[128];
	strcpy(dir + sizeof dir - 7, "XXXXXX");
	if (!mkdtemp(dir))
		exit(2);
	snprintf(f, sizeof f, "%s/cn-x", dir);
	mkdir(f, 0700);
	snprintf(f, sizeof f, "%s/cn-x/rules", dir);
	mkdir(f, 0700);
	put(&b, "id: cn-x\ntitle: bench\nregion: \"530000\"\nextends: cn\nversion: \"1\"\n");
	snprintf(f, sizeof f, "%s/cn-x/pack.yaml", dir);
	write_file(f, &b);
	b.len = 0;
	if (strcmp(what, "params") == 0) { /* n dated values of one parameter */
		put(&b, "params:\n  test.amount:\n    values:\n");
		for (size_t i = 0; i < n; i++) {
			char d[16];
			day(d, i);
			put(&b, "      - { from: %s, value: \"%zu\", ref: bench }\n", d, 100 + i % 1000);
		}
		snprintf(f, sizeof f, "%s/cn-x/params.yaml", dir);
		write_file(f, &b);
		b.len = 0;
	} else if (strcmp(what, "services") == 0) { /* a catalog of n items */
		put(&b, "title: bench\nbudget: { amount: 600 }\nstages:\n  - { id: a, share: 100%%, categories: [care] }\n"
		        "categories:\n  - { id: care, name: 照料服务 }\ngroups:\n"
		        "  - { id: low, name: 低收入人口, who: { tiers: [tekun, dibao, edge, rigid] } }\nitems:\n");
		for (size_t i = 0; i < n; i++)
			put(&b, "  - { id: i%zu, name: 服务%zu, category: care, unit: 次, price: 50, max_per_year: 4, "
			        "needs: [关怀], source: invented }\n", i, i);
		snprintf(f, sizeof f, "%s/cn-x/services.yaml", dir);
		write_file(f, &b);
		b.len = 0;
	}
	if (strcmp(what, "rules") == 0) /* a rule file of n functions */
		for (size_t i = 0; i < n; i++)
			put(&b, "function rules.f%zu(h) return %zu end\n", i, i);
	else /* rule results of n values */
		put(&b, "function rules.map(h) local m = {} for i = 1, %zu do m['k' .. i] = i end return m end\n"
		        "function rules.evaluate(h) local r = rules.result(h, 1) local a = {} for i = 1, %zu do "
		        "a[#a + 1] = 'f' .. i end r.programs[1].missing = a return r end\n", n, n);
	snprintf(f, sizeof f, "%s/cn-x/rules/big.lua", dir);
	write_file(f, &b);
	free(b.t);
	snprintf(path, sizeof path, "%s:%s/tests/data/hostile/base", dir, src);
	o.pack_path = path;
	o.instruction_limit = 1000000000ULL;
	o.output_limit = (size_t)256 << 20;
	o.memory_limit = (size_t)1 << 30;
	o.time_limit_ms = 600000;
	if (sa_engine_new(&e, &o) < 0)
		exit(2);
	return e;
}

static sa_engine *engine_on(const char *pack)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	o.pack_path = pack_path();
	o.time_limit_ms = 600000;
	if (sa_engine_new(&e, &o) < 0 || sa_engine_load(e, pack) < 0) {
		fprintf(stderr, "bench: %s\n", sa_error_last()->message);
		exit(2);
	}
	return e;
}

static sa_household *one_household(const char *text)
{
	sa_household **hs;
	size_t n;
	sa_household *h;
	if (sa_household_parse(&hs, &n, text, strlen(text), "bench") < 0) {
		fprintf(stderr, "bench: %s\n", sa_error_last()->message);
		exit(2);
	}
	h = hs[0];
	hs[0] = NULL;
	sa_household_array_free(hs, n);
	return h;
}

typedef struct {
	const char *name, *what;
} shape;

static const shape shapes[] = {
	{ "household-keys-yaml", "household, a map of n keys (YAML; refused)" },
	{ "household-keys-json", "household, a map of n keys (JSON; refused)" },
	{ "household-members-yaml", "household of n members (YAML; refused at 100)" },
	{ "household-members-json", "household of n members (JSON; refused at 100)" },
	{ "registry-jsonl-keys", "registry line of n keys (JSON lines)" },
	{ "registry-jsonl-lines", "registry of n households (JSON lines)" },
	{ "registry-csv-rows", "registry of n households (CSV)" },
	{ "registry-csv-members", "registry, one household of n rows (CSV)" },
	{ "events", "events of one household, n events (YAML)" },
	{ "plan", "service plan of n items (YAML)" },
	{ "pack-params", "pack params.yaml, n dated values" },
	{ "pack-services", "pack services.yaml, n items" },
	{ "pack-rules", "pack rule file, n functions" },
	{ "result-map", "rule result, a map of n keys" },
	{ "result-missing", "rule result, n missing facts" },
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static const char plan_household[] =
	"household:\n  id: t\n  region: \"150602\"\n  area: urban\n  members:\n"
	"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
	"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"
	"  assets: { deposits: 0 }\n"
	"  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
	"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n";

/* Build shape k's input of n units, read it once inside measure(); returns seconds. */
static int last_rc; /* what the reader returned */

static double run(size_t k, size_t n)
{
	buf in = { 0 };
	job j = { 0 };
	const char *s = shapes[k].name;
	sa_household *h = NULL;
	sa_decision *d = NULL;
	struct timespec a, b;
	j.in = &in;
	put(&in, "%s", "");
	if (strncmp(s, "household-keys", 14) == 0 || strncmp(s, "household-members", 17) == 0) {
		int json = strstr(s, "json") != NULL;
		j.r = R_HOUSEHOLD;
		if (strncmp(s, "household-keys", 14) == 0)
			household_keys(&in, n, json);
		else
			household_members(&in, n, json);
	} else if (strcmp(s, "registry-jsonl-keys") == 0) {
		j.r = R_SCREEN_JSONL;
		put(&in, "{\"id\":\"x\"");
		for (size_t i = 0; i < n; i++)
			put(&in, ",\"k%zu\":1", i);
		put(&in, "}\n");
	} else if (strcmp(s, "registry-jsonl-lines") == 0) {
		j.r = R_SCREEN_JSONL;
		for (size_t i = 0; i < n; i++)
			put(&in, "{\"id\":\"h%zu\",\"region\":\"530102\",\"area\":\"urban\",\"members\":[{\"id\":\"m1\","
			         "\"relation\":\"head\",\"birth\":\"1960-01-01\",\"income\":{\"pension\":\"%zu\"}}]}\n", i, 300 + i % 700);
	} else if (strncmp(s, "registry-csv", 12) == 0) {
		int one = strcmp(s, "registry-csv-members") == 0;
		j.r = R_SCREEN_CSV;
		put(&in, "id,region,area,member.id,member.relation,member.birth,member.income.pension\n");
		for (size_t i = 0; i < n; i++)
			put(&in, "h%zu,530102,urban,m%zu,%s,1960-01-01,%zu\n", one ? (size_t)0 : i, i, one && i ? "other" : "head",
			    300 + i % 700);
	} else if (strcmp(s, "events") == 0) {
		j.r = R_MONITOR;
		j.e = engine_on("cn");
		put(&in, "- household:\n    id: e1\n    region: \"610103\"\n    area: urban\n    enrolments: [dibao]\n"
		         "    members:\n      - { id: m1, relation: head, birth: 1960-05-01 }\n  events:\n");
		for (size_t i = 0; i < n; i++) {
			char dd[16];
			day(dd, 73000 + i % 9000); /* 1999-11-13 onwards */
			put(&in, "    - { kind: medical, date: %s, amount: \"%zu\", member: m1 }\n", dd, 10 + i % 100);
		}
	} else if (strcmp(s, "plan") == 0) {
		j.r = R_PLAN;
		j.e = engine_on("cn-150602");
		h = one_household(plan_household);
		if (sa_evaluate(&d, j.e, h, 20250301) != 0)
			exit(2);
		j.d = d;
		put(&in, "member: m1\nstages:\n  - items:\n");
		for (size_t i = 0; i < n; i++)
			put(&in, "    - { item: massage, quantity: 1 }\n");
	} else if (strncmp(s, "pack-", 5) == 0) {
		j.r = R_LOAD;
		j.e = scratch_engine(s + 5, n);
		j.catalog = strcmp(s, "pack-services") == 0;
	} else {
		j.r = strcmp(s, "result-map") == 0 ? R_RESULT_MAP : R_RESULT_MISSING;
		j.e = scratch_engine("results", n);
		if (sa_engine_load(j.e, "cn-x") != 0) {
			fprintf(stderr, "bench: %s\n", sa_error_last()->message);
			exit(2);
		}
		j.h = h = one_household("household:\n  id: h\n  region: \"530102\"\n  area: urban\n  members:\n"
		                        "    - { id: m1, relation: head, birth: 1960-01-01 }\n");
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	last_rc = measure(&j);
	clock_gettime(CLOCK_MONOTONIC, &b);
	sa_decision_free(d);
	sa_household_free(h);
	sa_engine_free(j.e);
	free(in.t);
	if (j.r == R_LOAD || j.r == R_RESULT_MAP || j.r == R_RESULT_MISSING) {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench: cannot remove %s\n", dir);
	}
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t k = 0; k < NSHAPES; k++)
			printf("%-24s %s\n", shapes[k].name, shapes[k].what);
		return 0;
	}
	if (argc == 3) {
		for (size_t k = 0; k < NSHAPES; k++)
			if (strcmp(argv[1], shapes[k].name) == 0) {
				double t = run(k, (size_t)atol(argv[2]));
				printf("%s %s: %.3f s, %s\n", shapes[k].name, argv[2], t,
				       last_rc ? sa_error_last()->message : "read");
				return 0;
			}
		fprintf(stderr, "sa-bench-readers: unknown shape '%s' (--list)\n", argv[1]);
		return 2;
	}
	{
		size_t n = 5000 * (argc > 1 ? (size_t)atol(argv[1]) : 1);
		printf("%-48s %8s %10s %10s %6s\n", "reader", "n", "s(n)", "s(4n)", "ratio");
		for (size_t k = 0; k < NSHAPES; k++) {
			double a = run(k, n), b = run(k, 4 * n);
			printf("%-48s %8zu %10.3f %10.3f %6.1f\n", shapes[k].what, n, a, b, a > 0 ? b / a : 0.0);
		}
	}
	return 0;
}
