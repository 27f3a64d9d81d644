/* diff.c - field-by-field differences between two decisions (what-if and replay). */
#include "audit/audit_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *sa__decision_tree(const sa_decision *d)
{
	char *json;
	cJSON *t;
	if (sa_decision_to_json(&json, d, SA_JSON_NO_REASONS) < 0)
		return NULL;
	t = cJSON_Parse(json);
	sa_free(json);
	if (!t)
		sa__error_oom();
	return t;
}

char *sa__json_leaf_text(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return strdup("—");
	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	return cJSON_PrintUnformatted(v);
}

static int add(cJSON *out, const char *field, const cJSON *a, const cJSON *b)
{
	cJSON *row = cJSON_CreateObject();
	if (!row || !cJSON_AddStringToObject(row, "field", field) ||
	    !cJSON_AddItemToObject(row, "before", a ? cJSON_Duplicate(a, 1) : cJSON_CreateNull()) ||
	    !cJSON_AddItemToObject(row, "after", b ? cJSON_Duplicate(b, 1) : cJSON_CreateNull())) {
		cJSON_Delete(row);
		return sa__error_oom();
	}
	cJSON_AddItemToArray(out, row);
	return SA_OK;
}

/* The key that names the items of a list of objects, or NULL when the list is compared whole. */
static const char *item_key(const char *name)
{
	if (strcmp(name, "programs") == 0)
		return "program";
	if (strcmp(name, "members") == 0)
		return "member";
	return NULL;
}

static const cJSON *find_item(const cJSON *list, const char *key, const char *id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, key);
		if (cJSON_IsString(k) && strcmp(k->valuestring, id) == 0)
			return it;
	}
	return NULL;
}

static int diff(cJSON *out, const char *path, const char *name, const cJSON *a, const cJSON *b)
{
	char sub[512];
	const cJSON *it;
	int rc;
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		cJSON_ArrayForEach(it, a) {
			if (strcmp(it->string, "reasons") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", it->string);
			if ((rc = diff(out, sub, it->string, it, cJSON_GetObjectItemCaseSensitive(b, it->string))) < 0)
				return rc;
		}
		cJSON_ArrayForEach(it, b) {
			if (strcmp(it->string, "reasons") == 0 || cJSON_GetObjectItemCaseSensitive(a, it->string))
				continue;
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", it->string);
			if ((rc = add(out, sub, NULL, it)) < 0)
				return rc;
		}
		return SA_OK;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b) && item_key(name)) {
		const char *key = item_key(name);
		const cJSON *first = a->child ? a->child : b->child;
		if (first && cJSON_IsObject(first)) {
			cJSON_ArrayForEach(it, a) {
				const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, key);
				if (!cJSON_IsString(k))
					goto whole;
				snprintf(sub, sizeof sub, "%s.%s", path, k->valuestring);
				if ((rc = diff(out, sub, k->valuestring, it, find_item(b, key, k->valuestring))) < 0)
					return rc;
			}
			cJSON_ArrayForEach(it, b) {
				const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, key);
				if (!cJSON_IsString(k))
					goto whole;
				if (find_item(a, key, k->valuestring))
					continue;
				snprintf(sub, sizeof sub, "%s.%s", path, k->valuestring);
				if ((rc = add(out, sub, NULL, it)) < 0)
					return rc;
			}
			return SA_OK;
		}
	}
whole:
	if (!a || !b || !cJSON_Compare(a, b, 1))
		return add(out, path, a, b);
	return SA_OK;
}

int sa__json_diff(cJSON *out, const cJSON *a, const cJSON *b)
{
	return diff(out, "", "", a, b);
}

int sa_decision_diff(char **out, const sa_decision *before, const sa_decision *after)
{
	cJSON *a, *b, *list;
	int rc = SA_OK;
	*out = NULL;
	if (!before || !after)
		return sa__error(SA_EINVALID, "sa_decision_diff: NULL decision");
	a = sa__decision_tree(before);
	b = sa__decision_tree(after);
	list = cJSON_CreateArray();
	if (!a || !b || !list)
		rc = sa__error_oom();
	else if ((rc = sa__json_diff(list, a, b)) == 0 && !(*out = cJSON_PrintUnformatted(list)))
		rc = sa__error_oom();
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(list);
	return rc;
}
