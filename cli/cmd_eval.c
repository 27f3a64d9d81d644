/* cmd_eval.c - sa eval: evaluate households and print decisions (text, one JSON array, or JSON
 * lines), optionally logging them (docs/audit.md). A file with schema errors reports up to
 * --max-errors of them (default 20). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	size_t max_errors;
	cli_log log;
} eval_opts;

static int own(int c, const char *arg, void *ud)
{
	eval_opts *o = ud;
	char *end;
	if (cli_log_name(c))
		return cli_log_getopt(&o->log, cli_log_name(c), c == OPT_REDACT ? NULL : arg);
	if (c != OPT_MAX_ERRORS)
		return 1;
	o->max_errors = strtoul(arg, &end, 10);
	return *end || !*arg || o->max_errors == 0;
}

static void schema_error(const sa_error *e, void *payload)
{
	char msg[4200];
	(void)payload;
	cli_text(msg, sizeof msg, e->message);
	fprintf(stderr, "%s: %s:%d:%d: %s\n", cli_prog, e->source ? e->source : "-", e->line, e->column, msg);
}

int cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		CLI_LOG_OPTIONS,
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	eval_opts eo = { .max_errors = 20 };
	sa_engine *e;
	sa_log *log = NULL;
	int first, status = 0, json, jsonl, nout = 0;

	cli_log_init(&eo.log);
	if ((first = cli_parse(argc, argv, longopts, &o, own, &eo, &status)) < 0)
		return status;
	json = strcmp(o.format, "json") == 0;
	jsonl = strcmp(o.format, "jsonl") == 0;
	if (!o.pack || first >= argc || (!json && !jsonl && strcmp(o.format, "text") != 0)) {
		if (!o.pack)
			cli_fail(2, "--pack is required");
		cli_command_usage(stderr, argv[0]);
		return 2;
	}
	if (!o.date)
		o.date = cli_today();
	/* the log first: an unwritable log fails before anything is evaluated */
	if (cli_log_open(&log, &eo.log) < 0)
		return 1;
	if (!(e = cli_open_engine(o.pack_path, o.pack))) {
		cli_log_close(log);
		return 1;
	}
	if (json)
		fputs("[", stdout);
	for (int i = first; i < argc; i++) {
		sa_household **hh;
		size_t n, len;
		const char *name = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i];
		char *text = cli_slurp(argv[i], &len);
		if (!text) {
			status = 1;
			continue;
		}
		if (sa_household_parse(&hh, &n, text, len, name) < 0) {
			/* every schema error of the file, up to the limit, not just the first */
			int k = sa_household_check(text, len, name, eo.max_errors, schema_error, NULL);
			if (k <= 0)
				cli_error(name);
			else if ((size_t)k >= eo.max_errors)
				cli_fail(1, "%s: stopped after %d errors (--max-errors)", name, k);
			free(text);
			status = 1;
			continue;
		}
		free(text);
		for (size_t k = 0; k < n; k++) {
			sa_decision *d;
			char *out;
			int rc;
			if (sa_evaluate(&d, e, hh[k], o.date) < 0) {
				cli_error(name);
				status = 1;
				continue;
			}
			/* a decision is shown only once it is in the log */
			if (log && sa_log_append(NULL, log, hh[k], d) < 0) {
				cli_error(eo.log.path);
				sa_decision_free(d);
				sa_household_array_free(hh, n);
				sa_engine_free(e);
				cli_log_close(log);
				return 1;
			}
			rc = json || jsonl ? sa_decision_to_json(&out, d, json ? SA_JSON_PRETTY : 0) : sa_decision_to_text(&out, d);
			if (rc == 0) {
				if (json)
					fputs(nout ? ",\n" : "\n", stdout);
				fputs(out, stdout);
				if (!json)
					fputs("\n", stdout);
				nout++;
				sa_free(out);
			} else {
				cli_error("output");
				status = 1;
			}
			sa_decision_free(d);
		}
		sa_household_array_free(hh, n);
	}
	if (json)
		fputs(nout ? "\n]\n" : "]\n", stdout);
	sa_engine_free(e);
	if (cli_log_close(log))
		status = 1;
	return status;
}
