/* cmd_log.c - sa log verify: check a decision log's records and chain (docs/audit.md). */
#include "cli.h"

#include <string.h>
#include <unistd.h>

int cmd_log(int argc, char **argv)
{
	const char *key = NULL;
	const char *files[256];
	size_t n = 0;
	char *report = NULL;
	sa_log_report counts;
	int rc;
	if (argc < 1 || strcmp(argv[0], "verify") != 0) {
		cli_usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s log verify: unknown option '%s'\n", cli_prog, argv[i]);
			return 2;
		} else if (n < sizeof files / sizeof *files)
			files[n++] = argv[i];
	}
	if (!n) {
		cli_usage(stderr);
		return 2;
	}
	/* one file with rotated predecessors (FILE.1, FILE.2, ...): verify the whole chain */
	if (n == 1) {
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
			fprintf(stderr, "%s log verify: %s with its %zu rotated file%s before it (%s.1 ...)\n", cli_prog,
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
