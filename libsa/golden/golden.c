/* golden.c - a pack's golden tests: a household, a date, and the expected decision. */
#include "golden/golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char detail[2048];
	size_t len;
	char reasons[4096]; /* the decision's reasons, filled when a case fails */
} why;

/* A failing case shows what the rules said: each program's status and amount, then its
 * reasons (id: zh / en), so that the author sees why, not only what. */
static void note_reasons(why *w, const sa_decision *d)
{
	size_t o = 0;
	char money[40];
	w->reasons[0] = 0;
	for (size_t i = 0; i < d->nprograms && o + 1 < sizeof w->reasons; i++) {
		const sa_program *p = &d->programs[i];
		int n;
		if (p->has_amount)
			sa_money_format(money, sizeof money, p->amount);
		n = snprintf(w->reasons + o, sizeof w->reasons - o, "%s: %s%s%s\n", p->name, sa_status_name(p->status),
		             p->has_amount ? " " : "", p->has_amount ? money : "");
		if (n < 0 || (size_t)n >= sizeof w->reasons - o)
			break;
		o += (size_t)n;
		for (size_t r = 0; r < p->nreasons; r++) {
			const sa_reason *x = &p->reasons[r];
			n = snprintf(w->reasons + o, sizeof w->reasons - o, "  - %s: %s%s%s\n", x->id, x->zh ? x->zh : "",
			             x->zh && x->en ? " / " : "", x->en ? x->en : "");
			if (n < 0 || (size_t)n >= sizeof w->reasons - o) {
				w->reasons[o] = 0;
				return;
			}
			o += (size_t)n;
		}
	}
}

static void note(why *w, const char *fmt, const char *a, const char *b, const char *c)
{
	if (w->len < sizeof w->detail - 1) {
		int n = snprintf(w->detail + w->len, sizeof w->detail - w->len, fmt, a ? a : "", b ? b : "", c ? c : "");
		if (n > 0)
			w->len += (size_t)n < sizeof w->detail - w->len ? (size_t)n : sizeof w->detail - w->len - 1;
	}
}

static const char *text(const sa_value *v)
{
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* A 12-month total (of a part when part is not NULL); 0 when it is unknown or fails. */
static int period_total(sa_fen *have, sa_engine *e, const sa_household *hh, const char *name, const char *part,
                        sa_date date)
{
	sa_period per;
	int ok = sa_evaluate_period_part(&per, e, hh, name, part, date, 12) == 0 && per.status != SA_UNDETERMINED;
	*have = ok ? per.total : 0;
	return ok;
}

static void check_program(why *w, sa_engine *e, const sa_household *hh, const sa_decision *d, const char *name,
                          const sa_value *exp, sa_date date)
{
	int i = sa_decision_find(d, name);
	const sa_program *p;
	const char *s;
	char buf[64], got[64];
	if (i < 0) {
		note(w, "program %s: not in the decision; ", name, NULL, NULL);
		return;
	}
	p = &d->programs[i];
	for (size_t k = 0; k < exp->n; k++) {
		const char *key = exp->keys[k];
		const sa_value *v = exp->items[k];
		if (strcmp(key, "status") == 0) {
			if (!text(v) || strcmp(text(v), sa_status_name(p->status)) != 0)
				note(w, "%s.status: expected %s, got %s; ", name, text(v), sa_status_name(p->status));
		} else if (strcmp(key, "amount") == 0 || strcmp(key, "amount_annual") == 0) {
			sa_fen want, have = 0;
			int has = 0;
			if (v->type == SA_V_NULL) {
				if (p->has_amount) {
					sa_money_format(got, sizeof got, p->amount);
					note(w, "%s.amount: expected none, got %s; ", name, got, NULL);
				}
				continue;
			}
			if (!text(v) || sa_money_parse(&want, text(v)) < 0) {
				note(w, "%s.%s: bad expected money; ", name, key, NULL);
				continue;
			}
			if (strcmp(key, "amount") == 0) {
				has = p->has_amount;
				have = p->amount;
			} else {
				has = period_total(&have, e, hh, name, NULL, date);
			}
			{
				char label[128];
				snprintf(label, sizeof label, "%s.%s", name, key);
				sa_money_format(buf, sizeof buf, want);
				sa_money_format(got, sizeof got, have);
				if (!has)
					note(w, "%s: expected %s, got none; ", label, buf, NULL);
				else if (have != want)
					note(w, "%s: expected %s, got %s; ", label, buf, got);
			}
		} else if ((strcmp(key, "parts") == 0 || strcmp(key, "parts_annual") == 0) && v->type == SA_V_MAP) {
			bool annual = strcmp(key, "parts_annual") == 0;
			for (size_t q = 0; q < v->n; q++) {
				sa_fen want, have = 0;
				char label[160];
				int has;
				snprintf(label, sizeof label, "%s.%s.%s", name, key, v->keys[q]);
				if (!text(v->items[q]) || sa_money_parse(&want, text(v->items[q])) < 0) {
					note(w, "%s: bad expected money; ", label, NULL, NULL);
					continue;
				}
				has = annual ? period_total(&have, e, hh, name, v->keys[q], date)
				             : sa_decision_program_part(&have, d, (size_t)i, v->keys[q]) == 0;
				sa_money_format(buf, sizeof buf, want);
				sa_money_format(got, sizeof got, have);
				if (!has)
					note(w, "%s: expected %s, got none; ", label, buf, NULL);
				else if (have != want)
					note(w, "%s: expected %s, got %s; ", label, buf, got);
			}
		} else if (strcmp(key, "care_levels") == 0 && v->type == SA_V_MAP) {
			for (size_t q = 0; q < v->n; q++) {
				const char *want = v->items[q]->type == SA_V_NULL ? NULL : text(v->items[q]), *got = NULL;
				int found = 0;
				for (size_t m = 0; m < p->nmembers; m++)
					if (strcmp(p->members[m], v->keys[q]) == 0) {
						found = 1;
						got = sa_decision_program_member_care_level(d, (size_t)i, m);
					}
				if (!found || (want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
					note(w, "%s.care_levels.%s: expected %s, ", name, v->keys[q], want ? want : "none");
				if (!found || (want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
					note(w, "got %s; ", found ? (got ? got : "none") : "not a member", NULL, NULL);
			}
		} else if (strcmp(key, "period") == 0) {
			const char *got = p->period ? p->period : "month";
			s = text(v);
			if (!s || strcmp(s, got) != 0)
				note(w, "%s.period: expected %s, got %s; ", name, s ? s : "?", got);
		} else if (strcmp(key, "care_level") == 0) {
			s = v->type == SA_V_NULL ? NULL : text(v);
			if ((s == NULL) != (p->care_level == NULL) || (s && strcmp(s, p->care_level) != 0))
				note(w, "%s.care_level: expected %s, got %s; ", name, s ? s : "none",
				     p->care_level ? p->care_level : "none");
		} else if (strcmp(key, "members") == 0) {
			int ok = v->type == SA_V_LIST && v->n == p->nmembers;
			for (size_t m = 0; ok && m < v->n; m++) {
				int found = 0;
				for (size_t q = 0; q < p->nmembers; q++)
					found |= text(v->items[m]) && strcmp(text(v->items[m]), p->members[q]) == 0;
				ok = found;
			}
			if (!ok)
				note(w, "%s.members differ from the expected list; ", name, NULL, NULL);
		} else if (strcmp(key, "missing") == 0) {
			int ok = v->type == SA_V_LIST && v->n == p->nmissing;
			for (size_t m = 0; ok && m < v->n; m++) {
				int found = 0;
				for (size_t q = 0; q < p->nmissing; q++)
					found |= text(v->items[m]) && strcmp(text(v->items[m]), p->missing[q]) == 0;
				ok = found;
			}
			if (!ok) {
				note(w, "%s.missing differs from the expected list (got:", name, NULL, NULL);
				for (size_t q = 0; q < p->nmissing; q++)
					note(w, " %s", p->missing[q], NULL, NULL);
				note(w, "); ", NULL, NULL, NULL);
			}
		} else if (strcmp(key, "reason") == 0) {
			int found = 0;
			for (size_t q = 0; q < p->nreasons; q++)
				found |= text(v) && strcmp(p->reasons[q].id, text(v)) == 0;
			if (!found)
				note(w, "%s: no reason with id %s; ", name, text(v), NULL);
		} else {
			note(w, "%s: unknown expectation '%s'; ", name, key, NULL);
		}
	}
}

static void run_case(why *w, sa_engine *e, const sa_value *c, const char *file)
{
	const sa_value *hv = sa__value_get(c, "household"), *exp = sa__value_get(c, "expect");
	const sa_value *dv = sa__value_get(c, "date");
	sa_household *hh = NULL;
	sa_decision *d = NULL;
	sa_date date;
	sa_value *raw;

	if (!text(sa__value_get(c, "source")))
		note(w, "the case names no source; ", NULL, NULL, NULL);
	if (!hv || !exp || exp->type != SA_V_MAP || !text(dv) || sa_date_parse(&date, text(dv)) < 0) {
		note(w, "a case needs household, a date YYYY-MM-DD and expect; ", NULL, NULL, NULL);
		return;
	}
	if (!(raw = sa__value_copy(hv)) || sa__household_from_value(&hh, raw, file) < 0 ||
	    sa_evaluate(&d, e, hh, date) < 0) {
		const sa_error *err = sa_error_last();
		char pos[64];
		snprintf(pos, sizeof pos, "%d:%d", err ? err->line : 0, err ? err->column : 0);
		note(w, "error at %s: %s; ", pos, err ? err->message : "out of memory", NULL);
		sa_household_free(hh);
		return;
	}
	for (size_t k = 0; k < exp->n; k++) {
		const char *key = exp->keys[k];
		const sa_value *v = exp->items[k];
		if (strcmp(key, "tier") == 0) {
			if (!text(v) || strcmp(text(v), sa_decision_tier(d)) != 0)
				note(w, "tier: expected %s, got %s; ", text(v), sa_decision_tier(d), NULL);
		} else if (strcmp(key, "circle") == 0) {
			int64_t want = 0;
			if (v->type != SA_V_NULL && sa__scalar_int(v, &want) < 0)
				note(w, "circle: bad expectation; ", NULL, NULL, NULL);
			else if (want != d->circle) {
				char a[16], b[16];
				snprintf(a, sizeof a, "%lld", (long long)want);
				snprintf(b, sizeof b, "%d", d->circle);
				note(w, "circle: expected %s, got %s; ", a, b, NULL);
			}
		} else if (strcmp(key, "programs") == 0 && v->type == SA_V_MAP) {
			for (size_t q = 0; q < v->n; q++) {
				if (v->items[q]->type != SA_V_MAP)
					note(w, "programs.%s: expected a map; ", v->keys[q], NULL, NULL);
				else
					check_program(w, e, hh, d, v->keys[q], v->items[q], date);
			}
		} else if (strcmp(key, "missing") == 0 && v->type == SA_V_LIST) {
			int ok = v->n == d->nmissing;
			for (size_t m = 0; ok && m < v->n; m++) {
				int found = 0;
				for (size_t q = 0; q < d->nmissing; q++)
					found |= text(v->items[m]) && strcmp(text(v->items[m]), d->missing[q]) == 0;
				ok = found;
			}
			if (!ok) {
				note(w, "missing differs from the expected list (got:", NULL, NULL, NULL);
				for (size_t q = 0; q < d->nmissing; q++)
					note(w, " %s", d->missing[q], NULL, NULL);
				note(w, "); ", NULL, NULL, NULL);
			}
		} else {
			note(w, "unknown expectation '%s'; ", key, NULL, NULL);
		}
	}
	if (w->len)
		note_reasons(w, d);
	sa_decision_free(d);
	sa_household_free(hh);
}

typedef struct {
	const char *pack_id;
	sa_test_report_fn report;
	void *payload;
	const sa_test_options *opts;
} reporter;

static void emit(const reporter *r, const char *file, int line, const char *name, int ok, const char *detail,
                 const char *reasons)
{
	if (r->report)
		r->report(r->pack_id, file, name, ok, detail, r->payload);
	if (r->opts && r->opts->on_case) {
		sa_test_case c;
		memset(&c, 0, sizeof c);
		c.pack = r->pack_id;
		c.file = file;
		c.line = line;
		c.name = name;
		c.ok = ok;
		c.detail = detail;
		c.reasons = reasons && *reasons ? reasons : NULL;
		r->opts->on_case(&c, r->opts->payload);
	}
}

static int test_engine(sa_test_counts *counts, sa_engine *e, const reporter *r);

int sa_pack_test(sa_test_counts *counts, const char *pack_path, const char *pack_id, sa_test_report_fn report,
                 void *payload)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	reporter r = { pack_id, report, payload, NULL };
	int rc;
	o.pack_path = pack_path;
	if ((rc = sa_engine_new(&e, &o)) < 0)
		return rc;
	if ((rc = sa_engine_load(e, pack_id)) < 0) {
		sa_engine_free(e);
		return rc;
	}
	rc = test_engine(counts, e, &r);
	sa_engine_free(e);
	return rc;
}

int sa_test_options_init(sa_test_options *opts, unsigned int version)
{
	if (!opts || version != SA_TEST_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_test_options_init: unsupported version %u", version);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	return SA_OK;
}

int sa_pack_test_ex(sa_test_counts *counts, const char *pack_path, const char *pack_id, const sa_test_options *opts)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	reporter r = { pack_id, NULL, NULL, opts };
	int rc;
	if (!counts || !pack_id || !opts || opts->version != SA_TEST_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_pack_test_ex: NULL argument or bad options version");
	o.pack_path = pack_path;
	if ((rc = sa_engine_new(&e, &o)) < 0)
		return rc;
	if ((rc = sa_engine_load(e, pack_id)) < 0) {
		sa_engine_free(e);
		return rc;
	}
	/* coverage: a line hook in the engine's sandbox, for this test run only */
	if ((opts->flags & SA_TEST_COVERAGE) && (rc = sa__engine_coverage_begin(e)) < 0) {
		sa_engine_free(e);
		return rc;
	}
	rc = test_engine(counts, e, &r);
	if (opts->flags & SA_TEST_COVERAGE)
		sa__engine_coverage_end(e, pack_id, rc == SA_OK ? opts->on_coverage : NULL, opts->payload);
	sa_engine_free(e);
	return rc;
}

/* The golden cases of the pack loaded in e (also used to check a version before publishing). */
int sa__pack_test_engine(sa_test_counts *counts, sa_engine *e, const char *pack_id, sa_test_report_fn report,
                         void *payload)
{
	reporter r = { pack_id, report, payload, NULL };
	return test_engine(counts, e, &r);
}

static int test_engine(sa_test_counts *counts, sa_engine *e, const reporter *r)
{
	const sa_pack *leaf = sa__engine_policy_leaf(e);
	if (leaf->ntests == 0) {
		counts->failed++;
		emit(r, "tests/", 0, "(none)", 0, "the pack ships no golden tests", NULL);
	}
	for (size_t t = 0; t < leaf->ntests; t++) {
		sa_value *doc = NULL, *cases;
		if (sa__yaml_parse_file(&doc, leaf->tests[t]) < 0 || !(cases = sa__value_get(doc, "cases")) ||
		    cases->type != SA_V_LIST) {
			const sa_error *err = sa_error_last();
			char msg[1200];
			snprintf(msg, sizeof msg, "%d:%d: %s", err ? err->line : 0, err ? err->column : 0,
			         doc ? "a test file holds 'cases', a list" : err ? err->message : "?");
			counts->failed++;
			emit(r, leaf->tests[t], doc ? doc->line : err ? err->line : 0, "(file)", 0, msg, NULL);
			sa__value_free(doc);
			continue;
		}
		for (size_t i = 0; i < cases->n; i++) {
			why w = { .len = 0 };
			const char *name = text(sa__value_get(cases->items[i], "name"));
			char fallback[32];
			w.detail[0] = 0;
			w.reasons[0] = 0;
			if (!name) {
				snprintf(fallback, sizeof fallback, "case %zu", i + 1);
				name = fallback;
			}
			if (cases->items[i]->type != SA_V_MAP)
				note(&w, "a case is a map; ", NULL, NULL, NULL);
			else
				run_case(&w, e, cases->items[i], leaf->tests[t]);
			if (w.len)
				counts->failed++;
			else
				counts->passed++;
			emit(r, leaf->tests[t], cases->items[i]->line, name, w.len == 0, w.detail, w.reasons);
		}
		sa__value_free(doc);
	}
	return SA_OK;
}
