/* pack.c - reading policy packs (docs/pack-format.md) and resolving dated parameters. */
#include "core/internal.h"
#include "core/limits.h"
#include "pack/pack.h"
#include "core/decision_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


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
		break;
	case SA_PT_RATIO:
		if (parse_ratio(s, &e->a, &e->b) < 0)
			return bad(file, v, "'%s' is not a ratio (1.3, 40%%, 1/3)", s);
		break;
	case SA_PT_INT:
		if (v->quoted || sa__scalar_int(v, &e->a) < 0)
			return bad(file, v, "'%s' is not a whole number", s);
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
static int read_params(sa_pack *p, const char *file)
{
	sa_value *doc, *params;
	int rc;
	if ((rc = sa__yaml_parse_file(&doc, file)) < 0)
		return rc;
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
		for (size_t k = 0; k < p->nparams; k++)
			if (strcmp(p->params[k].name, name) == 0) {
				rc = bad(file, d, "parameter '%s' appears twice in this pack", name);
				goto out;
			}
		if ((rc = check_keys(file, d, decl_keys, "a parameter")) < 0)
			goto out;
		p->nparams++;
		pd->name = strdup(name);
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
		} else if (sa__value_get(d, "unit") || sa__value_get(d, "rounding")) {
			rc = bad(file, d, "'%s' sets unit or rounding without a type: only the declaring pack does", name);
			goto out;
		}
	}
	rc = SA_OK;
out:
	sa__value_free(doc);
	return rc;
}

/* Second pass: values, with the type the chain declares. */
static int read_values(sa_pack *p, const char *file, size_t first, const sa_pdecl *(*find_decl)(void *, const char *),
                       void *ud)
{
	sa_value *doc, *params;
	int rc = sa__yaml_parse_file(&doc, file);
	if (rc < 0)
		return rc;
	params = sa__value_get(doc, "params");
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
	sa__value_free(doc);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the files in dir ending in suffix. */
static int list_dir(char ***out, size_t *n, const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? SA_OK : sa__error_at(SA_EPOLICY, dir, 0, 0, "cannot read directory: %s", strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), sl = strlen(suffix);
		if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix) != 0)
			continue;
		if (*n == cap) {
			char **nn = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof *nn);
			if (!nn)
				goto oom;
			*out = nn;
		}
		if (!((*out)[*n] = strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return SA_OK;
oom:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free((*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return sa__error_oom();
}

static int read_pack_yaml(sa_pack *p, const char *file, const char *want_id)
{
	static const char *const keys[] = { "id", "title", "region", "extends", "version", "note", NULL };
	sa_value *doc;
	int rc = sa__yaml_parse_file(&doc, file);
	if (rc < 0)
		return rc;
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
	sa__value_free(doc);
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

static int pack_read(sa_pack **out, const char *path, const char *id)
{
	char dir[4096], file[4200];
	sa_pack *p;
	char **names;
	size_t n;
	int rc;
	struct stat st;

	*out = NULL;
	if (!valid_id(id))
		return sa__error(SA_EINVALID, "'%s' is not a pack id (cn, or cn- followed by a GB/T 2260 prefix)", id);
	if ((rc = find_pack_dir(dir, sizeof dir, path, id)) < 0)
		return rc;
	if (!(p = calloc(1, sizeof *p)) || !(p->dir = strdup(dir))) {
		free(p);
		return sa__error_oom();
	}
	snprintf(file, sizeof file, "%s/pack.yaml", dir);
	if ((rc = read_pack_yaml(p, file, id)) < 0)
		goto fail;
	/* params.yaml, then params/<topic>.yaml in name order */
	snprintf(file, sizeof file, "%s/params", dir);
	if ((rc = list_dir(&names, &n, file, ".yaml")) < 0)
		goto fail;
	if (!(p->param_files = calloc(n + 2, sizeof *p->param_files)) ||
	    !(p->param_first = calloc(n + 2, sizeof *p->param_first))) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		rc = sa__error_oom();
		goto fail;
	}
	snprintf(file, sizeof file, "%s/params.yaml", dir);
	if (stat(file, &st) == 0 && !(p->param_files[p->nparam_files++] = strdup(file)))
		rc = sa__error_oom();
	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof file, "%s/params/%s", dir, names[i]);
		if (rc == 0 && !(p->param_files[p->nparam_files++] = strdup(file)))
			rc = sa__error_oom();
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; rc == 0 && i < p->nparam_files; i++) {
		p->param_first[i] = p->nparams;
		rc = read_params(p, p->param_files[i]);
	}
	if (rc < 0)
		goto fail;
	snprintf(file, sizeof file, "%s/rules", dir);
	if ((rc = list_dir(&names, &n, file, ".lua")) < 0)
		goto fail;
	p->rules = calloc(n + 1, sizeof *p->rules);
	for (size_t i = 0; i < n; i++) {
		if (p->rules) {
			snprintf(file, sizeof file, "%s/rules/%s", dir, names[i]);
			if (rc >= 0 && (rc = sa__read_file(&p->rules[i].text, &p->rules[i].len, file)) == 0) {
				char rel[300];
				snprintf(rel, sizeof rel, "%s/rules/%s", id, names[i]);
				p->rules[i].name = strdup(rel);
				p->nrules++;
			}
		}
		free(names[i]);
	}
	free(names);
	if (!p->rules)
		rc = sa__error_oom();
	if (rc < 0)
		goto fail;
	snprintf(file, sizeof file, "%s/tests", dir);
	if ((rc = list_dir(&names, &n, file, ".yaml")) < 0)
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
	*out = p;
	return SA_OK;
fail:
	pack_free(p);
	return rc;
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
 * services.yaml */
static void hash_pack(sa_pack *p)
{
	sa_buf b = { 0 };
	char file[4200], *text;
	size_t len;
	snprintf(file, sizeof file, "%s/pack.yaml", p->dir);
	sa__buf_add(&b, "pack.yaml", 10);
	if (sa__read_file(&text, &len, file) == 0) {
		sa__buf_add(&b, text, len);
		free(text);
	}
	for (size_t i = 0; i < p->nparam_files; i++) {
		const char *rel = p->param_files[i] + strlen(p->dir);
		sa__buf_add(&b, rel, strlen(rel) + 1);
		if (sa__read_file(&text, &len, p->param_files[i]) == 0) {
			sa__buf_add(&b, text, len);
			free(text);
		}
	}
	for (size_t i = 0; i < p->nrules; i++) {
		sa__buf_add(&b, p->rules[i].name, strlen(p->rules[i].name) + 1);
		sa__buf_add(&b, p->rules[i].text, p->rules[i].len);
	}
	/* the service catalog is part of what a decision depends on */
	snprintf(file, sizeof file, "%s/services.yaml", p->dir);
	if (sa__read_file(&text, &len, file) == 0) {
		sa__buf_add(&b, "services.yaml", 14);
		sa__buf_add(&b, text, len);
		free(text);
	}
	sa__sha256_hex(p->hash, b.s ? b.s : "", b.n);
	free(b.s);
}

int sa__policy_load(sa_policy **out, const char *path, const char *id)
{
	sa_pack *chain[SA_MAX_CHAIN];
	size_t n = 0;
	const char *want = id;
	sa_policy *pol = NULL;
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
		if ((rc = pack_read(&p, path, want)) < 0)
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
			if ((rc = read_values(chain[i], chain[i]->param_files[f], chain[i]->param_first[f], find_decl_in, &s)) < 0)
				goto fail;
		hash_pack(chain[i]);
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
