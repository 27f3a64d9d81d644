/* cmd_monitor.c - sa monitor: warnings from an events file (docs/monitoring.md). */
#include "cli.h"

#include <string.h>

int cmd_monitor(int argc, char **argv)
{
	const char *pack = NULL, *format = "text", *pack_path = NULL, *file = NULL;
	sa_date date = 0;
	sa_engine *e;
	sa_alerts *a;
	char *out;
	int rc;

	for (int i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, &format, &date);
		if (k < 0)
			return 1;
		if (k > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s monitor: unknown option '%s'\n", cli_prog, argv[i]);
			cli_usage(stderr);
			return 2;
		} else if (!file)
			file = argv[i];
		else {
			cli_usage(stderr);
			return 2;
		}
	}
	if (!pack || !file || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cli_usage(stderr);
		return 2;
	}
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(pack_path, pack)))
		return 1;
	if (sa_monitor_read_file(&a, e, file, date) < 0) {
		cli_error(file);
		sa_engine_free(e);
		return 1;
	}
	rc = strcmp(format, "json") == 0 ? sa_alerts_to_json(&out, a, 0) : sa_alerts_to_text(&out, a);
	if (rc == 0) {
		fputs(out, stdout);
		sa_free(out);
	} else {
		cli_error("output");
	}
	sa_alerts_free(a);
	sa_engine_free(e);
	return rc == 0 ? 0 : 1;
}
