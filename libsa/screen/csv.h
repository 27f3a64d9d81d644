/* csv.h - CSV records for screening (RFC 4180), read and written through Debian's libcsv
 * (csv.c). Kept apart from screen.c so the reader can change without touching the pipeline. */
#ifndef SA_SCREEN_CSV_H
#define SA_SCREEN_CSV_H

#include <stddef.h>

#include "core/decision_internal.h"

/* One record's cells, reused from record to record. Zero-initialise; free with sa__csv_free. */
typedef struct {
	void *parser;   /* struct csv_parser, allocated on first use */
	char *text;     /* the cells, NUL-separated */
	size_t n, cap;
	size_t *off;    /* start of each cell in text */
	int ncells, capcells, max;
	int oom, done, fields_in_record;
} sa_csv;

/* Length of a UTF-8 byte-order mark at s (3), or 0. */
size_t sa__csv_bom(const char *s, size_t len);

/* Read the record that starts at s (no further than end): quoted fields may hold commas,
 * doubled quotes and line breaks; CRLF or LF ends it; no field is trimmed. Returns the number
 * of cells (0 for a blank line), -1 for a malformed record or more than max cells, SA_ENOMEM;
 * *next is the start of the following record in every case but SA_ENOMEM. */
int sa__csv_record(sa_csv *c, const char *s, const char *end, int max, const char **next);

/* Cell i of the last record read (NUL-terminated, valid until the next call). */
const char *sa__csv_cell(const sa_csv *c, int i);

/* The end of the record that starts at s: where its terminating line break is (or end). */
const char *sa__csv_record_end(sa_csv *c, const char *s, const char *end);

/* Append cell to b as RFC 4180 wants it, through libcsv's csv_write: quoted, with each quote
 * doubled, when it holds a comma, quote, CR or LF; as it is otherwise. A comma before it
 * unless first. Out of memory sets b->oom. */
void sa__csv_field(sa_buf *b, const char *cell, int first);

void sa__csv_free(sa_csv *c);

#endif
