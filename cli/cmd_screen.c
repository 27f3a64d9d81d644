/* cmd_screen.c - sa screen: batch screening of a registry on every core (docs/screening.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	FILE *out;
	int tty;
	double t0, last;
	int failed;
} screen_ctx;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_record(void *ud, uint64_t line, const char *id, const char *json, size_t len)
{
	screen_ctx *c = ud;
	(void)line;
	(void)id;
	if (fwrite(json, 1, len, c->out) != len || fputc('\n', c->out) == EOF) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

static void on_error(void *ud, uint64_t line, int code, const char *message)
{
	screen_ctx *c = ud;
	if (c->tty)
		fputs("\r\033[K", stderr);
	{
		char msg[4200];
		cli_text(msg, sizeof msg, message);
		fprintf(stderr, "%s screen: line %llu: %s (%s)\n", cli_prog, (unsigned long long)line, msg, sa_strerror(code));
	}
}

static void on_progress(void *ud, uint64_t done, uint64_t total, uint64_t records)
{
	screen_ctx *c = ud;
	double t = now(), el = t - c->t0;
	int width = 30, fill;
	if (!c->tty || (t - c->last < 0.1 && done < total))
		return;
	c->last = t;
	fill = total ? (int)((double)done / (double)total * width) : width;
	fprintf(stderr, "\r[%.*s%*s] %3d%%  %llu households  %.0f/s", fill, "##############################",
	        width - fill, "", total ? (int)(100.0 * (double)done / (double)total) : 100,
	        (unsigned long long)records, el > 0 ? (double)records / el : 0.0);
	if (done >= total)
		fputs("\n", stderr);
	fflush(stderr);
}

static void yuan(char *buf, size_t n, sa_fen fen)
{
	sa_money_format(buf, n, fen);
}

static void print_summary(FILE *f, const sa_screen_summary *s, const char *pack, sa_date date, double secs,
                          unsigned jobs)
{
	char d[16], y[40];
	uint64_t evaluated = sa_screen_summary_evaluated(s);
	int w = 7; /* the program column: as wide as the longest name */
	for (size_t i = 0; i < sa_screen_summary_program_count(s); i++) {
		int n = (int)strlen(sa_screen_summary_program(s, i)->name);
		w = n > w ? n : w;
	}
	sa_date_format(d, sizeof d, date);
	fprintf(f, "screening summary / 筛查汇总: pack %s, date %s\n", pack, d);
	fprintf(f, "  records %llu, evaluated %llu, skipped (bad) %llu; %.2f s on %u threads, %.0f households/s\n",
	        (unsigned long long)sa_screen_summary_records(s), (unsigned long long)evaluated,
	        (unsigned long long)sa_screen_summary_bad(s), secs, jobs, secs > 0 ? (double)evaluated / secs : 0.0);
	fprintf(f, "  tier / 层级:");
	for (size_t i = 0; i < sa_screen_summary_tier_count(s); i++) {
		const sa_screen_tier *t = sa_screen_summary_tier(s, i);
		fprintf(f, " %s %llu", t->name, (unsigned long long)t->households);
	}
	fprintf(f, "\n  circle / 圈层: 1: %llu  2: %llu  3: %llu  none: %llu\n",
	        (unsigned long long)sa_screen_summary_circle(s, 1), (unsigned long long)sa_screen_summary_circle(s, 2),
	        (unsigned long long)sa_screen_summary_circle(s, 3), (unsigned long long)sa_screen_summary_circle(s, 0));
	fprintf(f, "  %-*s %10s %12s %20s %14s %14s %14s\n", w, "program", "eligible", "undetermined", "cash (yuan)",
	        "not enrolled", "no longer", "enrolled-undet");
	for (size_t i = 0; i < sa_screen_summary_program_count(s); i++) {
		const sa_screen_program *p = sa_screen_summary_program(s, i);
		char cash[48];
		yuan(y, sizeof y, p->cash);
		snprintf(cash, sizeof cash, "%s/%s", y, strcmp(p->period, "once") == 0 ? "case" : "month");
		fprintf(f, "  %-*s %10llu %12llu %20s %14llu %14llu %14llu\n", w, p->name, (unsigned long long)p->eligible,
		        (unsigned long long)p->undetermined, cash, (unsigned long long)p->not_enrolled,
		        (unsigned long long)p->no_longer, (unsigned long long)p->enrolled_undetermined);
	}
	fprintf(f, "  (not enrolled: qualifies but h.enrolments lacks the program; no longer: enrolled and now ineligible)\n");
	if (sa_screen_summary_region_program_count(s)) {
		fprintf(f, "  by region / 分地区:\n  %-8s %-*s %10s %12s %20s %14s %14s\n", "region", w, "program", "eligible",
		        "undetermined", "cash (yuan)", "not enrolled", "no longer");
		for (size_t i = 0; i < sa_screen_summary_region_program_count(s); i++) {
			const sa_screen_region_program *r = sa_screen_summary_region_program(s, i);
			yuan(y, sizeof y, r->cash);
			fprintf(f, "  %-8s %-*s %10llu %12llu %20s %14llu %14llu\n", r->region, w, r->program,
			        (unsigned long long)r->eligible, (unsigned long long)r->undetermined, y,
			        (unsigned long long)r->not_enrolled, (unsigned long long)r->no_longer);
		}
	}
	fprintf(f, "  undetermined households / 待定户: %llu\n", (unsigned long long)sa_screen_summary_undetermined(s));
	for (size_t i = 0; i < sa_screen_summary_missing_count(s) && i < 10; i++) {
		const sa_screen_missing *m = sa_screen_summary_missing(s, i);
		fprintf(f, "    missing / 缺少 %-40s %llu households\n", m->fact, (unsigned long long)m->households);
	}
}

/* Write text to path through a temporary file renamed over it, so a killed run leaves no
 * file that looks complete. */
/* The whole text to path, as every output file of sa is written (cli_out_open). */
static int write_whole(const char *path, const char *text)
{
	char tmp[4200];
	FILE *f = cli_out_open(path, tmp, sizeof tmp);
	int ok;
	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	return cli_out_close(f, tmp, path, ok);
}

/* The summary in the format asked for: text to f, or JSON / CSV from the library. */
static int write_summary(FILE *f, const sa_screen_summary *s, const char *format, const char *pack, sa_date date,
                         double secs, unsigned jobs)
{
	char *text = NULL;
	int rc;
	if (strcmp(format, "text") == 0) {
		print_summary(f, s, pack, date, secs, jobs);
		return 0;
	}
	rc = strcmp(format, "json") == 0 ? sa_screen_summary_to_json(&text, s) : sa_screen_summary_to_csv(&text, s);
	if (rc < 0)
		return cli_error("summary");
	fputs(text, f);
	sa_free(text);
	return 0;
}

typedef struct {
	unsigned jobs;
	const char *out_path, *summary_path, *summary_format, *report_path;
	int route;
	cli_log *log;
} screen_opts;

static int own(int c, const char *arg, void *ud)
{
	screen_opts *s = ud;
	char *end;
	if (cli_log_name(c))
		return cli_log_getopt(s->log, cli_log_name(c), c == OPT_REDACT ? NULL : arg);
	if (c == OPT_JOBS) {
		s->jobs = (unsigned)strtoul(arg, &end, 10);
		return *end != 0 || !*arg;
	}
	if (c == OPT_OUT)
		s->out_path = arg;
	else if (c == OPT_SUMMARY)
		s->summary_path = arg;
	else if (c == OPT_SUMMARY_FORMAT)
		s->summary_format = arg;
	else if (c == OPT_REPORT)
		s->report_path = arg;
	else if (c == OPT_ROUTE)
		s->route = 1;
	else
		return 1;
	return 0;
}

int cmd_screen(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "summary", required_argument, NULL, OPT_SUMMARY },
		{ "summary-format", required_argument, NULL, OPT_SUMMARY_FORMAT },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "route", no_argument, NULL, OPT_ROUTE },
		CLI_LOG_OPTIONS,
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { 0 };
	screen_opts sc = { 0 };
	const char *pack, *pack_path, *file, *out_path, *summary_path, *format, *summary_format, *report_path;
	int route;
	sa_date date;
	unsigned jobs;
	int first;
	sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
	sa_screen_options so;
	sa_screen_summary *sum = NULL;
	screen_ctx c = { 0 };
	char out_tmp[4200];
	int rc, status = 0;
	double t1;
	long ncpu;
	cli_log lo;
	sa_log *log = NULL;

	cli_log_init(&lo);

	sc.log = &lo;
	if ((first = cli_parse(argc, argv, longopts, &o, own, &sc, &status)) < 0)
		return status;
	pack = o.pack;
	pack_path = o.pack_path;
	format = o.format;
	date = o.date;
	jobs = sc.jobs;
	out_path = sc.out_path;
	summary_path = sc.summary_path;
	summary_format = sc.summary_format ? sc.summary_format : "text";
	report_path = sc.report_path;
	route = sc.route;
	file = first == argc - 1 ? argv[first] : NULL;
	if ((!pack && !route) || !file || (format && strcmp(format, "jsonl") && strcmp(format, "csv")) ||
	    (strcmp(summary_format, "text") && strcmp(summary_format, "json") && strcmp(summary_format, "csv"))) {
		cli_command_usage(stderr, argv[0]);
		return 2;
	}
	if (!date)
		date = cli_today();
	eo.pack_path = pack_path;
	sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
	so.pack = pack;
	so.route = route;
	if (route)
		pack = "routed by region / 按地区分派";
	so.engine = &eo;
	so.as_of = date;
	so.jobs = jobs;
	so.format = !format ? SA_SCREEN_AUTO : strcmp(format, "csv") == 0 ? SA_SCREEN_CSV : SA_SCREEN_JSONL;
	so.on_record = on_record;
	so.on_error = on_error;
	so.on_progress = on_progress;
	so.ud = &c;
	/* the log first: an unwritable log fails before anything is evaluated */
	if (cli_log_open(&log, &lo) < 0)
		return 1;
	so.log = log;
	c.out = stdout;
	if (out_path && !(c.out = cli_out_open(out_path, out_tmp, sizeof out_tmp))) {
		cli_log_close(log);
		return cli_fail(1, "cannot write %s", out_path);
	}
	c.tty = isatty(2);
	c.t0 = now();
	if (sa_screen_summary_new(&sum) < 0) {
		cli_error(file);
		if (out_path)
			cli_out_close(c.out, out_tmp, out_path, 0);
		return 1;
	}
	rc = sa_screen_file(sum, &so, file);
	t1 = now();
	if (rc < 0) {
		cli_error(file);
		status = 1;
	}
	if (cli_log_close(log))
		status = 1;
	if (c.out == stdout)
		fflush(stdout);
	/* --out is kept only when the run completed and every decision was written */
	if (out_path && cli_out_close(c.out, out_tmp, out_path, rc == 0 && !c.failed) < 0 && rc == 0)
		c.failed = 1;
	if (c.failed) {
		status = cli_fail(1, "writing the decisions failed");
	}
	/* a run that stopped before it evaluated anything has nothing to sum up: the error only */
	if (rc < 0 && sa_screen_summary_records(sum) == 0) {
		sa_screen_summary_free(sum);
		return 1;
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (summary_path) {
		char tmp[4200];
		FILE *f = cli_out_open(summary_path, tmp, sizeof tmp);
		if (!f) {
			sa_screen_summary_free(sum);
			return cli_fail(1, "cannot write %s", summary_path);
		}
		if (write_summary(f, sum, summary_format, pack, date, t1 - c.t0, jobs ? jobs : (unsigned)(ncpu > 0 ? ncpu : 1)))
			status = 1;
		if (cli_out_close(f, tmp, summary_path, rc == 0 && !status) < 0 && rc == 0) {
			fprintf(stderr, "%s screen: cannot write %s\n", cli_prog, summary_path);
			status = 1;
		}
	} else if (write_summary(stderr, sum, summary_format, pack, date,
	                         t1 - c.t0, jobs ? jobs : (unsigned)(ncpu > 0 ? ncpu : 1))) {
		status = 1;
	}
	if (report_path && rc == 0) { /* a report only of a run that completed */
		char *html = NULL, title[160], d[16];
		sa_date_format(d, sizeof d, date);
		snprintf(title, sizeof title, "政策找人筛查报告 / Screening report: %s, %s", pack, d);
		if (sa_screen_summary_to_html(&html, sum, title) < 0 || write_whole(report_path, html) < 0) {
			cli_fail(1, "cannot write %s", report_path);
			status = 1;
		}
		sa_free(html);
	}
	sa_screen_summary_free(sum);
	return status;
}
