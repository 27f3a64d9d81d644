/* readers.c - sa-bench-readers: time of each reader against input size (issue 12 #7), a
 * benchmark, not a test. For each hostile shape it builds inputs of n and 4n units and prints
 * the seconds and the ratio; a linear reader shows a ratio near 4 (a quadratic one, 16).
 *   build/bench/sa-bench-readers [scale]      # scale 1 (default): n = 20,000 (4n stays under the 100,000-value cap of a rule result)
 * Shapes: a household map of n keys (rejected), n members (rejected at the limit), a JSON line
 * of n keys (screen), a rule result of n missing facts, a rule result map of n keys. */
#include "core/internal.h"
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *keys_yaml(size_t n, size_t *len)
{
	size_t cap = 64 + n * 24, l = 0;
	char *t = malloc(cap);
	l += (size_t)snprintf(t + l, cap - l, "household:\n  id: x\n");
	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(t + l, cap - l, "  k%zu: 1\n", i);
	*len = l;
	return t;
}

static char *members_yaml(size_t n, size_t *len)
{
	size_t cap = 128 + n * 64, l = 0;
	char *t = malloc(cap);
	l += (size_t)snprintf(t + l, cap - l, "household:\n  id: x\n  region: \"530102\"\n  area: urban\n  members:\n");
	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(t + l, cap - l, "    - { id: m%zu, relation: head, birth: 1960-01-01 }\n", i);
	*len = l;
	return t;
}

static char *keys_jsonl(size_t n, size_t *len)
{
	size_t cap = 64 + n * 24, l = 0;
	char *t = malloc(cap);
	l += (size_t)snprintf(t + l, cap - l, "{\"id\":\"x\"");
	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(t + l, cap - l, ",\"k%zu\":1", i);
	l += (size_t)snprintf(t + l, cap - l, "}\n");
	*len = l;
	return t;
}

static double time_household(char *(*make)(size_t, size_t *), size_t n)
{
	size_t len, cnt;
	sa_household **hs;
	char *t = make(n, &len);
	double t0 = now();
	if (sa_household_parse(&hs, &cnt, t, len, "bench") == 0)
		sa_household_array_free(hs, cnt);
	t0 = now() - t0;
	free(t);
	return t0;
}

static double time_screen(size_t n)
{
	size_t len;
	char *t = keys_jsonl(n, &len);
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_screen_options so;
	sa_screen_summary *sum;
	double t0;
	eo.pack_path = getenv("SA_PACK_PATH") ? getenv("SA_PACK_PATH") : "policies";
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = "cn";
	so.engine = &eo;
	so.as_of = 20250801;
	so.jobs = 1;
	so.format = SA_SCREEN_JSONL;
	sa_screen_summary_new(&sum);
	t0 = now();
	sa_screen_run(sum, &so, t, len, "bench.jsonl");
	t0 = now() - t0;
	sa_screen_summary_free(sum);
	free(t);
	return t0;
}

/* a rule result of n values: the hostile pack result_big, scaled by its own loops */
static double time_result(const char *rule, size_t n)
{
	char src[8192];
	const char *s = getenv("SA_SOURCE_DIR") ? getenv("SA_SOURCE_DIR") : ".";
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_household **hs;
	size_t cnt;
	sa_value *out = NULL;
	double t0;
	FILE *f;
	static const char hh[] = "household:\n  id: h\n  region: \"530102\"\n  area: urban\n  members:\n"
	                         "    - { id: m1, relation: head, birth: 1960-01-01 }\n";
	/* a scratch pack over the hostile baseline: rules.<rule> returns n values */
	if (system("mkdir -p /tmp/sa_bench_readers/cn-x/rules") != 0)
		return -1;
	f = fopen("/tmp/sa_bench_readers/cn-x/pack.yaml", "w");
	fputs("id: cn-x\ntitle: bench\nregion: \"530000\"\nextends: cn\nversion: \"1\"\n", f);
	fclose(f);
	f = fopen("/tmp/sa_bench_readers/cn-x/rules/big.lua", "w");
	fprintf(f, "function rules.map(h) local m = {} for i = 1, %zu do m['k' .. i] = i end return m end\n"
	           "function rules.evaluate(h) local r = rules.result(h, 1) local a = {} for i = 1, %zu do a[#a + 1] = 'f' .. i end "
	           "r.programs[1].missing = a return r end\n", n, n);
	fclose(f);
	snprintf(src, sizeof src, "/tmp/sa_bench_readers:%s/tests/data/hostile/base", s);
	o.pack_path = src;
	o.instruction_limit = 1000000000ULL;
	o.output_limit = (size_t)256 << 20;
	o.memory_limit = (size_t)1 << 30;
	o.time_limit_ms = 600000;
	if (sa_engine_new(&e, &o) < 0 || sa_engine_load(e, "cn-x") < 0 ||
	    sa_household_parse(&hs, &cnt, hh, sizeof hh - 1, "bench") < 0) {
		fprintf(stderr, "bench: %s\n", sa_error_last()->message);
		return -1;
	}
	t0 = now();
	if (strcmp(rule, "map") == 0) {
		sa__engine_call(e, "map", hs[0], NULL, 20250801, &out);
		sa__value_free(out);
	} else { /* the decision path: the union of the programs' missing facts */
		sa_decision *d;
		if (sa_evaluate(&d, e, hs[0], 20250801) == 0)
			sa_decision_free(d);
	}
	t0 = now() - t0;
	sa_household_array_free(hs, cnt);
	sa_engine_free(e);
	return t0;
}

int main(int argc, char **argv)
{
	size_t n = 20000 * (argc > 1 ? (size_t)atol(argv[1]) : 1);
	struct {
		const char *what;
		int kind;
	} shapes[] = { { "household map of n keys (YAML)", 0 }, { "household of n members (YAML)", 1 },
		       { "registry line of n keys (JSON lines)", 2 }, { "rule result map of n keys", 3 },
		       { "rule result of n missing facts", 4 } };
	printf("%-40s %10s %10s %10s %8s\n", "reader", "n", "s(n)", "s(4n)", "ratio");
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
		double a, b;
		switch (shapes[i].kind) {
		case 0: a = time_household(keys_yaml, n), b = time_household(keys_yaml, 4 * n); break;
		case 1: a = time_household(members_yaml, n), b = time_household(members_yaml, 4 * n); break;
		case 2: a = time_screen(n), b = time_screen(4 * n); break;
		case 3: a = time_result("map", n), b = time_result("map", 4 * n); break;
		default: a = time_result("missing", n), b = time_result("missing", 4 * n); break;
		}
		printf("%-40s %10zu %10.3f %10.3f %8.1f\n", shapes[i].what, n, a, b, a > 0 ? b / a : 0.0);
	}
	return 0;
}
