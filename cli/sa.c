/* sa - the libsa command. Each subcommand lives in cli/cmd_<name>.c. */
#include "cli.h"

#include <string.h>

const char *cli_prog = "sa";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "eval", cmd_eval, "eval --pack ID [--date YYYY-MM-DD] [--format json|text] [--pack-path DIRS] [LOG OPTIONS] FILE...\n"
	                    "        evaluate the households in each YAML/JSON FILE and print the decisions" },
	{ "test", cmd_test, "test [--pack-path DIRS] [--verbose] [PACK...]\n"
	                    "        run the golden tests of each PACK (default: every pack on the pack path)" },
	{ "lint", cmd_lint, "lint [--pack-path DIRS] [--quiet] [PACK...]\n"
	                    "        check each PACK (default: every pack on the pack path); exit 1 on any error" },
	{ "pack", cmd_pack, "pack show ID [PREFIX] [--date YYYY-MM-DD] [--history] [--pack-path DIRS]\n"
	                    "     pack diff A B [--date D] [--pack-path DIRS] [--left-path DIRS] [--right-path DIRS]\n"
	                    "        show a pack's effective parameters and rule functions; compare two packs\n"
	                    "     pack archive ID --to DIR | pack sign ID --key KEY | pack verify ID --key PUB [--pack-path DIRS]\n"
	                    "        store a pack chain under its content hash; sign a pack (Ed25519); check a chain's signatures" },
	{ "screen", cmd_screen, "screen (--pack ID | --route) [--date D] [--jobs N] [--out FILE] [--summary FILE] [--summary-format text|json|csv] [--report FILE.html] [--format jsonl|csv] [--pack-path DIRS] [LOG OPTIONS] REGISTRY\n"
	                        "        screen a registry (JSON lines or CSV, docs/screening.md): decisions and a summary" },
	{ "monitor", cmd_monitor, "monitor --pack ID [--date D] [--format text|json] [--pack-path DIRS] EVENTS\n"
	                          "        warnings (政策找人) from an events file (docs/monitoring.md)" },
	{ "catalog", cmd_catalog, "catalog --pack ID [--format text|json] [--pack-path DIRS]\n        the pack's service catalog (docs/services.md)" },
	{ "explain", cmd_explain, "explain --pack ID [--date D] [--lang zh|en|both] [--format text|html] [--out FILE] [--household ID] [--pack-path DIRS] FILE\n"
	                          "        explain each decision in words (zh by default), or as a printable HTML page (docs/explain.md)" },
	{ "whatif", cmd_whatif, "whatif --pack ID [--date D] --set PATH=VALUE... [--vary PATH=FROM:TO:STEP] [--format text|json] HOUSEHOLD\n"
	                        "        the decision with fields changed and its difference, or a table along one field (docs/explain.md)" },
	{ "log", cmd_log, "log verify [--key KEY] FILE...\n"
	                  "        check a decision log (rotated files oldest first); exit 1 on the first bad or truncated record" },
	{ "replay", cmd_replay, "replay LOG --archive DIR\n"
	                        "        re-evaluate every logged decision under the archived pack version it names; exit 1 on any difference" },
	{ "plan", cmd_plan, "plan --pack ID [--date D] [--pack-path DIRS] HOUSEHOLD PLAN | --member ID --propose NEED,... HOUSEHOLD\n        check a service plan (exit 3 when rejected) or propose one from needs (docs/services.md)" },
	{ "alert", cmd_alert, "alert show|ack|close --file ALERTS.jsonl [ID] [--by WHO | --outcome TEXT] [--at T] [--date D]\n"
	                      "        the lifecycle of alert records (open → acknowledged → closed; docs/monitoring.md)" },
	{ "order", cmd_order, "order new|advance|show|rating --journal FILE --pack ID ...\n"
	                      "        service orders as records in a JSON-lines journal (docs/services.md; sa order for details)" },
};

void cli_usage(FILE *f)
{
	fprintf(f, "usage:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %s %s\n", cli_prog, commands[i].usage);
	fprintf(f, "\nThe pack path is ':'-separated; default $SA_PACK_PATH, else ./policies.\n");
	fprintf(f, "LOG OPTIONS (docs/audit.md): --log FILE [--log-key KEY] [--redact --redact-salt FILE]\n"
	           "  [--fsync every|close|N] [--log-rotate BYTES]. --verify-key PUB refuses unsigned or changed packs.\n");
}

const char *cli_verify_key;

int main(int argc, char **argv)
{
	/* --verify-key PUB applies to every engine the command opens (cli_open_engine) */
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--verify-key") == 0) {
			cli_verify_key = argv[i + 1];
			memmove(argv + i, argv + i + 2, (size_t)(argc - i - 1) * sizeof *argv); /* with the NULL */
			argc -= 2;
			break;
		}
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	if (strcmp(argv[1], "--version") == 0) {
		printf("sa %s\n", sa_version());
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", cli_prog, argv[1]);
	cli_usage(stderr);
	return 2;
}
