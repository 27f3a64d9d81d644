/* cmd_replay.c - sa replay LOG --archive DIR (docs/audit.md). */
#include "cli.h"

#include <string.h>

int cmd_replay(int argc, char **argv)
{
	const char *log = NULL, *dir = NULL;
	char *report = NULL;
	size_t differ = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--archive") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] == '-' || log) {
			cli_usage(stderr);
			return 2;
		} else
			log = argv[i];
	}
	if (!log || !dir) {
		cli_usage(stderr);
		return 2;
	}
	if (sa_replay(&report, &differ, log, dir) < 0)
		return cli_error(log);
	fputs(report, stdout);
	sa_free(report);
	return differ ? 1 : 0;
}
