/* lint_util.c - helpers of the linter (lint.c): nearest names for "did you mean", a small
 * string set, directory listings, and the periods a chain gives values for. */
#include "core/internal.h"
#include "inspect/lint_util.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

size_t sa__lint_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row, best;
	if (la > 200 || lb > 200 || !(row = malloc((lb + 1) * sizeof *row)))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j], sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *sa__lint_nearest(const char *name, char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, len = strlen(name);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	for (size_t i = 0; i < n; i++) {
		size_t d = sa__lint_edit_distance(name, cands[i]);
		if (d < bd && strcmp(name, cands[i]) != 0) {
			bd = d;
			best = cands[i];
		}
	}
	return bd <= limit ? best : NULL;
}

int sa__lint_in_list(const char *x, const char *const *l)
{
	for (int i = 0; l[i]; i++)
		if (strcmp(x, l[i]) == 0)
			return 1;
	return 0;
}

int sa__lint_set_has(const strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return (int)i + 1;
	return 0;
}

int sa__lint_set_add(strset *s, const char *x, const char *owner)
{
	if (sa__lint_set_has(s, x))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **g = realloc(s->v, cap * sizeof *g), **o;
		if (!g)
			return -1;
		s->v = g;
		if (!(o = realloc(s->owner, cap * sizeof *o)))
			return -1;
		s->owner = o;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(x)))
		return -1;
	s->owner[s->n++] = (char *)owner;
	return 0;
}

void sa__lint_set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->owner);
	memset(s, 0, sizeof *s);
}

int sa__lint_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sa__lint_find_dir(char *out, size_t size, const char *path, const char *id)
{
	const char *p = path;
	if (!id[0] || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return 0;
	while (*p) {
		size_t n = strcspn(p, ":");
		struct stat st;
		snprintf(out, size, "%.*s/%s", (int)n, p, id);
		if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}

int sa__lint_cmp_period(const void *a, const void *b)
{
	const period *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

int sa__lint_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static const char *scalar(const sa_value *v)
{
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* The periods the parameter files give values for (any parameter), merged. */
size_t sa__lint_periods(const sa_value *const *docs, size_t ndocs, period **out)
{
	period *v = NULL;
	size_t n = 0, cap = 0, m = 0;
	for (size_t d = 0; d < ndocs; d++) {
		const sa_value *ps = sa__value_get(docs[d], "params");
		for (size_t k = 0; ps && ps->type == SA_V_MAP && k < ps->n; k++) {
			const sa_value *vals = ps->items[k]->type == SA_V_MAP ? sa__value_get(ps->items[k], "values") : NULL;
			for (size_t j = 0; vals && vals->type == SA_V_LIST && j < vals->n; j++) {
				const sa_value *e = vals->items[j];
				sa_date from, until = 0, next;
				if (e->type != SA_V_MAP || !scalar(sa__value_get(e, "from")) ||
				    sa_date_parse(&from, scalar(sa__value_get(e, "from"))) < 0)
					continue;
				if (scalar(sa__value_get(e, "until")) && sa_date_parse(&until, scalar(sa__value_get(e, "until"))) < 0)
					until = 0;
				if (!until && j + 1 < vals->n && vals->items[j + 1]->type == SA_V_MAP &&
				    scalar(sa__value_get(vals->items[j + 1], "from")) &&
				    sa_date_parse(&next, scalar(sa__value_get(vals->items[j + 1], "from"))) == 0)
					until = sa__date_add_days(next, -1);
				if (n == cap) {
					period *g = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof *g);
					if (!g) {
						free(v);
						*out = NULL;
						return 0;
					}
					v = g;
				}
				v[n].from = from;
				v[n++].until = until;
			}
		}
	}
	if (n == 0) {
		free(v);
		*out = NULL;
		return 0;
	}
	qsort(v, n, sizeof *v, sa__lint_cmp_period);
	for (size_t i = 1; i < n; i++) {
		period *last = &v[m];
		if (last->until == 0)
			continue; /* open: covers everything after */
		if (v[i].from <= sa__date_add_days(last->until, 1)) {
			if (v[i].until == 0 || v[i].until > last->until)
				last->until = v[i].until;
		} else
			v[++m] = v[i];
	}
	*out = v;
	return m + 1;
}

int sa__lint_outside(const period *pv, size_t np, sa_date d, char *list, size_t size)
{
	size_t o = 0;
	for (size_t k = 0; k < np; k++)
		if (d >= pv[k].from && (pv[k].until == 0 || d <= pv[k].until))
			return 0;
	list[0] = 0;
	for (size_t k = 0; k < np && o + 40 < size; k++) {
		char a[16], b[16];
		sa_date_format(a, sizeof a, pv[k].from);
		if (pv[k].until)
			sa_date_format(b, sizeof b, pv[k].until);
		o += (size_t)snprintf(list + o, size - o, "%s%s..%s", k ? ", " : "", a, pv[k].until ? b : "");
	}
	return 1;
}

void sa__lint_searched(char *out, size_t size, const char *path, const char *id)
{
	size_t o = 0;
	out[0] = 0;
	for (const char *q = path; *q && o + 1 < size;) {
		size_t len = strcspn(q, ":");
		int w = snprintf(out + o, size - o, "%s%.*s/%s", o ? ", " : "", (int)len, q, id);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
		q += len;
		if (*q == ':')
			q++;
	}
}

void sa__lint_finding(const sa_lint_sink *s, int sev, const char *code, const char *file, int line, int col,
                      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->emit(s->ctx, sev, code, file, line, col, msg);
}

/* A case dated outside every period of the chain's values (a typo of the year, usually) would
 * be undetermined for want of every parameter: say so, with the periods that exist. */
void sa__lint_case_dates(const sa_lint_sink *s, const char *file, const sa_value *cases, const period *pv, size_t np)
{
	for (size_t i = 0; np && i < cases->n; i++) {
		const sa_value *dv = cases->items[i]->type == SA_V_MAP ? sa__value_get(cases->items[i], "date") : NULL;
		sa_date d;
		char list[1024];
		if (!dv || dv->type != SA_V_STR || sa_date_parse(&d, dv->str) < 0 || !sa__lint_outside(pv, np, d, list, sizeof list))
			continue;
		sa__lint_finding(s, SA_LINT_ERROR, "test-date", file, dv->line, dv->column,
		        "case date %s is outside every period the packs of the chain give values for (%s); date the "
		        "case inside one of them",
		        dv->str, list);
	}
}
