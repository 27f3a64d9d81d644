/* cli.h - shared by the sa command's subcommands (one file each: cmd_<name>.c). */
#ifndef SA_CLI_H
#define SA_CLI_H

#include <getopt.h>
#include <sa.h>
#include <stdio.h>

extern const char *cli_prog;
/* 1: English only (--lang en, or LANG/LC_ALL C or en_*); 0: zh-CN with English alongside. */
extern int cli_english;

/* Usage of every subcommand (f = stderr after a usage error, stdout for --help). */
void cli_usage(FILE *f);
/* Usage of one subcommand. */
void cli_command_usage(FILE *f, const char *name);

/* Print a message of the sa command: the English format is formatted, then shown as
 * "中文 / English" (the catalog libsa/core/i18n_zh.inc) or English alone under --lang en.
 * tests/i18n_check.py requires a catalog entry for every format given to these. */
void cli_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "sa: <message>" on stderr; returns status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message already formatted in English (a library error, a lint finding): zh / en. */
void cli_text(char *buf, size_t size, const char *english);

/* Print the last libsa error as "sa: file:line:col: message"; returns 1. */
int cli_error(const char *what);
sa_date cli_today(void);

/* Read a whole file; "-" is standard input. NULL after printing the error. */
char *cli_slurp(const char *path, size_t *len);
/* Read what is left of an open file to its end (NUL-terminated; *len without the NUL). NULL
 * with errno set on a read error or no memory; nothing printed. The one whole-file reader
 * of the sa command: cli_slurp, the order journal and the alert file use it. */
char *cli_read_fd(int fd, size_t *len);
/* A path for the library's readers: "-" becomes /dev/stdin, anything else is itself. */
const char *cli_path(const char *arg);
/* The name of an input in messages: "<stdin>" for "-". */
const char *cli_input_name(const char *arg);

/* Options shared by subcommands: getopt_long codes above the ASCII range. */
enum {
	OPT_PACK = 256, OPT_PACK_PATH, OPT_FORMAT, OPT_DATE, OPT_LANG, OPT_HISTORY, OPT_LEFT_PATH, OPT_RIGHT_PATH,
	OPT_JOBS, OPT_OUT, OPT_SUMMARY, OPT_MEMBER, OPT_PROPOSE, OPT_COVERAGE, OPT_RECORD, OPT_MAX_ERRORS,
	OPT_VERBOSE, OPT_QUIET, OPT_NAME, OPT_SOURCE, OPT_SUMMARY_FORMAT, OPT_REPORT, OPT_ROUTE,
	OPT_LOG, OPT_LOG_KEY, OPT_REDACT, OPT_REDACT_SALT, OPT_FSYNC, OPT_LOG_ROTATE,
	/* explain, whatif, log, replay, pack archive/sign/verify, alert, order */
	OPT_EXPLAIN_LANG, OPT_HOUSEHOLD, OPT_SET, OPT_VARY, OPT_KEY, OPT_ARCHIVE, OPT_TO, OPT_FILE, OPT_AT,
	OPT_BY, OPT_OUTCOME, OPT_JOURNAL, OPT_ITEM, OPT_ID, OPT_PROVIDER, OPT_SCORE, OPT_FLAG, OPT_NOTE,
	OPT_QUANTITY, OPT_FROM
};
#define CLI_LOG_OPTIONS \
	{ "log", required_argument, NULL, OPT_LOG }, { "log-key", required_argument, NULL, OPT_LOG_KEY }, \
	{ "redact", no_argument, NULL, OPT_REDACT }, { "redact-salt", required_argument, NULL, OPT_REDACT_SALT }, \
	{ "fsync", required_argument, NULL, OPT_FSYNC }, { "log-rotate", required_argument, NULL, OPT_LOG_ROTATE }
/* The name of a log option's code, for cli_log_getopt. */
const char *cli_log_name(int code);
#define CLI_COMMON_OPTIONS \
	{ "help", no_argument, NULL, 'h' }, { "lang", required_argument, NULL, OPT_LANG }, \
	{ "pack-path", required_argument, NULL, OPT_PACK_PATH }

typedef struct {
	const char *pack, *pack_path, *format;
	sa_date date;
} cli_opts;

/* Parse argv (argv[0] is the subcommand) with getopt_long; options not in `longopts` are a
 * usage error. Each option is handed to `own` (may be NULL) unless common: --help prints the
 * subcommand's usage and returns 0 via *exit_status; --lang, --pack, --pack-path, --format,
 * --date fill *o. A long option whose code is a lower-case letter also has that letter as
 * its short option (-v, -q). Returns the index of the first positional argument (getopt
 * permutes them to the end), or -1 with *exit_status set (0 after --help, 2 on a usage
 * error). Every subcommand parses with it: one place for help, errors and stdin. */
typedef int (*cli_option_fn)(int code, const char *arg, void *ud);
int cli_parse(int argc, char **argv, const struct option *longopts, cli_opts *o, cli_option_fn own, void *ud,
              int *exit_status);

/* A usage error of a subcommand: the message (when fmt is not NULL), then its usage, on
 * stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

sa_engine *cli_open_engine(const char *pack_path, const char *pack);
/* An output file written as <path>.tmp.XXXXXX (name in tmp) and renamed over path by
 * cli_out_close only when keep is set and everything was written; else removed. "-" is
 * standard output; a device or pipe is written straight to. */
FILE *cli_out_open(const char *path, char *tmp, size_t size);
int cli_out_close(FILE *f, const char *tmp, const char *path, int keep);

/* Decision-log options (log_options.c): --log FILE, --log-key KEY, --redact, --redact-salt
 * FILE, --fsync every|close|N, --log-rotate BYTES. */
typedef struct {
	const char *path;
	sa_log_options o;
} cli_log;
void cli_log_init(cli_log *l);
/* Open the log when --log was given (*out NULL otherwise); -1 after printing the error. */
int cli_log_open(sa_log **out, cli_log *l);
int cli_log_close(sa_log *log);
/* A log option given to getopt_long, as its name (cli_log_name) and value (NULL for
 * --redact): 0 taken, 1 not a log option or a bad value. A key or salt file "-" is stdin. */
int cli_log_getopt(cli_log *l, const char *name, const char *value);
/* --verify-key PUB for every subcommand that opens an engine (cli_open_engine). */
extern const char *cli_verify_key;


/* sa pack doc (cli/pack_doc.c): the reference of a pack as Markdown or HTML on stdout. */
int cli_pack_doc(const char *pack_path, const char *id, sa_date on, const char *format);

/* Each subcommand: argc/argv from the subcommand name on; returns the exit status. */
int cmd_eval(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_order(int argc, char **argv);
int cmd_alert(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_replay(int argc, char **argv);
/* sa pack archive|sign|verify ID (cmd_pack_audit.c), options parsed by cmd_pack. */
int cli_pack_audit(const char *sub, const char *pack_path, const char *id, const char *to, const char *key);

#endif
