/* cmd_test.c - sa test: run the packs' golden tests. */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	int verbose;
} test_opts;

static void report(const char *pack, const char *file, const char *name, int ok, const char *detail, void *payload)
{
	test_opts *t = payload;
	if (!ok)
		printf("FAIL %s %s: %s\n     %s\n", pack, file, name, detail);
	else if (t->verbose)
		printf("ok   %s: %s\n", pack, name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_test(int argc, char **argv)
{
	const char *pack_path = NULL;
	sa_test_counts counts = { 0, 0 };
	test_opts t = { 0 };
	char *packs[512];
	int npacks = 0, status = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--pack-path") == 0 && i + 1 < argc)
			pack_path = argv[++i];
		else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
			t.verbose = 1;
		else if (argv[i][0] == '-') {
			cli_usage(stderr);
			return 2;
		} else if (npacks < 512)
			packs[npacks++] = strdup(argv[i]);
	}
	if (npacks == 0) {
		const char *dir = sa_pack_path_resolve(pack_path);
		char first[4096];
		DIR *d;
		struct dirent *de;
		snprintf(first, sizeof first, "%.*s", (int)strcspn(dir, ":"), dir);
		if (!(d = opendir(first))) {
			fprintf(stderr, "%s test: cannot read %s\n", cli_prog, first);
			return 1;
		}
		while ((de = readdir(d)) && npacks < 512)
			if (strncmp(de->d_name, "cn", 2) == 0)
				packs[npacks++] = strdup(de->d_name);
		closedir(d);
		qsort(packs, (size_t)npacks, sizeof *packs, cmp_str);
	}
	for (int i = 0; i < npacks; i++) {
		if (sa_pack_test(&counts, pack_path, packs[i], report, &t) < 0) {
			cli_error(packs[i]);
			counts.failed++;
			status = 1;
		}
		free(packs[i]);
	}
	printf("%zu passed, %zu failed\n", counts.passed, counts.failed);
	return status || counts.failed ? 1 : 0;
}

