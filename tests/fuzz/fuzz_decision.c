/* fuzz_decision.c - libFuzzer: decision -> JSON round trip. The input is a household
 * (YAML/JSON); the pack tests/fuzz/echo/cn copies its text (ids, region) into every text
 * field of the decision. The JSON must parse, be UTF-8, and give back exactly the household
 * id, the member ids and the amounts of the decision. */
#include "fuzz_common.h"

#include <cjson/cJSON.h>
#include <stdint.h>

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sa_engine *e;
	sa_household **hs = NULL;
	size_t n = 0;
	if (!e) {
		static char path[4096];
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		snprintf(path, sizeof path, "%s/tests/fuzz/echo", fuzz_src());
		o.pack_path = path;
		if (sa_engine_new(&e, &o) != 0 || sa_engine_load(e, "cn") != 0)
			abort();
	}
	if (sa_household_parse(&hs, &n, (const char *)data, size, "fuzz") != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		sa_decision *d = NULL;
		char *json = NULL;
		cJSON *j, *progs, *p0, *members;
		sa_fen amount = 0;
		if (sa_evaluate(&d, e, hs[i], 20250801) != 0)
			continue;
		for (unsigned flags = 0; flags <= 1; flags++) { /* plain and pretty */
			check(sa_decision_to_json(&json, d, flags ? SA_JSON_PRETTY : 0) == 0);
			check(fuzz_utf8(json, strlen(json)));
			check((j = cJSON_Parse(json)) != NULL);
			check(cJSON_IsString(cJSON_GetObjectItem(j, "household")) &&
			      strcmp(cJSON_GetObjectItem(j, "household")->valuestring, sa_household_id(hs[i])) == 0);
			progs = cJSON_GetObjectItem(j, "programs");
			check(cJSON_GetArraySize(progs) == (int)sa_decision_program_count(d));
			p0 = cJSON_GetArrayItem(progs, 0);
			check(sa_decision_program_amount(&amount, d, 0) == 0);
			check(cJSON_IsNumber(cJSON_GetObjectItem(p0, "amount_fen")) &&
			      (sa_fen)cJSON_GetObjectItem(p0, "amount_fen")->valuedouble == amount);
			members = cJSON_GetObjectItem(p0, "members");
			check(cJSON_GetArraySize(members) == (int)sa_decision_program_member_count(d, 0));
			for (int k = 0; k < cJSON_GetArraySize(members); k++)
				check(strcmp(cJSON_GetArrayItem(members, k)->valuestring, sa_decision_program_member(d, 0, (size_t)k)) == 0);
			cJSON_Delete(j);
			sa_free(json);
		}
		sa_decision_free(d);
	}
	sa_household_array_free(hs, n);
	return 0;
}
