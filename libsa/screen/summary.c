/* summary.c - the counts of a screening run as iterable records (include/sa/screen.h).
 *
 * Tier and program names come from the decisions, so a pack that adds a program is counted
 * without a change here. Records keep the order in which their names were first seen; the
 * calling thread adds batch summaries in input order, so the order does not depend on the
 * number of threads. */
#include "screen/summary.h"

#include <stdlib.h>
#include <string.h>

int sa_screen_summary_new(sa_screen_summary **out)
{
	if (!out)
		return sa__error(SA_EINVALID, "sa_screen_summary_new: NULL argument");
	if (!(*out = calloc(1, sizeof **out)))
		return sa__error_oom();
	return SA_OK;
}

void sa__summary_clear(sa_screen_summary *s)
{
	for (size_t i = 0; i < s->ntiers; i++)
		free((char *)s->tiers[i].name);
	for (size_t i = 0; i < s->nprograms; i++) {
		free((char *)s->programs[i].name);
		free((char *)s->programs[i].period);
	}
	for (size_t i = 0; i < s->nrtiers; i++) {
		free((char *)s->rtiers[i].region);
		free((char *)s->rtiers[i].tier);
	}
	for (size_t i = 0; i < s->nrprogs; i++) {
		free((char *)s->rprogs[i].region);
		free((char *)s->rprogs[i].program);
	}
	for (size_t i = 0; i < s->nmissing; i++)
		free((char *)s->missing[i].fact);
	free(s->tiers);
	free(s->programs);
	free(s->rtiers);
	free(s->rprogs);
	free(s->missing);
	free(s->index);
	memset(s, 0, sizeof *s);
}

void sa_screen_summary_free(sa_screen_summary *s)
{
	if (!s)
		return;
	sa__summary_clear(s);
	free(s);
}

static sa_screen_tier *tier(sa_screen_summary *s, const char *name)
{
	sa_screen_tier *t;
	for (size_t i = 0; i < s->ntiers; i++)
		if (strcmp(s->tiers[i].name, name) == 0)
			return &s->tiers[i];
	if (s->ntiers == s->tcap) {
		size_t cap = s->tcap ? s->tcap * 2 : 8;
		if (!(t = realloc(s->tiers, cap * sizeof *t)))
			return NULL;
		s->tiers = t;
		s->tcap = cap;
	}
	t = &s->tiers[s->ntiers];
	memset(t, 0, sizeof *t);
	if (!(t->name = strdup(name)))
		return NULL;
	s->ntiers++;
	return t;
}

static sa_screen_program *program(sa_screen_summary *s, const char *name, const char *period)
{
	sa_screen_program *p;
	for (size_t i = 0; i < s->nprograms; i++)
		if (strcmp(s->programs[i].name, name) == 0)
			return &s->programs[i];
	if (s->nprograms == s->pcap) {
		size_t cap = s->pcap ? s->pcap * 2 : 8;
		if (!(p = realloc(s->programs, cap * sizeof *p)))
			return NULL;
		s->programs = p;
		s->pcap = cap;
	}
	p = &s->programs[s->nprograms];
	memset(p, 0, sizeof *p);
	if (!(p->name = strdup(name)) || !(p->period = strdup(period ? period : "month"))) {
		free((char *)p->name);
		return NULL;
	}
	s->nprograms++;
	return p;
}


/* ------------------------------------------------------------------ region cells and facts
 *
 * A registry of a province has hundreds of regions and a dozen programs; a linear search per
 * decision would make the count quadratic in practice, so records are found through one hash
 * table of tagged indices: (index << 2 | kind) + 1, 0 = empty. */

enum { K_RTIER = 0, K_RPROG = 1, K_FACT = 2 };

static uint64_t hash_key(int kind, const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
	for (const char *p = a; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (const char *p = b; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static void key_of(const sa_screen_summary *s, size_t e, int *kind, const char **a, const char **b)
{
	size_t i = (e - 1) >> 2;
	*kind = (int)((e - 1) & 3);
	*a = *kind == K_RTIER ? s->rtiers[i].region : *kind == K_RPROG ? s->rprogs[i].region : s->missing[i].fact;
	*b = *kind == K_RTIER ? s->rtiers[i].tier : *kind == K_RPROG ? s->rprogs[i].program : "";
}

/* The slot holding (kind, a, b), or the empty slot where it goes. */
static size_t *slot(sa_screen_summary *s, int kind, const char *a, const char *b)
{
	size_t mask = s->icap - 1, i = (size_t)hash_key(kind, a, b) & mask;
	for (;; i = (i + 1) & mask) {
		int k;
		const char *x, *y;
		if (!s->index[i])
			return &s->index[i];
		key_of(s, s->index[i], &k, &x, &y);
		if (k == kind && strcmp(x, a) == 0 && strcmp(y, b) == 0)
			return &s->index[i];
	}
}

static int grow_index(sa_screen_summary *s)
{
	size_t cap = s->icap ? s->icap * 2 : 64, *old = s->index, ocap = s->icap;
	if (!(s->index = calloc(cap, sizeof *s->index))) {
		s->index = old;
		return -1;
	}
	s->icap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i]) {
			int k;
			const char *a, *b;
			key_of(s, old[i], &k, &a, &b);
			*slot(s, k, a, b) = old[i];
		}
	free(old);
	return 0;
}

/* Grow an array of records by one (zeroed); NULL on failure. */
static void *push_rec(void **arr, size_t *n, size_t *cap, size_t size)
{
	char *p;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		if (!(p = realloc(*arr, c * size)))
			return NULL;
		*arr = p;
		*cap = c;
	}
	p = (char *)*arr + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

/* The record (kind, a, b), created empty when new; NULL when memory runs out. */
static void *cell(sa_screen_summary *s, int kind, const char *a, const char *b)
{
	size_t *sl, idx;
	char *ca = NULL, *cb = NULL;
	if ((s->iused + 1) * 2 > s->icap && grow_index(s) < 0)
		return NULL;
	sl = slot(s, kind, a, b);
	if (*sl) {
		idx = (*sl - 1) >> 2;
		return kind == K_RTIER ? (void *)&s->rtiers[idx] : kind == K_RPROG ? (void *)&s->rprogs[idx] : (void *)&s->missing[idx];
	}
	if (!(ca = strdup(a)) || (kind != K_FACT && !(cb = strdup(b)))) {
		free(ca);
		return NULL;
	}
	if (kind == K_RTIER) {
		sa_screen_region_tier *r = push_rec((void **)&s->rtiers, &s->nrtiers, &s->rtcap, sizeof *r);
		if (!r)
			goto oom;
		r->region = ca;
		r->tier = cb;
		idx = s->nrtiers - 1;
		*sl = (idx << 2 | K_RTIER) + 1;
		s->iused++;
		return r;
	} else if (kind == K_RPROG) {
		sa_screen_region_program *r = push_rec((void **)&s->rprogs, &s->nrprogs, &s->rpcap, sizeof *r);
		if (!r)
			goto oom;
		r->region = ca;
		r->program = cb;
		idx = s->nrprogs - 1;
		*sl = (idx << 2 | K_RPROG) + 1;
		s->iused++;
		return r;
	} else {
		sa_screen_missing *r = push_rec((void **)&s->missing, &s->nmissing, &s->mcap, sizeof *r);
		if (!r)
			goto oom;
		r->fact = ca;
		idx = s->nmissing - 1;
		*sl = (idx << 2 | K_FACT) + 1;
		s->iused++;
		return r;
	}
oom:
	free(ca);
	free(cb);
	return NULL;
}

static int by_households(const void *x, const void *y)
{
	const sa_screen_missing *a = x, *b = y;
	if (a->households != b->households)
		return a->households > b->households ? -1 : 1;
	return strcmp(a->fact, b->fact);
}

/* Sort the missing facts (most households first) and rebuild the index, whose tagged indices
 * of facts the sort moved. */
static int sort_missing(sa_screen_summary *s)
{
	size_t *old = s->index, ocap = s->icap;
	if (s->nmissing < 2)
		return 0;
	qsort(s->missing, s->nmissing, sizeof *s->missing, by_households);
	if (!(s->index = calloc(ocap, sizeof *s->index))) {
		s->index = old;
		return -1;
	}
	for (size_t i = 0; i < s->nrtiers; i++)
		*slot(s, K_RTIER, s->rtiers[i].region, s->rtiers[i].tier) = (i << 2 | K_RTIER) + 1;
	for (size_t i = 0; i < s->nrprogs; i++)
		*slot(s, K_RPROG, s->rprogs[i].region, s->rprogs[i].program) = (i << 2 | K_RPROG) + 1;
	for (size_t i = 0; i < s->nmissing; i++)
		*slot(s, K_FACT, s->missing[i].fact, "") = (i << 2 | K_FACT) + 1;
	free(old);
	return 0;
}

int sa__summary_count(sa_screen_summary *s, const sa_decision *d, const sa_value *enr, const char *region)
{
	sa_screen_tier *t;
	sa_screen_region_tier *rt;
	bool undetermined = false;
	if (!region)
		region = "-";
	/* a row for each tier program (zero or not), highest first, then the tier found */
	for (size_t i = 0; i < d->ntiers; i++)
		if (!tier(s, d->programs[i].name))
			return sa__error_oom();
	if (!(t = tier(s, d->tier ? d->tier : "none")))
		return sa__error_oom();
	t->households++;
	if (!(rt = cell(s, K_RTIER, region, d->tier ? d->tier : "none")))
		return sa__error_oom();
	rt->households++;
	s->circle[d->circle & 3]++;
	for (size_t i = 0; i < d->ntiers; i++)
		undetermined |= d->programs[i].status == SA_UNDETERMINED;
	if (undetermined) {
		s->undetermined++;
		for (size_t k = 0; k < d->nmissing; k++) {
			sa_screen_missing *m = cell(s, K_FACT, d->missing[k], "");
			if (!m)
				return sa__error_oom();
			m->households++;
		}
	}
	for (size_t i = 0; i < d->nprograms; i++) {
		const sa_program *dp = &d->programs[i];
		sa_screen_program *p = program(s, dp->name, dp->period);
		sa_screen_region_program *rp = cell(s, K_RPROG, region, dp->name);
		bool enrolled = enr && sa__value_get(enr, dp->name);
		if (!p || !rp)
			return sa__error_oom();
		if (dp->status == SA_ELIGIBLE) {
			p->eligible++;
			rp->eligible++;
			if (dp->has_amount && (__builtin_add_overflow(p->cash, dp->amount, &p->cash) ||
			                       __builtin_add_overflow(rp->cash, dp->amount, &rp->cash)))
				return sa__error(SA_ELIMIT, "screening: the cash total of %s overflows", dp->name);
			if (!enrolled) {
				p->not_enrolled++;
				rp->not_enrolled++;
			}
		} else if (dp->status == SA_UNDETERMINED) {
			p->undetermined++;
			rp->undetermined++;
			if (enrolled)
				p->enrolled_undetermined++;
		} else if (enrolled) {
			p->no_longer++;
			rp->no_longer++;
		}
	}
	return SA_OK;
}

int sa__summary_add(sa_screen_summary *into, const sa_screen_summary *from)
{
	into->records += from->records;
	into->evaluated += from->evaluated;
	into->bad += from->bad;
	for (int i = 0; i < 4; i++)
		into->circle[i] += from->circle[i];
	for (size_t i = 0; i < from->ntiers; i++) {
		sa_screen_tier *t = tier(into, from->tiers[i].name);
		if (!t)
			return sa__error_oom();
		t->households += from->tiers[i].households;
	}
	for (size_t i = 0; i < from->nprograms; i++) {
		const sa_screen_program *f = &from->programs[i];
		sa_screen_program *p = program(into, f->name, f->period);
		if (!p)
			return sa__error_oom();
		p->eligible += f->eligible;
		p->undetermined += f->undetermined;
		if (sa__fen_add(&p->cash, f->cash) < 0)
			return SA_EINVALID;
		p->not_enrolled += f->not_enrolled;
		p->no_longer += f->no_longer;
		p->enrolled_undetermined += f->enrolled_undetermined;
	}
	into->undetermined += from->undetermined;
	for (size_t i = 0; i < from->nrtiers; i++) {
		sa_screen_region_tier *r = cell(into, K_RTIER, from->rtiers[i].region, from->rtiers[i].tier);
		if (!r)
			return sa__error_oom();
		r->households += from->rtiers[i].households;
	}
	for (size_t i = 0; i < from->nrprogs; i++) {
		const sa_screen_region_program *f = &from->rprogs[i];
		sa_screen_region_program *r = cell(into, K_RPROG, f->region, f->program);
		if (!r)
			return sa__error_oom();
		r->eligible += f->eligible;
		r->undetermined += f->undetermined;
		if (__builtin_add_overflow(r->cash, f->cash, &r->cash))
			return sa__error(SA_ELIMIT, "screening: the cash total of %s overflows", f->program);
		r->not_enrolled += f->not_enrolled;
		r->no_longer += f->no_longer;
	}
	for (size_t i = 0; i < from->nmissing; i++) {
		sa_screen_missing *m = cell(into, K_FACT, from->missing[i].fact, "");
		if (!m)
			return sa__error_oom();
		m->households += from->missing[i].households;
	}
	return sort_missing(into) < 0 ? sa__error_oom() : SA_OK;
}

uint64_t sa_screen_summary_records(const sa_screen_summary *s)
{
	return s ? s->records : 0;
}

uint64_t sa_screen_summary_evaluated(const sa_screen_summary *s)
{
	return s ? s->evaluated : 0;
}

uint64_t sa_screen_summary_bad(const sa_screen_summary *s)
{
	return s ? s->bad : 0;
}

uint64_t sa_screen_summary_circle(const sa_screen_summary *s, int circle)
{
	return s && circle >= 0 && circle <= 3 ? s->circle[circle] : 0;
}

size_t sa_screen_summary_tier_count(const sa_screen_summary *s)
{
	return s ? s->ntiers : 0;
}

const sa_screen_tier *sa_screen_summary_tier(const sa_screen_summary *s, size_t i)
{
	return s && i < s->ntiers ? &s->tiers[i] : NULL;
}

size_t sa_screen_summary_program_count(const sa_screen_summary *s)
{
	return s ? s->nprograms : 0;
}

const sa_screen_program *sa_screen_summary_program(const sa_screen_summary *s, size_t i)
{
	return s && i < s->nprograms ? &s->programs[i] : NULL;
}

size_t sa_screen_summary_region_tier_count(const sa_screen_summary *s)
{
	return s ? s->nrtiers : 0;
}

const sa_screen_region_tier *sa_screen_summary_region_tier(const sa_screen_summary *s, size_t i)
{
	return s && i < s->nrtiers ? &s->rtiers[i] : NULL;
}

size_t sa_screen_summary_region_program_count(const sa_screen_summary *s)
{
	return s ? s->nrprogs : 0;
}

const sa_screen_region_program *sa_screen_summary_region_program(const sa_screen_summary *s, size_t i)
{
	return s && i < s->nrprogs ? &s->rprogs[i] : NULL;
}

uint64_t sa_screen_summary_undetermined(const sa_screen_summary *s)
{
	return s ? s->undetermined : 0;
}

size_t sa_screen_summary_missing_count(const sa_screen_summary *s)
{
	return s ? s->nmissing : 0;
}

const sa_screen_missing *sa_screen_summary_missing(const sa_screen_summary *s, size_t i)
{
	return s && i < s->nmissing ? &s->missing[i] : NULL;
}
