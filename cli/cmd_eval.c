/* cmd_eval.c - sa eval: evaluate households and print decisions. */
#include "cli.h"

#include <string.h>

int cmd_eval(int argc, char **argv)
{
	const char *pack = NULL, *format = "text", *pack_path = NULL;
	sa_date date = 0;
	sa_engine *e;
	int i, status = 0, nfiles = 0;

	for (i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, &format, &date);
		if (k < 0)
			return 1;
		if (k > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s eval: unknown option '%s'\n", cli_prog, argv[i]);
			cli_usage(stderr);
			return 2;
		} else
			nfiles++;
	}
	if (!pack || nfiles == 0 || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cli_usage(stderr);
		return 2;
	}
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(pack_path, pack)))
		return 1;
	for (i = 0; i < argc; i++) {
		sa_household **hh;
		size_t n;
		if (argv[i][0] == '-' && argv[i][1]) {
			i++;
			continue;
		}
		if (sa_household_read_file(&hh, &n, argv[i]) < 0) {
			cli_error(argv[i]);
			status = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			sa_decision *d;
			char *out;
			if (sa_evaluate(&d, e, hh[k], date) < 0) {
				cli_error(argv[i]);
				status = 1;
				continue;
			}
			if ((strcmp(format, "json") == 0 ? sa_decision_to_json(&out, d, SA_JSON_PRETTY)
			                                 : sa_decision_to_text(&out, d)) == 0) {
				fputs(out, stdout);
				fputs("\n", stdout);
				sa_free(out);
			} else {
				cli_error("output");
				status = 1;
			}
			sa_decision_free(d);
		}
		sa_household_array_free(hh, n);
	}
	sa_engine_free(e);
	return status;
}

