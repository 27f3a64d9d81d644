/* screen.c - batch screening (include/sa/screen.h, docs/screening.md).
 *
 * The calling thread cuts the registry into batches of whole records (a JSON line; the
 * consecutive CSV rows of one household) and workers, one engine each, evaluate batches into
 * a text buffer and a partial summary. The calling thread hands finished batches to the
 * callbacks strictly in input order, so callbacks never run on a worker thread. At most
 * `window` batches are in flight, so memory does not grow with the registry. */
#include "core/internal.h"
#include "core/household_internal.h"
#include "screen/summary.h"
#include "screen/route.h"
#include "audit/log_format.h"
#include "screen/csv.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define BATCH_RECORDS 256

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

/* ------------------------------------------------------------------ growing text */

typedef struct {
	char *p;
	size_t n, cap;
} buf;

static int buf_add(buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
	return 0;
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

typedef struct {
	char **cols; /* header paths */
	size_t ncols;
	int id_col;
} csv_header;

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
		if (buf_add(out, cell, strlen(cell) + 1) < 0) {
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
static const char *csv_nl(const char *s, const char *end)
{
	sa_csv c = { 0 };
	const char *e = sa__csv_record_end(&c, s, end);
	sa__csv_free(&c);
	return e < end && *e == '\n' ? e : NULL;
}

/* Line breaks inside a record (quoted), so that later line numbers stay right. */
static uint64_t inner_lines(const char *s, const char *e)
{
	uint64_t n = 0;
	for (; s < e; s++)
		n += *s == '\n';
	return n;
}

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

/* ------------------------------------------------------------------ batches and workers */

typedef struct {
	const char *start, *end; /* the batch's text */
	uint64_t first_line;     /* 1-based line of start */
	uint64_t records;
	/* filled by a worker */
	buf out;     /* per record: 'R' line\0 id\0 json\0, 'L' line\0 id\0 json\0 log-body\0, or 'E' line\0 code\0 message\0 */
	sa_screen_summary sum;
	int state;   /* 0 queued, 1 taken, 2 done */
} batch;

typedef struct {
	const sa_screen_options *o;
	sa_screen_format format;
	csv_header csv;
	const char *name;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	batch *ring;
	size_t window;
	uint64_t next_take, queued; /* batch sequence numbers */
	bool closing;
	int fatal;                  /* engine could not load */
	char fatal_msg[512];
	sa__router *router;         /* --route: the pack for each household; NULL: o->pack for all */
	sa_screen_options opts;     /* the caller's options, completed to this version */
	sa_log *log;                /* decision log (options version 3), or NULL */
} run;

/* A worker's engines: the one pack's, or, when routing, one per pack met so far. */
typedef struct {
	sa_engine *single;
	struct routed {
		const char *id; /* borrowed from the router */
		sa_engine *e;
	} *by;
	size_t n;
} engines;

static void engines_free(engines *w)
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

static int rec_error(batch *b, uint64_t line)
{
	const sa_error *e = sa_error_last();
	char head[48];
	int n = snprintf(head, sizeof head, "E%llu", (unsigned long long)line);
	char code[16];
	int cn = snprintf(code, sizeof code, "%d", e ? e->code : SA_ERROR);
	char msg[1200];
	int mn;
	if (e && e->line && e->line != (int)line)
		mn = snprintf(msg, sizeof msg, "%d:%d: %s", e->line, e->column, e->message);
	else
		mn = snprintf(msg, sizeof msg, "%s", e ? e->message : "error");
	if (mn >= (int)sizeof msg)
		mn = (int)sizeof msg - 1;
	b->sum.bad++;
	return buf_add(&b->out, head, (size_t)n + 1) < 0 || buf_add(&b->out, code, (size_t)cn + 1) < 0 ||
	       buf_add(&b->out, msg, (size_t)mn + 1) < 0;
}

static void one(run *r, engines *w, batch *b, sa_value *raw, uint64_t line)
{
	sa_engine *e;
	sa_household *hh;
	sa_decision *d;
	char *json;
	const sa_value *enr, *rg;
	char head[32];
	int n;
	const char *id;
	char *body = NULL;
	size_t blen = 0;
	int rc;
	b->sum.records++;
	if (sa__household_from_value(&hh, raw, r->name) < 0) {
		rec_error(b, line);
		return;
	}
	if (!(e = engine_for(r, w, hh))) {
		rec_error(b, line);
		sa_household_free(hh);
		return;
	}
	/* no reasons in the output: do not build or copy them (same outcome, docs/performance.md);
	 * a decision log keeps them */
	if (sa_evaluate_ex(&d, e, hh, r->o->as_of,
	                   (r->o->json_flags & SA_JSON_NO_REASONS) && !r->log ? SA_EVAL_NO_TEXT | SA_EVAL_NO_REASONS : 0) < 0) {
		rec_error(b, line);
		sa_household_free(hh);
		return;
	}
	if (sa_decision_to_json(&json, d, r->o->json_flags) < 0) {
		rec_error(b, line);
		sa_decision_free(d);
		sa_household_free(hh);
		return;
	}
	enr = sa__value_get(hh->typed, "enrolments");
	rg = sa__value_get(hh->typed, "region");
	if (sa__summary_count(&b->sum, d, enr, rg ? rg->str : NULL) < 0) {
		rec_error(b, line);
		sa_free(json);
		sa_decision_free(d);
		sa_household_free(hh);
		return;
	}
	b->sum.evaluated++;
	id = sa_household_id(hh);
	n = snprintf(head, sizeof head, "R%llu", (unsigned long long)line);
	/* with a log, the record's decision part too ('L'); deliver seals it in input order */
	if (r->log && (rc = sa__log_body(&body, &blen, r->log, hh, d)) < 0)
		rec_error(b, line);
	else {
		head[0] = body ? 'L' : 'R';
		rc = buf_add(&b->out, head, (size_t)n + 1) < 0 || buf_add(&b->out, id ? id : "", strlen(id ? id : "") + 1) < 0 ||
		     buf_add(&b->out, json, strlen(json) + 1) < 0 || (body && buf_add(&b->out, body, blen + 1) < 0);
		free(body);
	}
	if (rc) {
		/* out of memory in the batch buffer: count it as a bad record */
		sa__error_oom();
		b->sum.evaluated--;
	}
	sa_free(json);
	sa_decision_free(d);
	sa_household_free(hh);
}

static void do_batch(run *r, engines *e, batch *b)
{
	const char *s = b->start;
	uint64_t line = b->first_line;
	buf scratch = { 0 };
	const char **cells = r->format == SA_SCREEN_CSV ? calloc(r->csv.ncols + 2, sizeof *cells) : NULL;
	while (s < b->end) {
		const char *nl = r->format == SA_SCREEN_CSV ? csv_nl(s, b->end) : memchr(s, '\n', (size_t)(b->end - s));
		const char *le = nl ? nl : b->end;
		if (r->format == SA_SCREEN_JSONL) {
			const char *p = s;
			while (p < le && (*p == ' ' || *p == '\t' || *p == '\r'))
				p++;
			if (p < le && sa__check_record(s, le, line, true) < 0) {
				b->sum.records++;
				rec_error(b, line);
			} else if (p < le) {
				const char *at = NULL; /* not cJSON_GetErrorPtr: that is one global for all threads */
				cJSON *j = cJSON_ParseWithLengthOpts(s, (size_t)(le - s), &at, 0);
				sa_value *raw = NULL;
				int err = 0;
				if (!j) {
					long col = at && at >= s && at <= le ? (long)(at - s) + 1 : 1;
					b->sum.records++;
					sa__error_at(SA_EINVALID, NULL, (int)line, (int)col, "not a JSON object (syntax error at column %ld)", col);
					rec_error(b, line);
				} else if (!cJSON_IsObject(j)) {
					b->sum.records++;
					sa__error_at(SA_EINVALID, NULL, (int)line, 1, "a record is a JSON object (a household)");
					rec_error(b, line);
				} else if (!(raw = from_cjson(j, (int)line, &err))) {
					b->sum.records++;
					rec_error(b, line);
				} else {
					one(r, e, b, raw, line);
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
				if (bad) {
					b->sum.records++;
					rec_error(b, hl);
				} else if (!cells || csv_household(&r->csv, hs, he, (int)hl, &scratch, cells, &raw) < 0) {
					b->sum.records++;
					rec_error(b, hl);
				} else {
					one(r, e, b, raw, hl);
				}
			}
		}
	}
	free(scratch.p);
	free(cells);
}

static void *worker(void *arg)
{
	run *r = arg;
	engines w = { 0 };
	if (!r->router && (sa_engine_new(&w.single, r->o->engine) < 0 || sa_engine_load(w.single, r->o->pack) < 0)) {
		const sa_error *err = sa_error_last();
		pthread_mutex_lock(&r->mu);
		if (!r->fatal) {
			r->fatal = err ? err->code : SA_ERROR;
			snprintf(r->fatal_msg, sizeof r->fatal_msg, "%s", err ? err->message : "engine");
		}
		pthread_cond_broadcast(&r->cv_done);
		pthread_mutex_unlock(&r->mu);
		engines_free(&w);
		return NULL;
	}
	pthread_mutex_lock(&r->mu);
	for (;;) {
		batch *b;
		while (r->next_take == r->queued && !r->closing)
			pthread_cond_wait(&r->cv_work, &r->mu);
		if (r->next_take == r->queued)
			break;
		b = &r->ring[r->next_take++ % r->window];
		b->state = 1;
		pthread_mutex_unlock(&r->mu);
		do_batch(r, &w, b);
		pthread_mutex_lock(&r->mu);
		b->state = 2;
		pthread_cond_broadcast(&r->cv_done);
	}
	pthread_mutex_unlock(&r->mu);
	engines_free(&w);
	return NULL;
}

/* Hand batch b to the callbacks; returns SA_EUSER when on_record asks to stop. */
static int deliver(run *r, batch *b)
{
	const char *p = b->out.p, *end = p ? p + b->out.n : NULL; /* an empty batch has no buffer */
	while (p && p < end) {
		char kind = *p;
		uint64_t line = strtoull(p + 1, NULL, 10);
		const char *a = p + strlen(p) + 1;
		const char *c = a + strlen(a) + 1;
		size_t clen = strlen(c);
		if (kind == 'L') { /* the log record first: a decision is out only once it is logged */
			const char *body = c + clen + 1;
			size_t blen = strlen(body);
			int rc = sa__log_write_body(r->log, body, blen, NULL);
			if (rc < 0)
				return rc;
			p = body + blen + 1;
		} else
			p = c + clen + 1;
		if (kind == 'R' || kind == 'L') {
			if (r->o->on_record && r->o->on_record(r->o->ud, line, a, c, clen))
				return sa__error(SA_EUSER, "screening stopped by the caller at line %llu", (unsigned long long)line);
		} else if (r->o->on_error) {
			r->o->on_error(r->o->ud, line, atoi(a), c);
		}
	}
	return SA_OK;
}

static int parse_header(run *r, const char *s, const char *le)
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

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1u;
}

int sa_screen_run(sa_screen_summary *summary, const sa_screen_options *o, const char *text, size_t len,
                  const char *name)
{
	run r;
	pthread_t *threads;
	unsigned jobs;
	const char *s = text, *end = text + len;
	uint64_t line = 1, next_out = 0, done_bytes = 0, records_out = 0;
	int rc = SA_OK;
	size_t started = 0;

	if (!o || o->version < 1 || o->version > SA_SCREEN_OPTIONS_VERSION || !summary || (!text && len))
		return sa__error(SA_EINVALID, "sa_screen_run: bad arguments");
	memset(&r, 0, sizeof r);
	/* a version 1 struct ends before `route`, a version 2 struct before `log` */
	memcpy(&r.opts, o, o->version == 1 ? offsetof(sa_screen_options, route)
	                   : o->version == 2 ? offsetof(sa_screen_options, log) : sizeof r.opts);
	o = r.o = &r.opts;
	if (!o->route && !o->pack)
		return sa__error(SA_EINVALID, "sa_screen_run: a pack, or route");
	if (!sa_date_valid(o->as_of))
		return sa__error(SA_EINVALID, "sa_screen_run: %d is not a date YYYYMMDD", (int)o->as_of);
	if (o->route && (rc = sa__router_new(&r.router, sa_pack_path_resolve(o->engine ? o->engine->pack_path : NULL))) < 0)
		return rc;
	r.log = o->log;
	r.name = name;
	r.format = o->format;
	if (r.format == SA_SCREEN_AUTO) {
		size_t nl = name ? strlen(name) : 0;
		r.format = nl > 4 && strcasecmp(name + nl - 4, ".csv") == 0 ? SA_SCREEN_CSV : SA_SCREEN_JSONL;
	}
	if (r.format == SA_SCREEN_CSV && len) {
		const char *nl, *le;
		s += sa__csv_bom(s, len); /* a spreadsheet's UTF-8 byte-order mark */
		nl = csv_nl(s, end);
		le = nl ? nl : end;
		if ((rc = parse_header(&r, s, le)) < 0)
			goto out_csv;
		s = nl ? nl + 1 : end;
		line = 2;
	}
	jobs = o->jobs ? o->jobs : online_cpus();
	if (jobs > 256)
		jobs = 256;
	r.window = (size_t)jobs * 4;
	if (!(r.ring = calloc(r.window, sizeof *r.ring)) || !(threads = calloc(jobs, sizeof *threads))) {
		free(r.ring);
		rc = sa__error_oom();
		goto out_csv;
	}
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv_work, NULL);
	pthread_cond_init(&r.cv_done, NULL);
	for (unsigned i = 0; i < jobs; i++)
		if (pthread_create(&threads[i], NULL, worker, &r) == 0)
			started++;
	if (!started) {
		rc = sa__error(SA_ENOMEM, "sa_screen_run: cannot start a thread");
		goto out;
	}

	pthread_mutex_lock(&r.mu);
	for (;;) {
		/* queue batches while the window has room */
		while (s < end && r.queued - next_out < r.window && !r.fatal) {
			batch *b = &r.ring[r.queued % r.window];
			uint64_t recs = 0;
			const char *bs = s;
			uint64_t bl = line;
			char id[256] = "";
			buf scratch = { 0 };
			const char *cells[512];
			pthread_mutex_unlock(&r.mu);
			while (s < end && (r.format == SA_SCREEN_CSV || recs < BATCH_RECORDS)) {
				const char *nl = r.format == SA_SCREEN_CSV ? csv_nl(s, end) : memchr(s, '\n', (size_t)(end - s));
				const char *le = nl ? nl : end;
				if (r.format == SA_SCREEN_CSV) {
					/* a batch ends only where the id cell changes */
					int n = r.csv.ncols <= 512 ? csv_split(s, le, &scratch, cells, (int)r.csv.ncols + 1) : -1;
					const char *cid = n == (int)r.csv.ncols ? cells[r.csv.id_col] : "";
					if (!cid[0] || strcmp(cid, id) != 0) {
						recs++;
						snprintf(id, sizeof id, "%s", cid);
					}
				} else {
					recs++;
				}
				line += 1 + inner_lines(s, le);
				s = nl ? nl + 1 : end;
				if (r.format == SA_SCREEN_CSV && recs >= BATCH_RECORDS && s < end) {
					/* stop before the next household starts */
					const char *nl2 = csv_nl(s, end);
					int n2 = csv_split(s, nl2 ? nl2 : end, &scratch, cells, (int)r.csv.ncols + 1);
					if (n2 != (int)r.csv.ncols || strcmp(cells[r.csv.id_col], id) != 0 || !id[0])
						break;
				}
			}
			free(scratch.p);
			pthread_mutex_lock(&r.mu);
			free(b->out.p);
			sa__summary_clear(&b->sum);
			memset(b, 0, sizeof *b);
			b->start = bs;
			b->end = s;
			b->first_line = bl;
			b->records = recs;
			r.queued++;
			pthread_cond_signal(&r.cv_work);
		}
		if (s >= end && !r.closing) {
			r.closing = true;
			pthread_cond_broadcast(&r.cv_work);
		}
		if (r.fatal) {
			rc = sa__error(r.fatal, "%s", r.fatal_msg);
			r.closing = true;
			pthread_cond_broadcast(&r.cv_work);
			break;
		}
		if (next_out == r.queued && s >= end)
			break;
		if (next_out < r.queued && r.ring[next_out % r.window].state == 2) {
			batch *b = &r.ring[next_out % r.window];
			pthread_mutex_unlock(&r.mu);
			int src = sa__summary_add(summary, &b->sum); /* out of memory, or a money overflow */
			if (src < 0 && rc == 0)
				rc = src;
			records_out += b->sum.records;
			if (rc == 0)
				rc = deliver(&r, b);
			done_bytes += (uint64_t)(b->end - b->start);
			free(b->out.p);
			b->out.p = NULL;
			b->out.n = b->out.cap = 0;
			if (o->on_progress && (next_out % 8 == 0 || s >= end))
				o->on_progress(o->ud, done_bytes, len, records_out);
			pthread_mutex_lock(&r.mu);
			next_out++;
			if (rc < 0) {
				/* stop: drop what is queued and not taken */
				r.queued = r.next_take;
				s = end;
				r.closing = true;
				pthread_cond_broadcast(&r.cv_work);
				while (next_out < r.queued) {
					while (r.ring[next_out % r.window].state != 2)
						pthread_cond_wait(&r.cv_done, &r.mu);
					free(r.ring[next_out % r.window].out.p);
					r.ring[next_out % r.window].out.p = NULL;
					next_out++;
				}
				break;
			}
			continue;
		}
		pthread_cond_wait(&r.cv_done, &r.mu);
	}
	pthread_mutex_unlock(&r.mu);
	if (o->on_progress && rc == 0)
		o->on_progress(o->ud, len, len, records_out);
out:
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (size_t i = 0; i < r.window; i++) {
		free(r.ring[i].out.p);
		sa__summary_clear(&r.ring[i].sum);
	}
	free(r.ring);
	free(threads);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv_work);
	pthread_cond_destroy(&r.cv_done);
out_csv:
	for (size_t i = 0; i < r.csv.ncols; i++)
		free(r.csv.cols[i]);
	free(r.csv.cols);
	sa__router_free(r.router);
	return rc;
}

int sa_screen_file(sa_screen_summary *summary, const sa_screen_options *o, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int rc;
	if (!path)
		return sa__error(SA_EINVALID, "sa_screen_file: NULL path");
	if ((rc = sa__read_input(&text, &len, path, SIZE_MAX / 2)) < 0) /* a pipe, "-", or a file; not a directory */
		return rc;
	rc = sa_screen_run(summary, o, text, len, path);
	free(text);
	return rc;
}
