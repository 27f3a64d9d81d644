/* pipeline.h - inside libsa/screen: the screening pipeline (pipeline.c) and the record
 * handling it calls (screen.c). Kept apart so that the reading of records (CSV, JSON lines),
 * routing or summaries can change without touching the queue, threads and ordering. */
#ifndef SA_SCREEN_PIPELINE_H
#define SA_SCREEN_PIPELINE_H

#include "core/internal.h"
#include "screen/summary.h"
#include "screen/route.h"
#include "audit/log_format.h"

#include <pthread.h>
#include <stdio.h>

#define BATCH_RECORDS 256

/* growing text */
typedef struct {
	char *p;
	size_t n, cap;
} buf;
int sa__screen_buf_add(buf *b, const void *s, size_t n); /* -1 when out of memory */

typedef struct {
	char **cols; /* header paths */
	size_t ncols;
	int id_col;
} csv_header;

typedef struct {
	buf text;                /* the batch's own copy of its records (reused) */
	const char *start, *end; /* text.p .. text.p + text.n */
	uint64_t first_line;     /* 1-based line of start */
	uint64_t records;
	uint64_t bytes;          /* input bytes (progress) */
	/* filled by a worker; reused batch after batch (no allocation once warm) */
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


/* Lines of the registry, from memory or read from a stream in chunks (memory stays flat in the
 * registry's size: only the current chunk and the batches in flight are held). */
typedef struct {
	const char *mem, *mem_end; /* memory source */
	FILE *f;                   /* stream source */
	char *buf;
	size_t cap, start, end;    /* unread text is buf[start..end) */
	bool eof, error;
	bool csv;                  /* a record ends where its CSV record ends, not at every line break */
} source;

/* pipeline.c: screen the registry coming from `in` (total bytes, 0 if unknown) */
int sa__screen_source(sa_screen_summary *summary, const sa_screen_options *o, source *in, uint64_t total,
                      const char *name);

/* screen.c: a worker's batch (read each record, evaluate them, write the output records) */
void sa__screen_do_batch(run *r, engines *w, batch *b);
/* screen.c: free a worker's engines */
void sa__screen_engines_free(engines *w);
/* screen.c: the line break that ends the CSV record at s (quoted fields may hold line breaks), or
 * NULL at the end of the text; and the line breaks inside a record (for line numbers) */
const char *sa__screen_csv_nl(const char *s, const char *end);
uint64_t sa__screen_inner_lines(const char *s, const char *e);
/* screen.c: the CSV header line */
int sa__screen_parse_header(run *r, const char *s, const char *le);
/* screen.c: the CSV id cell of a line, copied into id (empty when the row does not split into
 * the header's columns) */
void sa__screen_csv_row_id(run *r, const char *p, size_t n, buf *scratch, const char **cells, char *id,
                           size_t idsize);

#endif
