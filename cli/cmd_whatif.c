/* cmd_whatif.c - sa whatif: a household with fields changed, against the original, or a
 * table along one field's values (docs/explain.md "What-if"). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_whatif(int argc, char **argv)
{
	const char *pack = NULL, *pack_path = NULL, *format = "text", *file = NULL, *vary = NULL;
	const char **sets = calloc((size_t)argc + 1, sizeof *sets);
	size_t nsets = 0;
	sa_date date = 0;
	sa_engine *e = NULL;
	sa_household **hh = NULL;
	size_t n = 0;
	char *out = NULL;
	int status = 1, rc;

	if (!sets)
		return 1;
	for (int i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, &format, &date);
		if (k < 0)
			goto done;
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
			sets[nsets++] = argv[++i];
		else if (strcmp(argv[i], "--vary") == 0 && i + 1 < argc)
			vary = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s whatif: unknown option '%s'\n", cli_prog, argv[i]);
			status = 2;
			goto done;
		} else if (!file)
			file = argv[i];
		else {
			status = 2;
			goto done;
		}
	}
	if (!pack || !file || (!nsets && !vary) || (strcmp(format, "text") && strcmp(format, "json"))) {
		cli_usage(stderr);
		status = 2;
		goto done;
	}
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(pack_path, pack)))
		goto done;
	if (sa_household_read_file(&hh, &n, file) < 0) {
		cli_error(file);
		goto done;
	}
	if (n != 1) {
		fprintf(stderr, "%s whatif: %s holds %zu households; give a file with one\n", cli_prog, file, n);
		goto done;
	}
	if (vary) {
		/* PATH=FROM:TO:STEP */
		char *spec = strdup(vary), *eq = spec ? strchr(spec, '=') : NULL, *f, *t, *s;
		if (!eq || !(f = eq + 1) || !(t = strchr(f, ':')) || !(s = strchr(t + 1, ':'))) {
			fprintf(stderr, "%s whatif: --vary takes PATH=FROM:TO:STEP, not '%s'\n", cli_prog, vary);
			free(spec);
			status = 2;
			goto done;
		}
		*eq = 0;
		*t++ = 0;
		*s++ = 0;
		rc = sa_whatif_vary(&out, e, hh[0], date, sets, nsets, spec, f, t, s,
		                    strcmp(format, "json") == 0 ? SA_WHATIF_JSON : SA_WHATIF_TEXT);
		free(spec);
	} else {
		rc = sa_whatif(&out, e, hh[0], date, sets, nsets, strcmp(format, "json") == 0 ? SA_WHATIF_JSON : SA_WHATIF_TEXT);
	}
	if (rc < 0) {
		cli_error(file);
		goto done;
	}
	fputs(out, stdout);
	status = 0;
done:
	sa_free(out);
	sa_household_array_free(hh, n);
	sa_engine_free(e);
	free(sets);
	return status;
}
