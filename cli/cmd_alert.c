/* cmd_alert.c - sa alert show|ack|close: the lifecycle of alert records kept in a JSON-lines
 * file (what `sa monitor --format json` writes; docs/monitoring.md "Alert records"). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Replace path with text: a temporary file in the same folder, synced, then renamed, so a
 * crash leaves either the old file or the new one, never half of one. */
static int replace_file(const char *path, const char *text)
{
	size_t n = strlen(path) + 16, len = strlen(text);
	char *tmp = malloc(n);
	int fd, rc = -1;
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) >= 0) {
		if (write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 && close(fd) == 0) {
			fd = -1;
			rc = rename(tmp, path);
		}
		if (fd >= 0)
			close(fd);
		if (rc < 0)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

typedef struct {
	const char *file, *at, *by, *outcome;
} alert_opts;

static int own(int c, const char *arg, void *ud)
{
	alert_opts *x = ud;
	switch (c) {
	case OPT_FILE: x->file = arg; return 0;
	case OPT_AT: x->at = arg; return 0;
	case OPT_BY: x->by = arg; return 0;
	case OPT_OUTCOME: x->outcome = arg; return 0;
	default: return 1;
	}
}

int cmd_alert(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "file", required_argument, NULL, OPT_FILE },
		{ "at", required_argument, NULL, OPT_AT },
		{ "by", required_argument, NULL, OPT_BY },
		{ "outcome", required_argument, NULL, OPT_OUTCOME },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	alert_opts x = { 0 };
	const char *file, *at, *by, *outcome, *format, *sub, *name, *id;
	sa_date today;
	sa_alerts *a = NULL;
	char *text = NULL, *out = NULL, now[32];
	size_t len = 0;
	int fd = -1, lockfd = -1, rc = 1, first, status = 0;
	bool change;

	if ((first = cli_parse(argc, argv, longopts, &o, own, &x, &status)) < 0)
		return status;
	sub = first < argc ? argv[first++] : "";
	change = strcmp(sub, "ack") == 0 || strcmp(sub, "close") == 0;
	if (!*sub)
		return cli_usage_error(argv[0], NULL);
	if (!change && strcmp(sub, "show") != 0)
		return cli_usage_error(argv[0], "unknown subcommand '%s'", sub);
	if (!x.file)
		return cli_usage_error(argv[0], "--file is required");
	if (change && first + 1 != argc)
		return cli_usage_error(argv[0], "give one alert ID");
	if (!change && first != argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[first]);
	if (strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0)
		return cli_usage_error(argv[0], "--format takes %s, not '%s'", "text|json", o.format);
	if (change && strcmp(x.file, "-") == 0)
		return cli_usage_error(argv[0], "alert %s rewrites --file: give a file, not '-'", sub);
	file = x.file;
	name = cli_input_name(file);
	at = x.at;
	by = x.by;
	outcome = x.outcome;
	format = o.format;
	today = o.date;
	id = change ? argv[first] : NULL;
	if (!at) {
		sa_date d = cli_today();
		sa_date_format(now, sizeof now, d);
		at = now;
	}
	if (!today)
		today = cli_today();
	/* Writers lock FILE.lock, not FILE: the rename below replaces FILE's inode, and a lock
	 * held on the old inode would not stop a second writer from reading stale records. */
	if (change) {
		size_t n = strlen(file) + 6;
		char *lp = malloc(n);
		if (lp)
			snprintf(lp, n, "%s.lock", file);
		lockfd = lp ? open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
		free(lp);
		if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
			fprintf(stderr, "%s: %s.lock: %s\n", cli_prog, file, strerror(errno));
			goto done;
		}
	}
	fd = strcmp(file, "-") == 0 ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !(text = cli_read_fd(fd, &len))) {
		cli_fail(1, "cannot read %s: %s", name, strerror(errno));
		goto done;
	}
	if (sa_alerts_parse(&a, text, len, name) < 0) {
		cli_error(name);
		goto done;
	}
	if (change) {
		int k = sub[0] == 'a' ? sa_alert_acknowledge(a, id, at, by)
		                      : sa_alert_close(a, id, at, outcome);
		if (k < 0) {
			cli_error(id);
			goto done;
		}
		if (sa_alerts_to_json(&out, a, 0) < 0 || replace_file(file, out) < 0) {
			fprintf(stderr, "%s: %s: %s\n", cli_prog, file, strerror(errno));
			goto done;
		}
		rc = 0;
		goto done;
	}
	/* show: recompute overdue for today, the records themselves unchanged */
	if (strcmp(format, "json") == 0) {
		if (sa_alerts_to_json(&out, a, 0) < 0)
			goto done;
		fputs(out, stdout);
	} else {
		if (sa_alerts_to_text(&out, a) < 0)
			goto done;
		fputs(out, stdout);
		for (size_t i = 0; i < sa_alerts_count(a); i++)
			if (sa_alert_overdue(a, i, today))
				printf("逾期 overdue on %d: %s %s\n", (int)today, sa_alert_field(a, i, "id"),
				       sa_alert_field(a, i, "rule"));
	}
	rc = 0;
done:
	sa_free(out);
	free(text);
	sa_alerts_free(a);
	if (fd > STDIN_FILENO)
		close(fd);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
