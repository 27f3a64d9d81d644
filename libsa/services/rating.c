/* rating.c - provider ratings: scores and serious flags give each provider a light. */
#include "services/services_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ provider ratings */

typedef struct {
	char *name;
	int64_t sum;
	size_t n;
	int minor, serious;
} provider;

struct sa_ratings {
	const struct sa_catalog *c;
	provider *p;
	size_t n, cap;
};

int sa_ratings_new(sa_ratings **out, const sa_catalog *c)
{
	*out = NULL;
	if (!c)
		return sa__error(SA_EINVALID, "sa_ratings_new: NULL catalog");
	if (!(*out = calloc(1, sizeof **out)))
		return sa__error_oom();
	(*out)->c = sa__catalog_retain(c); /* outlives a reload of the engine */
	return SA_OK;
}

void sa_ratings_free(sa_ratings *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->p[i].name);
	free(r->p);
	sa__catalog_free((struct sa_catalog *)r->c);
	free(r);
}

static provider *find_provider(const sa_ratings *r, const char *name, bool create)
{
	sa_ratings *w = (sa_ratings *)r;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->p[i].name, name) == 0)
			return &r->p[i];
	if (!create)
		return NULL;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		provider *np = realloc(w->p, cap * sizeof *np);
		if (!np)
			return NULL;
		w->p = np;
		w->cap = cap;
	}
	memset(&w->p[w->n], 0, sizeof *w->p);
	if (!(w->p[w->n].name = strdup(name)))
		return NULL;
	return &w->p[w->n++];
}

int sa_ratings_add(sa_ratings *r, const char *name, int score)
{
	provider *p;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_add: NULL argument");
	if (score < 1 || score > r->c->scale)
		return sa__error(SA_EINVALID, "score %d is outside 1..%d", score, r->c->scale);
	if (!(p = find_provider(r, name, true)))
		return sa__error_oom();
	p->sum += score;
	p->n++;
	return SA_OK;
}

int sa_ratings_flag(sa_ratings *r, const char *name, int serious)
{
	provider *p;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_flag: NULL argument");
	if (!(p = find_provider(r, name, true)))
		return sa__error_oom();
	if (serious)
		p->serious++;
	else
		p->minor++;
	return SA_OK;
}

/* The 红绿灯 of a provider from its scores and flags, by the catalog's thresholds: a serious flag
 * is red; fewer scores than min_ratings is unrated (yellow with a minor flag); otherwise the
 * average as a share of the scale, compared exactly, with a minor flag capping it at yellow. */
const char *sa__rating_light(int scale, int green_min, int yellow_min, int min_ratings, int64_t sum, size_t n,
                             size_t minor, size_t serious)
{
	const char *l;
	int64_t pct_num = sum * 100, pct_den = (int64_t)n * scale;
	if (serious)
		return "red";
	if (n < (size_t)min_ratings)
		return minor ? "yellow" : "unrated";
	if (pct_num >= (int64_t)green_min * pct_den)
		l = "green";
	else if (pct_num >= (int64_t)yellow_min * pct_den)
		l = "yellow";
	else
		l = "red";
	if (minor && strcmp(l, "green") == 0)
		l = "yellow";
	return l;
}

int sa_ratings_status(const char **light, int *avg_x100, size_t *count, const sa_ratings *r, const char *name)
{
	const provider *p;
	int avg = 0;
	const char *l;
	if (!r || !name)
		return sa__error(SA_EINVALID, "sa_ratings_status: NULL argument");
	if (!(p = find_provider(r, name, false)))
		return SA_ENOTFOUND;
	if (p->n)
		avg = (int)((p->sum * 100 + (int64_t)p->n / 2) / (int64_t)p->n);
	l = sa__rating_light(r->c->scale, r->c->green_min, r->c->yellow_min, r->c->min_ratings, p->sum, p->n,
	                     (size_t)p->minor, (size_t)p->serious);
	if (light)
		*light = l;
	if (avg_x100)
		*avg_x100 = avg;
	if (count)
		*count = p->n;
	return SA_OK;
}
