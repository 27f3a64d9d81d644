/* replay.c - sa replay: re-evaluate every logged decision under the archived pack version it
 * names and report each difference (docs/audit.md). */
#include "audit/audit_internal.h"
#include "audit/log_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	char hash[65];
	sa_engine *e;
} cached;

/* An engine for version `hash` of pack `id` from the archive (cached per hash). */
static int engine_for(sa_engine **out, cached **cache, size_t *n, const char *dir, const char *id, const char *hash,
                      const char *where)
{
	char path[4096];
	struct stat st;
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	cached *c;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*cache)[i].hash, hash) == 0) {
			*out = (*cache)[i].e;
			return SA_OK;
		}
	snprintf(path, sizeof path, "%s/%s", dir, hash);
	if (strlen(hash) != 64 || strspn(hash, "0123456789abcdef") != 64 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return sa__error(SA_ENOTFOUND, "%s: pack version %s (pack %s) is not in the archive %s "
		                 "(sa pack archive %s --to %s, from the packs of that time)", where, hash, id, dir, id, dir);
	o.pack_path = path;
	if (sa_engine_new(&e, &o) < 0)
		return SA_ENOMEM;
	if (sa_engine_load(e, id) < 0) {
		int rc = sa_error_last()->code;
		sa__error(rc, "%s: archived version %s of pack %s does not load: %s", where, hash, id, sa_error_last()->message);
		sa_engine_free(e);
		return rc;
	}
	if (strcmp(sa_engine_pack_hash(e), hash) != 0) {
		sa__error(SA_EINVALID, "%s: the archive's copy %s has content hash %s: the archive was changed", where, path,
		          sa_engine_pack_hash(e));
		sa_engine_free(e);
		return SA_EINVALID;
	}
	if (!(c = realloc(*cache, (*n + 1) * sizeof **cache))) {
		sa_engine_free(e);
		return sa__error_oom();
	}
	*cache = c;
	memcpy(c[*n].hash, hash, 65);
	c[*n].e = e;
	(*n)++;
	*out = e;
	return SA_OK;
}

static const char *str_at(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Replay one record; differences are written to rep. Returns SA_OK (same), 1 (differs) or an error. */
static int replay_one(sa_buf *rep, cached **cache, size_t *ncache, sa_log_texts *texts, const char *dir,
                      const char *path, int lineno, const char *line, size_t len)
{
	char where[4200], *htext = NULL;
	cJSON *rec, *now = NULL, *diff = NULL;
	const cJSON *pack, *hh, *dec, *seq;
	const char *id, *hash, *as_of_text;
	sa_engine *e = NULL;
	sa_household **hs = NULL;
	size_t nh = 0;
	sa_decision *d = NULL;
	sa_date as_of;
	bool redacted;
	int rc, version;
	snprintf(where, sizeof where, "%s:%d", path, lineno);
	if ((version = sa__log_check_format(line, len, path, lineno)) < 0)
		return SA_EINVALID;
	if (!(rec = cJSON_ParseWithLength(line, len)))
		return sa__error_at(SA_EINVALID, path, lineno, 0, "the record is not JSON (damaged; run sa log verify)");
	/* sa-log/2: the texts this record defines, then its decision in full (log_compact.c) */
	if (version == 2 && (rc = sa__log_texts_add(texts, rec, path, lineno)) < 0) {
		cJSON_Delete(rec);
		return rc;
	}
	pack = cJSON_GetObjectItemCaseSensitive(rec, "pack");
	hh = cJSON_GetObjectItemCaseSensitive(rec, "household");
	dec = cJSON_GetObjectItemCaseSensitive(rec, "decision");
	seq = cJSON_GetObjectItemCaseSensitive(rec, "seq");
	id = str_at(pack, "id");
	hash = str_at(pack, "hash");
	as_of_text = str_at(rec, "as_of");
	if (!id || !hash || !cJSON_IsObject(hh) || !cJSON_IsObject(dec) || !as_of_text ||
	    sa_date_parse(&as_of, as_of_text) < 0) {
		cJSON_Delete(rec);
		return sa__error_at(SA_EINVALID, path, lineno, 0, "the record lacks its pack, date, household or decision");
	}
	if (version == 2 && (rc = sa__log_expand_decision((cJSON *)dec, cJSON_GetObjectItemCaseSensitive(rec, "params"),
	                                                  texts, path, lineno)) < 0)
		goto out;
	if ((rc = engine_for(&e, cache, ncache, dir, id, hash, where)) < 0)
		goto out;
	{
		cJSON *wrap = cJSON_CreateObject();
		if (!wrap || !cJSON_AddItemToObject(wrap, "household", cJSON_Duplicate(hh, 1)) ||
		    !(htext = cJSON_PrintUnformatted(wrap))) {
			cJSON_Delete(wrap);
			rc = sa__error_oom();
			goto out;
		}
		cJSON_Delete(wrap);
	}
	if ((rc = sa_household_parse(&hs, &nh, htext, strlen(htext), where)) < 0 || nh != 1) {
		if (rc >= 0)
			rc = sa__error_at(SA_EINVALID, path, lineno, 0, "the record's household does not read back");
		goto out;
	}
	if ((rc = sa_evaluate(&d, e, hs[0], as_of)) < 0) {
		sa__buf_fmt(rep, "%s (seq %.0f): cannot re-evaluate: %s\n", where, cJSON_IsNumber(seq) ? seq->valuedouble : 0.0,
		            sa_error_last()->message);
		rc = 1;
		goto out;
	}
	/* the whole decision: tier, circle, statuses, amounts, parts, members, margins, missing facts
	 * and each reason's id, text, reference and parameters. A redacted record has no reasons
	 * (their text names members): there the reasons are the one part not compared. */
	redacted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "redacted"));
	if (!(now = sa__decision_tree_ex(d, !redacted)) || !(diff = cJSON_CreateArray()) ||
	    (redacted ? sa__json_diff(diff, dec, now) : sa__json_diff_all(diff, dec, now)) < 0) {
		rc = sa__error_oom();
		goto out;
	}
	rc = SA_OK;
	if (diff->child) {
		const cJSON *row;
		sa__buf_fmt(rep, "%s (seq %.0f, household %s, %s, pack %s %.12s…): DIFFERS\n", where,
		            cJSON_IsNumber(seq) ? seq->valuedouble : 0.0, str_at(dec, "household") ? str_at(dec, "household") : "?",
		            as_of_text, id, hash);
		cJSON_ArrayForEach(row, diff) {
			char *a = sa__json_leaf_text(cJSON_GetObjectItemCaseSensitive(row, "before"));
			char *b = sa__json_leaf_text(cJSON_GetObjectItemCaseSensitive(row, "after"));
			if (!a || !b) /* a value that could not be copied fails the report */
				rep->oom = true;
			else
				sa__buf_fmt(rep, "  %s: logged %s, now %s\n", str_at(row, "field"), a, b);
			free(a);
			free(b);
		}
		rc = 1;
	}
out:
	free(htext);
	sa_household_array_free(hs, nh);
	sa_decision_free(d);
	cJSON_Delete(now);
	cJSON_Delete(diff);
	cJSON_Delete(rec);
	return rc;
}

int sa_replay(char **report, size_t *differences, const char *path, const char *archive_dir)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, ncache = 0, same = 0, differ = 0;
	ssize_t n;
	int lineno = 0, rc = SA_OK;
	cached *cache = NULL;
	sa_buf rep = { 0 };
	sa_log_texts *texts;
	*report = NULL;
	if (differences)
		*differences = 0;
	if (!path || !archive_dir)
		return sa__error(SA_EINVALID, "sa_replay: NULL argument");
	if (!(f = fopen(path, "rb")))
		return sa__error_at(SA_ENOTFOUND, path, 0, 0, "cannot read the log: %s", strerror(errno));
	if (!(texts = sa__log_texts_new())) {
		fclose(f);
		return SA_ENOMEM;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		int r;
		lineno++;
		if (line[n - 1] != '\n') {
			sa__buf_fmt(&rep, "%s:%d: truncated record (a write cut short): not replayed\n", path, lineno);
			differ++;
			break;
		}
		r = replay_one(&rep, &cache, &ncache, texts, archive_dir, path, lineno, line, (size_t)n - 1);
		if (r < 0) {
			rc = r;
			break;
		}
		if (r == 1)
			differ++;
		else
			same++;
	}
	free(line);
	fclose(f);
	sa__log_texts_free(texts);
	for (size_t i = 0; i < ncache; i++)
		sa_engine_free(cache[i].e);
	free(cache);
	if (rc < 0) {
		free(rep.s);
		return rc;
	}
	sa__buf_fmt(&rep, "%s: %zu records replayed: %zu the same, %zu different\n", path, same + differ, same, differ);
	if (rep.oom) {
		free(rep.s);
		return sa__error_oom();
	}
	*report = rep.s;
	if (differences)
		*differences = differ;
	return SA_OK;
}
