/* internal.h - declarations shared by libsa's modules; not installed. */
#ifndef SA_INTERNAL_H
#define SA_INTERNAL_H

#include "sa.h"
#include "core/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- errors (error.c) ---- */
int sa__error_at(int code, const char *source, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#define sa__error(code, ...) sa__error_at((code), NULL, 0, 0, __VA_ARGS__)
int sa__error_oom(void);

/* ---- a document tree (value.c) ----
 * YAML and JSON documents are read into this tree with 1-based positions; the household
 * schema turns scalar text into typed leaves (money in fen, dates, ints, bools). */
typedef enum {
	SA_V_NULL, SA_V_STR, SA_V_BOOL, SA_V_INT, SA_V_MONEY, SA_V_DATE, SA_V_LIST, SA_V_MAP
} sa_vtype;

typedef struct sa_value sa_value;
struct sa_value {
	sa_vtype type;
	bool quoted;         /* scalar was quoted in the source */
	int line, column;    /* 1-based position in the source, 0 if built in code */
	char *str;           /* SA_V_STR text; scalar text of typed leaves */
	int64_t num;         /* SA_V_BOOL (0/1), SA_V_INT, SA_V_MONEY (fen), SA_V_DATE */
	size_t n, cap;       /* SA_V_LIST and SA_V_MAP */
	char **keys;         /* SA_V_MAP keys */
	sa_value **items;
	uint32_t *index;     /* SA_V_MAP with many keys: open-addressed slots of item index + 1 */
	size_t icap;         /* slots in index (a power of two), 0 without one */
};

sa_value *sa__value_new(sa_vtype type);
sa_value *sa__value_str(const char *s);
void sa__value_free(sa_value *v);
int sa__value_push(sa_value *list, sa_value *item);              /* takes item */
int sa__value_put(sa_value *map, const char *key, sa_value *v);  /* takes v; replaces */
int sa__value_append(sa_value *map, const char *key, sa_value *v); /* takes v; key known to be new */
/* v NULL is SA_ENOMEM for push, put and append (a constructor that failed); the _slot forms
 * accept NULL: an entry filled right after (lua/call.c) */
int sa__value_push_slot(sa_value *list, sa_value *item);
int sa__value_append_slot(sa_value *map, const char *key, sa_value *v);
int sa__value_reindex(sa_value *map);                             /* after reordering keys in place */
sa_value *sa__value_get(const sa_value *map, const char *key);
sa_value *sa__value_copy(const sa_value *v);
const char *sa__vtype_name(sa_vtype t);

/* ---- YAML/JSON reading (yaml_reader.c) ---- */
/* Parse text (one document) into *out. name is used in error positions. */
int sa__yaml_parse(sa_value **out, const char *text, size_t len, const char *name);
int sa__yaml_parse_file(sa_value **out, const char *path);
int sa__read_file(char **out, size_t *len, const char *path); /* "-": stdin; pipes ok; SA_FILE_MAX */
/* read.c: fd to its end, at most max bytes, NUL-terminated; 0, or -1 with errno (EFBIG past max) */
int sa__read_fd(int fd, size_t max, size_t hint, char **out, size_t *len);
int sa__read_input(char **out, size_t *len, const char *path, size_t max);

/* ---- dates and money helpers ---- */
/* The date n days after d (n may be negative); d a valid date (date.c, the one place for
 * date arithmetic; sa_date_add_months is public). */
sa_date sa__date_add_days(sa_date d, int n);
/* Every sum of money in C goes through this: it fails (SA_EINVALID, "money overflow") instead
 * of wrapping. Amounts from rules are within +-SA_FEN_AMOUNT_MAX (10^13 yuan) each. */
int sa__fen_add(sa_fen *acc, sa_fen x);
int sa__scalar_bool(const sa_value *v, bool *out);
int sa__scalar_int(const sa_value *v, int64_t *out);

/* ---- GB/T 2260 region codes (region.c) ---- */
/* Length of a code's significant prefix (trailing "00" pairs dropped; "000000" → 0). */
size_t sa__region_prefix_len(const char *code);
/* 1 when a pack for pack_region covers household_region (NULL or "" pack region: every one). */
int sa__region_covers(const char *pack_region, const char *household_region);

/* ---- "did you mean" (nearest.c) ---- */
const char *sa__nearest(const char *name, const char *const *cands); /* NULL-terminated cands; NULL if none near */

/* ---- UTF-8 (utf8.c) ---- */
size_t sa__utf8_len(const char *s, size_t n); /* bytes of the well-formed character at s, 0 if none */
bool sa__utf8_valid(const char *s, size_t n);
/* A registry line [s, le) before it is parsed: at most SA_SCREEN_LINE_MAX bytes, UTF-8, no NUL,
 * and (json) no \\u0000 in a string. 0, or an error naming the line and column. */
int sa__check_record(const char *s, const char *le, uint64_t line, bool json);

/* ---- SHA-256 of content (hash.c) ---- */
void sa__sha256_hex(char out[65], const void *data, size_t len);
/* One message from several pieces, none copied: begin, add..., end (which always frees). */
typedef struct {
	void *ctx; /* EVP_MD_CTX */
	bool failed;
} sa_sha256;
void sa__sha256_begin(sa_sha256 *h);
void sa__sha256_add(sa_sha256 *h, const void *data, size_t len);
int sa__sha256_end(sa_sha256 *h, unsigned char md[32]); /* 0, or -1 if libcrypto failed (no error set) */
void sa__sha256_to_hex(char out[65], const unsigned char md[32]);

#endif
