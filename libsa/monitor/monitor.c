/* monitor.c - warnings from events (include/sa/monitor.h, docs/monitoring.md): read the
 * events document, check each event, run rules.monitor(h, events, ctx) per entry. */
#include "engine/engine.h"
#include "monitor/alert_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "medical", "hospitalisation", "death", "accident", "disaster", "unemployment",
	                             "disability_certificate", "income_drop", "enrolled", "exited", "review",
	                             "phase_out", "visit", "income_change", "member_left", NULL };

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
	t->line = ev->line; /* for errors found later (the eligibility re-run) */
	t->column = ev->column;
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
		} else if (strcmp(k, "member") == 0 || strcmp(k, "program") == 0 || strcmp(k, "note") == 0 ||
		           strcmp(k, "income") == 0) {
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

static const char *text_or_null(const sa_value *m, const char *k)
{
	const sa_value *v = sa__value_get(m, k);
	return v && v->type == SA_V_STR ? v->str : NULL;
}

/* The rules' result (a list of alert maps; an empty table reads as an empty map) into a. */
static int add_alerts(sa_alerts *a, const sa_value *res, const char *hid, sa_date as_of)
{
	if (res->type == SA_V_MAP && res->n == 0)
		return SA_OK;
	if (res->type != SA_V_LIST)
		return sa__error(SA_EPOLICY, "rules.monitor must return a list of alerts");
	for (size_t i = 0; i < res->n; i++) {
		const sa_value *m = res->items[i], *due, *action, *id;
		sa__alert_in in = { 0 };
		int rc;
		if (m->type != SA_V_MAP || !(id = sa__value_get(m, "id")) || id->type != SA_V_STR ||
		    !(action = sa__value_get(m, "action")) || action->type != SA_V_STR)
			return sa__error(SA_EPOLICY, "rules.monitor: alert %zu needs text 'id' and 'action'", i + 1);
		if (strcmp(action->str, "visit") && strcmp(action->str, "review") && strcmp(action->str, "refer"))
			return sa__error(SA_EPOLICY, "rules.monitor: alert %s has action '%s' (visit, review or refer)", id->str,
			                 action->str);
		in.priority = text_or_null(m, "priority");
		if (in.priority && strcmp(in.priority, "high") && strcmp(in.priority, "normal") && strcmp(in.priority, "low"))
			return sa__error(SA_EPOLICY, "rules.monitor: alert %s has priority '%s' (high, normal or low)", id->str,
			                 in.priority);
		if ((due = sa__value_get(m, "due")) && due->type == SA_V_INT) {
			if (!sa_date_valid((sa_date)due->num))
				return sa__error(SA_EPOLICY, "rules.monitor: alert %s has due %lld, not a date", id->str,
				                 (long long)due->num);
			in.due = (sa_date)due->num;
		}
		in.household = hid;
		in.rule = id->str;
		in.action = action->str;
		in.zh = text_or_null(m, "zh");
		in.en = text_or_null(m, "en");
		in.ref = text_or_null(m, "ref");
		in.member = text_or_null(m, "member");
		if ((rc = sa__alerts_add(a, &in, as_of)) < 0)
			return rc;
	}
	return SA_OK;
}

/* ------------------------------------------------------------------ eligibility re-run */

static sa_value *member_of(sa_value *members, const char *id, size_t *at)
{
	for (size_t i = 0; members && members->type == SA_V_LIST && i < members->n; i++) {
		const sa_value *v = sa__value_get(members->items[i], "id");
		if (members->items[i]->type == SA_V_MAP && v && v->type == SA_V_STR && strcmp(v->str, id) == 0) {
			*at = i;
			return members->items[i];
		}
	}
	return NULL;
}

/* The household as the events up to as_of leave it: a member's income of one kind set to
 * `after` (income_change, or income_drop naming member and income), a member gone (death,
 * member_left). *out is NULL when no event changes the household. */
static int changed_household(sa_value **out, const sa_value *raw, const sa_value *events, sa_date as_of,
                             const char *name)
{
	sa_value *copy = NULL;
	*out = NULL;
	for (size_t k = 0; k < events->n; k++) {
		const sa_value *ev = events->items[k], *kind = sa__value_get(ev, "kind"), *date = sa__value_get(ev, "date"),
		               *mem = sa__value_get(ev, "member"), *inc = sa__value_get(ev, "income"),
		               *after = sa__value_get(ev, "after");
		bool set_income = (!strcmp(kind->str, "income_change") || !strcmp(kind->str, "income_drop")) && inc;
		bool remove = !strcmp(kind->str, "death") || !strcmp(kind->str, "member_left");
		sa_value *members, *m;
		size_t at = 0;
		if (date->num > as_of || (!set_income && !remove))
			continue;
		if (!strcmp(kind->str, "income_change") && (!mem || !inc || !after))
			return sa__error_at(SA_EINVALID, name, ev->line, ev->column,
			                    "events[%zu]: income_change 须写明 member、income（收入类别）和 after（月额）/ income_change needs member, income (the kind) and after (monthly yuan)",
			                    k);
		if (!mem || (set_income && !after))
			continue; /* a household-level drop or an unnamed death: nothing to re-run */
		if (!copy && !(copy = sa__value_copy(raw)))
			return sa__error_oom();
		members = sa__value_get(copy, "members");
		if (!(m = member_of(members, mem->str, &at))) {
			sa__value_free(copy);
			return sa__error_at(SA_EINVALID, name, mem->line, mem->column,
			                    "events[%zu].member: 户内没有成员 %s / the household has no member %s", k, mem->str, mem->str);
		}
		if (remove) {
			sa__value_free(m);
			memmove(&members->items[at], &members->items[at + 1], (members->n - at - 1) * sizeof *members->items);
			members->n--;
		} else {
			sa_value *income = sa__value_get(m, "income"), *leaf;
			char yuan[32];
			sa_money_format(yuan, sizeof yuan, after->num);
			if ((!income && (!(income = sa__value_new(SA_V_MAP)) || sa__value_put(m, "income", income) < 0)) ||
			    !(leaf = sa__value_str(yuan)) || sa__value_put(income, inc->str, leaf) < 0) {
				sa__value_free(copy);
				return sa__error_oom();
			}
		}
	}
	if (copy && (!sa__value_get(copy, "members") || sa__value_get(copy, "members")->n == 0)) {
		/* nobody left: nothing to re-run (the death review already asks to stop payments) */
		sa__value_free(copy);
		copy = NULL;
	}
	*out = copy;
	return SA_OK;
}

/* The vocabulary's Chinese names of the programs (an unknown program shows its id only). */
static const char *program_zh(const char *p)
{
	static const char *const names[][2] = { { "tekun", "特困" },       { "dibao", "低保" },
		                                { "edge", "低保边缘" },    { "rigid", "刚性支出困难" },
		                                { "temporary", "临时救助" }, { "orphan", "孤儿基本生活保障" } };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(names[i][0], p) == 0)
			return names[i][1];
	return "";
}

static const char *status_zh(sa_status s)
{
	return s == SA_ELIGIBLE ? "有资格" : s == SA_INELIGIBLE ? "无资格" : "待定";
}

/* One program's status and amount as "有资格 1232.00" / "eligible 1232.00". */
static void outcome_text(char *zh, char *en, size_t size, const sa_decision *d, int i, cJSON *o)
{
	sa_fen amt;
	char money[32] = "";
	sa_status st = SA_INELIGIBLE; /* a program the decision does not list */
	if (i >= 0)
		sa_decision_program_status(&st, d, (size_t)i);
	if (i >= 0 && sa_decision_program_amount(&amt, d, (size_t)i) == 0)
		sa_money_format(money, sizeof money, amt);
	snprintf(zh, size, "%s%s%s", status_zh(st), money[0] ? " " : "", money);
	snprintf(en, size, "%s%s%s", sa_status_name(st), money[0] ? " " : "", money);
	cJSON_AddStringToObject(o, "status", sa_status_name(st));
	if (money[0])
		cJSON_AddStringToObject(o, "amount", money);
	else
		cJSON_AddNullToObject(o, "amount");
}

/* Re-run eligibility with the changed household and raise monitor.recheck with what changed. */
static int recheck(sa_alerts *a, sa_engine *e, const sa_household *before, sa_value *changed, sa_date as_of,
                   const char *name)
{
	sa_household *after_hh = NULL;
	sa_decision *d0 = NULL, *d1 = NULL;
	sa__alert_in in = { 0 };
	sa_buf zh = { 0 }, en = { 0 };
	bool status_moved = false;
	int rc;
	if ((rc = sa__household_from_value(&after_hh, changed, name)) < 0) /* takes changed */
		return rc;
	if ((rc = sa_evaluate(&d0, e, before, as_of)) < 0 || (rc = sa_evaluate(&d1, e, after_hh, as_of)) < 0)
		goto done;
	if (!(in.changes = cJSON_CreateArray())) {
		rc = sa__error_oom();
		goto done;
	}
	for (int pass = 0; pass < 2; pass++) {
		const sa_decision *d = pass ? d1 : d0;
		for (size_t i = 0; i < sa_decision_program_count(d); i++) {
			const char *p = sa_decision_program_name(d, i);
			int i0 = sa_decision_find(d0, p), i1 = sa_decision_find(d1, p);
			char z0[64], e0[64], z1[64], e1[64];
			cJSON *c, *b, *f;
			if (pass && i0 >= 0)
				continue; /* already compared in the first pass */
			if (!(c = cJSON_CreateObject()) || !cJSON_AddItemToArray(in.changes, c) ||
			    !cJSON_AddStringToObject(c, "program", p) || !(b = cJSON_AddObjectToObject(c, "before")) ||
			    !(f = cJSON_AddObjectToObject(c, "after"))) {
				rc = sa__error_oom();
				goto done;
			}
			outcome_text(z0, e0, sizeof z0, d0, i0, b);
			outcome_text(z1, e1, sizeof z1, d1, i1, f);
			if (strcmp(e0, e1) == 0) {
				cJSON_DeleteItemFromArray(in.changes, cJSON_GetArraySize(in.changes) - 1);
				continue;
			}
			status_moved |= strcmp(cJSON_GetObjectItem(b, "status")->valuestring,
			                       cJSON_GetObjectItem(f, "status")->valuestring) != 0;
			sa__buf_fmt(&zh, "%s%s%s%s：%s → %s", zh.s ? "；" : "", program_zh(p), *program_zh(p) ? " " : "", p, z0, z1);
			sa__buf_fmt(&en, "%s%s: %s -> %s", en.s ? "; " : "", p, e0, e1);
		}
	}
	if (zh.oom || en.oom) {
		rc = sa__error_oom();
		goto done;
	}
	{
		char zt[4096], et[4096];
		snprintf(zt, sizeof zt, "收入或成员变化后重新核定：%s", zh.s ? zh.s : "结果未变");
		snprintf(et, sizeof et, "eligibility re-run after a change of income or members: %s", en.s ? en.s : "no change");
		in.household = sa_household_id(before);
		in.rule = "monitor.recheck";
		in.action = "review";
		in.priority = status_moved ? "high" : zh.s ? "normal" : "low";
		in.due = as_of;
		in.zh = zt;
		in.en = et;
		in.ref = "最低生活保障审核确认办法（民发〔2021〕57号）第三十条、第三十一条：家庭人口、收入状况发生变化的，及时增发、减发或停发";
		rc = sa__alerts_add(a, &in, as_of); /* takes in.changes */
		in.changes = NULL;
	}
done:
	cJSON_Delete(in.changes);
	free(zh.s);
	free(en.s);
	sa_decision_free(d0);
	sa_decision_free(d1);
	sa_household_free(after_hh);
	return rc;
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
	if ((rc = sa__alerts_new(&a)) < 0) {
		sa__value_free(doc);
		return rc;
	}
	for (size_t i = 0; i < list->n && rc == 0; i++) {
		sa_value *entry = list->items[i], *raw, *evs, *typed_events = NULL, *res = NULL, *changed = NULL;
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
		/* the household as the events leave it, for the re-run; then detach and validate */
		if (rc == 0)
			rc = changed_household(&changed, raw, typed_events, as_of, name);
		for (size_t k = 0; k < entry->n; k++)
			if (entry->items[k] == raw)
				entry->items[k] = sa__value_new(SA_V_NULL);
		if (rc < 0)
			sa__value_free(raw);
		else if ((rc = sa__household_from_value(&hh, raw, name)) == 0) /* takes raw */
			rc = sa__engine_call(e, "monitor", hh, typed_events, as_of, &res);
		if (rc == 0)
			rc = add_alerts(a, res, sa_household_id(hh), as_of);
		if (rc == 0 && changed) {
			rc = recheck(a, e, hh, changed, as_of, name); /* takes changed */
			changed = NULL;
		}
		sa__value_free(changed);
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
