/* pack.c - reading policy packs (docs/pack-format.md) and resolving dated parameters. */
#include "core/internal.h"
#include "core/limits.h"
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static const char *const ptype_names[] = { "money", "ratio", "int", "bool", "text" };

const char *sa__ptype_name(sa_ptype t)
{
	return ptype_names[t];
}

static char *dup_or_null(const sa_value *v)
{
	return v && v->str ? strdup(v->str) : NULL;
}

static void pack_free(sa_pack *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nparams; i++) {
		sa_pdecl *d = &p->params[i];
		for (size_t j = 0; j < d->nv; j++) {
			free(d->v[j].text);
			free(d->v[j].ref);
			free(d->v[j].note);
		}
		free(d->v);
		free(d->name);
		free(d->unit);
		free(d->title);
		free(d->ref);
	}
	free(p->params);
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].name);
		free(p->rules[i].text);
	}
	free(p->rules);
	for (size_t i = 0; i < p->ntests; i++)
		free(p->tests[i]);
	free(p->tests);
	for (size_t i = 0; i < p->nparam_files; i++) {
		if (p->param_texts)
			free(p->param_texts[i]);
		if (p->param_docs)
			sa__pack_doc_release(&p->param_docs[i]);
	}
	free(p->param_texts);
	free(p->param_lens);
	free(p->param_docs);
	free(p->yaml_text);
	free(p->services_text);
	for (size_t i = 0; i < p->nparam_files; i++)
		free(p->param_files[i]);
	free(p->param_files);
	free(p->param_first);
	free(p->id);
	free(p->title);
	free(p->region);
	free(p->extends);
	free(p->version);
	free(p->dir);
	free(p);
}

static int bad(const char *file, const sa_value *at, const char *fmt, const char *a)
{
	return sa__error_at(SA_EPOLICY, file, at ? at->line : 0, at ? at->column : 0, fmt, a ? a : "");
}

static const char *scalar(const sa_value *v)
{
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* Parse a ratio "1.3", "40%", "1/3" into num/den exactly. */
static int parse_ratio(const char *s, int64_t *num, int64_t *den)
{
	const char *slash = strchr(s, '/');
	size_t len = strlen(s);
	if (slash) {
		char a[32], *end;
		long long n, d;
		if ((size_t)(slash - s) >= sizeof a)
			return -1;
		memcpy(a, s, (size_t)(slash - s));
		a[slash - s] = 0;
		errno = 0;
		n = strtoll(a, &end, 10);
		if (*end || !a[0] || errno)
			return -1;
		d = strtoll(slash + 1, &end, 10);
		if (*end || !slash[1] || errno || d <= 0)
			return -1;
		*num = n;
		*den = d;
		return 0;
	}
	{
		int percent = len > 0 && s[len - 1] == '%';
		int64_t n = 0, d = 1;
		int seen_dot = 0, digits = 0;
		for (size_t i = 0; i < len - (size_t)percent; i++) {
			if (s[i] == '.' && !seen_dot) {
				seen_dot = 1;
				continue;
			}
			if (s[i] < '0' || s[i] > '9' || digits > 15)
				return -1;
			n = n * 10 + (s[i] - '0');
			digits++;
			if (seen_dot)
				d *= 10;
		}
		if (!digits)
			return -1;
		if (percent)
			d *= 100;
		*num = n;
		*den = d;
		return 0;
	}
}

static int parse_entry_value(const char *file, const sa_value *v, sa_ptype t, sa_pentry *e)
{
	const char *s = scalar(v);
	bool b;
	if (!s)
		return bad(file, v, "a parameter value is a single scalar%s", NULL);
	switch (t) {
	case SA_PT_MONEY:
		if (sa_money_parse(&e->a, s) < 0 || e->a < 0)
			return bad(file, v, "'%s' is not yuan with at most two decimals", s);
		if (e->a > SA_PARAM_FEN_MAX) /* limits.h: no product of the rules can wrap */
			return bad(file, v, "'%s' is above the limit of 10000000.00 yuan for a money parameter", s);
		break;
	case SA_PT_RATIO:
		if (parse_ratio(s, &e->a, &e->b) < 0)
			return bad(file, v, "'%s' is not a ratio (1.3, 40%%, 1/3)", s);
		if (e->a > SA_PARAM_RATIO_TERM_MAX || e->a < -SA_PARAM_RATIO_TERM_MAX || e->b > SA_PARAM_RATIO_TERM_MAX)
			return bad(file, v, "ratio '%s': numerator and denominator are limited to 1000 (at most three decimals)", s);
		break;
	case SA_PT_INT:
		if (v->quoted || sa__scalar_int(v, &e->a) < 0)
			return bad(file, v, "'%s' is not a whole number", s);
		if (e->a > SA_PARAM_INT_MAX || e->a < -SA_PARAM_INT_MAX)
			return bad(file, v, "'%s' is beyond the limit of 1000000 for an int parameter", s);
		break;
	case SA_PT_BOOL:
		if (sa__scalar_bool(v, &b) < 0)
			return bad(file, v, "'%s' is not true or false", s);
		e->a = b;
		break;
	case SA_PT_TEXT:
		break;
	}
	return (e->text = strdup(s)) ? SA_OK : sa__error_oom();
}

static int parse_date_field(const char *file, const sa_value *v, sa_date *out)
{
	const char *s = scalar(v);
	if (!s || sa_date_parse(out, s) < 0)
		return bad(file, v, "'%s' is not a date YYYY-MM-DD", s ? s : "?");
	return SA_OK;
}

static const char *const decl_keys[] = { "type", "unit", "title", "ref", "rounding", "values", "note", NULL };
static const char *const entry_keys[] = { "from", "until", "value", "ref", "note", NULL };

static int check_keys(const char *file, const sa_value *map, const char *const *allowed, const char *what)
{
	for (size_t i = 0; i < map->n; i++) {
		int ok = 0;
		for (int j = 0; allowed[j]; j++)
			ok |= strcmp(map->keys[i], allowed[j]) == 0;
		if (!ok) {
			char msg[128];
			snprintf(msg, sizeof msg, "unknown key '%%s' in %s", what);
			return sa__error_at(SA_EPOLICY, file, map->items[i]->line, map->items[i]->column, msg, map->keys[i]);
		}
	}
	return SA_OK;
}

/* Reads the declaration part; values are parsed after the type is known from the chain. */
static int read_params(sa_pack *p, size_t f)
{
	const char *file = p->param_files[f];
	const sa_value *doc, *params;
	int rc;
	/* the values are read from this same tree (read_values), which may be shared: read only */
	if ((rc = sa__pack_doc(&p->param_docs[f], p->param_texts[f], p->param_lens[f], file)) < 0)
		return rc;
	doc = p->param_docs[f].doc;
	params = sa__value_get(doc, "params");
	if (doc->type != SA_V_MAP || !params || (params->type != SA_V_MAP && params->type != SA_V_NULL) || doc->n != 1) {
		rc = bad(file, doc, "params.yaml holds one map, 'params'%s", NULL);
		goto out;
	}
	{
		sa_pdecl *grown = realloc(p->params, (p->nparams + params->n + 1) * sizeof *p->params);
		if (!grown) {
			rc = sa__error_oom();
			goto out;
		}
		p->params = grown;
		memset(p->params + p->nparams, 0, (params->n + 1) * sizeof *p->params);
	}
	for (size_t i = 0; i < params->n; i++) {
		sa_value *d = params->items[i];
		sa_pdecl *pd = &p->params[p->nparams];
		sa_value *type;
		const char *name = params->keys[i];
		if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(name) || !name[0]) {
			rc = bad(file, d, "parameter name '%s' must be lower-case ASCII, digits, '_' and '.'", name);
			goto out;
		}
		if (d->type != SA_V_MAP) {
			rc = bad(file, d, "parameter '%s' must be a map", name);
			goto out;
		}
		if ((rc = check_keys(file, d, decl_keys, "a parameter")) < 0)
			goto out;
		p->nparams++;
		if (!(pd->name = strdup(name))) {
			rc = sa__error_oom();
			goto out;
		}
		pd->line = d->line;
		pd->column = d->column;
		type = sa__value_get(d, "type");
		if (type) {
			int t = -1;
			for (int j = 0; j < 5; j++)
				if (scalar(type) && strcmp(scalar(type), ptype_names[j]) == 0)
					t = j;
			if (t < 0) {
				rc = bad(file, type, "type must be money, ratio, int, bool or text, not '%s'",
				         scalar(type) ? scalar(type) : "?");
				goto out;
			}
			pd->declared = true;
			pd->type = (sa_ptype)t;
			pd->unit = dup_or_null(sa__value_get(d, "unit"));
			pd->title = dup_or_null(sa__value_get(d, "title"));
			pd->ref = dup_or_null(sa__value_get(d, "ref"));
			if (!pd->unit || !pd->ref || !pd->title) {
				rc = bad(file, d, "declaration of '%s' needs type, unit, title and ref", name);
				goto out;
			}
			if (sa__value_get(d, "rounding")) {
				const char *r = scalar(sa__value_get(d, "rounding"));
				if (!r || sa_rounding_parse(&pd->rounding, r) < 0) {
					rc = bad(file, sa__value_get(d, "rounding"), "unknown rounding '%s'", r ? r : "?");
					goto out;
				}
				pd->has_rounding = true;
			}
		} else if (sa__value_get(d, "unit")) {
			rc = bad(file, d, "'%s' sets unit without a type: only the declaring pack does", name);
			goto out;
		} else if (sa__value_get(d, "rounding")) {
			/* a child changes how an inherited ratio rounds (checked against the declaration
			 * when the chain is put together) */
			const char *r = scalar(sa__value_get(d, "rounding"));
			if (!r || sa_rounding_parse(&pd->rounding, r) < 0) {
				rc = bad(file, sa__value_get(d, "rounding"), "unknown rounding '%s'", r ? r : "?");
				goto out;
			}
			pd->has_rounding = true;
		}
	}
	rc = SA_OK;
out:
	return rc; /* doc stays in p->param_docs until the values are read */
}

/* Second pass: values, with the type the chain declares. */
static int read_values(sa_pack *p, size_t f, const sa_pdecl *(*find_decl)(void *, const char *), void *ud)
{
	const char *file = p->param_files[f];
	size_t first = p->param_first[f];
	const sa_value *params;
	int rc = SA_OK;
	params = sa__value_get(p->param_docs[f].doc, "params");
	for (size_t i = 0; params && i < params->n; i++) {
		sa_value *vals = sa__value_get(params->items[i], "values");
		sa_pdecl *pd = &p->params[first + i];
		const sa_pdecl *decl = pd->declared ? pd : find_decl(ud, pd->name);
		if (!decl) {
			rc = bad(file, params->items[i],
			         "parameter '%s' is not declared by this pack or its ancestors (a typo?)", pd->name);
			goto out;
		}
		if (!vals)
			continue;
		if (vals->type != SA_V_LIST) {
			rc = bad(file, vals, "values of '%s' must be a list", pd->name);
			goto out;
		}
		if (!(pd->v = calloc(vals->n + 1, sizeof *pd->v))) {
			rc = sa__error_oom();
			goto out;
		}
		for (size_t j = 0; j < vals->n; j++) {
			sa_value *e = vals->items[j];
			sa_pentry *pe = &pd->v[pd->nv];
			if (e->type != SA_V_MAP) {
				rc = bad(file, e, "a value entry of '%s' is a map with from, value and ref", pd->name);
				goto out;
			}
			if ((rc = check_keys(file, e, entry_keys, "a value entry")) < 0)
				goto out;
			pd->nv++;
			pe->line = e->line;
			pe->column = e->column;
			if (!sa__value_get(e, "from") || !sa__value_get(e, "value") || !scalar(sa__value_get(e, "ref"))) {
				rc = bad(file, e, "a value entry of '%s' needs from, value and ref", pd->name);
				goto out;
			}
			if ((rc = parse_date_field(file, sa__value_get(e, "from"), &pe->from)) < 0 ||
			    (sa__value_get(e, "until") && (rc = parse_date_field(file, sa__value_get(e, "until"), &pe->until)) < 0) ||
			    (sa__value_get(e, "value")->type == SA_V_NULL
			         ? ((pe->unknown = true), (rc = (pe->text = strdup("null")) ? SA_OK : sa__error_oom()))
			         : (rc = parse_entry_value(file, sa__value_get(e, "value"), decl->type, pe))) < 0)
				goto out;
			pe->ref = dup_or_null(sa__value_get(e, "ref"));
			pe->note = dup_or_null(sa__value_get(e, "note"));
			if (pe->until && pe->until < pe->from) {
				rc = bad(file, e, "'until' is before 'from' in '%s'", pd->name);
				goto out;
			}
			if (j > 0) {
				const sa_pentry *prev = &pd->v[j - 1];
				if (pe->from <= prev->from) {
					rc = bad(file, e, "values of '%s' must be in increasing 'from' order", pd->name);
					goto out;
				}
				if (prev->until && prev->until >= pe->from) {
					rc = bad(file, e, "values of '%s' overlap", pd->name);
					goto out;
				}
			}
		}
	}
	rc = SA_OK;
out:
	sa__pack_doc_release(&p->param_docs[f]);
	return rc;
}

static int read_pack_yaml(sa_pack *p, const char *file, const char *want_id)
{
	static const char *const keys[] = { "id", "title", "region", "extends", "version", "note", NULL };
	sa_pfile_doc pd;
	const sa_value *doc;
	int rc = sa__pack_doc(&pd, p->yaml_text, p->yaml_len, file);
	if (rc < 0)
		return rc;
	doc = pd.doc;
	if (doc->type != SA_V_MAP) {
		rc = bad(file, doc, "pack.yaml is a map%s", NULL);
		goto out;
	}
	if ((rc = check_keys(file, doc, keys, "pack.yaml")) < 0)
		goto out;
	p->id = dup_or_null(sa__value_get(doc, "id"));
	p->title = dup_or_null(sa__value_get(doc, "title"));
	p->region = dup_or_null(sa__value_get(doc, "region"));
	p->extends = dup_or_null(sa__value_get(doc, "extends"));
	p->version = dup_or_null(sa__value_get(doc, "version"));
	if (!p->id || !p->title || !p->version) {
		rc = bad(file, doc, "pack.yaml needs id, title and version%s", NULL);
		goto out;
	}
	if (strcmp(p->id, want_id) != 0) {
		rc = bad(file, sa__value_get(doc, "id"), "pack id '%s' does not match its directory", p->id);
		goto out;
	}
	if (strcmp(p->id, "cn") != 0 && !p->extends) {
		rc = bad(file, doc, "pack '%s' must extend a parent pack", p->id);
		goto out;
	}
	rc = SA_OK;
out:
	sa__pack_doc_release(&pd);
	return rc;
}

static int valid_id(const char *id)
{
	size_t n = strlen(id);
	if (strcmp(id, "cn") == 0)
		return 1;
	if (n < 4 || n > 64 || strncmp(id, "cn-", 3) != 0)
		return 0;
	return strspn(id + 3, "abcdefghijklmnopqrstuvwxyz0123456789-") == n - 3;
}

const char *sa_pack_path_resolve(const char *pack_path)
{
	const char *env = getenv("SA_PACK_PATH");
	return pack_path && *pack_path ? pack_path : env && *env ? env : "policies";
}

static int find_pack_dir(char *out, size_t size, const char *path, const char *id)
{
	const char *p = path = sa_pack_path_resolve(path);
	while (*p) {
		size_t n = strcspn(p, ":");
		struct stat st;
		snprintf(out, size, "%.*s/%s", (int)n, p, id);
		if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
			return SA_OK;
		p += n;
		if (*p == ':')
			p++;
	}
	return sa__error(SA_ENOTFOUND, "pack '%s' not found in '%s'", id, path);
}

static int cmp_param_at(const void *a, const void *b)
{
	const sa_pdecl *x = *(const sa_pdecl *const *)a, *y = *(const sa_pdecl *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x > y) - (x < y);
}

/* A parameter named in two files of one pack (params.yaml and params/<topic>.yaml): sorted
 * once, O(n log n) (a single file cannot repeat a key: the reader refuses that). */
static int check_unique_params(sa_pack *p)
{
	const sa_pdecl **by = p->nparams > 1 ? malloc(p->nparams * sizeof *by) : NULL;
	int rc = SA_OK;
	if (p->nparams < 2)
		return SA_OK;
	if (!by)
		return sa__error_oom();
	for (size_t i = 0; i < p->nparams; i++)
		by[i] = &p->params[i];
	qsort(by, p->nparams, sizeof *by, cmp_param_at);
	for (size_t i = 1; i < p->nparams && rc == 0; i++)
		if (strcmp(by[i - 1]->name, by[i]->name) == 0) {
			size_t k = (size_t)(by[i] - p->params), f = 0;
			while (f + 1 < p->nparam_files && p->param_first[f + 1] <= k)
				f++;
			rc = sa__error_at(SA_EPOLICY, p->param_files[f], by[i]->line, by[i]->column,
			                  "parameter '%s' appears twice in this pack", by[i]->name);
		}
	free(by);
	return rc;
}

/* Read the pack in dir: every file once (files.c), within *budget bytes for the chain. */
static int pack_read(sa_pack **out, const char *path, const char *id, size_t *budget)
{
	char dir[4096], file[4400], rel[300];
	sa_pack *p;
	char **names;
	size_t n;
	int rc, root = -1;

	*out = NULL;
	if (!valid_id(id))
		return sa__error(SA_EINVALID, "'%s' is not a pack id (cn, or cn- followed by a GB/T 2260 prefix)", id);
	if ((rc = find_pack_dir(dir, sizeof dir, path, id)) < 0)
		return rc;
	if (!(p = calloc(1, sizeof *p)) || !(p->dir = strdup(dir))) {
		free(p);
		return sa__error_oom();
	}
	if ((root = rc = sa__pack_root(dir)) < 0)
		goto fail;
	snprintf(file, sizeof file, "%s/pack.yaml", dir);
	if ((rc = sa__pack_read(root, dir, "pack.yaml", &p->yaml_text, &p->yaml_len, budget)) < 0) {
		if (rc == SA_ENOTFOUND)
			rc = sa__error_at(SA_EPOLICY, file, 0, 0, "cannot open: %s", strerror(ENOENT));
		goto fail;
	}
	if ((rc = read_pack_yaml(p, file, id)) < 0)
		goto fail;
	/* params.yaml, then params/<topic>.yaml in name order */
	if ((rc = sa__pack_list(root, dir, "params", ".yaml", &names, &n)) < 0)
		goto fail;
	if (!(p->param_files = calloc(n + 2, sizeof *p->param_files)) ||
	    !(p->param_first = calloc(n + 2, sizeof *p->param_first)) ||
	    !(p->param_texts = calloc(n + 2, sizeof *p->param_texts)) ||
	    !(p->param_lens = calloc(n + 2, sizeof *p->param_lens)) ||
	    !(p->param_docs = calloc(n + 2, sizeof *p->param_docs)))
		rc = sa__error_oom();
	for (size_t i = 0; i <= n; i++) {
		const char *name = i == 0 ? NULL : names[i - 1];
		size_t k = p->nparam_files;
		if (i == 0)
			snprintf(rel, sizeof rel, "params.yaml");
		else
			snprintf(rel, sizeof rel, "params/%s", name);
		if (rc == 0) {
			rc = sa__pack_read(root, dir, rel, &p->param_texts[k], &p->param_lens[k], budget);
			if (rc == SA_ENOTFOUND && i == 0) {
				rc = SA_OK; /* params.yaml is optional */
			} else if (rc == SA_ENOTFOUND) {
				rc = sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s: removed while the pack was loading", dir, rel);
			} else if (rc == 0) {
				snprintf(file, sizeof file, "%s/%s", dir, rel);
				if (!(p->param_files[k] = strdup(file)))
					rc = sa__error_oom();
				p->nparam_files++; /* owns the text from here */
			}
		}
		if (name)
			free(names[i - 1]);
	}
	free(names);
	for (size_t i = 0; rc == 0 && i < p->nparam_files; i++) {
		p->param_first[i] = p->nparams;
		rc = read_params(p, i);
	}
	if (rc == 0)
		rc = check_unique_params(p);
	if (rc < 0)
		goto fail;
	if ((rc = sa__pack_list(root, dir, "rules", ".lua", &names, &n)) < 0)
		goto fail;
	if (!(p->rules = calloc(n + 1, sizeof *p->rules)))
		rc = sa__error_oom();
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			snprintf(rel, sizeof rel, "rules/%s", names[i]);
			if ((rc = sa__pack_read(root, dir, rel, &p->rules[i].text, &p->rules[i].len, budget)) == SA_ENOTFOUND)
				rc = sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s: removed while the pack was loading", dir, rel);
			if (rc == 0) {
				char name[300];
				snprintf(name, sizeof name, "%s/rules/%s", id, names[i]);
				p->nrules++; /* owns the text from here */
				if (!(p->rules[i].name = strdup(name)))
					rc = sa__error_oom();
			}
		}
		free(names[i]);
	}
	free(names);
	if (rc < 0)
		goto fail;
	rc = sa__pack_read(root, dir, "services.yaml", &p->services_text, &p->services_len, budget);
	if (rc < 0 && rc != SA_ENOTFOUND)
		goto fail;
	p->has_services = rc == 0;
	if ((rc = sa__pack_list(root, dir, "tests", ".yaml", &names, &n)) < 0)
		goto fail;
	p->tests = names;
	p->ntests = n;
	for (size_t i = 0; i < n; i++) {
		char *full = malloc(strlen(dir) + strlen(names[i]) + 8);
		if (!full) {
			rc = sa__error_oom();
			goto fail;
		}
		sprintf(full, "%s/tests/%s", dir, names[i]);
		free(names[i]);
		names[i] = full;
	}
	close(root);
	*out = p;
	return SA_OK;
fail:
	if (root >= 0)
		close(root);
	pack_free(p);
	return rc;
}

const char *sa__pack_services_text(const sa_pack *p, size_t *len)
{
	*len = p->has_services ? p->services_len : 0;
	return p->has_services ? p->services_text : NULL;
}

/* ---- the chain ---- */

static int cmp_peff(const void *a, const void *b)
{
	return strcmp(((const sa_peff *)a)->name, ((const sa_peff *)b)->name);
}

const sa_peff *sa__policy_param(const sa_policy *p, const char *name)
{
	sa_peff key = { .name = name };
	return p->nparams ? bsearch(&key, p->params, p->nparams, sizeof key, cmp_peff) : NULL;
}

typedef struct {
	sa_pack **chain;
	size_t n; /* ancestors loaded so far (root first) */
} decl_search;

static const sa_pdecl *find_decl_in(void *ud, const char *name)
{
	decl_search *s = ud;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->chain[i]->nparams; j++)
			if (s->chain[i]->params[j].declared && strcmp(s->chain[i]->params[j].name, name) == 0)
				return &s->chain[i]->params[j];
	return NULL;
}

/* hash = sha256 over every file's name and content: pack.yaml, parameter files, rules,
 * services.yaml -- hashed where they lie, not copied together first */
static int hash_pack(sa_pack *p)
{
	sa_sha256 h;
	unsigned char md[32];
	sa__sha256_begin(&h);
	sa__sha256_add(&h, "pack.yaml", 10);
	sa__sha256_add(&h, p->yaml_text, p->yaml_len);
	for (size_t i = 0; i < p->nparam_files; i++) {
		const char *rel = p->param_files[i] + strlen(p->dir);
		sa__sha256_add(&h, rel, strlen(rel) + 1);
		sa__sha256_add(&h, p->param_texts[i], p->param_lens[i]);
	}
	for (size_t i = 0; i < p->nrules; i++) {
		sa__sha256_add(&h, p->rules[i].name, strlen(p->rules[i].name) + 1);
		sa__sha256_add(&h, p->rules[i].text, p->rules[i].len);
	}
	/* the service catalog is part of what a decision depends on */
	if (p->has_services) {
		sa__sha256_add(&h, "services.yaml", 14);
		sa__sha256_add(&h, p->services_text, p->services_len);
	}
	if (sa__sha256_end(&h, md) < 0)
		return sa__error_oom(); /* libcrypto could not allocate its context */
	sa__sha256_to_hex(p->hash, md);
	return SA_OK;
}

int sa__policy_load(sa_policy **out, const char *path, const char *id)
{
	sa_pack *chain[SA_MAX_CHAIN];
	size_t n = 0;
	const char *want = id;
	sa_policy *pol = NULL;
	size_t budget = SA_PACK_BUDGET; /* bytes of all the chain's files together */
	int rc;

	*out = NULL;
	/* read leaf -> root */
	while (want) {
		sa_pack *p;
		for (size_t i = 0; i < n; i++)
			if (strcmp(chain[i]->id, want) == 0) {
				rc = sa__error(SA_EPOLICY, "pack '%s' extends itself through '%s'", id, want);
				goto fail;
			}
		if (n == SA_MAX_CHAIN) {
			rc = sa__error(SA_EPOLICY, "pack '%s': more than %d levels of extends", id, SA_MAX_CHAIN);
			goto fail;
		}
		if ((rc = pack_read(&p, path, want, &budget)) < 0)
			goto fail;
		chain[n++] = p;
		want = p->extends;
	}
	if (strcmp(chain[n - 1]->id, "cn") != 0) {
		rc = sa__error(SA_EPOLICY, "pack '%s' does not descend from cn", id);
		goto fail;
	}
	/* reverse to root first */
	for (size_t i = 0; i < n / 2; i++) {
		sa_pack *t = chain[i];
		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = t;
	}
	for (size_t i = 0; i < n; i++) {
		decl_search s = { chain, i + 1 };
		for (size_t j = 0; j < chain[i]->nparams; j++) {
			decl_search anc = { chain, i };
			if (chain[i]->params[j].declared && find_decl_in(&anc, chain[i]->params[j].name)) {
				size_t f = 0; /* the file the entry came from: params.yaml or params/<topic>.yaml */
				while (f + 1 < chain[i]->nparam_files && chain[i]->param_first[f + 1] <= j)
					f++;
				rc = sa__error_at(SA_EPOLICY, chain[i]->param_files[f], chain[i]->params[j].line,
				                  chain[i]->params[j].column,
				                  "'%s' is already declared by an ancestor; a child only gives values",
				                  chain[i]->params[j].name);
				goto fail;
			}
		}
		for (size_t f = 0; f < chain[i]->nparam_files; f++)
			if ((rc = read_values(chain[i], f, find_decl_in, &s)) < 0)
				goto fail;
		if ((rc = hash_pack(chain[i])) < 0)
			goto fail;
	}
	if (!(pol = calloc(1, sizeof *pol)) || !(pol->chain = calloc(n, sizeof *pol->chain))) {
		free(pol);
		pol = NULL;
		rc = sa__error_oom();
		goto fail;
	}
	memcpy(pol->chain, chain, n * sizeof *chain);
	pol->n = n;
	pol->refs = 1;
	n = 0; /* owned by pol now */
	{
		size_t cap = 0;
		for (size_t i = 0; i < pol->n; i++)
			cap += pol->chain[i]->nparams;
		if (!(pol->params = calloc(cap + 1, sizeof *pol->params))) {
			rc = sa__error_oom();
			goto fail;
		}
		for (size_t i = 0; i < pol->n; i++)
			for (size_t j = 0; j < pol->chain[i]->nparams; j++) {
				const sa_pdecl *d = &pol->chain[i]->params[j];
				if (!d->declared)
					continue;
				pol->params[pol->nparams].name = d->name;
				pol->params[pol->nparams].decl = d;
				if (!(pol->params[pol->nparams].layers = calloc(pol->n, sizeof(sa_pdecl *)))) {
					rc = sa__error_oom();
					goto fail;
				}
				pol->nparams++;
			}
		qsort(pol->params, pol->nparams, sizeof *pol->params, cmp_peff);
		for (size_t i = 0; i < pol->n; i++)
			for (size_t j = 0; j < pol->chain[i]->nparams; j++) {
				const sa_pdecl *d = &pol->chain[i]->params[j];
				sa_peff *e = (sa_peff *)sa__policy_param(pol, d->name);
				if (e)
					e->layers[i] = d;
				if (d->has_rounding && !d->declared && (!e || e->decl->type != SA_PT_RATIO)) {
					const sa_pack *pk = pol->chain[i];
					size_t f = 0;
					while (f + 1 < pk->nparam_files && pk->param_first[f + 1] <= j)
						f++;
					rc = sa__error_at(SA_EPOLICY, pk->nparam_files ? pk->param_files[f] : pk->dir, d->line, d->column,
					                  "'%s' sets rounding, but %s", d->name,
					                  e ? "only a ratio parameter has a rounding" : "no ancestor declares it");
					goto fail;
				}
				/* the rounding in force: the lowest pack of the chain that states one */
				if (e && d->has_rounding) {
					e->rounding = d->rounding;
					e->has_rounding = true;
					e->rounding_layer = i;
				}
			}
	}
	{
		char hashes[SA_MAX_CHAIN * 65 + 1];
		size_t off = 0;
		for (size_t i = 0; i < pol->n; i++) {
			memcpy(hashes + off, pol->chain[i]->hash, 64);
			off += 64;
		}
		sa__sha256_hex(pol->hash, hashes, off);
	}
	*out = pol;
	return SA_OK;
fail:
	for (size_t i = 0; i < n; i++)
		pack_free(chain[i]);
	sa__policy_release(pol);
	return rc;
}

void sa__policy_release(sa_policy *p)
{
	if (!p || --p->refs > 0)
		return;
	for (size_t i = 0; i < p->nparams; i++)
		free((void *)p->params[i].layers);
	free(p->params);
	for (size_t i = 0; i < p->n; i++)
		pack_free(p->chain[i]);
	free(p->chain);
	free(p);
}

const sa_pack *sa__policy_leaf(const sa_policy *p)
{
	return p->chain[p->n - 1];
}

const sa_pentry *sa__peff_at(const sa_policy *p, const sa_peff *e, sa_date d, size_t *layer)
{
	for (size_t i = p->n; i-- > 0;) {
		const sa_pdecl *l = e->layers[i];
		if (!l)
			continue;
		for (size_t j = l->nv; j-- > 0;) {
			const sa_pentry *v = &l->v[j];
			if (v->from <= d) {
				if (v->until && d > v->until)
					break; /* expired; no later entry of this pack applies */
				if (v->unknown)
					return NULL; /* the pack says: not known for this period */
				if (layer)
					*layer = i;
				return v;
			}
		}
	}
	return NULL;
}
