/* cmd_log.c - sa log verify: check a decision log's records and chain (docs/audit.md). */
#include "cli.h"

#include <string.h>
#include <unistd.h>

static int own(int c, const char *arg, void *ud)
{
	if (c != OPT_KEY)
		return 1;
	*(const char **)ud = cli_path(arg);
	return 0;
}

int cmd_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "key", required_argument, NULL, OPT_KEY },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { 0 };
	const char *key = NULL;
	const char *files[256];
	size_t n = 0;
	char *report = NULL;
	sa_log_report counts;
	int rc, first, status = 0;

	if ((first = cli_parse(argc, argv, longopts, &o, own, &key, &status)) < 0)
		return status;
	if (first >= argc)
		return cli_usage_error(argv[0], NULL);
	if (strcmp(argv[first], "verify") != 0)
		return cli_usage_error(argv[0], "unknown subcommand '%s'", argv[first]);
	for (int i = first + 1; i < argc; i++) {
		if (n == sizeof files / sizeof *files)
			return cli_usage_error(argv[0], "at most %zu files", sizeof files / sizeof *files);
		files[n++] = cli_path(argv[i]);
	}
	if (!n)
		return cli_usage_error(argv[0], "give the log FILE ('-': standard input)");
	/* one file with rotated predecessors (FILE.1, FILE.2, ...): verify the whole chain */
	if (n == 1 && strcmp(argv[first + 1], "-") != 0) {
		static char names[255][4096];
		size_t r = 0;
		for (; r < 254; r++) {
			snprintf(names[r], sizeof names[r], "%s.%zu", files[0], r + 1);
			if (access(names[r], F_OK) != 0)
				break;
		}
		if (r) {
			snprintf(names[r], sizeof names[r], "%s", files[0]);
			for (size_t k = 0; k <= r; k++)
				files[k] = names[k];
			n = r + 1;
			cli_say(stderr, "%s log verify: %s with its %zu rotated file%s before it (%s.1 ...)", cli_prog,
			        files[n - 1], r, r > 1 ? "s" : "", files[n - 1]);
		}
	}
	rc = sa_log_verify(&report, &counts, files, n, key);
	if (report) {
		fputs(report, rc < 0 ? stderr : stdout);
		sa_free(report);
	} else if (rc < 0) {
		cli_error(files[0]);
	}
	return rc < 0 ? 1 : 0;
}
