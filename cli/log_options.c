/* log_options.c - the decision-log options shared by sa eval and sa screen (docs/audit.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_log_init(cli_log *l)
{
	memset(l, 0, sizeof *l);
	sa_log_options_init(&l->o, SA_LOG_OPTIONS_VERSION);
}

int cli_log_option(int argc, char **argv, int *i, cli_log *l)
{
	const char *opt = argv[*i];
	if (strcmp(opt, "--redact") == 0) {
		l->o.redact = 1;
		return 1;
	}
	if (*i + 1 >= argc)
		return 0;
	if (strcmp(opt, "--log") == 0)
		l->path = argv[++*i];
	else if (strcmp(opt, "--log-key") == 0)
		l->o.hmac_key_file = argv[++*i];
	else if (strcmp(opt, "--redact-salt") == 0)
		l->o.redact_salt_file = argv[++*i];
	else if (strcmp(opt, "--log-rotate") == 0)
		l->o.rotate_bytes = strtoull(argv[++*i], NULL, 10);
	else if (strcmp(opt, "--fsync") == 0) {
		const char *v = argv[++*i];
		if (strcmp(v, "every") == 0)
			l->o.fsync = SA_FSYNC_EVERY;
		else if (strcmp(v, "close") == 0)
			l->o.fsync = SA_FSYNC_CLOSE;
		else if (atoi(v) > 0) {
			l->o.fsync = SA_FSYNC_EVERY_N;
			l->o.fsync_n = (unsigned)atoi(v);
		} else {
			fprintf(stderr, "%s: --fsync takes every, close or a number of records\n", cli_prog);
			return -1;
		}
	} else
		return 0;
	return 1;
}

int cli_log_open(sa_log **out, cli_log *l)
{
	*out = NULL;
	if (!l->path) {
		if (l->o.redact || l->o.hmac_key_file) {
			fprintf(stderr, "%s: --redact and --log-key need --log FILE\n", cli_prog);
			return -1;
		}
		return 0;
	}
	if (sa_log_open(out, l->path, &l->o) < 0) {
		cli_error(l->path);
		return -1;
	}
	return 0;
}

int cli_log_close(sa_log *log)
{
	if (log && sa_log_close(log) < 0)
		return cli_error("log");
	return 0;
}
