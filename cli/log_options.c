/* log_options.c - the decision-log options shared by sa eval and sa screen (docs/audit.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_log_init(cli_log *l)
{
	memset(l, 0, sizeof *l);
	sa_log_options_init(&l->o, SA_LOG_OPTIONS_VERSION);
}

const char *cli_log_name(int code)
{
	switch (code) {
	case OPT_LOG: return "--log";
	case OPT_LOG_KEY: return "--log-key";
	case OPT_REDACT: return "--redact";
	case OPT_REDACT_SALT: return "--redact-salt";
	case OPT_FSYNC: return "--fsync";
	case OPT_LOG_ROTATE: return "--log-rotate";
	default: return NULL;
	}
}

int cli_log_getopt(cli_log *l, const char *name, const char *value)
{
	char *end;
	if (strcmp(name, "--redact") == 0)
		l->o.redact = 1;
	else if (!value)
		return 1;
	else if (strcmp(name, "--log") == 0)
		l->path = value;
	else if (strcmp(name, "--log-key") == 0)
		l->o.hmac_key_file = cli_path(value);
	else if (strcmp(name, "--redact-salt") == 0)
		l->o.redact_salt_file = cli_path(value);
	else if (strcmp(name, "--log-rotate") == 0) {
		l->o.rotate_bytes = strtoull(value, &end, 10);
		return *end || !*value;
	} else if (strcmp(name, "--fsync") == 0) {
		unsigned long n = strtoul(value, &end, 10);
		if (strcmp(value, "every") == 0)
			l->o.fsync = SA_FSYNC_EVERY;
		else if (strcmp(value, "close") == 0)
			l->o.fsync = SA_FSYNC_CLOSE;
		else if (!*end && *value && n > 0 && n <= 0xffffffffUL) {
			l->o.fsync = SA_FSYNC_EVERY_N;
			l->o.fsync_n = (unsigned)n;
		} else {
			cli_fail(2, "--fsync takes every, close or a number of records");
			return 1;
		}
	} else
		return 1;
	return 0;
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
