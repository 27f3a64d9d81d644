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
	printf(cli_english ? "pack %s: %s (version %s)\n" : "政策包 pack %s: %s (版本 version %s)\n", sa_pack_info_id(info), sa_pack_info_title(info), sa_pack_info_version(info));
	printf(cli_english ? "dir: %s\nhash: %s\nchain:" : "目录 dir: %s\n哈希 hash: %s\n链条 chain:", sa_pack_info_dir(info), sa_pack_info_hash(info));
	for (size_t i = 0; i < sa_pack_info_chain_count(info); i++)
		printf("%s%s", i ? " > " : " ", sa_pack_info_chain_id(info, i));
	n = sa_pack_info_param_count(info);
	if (cli_english)
		printf("\n\nparameters on %s (%zu):\n", d, n);
	else
		printf("\n\n%s 的参数 / parameters on %s (%zu):\n", d, d, n);
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
			printf("      %sin force from %s%s%s, set by %s (%s:%d): %s\n", cli_english ? "" : "生效 ", from,
			       v->until ? " until " : "", until, v->pack, v->file, v->line, v->ref);
		}
		printf("      %sdeclared by %s: %s\n", cli_english ? "" : "声明 ", p->declared_by, p->ref);
		if (p->rounding_by && p->declared_by && strcmp(p->rounding_by, p->declared_by) != 0)
			printf("      %srounding %s overridden by %s\n", cli_english ? "" : "取整 ", p->rounding, p->rounding_by);
		if (history && p->nvalues) {
			printf("      history:\n");
			print_history(p);
		}
	}
	n = sa_pack_info_rule_count(info);
	printf(cli_english ? "\nrule functions (%zu):\n" : "\n规则函数 / rule functions (%zu):\n", n);
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

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_date(FILE *f, sa_date d)
{
	char b[16];
	if (!d) {
		fputs("null", f);
		return;
	}
	sa_date_format(b, sizeof b, d);
	json_str(f, b);
}

/* A parameter's value as JSON: money as the exact decimal string with its integer _fen beside
 * it (printed by the caller), integers and booleans as JSON numbers and booleans. */
static void json_value(FILE *f, const char *type, const char *value)
{
	sa_fen fen;
	if (!value)
		fputs("null", f);
	else if (strcmp(type, "money") == 0 && sa_money_parse(&fen, value) == 0) {
		char y[40];
		sa_money_format(y, sizeof y, fen);
		json_str(f, y);
		fprintf(f, ", \"value_fen\": %lld", (long long)fen);
	} else if (strcmp(type, "int") == 0 && value[strspn(value, "-0123456789")] == 0 && *value)
		fputs(value, f);
	else if (strcmp(type, "bool") == 0 && (strcmp(value, "true") == 0 || strcmp(value, "false") == 0))
		fputs(value, f);
	else
		json_str(f, value);
}

static void json_entry(FILE *f, const sa_param_info *p, const sa_param_value *v)
{
	fputs("{\"from\": ", f);
	json_date(f, v->from);
	fputs(", \"until\": ", f);
	json_date(f, v->until);
	fputs(", \"value\": ", f);
	json_value(f, p->type, v->value);
	fputs(", \"pack\": ", f);
	json_str(f, v->pack);
	fputs(", \"file\": ", f);
	json_str(f, v->file);
	fprintf(f, ", \"line\": %d, \"ref\": ", v->line);
	json_str(f, v->ref);
	fputs(", \"note\": ", f);
	json_str(f, v->note);
	fputs("}", f);
}

static int show_json(const char *path, const char *id, const char *prefix, sa_date on)
{
	sa_pack_info *info;
	FILE *f = stdout;
	size_t n;
	int first = 1;
	if (sa_pack_info_load(&info, path, id) < 0)
		return cli_error(id);
	fputs("{\n  \"id\": ", f);
	json_str(f, sa_pack_info_id(info));
	fputs(",\n  \"title\": ", f);
	json_str(f, sa_pack_info_title(info));
	fputs(",\n  \"version\": ", f);
	json_str(f, sa_pack_info_version(info));
	fputs(",\n  \"dir\": ", f);
	json_str(f, sa_pack_info_dir(info));
	fputs(",\n  \"hash\": ", f);
	json_str(f, sa_pack_info_hash(info));
	fputs(",\n  \"date\": ", f);
	json_date(f, on);
	fputs(",\n  \"chain\": [", f);
	for (size_t i = 0; i < sa_pack_info_chain_count(info); i++) {
		fputs(i ? ", " : "", f);
		json_str(f, sa_pack_info_chain_id(info, i));
	}
	fputs("],\n  \"params\": [", f);
	n = sa_pack_info_param_count(info);
	for (size_t i = 0; i < n; i++) {
		const sa_param_info *p = sa_pack_info_param(info, i);
		const sa_param_value *v = sa_pack_info_param_at(info, p, on);
		if (prefix && strncmp(p->name, prefix, strlen(prefix)) != 0)
			continue;
		fputs(first ? "\n    {\"name\": " : ",\n    {\"name\": ", f);
		first = 0;
		json_str(f, p->name);
		fputs(", \"type\": ", f);
		json_str(f, p->type);
		fputs(", \"unit\": ", f);
		json_str(f, p->unit);
		fputs(", \"title\": ", f);
		json_str(f, p->title);
		fputs(", \"rounding\": ", f);
		json_str(f, p->rounding);
		fputs(", \"declared_by\": ", f);
		json_str(f, p->declared_by);
		fputs(", \"ref\": ", f);
		json_str(f, p->ref);
		fputs(",\n     \"in_force\": ", f);
		if (v)
			json_entry(f, p, v);
		else
			fputs("null", f);
		fputs(",\n     \"history\": [", f);
		for (size_t k = 0; k < p->nvalues; k++) {
			fputs(k ? ",\n       " : "\n       ", f);
			json_entry(f, p, &p->values[k]);
		}
		fputs("]}", f);
	}
	fputs("\n  ],\n  \"rules\": [", f);
	first = 1;
	n = sa_pack_info_rule_count(info);
	for (size_t i = 0; i < n; i++) {
		const sa_rule_info *r = sa_pack_info_rule(info, i);
		if (prefix && strncmp(r->name, prefix, strlen(prefix)) != 0)
			continue;
		fputs(first ? "\n    {\"name\": " : ",\n    {\"name\": ", f);
		first = 0;
		json_str(f, r->name);
		fputs(", \"defined_by\": ", f);
		json_str(f, r->defined_by);
		fputs(", \"file\": ", f);
		json_str(f, r->file);
		fprintf(f, ", \"line\": %d, \"last_line\": %d, \"overrides\": ", r->line, r->last_line);
		json_str(f, r->overrides);
		fprintf(f, ", \"calls_super\": %s, \"defined_in\": [", r->calls_super ? "true" : "false");
		for (size_t k = 0; k < r->ndefined; k++) {
			fputs(k ? ", " : "", f);
			json_str(f, r->defined_in[k]);
		}
		fputs("]}", f);
	}
	fputs("\n  ]\n}\n", f);
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

typedef struct {
	int history;
	const char *lpath, *rpath, *to, *key;
} pack_opts;

static int own(int c, const char *arg, void *ud)
{
	pack_opts *p = ud;
	if (c == OPT_HISTORY)
		p->history = 1;
	else if (c == OPT_LEFT_PATH)
		p->lpath = arg;
	else if (c == OPT_RIGHT_PATH)
		p->rpath = arg;
	else if (c == OPT_TO)
		p->to = arg;
	else if (c == OPT_KEY)
		p->key = arg;
	else
		return 1;
	return 0;
}

int cmd_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "date", required_argument, NULL, OPT_DATE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "history", no_argument, NULL, OPT_HISTORY },
		{ "left-path", required_argument, NULL, OPT_LEFT_PATH },
		{ "right-path", required_argument, NULL, OPT_RIGHT_PATH },
		{ "to", required_argument, NULL, OPT_TO },
		{ "key", required_argument, NULL, OPT_KEY },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { 0 };
	pack_opts po = { 0 };
	const char *sub, *path;
	int first, status = 0, npos;
	if ((first = cli_parse(argc, argv, longopts, &o, own, &po, &status)) < 0)
		return status;
	if (!o.date)
		o.date = cli_today();
	path = o.pack_path;
	sub = first < argc ? argv[first++] : "";
	npos = argc - first;
	if (strcmp(sub, "show") == 0 && (npos == 1 || npos == 2)) {
		if (!o.format || strcmp(o.format, "text") == 0)
			return show(path, argv[first], npos == 2 ? argv[first + 1] : NULL, o.date, po.history);
		if (strcmp(o.format, "json") == 0)
			return show_json(path, argv[first], npos == 2 ? argv[first + 1] : NULL, o.date);
	}
	if (strcmp(sub, "doc") == 0 && npos == 1 && (!o.format || strcmp(o.format, "md") == 0 || strcmp(o.format, "html") == 0))
		return cli_pack_doc(path, argv[first], o.date, o.format ? o.format : "md");
	if ((strcmp(sub, "archive") == 0 || strcmp(sub, "sign") == 0 || strcmp(sub, "verify") == 0) && npos == 1)
		return cli_pack_audit(sub, path, argv[first], po.to, po.key);
	if (strcmp(sub, "diff") == 0 && npos == 2 && !o.format)
		return diff(po.lpath ? po.lpath : path, po.rpath ? po.rpath : path, argv[first], argv[first + 1], o.date);
	cli_command_usage(stderr, argv[0]);
	return 2;
}
