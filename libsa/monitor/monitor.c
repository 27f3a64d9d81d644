/* monitor.c - warnings from events (include/sa/monitor.h, docs/monitoring.md): read the
 * events document, check each event, run rules.monitor(h, events, ctx) per entry. */
#include "engine/engine.h"
#include "sa/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_HOUSEHOLD, F_ID, F_ZH, F_EN, F_REF, F_ACTION, F_DUE, F_MEMBER, F_N };
static const char *const fields[F_N] = { "household", "id", "zh", "en", "ref", "action", "due", "member" };

typedef struct {
	char *f[F_N];
	sa_date due;
} alert;

struct sa_alerts {
	alert *v;
	size_t n, cap;
};

static const char *const kinds[] = { "medical", "hospitalisation", "death", "accident", "disaster", "unemployment",
	                             "disability_certificate", "income_drop", "enrolled", "exited", "review",
	                             "phase_out", "visit", NULL };

void sa_alerts_free(sa_alerts *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		for (int k = 0; k < F_N; k++)
			free(a->v[i].f[k]);
	free(a->v);
	free(a);
}

size_t sa_alerts_count(const sa_alerts *a)
{
	return a ? a->n : 0;
}

const char *sa_alert_field(const sa_alerts *a, size_t i, const char *field)
{
	if (!a || i >= a->n || !field)
		return NULL;
	for (int k = 0; k < F_N; k++)
		if (strcmp(fields[k], field) == 0)
			return a->v[i].f[k];
	return NULL;
}

sa_date sa_alert_due(const sa_alerts *a, size_t i)
{
	return a && i < a->n ? a->v[i].due : 0;
}

/* One event (raw map) into the typed map the rules see. */
static int check_event(sa_value **out, const sa_value *ev, const char *name, size_t idx)
{
	sa_value *t;
	int rc = SA_OK;
	*out = NULL;
	if (ev->type != SA_V_MAP)
		return sa__error_at(SA_EINVALID, name, ev->line, ev->column, "events[%zu]: an event is a map", idx);
	if (!(t = sa__value_new(SA_V_MAP)))
		return sa__error_oom();
	for (size_t i = 0; i < ev->n && rc == 0; i++) {
		const char *k = ev->keys[i];
		const sa_value *v = ev->items[i];
		sa_value *leaf = NULL;
		if (v->type == SA_V_NULL)
			continue;
		if (v->type != SA_V_STR) {
			rc = sa__error_at(SA_EINVALID, name, v->line, v->column, "events[%zu].%s: expected a single value", idx, k);
			break;
		}
		if (strcmp(k, "kind") == 0) {
			size_t j;
			for (j = 0; kinds[j] && strcmp(kinds[j], v->str) != 0; j++)
				;
			if (!kinds[j]) {
				rc = sa__error_at(SA_EINVALID, name, v->line, v->column,
				                  "events[%zu].kind: '%s' is not a known kind (docs/monitoring.md)", idx, v->str);
				break;
			}
			leaf = sa__value_str(v->str);
		} else if (strcmp(k, "date") == 0) {
			sa_date d;
			if (sa_date_parse(&d, v->str) < 0) {
				rc = sa__error_at(SA_EINVALID, name, v->line, v->column,
				                  "events[%zu].date: '%s' is not a real date YYYY-MM-DD", idx, v->str);
				break;
			}
			if ((leaf = sa__value_new(SA_V_DATE)))
				leaf->num = d;
		} else if (strcmp(k, "amount") == 0 || strcmp(k, "before") == 0 || strcmp(k, "after") == 0) {
			sa_fen f;
			if (sa_money_parse(&f, v->str) < 0 || f < 0) {
				rc = sa__error_at(SA_EINVALID, name, v->line, v->column,
				                  "events[%zu].%s: '%s' is not yuan (at most two decimals, not negative)", idx, k,
				                  v->str);
				break;
			}
			if ((leaf = sa__value_new(SA_V_MONEY)))
				leaf->num = f;
		} else if (strcmp(k, "unstable_income") == 0) {
			bool b;
			if (sa__scalar_bool(v, &b) < 0) {
				rc = sa__error_at(SA_EINVALID, name, v->line, v->column, "events[%zu].%s: expected true or false",
				                  idx, k);
				break;
			}
			if ((leaf = sa__value_new(SA_V_BOOL)))
				leaf->num = b;
		} else if (strcmp(k, "member") == 0 || strcmp(k, "program") == 0 || strcmp(k, "note") == 0) {
			leaf = sa__value_str(v->str);
		} else {
			rc = sa__error_at(SA_EINVALID, name, v->line, v->column, "events[%zu].%s: unknown field", idx, k);
			break;
		}
		if (!leaf) {
			rc = sa__error_oom();
			break;
		}
		leaf->line = v->line;
		leaf->column = v->column;
		rc = sa__value_put(t, k, leaf);
	}
	if (rc == 0 && (!sa__value_get(t, "kind") || !sa__value_get(t, "date")))
		rc = sa__error_at(SA_EINVALID, name, ev->line, ev->column, "events[%zu]: 'kind' and 'date' are required", idx);
	if (rc < 0) {
		sa__value_free(t);
		return rc;
	}
	*out = t;
	return SA_OK;
}

static char *dup_or_null(const sa_value *v)
{
	return v && v->type == SA_V_STR && v->str ? strdup(v->str) : NULL;
}

/* The rules' result (a list of alert maps; an empty table reads as an empty map) into a. */
static int add_alerts(sa_alerts *a, const sa_value *res, const char *hid)
{
	if (res->type == SA_V_MAP && res->n == 0)
		return SA_OK;
	if (res->type != SA_V_LIST)
		return sa__error(SA_EPOLICY, "rules.monitor must return a list of alerts");
	for (size_t i = 0; i < res->n; i++) {
		const sa_value *m = res->items[i], *due, *action, *id;
		alert *al;
		if (m->type != SA_V_MAP || !(id = sa__value_get(m, "id")) || id->type != SA_V_STR ||
		    !(action = sa__value_get(m, "action")) || action->type != SA_V_STR)
			return sa__error(SA_EPOLICY, "rules.monitor: alert %zu needs text 'id' and 'action'", i + 1);
		if (strcmp(action->str, "visit") && strcmp(action->str, "review") && strcmp(action->str, "refer"))
			return sa__error(SA_EPOLICY, "rules.monitor: alert %s has action '%s' (visit, review or refer)", id->str,
			                 action->str);
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 8;
			alert *nv = realloc(a->v, cap * sizeof *nv);
			if (!nv)
				return sa__error_oom();
			a->v = nv;
			a->cap = cap;
		}
		al = &a->v[a->n++];
		memset(al, 0, sizeof *al);
		al->f[F_HOUSEHOLD] = hid ? strdup(hid) : NULL;
		al->f[F_ID] = strdup(id->str);
		al->f[F_ACTION] = strdup(action->str);
		al->f[F_ZH] = dup_or_null(sa__value_get(m, "zh"));
		al->f[F_EN] = dup_or_null(sa__value_get(m, "en"));
		al->f[F_REF] = dup_or_null(sa__value_get(m, "ref"));
		al->f[F_MEMBER] = dup_or_null(sa__value_get(m, "member"));
		if ((due = sa__value_get(m, "due")) && due->type == SA_V_INT) {
			char d[16];
			if (!sa_date_valid((sa_date)due->num))
				return sa__error(SA_EPOLICY, "rules.monitor: alert %s has due %lld, not a date", id->str,
				                 (long long)due->num);
			al->due = (sa_date)due->num;
			sa_date_format(d, sizeof d, al->due);
			al->f[F_DUE] = strdup(d);
		}
		if (!al->f[F_ID] || !al->f[F_ACTION])
			return sa__error_oom();
	}
	return SA_OK;
}

int sa_monitor_parse(sa_alerts **out, sa_engine *e, const char *text, size_t len, const char *name, sa_date as_of)
{
	sa_value *doc = NULL;
	const sa_value *list;
	sa_alerts *a;
	int rc;
	*out = NULL;
	if (!e || !text)
		return sa__error(SA_EINVALID, "sa_monitor_parse: NULL argument");
	if (!sa_date_valid(as_of))
		return sa__error(SA_EINVALID, "sa_monitor_parse: %d is not a date YYYYMMDD", (int)as_of);
	if ((rc = sa__yaml_parse(&doc, text, len, name)) < 0)
		return rc;
	list = doc->type == SA_V_MAP ? sa__value_get(doc, "entries") : doc;
	if (!list || list->type != SA_V_LIST) {
		rc = sa__error_at(SA_EINVALID, name, doc->line ? doc->line : 1, doc->column ? doc->column : 1,
		                  "expected a list of {household, events} (or a map with that list under 'entries')");
		sa__value_free(doc);
		return rc;
	}
	if (!(a = calloc(1, sizeof *a))) {
		sa__value_free(doc);
		return sa__error_oom();
	}
	for (size_t i = 0; i < list->n && rc == 0; i++) {
		sa_value *entry = list->items[i], *raw, *evs, *typed_events = NULL, *res = NULL;
		sa_household *hh = NULL;
		if (entry->type != SA_V_MAP || !(raw = sa__value_get(entry, "household"))) {
			rc = sa__error_at(SA_EINVALID, name, entry->line, entry->column, "entries[%zu]: needs 'household'", i);
			break;
		}
		for (size_t k = 0; k < entry->n; k++)
			if (strcmp(entry->keys[k], "household") && strcmp(entry->keys[k], "events")) {
				rc = sa__error_at(SA_EINVALID, name, entry->items[k]->line, entry->items[k]->column,
				                  "entries[%zu].%s: unknown field (household, events)", i, entry->keys[k]);
				break;
			}
		if (rc < 0)
			break;
		evs = sa__value_get(entry, "events");
		if (evs && evs->type != SA_V_LIST && evs->type != SA_V_NULL) {
			rc = sa__error_at(SA_EINVALID, name, evs->line, evs->column, "entries[%zu].events: expected a list", i);
			break;
		}
		if (!(typed_events = sa__value_new(SA_V_LIST))) {
			rc = sa__error_oom();
			break;
		}
		for (size_t k = 0; evs && evs->type == SA_V_LIST && k < evs->n && rc == 0; k++) {
			sa_value *t;
			if ((rc = check_event(&t, evs->items[k], name, k)) == 0)
				rc = sa__value_push(typed_events, t);
		}
		/* detach the household subtree and validate it */
		for (size_t k = 0; k < entry->n; k++)
			if (entry->items[k] == raw)
				entry->items[k] = sa__value_new(SA_V_NULL);
		if (rc < 0)
			sa__value_free(raw);
		else if ((rc = sa__household_from_value(&hh, raw, name)) == 0) /* takes raw */
			rc = sa__engine_call(e, "monitor", hh, typed_events, as_of, &res);
		if (rc == 0)
			rc = add_alerts(a, res, sa_household_id(hh));
		sa__value_free(res);
		sa__value_free(typed_events);
		sa_household_free(hh);
	}
	sa__value_free(doc);
	if (rc < 0) {
		sa_alerts_free(a);
		return rc;
	}
	*out = a;
	return SA_OK;
}

int sa_monitor_read_file(sa_alerts **out, sa_engine *e, const char *path, sa_date as_of)
{
	char *text;
	size_t len;
	int rc;
	*out = NULL;
	if ((rc = sa__read_file(&text, &len, path)) < 0)
		return rc;
	rc = sa_monitor_parse(out, e, text, len, path, as_of);
	free(text);
	return rc;
}

int sa_alerts_to_json(char **out, const sa_alerts *a, unsigned int flags)
{
	sa_buf b = { 0 };
	bool pretty = flags & SA_JSON_PRETTY;
	*out = NULL;
	if (pretty)
		sa__buf_str(&b, "[\n");
	for (size_t i = 0; a && i < a->n; i++) {
		bool first = true;
		sa__buf_str(&b, pretty ? "  {" : "{");
		for (int k = 0; k < F_N; k++) {
			if (!a->v[i].f[k])
				continue;
			sa__buf_fmt(&b, "%s\"%s\": ", first ? "" : ", ", fields[k]);
			sa__buf_json_str(&b, a->v[i].f[k]);
			first = false;
		}
		sa__buf_str(&b, pretty ? (i + 1 < a->n ? "},\n" : "}\n") : "}\n");
	}
	if (pretty)
		sa__buf_str(&b, "]\n");
	if (!b.s)
		sa__buf_str(&b, "");
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

int sa_alerts_to_text(char **out, const sa_alerts *a)
{
	sa_buf b = { 0 };
	*out = NULL;
	sa__buf_fmt(&b, "%zu 条预警 / alerts\n", a ? a->n : 0);
	for (size_t i = 0; a && i < a->n; i++) {
		const alert *x = &a->v[i];
		sa__buf_fmt(&b, "%s  %-6s due %s  %s%s%s\n", x->f[F_HOUSEHOLD] ? x->f[F_HOUSEHOLD] : "-", x->f[F_ACTION],
		            x->f[F_DUE] ? x->f[F_DUE] : "-", x->f[F_ID], x->f[F_MEMBER] ? "  member " : "",
		            x->f[F_MEMBER] ? x->f[F_MEMBER] : "");
		if (x->f[F_ZH]) {
			sa__buf_str(&b, "    ");
			sa__buf_str(&b, x->f[F_ZH]);
			sa__buf_str(&b, "\n");
		}
		if (x->f[F_EN]) {
			sa__buf_str(&b, "    ");
			sa__buf_str(&b, x->f[F_EN]);
			sa__buf_str(&b, "\n");
		}
		if (x->f[F_REF]) {
			sa__buf_str(&b, "    依据 / ref: ");
			sa__buf_str(&b, x->f[F_REF]);
			sa__buf_str(&b, "\n");
		}
	}
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}
