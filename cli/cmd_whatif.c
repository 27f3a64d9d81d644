/* cmd_whatif.c - sa whatif: a household with fields changed, against the original, or a
 * table along one field's values (docs/explain.md "What-if"). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const char **sets;
	size_t nsets;
	const char *vary;
} whatif_opts;

static int own(int c, const char *arg, void *ud)
{
	whatif_opts *w = ud;
	if (c == OPT_SET)
		w->sets[w->nsets++] = arg;
	else if (c == OPT_VARY)
		w->vary = arg;
	else
		return 1;
	return 0;
}

int cmd_whatif(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "set", required_argument, NULL, OPT_SET },
		{ "vary", required_argument, NULL, OPT_VARY },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	whatif_opts w = { .sets = calloc((size_t)argc + 1, sizeof *w.sets) };
	const char *file, *name, **sets, *vary;
	size_t nsets, len;
	sa_date date;
	sa_engine *e = NULL;
	sa_household **hh = NULL;
	size_t n = 0;
	char *out = NULL, *text;
	int status = 1, rc, first;

	if (!w.sets)
		return 1;
	if ((first = cli_parse(argc, argv, longopts, &o, own, &w, &status)) < 0)
		goto done;
	status = 2;
	if (!o.pack) {
		cli_usage_error(argv[0], "--pack is required");
		goto done;
	}
	if (!w.nsets && !w.vary) {
		cli_usage_error(argv[0], "give --set PATH=VALUE or --vary PATH=FROM:TO:STEP");
		goto done;
	}
	if (first + 1 != argc) {
		cli_usage_error(argv[0], "give one household FILE ('-': standard input)");
		goto done;
	}
	if (strcmp(o.format, "text") && strcmp(o.format, "json")) {
		cli_usage_error(argv[0], "--format takes %s, not '%s'", "text|json", o.format);
		goto done;
	}
	status = 1;
	sets = w.sets;
	nsets = w.nsets;
	vary = w.vary;
	file = argv[first];
	name = cli_input_name(file);
	date = o.date ? o.date : cli_today();
	if (!(e = cli_open_engine(o.pack_path, o.pack)))
		goto done;
	if (!(text = cli_slurp(file, &len)))
		goto done;
	rc = sa_household_parse(&hh, &n, text, len, name);
	free(text);
	if (rc < 0) {
		cli_error(name);
		goto done;
	}
	if (n != 1) {
		cli_fail(1, "%s holds %zu households; give a file with one", name, n);
		goto done;
	}
	if (vary) {
		/* PATH=FROM:TO:STEP */
		char *spec = strdup(vary), *eq = spec ? strchr(spec, '=') : NULL, *f, *t, *s;
		if (!eq || !(f = eq + 1) || !(t = strchr(f, ':')) || !(s = strchr(t + 1, ':'))) {
			cli_fail(2, "--vary takes PATH=FROM:TO:STEP, not '%s'", vary);
			free(spec);
			status = 2;
			goto done;
		}
		*eq = 0;
		*t++ = 0;
		*s++ = 0;
		rc = sa_whatif_vary(&out, e, hh[0], date, sets, nsets, spec, f, t, s,
		                    strcmp(o.format, "json") == 0 ? SA_WHATIF_JSON : SA_WHATIF_TEXT);
		free(spec);
	} else {
		rc = sa_whatif(&out, e, hh[0], date, sets, nsets, strcmp(o.format, "json") == 0 ? SA_WHATIF_JSON : SA_WHATIF_TEXT);
	}
	if (rc < 0) {
		cli_error(name);
		goto done;
	}
	fputs(out, stdout);
	status = 0;
done:
	sa_free(out);
	sa_household_array_free(hh, n);
	sa_engine_free(e);
	free(w.sets);
	return status;
}
