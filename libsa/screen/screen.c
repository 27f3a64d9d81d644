/* screen.c - batch screening (include/sa/screen.h, docs/screening.md): the records. A JSON line
 * or the CSV rows of one household become a household; a worker's batch is evaluated in one
 * call (sa_evaluate_batch) and written as output records and summary counts in input order.
 * The queue, the threads and the reading of the input are the pipeline (pipeline.c). */
#include "core/internal.h"
#include "core/household_internal.h"
#include "evaluate/evaluate.h"
#include "screen/pipeline.h"
#include "screen/csv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int sa_screen_options_init(sa_screen_options *o, unsigned int version)
{
	if (!o || version < 1 || version > SA_SCREEN_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_screen_options_init: unsupported version %u", version);
	memset(o, 0, version == 1 ? offsetof(sa_screen_options, route) : version == 2 ? offsetof(sa_screen_options, log) : sizeof *o);
	o->version = version;
	o->format = SA_SCREEN_AUTO;
	o->json_flags = SA_JSON_NO_REASONS;
	return SA_OK;
}

/* ------------------------------------------------------------------ JSON line -> sa_value */

static sa_value *from_cjson(const cJSON *j, int line, int *err)
{
	sa_value *v = NULL;
	char num[64];
	if (cJSON_IsObject(j)) {
		if (!(v = sa__value_new(SA_V_MAP)))
			goto oom;
		for (const cJSON *c = j->child; c; c = c->next) {
			sa_value *item;
			if (sa__value_get(v, c->string)) {
				*err = sa__error_at(SA_EINVALID, NULL, line, 1, "duplicate key '%s'", c->string);
				sa__value_free(v);
				return NULL;
			}
			if (!(item = from_cjson(c, line, err)) || sa__value_put(v, c->string, item) < 0) {
				sa__value_free(v);
				if (!*err)
					goto oom;
				return NULL;
			}
		}
	} else if (cJSON_IsArray(j)) {
		if (!(v = sa__value_new(SA_V_LIST)))
			goto oom;
		for (const cJSON *c = j->child; c; c = c->next) {
			sa_value *item;
			if (!(item = from_cjson(c, line, err)) || sa__value_push(v, item) < 0) {
				sa__value_free(v);
				if (!*err)
					goto oom;
				return NULL;
			}
		}
	} else if (cJSON_IsNull(j)) {
		v = sa__value_new(SA_V_NULL);
	} else if (cJSON_IsBool(j)) {
		v = sa__value_str(cJSON_IsTrue(j) ? "true" : "false");
	} else if (cJSON_IsNumber(j)) {
		/* the shortest text that reads back as the same double: "3000", "533.33" */
		double d = j->valuedouble;
		if (d == (double)(int64_t)d && d > -9e15 && d < 9e15)
			snprintf(num, sizeof num, "%lld", (long long)d);
		else
			snprintf(num, sizeof num, "%.15g", d);
		v = sa__value_str(num);
	} else if (cJSON_IsString(j)) {
		if ((v = sa__value_str(j->valuestring)))
			v->quoted = true;
	} else {
		*err = sa__error_at(SA_EINVALID, NULL, line, 1, "unsupported JSON value");
		return NULL;
	}
	if (!v)
		goto oom;
	v->line = line;
	v->column = 1;
	return v;
oom:
	*err = sa__error_oom();
	return NULL;
}

/* ------------------------------------------------------------------ CSV */

/* Split one CSV record [s, end) into cells (RFC 4180, through libcsv: screen/csv.c). Cells are
 * written into out (NUL-separated, reused). Returns the number of cells, or -1. */
static int csv_split(const char *s, const char *end, buf *out, const char **cells, int max)
{
	sa_csv c = { 0 };
	const char *next;
	int n = sa__csv_record(&c, s, end, max > 0 ? max - 1 : 0, &next);
	out->n = 0;
	if (n < 0 || n >= max) {
		sa__csv_free(&c);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *cell = sa__csv_cell(&c, i);
		cells[i] = (const char *)(uintptr_t)out->n; /* offsets until out stops moving */
		if (sa__screen_buf_add(out, cell, strlen(cell) + 1) < 0) {
			sa__csv_free(&c);
			return -1;
		}
	}
	sa__csv_free(&c);
	for (int i = 0; i < n; i++)
		cells[i] = out->p + (uintptr_t)cells[i];
	return n;
}

/* The line break that ends the CSV record at s (a quoted field may hold line breaks), or NULL
 * at the end of the text: memchr(s, '\n', ...) for records. */
const char *sa__screen_csv_nl(const char *s, const char *end)
{
	sa_csv c = { 0 };
	const char *e = sa__csv_record_end(&c, s, end);
	sa__csv_free(&c);
	return e < end && *e == '\n' ? e : NULL;
}
#define csv_nl sa__screen_csv_nl

/* Line breaks inside a record (quoted), so that later line numbers stay right. */
uint64_t sa__screen_inner_lines(const char *s, const char *e)
{
	uint64_t n = 0;
	for (; s < e; s++)
		n += *s == '\n';
	return n;
}
#define inner_lines sa__screen_inner_lines

/* Set path (dotted, numeric segments are list indexes) in map to a scalar. Creates maps and
 * lists on the way. Returns 0, or an error. */
static int put_path(sa_value *root, const char *path, sa_value *leaf)
{
	char seg[128];
	sa_value *cur = root;
	const char *p = path;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		const char *next = dot ? dot + 1 : NULL;
		bool next_is_index = next && *next >= '0' && *next <= '9';
		if (n == 0 || n >= sizeof seg) {
			sa__value_free(leaf);
			return sa__error(SA_EINVALID, "bad column name '%s'", path);
		}
		memcpy(seg, p, n);
		seg[n] = 0;
		if (cur->type == SA_V_LIST) {
			size_t idx = (size_t)strtoul(seg, NULL, 10);
			if (idx > cur->n) {
				sa__value_free(leaf);
				return sa__error(SA_EINVALID, "column '%s': list index %zu skips %zu", path, idx, cur->n);
			}
			if (!next) {
				if (idx < cur->n) {
					sa__value_free(cur->items[idx]);
					cur->items[idx] = leaf;
					return SA_OK;
				}
				return sa__value_push(cur, leaf);
			}
			if (idx == cur->n) {
				sa_value *c = sa__value_new(next_is_index ? SA_V_LIST : SA_V_MAP);
				if (!c || sa__value_push(cur, c) < 0) {
					sa__value_free(leaf);
					return sa__error_oom();
				}
			}
			cur = cur->items[idx];
		} else {
			sa_value *c;
			if (!next)
				return sa__value_put(cur, seg, leaf);
			if (!(c = sa__value_get(cur, seg))) {
				if (!(c = sa__value_new(next_is_index ? SA_V_LIST : SA_V_MAP)) || sa__value_put(cur, seg, c) < 0) {
					sa__value_free(leaf);
					return sa__error_oom();
				}
			}
			cur = c;
		}
		if (cur->type != SA_V_MAP && cur->type != SA_V_LIST) {
			sa__value_free(leaf);
			return sa__error(SA_EINVALID, "column '%s' conflicts with another column", path);
		}
		p = next;
	}
}

/* The rows [s, end) of one household into a raw household map. */
static int csv_household(const csv_header *h, const char *s, const char *end, int line, buf *scratch,
                         const char **cells, sa_value **out)
{
	sa_value *root = sa__value_new(SA_V_MAP), *members = sa__value_new(SA_V_LIST);
	int rc = SA_OK, row = 0;
	*out = NULL;
	if (!root || !members || sa__value_put(root, "members", members) < 0) {
		sa__value_free(root);
		return sa__error_oom();
	}
	root->line = line;
	root->column = 1;
	while (s < end && rc == 0) {
		const char *nl = csv_nl(s, end);
		const char *le = nl ? nl : end;
		int n = csv_split(s, le, scratch, cells, (int)h->ncols + 1);
		sa_value *member = NULL;
		if (n != (int)h->ncols) {
			rc = sa__error_at(SA_EINVALID, NULL, line + row, 1, "expected %zu cells, found %d", h->ncols,
			                  n < 0 ? 0 : n);
			break;
		}
		for (size_t c = 0; c < h->ncols && rc == 0; c++) {
			const char *col = h->cols[c], *cell = cells[c];
			sa_value *leaf;
			bool is_member = strncmp(col, "member.", 7) == 0;
			if (!*cell)
				continue; /* empty cell: absent */
			if (!is_member && row > 0)
				continue; /* household columns: the first row wins */
			if (strcmp(col, "enrolments") == 0) {
				sa_value *list = sa__value_new(SA_V_LIST);
				const char *q = cell;
				if (!list || sa__value_put(root, "enrolments", list) < 0) {
					rc = sa__error_oom();
					break;
				}
				while (*q && rc == 0) {
					size_t k = strcspn(q, ";");
					char item[64];
					snprintf(item, sizeof item, "%.*s", (int)(k < 63 ? k : 63), q);
					if (!(leaf = sa__value_str(item)))
						rc = sa__error_oom();
					else {
						leaf->line = line + row;
						leaf->column = (int)c + 1;
						rc = sa__value_push(list, leaf);
					}
					q += k;
					if (*q == ';')
						q++;
				}
				continue;
			}
			if (!(leaf = sa__value_str(cell))) {
				rc = sa__error_oom();
				break;
			}
			leaf->line = line + row;
			leaf->column = (int)c + 1;
			if (is_member) {
				if (!member) {
					if (!(member = sa__value_new(SA_V_MAP)) || sa__value_push(members, member) < 0) {
						sa__value_free(leaf);
						rc = sa__error_oom();
						break;
					}
					member->line = line + row;
					member->column = 1;
				}
				rc = put_path(member, col + 7, leaf);
			} else {
				rc = put_path(root, col, leaf);
			}
			if (rc < 0 && sa_error_last() && !sa_error_last()->line)
				rc = sa__error_at(rc, NULL, line + row, (int)c + 1, "%s", sa_error_last()->message);
		}
		row++;
		s = nl ? nl + 1 : end;
	}
	if (rc < 0) {
		sa__value_free(root);
		return rc;
	}
	*out = root;
	return SA_OK;
}

/* The message of error e for the record on `line`: its own position first when it points
 * elsewhere (a member's field on a later line of a CSV record); the length written. */
static int error_text(char *msg, size_t size, const sa_error *e, uint64_t line)
{
	int mn;
	if (e && e->line && e->line != (int)line)
		mn = snprintf(msg, size, "%d:%d: %s", e->line, e->column, e->message);
	else
		mn = snprintf(msg, size, "%s", e ? e->message : "error");
	return mn < 0 ? 0 : mn >= (int)size ? (int)size - 1 : mn;
}

static int rec_error(batch *b, uint64_t line)
{
	const sa_error *e = sa_error_last();
	char head[48];
	int n = snprintf(head, sizeof head, "E%llu", (unsigned long long)line);
	char code[16];
	int cn = snprintf(code, sizeof code, "%d", e ? e->code : SA_ERROR);
	char msg[1200];
	int mn = error_text(msg, sizeof msg, e, line);
	b->sum.bad++;
	return sa__screen_buf_add(&b->out, head, (size_t)n + 1) < 0 || sa__screen_buf_add(&b->out, code, (size_t)cn + 1) < 0 ||
	       sa__screen_buf_add(&b->out, msg, (size_t)mn + 1) < 0;
}

/* A batch's records between reading and writing: a household to evaluate, or an error already
 * known (its code and message kept in the batch's scratch text). */
typedef struct {
	uint64_t line;
	sa_household *hh;
	sa_engine *e;    /* the engine that decides it (routing: the pack covering its region) */
	int code;        /* < 0: an error */
	size_t msg;      /* offset of the message in the scratch text */
} pending;

typedef struct {
	pending *p;
	size_t n, cap;
	buf msgs;
} pendings;

void sa__screen_engines_free(engines *w)
{
	sa_engine_free(w->single);
	for (size_t i = 0; i < w->n; i++)
		sa_engine_free(w->by[i].e);
	free(w->by);
}

/* The engine that decides hh: the run's pack, or the most specific pack covering its region
 * (loaded on first use). NULL with the error recorded when no pack covers it or it fails to load. */
static sa_engine *engine_for(run *r, engines *w, const sa_household *hh)
{
	const sa_value *rg;
	const char *id;
	struct routed *nb;
	sa_engine *e = NULL;
	if (!r->router)
		return w->single;
	rg = sa__value_get(hh->typed, "region");
	if (!(id = sa__router_pick(r->router, rg ? rg->str : NULL))) {
		sa__error_at(SA_ENOTFOUND, hh->source, rg ? rg->line : 0, rg ? rg->column : 0,
		             "没有覆盖地区 %s 的政策包，未评估 / no pack on the path covers region %s: not evaluated",
		             rg ? rg->str : "?", rg ? rg->str : "?");
		return NULL;
	}
	for (size_t i = 0; i < w->n; i++)
		if (w->by[i].id == id)
			return w->by[i].e;
	if (!(nb = realloc(w->by, (w->n + 1) * sizeof *nb))) {
		sa__error_oom();
		return NULL;
	}
	w->by = nb;
	if (sa_engine_new(&e, r->o->engine) < 0 || sa_engine_load(e, id) < 0) {
		sa_engine_free(e);
		return NULL;
	}
	w->by[w->n].id = id;
	w->by[w->n++].e = e;
	return e;
}

/* Keep sa_error_last() as pending p's error (offset in msgs). */
static void keep_error(pendings *ps, pending *p, uint64_t line)
{
	const sa_error *e = sa_error_last();
	char msg[1200];
	int mn = error_text(msg, sizeof msg, e, line);
	p->code = e ? e->code : SA_ERROR;
	if (p->code >= 0)
		p->code = SA_ERROR;
	p->msg = ps->msgs.n;
	if (sa__screen_buf_add(&ps->msgs, msg, (size_t)mn + 1) < 0)
		p->msg = (size_t)-1;
}

static pending *add_pending(pendings *ps, uint64_t line)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 256;
		pending *np = realloc(ps->p, cap * sizeof *np);
		if (!np)
			return NULL;
		ps->p = np;
		ps->cap = cap;
	}
	memset(&ps->p[ps->n], 0, sizeof *ps->p);
	ps->p[ps->n].line = line;
	return &ps->p[ps->n++];
}

/* Out of memory where a record cannot even be reported bad: the run fails (SA_ENOMEM), so no
 * record is dropped silently (found by test_alloc_c's screen sweep). */
static void fail_run_oom(run *r)
{
	pthread_mutex_lock(&r->mu);
	if (!r->fatal) {
		r->fatal = SA_ENOMEM;
		snprintf(r->fatal_msg, sizeof r->fatal_msg, "%s: cannot read the registry (or out of memory)",
		         r->name ? r->name : "registry");
	}
	pthread_mutex_unlock(&r->mu);
}

/* A record read (raw) or not (raw NULL: sa_error_last() says why), with its engine. */
static void read_one(run *r, engines *w, pendings *ps, sa_value *raw, uint64_t line)
{
	pending *p = add_pending(ps, line);
	if (!p) {
		sa__value_free(raw);
		fail_run_oom(r);
		return;
	}
	if (!raw || sa__household_from_value(&p->hh, raw, r->name) < 0) {
		p->hh = NULL;
		keep_error(ps, p, line);
	} else if (!(p->e = engine_for(r, w, p->hh))) {
		keep_error(ps, p, line);
		sa_household_free(p->hh);
		p->hh = NULL;
	}
}

static void write_error(batch *b, const pendings *ps, const pending *p)
{
	char head[48], code[16];
	int n = snprintf(head, sizeof head, "E%llu", (unsigned long long)p->line);
	int cn = snprintf(code, sizeof code, "%d", p->code);
	const char *msg = p->msg == (size_t)-1 ? "out of memory" : ps->msgs.p + p->msg;
	b->sum.bad++;
	if (sa__screen_buf_add(&b->out, head, (size_t)n + 1) < 0 || sa__screen_buf_add(&b->out, code, (size_t)cn + 1) < 0)
		return;
	sa__screen_buf_add(&b->out, msg, strlen(msg) + 1);
}

/* One evaluated household: its summary counts and its output record. */
static void write_decision(run *r, batch *b, const pending *p, sa_decision *d)
{
	char *json;
	const sa_value *enr, *rg;
	char head[32];
	int n;
	const char *id;
	char *body = NULL;
	size_t blen = 0, mark;
	int rc;
	if (sa_decision_to_json(&json, d, r->o->json_flags) < 0) {
		rec_error(b, p->line);
		return;
	}
	enr = sa__value_get(p->hh->typed, "enrolments");
	rg = sa__value_get(p->hh->typed, "region");
	if (sa__summary_count(&b->sum, d, enr, rg ? rg->str : NULL) < 0) {
		rec_error(b, p->line);
		sa_free(json);
		return;
	}
	b->sum.evaluated++;
	mark = b->out.n;
	id = sa_household_id(p->hh);
	n = snprintf(head, sizeof head, "R%llu", (unsigned long long)p->line);
	/* with a log, the record's decision part too ('L'); deliver seals it in input order */
	if (r->log && (rc = sa__log_body(&body, &blen, r->log, p->hh, d)) < 0)
		rec_error(b, p->line);
	else {
		head[0] = body ? 'L' : 'R';
		rc = sa__screen_buf_add(&b->out, head, (size_t)n + 1) < 0 ||
		     sa__screen_buf_add(&b->out, id ? id : "", strlen(id ? id : "") + 1) < 0 ||
		     sa__screen_buf_add(&b->out, json, strlen(json) + 1) < 0 ||
		     (body && sa__screen_buf_add(&b->out, body, blen + 1) < 0);
		free(body);
	}
	if (rc) {
		/* out of memory in the batch buffer: no half record stays in it, and the run fails
		 * (the record was counted, and could not be written) */
		sa__error_oom();
		b->sum.evaluated--;
		b->out.n = mark;
		fail_run_oom(r);
	}
	sa_free(json);
}

typedef struct {
	pendings *ps;
	size_t *map; /* batch index -> pending index */
} eval_errors;

static void on_eval_error(void *ud, size_t i, int code)
{
	eval_errors *x = ud;
	pending *p = &x->ps->p[x->map[i]];
	(void)code;
	keep_error(x->ps, p, p->line);
}

/* Evaluate the batch's households, one call into each engine (sa_evaluate_batch; one engine
 * unless routing), then write every record in input order. */
static void evaluate_all(run *r, batch *b, pendings *ps)
{
	size_t nh = 0, *map = malloc((ps->n ? ps->n : 1) * sizeof *map);
	const sa_household **hh = malloc((ps->n ? ps->n : 1) * sizeof *hh);
	sa_decision **d = calloc(ps->n ? ps->n : 1, sizeof *d);
	sa_decision **dp = malloc((ps->n ? ps->n : 1) * sizeof *dp);
	int *codes = malloc((ps->n ? ps->n : 1) * sizeof *codes);
	size_t *slot = malloc((ps->n ? ps->n : 1) * sizeof *slot); /* pending -> its decision, or -1 */
	eval_errors x = { ps, map };
	if (!hh || !d || !dp || !codes || !map || !slot) {
		sa__error_oom();
		for (size_t i = 0; i < ps->n; i++)
			if (ps->p[i].hh)
				keep_error(ps, &ps->p[i], ps->p[i].line);
	} else {
		/* no reasons in the output: do not build or copy them (same outcome, docs/performance.md);
		 * a decision log keeps them */
		unsigned flags = (r->o->json_flags & SA_JSON_NO_REASONS) && !r->log ? SA_EVAL_NO_TEXT | SA_EVAL_NO_REASONS : 0;
		for (size_t i = 0; i < ps->n; i++)
			slot[i] = (size_t)-1;
		for (size_t i = 0; i < ps->n; i++) {
			sa_engine *e = ps->p[i].e;
			if (!ps->p[i].hh || slot[i] != (size_t)-1)
				continue;
			/* every household of this engine, in input order */
			nh = 0;
			for (size_t j = i; j < ps->n; j++)
				if (ps->p[j].hh && ps->p[j].e == e) {
					map[nh] = j;
					hh[nh++] = ps->p[j].hh;
				}
			sa__evaluate_batch(dp, codes, e, hh, nh, r->o->as_of, flags, on_eval_error, &x);
			for (size_t k = 0; k < nh; k++) {
				slot[map[k]] = map[k];
				d[map[k]] = dp[k];
			}
		}
	}
	for (size_t i = 0; i < ps->n; i++) {
		pending *p = &ps->p[i];
		b->sum.records++;
		if (p->hh && slot && slot[i] != (size_t)-1 && d[i])
			write_decision(r, b, p, d[i]);
		else
			write_error(b, ps, p);
		if (d)
			sa_decision_free(d[i]);
		sa_household_free(p->hh);
		p->hh = NULL;
	}
	ps->n = 0;
	ps->msgs.n = 0;
	free(hh);
	free(d);
	free(dp);
	free(codes);
	free(map);
	free(slot);
}

void sa__screen_do_batch(run *r, engines *w, batch *b)
{
	const char *s = b->start;
	uint64_t line = b->first_line;
	buf scratch = { 0 };
	const char **cells = r->format == SA_SCREEN_CSV ? calloc(r->csv.ncols + 2, sizeof *cells) : NULL;
	pendings ps = { 0 };
	while (s < b->end) {
		const char *nl = r->format == SA_SCREEN_CSV ? csv_nl(s, b->end) : memchr(s, '\n', (size_t)(b->end - s));
		const char *le = nl ? nl : b->end;
		if (r->format == SA_SCREEN_JSONL) {
			const char *p = s;
			while (p < le && (*p == ' ' || *p == '\t' || *p == '\r'))
				p++;
			if (p < le && sa__check_record(s, le, line, true) < 0) {
				read_one(r, w, &ps, NULL, line);
			} else if (p < le) {
				const char *at = NULL; /* not cJSON_GetErrorPtr: that is one global for all threads */
				cJSON *j = cJSON_ParseWithLengthOpts(s, (size_t)(le - s), &at, 0);
				sa_value *raw = NULL;
				int err = 0;
				if (!j) {
					long col = at && at >= s && at <= le ? (long)(at - s) + 1 : 1;
					sa__error_at(SA_EINVALID, NULL, (int)line, (int)col, "not a JSON object (syntax error at column %ld)", col);
					read_one(r, w, &ps, NULL, line);
				} else if (!cJSON_IsObject(j)) {
					sa__error_at(SA_EINVALID, NULL, (int)line, 1, "a record is a JSON object (a household)");
					read_one(r, w, &ps, NULL, line);
				} else if (!(raw = from_cjson(j, (int)line, &err))) {
					read_one(r, w, &ps, NULL, line);
				} else {
					read_one(r, w, &ps, raw, line);
				}
				cJSON_Delete(j);
			}
			s = nl ? nl + 1 : b->end;
			line++;
		} else {
			/* CSV: rows sharing the id cell of the first row */
			const char *hs = s, *he;
			uint64_t hl = line;
			char id[256] = "";
			int n = csv_split(s, le, &scratch, cells, (int)r->csv.ncols + 1);
			if (n == (int)r->csv.ncols)
				snprintf(id, sizeof id, "%s", cells[r->csv.id_col]);
			line += 1 + inner_lines(s, le);
			s = nl ? nl + 1 : b->end;
			while (s < b->end) {
				const char *nl2 = csv_nl(s, b->end);
				const char *le2 = nl2 ? nl2 : b->end;
				if (le2 == s || csv_split(s, le2, &scratch, cells, (int)r->csv.ncols + 1) != (int)r->csv.ncols ||
				    !id[0] || strcmp(cells[r->csv.id_col], id) != 0)
					break;
				line += 1 + inner_lines(s, le2);
				s = nl2 ? nl2 + 1 : b->end;
			}
			he = s;
			if (le == hs)
				continue; /* blank line */
			{
				sa_value *raw;
				int bad = 0;
				uint64_t l = hl;
				for (const char *q = hs; q < he && !bad; l++) { /* UTF-8, no NUL, line size */
					const char *e2 = memchr(q, '\n', (size_t)(he - q));
					bad = sa__check_record(q, e2 ? e2 : he, l, false) < 0;
					q = e2 ? e2 + 1 : he;
				}
				if (bad || !cells || csv_household(&r->csv, hs, he, (int)hl, &scratch, cells, &raw) < 0)
					read_one(r, w, &ps, NULL, hl);
				else
					read_one(r, w, &ps, raw, hl);
			}
		}
	}
	evaluate_all(r, b, &ps);
	free(ps.p);
	free(ps.msgs.p);
	free(scratch.p);
	free(cells);
}

int sa__screen_parse_header(run *r, const char *s, const char *le)
{
	buf scratch = { 0 };
	const char *cells[512];
	int n = csv_split(s, le, &scratch, cells, 512);
	if (n <= 0) {
		free(scratch.p);
		return sa__error_at(SA_EINVALID, r->name, 1, 1, "CSV: the first line must be a header of column paths");
	}
	r->csv.ncols = (size_t)n;
	r->csv.id_col = -1;
	if (!(r->csv.cols = calloc((size_t)n, sizeof *r->csv.cols))) {
		free(scratch.p);
		return sa__error_oom();
	}
	for (int i = 0; i < n; i++) {
		if (!(r->csv.cols[i] = strdup(cells[i]))) {
			free(scratch.p);
			return sa__error_oom();
		}
		if (strcmp(cells[i], "id") == 0)
			r->csv.id_col = i;
	}
	free(scratch.p);
	if (r->csv.id_col < 0)
		return sa__error_at(SA_EINVALID, r->name, 1, 1, "CSV: the header has no 'id' column");
	return SA_OK;
}

/* The CSV id cell of a line, copied into id (empty when the row does not split into the header's
 * columns). */
void sa__screen_csv_row_id(run *r, const char *p, size_t n, buf *scratch, const char **cells, char *id,
                           size_t idsize)
{
	int k = r->csv.ncols <= 512 ? csv_split(p, p + n, scratch, cells, (int)r->csv.ncols + 1) : -1;
	snprintf(id, idsize, "%s", k == (int)r->csv.ncols ? cells[r->csv.id_col] : "");
}

int sa_screen_run(sa_screen_summary *summary, const sa_screen_options *o, const char *text, size_t len,
                  const char *name)
{
	source in;
	if (!text && len) {
		return sa__error(SA_EINVALID, "sa_screen_run: bad arguments");
	}
	memset(&in, 0, sizeof in);
	in.mem = text;
	in.mem_end = text ? text + len : NULL; /* no offset on NULL (UBSan) */
	return sa__screen_source(summary, o, &in, len, name);
}

/* Streams the file: memory stays flat in the registry's size. */
int sa_screen_file(sa_screen_summary *summary, const sa_screen_options *o, const char *path)
{
	source in;
	uint64_t total = 0;
	int rc;
	if (!path)
		return sa__error(SA_EINVALID, "sa_screen_file: NULL path");
	memset(&in, 0, sizeof in);
	if (strcmp(path, "-") == 0) {
		in.f = stdin;
	} else {
		struct stat st;
		if (!(in.f = fopen(path, "rb")))
			return sa__error_at(errno == ENOENT ? SA_ENOTFOUND : SA_ERROR, path, 0, 0, "cannot open: %s",
			                    strerror(errno));
		if (fstat(fileno(in.f), &st) == 0 && S_ISDIR(st.st_mode)) {
			fclose(in.f);
			return sa__error_at(SA_EINVALID, path, 0, 0, "is a directory, not a file");
		}
		if (fstat(fileno(in.f), &st) == 0 && S_ISREG(st.st_mode))
			total = (uint64_t)st.st_size;
	}
	rc = sa__screen_source(summary, o, &in, total, path);
	if (rc == 0 && in.error)
		rc = sa__error_at(SA_ERROR, path, 0, 0, "cannot read the registry");
	if (in.f != stdin)
		fclose(in.f);
	free(in.buf);
	return rc;
}
