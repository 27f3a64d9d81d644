/* log_compact.c - what makes an sa-log/2 record compact (docs/audit.md "The record format").
 *
 * The long texts a record repeats from record to record -- each parameter's source document
 * and each reason's reference -- are written as a key, 16 hex digits of the text's SHA-256;
 * a record that uses a key not yet defined in its file carries the text in "texts". A
 * reason's parameters, which repeat rows of the record's "params", are written as the row's
 * index. Keys are content hashes, so a definition written twice (a writer that continued a
 * file it had not written) is harmless, and a reader can check every definition. */
#include "audit/audit_internal.h"
#include "audit/log_format.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ---- */

/* SHA-256 fetched once: EVP_sha256() in EVP_Digest looks the algorithm up on every call,
 * which costs more than hashing a short text (OpenSSL 3). Never freed: one per process. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* The key of text: 16 hex digits of its SHA-256; *v the same 64 bits as a number (never 0).
 * ctx (may be NULL) is reused from key to key: allocating one per text costs as much again. */
static void text_key_ctx(char key[17], uint64_t *v, const char *text, EVP_MD_CTX *ctx)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	uint64_t x = 0;
	const EVP_MD *type;
	pthread_once(&sha256_once, fetch_sha256);
	type = sha256_md ? sha256_md : EVP_sha256();
	if (ctx ? !(EVP_DigestInit_ex2(ctx, type, NULL) && EVP_DigestUpdate(ctx, text, strlen(text)) &&
	            EVP_DigestFinal_ex(ctx, md, &n))
	        : !EVP_Digest(text, strlen(text), md, &n, type, NULL))
		n = 0;
	if (n < 8)
		memset(md, 0, 8);
	for (int i = 0; i < 8; i++) {
		key[2 * i] = hex[md[i] >> 4];
		key[2 * i + 1] = hex[md[i] & 15];
		x = x << 8 | md[i];
	}
	key[16] = 0;
	*v = x ? x : 1;
}

static void text_key(char key[17], uint64_t *v, const char *text)
{
	text_key_ctx(key, v, text, NULL);
}

void sa__log_refs_free(sa_log_refs *r)
{
	free(r->defs.s);
	sa__keyset_free(&r->seen);
	EVP_MD_CTX_free(r->ctx);
	memset(r, 0, sizeof *r);
}

static int key_value(uint64_t *v, const char *key)
{
	char *end;
	if (strlen(key) != 16 || strspn(key, "0123456789abcdef") != 16)
		return -1;
	*v = strtoull(key, &end, 16);
	if (*v == 0)
		*v = 1;
	return 0;
}

/* ---- a set of keys (writer: defined in the current file) ---- */

static size_t slot(uint64_t v, size_t cap)
{
	return (size_t)((v * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

bool sa__keyset_has(const sa_keyset *s, uint64_t v)
{
	if (!s->cap)
		return false;
	for (size_t i = slot(v, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (s->k[i] == v)
			return true;
		if (s->k[i] == 0)
			return false;
	}
}

int sa__keyset_add(sa_keyset *s, uint64_t v)
{
	if (sa__keyset_has(s, v))
		return SA_OK;
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *k = calloc(cap, sizeof *k);
		if (!k)
			return sa__error_oom();
		for (size_t i = 0; i < s->cap; i++)
			if (s->k[i]) {
				size_t j = slot(s->k[i], cap);
				while (k[j])
					j = (j + 1) & (cap - 1);
				k[j] = s->k[i];
			}
		free(s->k);
		s->k = k;
		s->cap = cap;
	}
	{
		size_t i = slot(v, s->cap);
		while (s->k[i])
			i = (i + 1) & (s->cap - 1);
		s->k[i] = v;
		s->n++;
	}
	return SA_OK;
}

void sa__keyset_free(sa_keyset *s)
{
	free(s->k);
	memset(s, 0, sizeof *s);
}

/* ---- writing: texts a record uses ---- */

/* Write text's key into b and note the text in r->defs (once per record): "\x01" key text
 * (JSON-escaped, so it holds no control character). */
void sa__log_text_ref(sa_buf *b, sa_log_refs *r, const char *text)
{
	char key[17];
	uint64_t v;
	if (!text) {
		sa__buf_str(b, "null");
		return;
	}
	if (!r->ctx)
		r->ctx = EVP_MD_CTX_new(); /* NULL: text_key_ctx does without */
	text_key_ctx(key, &v, text, r->ctx);
	sa__buf_fmt(b, "\"%s\"", key);
	if (sa__keyset_has(&r->seen, v))
		return;
	if (sa__keyset_add(&r->seen, v) < 0) {
		b->oom = 1;
		return;
	}
	sa__buf_add(&r->defs, "\x01", 1);
	sa__buf_str(&r->defs, key);
	sa__buf_json_str(&r->defs, text);
}

typedef struct {
	const sa_log_row *rows;
	size_t nrows;
	sa_log_refs *r;
} hooks_ud;

static void hook_ref(void *ud, sa_buf *b, const char *text)
{
	sa__log_text_ref(b, ((hooks_ud *)ud)->r, text);
}

/* Equal as the record would show them: NULL is null, any text itself. */
static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The params row equal to reason parameter p (same name, value, date, pack and document,
 * read on the decision's date), or -1. */
static long hook_param(void *ud, const sa_rparam *p)
{
	const hooks_ud *u = ud;
	for (size_t i = 0; p->name && i < u->nrows; i++) {
		const sa_log_row *w = &u->rows[i];
		if (!w->on[0] && strcmp(w->name, p->name) == 0 && w->value && p->value && strcmp(w->value, p->value) == 0 &&
		    same(w->from[0] ? w->from : NULL, p->from) && same(w->pack, p->pack) && same(w->source, p->ref))
			return (long)i;
	}
	return -1;
}

/* The decision as the log keeps it: each reason's ref by key, each reason parameter that
 * equals row i of the record's params by i, any other in full with its ref by key. */
int sa__log_decision_json(char **out, const sa_decision *d, const sa_log_row *rows, size_t nrows, sa_log_refs *r)
{
	hooks_ud u = { rows, nrows, r };
	sa_json_hooks h = { hook_ref, hook_param, &u };
	return sa__decision_to_json_hooked(out, d, 0, &h);
}

/* ---- reading: the texts of a file ---- */

typedef struct {
	uint64_t k;
	char *text;
} entry;

struct sa_log_texts {
	entry *e;
	size_t n, cap;
};

static const char *texts_get(const sa_log_texts *t, uint64_t v)
{
	if (!t || !t->cap)
		return NULL;
	for (size_t i = slot(v, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->e[i].k == v)
			return t->e[i].text;
		if (t->e[i].k == 0)
			return NULL;
	}
}

static int texts_put(sa_log_texts *t, uint64_t v, const char *text)
{
	size_t i;
	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		entry *e = calloc(cap, sizeof *e);
		if (!e)
			return sa__error_oom();
		for (size_t j = 0; j < t->cap; j++)
			if (t->e[j].k) {
				size_t s = slot(t->e[j].k, cap);
				while (e[s].k)
					s = (s + 1) & (cap - 1);
				e[s] = t->e[j];
			}
		free(t->e);
		t->e = e;
		t->cap = cap;
	}
	for (i = slot(v, t->cap); t->e[i].k; i = (i + 1) & (t->cap - 1))
		;
	if (!(t->e[i].text = strdup(text)))
		return sa__error_oom();
	t->e[i].k = v;
	t->n++;
	return SA_OK;
}

sa_log_texts *sa__log_texts_new(void)
{
	sa_log_texts *t = calloc(1, sizeof *t);
	if (!t)
		sa__error_oom();
	return t;
}

void sa__log_texts_free(sa_log_texts *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		free(t->e[i].text);
	free(t->e);
	free(t);
}

/* Take the definitions of a record's "texts" (each checked against its key). */
int sa__log_texts_add(sa_log_texts *t, const cJSON *rec, const char *path, int lineno)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(rec, "texts")) {
		char key[17];
		uint64_t v, want;
		const char *had;
		int rc;
		if (!cJSON_IsString(it) || key_value(&v, it->string) < 0)
			return sa__error_at(SA_EINVALID, path, lineno, 0, "texts: '%s' is not a text key", it->string);
		text_key(key, &want, it->valuestring);
		if (want != v)
			return sa__error_at(SA_EINVALID, path, lineno, 0, "texts: the text of key %s does not hash to it",
			                    it->string);
		if ((had = texts_get(t, v)))
			continue; /* the same text again (keys are content hashes) */
		if ((rc = texts_put(t, v, it->valuestring)) < 0)
			return rc;
	}
	return SA_OK;
}

/* A key (or null) back to its text as a new cJSON item. */
static int text_of(cJSON **out, const cJSON *v, const sa_log_texts *t, const char *path, int lineno)
{
	uint64_t k;
	const char *text;
	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		*out = cJSON_CreateNull();
	} else {
		if (!cJSON_IsString(v) || key_value(&k, v->valuestring) < 0)
			return sa__error_at(SA_EINVALID, path, lineno, 0, "a text key is not 16 hex digits");
		if (!(text = texts_get(t, k)))
			return sa__error_at(SA_EINVALID, path, lineno, 0,
			                    "text key %s is not defined by this record or one before it in the file "
			                    "(a record removed? run sa log verify)", v->valuestring);
		*out = cJSON_CreateString(text);
	}
	return *out ? SA_OK : sa__error_oom();
}

static int expand_ref(cJSON *obj, const char *name, const sa_log_texts *t, const char *path, int lineno)
{
	cJSON *v;
	int rc;
	if (!cJSON_GetObjectItemCaseSensitive(obj, name))
		return SA_OK;
	if ((rc = text_of(&v, cJSON_GetObjectItemCaseSensitive(obj, name), t, path, lineno)) < 0)
		return rc;
	if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, name, v)) {
		cJSON_Delete(v);
		return sa__error_oom();
	}
	return SA_OK;
}

/* Row i of params ([name, value, from, pack, source key, on?]) as a reason parameter. */
static int row_param(cJSON **out, const cJSON *params, int i, const sa_log_texts *t, const char *path, int lineno)
{
	const cJSON *row = cJSON_GetArrayItem(params, i);
	cJSON *o, *src;
	int rc;
	*out = NULL;
	if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) < 5 || !cJSON_IsString(cJSON_GetArrayItem(row, 0)))
		return sa__error_at(SA_EINVALID, path, lineno, 0, "a reason names params row %d, which is not there", i);
	if ((rc = text_of(&src, cJSON_GetArrayItem(row, 4), t, path, lineno)) < 0)
		return rc;
	if (!(o = cJSON_CreateObject()) ||
	    !cJSON_AddItemToObject(o, "name", cJSON_Duplicate(cJSON_GetArrayItem(row, 0), 1)) ||
	    !cJSON_AddItemToObject(o, "value", cJSON_Duplicate(cJSON_GetArrayItem(row, 1), 1)) ||
	    !cJSON_AddItemToObject(o, "from", cJSON_Duplicate(cJSON_GetArrayItem(row, 2), 1)) ||
	    !cJSON_AddItemToObject(o, "pack", cJSON_Duplicate(cJSON_GetArrayItem(row, 3), 1)) ||
	    !cJSON_AddItemToObject(o, "ref", src)) {
		cJSON_Delete(o);
		return sa__error_oom();
	}
	*out = o;
	return SA_OK;
}

/* An sa-log/2 record's decision back to the form sa_decision_to_json writes (in place). */
int sa__log_expand_decision(cJSON *dec, const cJSON *params, const sa_log_texts *t, const char *path, int lineno)
{
	cJSON *p, *reason;
	int rc;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(dec, "programs"))
		cJSON_ArrayForEach(reason, cJSON_GetObjectItemCaseSensitive(p, "reasons")) {
			cJSON *list = cJSON_GetObjectItemCaseSensitive(reason, "params"), *prm;
			int idx = 0;
			if ((rc = expand_ref(reason, "ref", t, path, lineno)) < 0)
				return rc;
			for (prm = list ? list->child : NULL; prm; idx++) {
				cJSON *next = prm->next;
				if (cJSON_IsNumber(prm)) {
					cJSON *o;
					if ((rc = row_param(&o, params, prm->valueint, t, path, lineno)) < 0)
						return rc;
					if (!cJSON_ReplaceItemInArray(list, idx, o)) {
						cJSON_Delete(o);
						return sa__error_oom();
					}
				} else if ((rc = expand_ref(prm, "ref", t, path, lineno)) < 0)
					return rc;
				prm = next;
			}
		}
	return SA_OK;
}
