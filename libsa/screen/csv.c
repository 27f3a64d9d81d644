/* csv.c - CSV records (RFC 4180) through Debian's libcsv: quoted fields, "" escapes, line
 * breaks inside quotes, CRLF, a UTF-8 BOM; no field is trimmed (libcsv's default trims spaces
 * and tabs around unquoted fields; RFC 4180 keeps them). The record is fed to libcsv one line at
 * a time until libcsv reports its end, so a record spanning lines is found by the parser, not by
 * a scan of our own. */
#include "screen/csv.h"
#include "core/internal.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *s, size_t len, void *data)
{
	sa_csv *c = data;
	if (c->oom || c->done)
		return;
	if (c->ncells >= c->max) {
		c->ncells = c->max + 1; /* too many: reported by the caller */
		return;
	}
	if (c->ncells == c->capcells) {
		int cap = c->capcells ? c->capcells * 2 : 32;
		size_t *g = realloc(c->off, (size_t)cap * sizeof *g);
		if (!g) {
			c->oom = 1;
			return;
		}
		c->off = g;
		c->capcells = cap;
	}
	if (c->n + len + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 256;
		char *g;
		while (cap < c->n + len + 1)
			cap *= 2;
		if (!(g = realloc(c->text, cap))) {
			c->oom = 1;
			return;
		}
		c->text = g;
		c->cap = cap;
	}
	c->off[c->ncells++] = c->n;
	if (len)
		memcpy(c->text + c->n, s, len);
	c->n += len;
	c->text[c->n++] = 0;
	c->fields_in_record = 1;
}

static void on_record(int term, void *data)
{
	sa_csv *c = data;
	(void)term;
	c->done = 1;
}

size_t sa__csv_bom(const char *s, size_t len)
{
	return len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF ? 3
	                                                                                                              : 0;
}

static int parser(sa_csv *c)
{
	if (c->parser)
		return 0;
	if (!(c->parser = malloc(sizeof(struct csv_parser))))
		return -1;
	if (csv_init(c->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(c->parser);
		c->parser = NULL;
		return -1;
	}
	csv_set_space_func(c->parser, no_space);
	return 0;
}

int sa__csv_record(sa_csv *c, const char *s, const char *end, int max, const char **next)
{
	struct csv_parser *p;
	const char *q = s;
	int bad = 0;
	c->n = 0;
	c->ncells = 0;
	c->max = max;
	c->done = 0;
	c->oom = 0;
	c->fields_in_record = 0;
	if (parser(c) < 0)
		return sa__error_oom();
	p = c->parser;
	while (q < end && !c->done && !c->oom) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		size_t len = (size_t)((nl ? nl + 1 : end) - q);
		if (csv_parse(p, q, len, on_field, on_record, c) != len) {
			bad = 1;
			q += len;
			break;
		}
		q += len;
		/* a blank line: libcsv reports nothing for it */
		if (!c->done && !c->fields_in_record && p->pstate == 0 && p->entry_pos == 0)
			break;
	}
	if (!c->done && !bad)
		bad = csv_fini(p, on_field, on_record, c) != 0;
	else
		csv_fini(p, NULL, NULL, NULL); /* reset for the next record */
	if (bad) {
		/* a malformed record ends at the end of the line where the parser gave up */
		csv_free(p);
		free(p);
		c->parser = NULL;
	}
	*next = q;
	if (c->oom)
		return sa__error_oom();
	if (bad || c->ncells > max)
		return -1;
	return c->ncells;
}

const char *sa__csv_cell(const sa_csv *c, int i)
{
	return i >= 0 && i < c->ncells ? c->text + c->off[i] : NULL;
}

const char *sa__csv_record_end(sa_csv *c, const char *s, const char *end)
{
	const char *next;
	if (sa__csv_record(c, s, end, 1 << 20, &next) == SA_ENOMEM)
		next = end;
	/* next is just past the record's line break */
	if (next > s && next[-1] == '\n')
		return next - 1;
	return next;
}

void sa__csv_field(sa_buf *b, const char *cell, int first)
{
	size_t n = strlen(cell), need;
	char *q;
	if (!first)
		sa__buf_add(b, ",", 1);
	if (!strpbrk(cell, ",\"\r\n")) { /* nothing to quote: as it is, so plain names stay plain */
		sa__buf_add(b, cell, n);
		return;
	}
	need = csv_write(NULL, 0, cell, n); /* the quoted length: "" for each quote, quotes around */
	if (!(q = malloc(need))) {
		b->oom = true;
		return;
	}
	sa__buf_add(b, q, csv_write(q, need, cell, n));
	free(q);
}

void sa__csv_free(sa_csv *c)
{
	if (c->parser) {
		csv_free(c->parser);
		free(c->parser);
	}
	free(c->text);
	free(c->off);
	memset(c, 0, sizeof *c);
}
