/* fuzz_policy.c - libFuzzer: policy loading plus evaluation. The input is a rule file of a
 * child pack cn-x over the hostile-test baseline; it is loaded exactly as in production
 * (sandbox, 16 MiB, 200,000 instructions, 500 ms) and evaluates two households. Oracle: no
 * crash or sanitizer report; the engine answers with a decision or an error code. */
#include <sa.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], path[4200];
static sa_household *hh[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char file[256];
	FILE *f;
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	if (!dir[0]) {
		const char *base = getenv("SA_FUZZ_BASE"); /* tests/data/hostile/base */
		snprintf(dir, sizeof dir, "/tmp/sa_fuzz_policy_XXXXXX");
		if (!mkdtemp(dir) || !base)
			abort();
		snprintf(file, sizeof file, "%s/cn-x", dir);
		mkdir(file, 0700);
		snprintf(file, sizeof file, "%s/cn-x/rules", dir);
		mkdir(file, 0700);
		snprintf(file, sizeof file, "%s/cn-x/pack.yaml", dir);
		if (!(f = fopen(file, "w")))
			abort();
		fputs("id: cn-x\ntitle: fuzz\nextends: cn\nversion: \"1\"\n", f);
		fclose(f);
		snprintf(path, sizeof path, "%s:%s", dir, base);
		sa_household_new(&hh[0], "a", "530102", "urban");
		sa_household_add_member(NULL, hh[0], "m1", "head", "1960-01-01");
		sa_household_new(&hh[1], "b", "530102", "rural");
		sa_household_add_member(NULL, hh[1], "m1", "head", "1990-01-01");
		sa_household_add_member(NULL, hh[1], "m2", "child", "2015-01-01");
	}
	snprintf(file, sizeof file, "%s/cn-x/rules/fuzz.lua", dir);
	if (!(f = fopen(file, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	o.pack_path = path;
	o.memory_limit = 16u << 20;
	o.instruction_limit = 200000;
	o.time_limit_ms = 500;
	if (sa_engine_new(&e, &o) != 0)
		return 0;
	if (sa_engine_load(e, "cn-x") == 0)
		for (int i = 0; i < 4; i++) {
			sa_decision *d;
			if (sa_evaluate(&d, e, hh[i % 2], 20250801) == 0) {
				char *json;
				if (sa_decision_to_json(&json, d, 0) == 0)
					sa_free(json);
				sa_decision_free(d);
			}
		}
	sa_engine_free(e);
	return 0;
}
