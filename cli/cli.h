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
sa_engine *cli_open_engine(const char *pack_path, const char *pack);

/* Each subcommand: argc/argv after the subcommand name; returns the exit status. */
int cmd_eval(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_plan(int argc, char **argv);

#endif
