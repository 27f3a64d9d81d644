/* fuzz_params.c - libFuzzer: the pack and parameter reader. The input is written as
 * <tmp>/cn/params.yaml next to a fixed pack.yaml and loaded (sa__policy_load). */
#include "core/internal.h"
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const void *data, size_t size)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof path, "%s/cn/%s", dir, name);
	if ((f = fopen(path, "wb"))) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sa_policy *pol;
	if (!dir[0]) {
		char sub[128];
		snprintf(dir, sizeof dir, "/tmp/sa_fuzz_params_XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(sub, sizeof sub, "%s/cn", dir);
		mkdir(sub, 0700);
		put("pack.yaml", "id: cn\ntitle: fuzz\nversion: \"1\"\n", 32);
	}
	put("params.yaml", data, size);
	if (sa__policy_load(&pol, dir, "cn") == 0) {
		for (size_t i = 0; i < pol->nparams; i++)
			(void)sa__peff_at(pol, &pol->params[i], 20250801, NULL);
		sa__policy_release(pol);
	}
	return 0;
}
