/* cli.h - shared by the sa command's subcommands (one file each: cmd_<name>.c). */
#ifndef SA_CLI_H
#define SA_CLI_H

#include <sa.h>
#include <stdio.h>

extern const char *cli_prog;
void cli_usage(FILE *f);
/* Print the last libsa error as "sa: file:line:col: message"; returns 1. */
int cli_error(const char *what);
sa_date cli_today(void);
/* A new engine with pack loaded from pack_path (NULL: the default), or NULL after printing
 * the error. */
/* The options every subcommand shares: if argv[*i] is --pack, --pack-path, --format or --date
 * and the matching out-pointer is not NULL, take it and its value: 1. Not one of them: 0. A bad
 * date: the error is printed, -1. */
int cli_common_option(int argc, char **argv, int *i, const char **pack, const char **pack_path,
                      const char **format, sa_date *date);
sa_engine *cli_open_engine(const char *pack_path, const char *pack);
/* An output file written as <path>.tmp.XXXXXX (name in tmp) and renamed over path by
 * cli_out_close only when keep is set and everything was written; else removed. */
FILE *cli_out_open(const char *path, char *tmp, size_t size);
int cli_out_close(FILE *f, const char *tmp, const char *path, int keep);

/* Decision-log options (log_options.c): --log FILE, --log-key KEY, --redact, --redact-salt
 * FILE, --fsync every|close|N, --log-rotate BYTES. */
typedef struct {
	const char *path;
	sa_log_options o;
} cli_log;
void cli_log_init(cli_log *l);
/* 1: argv[*i] was a log option (taken with its value); 0: not one; -1: bad value (printed). */
int cli_log_option(int argc, char **argv, int *i, cli_log *l);
/* Open the log when --log was given (*out NULL otherwise); -1 after printing the error. */
int cli_log_open(sa_log **out, cli_log *l);
int cli_log_close(sa_log *log);
/* --verify-key PUB for every subcommand that opens an engine (cli_open_engine). */
extern const char *cli_verify_key;

/* Each subcommand: argc/argv after the subcommand name; returns the exit status. */
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
int cmd_pack_audit(int argc, char **argv);

#endif
