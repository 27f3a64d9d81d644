/* common.c - error printing and dates shared by the subcommands. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_error(const char *what)
{
	const sa_error *e = sa_error_last();
	if (e && e->source && e->line)
		fprintf(stderr, "%s: %s:%d:%d: %s\n", cli_prog, e->source, e->line, e->column, e->message);
	else if (e && e->source)
		fprintf(stderr, "%s: %s: %s\n", cli_prog, e->source, e->message);
	else
		fprintf(stderr, "%s: %s: %s\n", cli_prog, what, e ? e->message : "failed");
	return 1;
}

sa_date cli_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
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

int cli_common_option(int argc, char **argv, int *i, const char **pack, const char **pack_path,
                      const char **format, sa_date *date)
{
	const char *opt = argv[*i];
	if (*i + 1 >= argc)
		return 0;
	if (pack && strcmp(opt, "--pack") == 0)
		*pack = argv[++*i];
	else if (pack_path && strcmp(opt, "--pack-path") == 0)
		*pack_path = argv[++*i];
	else if (format && strcmp(opt, "--format") == 0)
		*format = argv[++*i];
	else if (date && strcmp(opt, "--date") == 0) {
		if (sa_date_parse(date, argv[++*i]) < 0) {
			cli_error("--date");
			return -1;
		}
	} else
		return 0;
	return 1;
}

/* Output files are written to a temporary file next to the target and renamed over it only
 * when complete: a killed or failed run leaves no file that looks complete (docs/screening.md). */
FILE *cli_out_open(const char *path, char *tmp, size_t size)
{
	struct stat st;
	int fd;
	FILE *f;
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
