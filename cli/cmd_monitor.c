/* cmd_monitor.c - sa monitor: warnings from an events file (docs/monitoring.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_monitor(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	sa_engine *e;
	sa_alerts *a;
	char *out, *text;
	const char *file, *name;
	size_t len;
	int rc, first, status = 0;

	if ((first = cli_parse(argc, argv, longopts, &o, NULL, NULL, &status)) < 0)
		return status;
	if (!o.pack || first != argc - 1 || (strcmp(o.format, "json") != 0 && strcmp(o.format, "text") != 0)) {
		cli_command_usage(stderr, argv[0]);
		return 2;
	}
	file = argv[first];
	name = strcmp(file, "-") == 0 ? "<stdin>" : file;
	if (!o.date)
		o.date = cli_today();
	if (!(text = cli_slurp(file, &len)))
		return 1;
	if (!(e = cli_open_engine(o.pack_path, o.pack))) {
		free(text);
		return 1;
	}
	if (sa_monitor_parse(&a, e, text, len, name, o.date) < 0) {
		free(text);
		cli_error(name);
		sa_engine_free(e);
		return 1;
	}
	free(text);
	rc = strcmp(o.format, "json") == 0 ? sa_alerts_to_json(&out, a, 0) : sa_alerts_to_text(&out, a);
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
