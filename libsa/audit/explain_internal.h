/* explain_internal.h - shared by the text (explain.c) and HTML (explain_html.c) explanations. */
#ifndef SA_EXPLAIN_INTERNAL_H
#define SA_EXPLAIN_INTERNAL_H

#include "core/internal.h"
#include "core/decision_internal.h"

/* One parameter value the decision rests on (strings borrowed from the engine's pack). */
typedef struct {
	const char *name, *value, *pack, *ref;
	char from[16];
} sa_std;

/* What an explanation shows, gathered once. */
typedef struct {
	sa_engine *engine;
	const sa_household *hh;
	sa_date as_of;
	sa_decision *d;
	sa_value *income;      /* rules.income_detail(h) (cn: rules/explain.lua), or NULL */
	sa_std *std;           /* the parameters the rules read, with a value on the date */
	size_t nstd;
} sa_explain_facts;

int sa__explain_gather(sa_explain_facts *f, sa_engine *engine, const sa_household *hh, sa_date as_of);
void sa__explain_facts_free(sa_explain_facts *f);

const char *sa__program_zh(const char *name);
const char *sa__program_en(const char *name);
const char *sa__status_zh(sa_status s);
const char *sa__relation_zh(const char *r);
void sa__yuan_grouped(char *buf, size_t size, sa_fen fen);
void sa__explain_question(sa_buf *b, const char *missing, sa_lang lang);
void sa__explain_test(sa_buf *b, const sa_margin *m);
void sa__explain_margin(sa_buf *b, const sa_margin *m, sa_lang lang);
/* Candidate k of a per-person test (特困) as a margin of its own (pointers borrowed from m). */
sa_margin sa__explain_candidate(const sa_margin *m, size_t k);
const char *sa__explain_test_title(const sa_margin *m, sa_lang lang);
const char *sa__param_title(const sa_explain_facts *f, const char *name, char *buf, size_t size, int zh);
const sa_value *sa__vget(const sa_value *v, const char *k);
const char *sa__vstr(const sa_value *v, const char *k);

/* explain_html.c */
int sa__explain_html(char **out, const sa_explain_facts *f, const sa_explain_options *o);

#endif
