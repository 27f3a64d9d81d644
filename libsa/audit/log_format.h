/* log_format.h - the decision log's line format, shared by log.c, verify.c and replay.c. */
#ifndef SA_LOG_FORMAT_H
#define SA_LOG_FORMAT_H

#include "core/internal.h"

/* The format version every record starts with: {"format":"sa-log/1",... */
#define SA_LOG_FORMAT "sa-log/1"

int sa__read_key_file(unsigned char **out, size_t *len, const char *path, const char *what);
void sa__hmac_hex(char out[65], const unsigned char *key, size_t keylen, const void *data, size_t len);
int sa__log_split(const char *line, size_t len, size_t *body_len, char hash[65], char hmac[65]);
/* SA_OK when the line is a record of SA_LOG_FORMAT; else SA_EINVALID naming the format found
 * (path and line for the message; line 0 = "the last record"). */
int sa__log_check_format(const char *line, size_t len, const char *path, int lineno);

/* log.c: a record's decision part, built on any thread; sealed and written in order. */
int sa__log_body(char **out, size_t *len, const sa_log *log, const sa_household *hh, const sa_decision *d);
int sa__log_write_body(sa_log *log, const char *body, size_t len, uint64_t *seq);

#endif
