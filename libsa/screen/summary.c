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
	free(s->tiers);
	free(s->programs);
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

int sa__summary_count(sa_screen_summary *s, const sa_decision *d, const sa_value *enr)
{
	sa_screen_tier *t;
	/* a row for each tier program (zero or not), highest first, then the tier found */
	for (size_t i = 0; i < d->ntiers; i++)
		if (!tier(s, d->programs[i].name))
			return sa__error_oom();
	if (!(t = tier(s, d->tier ? d->tier : "none")))
		return sa__error_oom();
	t->households++;
	s->circle[d->circle & 3]++;
	for (size_t i = 0; i < d->nprograms; i++) {
		const sa_program *dp = &d->programs[i];
		sa_screen_program *p = program(s, dp->name, dp->period);
		bool enrolled = enr && sa__value_get(enr, dp->name);
		if (!p)
			return sa__error_oom();
		if (dp->status == SA_ELIGIBLE) {
			p->eligible++;
			if (dp->has_amount)
				p->cash += dp->amount;
			if (!enrolled)
				p->not_enrolled++;
		} else if (dp->status == SA_UNDETERMINED) {
			p->undetermined++;
			if (enrolled)
				p->enrolled_undetermined++;
		} else if (enrolled) {
			p->no_longer++;
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
		p->cash += f->cash;
		p->not_enrolled += f->not_enrolled;
		p->no_longer += f->no_longer;
		p->enrolled_undetermined += f->enrolled_undetermined;
	}
	return SA_OK;
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
