/*
 * sa_pg.c - libsa inside PostgreSQL (docs/bindings.md):
 *
 *   sa_evaluate(pack, household jsonb|text, as_of) -> jsonb    the decision; raises on error
 *   sa_try_evaluate(pack, household jsonb|text, as_of) -> jsonb the decision, or
 *                                                {"error": {"message": ..., "path": ...}}
 *   sa_reload() -> integer                       drop this backend's engines (reload from disk)
 *   sa_screen_summary(decision jsonb) -> jsonb   aggregate: counts and cash by tier and program
 *
 * One engine per backend and pack, kept for the backend's life (loading a pack costs
 * milliseconds; evaluating costs microseconds). Packs are found on sa.pack_path; when the
 * setting changes, the backend's engines are dropped at the next call, so the change takes
 * effect on the open connection. Parallel workers are backends too: each loads its own engine.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include <sa.h>
#include <stdlib.h>
#include <string.h>

PG_MODULE_MAGIC;

#define SA_PG_ENGINES 16

static char *pack_path = NULL;
static char *engines_path = NULL; /* the sa.pack_path the cached engines were loaded from */
static struct {
	char id[64];
	sa_engine *engine;
} engines[SA_PG_ENGINES];

void _PG_init(void);

void _PG_init(void)
{
	DefineCustomStringVariable("sa.pack_path", "Directories of libsa policy packs (':'-separated).", NULL,
	                           &pack_path, "/usr/local/share/sa/policies", PGC_SUSET, 0, NULL, NULL, NULL);
}

static int drop_engines(void)
{
	int n = 0;
	for (int i = 0; i < SA_PG_ENGINES; i++) {
		if (engines[i].engine) {
			sa_engine_free(engines[i].engine);
			engines[i].engine = NULL;
			n++;
		}
	}
	free(engines_path);
	engines_path = NULL;
	return n;
}

/* The backend's engine for pack id, loading it if needed; NULL with libsa's error set. */
static sa_engine *engine_for(const char *id)
{
	int free_slot = -1;
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	const char *path = pack_path ? pack_path : "";
	if (engines_path && strcmp(engines_path, path) != 0)
		drop_engines(); /* sa.pack_path changed since they were loaded */
	for (int i = 0; i < SA_PG_ENGINES; i++) {
		if (engines[i].engine && strcmp(engines[i].id, id) == 0)
			return engines[i].engine;
		if (!engines[i].engine && free_slot < 0)
			free_slot = i;
	}
	if (strlen(id) >= sizeof engines[0].id)
		ereport(ERROR, (errmsg("libsa: pack id too long")));
	if (free_slot < 0) { /* all slots taken: drop the first */
		sa_engine_free(engines[0].engine);
		engines[0].engine = NULL;
		free_slot = 0;
	}
	if (!engines_path && !(engines_path = strdup(path)))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	o.pack_path = pack_path;
	if (sa_engine_new(&e, &o) < 0)
		return NULL;
	if (sa_engine_load(e, id) < 0) {
		sa_engine_free(e);
		return NULL;
	}
	strcpy(engines[free_slot].id, id);
	engines[free_slot].engine = e;
	return e;
}

/*
 * Evaluate: household text (YAML/JSON: a bare object, or a `household:` document) on date.
 * Returns the decision JSON (sa_free it) or NULL with libsa's error set; *stage says what
 * failed ("pack", "household", "evaluate").
 */
static char *evaluate(const char *pack, const char *hh_text, size_t hh_len, DateADT date, const char **stage)
{
	char *date_str = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)));
	sa_engine *e;
	sa_household **hh = NULL;
	size_t n = 0;
	sa_decision *d = NULL;
	sa_date as_of;
	char *json = NULL;
	int rc;

	*stage = "pack";
	if (!(e = engine_for(pack)))
		return NULL;
	*stage = "date";
	if (sa_date_parse(&as_of, date_str) < 0)
		return NULL;
	*stage = "household";
	if (sa_household_parse(&hh, &n, hh_text, hh_len, "household") < 0)
		return NULL;
	if (n != 1) {
		sa_household_array_free(hh, n);
		sa_error_clear();
		return NULL;
	}
	*stage = "evaluate";
	rc = sa_evaluate(&d, e, hh[0], as_of);
	sa_household_array_free(hh, n);
	if (rc == 0) {
		rc = sa_decision_to_json(&json, d, 0);
		sa_decision_free(d);
	}
	return rc < 0 ? NULL : json;
}

static const char *error_message(void)
{
	const sa_error *e = sa_error_last();
	return e ? e->message : "expected exactly one household";
}

static void raise(const char *stage)
{
	const sa_error *e = sa_error_last();
	int code = strcmp(stage, "pack") == 0 ? ERRCODE_UNDEFINED_OBJECT : ERRCODE_DATA_EXCEPTION;
	ereport(ERROR, (errcode(code), errmsg("libsa: %s: %s", stage, error_message()),
	                e && e->source && e->line ? errdetail("at %s:%d:%d", e->source, e->line, e->column) : 0));
}

static Datum text_to_jsonb(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

static void json_string(StringInfo b, const char *s)
{
	appendStringInfoChar(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			appendStringInfo(b, "\\%c", ch);
		else if (ch < 0x20)
			appendStringInfo(b, "\\u%04x", ch);
		else
			appendStringInfoChar(b, (char)ch);
	}
	appendStringInfoChar(b, '"');
}

/* {"error": {"message": ..., "path": "members.0.income.wages" | null, "stage": ...}} */
static Datum error_jsonb(const char *stage)
{
	const char *msg = error_message(), *f = strstr(msg, "field '"), *end;
	StringInfoData b;
	initStringInfo(&b);
	appendStringInfoString(&b, "{\"error\": {\"message\": ");
	json_string(&b, msg);
	appendStringInfoString(&b, ", \"path\": ");
	if (f && (end = strchr(f + 7, '\''))) {
		char *path = pnstrdup(f + 7, (Size)(end - f - 7));
		json_string(&b, path);
	} else {
		appendStringInfoString(&b, "null");
	}
	appendStringInfoString(&b, ", \"stage\": ");
	json_string(&b, stage);
	appendStringInfoString(&b, "}}");
	return text_to_jsonb(b.data);
}

/* The household argument as text: jsonb is written out (a bare object), text taken as is. */
static char *household_arg(FunctionCallInfo fcinfo, bool is_jsonb, size_t *len)
{
	if (is_jsonb) {
		Jsonb *jb = PG_GETARG_JSONB_P(1);
		char *s = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
		*len = strlen(s);
		return s;
	} else {
		text *t = PG_GETARG_TEXT_PP(1);
		*len = VARSIZE_ANY_EXHDR(t);
		return VARDATA_ANY(t);
	}
}

static Datum do_evaluate(FunctionCallInfo fcinfo, bool is_jsonb, bool try)
{
	char *pack = text_to_cstring(PG_GETARG_TEXT_PP(0));
	size_t len;
	char *hh = household_arg(fcinfo, is_jsonb, &len);
	const char *stage;
	char *json = evaluate(pack, hh, len, PG_GETARG_DATEADT(2), &stage);
	Datum result;
	if (!json) {
		if (!try)
			raise(stage);
		return error_jsonb(stage);
	}
	result = text_to_jsonb(json);
	sa_free(json);
	return result;
}

PG_FUNCTION_INFO_V1(sa_pg_evaluate);
PG_FUNCTION_INFO_V1(sa_pg_evaluate_jsonb);
PG_FUNCTION_INFO_V1(sa_pg_try_evaluate);
PG_FUNCTION_INFO_V1(sa_pg_try_evaluate_jsonb);
PG_FUNCTION_INFO_V1(sa_pg_reload);

/* sa_evaluate(pack text, household text, as_of date) returns jsonb */
Datum sa_pg_evaluate(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(do_evaluate(fcinfo, false, false));
}

/* sa_evaluate(pack text, household jsonb, as_of date) returns jsonb */
Datum sa_pg_evaluate_jsonb(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(do_evaluate(fcinfo, true, false));
}

Datum sa_pg_try_evaluate(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(do_evaluate(fcinfo, false, true));
}

Datum sa_pg_try_evaluate_jsonb(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(do_evaluate(fcinfo, true, true));
}

/* sa_reload() returns integer: engines dropped; the next call loads each pack from disk. */
Datum sa_pg_reload(PG_FUNCTION_ARGS)
{
	(void)fcinfo;
	PG_RETURN_INT32(drop_engines());
}

/* ---- the aggregate sa_screen_summary(decision jsonb) ----
 *
 * State: int8[] (parallel-safe without serialisation): records, evaluated, errors, then per
 * tier (tekun, dibao, edge, rigid, none) households and their cash, then per program
 * (tekun, dibao, edge, rigid) eligible, undetermined and cash. Cash is monthly, in fen: the
 * sum of the eligible amounts of the four tier programs (as sa screen counts it). */

static const char *const tiers[] = { "tekun", "dibao", "edge", "rigid", "none" };
#define NT 5
#define NP 4
#define S_RECORDS 0
#define S_EVALUATED 1
#define S_ERRORS 2
#define S_TIER_N 3                 /* + tier */
#define S_TIER_CASH (S_TIER_N + NT) /* + tier */
#define S_ELIG (S_TIER_CASH + NT)   /* + program */
#define S_UNDET (S_ELIG + NP)
#define S_CASH (S_UNDET + NP)
#define S_LEN (S_CASH + NP)

static ArrayType *state_new(void)
{
	Datum zero[S_LEN];
	for (int i = 0; i < S_LEN; i++)
		zero[i] = Int64GetDatum(0);
	return construct_array(zero, S_LEN, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

static int64 *state_values(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != S_LEN || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR, (errmsg("sa_screen_summary: bad state")));
	return (int64 *)ARR_DATA_PTR(a);
}

/* The state, writable: in place under an aggregate (as int8_avg_accum does), else a copy. */
static ArrayType *state_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return NULL;
	return AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(n) : PG_GETARG_ARRAYTYPE_P_COPY(n);
}

static JsonbValue *key(JsonbContainer *c, const char *k)
{
	JsonbValue kv;
	kv.type = jbvString;
	kv.val.string.val = (char *)k;
	kv.val.string.len = (int)strlen(k);
	return findJsonbValueFromContainer(c, JB_FOBJECT, &kv);
}

static bool string_is(const JsonbValue *v, const char *s)
{
	return v && v->type == jbvString && v->val.string.len == (int)strlen(s) &&
	       memcmp(v->val.string.val, s, (size_t)v->val.string.len) == 0;
}

PG_FUNCTION_INFO_V1(sa_pg_summary_step);
PG_FUNCTION_INFO_V1(sa_pg_summary_combine);
PG_FUNCTION_INFO_V1(sa_pg_summary_final);

Datum sa_pg_summary_step(PG_FUNCTION_ARGS)
{
	ArrayType *a = state_arg(fcinfo, 0);
	int64 *s, cash = 0;
	Jsonb *jb;
	JsonbValue *tier, *progs;
	int t = NT - 1;
	if (!a)
		a = state_new();
	s = state_values(a);
	if (PG_ARGISNULL(1))
		PG_RETURN_ARRAYTYPE_P(a);
	jb = PG_GETARG_JSONB_P(1);
	s[S_RECORDS]++;
	if (!JB_ROOT_IS_OBJECT(jb) || key(&jb->root, "error") || !(progs = key(&jb->root, "programs")) ||
	    progs->type != jbvBinary) {
		s[S_ERRORS]++;
		PG_RETURN_ARRAYTYPE_P(a);
	}
	s[S_EVALUATED]++;
	tier = key(&jb->root, "tier");
	for (int i = 0; i < NT; i++)
		if (string_is(tier, tiers[i]))
			t = i;
	for (uint32 i = 0; i < JsonContainerSize(progs->val.binary.data); i++) {
		JsonbValue *p = getIthJsonbValueFromContainer(progs->val.binary.data, i), *name, *status, *fen;
		int k = -1;
		if (!p || p->type != jbvBinary)
			continue;
		name = key(p->val.binary.data, "program");
		for (int j = 0; j < NP; j++)
			if (string_is(name, tiers[j]))
				k = j;
		if (k < 0)
			continue;
		status = key(p->val.binary.data, "status");
		if (string_is(status, "eligible")) {
			s[S_ELIG + k]++;
			fen = key(p->val.binary.data, "amount_fen");
			if (fen && fen->type == jbvNumeric) {
				int64 v = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(fen->val.numeric)));
				s[S_CASH + k] += v;
				cash += v;
			}
		} else if (string_is(status, "undetermined")) {
			s[S_UNDET + k]++;
		}
	}
	s[S_TIER_N + t]++;
	s[S_TIER_CASH + t] += cash;
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum sa_pg_summary_combine(PG_FUNCTION_ARGS)
{
	ArrayType *a = state_arg(fcinfo, 0), *b = PG_ARGISNULL(1) ? NULL : PG_GETARG_ARRAYTYPE_P(1);
	int64 *sa, *sb;
	if (!a && !b)
		PG_RETURN_NULL();
	if (!a)
		a = b ? (ArrayType *)PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(1)) : state_new();
	else if (b) {
		sa = state_values(a);
		sb = state_values(b);
		for (int i = 0; i < S_LEN; i++)
			sa[i] += sb[i];
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

static void yuan(StringInfo b, int64 fen)
{
	appendStringInfo(b, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(fen < 0 ? -fen : fen) / 100,
	                 (long long)(fen < 0 ? -fen : fen) % 100);
}

/* {"records", "evaluated", "errors", "tiers": {tier: {"households", "cash"}},
 *  "programs": {program: {"eligible", "undetermined", "cash"}}}; cash in yuan per month. */
Datum sa_pg_summary_final(PG_FUNCTION_ARGS)
{
	ArrayType *a = PG_ARGISNULL(0) ? state_new() : PG_GETARG_ARRAYTYPE_P(0);
	int64 *s = state_values(a);
	StringInfoData b;
	initStringInfo(&b);
	appendStringInfo(&b, "{\"records\": %lld, \"evaluated\": %lld, \"errors\": %lld, \"tiers\": {",
	                 (long long)s[S_RECORDS], (long long)s[S_EVALUATED], (long long)s[S_ERRORS]);
	for (int i = 0; i < NT; i++) {
		appendStringInfo(&b, "%s\"%s\": {\"households\": %lld, \"cash\": ", i ? ", " : "", tiers[i],
		                 (long long)s[S_TIER_N + i]);
		yuan(&b, s[S_TIER_CASH + i]);
		appendStringInfoChar(&b, '}');
	}
	appendStringInfoString(&b, "}, \"programs\": {");
	for (int i = 0; i < NP; i++) {
		appendStringInfo(&b, "%s\"%s\": {\"eligible\": %lld, \"undetermined\": %lld, \"cash\": ", i ? ", " : "",
		                 tiers[i], (long long)s[S_ELIG + i], (long long)s[S_UNDET + i]);
		yuan(&b, s[S_CASH + i]);
		appendStringInfoChar(&b, '}');
	}
	appendStringInfoString(&b, "}}");
	PG_RETURN_DATUM(text_to_jsonb(b.data));
}
