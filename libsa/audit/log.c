/* log.c - the decision log: one hash-chained JSON line per decision (docs/audit.md).
 *
 * Each record is written with one write(2) while the writer holds an exclusive flock on the
 * file, so records never interleave; the chain (each record names the SHA-256 of the one
 * before) and the sequence numbers make any edit, removal, insertion or reordering visible
 * to sa_log_verify (verify.c). */
#include "audit/audit_internal.h"
#include "engine/pack_set.h"
#include "pack/pack.h"
#include "core/household_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/log_format.h"

struct sa_log {
	char *path;
	int fd;
	sa_log_options opts;
	unsigned char *key; /* HMAC key, or NULL */
	size_t keylen;
	unsigned char *salt; /* redaction salt, or NULL */
	size_t saltlen;
	uint64_t seq;        /* of the last record written (0: none yet) */
	char prev[65];       /* hash of the last record */
	uint64_t size;       /* bytes in the current file */
	unsigned unsynced;   /* records since the last fsync */
	sa_keyset defined;   /* text keys defined in the current file (log_compact.c) */
};

/* ---- small helpers shared with verify.c (log_format.h) ---- */

int sa__read_key_file(unsigned char **out, size_t *len, const char *path, const char *what)
{
	char *text;
	size_t n;
	*out = NULL;
	*len = 0;
	if (sa__read_file(&text, &n, path) < 0)
		return sa__error(SA_ENOTFOUND, "%s file '%s' cannot be read", what, path);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--; /* a trailing newline is not part of the key */
	if (n == 0) {
		free(text);
		return sa__error(SA_EINVALID, "%s file '%s' is empty", what, path);
	}
	*out = (unsigned char *)text;
	*len = n;
	return SA_OK;
}

void sa__hmac_hex(char out[65], const unsigned char *key, size_t keylen, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, md, &mdlen) || mdlen != 32) {
		snprintf(out, 65, "%064d", 0);
		return;
	}
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Split a record line (without its newline) into the hashed body and its hash and HMAC:
 * body = line up to ',"hash":"', then '}'. Returns 0, or -1 when the line has no such tail. */
int sa__log_split(const char *line, size_t len, size_t *body_len, char hash[65], char hmac[65])
{
	static const char tag[] = ",\"hash\":\"";
	const char *p = NULL, *q;
	hmac[0] = 0;
	for (size_t i = len; i-- > 0;) /* the last occurrence: the tail is written last */
		if (line[i] == ',' && len - i >= sizeof tag - 1 && memcmp(line + i, tag, sizeof tag - 1) == 0) {
			p = line + i;
			break;
		}
	if (!p)
		return -1;
	q = p + sizeof tag - 1;
	if ((size_t)(line + len - q) < 66 || q[64] != '"')
		return -1;
	memcpy(hash, q, 64);
	hash[64] = 0;
	q += 65;
	if (strncmp(q, ",\"hmac\":\"", 9) == 0) {
		q += 9;
		if ((size_t)(line + len - q) < 66 || q[64] != '"')
			return -1;
		memcpy(hmac, q, 64);
		hmac[64] = 0;
		q += 65;
	}
	if (q != line + len - 1 || *q != '}')
		return -1;
	*body_len = (size_t)(p - line);
	return 0;
}

/* ---- the household as given ---- */

static int looks_numeric(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p || (*p == '0' && p[1] && p[1] != '.'))
		return 0;
	for (int dot = 0; *p; p++) {
		if (*p == '.' && !dot && p[1])
			dot = 1;
		else if (*p < '0' || *p > '9')
			return 0;
	}
	return 1;
}

static void raw_json(sa_buf *b, const sa_value *v)
{
	switch (v->type) {
	case SA_V_MAP:
		sa__buf_str(b, "{");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sa__buf_str(b, ",");
			sa__buf_json_str(b, v->keys[i]);
			sa__buf_str(b, ":");
			raw_json(b, v->items[i]);
		}
		sa__buf_str(b, "}");
		break;
	case SA_V_LIST:
		sa__buf_str(b, "[");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sa__buf_str(b, ",");
			raw_json(b, v->items[i]);
		}
		sa__buf_str(b, "]");
		break;
	case SA_V_NULL:
		sa__buf_str(b, "null");
		break;
	default:
		/* unquoted YAML scalars keep their type: true, 2, 533.33; all else is text */
		if (!v->quoted && v->str &&
		    (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0 || looks_numeric(v->str)))
			sa__buf_str(b, v->str);
		else
			sa__buf_json_str(b, v->str ? v->str : "");
	}
}

void sa__household_raw_json(sa_buf *b, const sa_household *hh)
{
	raw_json(b, hh->raw);
}

/* ---- redaction ---- */

/* "h:" and 32 hex digits of HMAC-SHA256(salt, text): stable per salt, not reversible
 * without it (ids are often ID-card numbers: a plain hash could be brute-forced). */
static void redact_id(char out[35], const sa_log *log, const char *text)
{
	char hex[65];
	sa__hmac_hex(hex, log->salt, log->saltlen, text, strlen(text));
	out[0] = 'h';
	out[1] = ':';
	memcpy(out + 2, hex, 32);
	out[34] = 0;
}

static void redact_string(cJSON *s, const sa_log *log)
{
	char r[35];
	if (!cJSON_IsString(s))
		return;
	redact_id(r, log, s->valuestring);
	cJSON_SetValuestring(s, r);
}

/* "member:<id>.<field>" -> "member:<redacted>.<field>" */
static void redact_missing(cJSON *list, const sa_log *log)
{
	cJSON *it;
	cJSON_ArrayForEach(it, list) {
		const char *s = cJSON_IsString(it) ? it->valuestring : NULL, *dot;
		char r[35], buf[512];
		if (!s || strncmp(s, "member:", 7) != 0 || !(dot = strchr(s + 7, '.')))
			continue;
		{
			char id[256];
			size_t n = (size_t)(dot - (s + 7));
			if (n >= sizeof id)
				continue;
			memcpy(id, s + 7, n);
			id[n] = 0;
			redact_id(r, log, id);
		}
		snprintf(buf, sizeof buf, "member:%s%s", r, dot);
		cJSON_SetValuestring(it, buf);
	}
}

static void redact_household(cJSON *h, const sa_log *log)
{
	cJSON *m;
	redact_string(cJSON_GetObjectItemCaseSensitive(h, "id"), log);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(h, "members"))
		redact_string(cJSON_GetObjectItemCaseSensitive(m, "id"), log);
}

/* The decision without reasons (their text names members), ids redacted. */
static void redact_decision(cJSON *d, const sa_log *log)
{
	cJSON *p, *it, *services;
	redact_string(cJSON_GetObjectItemCaseSensitive(d, "household"), log);
	redact_missing(cJSON_GetObjectItemCaseSensitive(d, "missing"), log);
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(d, "programs")) {
		cJSON_DeleteItemFromObjectCaseSensitive(p, "reasons");
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "members"))
			redact_string(it, log);
		redact_missing(cJSON_GetObjectItemCaseSensitive(p, "missing"), log);
	}
	if ((services = cJSON_GetObjectItemCaseSensitive(d, "services")))
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(services, "members"))
			redact_string(cJSON_GetObjectItemCaseSensitive(it, "member"), log);
}

/* ---- opening ---- */

/* The last complete line of fd's file into *line (malloc'd), or NULL when the file is
 * empty. SA_EINVALID when the file does not end with a newline (a partial record). */
static int last_line(char **line, int fd, uint64_t *size, const char *path)
{
	struct stat st;
	off_t end, pos;
	size_t cap = 0, n = 0;
	char *buf = NULL;
	*line = NULL;
	if (fstat(fd, &st) < 0)
		return sa__error(SA_ERROR, "%s: %s", path, strerror(errno));
	*size = (uint64_t)st.st_size;
	if (st.st_size == 0)
		return SA_OK;
	end = st.st_size;
	/* read backwards in blocks until the newline before the last one */
	for (pos = end;;) {
		char chunk[4096];
		off_t from = pos > (off_t)sizeof chunk ? pos - (off_t)sizeof chunk : 0;
		ssize_t k = pread(fd, chunk, (size_t)(pos - from), from);
		char *nb;
		if (k != pos - from) {
			free(buf);
			return sa__error(SA_ERROR, "%s: cannot read: %s", path, strerror(errno));
		}
		if (!(nb = malloc(n + (size_t)k + 1))) {
			free(buf);
			return sa__error_oom();
		}
		memcpy(nb, chunk, (size_t)k);
		if (n)
			memcpy(nb + k, buf, n);
		free(buf);
		buf = nb;
		n += (size_t)k;
		cap = n;
		buf[n] = 0;
		if (buf[n - 1] != '\n') {
			free(buf);
			return sa__error_at(SA_EINVALID, path, 0, 0,
			                    "the log ends in a partial record (a write was cut short); "
			                    "check it with 'sa log verify' and move it aside before writing");
		}
		for (size_t i = n - 1; i-- > 0;)
			if (buf[i] == '\n') {
				memmove(buf, buf + i + 1, n - i - 1);
				buf[n - i - 1] = 0;
				*line = buf;
				return SA_OK;
			}
		if (from == 0) {
			*line = buf;
			return SA_OK;
		}
		if (n > ((size_t)64 << 20)) {
			free(buf);
			return sa__error_at(SA_EINVALID, path, 0, 0, "the last record is longer than 64 MiB");
		}
		pos = from;
		(void)cap;
	}
}

/* Take seq and hash from the last record of a file (its own hash checked). */
static int continue_from(sa_log *log, const char *line, const char *path)
{
	size_t len = strlen(line), body;
	char hash[65], hmac[65], check[65];
	cJSON *t;
	const cJSON *seq;
	if (len && line[len - 1] == '\n')
		len--;
	{
		int v = sa__log_check_format(line, len, path, 0);
		if (v < 0)
			return SA_EINVALID;
		if (v != 2)
			return sa__error_at(SA_EINVALID, path, 0, 0,
			                    "the log is of format '%s', which this libsa reads (verify, replay) but no longer "
			                    "writes; write to a new file",
			                    SA_LOG_FORMAT_1);
	}
	if (sa__log_split(line, len, &body, hash, hmac) < 0)
		return sa__error_at(SA_EINVALID, path, 0, 0, "the last record has no hash: not a decision log, or damaged");
	{
		char *b = malloc(body + 2);
		if (!b)
			return sa__error_oom();
		memcpy(b, line, body);
		b[body] = '}';
		b[body + 1] = 0;
		sa__sha256_hex(check, b, body + 1);
		t = cJSON_Parse(b);
		free(b);
	}
	if (strcmp(check, hash) != 0) {
		cJSON_Delete(t);
		return sa__error_at(SA_EINVALID, path, 0, 0, "the last record does not match its hash; run 'sa log verify'");
	}
	seq = cJSON_GetObjectItemCaseSensitive(t, "seq");
	if (!cJSON_IsNumber(seq) || seq->valuedouble < 1) {
		cJSON_Delete(t);
		return sa__error_at(SA_EINVALID, path, 0, 0, "the last record has no sequence number");
	}
	log->seq = (uint64_t)seq->valuedouble;
	memcpy(log->prev, hash, 65);
	cJSON_Delete(t);
	return SA_OK;
}

/* Highest N with PATH.N present (0: none). */
static unsigned highest_rotation(const char *path)
{
	unsigned n = 0;
	char name[4096];
	for (unsigned i = 1; i < 100000; i++) {
		snprintf(name, sizeof name, "%s.%u", path, i);
		if (access(name, F_OK) != 0)
			break;
		n = i;
	}
	return n;
}

static int open_locked(int *fd_out, const char *path)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return sa__error_at(errno == ENOENT ? SA_ENOTFOUND : SA_ERROR, path, 0, 0,
		                    "cannot open the decision log for writing: %s", strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;
		close(fd);
		if (err == EWOULDBLOCK)
			return sa__error_at(SA_ERROR, path, 0, 0, "the decision log is locked by another writer");
		return sa__error_at(SA_ERROR, path, 0, 0, "cannot lock the decision log: %s", strerror(err));
	}
	*fd_out = fd;
	return SA_OK;
}

int sa_log_options_init(sa_log_options *opts, unsigned int version)
{
	if (!opts || version != SA_LOG_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_log_options_init: version %u is not %d", version, SA_LOG_OPTIONS_VERSION);
	*opts = (sa_log_options)SA_LOG_OPTIONS_INIT;
	return SA_OK;
}

static void log_free(sa_log *log)
{
	if (!log)
		return;
	if (log->fd >= 0)
		close(log->fd);
	free(log->path);
	free(log->key);
	free(log->salt);
	sa__keyset_free(&log->defined);
	free(log);
}

int sa_log_open(sa_log **out, const char *path, const sa_log_options *opts)
{
	sa_log *log;
	char *line = NULL;
	int rc;
	*out = NULL;
	if (!path || !*path)
		return sa__error(SA_EINVALID, "sa_log_open: no path");
	if (opts && opts->version != SA_LOG_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_log_open: options version %u is not %d", opts->version,
		                 SA_LOG_OPTIONS_VERSION);
	if (!(log = calloc(1, sizeof *log)))
		return sa__error_oom();
	log->fd = -1;
	log->opts = opts ? *opts : (sa_log_options)SA_LOG_OPTIONS_INIT;
	if ((unsigned)log->opts.fsync > SA_FSYNC_CLOSE) {
		int policy = (int)log->opts.fsync;
		log_free(log);
		return sa__error(SA_EINVALID, "sa_log_open: unknown fsync policy %d", policy);
	}
	if (!log->opts.fsync_n)
		log->opts.fsync_n = 100;
	log->opts.hmac_key_file = log->opts.redact_salt_file = NULL; /* not kept: read now */
	memset(log->prev, '0', 64);
	if (!(log->path = strdup(path))) {
		log_free(log);
		return sa__error_oom();
	}
	if (opts && opts->hmac_key_file &&
	    (rc = sa__read_key_file(&log->key, &log->keylen, opts->hmac_key_file, "HMAC key")) < 0) {
		log_free(log);
		return rc;
	}
	if (opts && opts->redact) {
		if (!opts->redact_salt_file) {
			log_free(log);
			return sa__error(SA_EINVALID, "redaction needs a secret salt file (redact_salt_file)");
		}
		if ((rc = sa__read_key_file(&log->salt, &log->saltlen, opts->redact_salt_file, "redaction salt")) < 0) {
			log_free(log);
			return rc;
		}
	}
	if ((rc = open_locked(&log->fd, path)) < 0 || (rc = last_line(&line, log->fd, &log->size, path)) < 0) {
		log_free(log);
		return rc;
	}
	if (!line) {
		/* an empty file after a rotation continues the chain of the last rotated file */
		unsigned n = highest_rotation(path);
		if (n) {
			char name[4096];
			int fd;
			uint64_t sz;
			snprintf(name, sizeof name, "%s.%u", path, n);
			if ((fd = open(name, O_RDONLY | O_CLOEXEC)) < 0) {
				log_free(log);
				return sa__error_at(SA_ERROR, name, 0, 0, "cannot read: %s", strerror(errno));
			}
			rc = last_line(&line, fd, &sz, name);
			close(fd);
			if (rc == 0 && line)
				rc = continue_from(log, line, name);
		}
	} else {
		rc = continue_from(log, line, path);
	}
	free(line);
	if (rc < 0) {
		log_free(log);
		return rc;
	}
	*out = log;
	return SA_OK;
}

/* ---- appending ---- */

static int sync_fd(sa_log *log)
{
	if (fsync(log->fd) < 0)
		return sa__error_at(SA_ERROR, log->path, 0, 0, "fsync failed: %s", strerror(errno));
	log->unsynced = 0;
	return SA_OK;
}

/* Close the current file as PATH.<N+1> and start PATH afresh; the chain goes on. */
static int rotate(sa_log *log)
{
	char name[4096];
	int fd, rc;
	if ((rc = sync_fd(log)) < 0)
		return rc;
	snprintf(name, sizeof name, "%s.%u", log->path, highest_rotation(log->path) + 1);
	if (rename(log->path, name) < 0)
		return sa__error_at(SA_ERROR, log->path, 0, 0, "cannot rotate to %s: %s", name, strerror(errno));
	if ((rc = open_locked(&fd, log->path)) < 0)
		return rc;
	close(log->fd); /* releases the old file's lock after the new one is held */
	log->fd = fd;
	log->size = 0;
	sa__keyset_free(&log->defined); /* each file defines the texts it uses */
	return SA_OK;
}

/* The parameters the rules read for d, as rows (strings borrowed from the pack set). */
static int param_rows(sa_log_row **out, const sa_decision *d)
{
	const sa_pver *ver = d->ver;
	const sa_policy *pol = ver ? ver->pol : NULL;
	sa_log_row *rows;
	*out = NULL;
	if (!pol || !d->nreads)
		return SA_OK;
	if (!(rows = calloc(d->nreads, sizeof *rows)))
		return sa__error_oom();
	for (size_t i = 0; i < d->nreads; i++) {
		const sa_peff *e = d->reads[i].eff;
		size_t layer = 0;
		const sa_pentry *v = sa__peff_at(pol, e, d->reads[i].date, &layer);
		sa_log_row *w = &rows[i];
		w->name = e->name;
		if (v) {
			w->value = v->text ? v->text : "";
			sa_date_format(w->from, sizeof w->from, v->from);
			w->pack = pol->chain[layer]->id;
		}
		w->source = v && v->ref ? v->ref : e->decl && e->decl->ref ? e->decl->ref : NULL;
		if (d->reads[i].date != d->as_of)
			sa_date_format(w->on, sizeof w->on, d->reads[i].date);
	}
	*out = rows;
	return SA_OK;
}

static void opt_str(sa_buf *b, const char *s)
{
	if (s && *s)
		sa__buf_json_str(b, s);
	else
		sa__buf_str(b, "null");
}

/* "params": [[name, value, from, pack, source key], ...], a sixth element "on" when a rule
 * read the value on another date (sa.param_at). */
static void params_json(sa_buf *b, const sa_log_row *rows, size_t n, sa_log_refs *r)
{
	sa__buf_str(b, "[");
	for (size_t i = 0; i < n; i++) {
		const sa_log_row *w = &rows[i];
		sa__buf_str(b, i ? ",[" : "[");
		sa__buf_json_str(b, w->name);
		sa__buf_str(b, ",");
		if (w->value)
			sa__buf_json_str(b, w->value);
		else
			sa__buf_str(b, "null");
		sa__buf_str(b, ",");
		opt_str(b, w->from);
		sa__buf_str(b, ",");
		opt_str(b, w->pack);
		sa__buf_str(b, ",");
		sa__log_text_ref(b, r, w->source);
		if (w->on[0]) {
			sa__buf_str(b, ",");
			sa__buf_json_str(b, w->on);
		}
		sa__buf_str(b, "]");
	}
	sa__buf_str(b, "]");
}

/* Household and decision as compact JSON (reasons' references and parameters by key and
 * row), redacted when asked. */
static int subject_json(sa_buf *b, const sa_log *log, const sa_household *hh, const sa_decision *d,
                        const sa_log_row *rows, size_t nrows, sa_log_refs *r)
{
	char *json, *ds;
	cJSON *dt;
	int rc;
	sa__buf_str(b, ",\"household\":");
	if (!log->salt) {
		sa__household_raw_json(b, hh);
	} else {
		sa_buf hb = { 0 };
		cJSON *ht;
		char *hs;
		sa__household_raw_json(&hb, hh);
		if (hb.oom)
			return sa__error_oom();
		ht = cJSON_Parse(hb.s);
		free(hb.s);
		if (!ht)
			return sa__error_oom();
		redact_household(ht, log);
		hs = cJSON_PrintUnformatted(ht);
		cJSON_Delete(ht);
		if (!hs)
			return sa__error_oom();
		sa__buf_str(b, hs);
		free(hs);
	}
	if (!log->salt) {
		if ((rc = sa__log_decision_json(&json, d, rows, nrows, r)) < 0)
			return rc;
		sa__buf_str(b, ",\"decision\":");
		sa__buf_str(b, json);
		sa_free(json);
		return SA_OK;
	}
	if ((rc = sa_decision_to_json(&json, d, SA_JSON_NO_REASONS)) < 0)
		return rc;
	dt = cJSON_Parse(json);
	sa_free(json);
	if (!dt)
		return sa__error_oom();
	redact_decision(dt, log);
	ds = cJSON_PrintUnformatted(dt);
	cJSON_Delete(dt);
	if (!ds)
		return sa__error_oom();
	sa__buf_str(b, ",\"decision\":");
	sa__buf_str(b, ds);
	free(ds);
	return SA_OK;
}

/* The decision part of a record: "pack":{...},...,"params":[...] (no braces), followed by
 * the texts it uses ("\x01" key text, for sa__log_write_body to define those its file lacks).
 * Thread-safe: reads only the log's salt, so screening workers build bodies in parallel. */
int sa__log_body(char **out, size_t *len, const sa_log *log, const sa_household *hh, const sa_decision *d)
{
	sa_buf b = { 0 };
	sa_log_refs r = { 0 };
	sa_log_row *rows = NULL;
	char date[16];
	const sa_pver *ver = d->ver;
	const sa_pack *leaf = ver ? sa__policy_leaf(ver->pol) : NULL;
	size_t nrows = ver && ver->pol ? d->nreads : 0;
	int rc;
	*out = NULL;
	*len = 0;
	if ((rc = param_rows(&rows, d)) < 0)
		return rc;
	sa_date_format(date, sizeof date, d->as_of);
	sa__buf_str(&b, "\"pack\":{\"id\":");
	sa__buf_json_str(&b, d->pack_id ? d->pack_id : "");
	sa__buf_str(&b, ",\"version\":");
	if (leaf && leaf->version)
		sa__buf_json_str(&b, leaf->version);
	else
		sa__buf_str(&b, "null");
	sa__buf_fmt(&b, ",\"hash\":\"%s\"},\"as_of\":\"%s\",\"redacted\":%s", d->hash, date,
	            log->salt ? "true" : "false");
	if ((rc = subject_json(&b, log, hh, d, rows, nrows, &r)) < 0)
		goto fail;
	sa__buf_str(&b, ",\"params\":");
	params_json(&b, rows, nrows, &r);
	if (r.defs.n)
		sa__buf_add(&b, r.defs.s, r.defs.n);
	if (b.oom || r.defs.oom) {
		rc = sa__error_oom();
		goto fail;
	}
	free(rows);
	sa__log_refs_free(&r);
	*out = b.s;
	*len = b.n;
	return SA_OK;
fail:
	free(rows);
	sa__log_refs_free(&r);
	free(b.s);
	return rc;
}

/* The "texts" member for the keys of defs (body's tail) not yet defined in the file;
 * their key values into *added (to mark once the record is written). */
static int texts_json(sa_buf *b, const sa_log *log, const char *defs, size_t n, uint64_t **added, size_t *nadded)
{
	const char *p = defs, *end = defs + n;
	size_t count = 0;
	*added = NULL;
	*nadded = 0;
	for (const char *q = p; q < end; q++)
		count += *q == '\x01';
	if (!count)
		return SA_OK;
	if (!(*added = malloc(count * sizeof **added)))
		return sa__error_oom();
	while (p < end && *p == '\x01') {
		const char *next = memchr(p + 1, '\x01', (size_t)(end - p - 1));
		char key[17];
		uint64_t v;
		if (!next)
			next = end;
		if (next - p < 19)
			break; /* cannot happen: key and a quoted text */
		memcpy(key, p + 1, 16);
		key[16] = 0;
		v = strtoull(key, NULL, 16);
		if (v == 0)
			v = 1;
		if (!sa__keyset_has(&log->defined, v)) {
			sa__buf_str(b, *nadded ? "," : ",\"texts\":{");
			sa__buf_fmt(b, "\"%s\":", key);
			sa__buf_add(b, p + 17, (size_t)(next - p - 17));
			(*added)[(*nadded)++] = v;
		}
		p = next;
	}
	if (*nadded)
		sa__buf_str(b, "}");
	return SA_OK;
}

/* Seal a body into the next record (seq, time, previous hash; hash and HMAC) and write it. */
int sa__log_write_body(sa_log *log, const char *body, size_t body_len, uint64_t *seq_out)
{
	sa_buf b = { 0 };
	char hash[65], mac[65], when[80];
	struct timespec ts;
	struct tm tm;
	ssize_t k;
	size_t done = 0, nadded = 0;
	uint64_t *added = NULL;
	int rc;

	if (!log || !body)
		return sa__error(SA_EINVALID, "sa_log_append: NULL argument");
	if (log->fd < 0)
		return sa__error(SA_EINVALID, "sa_log_append: the log is broken after an earlier write error");
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(ts.tv_nsec / 1000000 % 1000));
	{
		const char *tail = memchr(body, '\x01', body_len);
		size_t main_len = tail ? (size_t)(tail - body) : body_len;
		/* twice at most: a rotation starts a file where no text is defined yet */
		for (int pass = 0; pass < 2; pass++) {
			b.n = 0;
			free(added);
			added = NULL;
			sa__buf_fmt(&b, "{\"format\":\"%s\",\"seq\":%llu,\"time\":\"%s\",\"prev\":\"%s\",", SA_LOG_FORMAT,
			            (unsigned long long)(log->seq + 1), when, log->prev);
			sa__buf_add(&b, body, main_len);
			if (tail && (rc = texts_json(&b, log, tail, body_len - main_len, &added, &nadded)) < 0) {
				free(b.s);
				return rc;
			}
			sa__buf_str(&b, "}");
			if (b.oom) {
				free(b.s);
				free(added);
				return sa__error_oom();
			}
			sa__sha256_hex(hash, b.s, b.n);
			if (log->key)
				sa__hmac_hex(mac, log->key, log->keylen, b.s, b.n);
			b.n--; /* drop the closing brace: the hash (and HMAC) close the record */
			sa__buf_fmt(&b, ",\"hash\":\"%s\"", hash);
			if (log->key)
				sa__buf_fmt(&b, ",\"hmac\":\"%s\"", mac);
			sa__buf_str(&b, "}\n");
			if (b.oom) {
				free(b.s);
				free(added);
				return sa__error_oom();
			}
			if (pass || !(log->opts.rotate_bytes && log->size > 0 && log->size + b.n > log->opts.rotate_bytes))
				break;
			if ((rc = rotate(log)) < 0) {
				free(b.s);
				free(added);
				return rc;
			}
		}
	}
	while (done < b.n) {
		k = write(log->fd, b.s + done, b.n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int err = errno;
			free(added);
			/* nothing half-written stays: cut the file back to the last whole record */
			if (ftruncate(log->fd, (off_t)log->size) < 0) {
				close(log->fd);
				log->fd = -1;
			}
			free(b.s);
			return sa__error_at(SA_ERROR, log->path, 0, 0, "cannot write the record: %s", strerror(err));
		}
		done += (size_t)k;
	}
	free(b.s);
	for (size_t i = 0; i < nadded; i++)
		if (sa__keyset_add(&log->defined, added[i]) < 0) { /* only a cost: defined again later */
			sa__keyset_free(&log->defined);
			break;
		}
	free(added);
	log->size += done;
	log->seq++;
	memcpy(log->prev, hash, 65);
	log->unsynced++;
	if (log->opts.fsync == SA_FSYNC_EVERY ||
	    (log->opts.fsync == SA_FSYNC_EVERY_N && log->unsynced >= log->opts.fsync_n)) {
		if ((rc = sync_fd(log)) < 0)
			return rc;
	}
	if (seq_out)
		*seq_out = log->seq;
	return SA_OK;
}

int sa_log_append(uint64_t *seq_out, sa_log *log, const sa_household *hh, const sa_decision *d)
{
	char *body;
	size_t len;
	int rc;
	if (!log || !hh || !d)
		return sa__error(SA_EINVALID, "sa_log_append: NULL argument");
	if ((rc = sa__log_body(&body, &len, log, hh, d)) < 0)
		return rc;
	rc = sa__log_write_body(log, body, len, seq_out);
	free(body);
	return rc;
}

int sa_log_close(sa_log *log)
{
	int rc = SA_OK;
	if (!log)
		return SA_OK;
	if (log->fd >= 0 && log->unsynced)
		rc = sync_fd(log);
	log_free(log);
	return rc;
}
