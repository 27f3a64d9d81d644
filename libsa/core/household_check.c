/* household_check.c - every schema error of a household document (sa_household_check), and a
 * household written back as one line of YAML (sa_household_to_yaml, for golden cases). */
#include "core/internal.h"
#include "core/household_internal.h"
#include "core/decision_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drop entry i of a map or list we own. */
static void drop(sa_value *v, size_t i)
{
	sa__value_free(v->items[i]);
	if (v->type == SA_V_MAP)
		free(v->keys[i]);
	for (size_t k = i + 1; k < v->n; k++) {
		v->items[k - 1] = v->items[k];
		if (v->type == SA_V_MAP)
			v->keys[k - 1] = v->keys[k];
	}
	v->n--;
}

/* Report a schema error and take away the entry it is in, so that the next round finds the
 * next error: at most max rounds per file, each linear in the household. */
int sa_household_check(const char *text, size_t len, const char *name, size_t max, sa_household_error_fn report,
                       void *payload)
{
	sa_value *doc, *one, *many;
	size_t found = 0;
	int rc;
	if (max == 0)
		max = 20;
	if ((rc = sa__yaml_parse(&doc, text, len, name)) < 0) {
		if (rc == SA_ENOMEM)
			return rc;
		if (report)
			report(sa_error_last(), payload);
		return 1;
	}
	one = sa__value_get(doc, "household");
	many = sa__value_get(doc, "households");
	if (doc->type != SA_V_MAP || doc->n != 1 || (!one && !many) || (many && many->type != SA_V_LIST)) {
		sa__error_at(SA_EINVALID, name, doc->line ? doc->line : 1, doc->column ? doc->column : 1,
		             "expected a document with one key, 'household' (a map) or 'households' (a list)");
		if (report)
			report(sa_error_last(), payload);
		sa__value_free(doc);
		return 1;
	}
	for (size_t i = 0; i < (one ? 1 : many->n) && found < max; i++) {
		sa_value *raw = one ? one : many->items[i];
		struct {
			sa_value **rm_maps;
			char **rm_keys;
			size_t nrm;
			sa_value *at_container;
			size_t at_index;
		} c = { 0 };
		while (found < max) {
			rc = sa__household_check_round(raw, name, c.rm_maps, c.rm_keys, c.nrm, &c.at_container, &c.at_index);
			if (rc == SA_OK)
				break;
			if (rc == SA_ENOMEM) {
				found = 0;
				break;
			}
			found++;
			if (report)
				report(sa_error_last(), payload);
			if (!c.at_container || c.at_index >= c.at_container->n)
				break;
			if (c.at_container->type == SA_V_MAP) {
				sa_value **m = realloc(c.rm_maps, (c.nrm + 1) * sizeof *m);
				char **k = m ? realloc(c.rm_keys, (c.nrm + 1) * sizeof *k) : NULL;
				if (m)
					c.rm_maps = m;
				if (!k || !(k[c.nrm] = strdup(c.at_container->keys[c.at_index]))) {
					if (k)
						c.rm_keys = k;
					rc = SA_ENOMEM;
					break;
				}
				c.rm_keys = k;
				c.rm_maps[c.nrm++] = c.at_container;
			}
			drop(c.at_container, c.at_index);
		}
		for (size_t k = 0; k < c.nrm; k++)
			free(c.rm_keys[k]);
		free(c.rm_keys);
		free(c.rm_maps);
		if (rc == SA_ENOMEM) {
			sa__value_free(doc);
			return sa__error_oom();
		}
	}
	sa__value_free(doc);
	return (int)found;
}

/* A plain YAML scalar that reads back as the same text and type. */
static bool plain_ok(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!(((unsigned char)*p >= 0x80) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_.-+", *p)))
			return false;
	return true;
}

static void flow(sa_buf *b, const sa_value *v)
{
	switch (v->type) {
	case SA_V_MAP:
		sa__buf_str(b, "{");
		for (size_t i = 0; i < v->n; i++) {
			sa__buf_str(b, i ? ", " : "");
			if (plain_ok(v->keys[i]))
				sa__buf_str(b, v->keys[i]);
			else
				sa__buf_json_str(b, v->keys[i]);
			sa__buf_str(b, ": ");
			flow(b, v->items[i]);
		}
		sa__buf_str(b, "}");
		break;
	case SA_V_LIST:
		sa__buf_str(b, "[");
		for (size_t i = 0; i < v->n; i++) {
			sa__buf_str(b, i ? ", " : "");
			flow(b, v->items[i]);
		}
		sa__buf_str(b, "]");
		break;
	case SA_V_NULL:
		sa__buf_str(b, "null");
		break;
	default:
		/* as written: quoted text stays quoted, plain scalars (dates, true, 24) stay plain */
		if (v->str && !v->quoted && plain_ok(v->str))
			sa__buf_str(b, v->str);
		else
			sa__buf_json_str(b, v->str ? v->str : "");
	}
}

int sa_household_to_yaml(char **out, const sa_household *hh)
{
	sa_buf b = { 0 };
	if (!out || !hh || !hh->raw)
		return sa__error(SA_EINVALID, "sa_household_to_yaml: NULL argument");
	flow(&b, hh->raw);
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

