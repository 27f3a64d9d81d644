/* diff.c - field-by-field differences between two decisions (what-if and replay). */
#include "audit/audit_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *sa__decision_tree_ex(const sa_decision *d, bool reasons)
{
	char *json;
	cJSON *t;
	if (sa_decision_to_json(&json, d, reasons ? 0 : SA_JSON_NO_REASONS) < 0)
		return NULL;
	t = cJSON_Parse(json);
	sa_free(json);
	if (!t)
		sa__error_oom();
	return t;
}

cJSON *sa__decision_tree(const sa_decision *d)
{
	return sa__decision_tree_ex(d, false);
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
	if (strcmp(name, "params") == 0) /* a reason's parameters (compared with reasons only) */
		return "name";
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

static int diff(cJSON *out, const char *path, const char *name, const cJSON *a, const cJSON *b, bool reasons);

/* The n-th (from 0) reason with this id in list (NULL id: reasons without one). */
static const cJSON *nth_reason(const cJSON *list, const char *id, int n)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "id");
		const char *kid = cJSON_IsString(k) ? k->valuestring : NULL;
		if (((!kid && !id) || (kid && id && strcmp(kid, id) == 0)) && n-- == 0)
			return it;
	}
	return NULL;
}

static int occurrence(const cJSON *list, const cJSON *item, const char *id)
{
	int n = 0;
	for (const cJSON *it = list->child; it && it != item; it = it->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "id");
		const char *kid = cJSON_IsString(k) ? k->valuestring : NULL;
		if ((!kid && !id) || (kid && id && strcmp(kid, id) == 0))
			n++;
	}
	return n;
}

/* A program's reasons: matched by id and occurrence, named `reasons.<id>` (`#2` for the
 * second of an id, ...); one only side is a difference of the whole reason. */
static int diff_reasons(cJSON *out, const char *path, const cJSON *a, const cJSON *b)
{
	char sub[600];
	const cJSON *it;
	int rc;
	if (!cJSON_IsArray(a) || !cJSON_IsArray(b)) {
		if (!a || !b || !cJSON_Compare(a, b, 1))
			return add(out, path, a, b);
		return SA_OK;
	}
	for (int side = 0; side < 2; side++) {
		const cJSON *list = side ? b : a, *other = side ? a : b;
		cJSON_ArrayForEach(it, list) {
			const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, "id");
			const char *id = cJSON_IsString(k) ? k->valuestring : NULL;
			int n = occurrence(list, it, id);
			const cJSON *match = nth_reason(other, id, n);
			if (n)
				snprintf(sub, sizeof sub, "%s.%s#%d", path, id ? id : "(no id)", n + 1);
			else
				snprintf(sub, sizeof sub, "%s.%s", path, id ? id : "(no id)");
			if (side == 0)
				rc = diff(out, sub, "reason", it, match, true);
			else
				rc = match ? SA_OK : add(out, sub, NULL, it);
			if (rc < 0)
				return rc;
		}
	}
	return SA_OK;
}

static int diff(cJSON *out, const char *path, const char *name, const cJSON *a, const cJSON *b, bool reasons)
{
	char sub[512];
	const cJSON *it;
	int rc;
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		cJSON_ArrayForEach(it, a) {
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", it->string);
			if (strcmp(it->string, "reasons") == 0) {
				if (reasons && (rc = diff_reasons(out, sub, it, cJSON_GetObjectItemCaseSensitive(b, it->string))) < 0)
					return rc;
				continue;
			}
			if ((rc = diff(out, sub, it->string, it, cJSON_GetObjectItemCaseSensitive(b, it->string), reasons)) < 0)
				return rc;
		}
		cJSON_ArrayForEach(it, b) {
			if ((strcmp(it->string, "reasons") == 0 && !reasons) || cJSON_GetObjectItemCaseSensitive(a, it->string))
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
				if ((rc = diff(out, sub, k->valuestring, it, find_item(b, key, k->valuestring), reasons)) < 0)
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
	return diff(out, "", "", a, b, false);
}

int sa__json_diff_all(cJSON *out, const cJSON *a, const cJSON *b)
{
	return diff(out, "", "", a, b, true);
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
