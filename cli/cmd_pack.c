/* cmd_pack.c - sa pack show / sa pack diff: what a pack chain holds, and how two differ
 * (docs/pack-tools.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void date_text(char *buf, size_t size, sa_date d)
{
	if (d)
		sa_date_format(buf, size, d);
	else
		snprintf(buf, size, "%s", "");
}

static void print_history(const sa_param_info *p)
{
	for (size_t i = 0; i < p->nvalues; i++) {
		const sa_param_value *v = &p->values[i];
		char from[16], until[16];
		date_text(from, sizeof from, v->from);
		date_text(until, sizeof until, v->until);
		printf("        %s..%-10s %-12s %-10s %s%s%s\n", from, until, v->value ? v->value : "null", v->pack, v->ref,
		       v->note ? "  -- " : "", v->note ? v->note : "");
	}
}

static int show(const char *path, const char *id, const char *prefix, sa_date on, int history)
{
	sa_pack_info *info;
	char d[16];
	size_t n;
	if (sa_pack_info_load(&info, path, id) < 0)
		return cli_error(id);
	sa_date_format(d, sizeof d, on);
	printf("pack %s: %s (version %s)\n", sa_pack_info_id(info), sa_pack_info_title(info), sa_pack_info_version(info));
	printf("dir: %s\nhash: %s\nchain:", sa_pack_info_dir(info), sa_pack_info_hash(info));
	for (size_t i = 0; i < sa_pack_info_chain_count(info); i++)
		printf("%s%s", i ? " > " : " ", sa_pack_info_chain_id(info, i));
	n = sa_pack_info_param_count(info);
	printf("\n\nparameters on %s (%zu):\n", d, n);
	for (size_t i = 0; i < n; i++) {
		const sa_param_info *p = sa_pack_info_param(info, i);
		const sa_param_value *v = sa_pack_info_param_at(info, p, on);
		char from[16], until[16];
		if (prefix && strncmp(p->name, prefix, strlen(prefix)) != 0)
			continue;
		printf("  %s = %s  [%s, %s%s%s]\n", p->name, v && v->value ? v->value : "(none)", p->type, p->unit,
		       p->rounding ? ", rounding " : "", p->rounding ? p->rounding : "");
		if (v) {
			date_text(from, sizeof from, v->from);
			date_text(until, sizeof until, v->until);
			printf("      in force from %s%s%s, set by %s (%s:%d): %s\n", from, v->until ? " until " : "", until,
			       v->pack, v->file, v->line, v->ref);
		}
		printf("      declared by %s: %s\n", p->declared_by, p->ref);
		if (history && p->nvalues) {
			printf("      history:\n");
			print_history(p);
		}
	}
	n = sa_pack_info_rule_count(info);
	printf("\nrule functions (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const sa_rule_info *r = sa_pack_info_rule(info, i);
		if (prefix && strncmp(r->name, prefix, strlen(prefix)) != 0)
			continue;
		printf("  %-32s %-10s %s:%d", r->name, r->defined_by, r->file, r->line);
		if (r->overrides)
			printf("  overrides %s%s", r->overrides, r->calls_super ? " (calls super)" : "");
		if (r->ndefined > 1) {
			printf("; defined in");
			for (size_t k = 0; k < r->ndefined; k++)
				printf("%s%s", k ? ", " : " ", r->defined_in[k]);
		}
		printf("\n");
	}
	sa_pack_info_free(info);
	return 0;
}

static int diff_item(const sa_diff_item *it, void *payload)
{
	(void)payload;
	switch (it->kind) {
	case SA_DIFF_PARAM_LEFT_ONLY: printf("param- %s: only left: %s\n", it->name, it->left); break;
	case SA_DIFF_PARAM_RIGHT_ONLY: printf("param+ %s: only right: %s\n", it->name, it->right); break;
	case SA_DIFF_PARAM_DECL: printf("param~ %s: declaration\n    - %s\n    + %s\n", it->name, it->left, it->right); break;
	case SA_DIFF_PARAM_VALUE: printf("param~ %s: value\n    - %s\n    + %s\n", it->name, it->left, it->right); break;
	case SA_DIFF_PARAM_HISTORY: printf("param~ %s: history\n    - %s\n    + %s\n", it->name, it->left, it->right); break;
	case SA_DIFF_RULE_LEFT_ONLY: printf("rule-  %s: only left: %s\n", it->name, it->left); break;
	case SA_DIFF_RULE_RIGHT_ONLY: printf("rule+  %s: only right: %s\n", it->name, it->right); break;
	case SA_DIFF_RULE_CHANGED: printf("rule~  %s\n    - %s\n    + %s\n", it->name, it->left, it->right); break;
	case SA_DIFF_SERVICES:
		printf("services~ %s\n    - %s\n    + %s\n", it->name, it->left ? it->left : "(none)", it->right ? it->right : "(none)");
		break;
	}
	return 0;
}

static int diff(const char *lpath, const char *rpath, const char *a, const char *b, sa_date on)
{
	sa_pack_info *l, *r;
	char d[16];
	int n;
	if (sa_pack_info_load(&l, lpath, a) < 0)
		return cli_error(a) + 1;
	if (sa_pack_info_load(&r, rpath, b) < 0) {
		sa_pack_info_free(l);
		return cli_error(b) + 1;
	}
	sa_date_format(d, sizeof d, on);
	printf("--- %s (%s)\n+++ %s (%s)\nvalues on %s\n", a, sa_pack_info_dir(l), b, sa_pack_info_dir(r), d);
	n = sa_pack_info_diff(l, r, on, diff_item, NULL);
	sa_pack_info_free(l);
	sa_pack_info_free(r);
	if (n < 0)
		return cli_error("diff") + 1;
	printf("%d difference%s\n", n, n == 1 ? "" : "s");
	return n > 0 ? 1 : 0;
}

int cmd_pack(int argc, char **argv)
{
	const char *path = NULL, *lpath = NULL, *rpath = NULL, *pos[2] = { NULL, NULL };
	sa_date on = cli_today();
	int history = 0, npos = 0;
	if (argc < 1) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "archive") == 0 || strcmp(argv[0], "sign") == 0 || strcmp(argv[0], "verify") == 0)
		return cmd_pack_audit(argc, argv); /* cmd_pack_audit.c */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pack-path") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--left-path") == 0 && i + 1 < argc)
			lpath = argv[++i];
		else if (strcmp(argv[i], "--right-path") == 0 && i + 1 < argc)
			rpath = argv[++i];
		else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
			if (sa_date_parse(&on, argv[++i]) < 0) {
				fprintf(stderr, "%s pack: '%s' is not a date YYYY-MM-DD\n", cli_prog, argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--history") == 0)
			history = 1;
		else if (argv[i][0] == '-' || npos == 2) {
			cli_usage(stderr);
			return 2;
		} else
			pos[npos++] = argv[i];
	}
	if (strcmp(argv[0], "show") == 0 && (npos == 1 || npos == 2))
		return show(path, pos[0], pos[1], on, history);
	if (strcmp(argv[0], "diff") == 0 && npos == 2)
		return diff(lpath ? lpath : path, rpath ? rpath : path, pos[0], pos[1], on);
	cli_usage(stderr);
	return 2;
}
