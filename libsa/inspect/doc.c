/* doc.c - sa_pack_doc: a pack's reference, generated from the pack itself (`sa pack doc`).
 *
 * Rule functions are documented without running them: what each reads (fields of its
 * arguments, parameters named by a constant) and how it returns is found in its bytecode by
 * the same scan lint uses (lua/scan.h); the comment above its definition is its
 * author's description. Parameters come from sa_pack_info (declaration, rounding in force,
 * every dated value of every pack with its source). Markdown or HTML from one walk. */
#include "core/internal.h"
#include "core/decision_internal.h"
#include "pack/pack.h"
#include "lua/bridge.h"
#include "lua/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	sa_buf b;
	int html;
} doc;

/* text, escaped for the format */
static void put(doc *d, const char *s)
{
	for (; s && *s; s++) {
		if (d->html && (*s == '<' || *s == '>' || *s == '&'))
			sa__buf_str(&d->b, *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : "&amp;");
		else if (!d->html && (*s == '|' || *s == '*' || *s == '_' || *s == '<' || *s == '`' || *s == '[')) {
			char esc[3] = { '\\', *s, 0 };
			sa__buf_str(&d->b, esc);
		} else if (*s == '\n')
			sa__buf_str(&d->b, d->html ? "<br>" : " ");
		else
			sa__buf_add(&d->b, s, 1);
	}
}

static void raw(doc *d, const char *s)
{
	sa__buf_str(&d->b, s);
}

static void code(doc *d, const char *s)
{
	if (d->html) {
		raw(d, "<code>");
		put(d, s);
		raw(d, "</code>");
	} else {
		raw(d, "`");
		sa__buf_str(&d->b, s);
		raw(d, "`");
	}
}

static void heading(doc *d, int level, const char *id, const char *text)
{
	if (d->html) {
		sa__buf_fmt(&d->b, "<h%d%s%s%s>", level, id ? " id=\"" : "", id ? id : "", id ? "\"" : "");
		put(d, text);
		sa__buf_fmt(&d->b, "</h%d>\n", level);
	} else {
		for (int i = 0; i < level; i++)
			raw(d, "#");
		raw(d, " ");
		sa__buf_str(&d->b, text);
		raw(d, "\n\n");
	}
}

static void para_open(doc *d)
{
	raw(d, d->html ? "<p>" : "");
}

static void para_close(doc *d)
{
	raw(d, d->html ? "</p>\n" : "\n\n");
}

static void item_open(doc *d)
{
	raw(d, d->html ? "<li>" : "- ");
}

static void item_close(doc *d)
{
	raw(d, d->html ? "</li>\n" : "\n");
}

static void list_open(doc *d)
{
	raw(d, d->html ? "<ul>\n" : "");
}

static void list_close(doc *d)
{
	raw(d, d->html ? "</ul>\n" : "\n");
}

static void row(doc *d, const char *const *cells, int n, int header)
{
	if (d->html) {
		raw(d, "<tr>");
		for (int i = 0; i < n; i++) {
			raw(d, header ? "<th>" : "<td>");
			put(d, cells[i] ? cells[i] : "");
			raw(d, header ? "</th>" : "</td>");
		}
		raw(d, "</tr>\n");
	} else {
		raw(d, "|");
		for (int i = 0; i < n; i++) {
			raw(d, " ");
			put(d, cells[i] ? cells[i] : "");
			raw(d, " |");
		}
		raw(d, "\n");
		if (header) {
			raw(d, "|");
			for (int i = 0; i < n; i++)
				raw(d, " --- |");
			raw(d, "\n");
		}
	}
}

/* ---- what a rule function reads and returns ---- */

typedef struct {
	char **v;
	size_t n, cap;
} names;

static void names_add(names *s, const char *x, int *oom)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **g = realloc(s->v, cap * sizeof *g);
		if (!g) {
			*oom = 1;
			return;
		}
		s->v = g;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(x)))
		*oom = 1;
	else
		s->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* A list of names, comma-separated, each as code; "-" when empty. */
static void code_list(doc *d, names *s)
{
	if (s->n == 0) {
		raw(d, "—");
		return;
	}
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			raw(d, ", ");
		code(d, s->v[i]);
	}
}

/* Fields of the records the rules return (docs/lua-api.md): the contract, by key. */
static const struct {
	const char *key, *type;
} record_fields[] = {
	{ "program", "text: tekun, dibao, edge, rigid, temporary.*, special.*" },
	{ "status", "\"eligible\" | \"ineligible\" | \"undetermined\"" },
	{ "amount", "integer fen: the program's amount per month (or per period), or nil when unknown / none; in a margin, the smallest change that flips the test (> 0)" },
	{ "care_level", "\"self\" | \"partial\" | \"full\" (tekun), or nil" },
	{ "care_levels", "list, one per entry of members in the same order: \"self\" | \"partial\" | \"full\", or false when not assessed (tekun)" },
	{ "members", "list of member ids (text) covered" },
	{ "reasons", "a reason handle (sa.reason, sa.reasons) or a list of them; the old contract's reason records {id, zh, en, ref, params, values} are still read (docs/rule-authors.md 5.5)" },
	{ "missing", "list of names of the missing facts (param:<name>, member:<id>.<field>, household.<field>, supporter:<n>.<field>, numbered from 0)" },
	{ "parts", "map: part name -> integer fen (tekun: basic, care)" },
	{ "period", "\"month\" | \"once\"" },
	{ "margin", "record: the distance of the income test to its threshold {test, basis, direction, amount, value, op, limit, passes, other_conditions, standard, persons, base, num, den, member, candidates} (docs/decision.md), or nil" },
	{ "tier", "\"tekun\" | \"dibao\" | \"edge\" | \"rigid\" | \"none\"" },
	{ "circle", "1 | 2 | 3, or nil" },
	{ "programs", "list of program records" },
	{ "id", "text (a reason id, or a member id)" },
	{ "zh", "text (a template when values is given: {name}, {name:yuan}; else plain text)" },
	{ "en", "text (a template when values is given; else plain text)" },
	{ "ref", "text: the legal source" },
	{ "params", "list of parameter names" },
	{ "values", "map: template values (text or integer; fen for {name:yuan})" },
	/* margin records (rules/margin.lua, rules/tekun.lua; docs/decision.md) */
	{ "test", "text: the income test (dibao.income, edge.income, rigid.spending, tekun.income)" },
	{ "basis", "\"income\" | \"own_income\" | \"rigid_spending\": what changes (default income)" },
	{ "direction", "\"up\" | \"down\": how the quantity must move to flip the test" },
	{ "value", "integer fen: the compared quantity now" },
	{ "op", "\"<\" | \">\" | \">=\": the test that passes (default <)" },
	{ "limit", "integer fen: the threshold (value op limit passes)" },
	{ "passes", "boolean: the test holds now" },
	{ "other_conditions", "boolean: the program has further conditions" },
	{ "standard", "integer fen: the standard of an income test" },
	{ "persons", "integer: counted persons of an income test" },
	{ "base", "integer fen: rigid, the annual income the share is taken of" },
	{ "num", "integer: numerator of the multiple or share" },
	{ "den", "integer: denominator of the multiple or share" },
	{ "member", "text: 特困, the candidate the margin describes" },
	{ "candidates", "list of margin records, one per 特困 candidate" },
	{ NULL, NULL }
};

static const char *field_type(const char *key)
{
	for (int i = 0; record_fields[i].key; i++)
		if (strcmp(record_fields[i].key, key) == 0)
			return record_fields[i].type;
	return NULL;
}

/* The comment lines just above line `line` of text (the author's description), joined. */
static void comment_above(sa_buf *out, const char *text, size_t len, int line)
{
	const char *starts[4096];
	int nl = 0, first;
	size_t i = 0;
	while (i <= len && nl < 4096 && nl < line) {
		starts[nl++] = text + i;
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	if (nl < line)
		return;
	first = line - 1; /* index of the definition's line */
	/* file-level locals may stand between the comment and the function (tables it uses) */
	{
		int k = first;
		while (k > 0 && (starts[k - 1][0] == '\n' || starts[k - 1][0] == '\r'))
			k--; /* a blank line just above the function */
		for (int skip = 0; skip < 12 && k > 0; skip++) {
			const char *p = starts[k - 1];
			while (*p == ' ' || *p == '\t')
				p++;
			if (p[0] == '-' && p[1] == '-') {
				first = k;
				break;
			}
			if (*p == '\n' || *p == '\r' || !*p)
				break;
			k--;
		}
	}
	line = first + 1;
	while (first > 0) {
		const char *p = starts[first - 1];
		while (*p == ' ' || *p == '\t')
			p++;
		if (p[0] != '-' || p[1] != '-')
			break;
		first--;
	}
	for (int k = first; k < line - 1; k++) {
		const char *p = starts[k], *e;
		while (*p == ' ' || *p == '\t')
			p++;
		p += 2;
		while (*p == '-')
			p++;
		if (*p == ' ')
			p++;
		for (e = p; e < text + len && *e != '\n'; e++)
			;
		if (out->n)
			sa__buf_str(out, "\n");
		sa__buf_add(out, p, (size_t)(e - p));
	}
}

typedef struct {
	const sa_pfile *file;
	sa_lscan scan;
	int ok;
} scanned;

static void rule_section(doc *d, const sa_rule_info *r, const sa_policy *pol, scanned *sc, size_t nsc, int *oom)
{
	char title[700], anchor[300];
	const scanned *f = NULL;
	int def = -1;
	names params = { 0 }, fields = { 0 }, calls = { 0 }, keys = { 0 }, counts = { 0 };
	sa_buf comment = { 0 };
	char args[300] = "";
	(void)pol;
	for (size_t i = 0; i < nsc && !f; i++)
		if (sc[i].ok && strcmp(sc[i].file->name, r->file) == 0)
			f = &sc[i];
	for (size_t k = 0; f && k < f->scan.n && def < 0; k++)
		if (f->scan.refs[k].kind == SA_LREF_RULE_DEF && strcmp(f->scan.refs[k].name, r->name) == 0 &&
		    f->scan.refs[k].line == r->line)
			def = (int)k;
	/* the arguments, as the definition names them */
	if (f) {
		const char *t = f->file->text, *end = t + f->file->len, *p = t;
		for (int l = 1; l < r->line && p < end; p++)
			if (*p == '\n')
				l++;
		{
			const char *e = p;
			while (e < end && *e != '\n')
				e++;
			{
				const char *o = memchr(p, '(', (size_t)(e - p)), *c = o ? memchr(o, ')', (size_t)(e - o)) : NULL;
				if (o && c)
					snprintf(args, sizeof args, "%.*s", (int)(c - o - 1), o + 1);
			}
		}
		comment_above(&comment, f->file->text, f->file->len, r->line);
	}
	for (size_t k = 0; f && def >= 0 && k < f->scan.n; k++) {
		const sa_lref *x = &f->scan.refs[k];
		char buf[300];
		if (x->def != def)
			continue;
		switch (x->kind) {
		case SA_LREF_PARAM: names_add(&params, x->name, oom); break;
		case SA_LREF_ARG_FIELD:
			snprintf(buf, sizeof buf, "%s.%s", x->base, x->name);
			names_add(&fields, buf, oom);
			break;
		case SA_LREF_RULE_GET:
			snprintf(buf, sizeof buf, "rules.%s", x->name);
			names_add(&calls, buf, oom);
			break;
		case SA_LREF_SUPER_GET:
			snprintf(buf, sizeof buf, "super.%s", x->name);
			names_add(&calls, buf, oom);
			break;
		case SA_LREF_RETURN:
			names_add(&counts, x->base, oom);
			for (const char *p = x->name; *p;) {
				size_t l = strcspn(p, ",");
				snprintf(buf, sizeof buf, "%.*s", (int)l, p);
				names_add(&keys, buf, oom);
				p += l + (p[l] == ',');
			}
			break;
		default: break;
		}
	}
	/* a field path that another extends is implied by it: m.income by m.income.wages */
	for (size_t i = 0; i < fields.n; i++) {
		size_t l = strlen(fields.v[i]);
		for (size_t j = 0; j < fields.n; j++)
			if (i != j && strncmp(fields.v[j], fields.v[i], l) == 0 && fields.v[j][l] == '.') {
				free(fields.v[i]);
				fields.v[i] = fields.v[--fields.n];
				i--;
				break;
			}
	}
	snprintf(title, sizeof title, "rules.%.200s(%.300s)", r->name, args);
	snprintf(anchor, sizeof anchor, "rule-%.200s", r->name);
	if (d->html) {
		sa__buf_fmt(&d->b, "<h3 id=\"%s\"><code>", anchor);
		put(d, title);
		raw(d, "</code></h3>\n");
	} else {
		raw(d, "### `");
		raw(d, title);
		raw(d, "`\n\n");
	}
	if (comment.n) {
		if (d->html) {
			raw(d, "<pre>");
			put(d, comment.s);
			raw(d, "</pre>\n");
		} else {
			/* quoted, line by line */
			const char *p = comment.s;
			while (*p) {
				const char *e = strchr(p, '\n');
				size_t l = e ? (size_t)(e - p) : strlen(p);
				char line[1024];
				snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line - 1 ? l : sizeof line - 1), p);
				raw(d, "> ");
				put(d, line);
				raw(d, "\n");
				p += l + (e ? 1 : 0);
			}
			raw(d, "\n");
		}
	}
	list_open(d);
	item_open(d);
	raw(d, "定义 defined by: ");
	code(d, r->defined_by);
	raw(d, ", ");
	{
		char where[400];
		snprintf(where, sizeof where, "%s:%d-%d", r->file, r->line, r->last_line);
		code(d, where);
	}
	if (r->overrides) {
		raw(d, "; 覆盖 overrides ");
		code(d, r->overrides);
		raw(d, r->calls_super ? " (调用 calls super)" : " (不调用 super / does not call super)");
	}
	if (r->ndefined > 1) {
		raw(d, "; 定义于 defined in ");
		for (size_t k = 0; k < r->ndefined; k++) {
			raw(d, k ? ", " : "");
			code(d, r->defined_in[k]);
		}
	}
	item_close(d);
	item_open(d);
	raw(d, "读取的参数 parameters read: ");
	code_list(d, &params);
	item_close(d);
	item_open(d);
	raw(d, "读取的字段 fields read: ");
	code_list(d, &fields);
	item_close(d);
	item_open(d);
	raw(d, "调用 calls: ");
	code_list(d, &calls);
	item_close(d);
	item_open(d);
	raw(d, "返回 returns: ");
	if (counts.n == 0)
		raw(d, "nothing");
	else {
		qsort(counts.v, counts.n, sizeof *counts.v, cmp_str);
		for (size_t k = 0; k < counts.n; k++) {
			raw(d, k ? " or " : "");
			if (strcmp(counts.v[k], "?") == 0)
				raw(d, "what a call returns");
			else {
				raw(d, counts.v[k]);
				raw(d, strcmp(counts.v[k], "1") == 0 ? " value" : " values");
			}
		}
	}
	if (keys.n) {
		raw(d, "; the record built here:");
		list_open(d);
		qsort(keys.v, keys.n, sizeof *keys.v, cmp_str);
		for (size_t k = 0; k < keys.n; k++) {
			const char *t = field_type(keys.v[k]);
			raw(d, d->html ? "<li>" : "\n  - ");
			code(d, keys.v[k]);
			if (t) {
				raw(d, ": ");
				put(d, t);
			}
			raw(d, d->html ? "</li>\n" : "");
		}
		list_close(d);
	}
	item_close(d);
	item_open(d);
	raw(d, "覆盖方法 to override: in your pack's ");
	code(d, "rules/*.lua");
	raw(d, ", ");
	{
		char sig[700];
		snprintf(sig, sizeof sig, "function rules.%s(%s) … end", r->name, args);
		code(d, sig);
		raw(d, "; the parent's version is ");
		snprintf(sig, sizeof sig, "super.%s(%s)", r->name, args);
		code(d, sig);
	}
	item_close(d);
	list_close(d);
	free(comment.s);
	names_free(&params);
	names_free(&fields);
	names_free(&calls);
	names_free(&keys);
	names_free(&counts);
}

static void param_section(doc *d, const sa_pack_info *info, const sa_param_info *p, sa_date on)
{
	const sa_param_value *now = sa_pack_info_param_at(info, p, on);
	char buf[600], anchor[300];
	snprintf(anchor, sizeof anchor, "param-%.200s", p->name);
	if (d->html) {
		sa__buf_fmt(&d->b, "<h3 id=\"%s\"><code>", anchor);
		put(d, p->name);
		raw(d, "</code></h3>\n");
	} else {
		raw(d, "### `");
		raw(d, p->name);
		raw(d, "`\n\n");
	}
	para_open(d);
	put(d, p->title ? p->title : "");
	raw(d, d->html ? "<br>" : "  \n");
	snprintf(buf, sizeof buf, "%s, %s", p->type, p->unit ? p->unit : "");
	raw(d, "类型 type: ");
	code(d, buf);
	if (p->rounding) {
		raw(d, "; 取整 rounding: ");
		code(d, p->rounding);
		if (p->rounding_by && strcmp(p->rounding_by, p->declared_by) != 0) {
			raw(d, " (覆盖 overridden by ");
			code(d, p->rounding_by);
			raw(d, ")");
		}
	}
	raw(d, "; 声明 declared by ");
	code(d, p->declared_by);
	raw(d, ": ");
	put(d, p->ref);
	raw(d, d->html ? "<br>" : "  \n");
	raw(d, "现行值 in force on ");
	sa_date_format(buf, sizeof buf, on);
	raw(d, buf);
	raw(d, ": ");
	if (now) {
		code(d, now->value ? now->value : "null");
		raw(d, ", set by ");
		code(d, now->pack);
	} else
		raw(d, "none (rules that need it answer undetermined)");
	para_close(d);
	if (p->nvalues) {
		static const char *const head[] = { "from", "until", "value", "pack", "source / 出处", "note" };
		raw(d, d->html ? "<table>\n" : "");
		row(d, head, 6, 1);
		for (size_t k = 0; k < p->nvalues; k++) {
			const sa_param_value *v = &p->values[k];
			char from[16] = "", until[16] = "";
			const char *cells[6];
			if (v->from)
				sa_date_format(from, sizeof from, v->from);
			if (v->until)
				sa_date_format(until, sizeof until, v->until);
			cells[0] = from;
			cells[1] = until;
			cells[2] = v->value ? v->value : "null (unknown)";
			cells[3] = v->pack;
			cells[4] = v->ref;
			cells[5] = v->note ? v->note : "";
			row(d, cells, 6, 0);
		}
		raw(d, d->html ? "</table>\n" : "\n");
	}
}

/* ---- the reasons the rules declare ---- */

/* by id; an id declared twice (a reference that follows the date) by its texts */
static int cmp_decl(const void *pa, const void *pb)
{
	const sa_reason_decl *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (!c)
		c = strcmp(a->ref ? a->ref : "", b->ref ? b->ref : "");
	if (!c)
		c = strcmp(a->zh ? a->zh : "", b->zh ? b->zh : "");
	return c ? c : strcmp(a->en ? a->en : "", b->en ? b->en : "");
}

/* The names in v joined by ", " into buf (truncated with "..." when long). */
static const char *joined(char *buf, size_t size, const char *const *v, size_t n)
{
	size_t at = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && at + 4 < size; i++) {
		int w = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", v[i]);
		if (w < 0 || (size_t)w >= size - at) {
			snprintf(buf + size - 4, 4, "...");
			break;
		}
		at += (size_t)w;
	}
	return buf;
}

/* Every sa.reason_def of the chain, by id: the texts a decision can carry and where they cite.
 * Loading the rules runs their top level, where the reasons are declared (docs/rule-authors.md
 * 5.5); a chain whose rules do not load gets the error instead of the table. */
static void reason_section(doc *d, const sa_policy *pol, int *oom)
{
	sa_lua *lua;
	sa_lua_limits lim;
	sa_reason_decl *v;
	size_t n;
	static const char *const head[] = { "id", "中文 / zh", "English", "出处 / reference", "参数 / parameters",
		                            "模板参数 / arguments" };
	heading(d, 2, "reasons", "理由 / Reasons");
	para_open(d);
	raw(d, "规则在加载时用 ");
	code(d, "sa.reason_def");
	raw(d, " 声明的全部理由：决定中的理由文字来自这些模板，{名称} 处填入每户的参数。Every reason the rules "
	       "declare with sa.reason_def when they load: a decision's reason texts are these templates with "
	       "each household's arguments in the {names}.");
	para_close(d);
	memset(&lim, 0, sizeof lim);
	lim.memory_limit = (size_t)64 << 20;
	lim.instruction_limit = 20000000ULL;
	if (sa__lua_new(&lua, pol, &lim) < 0) {
		if (sa_error_last() && sa_error_last()->code == SA_ENOMEM) {
			*oom = 1;
			return;
		}
		para_open(d);
		raw(d, "规则未能加载 / the rules did not load: ");
		put(d, sa_error_last() ? sa_error_last()->message : "?");
		para_close(d);
		return;
	}
	n = sa__lua_reason_decls(lua);
	if (!(v = calloc(n + 1, sizeof *v))) {
		*oom = 1;
		sa__lua_free(lua);
		return;
	}
	for (size_t i = 0; i < n; i++)
		sa__lua_reason_decl(lua, i, &v[i]);
	qsort(v, n, sizeof *v, cmp_decl);
	raw(d, d->html ? "<table>\n" : "");
	row(d, head, 6, 1);
	for (size_t i = 0; i < n; i++) {
		char params[512], args[256];
		const char *cells[6] = { v[i].id, v[i].zh, v[i].en, v[i].ref,
			                 joined(params, sizeof params, v[i].params, v[i].nparams),
			                 joined(args, sizeof args, v[i].args, v[i].nargs) };
		row(d, cells, 6, 0);
	}
	raw(d, d->html ? "</table>\n" : "\n");
	free(v);
	sa__lua_free(lua);
}

int sa_pack_doc(char **out, const char *pack_path, const char *pack_id, sa_date on, unsigned int flags)
{
	sa_pack_info *info = NULL;
	sa_policy *pol = NULL;
	doc d = { { 0 }, (flags & SA_DOC_HTML) != 0 };
	scanned *sc = NULL;
	size_t nsc = 0;
	int rc, oom = 0;
	char buf[512];
	const char *env = getenv("SA_PACK_PATH");
	const char *path = pack_path && *pack_path ? pack_path : env && *env ? env : "policies";

	if (!out || !pack_id)
		return sa__error(SA_EINVALID, "sa_pack_doc: NULL argument");
	*out = NULL;
	if ((rc = sa_pack_info_load(&info, path, pack_id)) < 0)
		return rc;
	if ((rc = sa__policy_load(&pol, path, pack_id)) < 0) {
		sa_pack_info_free(info);
		return rc;
	}
	for (size_t i = 0; i < pol->n; i++)
		nsc += pol->chain[i]->nrules;
	if (!(sc = calloc(nsc + 1, sizeof *sc)))
		oom = 1;
	nsc = 0;
	for (size_t i = 0; sc && i < pol->n; i++)
		for (size_t j = 0; j < pol->chain[i]->nrules; j++) {
			scanned *s = &sc[nsc++];
			s->file = &pol->chain[i]->rules[j];
			if (sa__lua_scan(&s->scan, s->file->name, s->file->text, s->file->len) < 0)
				oom = 1;
			else
				s->ok = s->scan.error == NULL;
		}

	if (d.html) {
		raw(&d, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
		put(&d, pack_id);
		raw(&d, " — 政策包参考 / pack reference</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
		        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
		        "pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}</style>\n</head>\n<body>\n");
	}
	snprintf(buf, sizeof buf, "政策包参考 / Pack reference: %s", sa_pack_info_id(info));
	heading(&d, 1, NULL, buf);
	para_open(&d);
	put(&d, sa_pack_info_title(info));
	raw(&d, d.html ? "<br>" : "  \n");
	raw(&d, "版本 version ");
	code(&d, sa_pack_info_version(info));
	raw(&d, "; 内容哈希 content hash ");
	code(&d, sa_pack_info_hash(info));
	raw(&d, d.html ? "<br>" : "  \n");
	raw(&d, "链条 chain: ");
	for (size_t i = 0; i < sa_pack_info_chain_count(info); i++) {
		raw(&d, i ? (d.html ? " &gt; " : " > ") : "");
		code(&d, sa_pack_info_chain_id(info, i));
	}
	raw(&d, d.html ? "<br>" : "  \n");
	sa_date_format(buf, sizeof buf, on);
	raw(&d, "由 sa pack doc 生成，不要手改 / generated by sa pack doc, do not edit; values in force on ");
	raw(&d, buf);
	para_close(&d);

	heading(&d, 2, "rules", "规则函数 / Rule functions");
	para_open(&d);
	raw(&d, "每个函数：定义它的包和位置、它覆盖的上级、读取的参数和字段、调用的规则、返回什么。子包在 ");
	code(&d, "rules/*.lua");
	raw(&d, " 中定义同名函数即可覆盖，需要上级版本时调用 ");
	code(&d, "super.<name>(...)");
	raw(&d, "。Each function: where it is defined, what it overrides, the parameters and fields of its "
	        "arguments it reads (found in its bytecode; reads through local helpers and computed names are "
	        "not seen), the rules it calls, and what it returns. A child overrides one by defining the same "
	        "name in its rules/*.lua; super.<name>(...) is the parent's version.");
	para_close(&d);
	for (size_t i = 0; i < sa_pack_info_rule_count(info); i++)
		rule_section(&d, sa_pack_info_rule(info, i), pol, sc, nsc, &oom);

	heading(&d, 2, "record", "返回的记录 / The records rules return");
	para_open(&d);
	raw(&d, "字段及类型（docs/lua-api.md）/ Fields and their types (docs/lua-api.md); money is integer fen:");
	para_close(&d);
	{
		static const char *const head[] = { "field", "type" };
		raw(&d, d.html ? "<table>\n" : "");
		row(&d, head, 2, 1);
		for (int i = 0; record_fields[i].key; i++) {
			const char *cells[2] = { record_fields[i].key, record_fields[i].type };
			row(&d, cells, 2, 0);
		}
		raw(&d, d.html ? "</table>\n" : "\n");
	}

	reason_section(&d, pol, &oom);

	heading(&d, 2, "params", "参数 / Parameters");
	para_open(&d);
	raw(&d, "每个参数：类型、单位、取整（及覆盖它的包）、声明它的包及法律依据、每个包的每条带日期取值及出处。"
	        "Each parameter: type, unit, rounding (and the pack that overrides it), the declaring pack and its "
	        "legal reference, and every dated value of every pack of the chain with its source.");
	para_close(&d);
	for (size_t i = 0; i < sa_pack_info_param_count(info); i++)
		param_section(&d, info, sa_pack_info_param(info, i), on);
	if (d.html)
		raw(&d, "</body>\n</html>\n");

	for (size_t i = 0; sc && i < nsc; i++)
		sa__lscan_free(&sc[i].scan);
	free(sc);
	sa__policy_release(pol);
	sa_pack_info_free(info);
	if (oom || d.b.oom) {
		free(d.b.s);
		return sa__error_oom();
	}
	*out = d.b.s;
	return SA_OK;
}
