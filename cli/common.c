/* common.c - option parsing (getopt_long), messages in zh-CN and English, input files. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_english;

void cli_text(char *buf, size_t size, const char *english)
{
	char zh[2048];
	if (cli_english || sa_message_zh(zh, sizeof zh, english) < 0 || strcmp(zh, english) == 0)
		snprintf(buf, size, "%s", english);
	else
		snprintf(buf, size, "%s / %s", zh, english);
}

static void cli_text_line(FILE *f, const char *prefix, const char *en)
{
	char both[4200];
	cli_text(both, sizeof both, en);
	fprintf(f, "%s%s\n", prefix, both);
}

static void vsay(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char en[2048];
	vsnprintf(en, sizeof en, fmt, ap);
	cli_text_line(f, prefix, en);
}

void cli_say(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(f, "", fmt, ap);
	va_end(ap);
}

int cli_fail(int status, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;
	snprintf(prefix, sizeof prefix, "%s: ", cli_prog);
	va_start(ap, fmt);
	vsay(stderr, prefix, fmt, ap);
	va_end(ap);
	return status;
}

int cli_error(const char *what)
{
	const sa_error *e = sa_error_last();
	char msg[4200];
	cli_text(msg, sizeof msg, e ? e->message : "failed");
	if (e && e->source && e->line)
		fprintf(stderr, "%s: %s:%d:%d: %s\n", cli_prog, e->source, e->line, e->column, msg);
	else if (e && e->source)
		fprintf(stderr, "%s: %s: %s\n", cli_prog, e->source, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", cli_prog, what, msg);
	return 1;
}

sa_date cli_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

char *cli_read_fd(int fd, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		ssize_t got;
		if (cap - n < 65536) {
			char *g = realloc(buf, cap = cap ? cap * 2 : 65536 + 1);
			if (!g) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = g;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			free(buf);
			errno = err;
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

const char *cli_path(const char *arg)
{
	return arg && strcmp(arg, "-") == 0 ? "/dev/stdin" : arg;
}

const char *cli_input_name(const char *arg)
{
	return arg && strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

char *cli_slurp(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	char *buf = fd < 0 ? NULL : cli_read_fd(fd, len);
	int err = errno;
	if (fd > STDIN_FILENO)
		close(fd);
	if (!buf)
		cli_fail(1, "cannot read %s: %s", cli_input_name(path), strerror(err));
	return buf;
}

sa_engine *cli_open_engine(const char *pack_path, const char *pack)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	o.pack_path = pack_path;
	o.verify_key = cli_verify_key;
	if (sa_engine_new(&e, &o) < 0) {
		cli_error("engine");
		return NULL;
	}
	if (sa_engine_load(e, pack) < 0) {
		cli_error(pack);
		sa_engine_free(e);
		return NULL;
	}
	return e;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	if (fmt) {
		char prefix[64], en[2048];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(en, sizeof en, fmt, ap);
		va_end(ap);
		snprintf(prefix, sizeof prefix, "%s: ", cli_prog);
		cli_text_line(stderr, prefix, en);
	}
	cli_command_usage(stderr, cmd);
	return 2;
}

int cli_parse(int argc, char **argv, const struct option *longopts, cli_opts *o, cli_option_fn own, void *ud,
              int *exit_status)
{
	char shortopts[64] = ":h";
	size_t ns = 2;
	int c;
	/* -v, -q: the letters a command's long options stand for */
	for (const struct option *lo = longopts; lo->name && ns + 3 < sizeof shortopts; lo++)
		if (lo->val >= 'a' && lo->val <= 'z' && lo->val != 'h' && !lo->flag) {
			shortopts[ns++] = (char)lo->val;
			if (lo->has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	shortopts[ns] = 0;
	optind = 0; /* glibc: a full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_command_usage(stdout, argv[0]);
			*exit_status = 0;
			return -1;
		case OPT_LANG:
			if (strcmp(optarg, "en") == 0)
				cli_english = 1;
			else if (strcmp(optarg, "zh") == 0 || strcmp(optarg, "zh-CN") == 0)
				cli_english = 0;
			else
				goto usage;
			break;
		case OPT_PACK: o->pack = optarg; break;
		case OPT_PACK_PATH: o->pack_path = optarg; break;
		case OPT_FORMAT: o->format = optarg; break;
		case OPT_DATE:
			if (sa_date_parse(&o->date, optarg) < 0) {
				cli_fail(2, "'%s' is not a date YYYY-MM-DD", optarg);
				*exit_status = 2;
				return -1;
			}
			break;
		case ':':
			cli_fail(2, "option '%s' needs a value", argv[optind - 1]);
			goto usage_quiet;
		case '?':
			if (optopt)
				cli_fail(2, "unknown option '-%c'", optopt);
			else
				cli_fail(2, "unknown option '%s'", argv[optind - 1]);
			goto usage_quiet;
		default:
			if (!own || own(c, optarg, ud) != 0)
				goto usage;
		}
	}
	return optind;
usage:
	cli_fail(2, "bad value for an option of '%s'", argv[0]);
usage_quiet:
	cli_command_usage(stderr, argv[0]);
	*exit_status = 2;
	return -1;
}

/* Output files are written to a temporary file next to the target and renamed over it only
 * when complete: a killed or failed run leaves no file that looks complete (docs/screening.md). */
FILE *cli_out_open(const char *path, char *tmp, size_t size)
{
	struct stat st;
	int fd;
	FILE *f;
	if (strcmp(path, "-") == 0) { /* standard output, through its own FILE (closed alone) */
		tmp[0] = 0;
		fflush(stdout);
		if ((fd = dup(STDOUT_FILENO)) < 0)
			return NULL;
		if (!(f = fdopen(fd, "w")))
			close(fd);
		return f;
	}
	/* a device, FIFO or other non-regular target (/dev/null, /dev/stdout, a pipe) is written
	 * straight to: renaming over it would replace the device node with a file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		tmp[0] = 0;
		return fopen(path, "w");
	}
	snprintf(tmp, size, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return NULL;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		return NULL;
	}
	return f;
}

int cli_out_close(FILE *f, const char *tmp, const char *path, int keep)
{
	int ok = fflush(f) == 0 && !ferror(f);
	ok &= fclose(f) == 0;
	if (!tmp[0]) /* written straight to a device or pipe */
		return ok ? 0 : -1;
	if (keep && ok && rename(tmp, path) == 0)
		return 0;
	unlink(tmp);
	return -1;
}
