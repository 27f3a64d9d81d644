/* log_format.h - the decision log's line format, shared by log.c, verify.c and replay.c. */
#ifndef SA_LOG_FORMAT_H
#define SA_LOG_FORMAT_H

#include "core/internal.h"
#include "core/decision_internal.h"

#include <cjson/cJSON.h>

/* The format version every record starts with: {"format":"sa-log/2",... Records of
 * sa-log/1 (texts written out in every record) are still read by verify and replay; a
 * writer does not continue a file of another version. */
#define SA_LOG_FORMAT "sa-log/2"
#define SA_LOG_FORMAT_1 "sa-log/1"

int sa__read_key_file(unsigned char **out, size_t *len, const char *path, const char *what);
void sa__hmac_hex(char out[65], const unsigned char *key, size_t keylen, const void *data, size_t len);
int sa__log_split(const char *line, size_t len, size_t *body_len, char hash[65], char hmac[65]);
/* 2 or 1 when the line is a record of SA_LOG_FORMAT or SA_LOG_FORMAT_1 (readers take both);
 * else SA_EINVALID naming the format found (path and line for the message; line 0 = "the
 * last record"). */
int sa__log_check_format(const char *line, size_t len, const char *path, int lineno);

/* log_compact.c: the compact parts of an sa-log/2 record (docs/audit.md). */
typedef struct {
	uint64_t *k; /* open addressing; 0 = empty slot */
	size_t n, cap;
} sa_keyset;
bool sa__keyset_has(const sa_keyset *s, uint64_t v);
int sa__keyset_add(sa_keyset *s, uint64_t v);
void sa__keyset_free(sa_keyset *s);

/* The texts one record uses: "\x01" key text ... (text JSON-escaped), each once. */
typedef struct {
	sa_buf defs;
	sa_keyset seen;
	struct evp_md_ctx_st *ctx; /* reused for every key of the record */
} sa_log_refs;
void sa__log_text_ref(sa_buf *b, sa_log_refs *r, const char *text);
void sa__log_refs_free(sa_log_refs *r);

/* One parameter the rules read, as the record's "params" row holds it. */
typedef struct {
	const char *name, *value, *pack, *source; /* value, pack NULL: no value in force */
	char from[16], on[16];                    /* "" when absent */
} sa_log_row;
int sa__log_decision_json(char **out, const sa_decision *d, const sa_log_row *rows, size_t nrows, sa_log_refs *r);

/* A reader's table of the texts defined so far in a file. */
typedef struct sa_log_texts sa_log_texts;
sa_log_texts *sa__log_texts_new(void);
void sa__log_texts_free(sa_log_texts *t);
int sa__log_texts_add(sa_log_texts *t, const cJSON *rec, const char *path, int lineno);
int sa__log_expand_decision(cJSON *dec, const cJSON *params, const sa_log_texts *t, const char *path, int lineno);

/* log.c: a record's decision part, built on any thread; sealed and written in order. */
int sa__log_body(char **out, size_t *len, const sa_log *log, const sa_household *hh, const sa_decision *d);
int sa__log_write_body(sa_log *log, const char *body, size_t len, uint64_t *seq);

#endif
