/* fuzz_pack.c - libFuzzer: pack.yaml and services.yaml of a pack. The input is written as
 * <tmp>/cn/pack.yaml (first byte even) or <tmp>/cn/services.yaml (odd) of a copy of the
 * hostile baseline pack, which is then loaded by an engine, with its service catalog. */
#include "fuzz_common.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const void *data, size_t size)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof path, "%s/cn/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
}

static const char pack_yaml[] = "id: cn\ntitle: fuzz\nregion: \"000000\"\nversion: \"1\"\n";
static const char rules[] =
	"function rules.evaluate(h, ctx)\n  return { tier = \"dibao\", circle = 1, programs = {\n"
	"    { program = \"dibao\", status = \"eligible\", amount = 100, members = { h.members[1].id } } } }\nend\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	if (!dir[0]) {
		char sub[128];
		snprintf(dir, sizeof dir, "/tmp/sa_fuzz_pack_XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(sub, sizeof sub, "%s/cn", dir);
		mkdir(sub, 0700);
		snprintf(sub, sizeof sub, "%s/cn/rules", dir);
		mkdir(sub, 0700);
		put("rules/a.lua", rules, sizeof rules - 1);
	}
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		put("pack.yaml", pack_yaml, sizeof pack_yaml - 1);
		put("services.yaml", data + 1, size - 1);
	} else {
		char path[256];
		snprintf(path, sizeof path, "%s/cn/services.yaml", dir);
		unlink(path);
		put("pack.yaml", data + 1, size - 1);
	}
	o.pack_path = dir;
	if (sa_engine_new(&e, &o) != 0)
		return 0;
	if (sa_engine_load(e, "cn") == 0) {
		const sa_catalog *c;
		if (sa_engine_catalog(&c, e) == 0) {
			char *json = NULL;
			if (sa_catalog_to_json(&json, c) == 0)
				sa_free(json);
		}
	}
	sa_engine_free(e);
	return 0;
}
