/* cmd_explain.c - sa explain: each decision in words, or as a printable HTML page
 * (docs/explain.md). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *lang, *out, *only;
} explain_opts;

static int own(int c, const char *arg, void *ud)
{
	explain_opts *x = ud;
	switch (c) {
	case OPT_EXPLAIN_LANG:
		if (strcmp(arg, "zh") && strcmp(arg, "en") && strcmp(arg, "both"))
			return 1;
		x->lang = arg;
		/* the explanation in English: the command's own messages too */
		cli_english = strcmp(arg, "en") == 0 ? 1 : cli_english;
		return 0;
	case OPT_OUT: x->out = arg; return 0;
	case OPT_HOUSEHOLD: x->only = arg; return 0;
	default: return 1;
	}
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pack-path", required_argument, NULL, OPT_PACK_PATH },
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		/* --lang is the explanation's language here (zh, en or both) */
		{ "lang", required_argument, NULL, OPT_EXPLAIN_LANG },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "household", required_argument, NULL, OPT_HOUSEHOLD },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	explain_opts x = { .lang = "zh" };
	const char *format, *file, *lang, *out_path, *only, *name;
	sa_explain_options eo = SA_EXPLAIN_OPTIONS_INIT;
	sa_date date;
	sa_engine *e = NULL;
	sa_household **hh = NULL;
	size_t n = 0, len;
	char *text;
	FILE *out = stdout;
	int status = 1, first;

	if ((first = cli_parse(argc, argv, longopts, &o, own, &x, &status)) < 0)
		return status;
	if (!o.pack)
		return cli_usage_error(argv[0], "--pack is required");
	if (first + 1 != argc)
		return cli_usage_error(argv[0], "give one household FILE ('-': standard input)");
	if (strcmp(o.format, "text") && strcmp(o.format, "html"))
		return cli_usage_error(argv[0], "--format takes %s, not '%s'", "text|html", o.format);
	format = o.format;
	file = argv[first];
	name = cli_input_name(file);
	lang = x.lang;
	out_path = x.out && strcmp(x.out, "-") ? x.out : NULL;
	only = x.only;
	date = o.date;
	eo.format = strcmp(format, "html") == 0 ? SA_EXPLAIN_HTML : SA_EXPLAIN_TEXT;
	eo.lang = strcmp(lang, "en") == 0 ? SA_LANG_EN : strcmp(lang, "both") == 0 ? SA_LANG_BOTH : SA_LANG_ZH;
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(o.pack_path, o.pack)))
		return 1;
	if (!(text = cli_slurp(file, &len)))
		goto done;
	if (sa_household_parse(&hh, &n, text, len, name) < 0) {
		free(text);
		cli_error(name);
		goto done;
	}
	free(text);
	if (only) { /* keep the one household asked for */
		size_t keep = n;
		for (size_t k = 0; k < n; k++)
			if (sa_household_id(hh[k]) && strcmp(sa_household_id(hh[k]), only) == 0)
				keep = k;
		if (keep == n) {
			cli_fail(1, "%s has no household '%s'", name, only);
			goto done;
		}
		if (keep) {
			sa_household *t = hh[0];
			hh[0] = hh[keep];
			hh[keep] = t;
		}
		for (size_t k = 1; k < n; k++) {
			sa_household_free(hh[k]);
			hh[k] = NULL;
		}
	}
	if (eo.format == SA_EXPLAIN_HTML && n != 1 && !only) {
		cli_fail(1, "an HTML page is for one household; %s holds %zu", name, n);
		goto done;
	}
	status = 0;
	for (size_t k = 0; k < (only ? 1 : n); k++) {
		if (sa_explain(&text, e, hh[k], date, &eo) < 0) {
			cli_error(name);
			status = 1;
			continue;
		}
		if (out_path && out == stdout && !(out = fopen(out_path, "w"))) {
			cli_fail(1, "cannot write %s: %s", out_path, strerror(errno));
			sa_free(text);
			status = 1;
			out = stdout;
			break;
		}
		fputs(text, out);
		if (k + 1 < (only ? 1 : n))
			fputs("\n", out);
		sa_free(text);
	}
	if (out != stdout && fclose(out) != 0)
		status = 1;
done:
	sa_household_array_free(hh, n);
	sa_engine_free(e);
	return status;
}
