/* fuzz_screen.c - libFuzzer: the registry readers of sa screen (JSON lines and CSV), through
 * sa_screen_run on one thread with the national pack. The first byte picks the format. Every
 * record the run hands back must be valid JSON (issue 12 #8: text that is not UTF-8 or that
 * holds NUL is refused, never copied into the output). */
#include "fuzz_common.h"

#include <cjson/cJSON.h>
#include <stdint.h>

static int on_record(void *ud, uint64_t line, const char *id, const char *json, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	(void)ud;
	(void)line;
	if (!j || !id || !fuzz_utf8(json, len) || strlen(json) != len)
		abort(); /* a decision that is not JSON, or not UTF-8 */
	cJSON_Delete(j);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_screen_options so;
	sa_screen_summary *sum = NULL;
	if (size < 1 || sa_screen_summary_new(&sum) != 0)
		return 0;
	eo.pack_path = fuzz_pack_path();
	eo.instruction_limit = 2000000;
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = "cn";
	so.engine = &eo;
	so.as_of = 20250801;
	so.jobs = 1;
	so.format = data[0] & 1 ? SA_SCREEN_CSV : SA_SCREEN_JSONL;
	so.on_record = on_record;
	(void)sa_screen_run(sum, &so, (const char *)data + 1, size - 1, "fuzz");
	sa_screen_summary_free(sum);
	return 0;
}
