/* cmd_replay.c - sa replay LOG --archive DIR (docs/audit.md). */
#include "cli.h"

#include <string.h>

static int own(int c, const char *arg, void *ud)
{
	if (c != OPT_ARCHIVE)
		return 1;
	*(const char **)ud = arg;
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "archive", required_argument, NULL, OPT_ARCHIVE },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { 0 };
	const char *dir = NULL, *log;
	char *report = NULL;
	size_t differ = 0;
	int first, status = 0;

	if ((first = cli_parse(argc, argv, longopts, &o, own, &dir, &status)) < 0)
		return status;
	if (first + 1 != argc)
		return cli_usage_error(argv[0], "give one LOG file ('-': standard input)");
	if (!dir)
		return cli_usage_error(argv[0], "--archive DIR is required");
	log = cli_path(argv[first]);
	if (sa_replay(&report, &differ, log, dir) < 0)
		return cli_error(log);
	fputs(report, stdout);
	sa_free(report);
	return differ ? 1 : 0;
}
