/* cmd_explain.c - sa explain: each decision in words, or as a printable HTML page
 * (docs/explain.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_explain(int argc, char **argv)
{
	const char *pack = NULL, *pack_path = NULL, *format = "text", *file = NULL, *lang = "zh", *out_path = NULL;
	const char *only = NULL;
	sa_explain_options eo = SA_EXPLAIN_OPTIONS_INIT;
	sa_date date = 0;
	sa_engine *e = NULL;
	sa_household **hh = NULL;
	size_t n = 0;
	FILE *out = stdout;
	int status = 1;

	for (int i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, &format, &date);
		if (k < 0)
			return 1;
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out_path = argv[++i];
		else if (strcmp(argv[i], "--household") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s explain: unknown option '%s'\n", cli_prog, argv[i]);
			return 2;
		} else if (!file)
			file = argv[i];
		else {
			cli_usage(stderr);
			return 2;
		}
	}
	if (!pack || !file || (strcmp(format, "text") && strcmp(format, "html")) ||
	    (strcmp(lang, "zh") && strcmp(lang, "en") && strcmp(lang, "both"))) {
		cli_usage(stderr);
		return 2;
	}
	eo.format = strcmp(format, "html") == 0 ? SA_EXPLAIN_HTML : SA_EXPLAIN_TEXT;
	eo.lang = strcmp(lang, "en") == 0 ? SA_LANG_EN : strcmp(lang, "both") == 0 ? SA_LANG_BOTH : SA_LANG_ZH;
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(pack_path, pack)))
		return 1;
	if (sa_household_read_file(&hh, &n, file) < 0) {
		cli_error(file);
		goto done;
	}
	if (only) { /* keep the one household asked for */
		size_t keep = n;
		for (size_t k = 0; k < n; k++)
			if (sa_household_id(hh[k]) && strcmp(sa_household_id(hh[k]), only) == 0)
				keep = k;
		if (keep == n) {
			fprintf(stderr, "%s explain: %s has no household '%s'\n", cli_prog, file, only);
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
		fprintf(stderr, "%s explain: an HTML page is for one household; %s holds %zu\n", cli_prog, file, n);
		goto done;
	}
	status = 0;
	for (size_t k = 0; k < (only ? 1 : n); k++) {
		char *text;
		if (sa_explain(&text, e, hh[k], date, &eo) < 0) {
			cli_error(file);
			status = 1;
			continue;
		}
		if (out_path && out == stdout && !(out = fopen(out_path, "w"))) {
			fprintf(stderr, "%s explain: cannot write %s\n", cli_prog, out_path);
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
