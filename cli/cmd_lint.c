/* cmd_lint.c - sa lint: check policy packs (docs/pack-tools.md). */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	int quiet;
} lint_opts;

static int report(const sa_lint_finding *f, void *payload)
{
	lint_opts *o = payload;
	const char *sev = f->severity == SA_LINT_ERROR ? (cli_english ? "error" : "错误 error")
	                                               : (cli_english ? "warning" : "警告 warning");
	char msg[4200];
	if (o->quiet && f->severity != SA_LINT_ERROR)
		return 0;
	cli_text(msg, sizeof msg, f->message);
	if (f->file && f->line)
		printf("%s:%d:%d: %s: %s [%s]\n", f->file, f->line, f->column ? f->column : 1, sev, msg, f->code);
	else if (f->file)
		printf("%s: %s: %s [%s]\n", f->file, sev, msg, f->code);
	else
		printf("%s: %s: %s [%s]\n", f->pack, sev, msg, f->code);
	return 0;
}

static int own(int c, const char *arg, void *ud)
{
	(void)arg;
	if (c != 'q')
		return 1;
	((lint_opts *)ud)->quiet = 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every directory named cn* in every directory of the path, once. */
static int list_packs(char ***out, const char *path)
{
	char **v = NULL;
	int n = 0, cap = 0;
	const char *p = path;
	while (*p) {
		size_t len = strcspn(p, ":");
		char dir[4096];
		DIR *d;
		struct dirent *de;
		snprintf(dir, sizeof dir, "%.*s", (int)len, p);
		if ((d = opendir(dir))) {
			while ((de = readdir(d))) {
				char full[8200];
				struct stat st;
				int dup = 0;
				if (strncmp(de->d_name, "cn", 2) != 0)
					continue;
				snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
				if (stat(full, &st) != 0 || !S_ISDIR(st.st_mode))
					continue;
				for (int i = 0; i < n && !dup; i++)
					dup = strcmp(v[i], de->d_name) == 0;
				if (dup)
					continue;
				if (n == cap) {
					char **g = realloc(v, (size_t)(cap = cap ? cap * 2 : 32) * sizeof *g);
					if (!g)
						break;
					v = g;
				}
				v[n++] = strdup(de->d_name);
			}
			closedir(d);
		}
		p += len;
		if (*p == ':')
			p++;
	}
	if (n)
		qsort(v, (size_t)n, sizeof *v, cmp_str);
	*out = v;
	return n;
}

/* The service catalog of a pack that otherwise lints clean: loaded as sa eval would load it
 * (every key, type, amount and reference of services.yaml along the chain, with "did you
 * mean" for a misspelt key), so a catalog that lint passes never fails an evaluation. */
static int lint_services(const char *pack_path, const char *pack, sa_lint_counts *counts)
{
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e = NULL;
	const sa_catalog *c;
	int rc = 0;
	eo.pack_path = pack_path;
	if (sa_engine_new(&e, &eo) < 0)
		return 0;
	if (sa_engine_load(e, pack) == 0 && sa_engine_catalog(&c, e) < 0 && sa_error_last()->code != SA_ENOTFOUND) {
		const sa_error *err = sa_error_last();
		if (err->source && err->line)
			printf("%s:%d:%d: error: %s [services]\n", err->source, err->line, err->column ? err->column : 1,
			       err->message);
		else
			printf("%s: error: %s [services]\n", err->source ? err->source : pack, err->message);
		counts->errors++;
		rc = -1;
	}
	sa_engine_free(e);
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "quiet", no_argument, NULL, 'q' },
		{ 0, 0, 0, 0 }
	};
	const char *pack_path;
	cli_opts co = { 0 };
	lint_opts o = { 0 };
	sa_lint_counts counts = { 0, 0 };
	char **packs = NULL;
	int npacks = 0, status = 0, listed = 0, first;

	if ((first = cli_parse(argc, argv, longopts, &co, own, &o, &status)) < 0)
		return status;
	pack_path = co.pack_path;
	for (int i = first; i < argc; i++) {
		char **g = realloc(packs, (size_t)(npacks + 1) * sizeof *g);
		if (!g)
			return 1;
		packs = g;
		packs[npacks++] = strdup(argv[i]);
	}
	pack_path = sa_pack_path_resolve(pack_path);
	if (npacks == 0) {
		npacks = list_packs(&packs, pack_path);
		listed = 1;
		if (npacks == 0) {
			return cli_fail(1, "no packs in %s", pack_path);
		}
	}
	for (int i = 0; i < npacks; i++) {
		size_t before = counts.errors;
		if (sa_lint(&counts, pack_path, packs[i], report, &o) < 0) {
			cli_error(packs[i]);
			status = 1;
		} else if (counts.errors > before)
			status = 1;
		else if (lint_services(pack_path, packs[i], &counts) < 0)
			status = 1;
		free(packs[i]);
	}
	free(packs);
	if (!cli_english)
		printf("%d 个政策包：%zu 个错误，%zu 个警告 / ", npacks, counts.errors, counts.warnings);
	printf("%d pack%s%s: %zu error%s, %zu warning%s\n", npacks, npacks == 1 ? "" : "s", listed ? " on the path" : "",
	       counts.errors, counts.errors == 1 ? "" : "s", counts.warnings, counts.warnings == 1 ? "" : "s");
	return status;
}
