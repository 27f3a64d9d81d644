/* coverage.c - which rule lines a pack's golden cases ran (sa test --coverage).
 *
 * The executable lines of each rule file come from its compiled bytecode (the static scan,
 * lua/scan.h: lines of code inside functions; the top level runs when the pack loads, before
 * any case). The lines run are recorded by the sandbox's hook, which listens to line events
 * only while a coverage object is set (test mode, through the engine): evaluation outside
 * tests pays nothing. */
#include "core/internal.h"
#include "pack/pack.h"
#include "lua/scan.h"
#include "lua/bridge.h"
#include "lua/state.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	char *name;            /* id/rules/x.lua, the chunk name without '=' */
	const char *pack;      /* borrowed from the policy */
	unsigned char *code;   /* [line] 1 when the line holds code */
	unsigned char *hit;    /* [line] 1 when run */
	int nlines;            /* size of both arrays: last line + 1 */
} cfile;

struct sa_coverage {
	cfile *files;
	size_t n;
	const char *last_src; /* the hook's source pointer last seen, and its file */
	cfile *last;
};

void sa__coverage_free(sa_coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->files[i].name);
		free(c->files[i].code);
		free(c->files[i].hit);
	}
	free(c->files);
	free(c);
}

int sa__coverage_new(sa_coverage **out, const sa_policy *pol)
{
	sa_coverage *c = calloc(1, sizeof *c);
	size_t total = 0;
	*out = NULL;
	if (!c)
		return sa__error_oom();
	for (size_t i = 0; i < pol->n; i++)
		total += pol->chain[i]->nrules;
	if (!(c->files = calloc(total + 1, sizeof *c->files))) {
		free(c);
		return sa__error_oom();
	}
	for (size_t i = 0; i < pol->n; i++)
		for (size_t j = 0; j < pol->chain[i]->nrules; j++) {
			const sa_pfile *pf = &pol->chain[i]->rules[j];
			cfile *f = &c->files[c->n];
			sa_lscan scan;
			int max = 1;
			if (sa__lua_scan(&scan, pf->name, pf->text, pf->len) < 0) {
				sa__coverage_free(c);
				return sa__error_oom();
			}
			for (size_t k = 0; k < scan.nlines; k++)
				if (scan.lines[k] > max)
					max = scan.lines[k];
			f->pack = pol->chain[i]->id;
			f->nlines = max + 1;
			if (!(f->name = strdup(pf->name)) || !(f->code = calloc((size_t)f->nlines, 1)) ||
			    !(f->hit = calloc((size_t)f->nlines, 1))) {
				c->n++;
				sa__lscan_free(&scan);
				sa__coverage_free(c);
				return sa__error_oom();
			}
			for (size_t k = 0; k < scan.nlines; k++)
				if (scan.lines[k] > 0)
					f->code[scan.lines[k]] = 1;
			sa__lscan_free(&scan);
			c->n++;
		}
	*out = c;
	return SA_OK;
}

void sa__coverage_hit(sa_coverage *c, const char *source, int line)
{
	cfile *f = NULL;
	if (!source || line <= 0)
		return;
	if (source == c->last_src)
		f = c->last;
	else {
		const char *name = source[0] == '=' ? source + 1 : source;
		for (size_t i = 0; i < c->n && !f; i++)
			if (strcmp(c->files[i].name, name) == 0)
				f = &c->files[i];
		c->last_src = source;
		c->last = f;
	}
	if (f && line < f->nlines)
		f->hit[line] = 1;
}

void sa__coverage_report(const sa_coverage *c, const char *pack, void (*cb)(const sa_test_coverage *, void *),
                         void *payload)
{
	for (size_t i = 0; i < c->n; i++) {
		const cfile *f = &c->files[i];
		sa_test_coverage r;
		int *missed = malloc((size_t)f->nlines * sizeof *missed + 1);
		memset(&r, 0, sizeof r);
		r.pack = pack;
		r.defined_by = f->pack;
		r.file = f->name;
		for (int l = 1; l < f->nlines; l++) {
			if (!f->code[l])
				continue;
			r.lines++;
			if (f->hit[l])
				r.executed++;
			else if (missed)
				missed[r.nmissed++] = l;
		}
		r.missed = missed;
		cb(&r, payload);
		free(missed);
	}
}

void sa__lua_set_coverage(sa_lua *s, sa_coverage *cov)
{
	s->cov = cov;
}
