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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ---- */

/* The key of text: 16 hex digits of its SHA-256; *v the same 64 bits as a number (never 0). */
static void text_key(char key[17], uint64_t *v, const char *text)
{
	char hex[65];
	sa__sha256_hex(hex, text, strlen(text));
	memcpy(key, hex, 16);
	key[16] = 0;
	*v = strtoull(key, NULL, 16);
	if (*v == 0)
		*v = 1;
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
	text_key(key, &v, text);
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

/* The same for a cJSON string item: replaced by its key. */
static int ref_item(cJSON *parent, const char *name, sa_log_refs *r)
{
	cJSON *it = cJSON_GetObjectItemCaseSensitive(parent, name);
	sa_buf k = { 0 };
	cJSON *s;
	if (!cJSON_IsString(it))
		return SA_OK;
	sa__log_text_ref(&k, r, it->valuestring);
	if (k.oom || k.n < 2) {
		free(k.s);
		return sa__error_oom();
	}
	k.s[k.n - 1] = 0; /* drop the quotes */
	s = cJSON_CreateString(k.s + 1);
	free(k.s);
	if (!s || !cJSON_ReplaceItemInObjectCaseSensitive(parent, name, s)) {
		cJSON_Delete(s);
		return sa__error_oom();
	}
	return SA_OK;
}

static bool same_text(const cJSON *v, const char *s)
{
	if (!s)
		return cJSON_IsNull(v);
	return cJSON_IsString(v) && strcmp(v->valuestring, s) == 0;
}

/* The decision tree made compact in place: each reason's ref by key, each reason parameter
 * that equals row i of the record's params (same name, value, date, pack and document, read
 * on the decision's date) by i, any other by an object with its ref by key. */
int sa__log_compact_decision(cJSON *dec, const sa_log_row *rows, size_t nrows, sa_log_refs *r)
{
	cJSON *p, *reason, *prm;
	int rc;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(dec, "programs"))
		cJSON_ArrayForEach(reason, cJSON_GetObjectItemCaseSensitive(p, "reasons")) {
			cJSON *params = cJSON_GetObjectItemCaseSensitive(reason, "params");
			int idx = 0;
			if ((rc = ref_item(reason, "ref", r)) < 0)
				return rc;
			for (prm = params ? params->child : NULL; prm; idx++) {
				cJSON *next = prm->next;
				const cJSON *name = cJSON_GetObjectItemCaseSensitive(prm, "name");
				size_t i;
				for (i = 0; cJSON_IsString(name) && i < nrows; i++) {
					const sa_log_row *w = &rows[i];
					if (!w->on[0] && strcmp(w->name, name->valuestring) == 0 &&
					    same_text(cJSON_GetObjectItemCaseSensitive(prm, "value"), w->value) &&
					    same_text(cJSON_GetObjectItemCaseSensitive(prm, "from"), w->from[0] ? w->from : NULL) &&
					    same_text(cJSON_GetObjectItemCaseSensitive(prm, "pack"), w->pack) &&
					    same_text(cJSON_GetObjectItemCaseSensitive(prm, "ref"), w->source))
						break;
				}
				if (cJSON_IsString(name) && i < nrows) {
					cJSON *n = cJSON_CreateNumber((double)i);
					if (!n || !cJSON_ReplaceItemInArray(params, idx, n)) {
						cJSON_Delete(n);
						return sa__error_oom();
					}
				} else if ((rc = ref_item(prm, "ref", r)) < 0)
					return rc;
				prm = next;
			}
		}
	return SA_OK;
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
