/* decision.c - reading a decision, and writing it as JSON (docs/decision.md) or text. */
#include "core/internal.h"
#include "core/decision_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void margin_free(sa_margin *m)
{
	free(m->test);
	free(m->basis);
	free(m->op);
	free(m->member);
	for (size_t i = 0; i < m->neach; i++)
		margin_free(&m->each[i]);
	free(m->each);
}

void sa_decision_free(sa_decision *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nprograms; i++) {
		sa_program *p = &d->programs[i];
		free(p->name);
		free(p->care_level);
		free(p->period);
		if (p->member_care)
			for (size_t k = 0; k < p->nmembers; k++)
				free(p->member_care[k]);
		free(p->member_care);
		free_strs(p->part_names, p->nparts);
		free(p->part_amounts);
		free_strs(p->members, p->nmembers);
		free_strs(p->missing, p->nmissing);
		margin_free(&p->margin);
		for (size_t j = 0; j < p->nreasons; j++) {
			sa_reason *r = &p->reasons[j];
			free(r->id);
			free(r->zh);
			free(r->en);
			free(r->ref);
			for (size_t k = 0; k < r->nparams; k++) {
				free(r->params[k].name);
				free(r->params[k].value);
				free(r->params[k].from);
				free(r->params[k].pack);
				free(r->params[k].ref);
			}
			free(r->params);
		}
		free(p->reasons);
	}
	free(d->programs);
	free_strs(d->missing, d->nmissing);
	sa__value_free(d->services);
	free(d->reads);
	if (d->ver && d->ver_release)
		d->ver_release(d->ver);
	free(d->household_id);
	free(d->pack_id);
	free(d->tier);
	free(d);
}

const char *sa_status_name(sa_status s)
{
	switch (s) {
	case SA_ELIGIBLE: return "eligible";
	case SA_INELIGIBLE: return "ineligible";
	default: return "undetermined";
	}
}

const char *sa_decision_tier(const sa_decision *d) { return d->tier ? d->tier : "none"; }
int sa_decision_circle(const sa_decision *d) { return d->circle; }
/* The highest tier program (eligible) whose members include id: the tier programs are the
 * ones rules.evaluate returned, highest first (the pack orders them, not C). */
const char *sa__decision_member_tier(const sa_decision *d, const char *id)
{
	for (size_t i = 0; i < d->ntiers; i++) {
		const sa_program *p = &d->programs[i];
		if (p->status != SA_ELIGIBLE)
			continue;
		for (size_t k = 0; k < p->nmembers; k++)
			if (strcmp(p->members[k], id) == 0)
				return p->name;
	}
	return NULL;
}

size_t sa_decision_program_count(const sa_decision *d) { return d->nprograms; }
const char *sa_decision_pack_hash(const sa_decision *d) { return d->hash; }
size_t sa_decision_missing_count(const sa_decision *d) { return d->nmissing; }

const char *sa_decision_missing(const sa_decision *d, size_t k)
{
	return k < d->nmissing ? d->missing[k] : NULL;
}

int sa_decision_find(const sa_decision *d, const char *program)
{
	for (size_t i = 0; i < d->nprograms; i++)
		if (strcmp(d->programs[i].name, program) == 0)
			return (int)i;
	return -1;
}

const char *sa_decision_program_name(const sa_decision *d, size_t i)
{
	return i < d->nprograms ? d->programs[i].name : NULL;
}

int sa_decision_program_status(sa_status *out, const sa_decision *d, size_t i)
{
	if (!d || i >= d->nprograms)
		return sa__error(SA_EINVALID, "sa_decision_program_status: no program %zu", i);
	*out = d->programs[i].status;
	return SA_OK;
}

int sa_decision_program_amount(sa_fen *out, const sa_decision *d, size_t i)
{
	if (i >= d->nprograms || !d->programs[i].has_amount)
		return SA_ENOTFOUND;
	*out = d->programs[i].amount;
	return SA_OK;
}

int sa_decision_program_part(sa_fen *out, const sa_decision *d, size_t i, const char *part)
{
	if (i >= d->nprograms || !part)
		return SA_ENOTFOUND;
	for (size_t k = 0; k < d->programs[i].nparts; k++)
		if (strcmp(d->programs[i].part_names[k], part) == 0) {
			*out = d->programs[i].part_amounts[k];
			return SA_OK;
		}
	return SA_ENOTFOUND;
}

const char *sa_decision_program_period(const sa_decision *d, size_t i)
{
	if (i >= d->nprograms)
		return NULL;
	return d->programs[i].period ? d->programs[i].period : "month";
}

const char *sa_decision_program_member_care_level(const sa_decision *d, size_t i, size_t k)
{
	if (i >= d->nprograms || k >= d->programs[i].nmembers || !d->programs[i].member_care)
		return NULL;
	return d->programs[i].member_care[k];
}

const char *sa_decision_program_care_level(const sa_decision *d, size_t i)
{
	return i < d->nprograms ? d->programs[i].care_level : NULL;
}

size_t sa_decision_program_member_count(const sa_decision *d, size_t i)
{
	return i < d->nprograms ? d->programs[i].nmembers : 0;
}

const char *sa_decision_program_member(const sa_decision *d, size_t i, size_t k)
{
	return i < d->nprograms && k < d->programs[i].nmembers ? d->programs[i].members[k] : NULL;
}

void sa_free(void *ptr)
{
	free(ptr);
}

/* ---- text buffer ---- */

void sa__buf_add(sa_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *ns;
		while (b->n + n + 1 > cap)
			cap *= 2;
		if (!(ns = realloc(b->s, cap))) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

void sa__buf_str(sa_buf *b, const char *s)
{
	sa__buf_add(b, s, strlen(s));
}

void sa__buf_fmt(sa_buf *b, const char *fmt, ...)
{
	char tmp[512], *big;
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sa__buf_add(b, tmp, (size_t)n);
		return;
	}
	/* longer than the stack buffer: format again into one of the right size, never cut */
	if (!(big = malloc((size_t)n + 1))) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sa__buf_add(b, big, (size_t)n);
	free(big);
}

void sa__buf_json_str(sa_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	sa__buf_add(b, "\"", 1);
	/* runs of characters that need no escape are copied whole (most strings are one run) */
	for (; *p; p++) {
		if (*p != '"' && *p != '\\' && *p >= 0x20)
			continue;
		sa__buf_add(b, (const char *)run, (size_t)(p - run));
		if (*p == '"' || *p == '\\') {
			char esc[2] = { '\\', (char)*p };
			sa__buf_add(b, esc, 2);
		} else {
			sa__buf_fmt(b, "\\u%04x", *p);
		}
		run = p + 1;
	}
	sa__buf_add(b, (const char *)run, (size_t)(p - run));
	sa__buf_add(b, "\"", 1);
}

/* ---- JSON ---- */

typedef struct {
	sa_buf b;
	bool pretty;
	int depth;
	const sa_json_hooks *h; /* the decision log's compact reasons, or NULL */
} jw;

static void nl(jw *w)
{
	if (w->pretty) {
		sa__buf_add(&w->b, "\n", 1);
		for (int i = 0; i < w->depth; i++)
			sa__buf_add(&w->b, "  ", 2);
	}
}

static void key(jw *w, const char *k, bool first)
{
	if (!first)
		sa__buf_add(&w->b, ",", 1);
	nl(w);
	sa__buf_json_str(&w->b, k);
	sa__buf_str(&w->b, w->pretty ? ": " : ":");
}

static void kv_str(jw *w, const char *k, const char *v, bool first)
{
	key(w, k, first);
	if (v)
		sa__buf_json_str(&w->b, v);
	else
		sa__buf_str(&w->b, "null");
}

static void str_array(jw *w, char **v, size_t n)
{
	sa__buf_add(&w->b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sa__buf_str(&w->b, w->pretty ? ", " : ",");
		sa__buf_json_str(&w->b, v[i]);
	}
	sa__buf_add(&w->b, "]", 1);
}

static void open(jw *w, const char *c)
{
	sa__buf_str(&w->b, c);
	w->depth++;
}

static void close_(jw *w, const char *c)
{
	w->depth--;
	nl(w);
	sa__buf_str(&w->b, c);
}

static void write_reason(jw *w, const sa_reason *r)
{
	open(w, "{");
	kv_str(w, "id", r->id, true);
	kv_str(w, "zh", r->zh, false);
	kv_str(w, "en", r->en, false);
	if (w->h) {
		key(w, "ref", false);
		w->h->ref(w->h->ud, &w->b, r->ref);
	} else
		kv_str(w, "ref", r->ref, false);
	key(w, "params", false);
	open(w, "[");
	for (size_t k = 0; k < r->nparams; k++) {
		long row = w->h ? w->h->param(w->h->ud, &r->params[k]) : -1;
		if (k)
			sa__buf_add(&w->b, ",", 1);
		nl(w);
		if (row >= 0) {
			sa__buf_fmt(&w->b, "%ld", row);
			continue;
		}
		open(w, "{");
		kv_str(w, "name", r->params[k].name, true);
		kv_str(w, "value", r->params[k].value, false);
		kv_str(w, "from", r->params[k].from, false);
		kv_str(w, "pack", r->params[k].pack, false);
		if (w->h) {
			key(w, "ref", false);
			w->h->ref(w->h->ud, &w->b, r->params[k].ref);
		} else
			kv_str(w, "ref", r->params[k].ref, false);
		close_(w, "}");
	}
	close_(w, "]");
	close_(w, "}");
}

/* A document tree (the "services" section) as JSON: text, integers, booleans, null. */
static void write_value(jw *w, const sa_value *v)
{
	switch (v->type) {
	case SA_V_MAP:
		open(w, "{");
		for (size_t i = 0; i < v->n; i++) {
			key(w, v->keys[i], i == 0);
			write_value(w, v->items[i]);
		}
		close_(w, "}");
		break;
	case SA_V_LIST:
		open(w, "[");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sa__buf_add(&w->b, ",", 1);
			nl(w);
			write_value(w, v->items[i]);
		}
		close_(w, "]");
		break;
	case SA_V_INT:
	case SA_V_DATE:
		sa__buf_fmt(&w->b, "%lld", (long long)v->num);
		break;
	case SA_V_BOOL:
		sa__buf_str(&w->b, v->num ? "true" : "false");
		break;
	case SA_V_NULL:
		sa__buf_str(&w->b, "null");
		break;
	default:
		sa__buf_json_str(&w->b, v->str ? v->str : "");
	}
}

static void kv_money(jw *w, const char *k, sa_fen v, bool present)
{
	char money[32];
	key(w, k, false);
	if (!present) {
		sa__buf_str(&w->b, "null");
		return;
	}
	sa_money_format(money, sizeof money, v);
	sa__buf_json_str(&w->b, money);
}

/* A ratio num/den as the shortest exact decimal ("1.5", "0.3"), else "num/den". */
void sa__ratio_text(char *buf, size_t size, int64_t num, int64_t den)
{
	int64_t scale = 1;
	int digits = 0;
	if (den <= 0) {
		snprintf(buf, size, "?");
		return;
	}
	while (digits < 6 && (num * scale) % den != 0) {
		scale *= 10;
		digits++;
	}
	if ((num * scale) % den != 0) {
		snprintf(buf, size, "%lld/%lld", (long long)num, (long long)den);
		return;
	}
	if (digits == 0)
		snprintf(buf, size, "%lld", (long long)(num / den));
	else {
		int64_t v = num * scale / den;
		snprintf(buf, size, "%lld.%0*lld", (long long)(v / scale), digits, (long long)(v % scale));
	}
}

static void write_margin(jw *w, const sa_margin *m)
{
	char ratio[64];
	if (!m->set) {
		sa__buf_str(&w->b, "null");
		return;
	}
	open(w, "{");
	kv_str(w, "test", m->test, true);
	kv_str(w, "basis", m->basis, false);
	if (m->member) /* only for a person's own-income test (特困): household tests' bytes unchanged */
		kv_str(w, "member", m->member, false);
	kv_str(w, "direction", m->direction > 0 ? "up" : "down", false);
	kv_money(w, "amount", m->amount, true);
	key(w, "amount_fen", false);
	sa__buf_fmt(&w->b, "%lld", (long long)m->amount);
	kv_money(w, "value", m->value, true);
	kv_str(w, "op", m->op, false);
	kv_money(w, "limit", m->limit, true);
	key(w, "passes", false);
	sa__buf_str(&w->b, m->passes ? "true" : "false");
	key(w, "other_conditions", false);
	sa__buf_str(&w->b, m->other ? "true" : "false");
	kv_money(w, "standard", m->standard, m->standard != 0);
	key(w, "persons", false);
	if (m->persons)
		sa__buf_fmt(&w->b, "%lld", (long long)m->persons);
	else
		sa__buf_str(&w->b, "null");
	kv_money(w, "base", m->base, m->base != 0);
	key(w, "multiple", false);
	if (m->den && !(m->num == 1 && m->den == 1)) {
		sa__ratio_text(ratio, sizeof ratio, m->num, m->den);
		sa__buf_json_str(&w->b, ratio);
	} else
		sa__buf_str(&w->b, "null");
	if (m->each) {
		key(w, "candidates", false);
		open(w, "[");
		for (size_t i = 0; i < m->neach; i++) {
			const sa_margin *c = &m->each[i];
			if (i)
				sa__buf_add(&w->b, ",", 1);
			nl(w);
			open(w, "{");
			kv_str(w, "member", c->member ? c->member : "", true);
			kv_str(w, "direction", c->direction > 0 ? "up" : "down", false);
			kv_money(w, "amount", c->amount, true);
			key(w, "amount_fen", false);
			sa__buf_fmt(&w->b, "%lld", (long long)c->amount);
			kv_money(w, "value", c->value, true);
			kv_str(w, "op", c->op, false);
			kv_money(w, "limit", c->limit, true);
			key(w, "passes", false);
			sa__buf_str(&w->b, c->passes ? "true" : "false");
			close_(w, "}");
		}
		close_(w, "]");
	}
	close_(w, "}");
}

int sa_decision_program_margin(sa_fen *amount, int *direction, int *other, const sa_decision *d, size_t i)
{
	const sa_margin *m;
	if (!d || i >= d->nprograms)
		return sa__error(SA_EINVALID, "sa_decision_program_margin: no program %zu", i);
	m = &d->programs[i].margin;
	if (!m->set)
		return sa__error(SA_ENOTFOUND, "program %s has no income-test margin", d->programs[i].name);
	if (amount)
		*amount = m->amount;
	if (direction)
		*direction = m->direction;
	if (other)
		*other = m->other;
	return SA_OK;
}

int sa_decision_program_margin_candidate(const char **member, sa_fen *amount, int *direction, const sa_decision *d,
                                         size_t i, size_t k)
{
	const sa_margin *m;
	if (!d || i >= d->nprograms)
		return sa__error(SA_EINVALID, "sa_decision_program_margin: no program %zu", i);
	m = &d->programs[i].margin;
	if (k >= m->neach)
		return SA_ENOTFOUND; /* the end of the list: no message */
	if (member)
		*member = m->each[k].member;
	if (amount)
		*amount = m->each[k].amount;
	if (direction)
		*direction = m->each[k].direction;
	return SA_OK;
}

int sa__value_to_json(char **out, const sa_value *v, bool pretty)
{
	jw w = { .pretty = pretty };
	*out = NULL;
	write_value(&w, v);
	if (pretty)
		sa__buf_add(&w.b, "\n", 1);
	if (w.b.oom || !w.b.s) {
		free(w.b.s);
		return sa__error_oom();
	}
	*out = w.b.s;
	return SA_OK;
}

int sa_decision_to_json(char **out, const sa_decision *d, unsigned int flags)
{
	return sa__decision_to_json_hooked(out, d, flags, NULL);
}

int sa__decision_to_json_hooked(char **out, const sa_decision *d, unsigned int flags, const sa_json_hooks *h)
{
	jw w = { .pretty = (flags & SA_JSON_PRETTY) != 0, .h = h };
	char date[16], money[32];

	*out = NULL;
	sa_date_format(date, sizeof date, d->as_of);
	open(&w, "{");
	key(&w, "schema_version", true);
	sa__buf_fmt(&w.b, "%d", SA_DECISION_SCHEMA_VERSION);
	kv_str(&w, "household", d->household_id, false);
	kv_str(&w, "pack", d->pack_id, false);
	kv_str(&w, "pack_hash", d->hash, false);
	kv_str(&w, "as_of", date, false);
	kv_str(&w, "tier", sa_decision_tier(d), false);
	key(&w, "circle", false);
	if (d->circle)
		sa__buf_fmt(&w.b, "%d", d->circle);
	else
		sa__buf_str(&w.b, "null");
	key(&w, "programs", false);
	open(&w, "[");
	for (size_t i = 0; i < d->nprograms; i++) {
		const sa_program *p = &d->programs[i];
		if (i)
			sa__buf_add(&w.b, ",", 1);
		nl(&w);
		open(&w, "{");
		kv_str(&w, "program", p->name, true);
		kv_str(&w, "status", sa_status_name(p->status), false);
		key(&w, "amount", false);
		if (p->has_amount) {
			sa_money_format(money, sizeof money, p->amount);
			sa__buf_json_str(&w.b, money);
		} else {
			sa__buf_str(&w.b, "null");
		}
		key(&w, "amount_fen", false);
		if (p->has_amount)
			sa__buf_fmt(&w.b, "%lld", (long long)p->amount);
		else
			sa__buf_str(&w.b, "null");
		if (p->period) /* one-off amounts only: absent = per month (docs/decision.md) */
			kv_str(&w, "period", p->period, false);
		key(&w, "parts", false);
		sa__buf_str(&w.b, "{");
		for (size_t k = 0; k < p->nparts; k++) {
			sa_money_format(money, sizeof money, p->part_amounts[k]);
			if (k)
				sa__buf_str(&w.b, w.pretty ? ", " : ",");
			sa__buf_json_str(&w.b, p->part_names[k]);
			sa__buf_str(&w.b, w.pretty ? ": " : ":");
			sa__buf_json_str(&w.b, money);
		}
		sa__buf_str(&w.b, "}");
		kv_str(&w, "care_level", p->care_level, false);
		key(&w, "members", false);
		str_array(&w, p->members, p->nmembers);
		if (p->member_care) { /* 特困: each member's care level (docs/decision.md) */
			key(&w, "care_levels", false);
			sa__buf_str(&w.b, "{");
			for (size_t k = 0; k < p->nmembers; k++) {
				if (k)
					sa__buf_str(&w.b, w.pretty ? ", " : ",");
				sa__buf_json_str(&w.b, p->members[k]);
				sa__buf_str(&w.b, w.pretty ? ": " : ":");
				if (p->member_care[k])
					sa__buf_json_str(&w.b, p->member_care[k]);
				else
					sa__buf_str(&w.b, "null");
			}
			sa__buf_str(&w.b, "}");
		}
		key(&w, "missing", false);
		str_array(&w, p->missing, p->nmissing);
		key(&w, "margin", false);
		write_margin(&w, &p->margin);
		if (!(flags & SA_JSON_NO_REASONS)) {
			key(&w, "reasons", false);
			open(&w, "[");
			for (size_t j = 0; j < p->nreasons; j++) {
				if (j)
					sa__buf_add(&w.b, ",", 1);
				nl(&w);
				write_reason(&w, &p->reasons[j]);
			}
			close_(&w, "]");
		}
		close_(&w, "}");
	}
	close_(&w, "]");
	key(&w, "missing", false);
	str_array(&w, d->missing, d->nmissing);
	if (d->services) { /* services.c, docs/services.md */
		key(&w, "services", false);
		write_value(&w, d->services);
	}
	close_(&w, "}");
	if (w.b.oom) {
		free(w.b.s);
		return sa__error_oom();
	}
	*out = w.b.s;
	return SA_OK;
}

static const char *status_zh(sa_status s)
{
	switch (s) {
	case SA_ELIGIBLE: return "符合";
	case SA_INELIGIBLE: return "不符合";
	default: return "待定";
	}
}

int sa_decision_to_text(char **out, const sa_decision *d)
{
	sa_buf b = { 0 };
	char date[16], money[32];
	*out = NULL;
	sa_date_format(date, sizeof date, d->as_of);
	sa__buf_fmt(&b, "家庭 household %s  政策包 pack %s  日期 as of %s\n", d->household_id ? d->household_id : "?",
	            d->pack_id, date);
	sa__buf_fmt(&b, "  层级 tier: %s  圈层 circle: ", sa_decision_tier(d));
	if (d->circle)
		sa__buf_fmt(&b, "%d\n", d->circle);
	else
		sa__buf_str(&b, "-\n");
	for (size_t i = 0; i < d->nprograms; i++) {
		const sa_program *p = &d->programs[i];
		sa__buf_fmt(&b, "  %-6s %s %s", p->name, status_zh(p->status), sa_status_name(p->status));
		if (p->has_amount) {
			sa_money_format(money, sizeof money, p->amount);
			if (p->period)
				sa__buf_fmt(&b, "  金额 amount %s 元（一次性）yuan (one-off)", money);
			else
				sa__buf_fmt(&b, "  金额 amount %s 元/月 yuan/month", money);
		}
		for (size_t k = 0; k < p->nparts; k++) {
			sa_money_format(money, sizeof money, p->part_amounts[k]);
			sa__buf_fmt(&b, "%s%s %s", k ? ", " : " (", p->part_names[k], money);
			if (k + 1 == p->nparts)
				sa__buf_str(&b, ")");
		}
		if (p->member_care) {
			sa__buf_str(&b, "  护理 care");
			for (size_t k = 0; k < p->nmembers; k++)
				sa__buf_fmt(&b, " %s:%s", p->members[k], p->member_care[k] ? p->member_care[k] : "?");
		} else if (p->care_level) {
			sa__buf_fmt(&b, "  护理 care %s", p->care_level);
		}
		if (p->nmembers) {
			sa__buf_str(&b, "  成员 members");
			for (size_t k = 0; k < p->nmembers; k++)
				sa__buf_fmt(&b, " %s", p->members[k]);
		}
		sa__buf_str(&b, "\n");
		for (size_t j = 0; j < p->nreasons; j++) {
			const sa_reason *r = &p->reasons[j];
			sa__buf_fmt(&b, "      - %s: ", r->id);
			sa__buf_str(&b, r->zh ? r->zh : "");
			if (r->en) {
				sa__buf_str(&b, " / ");
				sa__buf_str(&b, r->en);
			}
			if (r->ref) {
				sa__buf_str(&b, " [");
				sa__buf_str(&b, r->ref);
				sa__buf_str(&b, "]");
			}
			sa__buf_str(&b, "\n");
		}
		for (size_t k = 0; k < p->nmissing; k++)
			sa__buf_fmt(&b, "      ? 缺少 missing: %s\n", p->missing[k]);
	}
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}
