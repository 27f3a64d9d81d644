/* cmd_alert.c - sa alert show|ack|close: the lifecycle of alert records kept in a JSON-lines
 * file (what `sa monitor --format json` writes; docs/monitoring.md "Alert records"). */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage_to(FILE *f)
{
	fputs("usage: sa alert show --file ALERTS.jsonl [--date D] [--format text|json]\n"
	      "       sa alert ack --file ALERTS.jsonl ID --by WHO [--at T]\n"
	      "       sa alert close --file ALERTS.jsonl ID --outcome TEXT [--at T]\n"
	      "T: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]; the lifecycle is open → acknowledged → closed\n",
	      f);
	return 2;
}

static int usage(void)
{
	return usage_to(stderr);
}

static char *slurp(int fd, size_t *len)
{
	struct stat st;
	char *s;
	size_t got = 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(s = malloc((size_t)st.st_size + 1)))
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t n = pread(fd, s + got, (size_t)st.st_size - got, (off_t)got);
		if (n <= 0) {
			free(s);
			return NULL;
		}
		got += (size_t)n;
	}
	s[got] = 0;
	*len = got;
	return s;
}

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

int cmd_alert(int argc, char **argv)
{
	static const struct option longopts[] = { { "file", required_argument, 0, 'f' }, { "at", required_argument, 0, 'a' },
		                                  { "by", required_argument, 0, 'b' },   { "outcome", required_argument, 0, 'o' },
		                                  { "date", required_argument, 0, 'd' }, { "format", required_argument, 0, 'F' },
		                                  { 0, 0, 0, 0 } };
	const char *file = NULL, *at = NULL, *by = NULL, *outcome = NULL, *format = "text", *sub;
	sa_date today = 0;
	sa_alerts *a = NULL;
	char *text = NULL, *out = NULL, now[32];
	size_t len = 0;
	int c, fd = -1, lockfd = -1, rc = 1;
	bool change;

	/* argv[0] is "alert" (cli/sa.c); -h/--help anywhere: usage on stdout */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage_to(stdout);
			return 0;
		}
	argc--;
	argv++;
	if (argc < 1)
		return usage();
	sub = argv[0];
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'a': at = optarg; break;
		case 'b': by = optarg; break;
		case 'o': outcome = optarg; break;
		case 'F': format = optarg; break;
		case 'd':
			if (sa_date_parse(&today, optarg) < 0) {
				fprintf(stderr, "%s: '%s' 不是日期 / is not a date (YYYY-MM-DD)\n", cli_prog, optarg);
				return 2;
			}
			break;
		default: return usage();
		}
	}
	change = strcmp(sub, "ack") == 0 || strcmp(sub, "close") == 0;
	if (!file || (!change && strcmp(sub, "show") != 0) || (change ? optind + 1 != argc : optind != argc) ||
	    (strcmp(format, "text") != 0 && strcmp(format, "json") != 0))
		return usage();
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
	errno = 0;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0 || !(text = slurp(fd, &len))) {
		fprintf(stderr, "%s: %s: %s\n", cli_prog, file, errno ? strerror(errno) : "not a regular file");
		goto done;
	}
	if (sa_alerts_parse(&a, text, len, file) < 0) {
		cli_error(file);
		goto done;
	}
	if (change) {
		int k = sub[0] == 'a' ? sa_alert_acknowledge(a, argv[optind], at, by)
		                      : sa_alert_close(a, argv[optind], at, outcome);
		if (k < 0) {
			cli_error(argv[optind]);
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
	if (fd >= 0)
		close(fd);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
