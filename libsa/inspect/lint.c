/* lint.c - sa_lint: every problem of a policy pack, with file and line (docs/pack-tools.md).
 *
 * The pack's files are read here directly (YAML trees with positions, rule files compiled by
 * libsa/lua/lint.c) so that all problems are found, not only the first one the loader stops
 * at; then the pack is loaded for real (pack.c and the sandbox) and a failure there is
 * reported too unless it repeats a finding at the same place. */
#include "core/internal.h"
#include "core/limits.h"
#include "pack/pack.h"
#include "lua/scan.h"
#include "lua/bridge.h"
#include "inspect/lint_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

typedef struct {
	char *file;
	int line;
} seen_t;

typedef struct {
	sa_lint_counts *counts;
	sa_lint_fn report;
	void *payload;
	const char *pack;
	int stopped;
	int oom;
	seen_t *seen;
	size_t nseen, capseen;
	struct strset *decl; /* every parameter the chain declares; owner: its type text */
	int parent_missing;  /* a pack-parent finding was made: the loader's error repeats it */
} lctx;

static void finding(lctx *c, int sev, const char *code, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void finding(lctx *c, int sev, const char *code, const char *file, int line, int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	sa_lint_finding f;
	if (c->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	f.severity = sev;
	f.code = code;
	f.pack = c->pack;
	f.file = file;
	f.line = line;
	f.column = col;
	f.message = msg;
	if (sev == SA_LINT_ERROR)
		c->counts->errors++;
	else
		c->counts->warnings++;
	if (file && line) {
		if (c->nseen == c->capseen) {
			size_t cap = c->capseen ? c->capseen * 2 : 32;
			seen_t *g = realloc(c->seen, cap * sizeof *g);
			if (g) {
				c->seen = g;
				c->capseen = cap;
			}
		}
		if (c->nseen < c->capseen && (c->seen[c->nseen].file = strdup(file)))
			c->seen[c->nseen++].line = line;
	}
	if (c->report && c->report(&f, c->payload))
		c->stopped = 1;
}

static int already_seen(const lctx *c, const char *file, int line)
{
	for (size_t i = 0; file && i < c->nseen; i++)
		if (c->seen[i].line == line && (sa__lint_ends_with(c->seen[i].file, file) || sa__lint_ends_with(file, c->seen[i].file)))
			return 1;
	return 0;
}

/* ---- reading a pack's files without the loader ---- */

typedef struct {
	char *path; /* full path */
	char *name; /* id/rules/x.lua */
	char *text;
	size_t len;
	sa_lscan scan;
	int scanned;
} rfile;

typedef struct {
	char *id, *dir, *extends;
	int ext_line, ext_col; /* position of extends in pack.yaml */
	sa_value **docs; /* parameter files; NULL entries failed to parse */
	char **doc_paths;
	size_t ndocs;
	rfile *rules;
	size_t nrules;
	sa_value *services; /* services.yaml, NULL when absent or unreadable */
	char *services_path;
} rpack;

static void rpack_free(rpack *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ndocs; i++) {
		sa__value_free(p->docs[i]);
		free(p->doc_paths[i]);
	}
	free(p->docs);
	free(p->doc_paths);
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].path);
		free(p->rules[i].name);
		free(p->rules[i].text);
		sa__lscan_free(&p->rules[i].scan);
	}
	free(p->rules);
	sa__value_free(p->services);
	free(p->services_path);
	free(p->id);
	free(p->dir);
	free(p->extends);
	free(p);
}

static void report_error(lctx *c, const char *code, const char *fallback_file)
{
	const sa_error *e = sa_error_last();
	finding(c, SA_LINT_ERROR, code, e && e->source ? e->source : fallback_file, e ? e->line : 0, e ? e->column : 0,
	        "%s", e ? e->message : "failed");
}

/* Read a pack file through the pack reader (no link followed, no FIFO read, regular files
 * only: docs/security.md) and parse it; problems are findings when `own`. */
static sa_value *read_doc(lctx *c, int root, const char *dir, const char *rel, const char *file, const char *code,
                          int own)
{
	char *text;
	size_t len;
	sa_value *doc = NULL;
	int rc = sa__pack_read(root, dir, rel, &text, &len, NULL);
	if (rc == SA_ENOTFOUND)
		sa__error_at(SA_EPOLICY, file, 0, 0, "cannot open: No such file or directory");
	if (rc < 0 || sa__yaml_parse(&doc, text, len, file) < 0) {
		if (rc == SA_ENOMEM)
			c->oom = 1;
		if (own)
			report_error(c, code, file);
		doc = NULL;
	}
	if (rc == 0)
		free(text);
	return doc;
}

/* Read pack `id` (pack.yaml, parameter files, rule files). Problems are findings when `own`. */
static rpack *rpack_read(lctx *c, const char *path, const char *id, int own)
{
	char dir[4096], file[4400], rel[600];
	rpack *p;
	sa_value *doc;
	char **names = NULL;
	size_t n = 0;
	int root;
	if (!sa__lint_find_dir(dir, sizeof dir, path, id))
		return NULL;
	if (!(p = calloc(1, sizeof *p)) || !(p->id = strdup(id)) || !(p->dir = strdup(dir))) {
		c->oom = 1;
		rpack_free(p);
		return NULL;
	}
	if ((root = sa__pack_root(dir)) < 0) {
		if (own)
			report_error(c, "pack-yaml", dir);
		rpack_free(p);
		return NULL;
	}
	snprintf(file, sizeof file, "%s/pack.yaml", dir);
	if (!(doc = read_doc(c, root, dir, "pack.yaml", file, "pack-yaml", own))) {
		close(root);
		rpack_free(p);
		return NULL;
	}
	{
		static const char *const pack_keys[] = { "id", "title", "region", "extends", "version", "note", NULL };
		sa_value *ext = sa__value_get(doc, "extends");
		if (ext && ext->type == SA_V_STR && !(p->extends = strdup(ext->str)))
			c->oom = 1;
		if (ext) {
			p->ext_line = ext->line;
			p->ext_col = ext->column;
		}
		for (size_t k = 0; own && doc->type == SA_V_MAP && k < doc->n; k++)
			if (!sa__lint_in_list(doc->keys[k], pack_keys)) {
				const char *near = sa__lint_nearest(doc->keys[k], (char *const *)pack_keys, 6);
				if (near)
					finding(c, SA_LINT_ERROR, "pack-key", file, doc->items[k]->line, doc->items[k]->column,
					        "unknown key '%s' in pack.yaml; did you mean '%s'?", doc->keys[k], near);
				else
					finding(c, SA_LINT_ERROR, "pack-key", file, doc->items[k]->line, doc->items[k]->column,
					        "unknown key '%s' in pack.yaml (id, title, region, extends, version, note)",
					        doc->keys[k]);
			}
		if (own && strcmp(id, "cn") != 0 && !ext)
			finding(c, SA_LINT_ERROR, "pack-extends", file, doc->line, doc->column,
			        "pack '%s' must name its parent in 'extends'", id);
	}
	sa__value_free(doc);
	/* parameter files */
	if (sa__pack_list(root, dir, "params", ".yaml", &names, &n) < 0 && own)
		report_error(c, "params-yaml", dir);
	p->docs = calloc(n + 2, sizeof *p->docs);
	p->doc_paths = calloc(n + 2, sizeof *p->doc_paths);
	if (p->docs && p->doc_paths && faccessat(root, "params.yaml", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		snprintf(file, sizeof file, "%s/params.yaml", dir);
		p->doc_paths[p->ndocs++] = strdup(file);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof file, "%s/params/%s", dir, names[i]);
		if (p->docs && p->doc_paths)
			p->doc_paths[p->ndocs++] = strdup(file);
		free(names[i]);
	}
	free(names);
	if (!p->docs || !p->doc_paths) {
		c->oom = 1;
		close(root);
		return p;
	}
	for (size_t i = 0; i < p->ndocs; i++) {
		if (!p->doc_paths[i]) {
			c->oom = 1;
			continue;
		}
		p->docs[i] = read_doc(c, root, dir, p->doc_paths[i] + strlen(dir) + 1, p->doc_paths[i], "params-yaml", own);
	}
	/* the service catalog (checked in full by lint_services.c) */
	if (faccessat(root, "services.yaml", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		snprintf(file, sizeof file, "%s/services.yaml", dir);
		if (!(p->services_path = strdup(file)))
			c->oom = 1;
		else
			p->services = read_doc(c, root, dir, "services.yaml", file, "services", own);
	}
	/* rule files */
	names = NULL;
	n = 0;
	if (sa__pack_list(root, dir, "rules", ".lua", &names, &n) < 0 && own)
		report_error(c, "rules-read", dir);
	if (!(p->rules = calloc(n + 1, sizeof *p->rules)))
		c->oom = 1;
	for (size_t i = 0; i < n; i++) {
		if (p->rules) {
			rfile *f = &p->rules[p->nrules];
			char name[600];
			snprintf(file, sizeof file, "%s/rules/%s", dir, names[i]);
			snprintf(rel, sizeof rel, "rules/%s", names[i]);
			snprintf(name, sizeof name, "%s/rules/%s", id, names[i]);
			if (!(f->path = strdup(file)) || !(f->name = strdup(name)) ||
			    sa__pack_read(root, dir, rel, &f->text, &f->len, NULL) < 0) {
				if (own)
					report_error(c, "rules-read", file);
				free(f->path);
				free(f->name);
				memset(f, 0, sizeof *f);
			} else {
				p->nrules++;
				if (sa__lua_scan(&f->scan, f->name, f->text, f->len) < 0)
					c->oom = 1;
				else
					f->scanned = 1;
			}
		}
		free(names[i]);
	}
	free(names);
	close(root);
	return p;
}

/* ---- parameters ---- */

static const char *const decl_keys[] = { "type", "unit", "title", "ref", "rounding", "values", "note", NULL };
static const char *const entry_keys[] = { "from", "until", "value", "ref", "note", NULL };
static const char *const types[] = { "money", "ratio", "int", "bool", "text", NULL };

static const char *scalar(const sa_value *v)
{
	return v && v->type == SA_V_STR ? v->str : NULL;
}

static void lint_values(lctx *c, const char *file, const char *name, const sa_value *vals)
{
	sa_date prev_from = 0, prev_until = 0;
	int have_prev = 0;
	if (vals->type != SA_V_LIST) {
		finding(c, SA_LINT_ERROR, "value-list", file, vals->line, vals->column, "values of '%s' must be a list", name);
		return;
	}
	for (size_t j = 0; j < vals->n; j++) {
		const sa_value *e = vals->items[j];
		sa_date from = 0, until = 0;
		const char *s;
		if (e->type != SA_V_MAP) {
			finding(c, SA_LINT_ERROR, "value-entry", file, e->line, e->column,
			        "a value entry of '%s' is a map with from, value and ref", name);
			continue;
		}
		for (size_t k = 0; k < e->n; k++)
			if (!sa__lint_in_list(e->keys[k], entry_keys))
				finding(c, SA_LINT_ERROR, "value-key", file, e->items[k]->line, e->items[k]->column,
				        "unknown key '%s' in a value entry of '%s' (from, until, value, ref, note)", e->keys[k], name);
		{
			/* money written as a number (value: 533.33) instead of quoted yuan text */
			const sa_value *val = sa__value_get(e, "value");
			int i = c->decl ? sa__lint_set_has(c->decl, name) : 0;
			if (val && val->type == SA_V_STR && !val->quoted && i && c->decl->owner[i - 1] &&
			    strcmp(c->decl->owner[i - 1], "money") == 0 && strpbrk(val->str, ".eE"))
				finding(c, SA_LINT_ERROR, "value-float", file, val->line, val->column,
				        "money value %s of '%s' is written as a floating-point number; write it as quoted yuan "
				        "text: value: \"%s\"",
				        val->str, name, val->str);
		}
		if (!sa__value_get(e, "value"))
			finding(c, SA_LINT_ERROR, "value-missing", file, e->line, e->column,
			        "a value entry of '%s' has no 'value' (write value: null for a period with no known value)",
			        name);
		s = scalar(sa__value_get(e, "ref"));
		if (!s || !*s)
			finding(c, SA_LINT_ERROR, "value-ref", file, e->line, e->column,
			        "a value entry of '%s' has no 'ref' (the document that set it)", name);
		s = scalar(sa__value_get(e, "from"));
		if (!s) {
			finding(c, SA_LINT_ERROR, "value-from", file, e->line, e->column,
			        "a value entry of '%s' has no 'from' date", name);
			continue;
		}
		if (sa_date_parse(&from, s) < 0) {
			const sa_value *v = sa__value_get(e, "from");
			finding(c, SA_LINT_ERROR, "value-date", file, v->line, v->column, "'%s' is not a date YYYY-MM-DD", s);
			continue;
		}
		if ((s = scalar(sa__value_get(e, "until"))) && sa_date_parse(&until, s) < 0) {
			const sa_value *v = sa__value_get(e, "until");
			finding(c, SA_LINT_ERROR, "value-date", file, v->line, v->column, "'%s' is not a date YYYY-MM-DD", s);
			until = 0;
		}
		if (until && until < from)
			finding(c, SA_LINT_ERROR, "value-dates", file, e->line, e->column, "'until' is before 'from' in '%s'",
			        name);
		if (have_prev) {
			char a[16], b[16];
			if (from <= prev_from)
				finding(c, SA_LINT_ERROR, "value-order", file, e->line, e->column,
				        "values of '%s' must be in increasing 'from' order", name);
			else if (prev_until && prev_until >= from) {
				sa_date_format(a, sizeof a, prev_until);
				sa_date_format(b, sizeof b, from);
				finding(c, SA_LINT_ERROR, "value-overlap", file, e->line, e->column,
				        "values of '%s' overlap: the previous entry runs until %s, this one starts %s", name, a, b);
			} else if (prev_until && sa__date_add_days(prev_until, 1) < from) {
				char g1[16], g2[16];
				sa_date_format(a, sizeof a, prev_until);
				sa_date_format(b, sizeof b, from);
				sa_date_format(g1, sizeof g1, sa__date_add_days(prev_until, 1));
				sa_date_format(g2, sizeof g2, sa__date_add_days(from, -1));
				finding(c, SA_LINT_ERROR, "value-gap", file, e->line, e->column,
				        "values of '%s' have a gap: the previous entry ends %s, this one starts %s; %s..%s has no "
				        "entry (add one with value: null and a ref if no value is known)",
				        name, a, b, g1, g2);
			}
		}
		have_prev = 1;
		prev_from = from;
		prev_until = until;
	}
}

static void lint_params(lctx *c, rpack **chain, size_t n)
{
	rpack *me = chain[n - 1];
	strset anc = { 0 }, mine = { 0 };
	/* declarations of the ancestors */
	for (size_t i = 0; i + 1 < n; i++)
		for (size_t d = 0; d < chain[i]->ndocs; d++) {
			const sa_value *ps = sa__value_get(chain[i]->docs[d], "params");
			for (size_t k = 0; ps && ps->type == SA_V_MAP && k < ps->n; k++)
				if (ps->items[k]->type == SA_V_MAP && sa__value_get(ps->items[k], "type") &&
				    sa__lint_set_add(&anc, ps->keys[k], chain[i]->id) < 0)
					c->oom = 1;
		}
	/* own declarations first, so a value may precede its declaration in another file */
	for (size_t d = 0; d < me->ndocs; d++) {
		const sa_value *ps = sa__value_get(me->docs[d], "params");
		for (size_t k = 0; ps && ps->type == SA_V_MAP && k < ps->n; k++)
			if (ps->items[k]->type == SA_V_MAP && sa__value_get(ps->items[k], "type") &&
			    sa__lint_set_add(&mine, ps->keys[k], me->id) < 0)
				c->oom = 1;
	}
	{
		strset seen = { 0 };
		for (size_t d = 0; d < me->ndocs; d++) {
			const sa_value *doc = me->docs[d], *ps;
			const char *file = me->doc_paths[d];
			if (!doc)
				continue;
			ps = sa__value_get(doc, "params");
			if (doc->type != SA_V_MAP || !ps || (ps->type != SA_V_MAP && ps->type != SA_V_NULL) || doc->n != 1) {
				finding(c, SA_LINT_ERROR, "params-shape", file, doc->line, doc->column,
				        "a parameter file holds one map, 'params'");
				continue;
			}
			for (size_t k = 0; k < ps->n; k++) {
				const char *name = ps->keys[k];
				const sa_value *p = ps->items[k], *vals;
				int declared;
				if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(name) || !name[0])
					finding(c, SA_LINT_ERROR, "param-name", file, p->line, p->column,
					        "parameter name '%s' must be lower-case ASCII, digits, '_' and '.'", name);
				if (p->type != SA_V_MAP) {
					finding(c, SA_LINT_ERROR, "param-shape", file, p->line, p->column, "parameter '%s' must be a map",
					        name);
					continue;
				}
				if (sa__lint_set_has(&seen, name))
					finding(c, SA_LINT_ERROR, "param-duplicate", file, p->line, p->column,
					        "parameter '%s' appears twice in this pack", name);
				else if (sa__lint_set_add(&seen, name, NULL) < 0)
					c->oom = 1;
				for (size_t j = 0; j < p->n; j++)
					if (!sa__lint_in_list(p->keys[j], decl_keys))
						finding(c, SA_LINT_ERROR, "param-key", file, p->items[j]->line, p->items[j]->column,
						        "unknown key '%s' in parameter '%s'", p->keys[j], name);
				declared = sa__value_get(p, "type") != NULL;
				if (declared) {
					const char *t = scalar(sa__value_get(p, "type"));
					int i = sa__lint_set_has(&anc, name);
					if (i)
						finding(c, SA_LINT_ERROR, "param-redeclared", file, p->line, p->column,
						        "'%s' is already declared by %s; a child only gives values", name, anc.owner[i - 1]);
					if (!t || !sa__lint_in_list(t, types))
						finding(c, SA_LINT_ERROR, "param-type", file, p->line, p->column,
						        "type of '%s' must be money, ratio, int, bool or text", name);
					if (!scalar(sa__value_get(p, "unit")))
						finding(c, SA_LINT_ERROR, "param-unit", file, p->line, p->column, "parameter '%s' has no unit",
						        name);
					if (!scalar(sa__value_get(p, "ref")))
						finding(c, SA_LINT_ERROR, "param-ref", file, p->line, p->column,
						        "parameter '%s' has no ref (its legal reference)", name);
					if (!scalar(sa__value_get(p, "title")))
						finding(c, SA_LINT_ERROR, "param-title", file, p->line, p->column,
						        "parameter '%s' has no title", name);
				} else {
					if (!sa__lint_set_has(&anc, name) && !sa__lint_set_has(&mine, name)) {
						const char *near = sa__lint_nearest(name, anc.v, anc.n);
						if (!near)
							near = sa__lint_nearest(name, mine.v, mine.n);
						if (near)
							finding(c, SA_LINT_ERROR, "param-undeclared", file, p->line, p->column,
							        "'%s' is not declared by this pack or its ancestors; did you mean '%s'?", name,
							        near);
						else
							finding(c, SA_LINT_ERROR, "param-undeclared", file, p->line, p->column,
							        "'%s' is not declared by this pack or its ancestors", name);
					}
					if (sa__value_get(p, "unit"))
						finding(c, SA_LINT_ERROR, "param-unit", file, p->line, p->column,
						        "'%s' sets unit without a type: only the declaring pack does", name);
					if (sa__value_get(p, "rounding")) {
						/* a child may change how an inherited ratio rounds */
						const sa_value *rv = sa__value_get(p, "rounding");
						int i = c->decl ? sa__lint_set_has(c->decl, name) : 0;
						sa_rounding r;
						if (i && (!c->decl->owner[i - 1] || strcmp(c->decl->owner[i - 1], "ratio") != 0))
							finding(c, SA_LINT_ERROR, "param-rounding", file, rv->line, rv->column,
							        "'%s' is a %s parameter: only a ratio has a rounding to override", name,
							        c->decl->owner[i - 1] ? c->decl->owner[i - 1] : "?");
						else if (!scalar(rv) || sa_rounding_parse(&r, scalar(rv)) < 0)
							finding(c, SA_LINT_ERROR, "param-rounding", file, rv->line, rv->column,
							        "unknown rounding '%s' (up_yuan, half_up_yuan, down_yuan, up_fen, half_up_fen, "
							        "down_fen)",
							        scalar(rv) ? scalar(rv) : "?");
					}
				}
				if ((vals = sa__value_get(p, "values")))
					lint_values(c, file, name, vals);
			}
		}
		sa__lint_set_free(&seen);
	}
	sa__lint_set_free(&anc);
	sa__lint_set_free(&mine);
}

/* ---- rules ---- */

/* what lint_util.c, lint_services.c and lint_contract.c find, as findings */
static void emit(void *ctx, int severity, const char *code, const char *file, int line, int column, const char *msg)
{
	finding(ctx, severity, code, file, line, column, "%s", msg);
}

static int line_has(const rfile *f, int line, const char *needle)
{
	size_t a = 0, e, nl = strlen(needle);
	int l = 1;
	if (line < 1)
		return 0;
	while (a < f->len && l < line)
		if (f->text[a++] == '\n')
			l++;
	if (l != line)
		return 0;
	for (e = a; e < f->len && f->text[e] != '\n'; e++)
		;
	for (size_t i = a; i + nl <= e; i++)
		if (memcmp(f->text + i, needle, nl) == 0)
			return 1;
	return 0;
}

/* 1-based column of needle on the line (1 when absent): bytecode has lines, not columns */
static int col_of(const rfile *f, int line, const char *needle)
{
	size_t a = 0, e, nl = strlen(needle);
	int l = 1;
	while (a < f->len && l < line)
		if (f->text[a++] == '\n')
			l++;
	for (e = a; e < f->len && f->text[e] != '\n'; e++)
		;
	for (size_t i = a; nl && i + nl <= e; i++)
		if (memcmp(f->text + i, needle, nl) == 0)
			return (int)(i - a) + 1;
	return 1;
}

/* the definition's line or the line above carries "sa-lint: new" */
static int has_pragma(const rfile *f, int line)
{
	return line_has(f, line, "sa-lint: new") || line_has(f, line - 1, "sa-lint: new");
}

static void lint_rules(lctx *c, rpack **chain, size_t n, char **allowed, size_t nallowed)
{
	rpack *me = chain[n - 1];
	strset anc = { 0 }, all = { 0 }, globals = { 0 }, libs = { 0 };
	int is_root = strcmp(me->id, "cn") == 0;
	for (size_t i = 0; i < nallowed; i++) {
		const char *dot = strchr(allowed[i], '.');
		if (!dot) {
			if (sa__lint_set_add(&globals, allowed[i], NULL) < 0)
				c->oom = 1;
		} else {
			char base[64];
			snprintf(base, sizeof base, "%.*s", (int)(dot - allowed[i]), allowed[i]);
			if (sa__lint_set_add(&libs, base, NULL) < 0)
				c->oom = 1;
		}
	}
	if (sa__lint_set_add(&globals, "rules", NULL) < 0 || (!is_root && sa__lint_set_add(&globals, "super", NULL) < 0))
		c->oom = 1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < chain[i]->nrules; j++) {
			const rfile *f = &chain[i]->rules[j];
			for (size_t k = 0; f->scanned && k < f->scan.n; k++)
				if (f->scan.refs[k].kind == SA_LREF_RULE_DEF) {
					if ((i + 1 < n && sa__lint_set_add(&anc, f->scan.refs[k].name, chain[i]->id) < 0) ||
					    sa__lint_set_add(&all, f->scan.refs[k].name, chain[i]->id) < 0)
						c->oom = 1;
				}
		}
	for (size_t j = 0; j < me->nrules; j++) {
		const rfile *f = &me->rules[j];
		if (!f->scanned)
			continue;
		if (f->scan.error) {
			finding(c, SA_LINT_ERROR, "lua-syntax", f->path, f->scan.error_line, 0, "%s", f->scan.error);
			continue;
		}
		for (size_t k = 0; k < f->scan.n; k++) {
			const sa_lref *r = &f->scan.refs[k];
			int dup = 0;
			for (size_t m = 0; m < k && !dup; m++)
				dup = f->scan.refs[m].kind == r->kind && f->scan.refs[m].line == r->line &&
				      strcmp(f->scan.refs[m].name, r->name) == 0 &&
				      (!r->base || (f->scan.refs[m].base && strcmp(f->scan.refs[m].base, r->base) == 0));
			if (dup)
				continue;
			switch (r->kind) {
			case SA_LREF_GET:
				if (!sa__lint_set_has(&globals, r->name)) {
					const char *near = sa__lint_nearest(r->name, globals.v, globals.n);
					if (strcmp(r->name, "super") == 0)
						finding(c, SA_LINT_ERROR, "lua-global", f->path, r->line, 0,
						        "'super' does not exist in cn: it has no parent pack");
					else
						finding(c, SA_LINT_ERROR, "lua-global", f->path, r->line, 0,
						        "read of undeclared global '%s'%s%s%s (the sandbox gives only docs/lua-api.md)",
						        r->name, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
				}
				break;
			case SA_LREF_SET:
				finding(c, SA_LINT_ERROR, "lua-global-write", f->path, r->line, 0,
				        "assignment to global '%s': rule files may not create globals (use local, or rules.%s)",
				        r->name, r->name);
				break;
			case SA_LREF_FIELD_GET:
				if (sa__lint_set_has(&libs, r->base)) {
					char full[256];
					snprintf(full, sizeof full, "%s.%s", r->base, r->name);
					if (!sa__lint_set_has(&globals, full)) {
						int found = 0;
						for (size_t a = 0; a < nallowed && !found; a++)
							found = strcmp(allowed[a], full) == 0;
						if (!found)
							finding(c, SA_LINT_ERROR, "lua-field", f->path, r->line, 0,
							        "'%s' is not available in the sandbox", full);
					}
				}
				break;
			case SA_LREF_FIELD_SET:
				if (sa__lint_set_has(&globals, r->base))
					finding(c, SA_LINT_ERROR, "lua-readonly", f->path, r->line, 0,
					        "assignment to '%s.%s': the sandbox's tables are read-only", r->base, r->name);
				break;
			case SA_LREF_SUPER_SET:
				finding(c, SA_LINT_ERROR, "lua-readonly", f->path, r->line, 0,
				        "assignment to 'super.%s': super is read-only", r->name);
				break;
			case SA_LREF_SUPER_GET:
				if (!is_root && !sa__lint_set_has(&anc, r->name))
					finding(c, SA_LINT_ERROR, "super-undefined", f->path, r->line, 0,
					        "super.%s: no ancestor pack defines rules.%s", r->name, r->name);
				break;
			case SA_LREF_RULE_DEF:
				if (!is_root && !sa__lint_set_has(&anc, r->name) && !has_pragma(f, r->line)) {
					const char *near = sa__lint_nearest(r->name, anc.v, anc.n);
					finding(c, SA_LINT_ERROR, "rule-new", f->path, r->line, 0,
					        "rules.%s is defined by no ancestor, so no ancestor's rule calls it%s%s%s; use a local "
					        "function, or mark it with a comment '-- sa-lint: new' on this or the line above",
					        r->name, near ? " (did you mean rules." : "", near ? near : "", near ? "?)" : "");
				}
				break;
			case SA_LREF_RULE_GET:
				if (!is_root) /* the contract before issue 14 (lint_contract.c) */
					sa__lint_old_contract(&(sa_lint_sink){ emit, c }, f->path, r->line, f->text, f->len, r->name);
				if (!sa__lint_set_has(&all, r->name))
					finding(c, SA_LINT_WARNING, "rule-unknown", f->path, r->line, 0,
					        "rules.%s is defined by no pack of the chain", r->name);
				break;
			case SA_LREF_PARAM:
				if (c->decl && !sa__lint_set_has(c->decl, r->name)) {
					char quoted[300];
					const char *near = sa__lint_nearest(r->name, c->decl->v, c->decl->n);
					snprintf(quoted, sizeof quoted, "\"%s\"", r->name);
					if (near)
						finding(c, SA_LINT_ERROR, "lua-param", f->path, r->line, col_of(f, r->line, quoted),
						        "parameter '%s' is declared by no pack of the chain; did you mean '%s'?", r->name,
						        near);
					else
						finding(c, SA_LINT_ERROR, "lua-param", f->path, r->line, col_of(f, r->line, quoted),
						        "parameter '%s' is declared by no pack of the chain; declare it in the pack that "
						        "sets it (type, unit, title, ref) or fix the name (sa pack show lists them)",
						        r->name);
				}
				break;
			case SA_LREF_ARG_FIELD:
			case SA_LREF_RETURN:
				break;
			case SA_LREF_FLOAT:
				if (strcmp(r->name, "/") == 0)
					finding(c, SA_LINT_ERROR, "lua-float", f->path, r->line, col_of(f, r->line, "/"),
					        "'/' gives a floating-point number: money is integer fen; use sa.div(fen, n, rounding) "
					        "or // for whole numbers");
				else
					finding(c, SA_LINT_ERROR, "lua-float", f->path, r->line, col_of(f, r->line, r->name),
					        "floating-point number %s in a rule: money is integer fen (744 yuan is 74400); write "
					        "fen, or a ratio parameter applied with sa.mul(fen, ratio, rounding)",
					        r->name);
				break;
			}
		}
	}
	sa__lint_set_free(&anc);
	sa__lint_set_free(&all);
	sa__lint_set_free(&globals);
	sa__lint_set_free(&libs);
}

/* ---- golden tests ---- */

/* The periods the packs of the chain give values for (any parameter), merged. */
static size_t chain_periods(rpack *const *chain, size_t nchain, period **out)
{
	const sa_value *docs[256];
	size_t n = 0;
	for (size_t ci = 0; ci < nchain; ci++)
		for (size_t d = 0; d < chain[ci]->ndocs && n < 256; d++)
			docs[n++] = chain[ci]->docs[d];
	return sa__lint_periods(docs, n, out);
}

static void lint_tests(lctx *c, rpack *const *chain, size_t nchain)
{
	const rpack *me = chain[nchain - 1];
	period *pv;
	size_t np = chain_periods(chain, nchain, &pv);
	char dir[4200], file[4400], rel[600];
	char **names = NULL;
	size_t n = 0;
	int root = sa__pack_root(me->dir);
	snprintf(dir, sizeof dir, "%s/tests", me->dir);
	if (root >= 0 && sa__pack_list(root, me->dir, "tests", ".yaml", &names, &n) < 0)
		report_error(c, "tests-yaml", dir);
	if (n == 0)
		finding(c, SA_LINT_ERROR, "tests-missing", dir, 0, 0,
		        "pack '%s' has no golden tests (tests/*.yaml with at least one case)", me->id);
	for (size_t i = 0; i < n; i++) {
		sa_value *doc;
		snprintf(file, sizeof file, "%s/%s", dir, names[i]);
		snprintf(rel, sizeof rel, "tests/%s", names[i]);
		if ((doc = read_doc(c, root, me->dir, rel, file, "tests-yaml", 1))) {
			const sa_value *cases = sa__value_get(doc, "cases");
			if (!cases || cases->type != SA_V_LIST || cases->n == 0)
				finding(c, SA_LINT_ERROR, "tests-empty", file, doc->line, doc->column,
				        "a test file holds 'cases:', a list of at least one case");
			else
				sa__lint_case_dates(&(sa_lint_sink){ emit, c }, file, cases, pv, np);
			sa__value_free(doc);
		}
		free(names[i]);
	}
	free(names);
	free(pv);
	if (root >= 0)
		close(root);
}

/* ---- the service catalog ---- */

static void lint_services(lctx *c, rpack *const *chain, size_t n)
{
	const sa_value *docs[SA_MAX_CHAIN];
	const char *files[SA_MAX_CHAIN];
	sa_lint_sink sink = { emit, c };
	if (!n || !chain[n - 1]->services)
		return;
	for (size_t i = 0; i < n; i++)
		docs[i] = chain[i]->services, files[i] = chain[i]->services_path;
	if (sa__lint_services(&sink, docs, files, n) == SA_ENOMEM)
		c->oom = 1;
}

/* ---- the whole pack ---- */

int sa_lint(sa_lint_counts *counts, const char *pack_path, const char *pack_id, sa_lint_fn report, void *payload)
{
	lctx c;
	sa_lint_counts local = { 0, 0 };
	rpack *chain[SA_MAX_CHAIN];
	size_t n = 0;
	const char *path = sa_pack_path_resolve(pack_path);
	char dir[4096];
	char **allowed = NULL;
	size_t nallowed = 0;
	strset decl = { 0 };
	int rc = SA_OK;

	if (!pack_id)
		return sa__error(SA_EINVALID, "sa_lint: NULL pack id");
	if (!sa__lint_find_dir(dir, sizeof dir, path, pack_id))
		return sa__error(SA_ENOTFOUND, "pack '%s' not found in '%s'", pack_id, path);
	memset(&c, 0, sizeof c);
	c.counts = counts ? counts : &local;
	c.report = report;
	c.payload = payload;
	c.pack = pack_id;

	/* the chain, leaf first */
	{
		const char *want = pack_id;
		while (want && n < SA_MAX_CHAIN) {
			rpack *p;
			int loop = 0;
			for (size_t i = 0; i < n; i++)
				loop |= strcmp(chain[i]->id, want) == 0;
			if (loop) {
				finding(&c, SA_LINT_ERROR, "pack-extends", NULL, 0, 0, "pack '%s' extends itself through '%s'",
				        pack_id, want);
				break;
			}
			if (!(p = rpack_read(&c, path, want, n == 0))) {
				if (n > 0 && !c.oom) {
					char f[4200], searched[2048], near_dir[4200];
					const char *near;
					char **ids = NULL;
					size_t nids = 0;
					snprintf(f, sizeof f, "%s/pack.yaml", chain[n - 1]->dir);
					sa__lint_searched(searched, sizeof searched, path, want);
					if (sa__pack_ids(&ids, NULL, &nids, path) < 0)
						c.oom = 1;
					near = sa__lint_nearest(want, ids, nids);
					if (sa__lint_find_dir(near_dir, sizeof near_dir, path, want))
						finding(&c, SA_LINT_ERROR, "pack-parent", f, chain[n - 1]->ext_line, chain[n - 1]->ext_col,
						        "parent pack '%s' (in %s) has a pack.yaml that does not read: lint it", want,
						        near_dir);
					else if (near)
						finding(&c, SA_LINT_ERROR, "pack-parent", f, chain[n - 1]->ext_line, chain[n - 1]->ext_col,
						        "parent pack '%s' not found; searched %s; did you mean '%s'?", want, searched, near);
					else
						finding(&c, SA_LINT_ERROR, "pack-parent", f, chain[n - 1]->ext_line, chain[n - 1]->ext_col,
						        "parent pack '%s' not found; searched %s; fix 'extends' or add the folder that "
						        "holds it to --pack-path",
						        want, searched);
					c.parent_missing = 1;
					sa__pack_ids_free(ids, NULL, nids);
				}
				break;
			}
			chain[n++] = p;
			want = p->extends;
		}
	}
	/* root first */
	for (size_t i = 0; i < n / 2; i++) {
		rpack *t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	if (n > 0 && strcmp(chain[n - 1]->id, pack_id) == 0) {
		for (size_t i = 0; i < n; i++)
			for (size_t d = 0; d < chain[i]->ndocs; d++) {
				const sa_value *ps = sa__value_get(chain[i]->docs[d], "params");
				for (size_t k = 0; ps && ps->type == SA_V_MAP && k < ps->n; k++) {
					const sa_value *t = ps->items[k]->type == SA_V_MAP ? sa__value_get(ps->items[k], "type") : NULL;
					if (t && sa__lint_set_add(&decl, ps->keys[k], t->type == SA_V_STR ? t->str : NULL) < 0)
						c.oom = 1;
				}
			}
		c.decl = &decl;
		lint_params(&c, chain, n);
		if (sa__lua_sandbox_names(&allowed, &nallowed) < 0)
			c.oom = 1;
		else
			lint_rules(&c, chain, n, allowed, nallowed);
		lint_tests(&c, chain, n);
		lint_services(&c, chain, n);
	}
	/* the real loader and sandbox: whatever they refuse that the checks above did not see */
	if (!c.oom && !c.stopped) {
		sa_policy *pol;
		if (sa__policy_load(&pol, path, pack_id) < 0) {
			const sa_error *e = sa_error_last();
			if (e && e->code == SA_ENOMEM)
				c.oom = 1;
			else if (!c.parent_missing && (!e || !already_seen(&c, e->source, e->line)))
				report_error(&c, "load", NULL);
		} else {
			sa_lua *lua;
			sa_lua_limits lim;
			memset(&lim, 0, sizeof lim);
			lim.memory_limit = (size_t)64 << 20;
			lim.instruction_limit = 20000000ULL;
			if (sa__lua_new(&lua, pol, &lim) < 0) {
				const sa_error *e = sa_error_last();
				if (!e || !already_seen(&c, e->source, e->line))
					report_error(&c, "lua-load", NULL);
			} else
				sa__lua_free(lua);
			sa__policy_release(pol);
		}
	}
	sa__lint_set_free(&decl);
	for (size_t i = 0; i < n; i++)
		rpack_free(chain[i]);
	sa__strv_free(allowed, nallowed);
	for (size_t i = 0; i < c.nseen; i++)
		free(c.seen[i].file);
	free(c.seen);
	if (c.oom)
		rc = sa__error_oom();
	else if (c.stopped)
		rc = sa__error(SA_EUSER, "sa_lint: stopped by the callback");
	return rc;
}
