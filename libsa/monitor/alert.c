/* alert.c - alerts as records a host keeps (include/sa/monitor.h, docs/monitoring.md): a
 * stable id, priority, due date and overdue flag, and the lifecycle open → acknowledged →
 * closed with an outcome; serialised to and read back from JSON. Each alert is held as a
 * cJSON object so what is read back is exactly what was written. */
#include "monitor/alert_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 4096

/* Fields of a record and whether each must be text; everything else is generated. */
static const char *const text_fields[] = { "id",  "household", "rule", "action", "priority", "status", "zh", "en",
	                                   "ref", "member",    "due",  "as_of",  "acknowledged_at", "acknowledged_by",
	                                   "closed_at", "outcome", NULL };

void sa_alerts_free(sa_alerts *a)
{
	if (!a)
		return;
	cJSON_Delete(a->list);
	free(a);
}

int sa__alerts_new(sa_alerts **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out || !((*out)->list = cJSON_CreateArray())) {
		free(*out);
		*out = NULL;
		return sa__error_oom();
	}
	return SA_OK;
}

size_t sa_alerts_count(const sa_alerts *a)
{
	return a ? (size_t)cJSON_GetArraySize(a->list) : 0;
}

static cJSON *nth(const sa_alerts *a, size_t i)
{
	return a && i < sa_alerts_count(a) ? cJSON_GetArrayItem(a->list, (int)i) : NULL;
}

const char *sa_alert_field(const sa_alerts *a, size_t i, const char *field)
{
	const cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(nth(a, i), field) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

sa_date sa_alert_due(const sa_alerts *a, size_t i)
{
	sa_date d = 0;
	const char *s = sa_alert_field(a, i, "due");
	return s && sa_date_parse(&d, s) == 0 ? d : 0;
}

int sa_alert_overdue(const sa_alerts *a, size_t i, sa_date today)
{
	const char *st = sa_alert_field(a, i, "status");
	sa_date due = sa_alert_due(a, i);
	return due && today > due && st && strcmp(st, "closed") != 0;
}

/* The id of an alert: the same household, rule, member and due date give the same id, so a host
 * that runs the monitor every day recognises an alert it already holds. */
static void alert_id(char out[20], const char *hh, const char *rule, const char *member, const char *due)
{
	char key[1200], hex[65];
	int n = snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", hh ? hh : "", rule, member ? member : "", due ? due : "");
	sa__sha256_hex(hex, key, n < 0 ? 0 : (size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
	snprintf(out, 20, "A%.16s", hex);
}

static bool put_text(cJSON *o, const char *k, const char *v)
{
	return v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

int sa__alerts_add(sa_alerts *a, const sa__alert_in *in, sa_date as_of)
{
	cJSON *o = cJSON_CreateObject();
	char id[20], due[16] = "", asof[16];
	const char *priority = in->priority;
	bool ok;
	if (!o)
		return sa__error_oom();
	if (in->due)
		sa_date_format(due, sizeof due, in->due);
	sa_date_format(asof, sizeof asof, as_of);
	alert_id(id, in->household, in->rule, in->member, due[0] ? due : NULL);
	if (!priority)
		priority = strcmp(in->action, "review") == 0 ? "normal" : "high";
	ok = put_text(o, "id", id) && put_text(o, "household", in->household) && put_text(o, "rule", in->rule) &&
	     put_text(o, "action", in->action) && put_text(o, "priority", priority) && put_text(o, "status", "open") &&
	     put_text(o, "member", in->member) && put_text(o, "due", due[0] ? due : NULL) && put_text(o, "as_of", asof) &&
	     cJSON_AddBoolToObject(o, "overdue", in->due && as_of > in->due) && put_text(o, "zh", in->zh) &&
	     put_text(o, "en", in->en) && put_text(o, "ref", in->ref) && put_text(o, "acknowledged_at", NULL) &&
	     put_text(o, "acknowledged_by", NULL) && put_text(o, "closed_at", NULL) && put_text(o, "outcome", NULL);
	if (ok && in->changes)
		ok = cJSON_AddItemToObject(o, "changes", in->changes);
	else
		cJSON_Delete(in->changes);
	if (!ok || !cJSON_AddItemToArray(a->list, o)) {
		cJSON_Delete(o);
		return sa__error_oom();
	}
	return SA_OK;
}

/* ------------------------------------------------------------------ the lifecycle */

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]". */
static bool valid_time(const char *s)
{
	char d[11];
	sa_date day;
	size_t n = s ? strlen(s) : 0;
	int hh, mm, ss = 0;
	if (n != 10 && n != 16 && n != 19)
		return false;
	memcpy(d, s, 10);
	d[10] = 0;
	if (sa_date_parse(&day, d) < 0)
		return false;
	if (n == 10)
		return true;
	if (s[10] != 'T' || s[13] != ':' || (n == 19 && s[16] != ':'))
		return false;
	if (sscanf(s + 11, "%2d:%2d", &hh, &mm) != 2 || (n == 19 && sscanf(s + 17, "%2d", &ss) != 1))
		return false;
	return hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60;
}

static int set_text(cJSON *o, const char *k, const char *v)
{
	cJSON *n = v ? cJSON_CreateString(v) : cJSON_CreateNull();
	if (!n || !cJSON_ReplaceItemInObjectCaseSensitive(o, k, n)) {
		cJSON_Delete(n);
		return sa__error_oom();
	}
	return SA_OK;
}

static int find(const sa_alerts *a, const char *id, cJSON **out)
{
	for (size_t i = 0; id && i < sa_alerts_count(a); i++)
		if (strcmp(sa_alert_field(a, i, "id"), id) == 0) {
			*out = nth(a, i);
			return SA_OK;
		}
	return sa__error(SA_ENOTFOUND, "没有预警 %s / no alert %s", id ? id : "", id ? id : "");
}

int sa_alert_acknowledge(sa_alerts *a, const char *id, const char *at, const char *by)
{
	cJSON *o;
	int rc;
	if (!a || !id || !at || !by || !*by)
		return sa__error(SA_EINVALID, "sa_alert_acknowledge: alert id, time and who are required");
	if ((rc = find(a, id, &o)) < 0)
		return rc;
	if (!valid_time(at))
		return sa__error(SA_EINVALID, "时间 '%s' 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS] / time '%s' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]", at, at);
	if (strcmp(cJSON_GetObjectItem(o, "status")->valuestring, "open") != 0)
		return sa__error(SA_EINVALID, "预警 %s 状态为 %s，只有 open 可以签收 / alert %s is %s: only an open alert can be acknowledged",
		                 id, cJSON_GetObjectItem(o, "status")->valuestring, id, cJSON_GetObjectItem(o, "status")->valuestring);
	if ((rc = set_text(o, "acknowledged_at", at)) < 0 || (rc = set_text(o, "acknowledged_by", by)) < 0)
		return rc;
	return set_text(o, "status", "acknowledged");
}

int sa_alert_close(sa_alerts *a, const char *id, const char *at, const char *outcome)
{
	cJSON *o;
	int rc;
	const char *ack;
	if (!a || !id || !at || !outcome || !*outcome)
		return sa__error(SA_EINVALID, "关闭预警须写明结果 / closing an alert needs its outcome");
	if ((rc = find(a, id, &o)) < 0)
		return rc;
	if (!valid_time(at))
		return sa__error(SA_EINVALID, "时间 '%s' 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS] / time '%s' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]", at, at);
	if (strcmp(cJSON_GetObjectItem(o, "status")->valuestring, "acknowledged") != 0)
		return sa__error(SA_EINVALID, "预警 %s 状态为 %s，须先签收再关闭 / alert %s is %s: acknowledge it before closing it",
		                 id, cJSON_GetObjectItem(o, "status")->valuestring, id, cJSON_GetObjectItem(o, "status")->valuestring);
	ack = cJSON_GetObjectItem(o, "acknowledged_at")->valuestring;
	if (strncmp(at, ack, strlen(at) < strlen(ack) ? strlen(at) : strlen(ack)) < 0)
		return sa__error(SA_EINVALID, "预警 %s：关闭时间 %s 早于签收时间 %s / alert %s: closed at %s, before it was acknowledged at %s",
		                 id, at, ack, id, at, ack);
	if ((rc = set_text(o, "closed_at", at)) < 0 || (rc = set_text(o, "outcome", outcome)) < 0)
		return rc;
	return set_text(o, "status", "closed");
}

/* ------------------------------------------------------------------ JSON */

int sa_alerts_to_json(char **out, const sa_alerts *a, unsigned int flags)
{
	sa_buf b = { 0 };
	*out = NULL;
	if (flags & SA_JSON_PRETTY) {
		char *s = cJSON_Print(a ? a->list : NULL);
		if (!s && a)
			return sa__error_oom();
		sa__buf_str(&b, s ? s : "[]");
		sa__buf_str(&b, "\n");
		free(s);
	} else {
		for (size_t i = 0; a && i < sa_alerts_count(a); i++) {
			char *s = cJSON_PrintUnformatted(nth(a, i));
			if (!s) {
				free(b.s);
				return sa__error_oom();
			}
			sa__buf_str(&b, s);
			sa__buf_str(&b, "\n");
			free(s);
		}
		if (!b.s)
			sa__buf_str(&b, "");
	}
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

/* One record read back: every text field text or null, the lifecycle consistent. */
static int check_record(const cJSON *o, const char *name, size_t line)
{
	const char *st;
	const cJSON *v;
	if (!cJSON_IsObject(o))
		return sa__error_at(SA_EINVALID, name, (int)line, 1, "预警记录须为 JSON 对象 / an alert record is a JSON object");
	for (const cJSON *f = o->child; f; f = f->next) {
		size_t k;
		for (k = 0; text_fields[k] && strcmp(text_fields[k], f->string) != 0; k++)
			;
		if (text_fields[k]) {
			if (!cJSON_IsNull(f) && (!cJSON_IsString(f) || strlen(f->valuestring) > MAX_TEXT))
				return sa__error_at(SA_EINVALID, name, (int)line, 1, "预警字段 %s 须为文本或 null / alert field %s must be text or null",
				                    f->string, f->string);
		} else if (strcmp(f->string, "overdue") == 0) {
			if (!cJSON_IsBool(f))
				return sa__error_at(SA_EINVALID, name, (int)line, 1, "overdue 须为 true 或 false / overdue must be true or false");
		} else if (strcmp(f->string, "changes") != 0) {
			return sa__error_at(SA_EINVALID, name, (int)line, 1, "未知的预警字段 %s / unknown alert field %s", f->string,
			                    f->string);
		}
	}
	for (const char *const *k = (const char *const[]){ "id", "rule", "action", "status", "as_of", NULL }; *k; k++)
		if (!cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, *k)))
			return sa__error_at(SA_EINVALID, name, (int)line, 1, "预警记录缺少 %s / an alert record needs %s", *k, *k);
	st = cJSON_GetObjectItemCaseSensitive(o, "status")->valuestring;
	if (strcmp(st, "open") && strcmp(st, "acknowledged") && strcmp(st, "closed"))
		return sa__error_at(SA_EINVALID, name, (int)line, 1, "status '%s' 应为 open、acknowledged 或 closed / status '%s' must be open, acknowledged or closed",
		                    st, st);
	if (strcmp(st, "open") != 0 && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "acknowledged_at")))
		return sa__error_at(SA_EINVALID, name, (int)line, 1, "%s 的预警须有 acknowledged_at / a %s alert needs acknowledged_at", st, st);
	if (strcmp(st, "closed") == 0 && (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "closed_at")) ||
	                                  !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "outcome"))))
		return sa__error_at(SA_EINVALID, name, (int)line, 1, "已关闭的预警须有 closed_at 和 outcome / a closed alert needs closed_at and outcome");
	return SA_OK;
}

int sa_alerts_parse(sa_alerts **out, const char *text, size_t len, const char *name)
{
	sa_alerts *a;
	size_t pos = 0, line = 0;
	int rc;
	*out = NULL;
	if (!text)
		return sa__error(SA_EINVALID, "sa_alerts_parse: NULL text");
	if ((rc = sa__alerts_new(&a)) < 0)
		return rc;
	/* JSON lines: one record per line (what sa_alerts_to_json writes without SA_JSON_PRETTY) */
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		cJSON *o;
		line++;
		pos += n + (nl ? 1 : 0);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (!n)
			continue;
		if (memchr(s, 0, n) || !(o = cJSON_ParseWithLength(s, n))) {
			rc = sa__error_at(SA_EINVALID, name, (int)line, 1, "不是合法 JSON / not valid JSON");
			break;
		}
		for (size_t i = 0; rc == 0 && cJSON_IsObject(o) && i < sa_alerts_count(a); i++)
			if (cJSON_IsString(cJSON_GetObjectItem(o, "id")) &&
			    strcmp(sa_alert_field(a, i, "id"), cJSON_GetObjectItem(o, "id")->valuestring) == 0)
				rc = sa__error_at(SA_EINVALID, name, (int)line, 1, "预警 %s 重复 / alert %s appears twice",
				                  cJSON_GetObjectItem(o, "id")->valuestring, cJSON_GetObjectItem(o, "id")->valuestring);
		if (rc == 0)
			rc = check_record(o, name, line);
		if (rc < 0 || !cJSON_AddItemToArray(a->list, o)) {
			cJSON_Delete(o);
			if (rc == 0)
				rc = sa__error_oom();
			break;
		}
	}
	if (rc < 0) {
		sa_alerts_free(a);
		return rc;
	}
	*out = a;
	return SA_OK;
}

int sa_alerts_to_text(char **out, const sa_alerts *a)
{
	sa_buf b = { 0 };
	*out = NULL;
	sa__buf_fmt(&b, "%zu 条预警 / alerts\n", sa_alerts_count(a));
	for (size_t i = 0; i < sa_alerts_count(a); i++) {
		const char *hh = sa_alert_field(a, i, "household"), *due = sa_alert_field(a, i, "due"),
		           *mem = sa_alert_field(a, i, "member"), *st = sa_alert_field(a, i, "status");
		const cJSON *od = cJSON_GetObjectItem(nth(a, i), "overdue");
		sa__buf_fmt(&b, "%s  %s  %-6s %-6s due %s%s  %s%s%s  [%s]\n", sa_alert_field(a, i, "id"), hh ? hh : "-",
		            sa_alert_field(a, i, "action"), sa_alert_field(a, i, "priority"), due ? due : "-",
		            cJSON_IsTrue(od) && strcmp(st, "closed") != 0 ? " 已逾期 OVERDUE" : "", sa_alert_field(a, i, "rule"), mem ? "  member " : "",
		            mem ? mem : "", st);
		for (const char *const *k = (const char *const[]){ "zh", "en", NULL }; *k; k++)
			if (sa_alert_field(a, i, *k))
				sa__buf_fmt(&b, "    %s\n", sa_alert_field(a, i, *k));
		if (sa_alert_field(a, i, "ref"))
			sa__buf_fmt(&b, "    依据 / ref: %s\n", sa_alert_field(a, i, "ref"));
		if (sa_alert_field(a, i, "outcome"))
			sa__buf_fmt(&b, "    结果 / outcome: %s\n", sa_alert_field(a, i, "outcome"));
	}
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}
