/* cmd_test.c - sa test: run the packs' golden tests; --coverage reports the rule lines they ran;
 * --record writes the current decision on a household as a golden case for review. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	int verbose, coverage;
	const char *record, *name;
	/* coverage totals of the pack being tested, per defining pack */
	char cov_pack[64];
	size_t cov_lines, cov_run, all_lines, all_run;
} test_opts;

static int own(int c, const char *arg, void *ud)
{
	test_opts *t = ud;
	switch (c) {
	case 'v': t->verbose = 1; break;
	case OPT_COVERAGE: t->coverage = 1; break;
	case OPT_RECORD: t->record = arg; break;
	case OPT_NAME: t->name = arg; break;
	default: return 1;
	}
	return 0;
}

static void on_case(const sa_test_case *c, void *payload)
{
	test_opts *t = payload;
	char detail[4200];
	if (c->ok) {
		if (t->verbose)
			printf("ok   %s: %s\n", c->pack, c->name);
		return;
	}
	printf("FAIL %s %s:%d: %s\n", c->pack, c->file, c->line, c->name);
	/* field by field: the library writes "field: expected X, got Y; " for each */
	for (const char *p = c->detail; p && *p;) {
		const char *end = strstr(p, "; ");
		size_t n = end ? (size_t)(end - p) + 2 : strlen(p);
		char one[2048];
		snprintf(one, sizeof one, "%.*s", (int)n, p);
		cli_text(detail, sizeof detail, one);
		/* the catalog's entries keep the "; " of the format: drop it for display */
		{
			char *semi = strstr(detail, "； / ");
			size_t k;
			if (semi)
				memmove(semi, semi + strlen("；"), strlen(semi + strlen("；")) + 1);
			for (k = strlen(detail); k > 0 && (detail[k - 1] == ' ' || detail[k - 1] == ';'); k--)
				detail[k - 1] = 0;
		}
		printf("     %s\n", detail);
		p += n;
	}
	if (c->reasons) {
		printf("     %s\n", cli_english ? "the decision's reasons:" : "决定的理由 / the decision's reasons:");
		for (const char *p = c->reasons; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			printf("       %.*s\n", (int)n, p);
			p += n + (nl ? 1 : 0);
		}
	}
}

static void ranges(const int *v, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && v[j + 1] == v[j] + 1)
			j++;
		if (j > i)
			printf("%s%d-%d", i ? ", " : "", v[i], v[j]);
		else
			printf("%s%d", i ? ", " : "", v[i]);
		i = j + 1;
	}
}

static void flush_pack(test_opts *t)
{
	if (t->cov_pack[0] && t->cov_lines)
		printf("  %s %s: %zu/%zu (%.1f%%)\n", cli_english ? "rules of" : "规则所在包 rules of", t->cov_pack, t->cov_run,
		       t->cov_lines, 100.0 * (double)t->cov_run / (double)t->cov_lines);
	t->cov_pack[0] = 0;
	t->cov_lines = t->cov_run = 0;
}

static void on_coverage(const sa_test_coverage *c, void *payload)
{
	test_opts *t = payload;
	if (strcmp(t->cov_pack, c->defined_by) != 0) {
		flush_pack(t);
		snprintf(t->cov_pack, sizeof t->cov_pack, "%s", c->defined_by);
	}
	t->cov_lines += c->lines;
	t->cov_run += c->executed;
	t->all_lines += c->lines;
	t->all_run += c->executed;
	printf("  %-36s %5zu/%-5zu %5.1f%%", c->file, c->executed, c->lines,
	       c->lines ? 100.0 * (double)c->executed / (double)c->lines : 100.0);
	if (c->nmissed) {
		printf("  %s ", cli_english ? "not run:" : "未执行 not run:");
		ranges(c->missed, c->nmissed);
	}
	printf("\n");
}

/* A YAML scalar that reads back as the same text. */
static void yaml_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

/* sa test --record FILE --pack ID: the decision on the first household of FILE, as a case. */
static int record(const cli_opts *o, const test_opts *t)
{
	const char *name = strcmp(t->record, "-") == 0 ? "<stdin>" : t->record;
	sa_household **hh;
	sa_decision *d;
	sa_engine *e;
	size_t n, len;
	char date[16], *text, *json;
	int status = 0;
	if (!(text = cli_slurp(t->record, &len)))
		return 1;
	if (!(e = cli_open_engine(o->pack_path, o->pack))) {
		free(text);
		return 1;
	}
	if (sa_household_parse(&hh, &n, text, len, name) < 0 || n == 0) {
		free(text);
		sa_engine_free(e);
		return cli_error(name);
	}
	free(text);
	sa_date_format(date, sizeof date, o->date);
	printf("# Recorded by sa test --record from %s with pack %s on %s.\n", name, o->pack, date);
	printf("# Review every figure against its legal source, and write the source and arithmetic, before\n"
	       "# committing: a recorded case states what the rules do today, not what the policy says.\n"
	       "# 由 sa test --record 生成：提交前请逐项对照文件核实金额，并写明出处和算式。\n");
	printf("cases:\n");
	for (size_t k = 0; k < n; k++) {
		if (sa_evaluate(&d, e, hh[k], o->date) < 0) {
			status = cli_error(name);
			continue;
		}
		if (sa_household_to_yaml(&json, hh[k]) < 0) {
			sa_decision_free(d);
			status = cli_error(name);
			continue;
		}
		printf("  - name: ");
		if (t->name && n == 1)
			yaml_str(t->name);
		else {
			char buf[300];
			snprintf(buf, sizeof buf, "%s%s%s", t->name ? t->name : "", t->name ? " " : "", sa_household_id(hh[k]));
			yaml_str(buf);
		}
		printf("\n    source: \"TODO: document, number and date; the arithmetic\"\n");
		printf("    date: %s\n    household: %s\n    expect:\n", date, json);
		sa_free(json);
		printf("      tier: %s\n", sa_decision_tier(d));
		if (sa_decision_circle(d))
			printf("      circle: %d\n", sa_decision_circle(d));
		else
			printf("      circle: null\n");
		printf("      programs:\n");
		for (size_t i = 0; i < sa_decision_program_count(d); i++) {
			sa_fen fen;
			sa_status st = SA_UNDETERMINED;
			char money[40];
			const char *care = sa_decision_program_care_level(d, i);
			sa_decision_program_status(&st, d, i);
			printf("        %s: { status: %s", sa_decision_program_name(d, i), sa_status_name(st));
			if (sa_decision_program_amount(&fen, d, i) == 0) {
				sa_money_format(money, sizeof money, fen);
				printf(", amount: \"%s\"", money);
			} else
				printf(", amount: null");
			if (care)
				printf(", care_level: %s", care);
			if (sa_decision_program_member_count(d, i)) {
				printf(", members: [");
				for (size_t m = 0; m < sa_decision_program_member_count(d, i); m++) {
					printf("%s", m ? ", " : "");
					yaml_str(sa_decision_program_member(d, i, m));
				}
				printf("]");
			}
			printf(" }\n");
		}
		printf("      missing: [");
		for (size_t m = 0; m < sa_decision_missing_count(d); m++) {
			printf("%s", m ? ", " : "");
			yaml_str(sa_decision_missing(d, m));
		}
		printf("]\n");
		sa_decision_free(d);
	}
	sa_household_array_free(hh, n);
	sa_engine_free(e);
	return status;
}

int cmd_test(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "verbose", no_argument, NULL, 'v' },
		{ "coverage", no_argument, NULL, OPT_COVERAGE },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ 0, 0, 0, 0 }
	};
	cli_opts co = { 0 };
	test_opts t = { 0 };
	sa_test_counts counts = { 0, 0 };
	sa_test_options opts;
	const char *pack_path;
	char **packs = NULL;
	size_t npacks = 0;
	int status = 0, first, listed = 0;

	if ((first = cli_parse(argc, argv, longopts, &co, own, &t, &status)) < 0)
		return status;
	pack_path = co.pack_path;
	if (t.record) {
		if (!co.pack || first != argc) {
			cli_fail(2, "--record needs --pack and no PACK arguments");
			cli_command_usage(stderr, argv[0]);
			return 2;
		}
		if (!co.date)
			co.date = cli_today();
		return record(&co, &t);
	}
	if (first < argc) {
		packs = argv + first;
		npacks = (size_t)(argc - first);
	} else { /* every pack on the path */
		if (sa_pack_list(&packs, &npacks, pack_path) < 0)
			return cli_error(sa_pack_path_resolve(pack_path));
		if (npacks == 0)
			return cli_fail(1, "no packs in %s", sa_pack_path_resolve(pack_path));
		listed = 1;
	}
	sa_test_options_init(&opts, SA_TEST_OPTIONS_VERSION);
	opts.on_case = on_case;
	opts.payload = &t;
	if (t.coverage) {
		opts.flags |= SA_TEST_COVERAGE;
		opts.on_coverage = on_coverage;
	}
	for (size_t i = 0; i < npacks; i++) {
		sa_test_counts before = counts;
		if (t.coverage)
			printf("%s %s:\n", cli_english ? "coverage of the rules by the golden cases of" : "黄金用例的规则覆盖率 / coverage of the rules by the golden cases of", packs[i]);
		if (sa_pack_test_ex(&counts, pack_path, packs[i], &opts) < 0) {
			cli_error(packs[i]);
			counts.failed++;
			status = 1;
		}
		if (t.coverage) {
			flush_pack(&t);
			printf("  %s %zu/%zu (%.1f%%); %zu passed, %zu failed\n", cli_english ? "total" : "合计 total", t.all_run,
			       t.all_lines, t.all_lines ? 100.0 * (double)t.all_run / (double)t.all_lines : 100.0,
			       counts.passed - before.passed, counts.failed - before.failed);
			t.all_lines = t.all_run = 0;
		}
	}
	if (listed)
		sa_pack_list_free(packs, npacks);
	if (!cli_english)
		printf("%zu 个通过，%zu 个失败 / ", counts.passed, counts.failed);
	printf("%zu passed, %zu failed\n", counts.passed, counts.failed);
	return status || counts.failed ? 1 : 0;
}
