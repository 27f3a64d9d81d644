/* pipeline.c - the screening pipeline (docs/screening.md): the calling thread reads the
 * registry (from memory, or streamed from a file in chunks) and cuts it into batches of whole
 * records (a JSON line; the consecutive CSV rows of one household); workers, one engine each,
 * turn batches into output records and a partial summary (screen.c); the calling thread hands
 * finished batches to the callbacks strictly in input order, so callbacks never run on a
 * worker thread. At most `window` batches are in flight and their buffers are reused, so
 * memory does not grow with the registry and the writer allocates nothing per household. */
#include "screen/pipeline.h"
#include "screen/csv.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int sa__screen_buf_add(buf *b, const void *s, size_t n)
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
		sa__screen_engines_free(&w);
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
		sa__screen_do_batch(r, &w, b);
		pthread_mutex_lock(&r->mu);
		b->state = 2;
		pthread_cond_broadcast(&r->cv_done);
	}
	pthread_mutex_unlock(&r->mu);
	sa__screen_engines_free(&w);
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

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1u;
}

/* ------------------------------------------------------------------ input: memory or a stream */


#define SOURCE_CHUNK ((size_t)1 << 20)

/* The line break ending the record at s: the next one, or for CSV the one after the record's
 * quoted line breaks; NULL when none is within [s, end). */
static const char *record_nl(const source *in, const char *s, const char *end)
{
	return in->csv ? sa__screen_csv_nl(s, end) : memchr(s, '\n', (size_t)(end - s));
}

/* The next record (a line, or a CSV record that may span lines; without its line break) in
 * *p, *n; 0 at the end. The text stays valid until the next call. */
static int src_line(source *in, const char **p, size_t *n)
{
	if (!in->f) {
		const char *nl;
		if (in->mem >= in->mem_end)
			return 0;
		nl = record_nl(in, in->mem, in->mem_end);
		*p = in->mem;
		*n = (size_t)((nl ? nl : in->mem_end) - in->mem);
		in->mem = nl ? nl + 1 : in->mem_end;
		return 1;
	}
	for (;;) {
		/* a CSV record whose quote is still open at the end of the chunk has no line break yet */
		const char *nl = in->start < in->end ? record_nl(in, in->buf + in->start, in->buf + in->end) : NULL;
		if (nl || (in->eof && in->start < in->end)) {
			size_t e = nl ? (size_t)(nl - in->buf) : in->end;
			*p = in->buf + in->start;
			*n = e - in->start;
			in->start = nl ? e + 1 : e;
			return 1;
		}
		if (in->eof)
			return 0;
		/* a partial line: keep it, read more behind it (grow only for a line longer than cap) */
		if (in->start > 0) {
			memmove(in->buf, in->buf + in->start, in->end - in->start);
			in->end -= in->start;
			in->start = 0;
		}
		if (in->cap - in->end < SOURCE_CHUNK / 2) {
			size_t cap = in->cap ? in->cap * 2 : SOURCE_CHUNK;
			char *nb = realloc(in->buf, cap);
			if (!nb) {
				in->error = true;
				return 0;
			}
			in->buf = nb;
			in->cap = cap;
		}
		{
			size_t got = fread(in->buf + in->end, 1, in->cap - in->end, in->f);
			in->end += got;
			if (got == 0) {
				in->eof = true;
				if (ferror(in->f))
					in->error = true;
			}
		}
	}
}

/* A batch's own copy of a line, newline-terminated. */
static int batch_line(batch *b, const char *p, size_t n)
{
	return sa__screen_buf_add(&b->text, p, n) < 0 || sa__screen_buf_add(&b->text, "\n", 1) < 0 ? -1 : 0;
}

int sa__screen_source(sa_screen_summary *summary, const sa_screen_options *o, source *in, uint64_t total,
                      const char *name)
{
	run r;
	pthread_t *threads;
	unsigned jobs;
	uint64_t line = 1, next_out = 0, done_bytes = 0, records_out = 0;
	int rc = SA_OK;
	size_t started = 0;
	buf carry = { 0 };       /* CSV: the first row of the next batch's first household */
	bool have_carry = false, input_done = false;
	char carry_id[256] = "";
	buf scratch = { 0 };
	const char **cells = calloc(513, sizeof *cells);

	if (!o || o->version < 1 || o->version > SA_SCREEN_OPTIONS_VERSION || !summary) {
		free(cells);
		return sa__error(SA_EINVALID, "sa_screen_run: bad arguments");
	}
	if (!cells)
		return sa__error_oom();
	memset(&r, 0, sizeof r);
	/* a version 1 struct ends before `route`, a version 2 struct before `log` */
	memcpy(&r.opts, o, o->version == 1 ? offsetof(sa_screen_options, route)
	                   : o->version == 2 ? offsetof(sa_screen_options, log) : sizeof r.opts);
	o = r.o = &r.opts;
	if (!o->route && !o->pack) {
		free(cells);
		return sa__error(SA_EINVALID, "sa_screen_run: a pack, or route");
	}
	if (!sa_date_valid(o->as_of)) {
		free(cells);
		return sa__error(SA_EINVALID, "sa_screen_run: %d is not a date YYYYMMDD", (int)o->as_of);
	}
	if (o->route && (rc = sa__router_new(&r.router, sa_pack_path_resolve(o->engine ? o->engine->pack_path : NULL))) < 0) {
		free(cells);
		return rc;
	}
	r.log = o->log;
	r.name = name;
	r.format = o->format;
	if (r.format == SA_SCREEN_AUTO) {
		size_t nl = name ? strlen(name) : 0;
		r.format = nl > 4 && strcasecmp(name + nl - 4, ".csv") == 0 ? SA_SCREEN_CSV : SA_SCREEN_JSONL;
	}
	in->csv = r.format == SA_SCREEN_CSV;
	if (r.format == SA_SCREEN_CSV) {
		const char *p;
		size_t n;
		if (src_line(in, &p, &n)) {
			size_t bom = sa__csv_bom(p, n); /* a spreadsheet's UTF-8 byte-order mark */
			done_bytes += n + 1;
			if ((rc = sa__screen_parse_header(&r, p + bom, p + n)) < 0)
				goto out_csv;
			line = 2;
		} else {
			input_done = true;
		}
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
		/* queue batches while the window has room; a batch's buffers are reused, never freed */
		while (!input_done && r.queued - next_out < r.window && !r.fatal) {
			batch *b = &r.ring[r.queued % r.window];
			uint64_t recs = 0, bl = line, bytes = 0;
			char id[256] = "";
			const char *p;
			size_t n;
			pthread_mutex_unlock(&r.mu);
			b->text.n = 0;
			b->out.n = 0;
			if (have_carry) {
				if (batch_line(b, carry.p, carry.n) < 0)
					in->error = true;
				bytes += carry.n + 1;
				snprintf(id, sizeof id, "%s", carry_id);
				recs = 1;
				line += 1 + sa__screen_inner_lines(carry.p, carry.p + carry.n);
				have_carry = false;
			}
			while (!in->error && (r.format == SA_SCREEN_CSV || recs < BATCH_RECORDS)) {
				if (!src_line(in, &p, &n)) {
					input_done = true;
					break;
				}
				if (r.format == SA_SCREEN_CSV) {
					/* a batch ends only where the id cell changes */
					char cid[256];
					sa__screen_csv_row_id(&r, p, n, &scratch, cells, cid, sizeof cid);
					if (!cid[0] || strcmp(cid, id) != 0) {
						if (recs >= BATCH_RECORDS) {
							/* this row starts the next batch */
							carry.n = 0;
							if (sa__screen_buf_add(&carry, p, n) < 0)
								in->error = true;
							snprintf(carry_id, sizeof carry_id, "%s", cid);
							have_carry = true;
							break;
						}
						recs++;
						snprintf(id, sizeof id, "%s", cid);
					}
				} else {
					recs++;
				}
				if (batch_line(b, p, n) < 0)
					in->error = true;
				bytes += n + 1;
				line += 1 + (r.format == SA_SCREEN_CSV ? sa__screen_inner_lines(p, p + n) : 0);
			}
			if (in->error) {
				pthread_mutex_lock(&r.mu);
				if (!r.fatal) {
					r.fatal = SA_ENOMEM;
					snprintf(r.fatal_msg, sizeof r.fatal_msg, "%s: cannot read the registry (or out of memory)",
					         name ? name : "registry");
				}
				break;
			}
			if (!b->text.n && input_done && !have_carry) {
				pthread_mutex_lock(&r.mu);
				break;
			}
			pthread_mutex_lock(&r.mu);
			sa__summary_clear(&b->sum);
			b->start = b->text.p;
			b->end = b->text.p + b->text.n;
			b->first_line = bl;
			b->records = recs;
			b->bytes = bytes;
			b->state = 0;
			r.queued++;
			pthread_cond_signal(&r.cv_work);
			if (have_carry)
				input_done = false;
		}
		if (input_done && !have_carry && !r.closing) {
			r.closing = true;
			pthread_cond_broadcast(&r.cv_work);
		}
		if (r.fatal) {
			rc = sa__error(r.fatal, "%s", r.fatal_msg);
			r.closing = true;
			r.queued = r.next_take;
			pthread_cond_broadcast(&r.cv_work);
			while (next_out < r.queued) {
				while (r.ring[next_out % r.window].state != 2)
					pthread_cond_wait(&r.cv_done, &r.mu);
				next_out++;
			}
			break;
		}
		if (next_out == r.queued && r.closing)
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
			done_bytes += b->bytes;
			if (o->on_progress && (next_out % 8 == 0 || input_done))
				o->on_progress(o->ud, done_bytes, total, records_out);
			pthread_mutex_lock(&r.mu);
			next_out++;
			if (rc < 0) {
				/* stop: drop what is queued and not taken */
				r.queued = r.next_take;
				input_done = true;
				have_carry = false;
				r.closing = true;
				pthread_cond_broadcast(&r.cv_work);
				while (next_out < r.queued) {
					while (r.ring[next_out % r.window].state != 2)
						pthread_cond_wait(&r.cv_done, &r.mu);
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
		o->on_progress(o->ud, total ? total : done_bytes, total ? total : done_bytes, records_out);
out:
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (size_t i = 0; i < r.window; i++) {
		free(r.ring[i].out.p);
		free(r.ring[i].text.p);
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
	free(carry.p);
	free(scratch.p);
	free(cells);
	return rc;
}

