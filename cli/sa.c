/* sa - the libsa command. Each subcommand lives in cli/cmd_<name>.c; options are parsed with
 * getopt_long (cli/common.c). Exit status: 0 ok, 1 failure or findings, 2 usage, 3 plan
 * rejected (documented in sa.1). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

const char *cli_prog = "sa";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *what; /* English; the catalog has its zh-CN */
} commands[] = {
	{ "eval", cmd_eval, "eval --pack ID [--date YYYY-MM-DD] [--format text|json|jsonl] [--max-errors N] [LOG OPTIONS] FILE...",
	  "evaluate the households in each YAML/JSON FILE ('-': standard input) and print the decisions" },
	{ "test", cmd_test, "test [--verbose] [--coverage] [--record CASE --pack ID [--date D] [--name N]] [PACK...]",
	  "run the golden tests of each PACK (default: every pack on the pack path)" },
	{ "lint", cmd_lint, "lint [--quiet] [--max-errors N] [PACK...]",
	  "check each PACK (default: every pack on the pack path); exit 1 on any error" },
	{ "pack", cmd_pack, "pack show ID [PREFIX] [--date D] [--history] [--format text|json]\n"
	                    "     pack doc ID [--date D] [--format md|html]\n"
	                    "     pack archive ID --to DIR | pack sign ID --key KEY | pack verify ID --key PUB\n"
	                    "     pack diff A B [--date D] [--left-path DIRS] [--right-path DIRS]",
	  "show a pack's parameters and rule functions; write its reference; compare two packs" },
	{ "screen", cmd_screen, "screen (--pack ID | --route) [--date D] [--jobs N] [--out FILE] [--summary FILE] [--summary-format text|json|csv] [--report FILE.html] [--format jsonl|csv] [LOG OPTIONS] REGISTRY",
	  "screen a registry (JSON lines or CSV, docs/screening.md): decisions and a summary" },
	{ "monitor", cmd_monitor, "monitor --pack ID [--date D] [--format text|json] EVENTS",
	  "warnings from an events file (docs/monitoring.md)" },
	{ "catalog", cmd_catalog, "catalog --pack ID [--format text|json]", "the pack's service catalog (docs/services.md)" },
	{ "explain", cmd_explain, "explain --pack ID [--date D] [--lang zh|en|both] [--format text|html] [--out FILE] [--household ID] FILE",
	  "explain each decision in words (zh by default), or as a printable HTML page (docs/explain.md)" },
	{ "whatif", cmd_whatif, "whatif --pack ID [--date D] --set PATH=VALUE... [--vary PATH=FROM:TO:STEP] [--format text|json] HOUSEHOLD",
	  "the decision with fields changed and its difference, or a table along one field (docs/explain.md)" },
	{ "log", cmd_log, "log verify [--key KEY] FILE...",
	  "check a decision log (rotated files oldest first); exit 1 on the first bad or truncated record" },
	{ "replay", cmd_replay, "replay LOG --archive DIR",
	  "re-evaluate every logged decision under the archived pack version it names; exit 1 on any difference" },
	{ "plan", cmd_plan, "plan --pack ID [--date D] HOUSEHOLD PLAN | --member ID --propose NEED,... HOUSEHOLD",
	  "check a service plan (exit 3 when rejected) or propose one from needs (docs/services.md)" },
	{ "alert", cmd_alert, "alert show --file ALERTS.jsonl [--date D] [--format text|json]\n"
	                      "     alert ack --file ALERTS.jsonl ID --by WHO [--at T]\n"
	                      "     alert close --file ALERTS.jsonl ID --outcome TEXT [--at T]\n"
	                      "     T: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]; show reads '-' as standard input",
	  "the lifecycle of alert records (open, acknowledged, closed; docs/monitoring.md)" },
	{ "order", cmd_order, "order new --journal FILE --pack ID --household H --member M --item ITEM [--quantity N] [--id ID] [--at T]\n"
	                      "     order advance --journal FILE --pack ID ORDER STEP [--at T] [--provider P] [--score N] [--flag minor|serious] [--note TEXT]\n"
	                      "     order show --journal FILE --pack ID [ORDER] [--date D] [--format text|json]\n"
	                      "     order rating --journal FILE --pack ID PROVIDER [--from D] [--to D] [--format text|json]\n"
	                      "     STEP: order 点单 | dispatch 派单 | accept 接单 | reject 拒单 | serve 服务 | follow_up 回访;\n"
	                      "     show and rating read --journal - from standard input",
	  "service orders as records in a JSON-lines journal (docs/services.md)" },
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void usage_line(FILE *f, size_t i)
{
	char what[1024];
	cli_text(what, sizeof what, commands[i].what);
	fprintf(f, "  %s %s\n        %s\n", cli_prog, commands[i].usage, what);
}

static void common_lines(FILE *f)
{
	cli_say(f, "Every command takes --pack-path DIRS (':'-separated; default $SA_PACK_PATH, else ./policies), "
	           "--lang zh|en and -h/--help. A FILE argument '-' is standard input.");
	cli_say(f, "Exit status: 0 ok, 1 failure or findings, 2 usage error, 3 plan rejected (man sa).");
}

static void log_options_line(FILE *f)
{
	cli_say(f, "LOG OPTIONS (docs/audit.md): --log FILE [--log-key KEY] [--redact --redact-salt FILE] "
	           "[--fsync every|close|N] [--log-rotate BYTES]. --verify-key PUB refuses unsigned or changed packs.");
}

void cli_usage(FILE *f)
{
	fprintf(f, "usage / 用法:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		usage_line(f, i);
	fprintf(f, "  %s --version\n\n", cli_prog);
	common_lines(f);
	log_options_line(f);
}

void cli_command_usage(FILE *f, const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0) {
			fprintf(f, "usage / 用法:\n");
			usage_line(f, i);
			fprintf(f, "\n");
			common_lines(f);
			if (strstr(commands[i].usage, "[LOG OPTIONS]")) /* the command's usage names them */
				log_options_line(f);
			return;
		}
	cli_usage(f);
}

const char *cli_verify_key;


int main(int argc, char **argv)
{
	int i = 1;
	/* --verify-key PUB applies to every engine the command opens (cli_open_engine) */
	for (int k = 1; k + 1 < argc; k++)
		if (strcmp(argv[k], "--verify-key") == 0) {
			cli_verify_key = argv[k + 1];
			memmove(argv + k, argv + k + 2, (size_t)(argc - k - 1) * sizeof *argv); /* with the NULL */
			argc -= 2;
			break;
		}
	if (strcmp(sa_lang_from_env(), "en") == 0)
		cli_english = 1;
	/* options before the subcommand */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			cli_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("sa %s\n", sa_version());
			return 0;
		} else if (strcmp(argv[i], "--lang=en") == 0 || (strcmp(argv[i], "--lang") == 0 && i + 1 < argc &&
		                                                strcmp(argv[i + 1], "en") == 0)) {
			cli_english = 1;
			i += argv[i][6] ? 0 : 1;
		} else if (strncmp(argv[i], "--lang=zh", 9) == 0 || (strcmp(argv[i], "--lang") == 0 && i + 1 < argc &&
		                                                    strncmp(argv[i + 1], "zh", 2) == 0)) {
			cli_english = 0;
			i += argv[i][6] ? 0 : 1;
		} else {
			cli_fail(2, "unknown option '%s'", argv[i]);
			cli_usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc)
			cli_command_usage(stdout, argv[i + 1]);
		else
			cli_usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(argc - i, argv + i);
	cli_fail(2, "unknown command '%s'", argv[i]);
	cli_usage(stderr);
	return 2;
}
