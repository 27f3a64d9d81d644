/* yaml_reader.c - YAML and JSON text into an sa_value tree, with positioned errors.
 *
 * Aliases and anchors are refused (a household has no use for them, and they are the
 * road to "billion laughs"); nesting is capped; duplicate keys are errors. */
#include "core/internal.h"
#include "core/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>


typedef struct {
	yaml_parser_t parser;
	const char *name;
	int depth;
} reader;

static int parse_node(reader *r, yaml_event_t *ev, sa_value **out);

static int next_event(reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev)) {
		yaml_mark_t m = r->parser.problem_mark;
		return sa__error_at(SA_EINVALID, r->name, (int)m.line + 1, (int)m.column + 1, "%s%s%s",
		                    r->parser.problem ? r->parser.problem : "syntax error",
		                    r->parser.context ? " " : "", r->parser.context ? r->parser.context : "");
	}
	return SA_OK;
}

static int is_null_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	       strcmp(s, "NULL") == 0;
}

static int parse_children(reader *r, sa_value *c, yaml_event_type_t end)
{
	for (;;) {
		yaml_event_t ev;
		sa_value *key = NULL, *item = NULL;
		int rc;

		if ((rc = next_event(r, &ev)) < 0)
			return rc;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return SA_OK;
		}
		if (c->type == SA_V_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
				yaml_event_delete(&ev);
				return sa__error_at(SA_EINVALID, r->name, line, col, "a map key must be text");
			}
			if ((rc = parse_node(r, &ev, &key)) < 0)
				return rc;
			if (key->type != SA_V_STR) { /* a null key such as `~:` */
				rc = sa__error_at(SA_EINVALID, r->name, key->line, key->column, "a map key must be text");
				sa__value_free(key);
				return rc;
			}
			if (sa__value_get(c, key->str)) {
				rc = sa__error_at(SA_EINVALID, r->name, key->line, key->column, "duplicate key '%s'", key->str);
				sa__value_free(key);
				return rc;
			}
			if ((rc = next_event(r, &ev)) < 0 || (rc = parse_node(r, &ev, &item)) < 0) {
				sa__value_free(key);
				return rc;
			}
			rc = sa__value_put(c, key->str, item);
			sa__value_free(key);
		} else {
			if ((rc = parse_node(r, &ev, &item)) < 0)
				return rc;
			rc = sa__value_push(c, item);
		}
		if (rc < 0)
			return rc;
	}
}

/* Consumes ev. */
static int parse_node(reader *r, yaml_event_t *ev, sa_value **out)
{
	sa_value *v = NULL;
	int rc = SA_OK, line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			rc = sa__error_at(SA_EINVALID, r->name, line, col, "anchors are not allowed");
			break;
		}
		if (is_null_scalar(ev)) {
			v = sa__value_new(SA_V_NULL);
		} else {
			if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
				rc = sa__error_at(SA_EINVALID, r->name, line, col, "NUL byte in text");
				break;
			}
			v = sa__value_str((const char *)ev->data.scalar.value);
			if (v)
				v->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		}
		if (!v)
			rc = sa__error_oom();
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		int is_map = ev->type == YAML_MAPPING_START_EVENT;
		if ((is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor) != NULL) {
			rc = sa__error_at(SA_EINVALID, r->name, line, col, "anchors are not allowed");
			break;
		}
		if (++r->depth > SA_YAML_MAX_DEPTH) {
			rc = sa__error_at(SA_EINVALID, r->name, line, col, "nesting deeper than %d", SA_YAML_MAX_DEPTH);
			break;
		}
		if (!(v = sa__value_new(is_map ? SA_V_MAP : SA_V_LIST))) {
			rc = sa__error_oom();
			break;
		}
		v->line = line;
		v->column = col;
		rc = parse_children(r, v, is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT);
		r->depth--;
		break;
	}
	case YAML_ALIAS_EVENT:
		rc = sa__error_at(SA_EINVALID, r->name, line, col, "aliases are not allowed");
		break;
	default:
		rc = sa__error_at(SA_EINVALID, r->name, line, col, "unexpected YAML event");
		break;
	}
	yaml_event_delete(ev);
	if (rc < 0) {
		sa__value_free(v);
		return rc;
	}
	v->line = line;
	v->column = col;
	*out = v;
	return SA_OK;
}

int sa__yaml_parse(sa_value **out, const char *text, size_t len, const char *name)
{
	reader r = { .name = name };
	yaml_event_t ev;
	sa_value *root = NULL;
	int rc;

	*out = NULL;
	if (!yaml_parser_initialize(&r.parser))
		return sa__error_oom();
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
	for (;;) {
		if ((rc = next_event(&r, &ev)) < 0)
			goto done;
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (root) {
			int line = (int)ev.start_mark.line + 1;
			yaml_event_delete(&ev);
			rc = sa__error_at(SA_EINVALID, name, line, 1, "more than one document");
			goto done;
		}
		if ((rc = parse_node(&r, &ev, &root)) < 0)
			goto done;
	}
	if (!root && !(root = sa__value_new(SA_V_NULL))) {
		rc = sa__error_oom();
		goto done;
	}
	*out = root;
	root = NULL;
	rc = SA_OK;
done:
	sa__value_free(root);
	yaml_parser_delete(&r.parser);
	return rc;
}

int sa__yaml_parse_file(sa_value **out, const char *path)
{
	char *text;
	size_t len;
	int rc = sa__read_file(&text, &len, path);
	if (rc < 0)
		return rc;
	rc = sa__yaml_parse(out, text, len, path);
	free(text);
	return rc;
}
