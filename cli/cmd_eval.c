/* cmd_eval.c - sa eval: evaluate households and print decisions (optionally logging them). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_eval(int argc, char **argv)
{
	const char *pack = NULL, *format = "text", *pack_path = NULL;
	sa_date date = 0;
	sa_engine *e;
	sa_log *log = NULL;
	cli_log lo;
	int i, status = 0, nfiles = 0;
	char **files = calloc((size_t)argc + 1, sizeof *files);

	if (!files)
		return 1;
	cli_log_init(&lo);
	for (i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, &format, &date);
		if (k == 0)
			k = cli_log_option(argc, argv, &i, &lo);
		if (k < 0) {
			free(files);
			return 1;
		}
		if (k > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s eval: unknown option '%s'\n", cli_prog, argv[i]);
			cli_usage(stderr);
			free(files);
			return 2;
		} else
			files[nfiles++] = argv[i];
	}
	if (!pack || nfiles == 0 || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cli_usage(stderr);
		free(files);
		return 2;
	}
	if (!date)
		date = cli_today();
	/* the log first: an unwritable log fails before anything is evaluated */
	if (cli_log_open(&log, &lo) < 0) {
		free(files);
		return 1;
	}
	if (!(e = cli_open_engine(pack_path, pack))) {
		cli_log_close(log);
		free(files);
		return 1;
	}
	for (i = 0; i < nfiles; i++) {
		sa_household **hh;
		size_t n;
		if (sa_household_read_file(&hh, &n, files[i]) < 0) {
			cli_error(files[i]);
			status = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			sa_decision *d;
			char *out;
			if (sa_evaluate(&d, e, hh[k], date) < 0) {
				cli_error(files[i]);
				status = 1;
				continue;
			}
			/* a decision is shown only once it is in the log */
			if (log && sa_log_append(NULL, log, hh[k], d) < 0) {
				cli_error(lo.path);
				sa_decision_free(d);
				sa_household_array_free(hh, n);
				sa_engine_free(e);
				cli_log_close(log);
				free(files);
				return 1;
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
	if (cli_log_close(log))
		status = 1;
	free(files);
	return status;
}
