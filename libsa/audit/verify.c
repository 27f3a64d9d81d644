/* verify.c - sa_log_verify: every record's hash, the chain, sequence numbers and HMACs. */
#include "audit/audit_internal.h"
#include "audit/log_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sa__log_check_format(const char *line, size_t len, const char *path, int lineno)
{
	static const char want[] = "{\"format\":\"" SA_LOG_FORMAT "\",";
	static const char want1[] = "{\"format\":\"" SA_LOG_FORMAT_1 "\",";
	static const char pre[] = "{\"format\":\"";
	char where[64];
	if (lineno)
		snprintf(where, sizeof where, "line %d", lineno);
	else
		snprintf(where, sizeof where, "the last record");
	if (len >= sizeof want - 1 && memcmp(line, want, sizeof want - 1) == 0)
		return 2;
	if (len >= sizeof want1 - 1 && memcmp(line, want1, sizeof want1 - 1) == 0)
		return 1;
	if (len > sizeof pre - 1 && memcmp(line, pre, sizeof pre - 1) == 0) {
		const char *s = line + sizeof pre - 1, *e = memchr(s, '"', len - (sizeof pre - 1));
		int n = e ? (int)(e - s) : 0;
		if (n > 40)
			n = 40;
		return sa__error_at(SA_EINVALID, path, lineno, 0,
		                    "%s is of log format '%.*s'; this libsa writes '%s' and reads '%s' and '%s'", where,
		                    n, s, SA_LOG_FORMAT, SA_LOG_FORMAT, SA_LOG_FORMAT_1);
	}
	return sa__error_at(SA_EINVALID, path, lineno, 0, "%s is not a decision-log record (no \"format\" first)", where);
}

typedef struct {
	sa_buf out;
	sa_log_report c;
	const unsigned char *key;
	size_t keylen;
	char prev[65];
	uint64_t seq;     /* last good sequence number; 0 before the first */
	int started;
	sa_log_texts *texts; /* sa-log/2: the texts the current file defined so far */
} vstate;

/* Check one record. Returns SA_OK, or SA_EINVALID with the reason written to v->out. */
static int check_line(vstate *v, const char *path, int lineno, char *line, size_t len)
{
	size_t body;
	char hash[65], hmac[65], check[65];
	cJSON *t;
	const cJSON *seq, *prev;
	uint64_t s;
	int rc = SA_EINVALID, format;
	if ((format = sa__log_check_format(line, len, path, lineno)) < 0) {
		sa__buf_fmt(&v->out, "%s:%d: %s\n", path, lineno, sa_error_last()->message);
		return SA_EINVALID;
	}
	if (sa__log_split(line, len, &body, hash, hmac) < 0) {
		sa__buf_fmt(&v->out, "%s:%d: BAD record: no hash at its end (damaged or edited)\n", path, lineno);
		return SA_EINVALID;
	}
	{
		char save = line[body];
		line[body] = '}';
		sa__sha256_hex(check, line, body + 1);
		if (v->key && hmac[0]) {
			char mac[65];
			sa__hmac_hex(mac, v->key, v->keylen, line, body + 1);
			if (strcmp(mac, hmac) != 0) {
				line[body] = save;
				sa__buf_fmt(&v->out, "%s:%d: BAD record: its HMAC does not match (edited, or another key)\n",
				            path, lineno);
				return SA_EINVALID;
			}
		}
		t = cJSON_ParseWithLength(line, body + 1);
		line[body] = save;
	}
	if (strcmp(check, hash) != 0) {
		sa__buf_fmt(&v->out, "%s:%d: BAD record: its content does not match its hash (edited)\n", path, lineno);
		goto out;
	}
	if (v->key && !hmac[0]) {
		sa__buf_fmt(&v->out, "%s:%d: BAD record: no HMAC, but a key was given\n", path, lineno);
		goto out;
	}
	seq = cJSON_GetObjectItemCaseSensitive(t, "seq");
	prev = cJSON_GetObjectItemCaseSensitive(t, "prev");
	if (!t || !cJSON_IsNumber(seq) || seq->valuedouble < 1 || !cJSON_IsString(prev) ||
	    strlen(prev->valuestring) != 64) {
		sa__buf_fmt(&v->out, "%s:%d: BAD record: no sequence number or previous hash\n", path, lineno);
		goto out;
	}
	s = (uint64_t)seq->valuedouble;
	if (!v->started) {
		/* the chain starts at seq 1 from 64 zeros; a rotated file is verified after the ones
		 * before it (PATH.1 ... PATH), so a missing start is a removal */
		int zeros = strspn(prev->valuestring, "0") == 64;
		if (s != 1 || !zeros) {
			sa__buf_fmt(&v->out, "%s:%d: BAD record: the chain starts at seq %llu%s (records before it were "
			            "removed, or give the rotated files before this one first)\n", path, lineno,
			            (unsigned long long)s, zeros ? "" : " naming a previous record");
			goto out;
		}
		v->started = 1;
	} else {
		if (s != v->seq + 1) {
			sa__buf_fmt(&v->out, "%s:%d: BAD record: seq %llu follows seq %llu (%s)\n", path, lineno,
			            (unsigned long long)s, (unsigned long long)v->seq,
			            s <= v->seq ? "reordered or inserted" : "records removed");
			goto out;
		}
		if (strcmp(prev->valuestring, v->prev) != 0) {
			sa__buf_fmt(&v->out, "%s:%d: BAD record: seq %llu does not name the record before it "
			            "(removed, inserted or reordered)\n", path, lineno, (unsigned long long)s);
			goto out;
		}
	}
	/* a text is stored under the first 16 hex digits of its SHA-256: a text that does not hash
	 * to its key was written wrong (the chain vouches only that it was written so) */
	if (format == 2 && sa__log_texts_add(v->texts, t, path, lineno) < 0) {
		sa__buf_fmt(&v->out, "%s:%d: BAD record: %s\n", path, lineno, sa_error_last()->message);
		goto out;
	}
	v->seq = s;
	memcpy(v->prev, hash, 65);
	v->c.records++;
	rc = SA_OK;
out:
	cJSON_Delete(t);
	return rc;
}

static int verify_file(vstate *v, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = SA_OK;
	if (!f) {
		sa__buf_fmt(&v->out, "%s: cannot read: %s\n", path, strerror(errno));
		return sa__error_at(SA_ENOTFOUND, path, 0, 0, "cannot read: %s", strerror(errno));
	}
	sa__log_texts_free(v->texts); /* each file defines its own texts (docs/audit.md) */
	if (!(v->texts = sa__log_texts_new())) {
		fclose(f);
		return sa__error_oom();
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] != '\n') {
			/* a write cut short (kill -9, power loss): never counted as a record */
			v->c.truncated = 1;
			v->c.bad_line = (uint64_t)lineno;
			sa__buf_fmt(&v->out, "%s:%d: TRUNCATED: the last record is incomplete (%zd bytes, no newline); "
			            "a write was cut short\n", path, lineno, n);
			rc = sa__error_at(SA_EINVALID, path, lineno, 0, "the last record is truncated");
			break;
		}
		if ((rc = check_line(v, path, lineno, line, (size_t)n - 1)) < 0) {
			v->c.bad_line = (uint64_t)lineno;
			rc = sa__error_at(SA_EINVALID, path, lineno, 0, "bad record");
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

int sa_log_verify(char **report, sa_log_report *counts, const char *const *paths, size_t npaths,
                  const char *hmac_key_file)
{
	vstate v = { 0 };
	unsigned char *key = NULL;
	int rc = SA_OK;
	*report = NULL;
	if (counts)
		memset(counts, 0, sizeof *counts);
	if (!paths || npaths == 0)
		return sa__error(SA_EINVALID, "sa_log_verify: no file");
	if (hmac_key_file && (rc = sa__read_key_file(&key, &v.keylen, hmac_key_file, "HMAC key")) < 0)
		return rc;
	v.key = key;
	for (size_t i = 0; i < npaths && rc == SA_OK; i++)
		rc = verify_file(&v, paths[i]);
	if (rc == SA_OK)
		sa__buf_fmt(&v.out, "OK: %llu records, seq %llu to %llu, chain intact%s; last hash %s\n",
		            (unsigned long long)v.c.records,
		            (unsigned long long)(v.c.records ? v.seq - v.c.records + 1 : 0), (unsigned long long)v.seq,
		            key ? ", every HMAC good" : "", v.c.records ? v.prev : "-");
	else
		sa__buf_fmt(&v.out, "FAILED: %llu records good before the first bad one\n",
		            (unsigned long long)v.c.records);
	free(key);
	sa__log_texts_free(v.texts);
	if (counts)
		*counts = v.c;
	if (v.out.oom) {
		free(v.out.s);
		return sa__error_oom();
	}
	*report = v.out.s;
	if (rc < 0) {
		/* keep the first bad record's position as the error */
		return rc;
	}
	return SA_OK;
}
