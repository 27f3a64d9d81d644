/* cmd_lint.c - sa lint: check policy packs (docs/pack-tools.md). Every finding is printed, up
 * to --max-errors errors in all (default: no limit). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	int quiet;
	size_t max_errors, errors; /* max_errors 0: no limit */
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
	return f->severity == SA_LINT_ERROR && o->max_errors && ++o->errors >= o->max_errors;
}

static int own(int c, const char *arg, void *ud)
{
	lint_opts *o = ud;
	char *end;
	if (c == OPT_MAX_ERRORS) {
		o->max_errors = strtoul(arg, &end, 10);
		return *end || !*arg || o->max_errors == 0;
	}
	if (c != 'q')
		return 1;
	o->quiet = 1;
	return 0;
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
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		{ 0, 0, 0, 0 }
	};
	const char *pack_path;
	cli_opts co = { 0 };
	lint_opts o = { 0 };
	sa_lint_counts counts = { 0, 0 };
	char **packs = NULL;
	size_t npacks = 0;
	int status = 0, listed = 0, first;

	if ((first = cli_parse(argc, argv, longopts, &co, own, &o, &status)) < 0)
		return status;
	pack_path = co.pack_path;
	pack_path = sa_pack_path_resolve(pack_path);
	if (first < argc) {
		packs = argv + first;
		npacks = (size_t)(argc - first);
	} else {
		if (sa_pack_list(&packs, &npacks, pack_path) < 0)
			return cli_error(pack_path);
		listed = 1;
		if (npacks == 0)
			return cli_fail(1, "no packs in %s", pack_path);
	}
	for (size_t i = 0; i < npacks; i++) {
		size_t before = counts.errors;
		if (o.max_errors && o.errors >= o.max_errors) {
			free(packs[i]);
			continue;
		}
		if (sa_lint(&counts, pack_path, packs[i], report, &o) < 0) {
			if (sa_error_last()->code == SA_EUSER)
				cli_say(stdout, "%s: stopped after %d errors (--max-errors)", packs[i], (int)o.errors);
			else
				cli_error(packs[i]);
			status = 1;
		} else if (counts.errors > before)
			status = 1;
		else if (lint_services(pack_path, packs[i], &counts) < 0)
			status = 1;
	}
	if (listed)
		sa_pack_list_free(packs, npacks);
	if (!cli_english)
		printf("%zu 个政策包：%zu 个错误，%zu 个警告 / ", npacks, counts.errors, counts.warnings);
	printf("%zu pack%s%s: %zu error%s, %zu warning%s\n", npacks, npacks == 1 ? "" : "s", listed ? " on the path" : "",
	       counts.errors, counts.errors == 1 ? "" : "s", counts.warnings, counts.warnings == 1 ? "" : "s");
	return status;
}
