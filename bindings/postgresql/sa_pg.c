/*
 * sa_pg.c - libsa inside PostgreSQL: sa_evaluate(pack, household, as_of) -> jsonb.
 *
 * One engine per backend and pack, kept for the backend's life (loading a pack costs a few
 * milliseconds; evaluating costs microseconds). Packs are found on the GUC sa.pack_path.
 * A libsa error becomes an ERROR with the source position in the detail.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

#include <sa.h>
#include <stdlib.h>
#include <string.h>

PG_MODULE_MAGIC;

#define SA_PG_ENGINES 16

static char *pack_path = NULL;
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

static void raise(const char *what)
{
	const sa_error *e = sa_error_last();
	ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("libsa: %s: %s", what, e ? e->message : "failed"),
	                e && e->source ? errdetail("at %s:%d:%d", e->source, e->line, e->column) : 0));
}

static sa_engine *engine_for(const char *id)
{
	int free_slot = -1;
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
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
	o.pack_path = pack_path;
	if (sa_engine_new(&e, &o) < 0)
		raise("engine");
	if (sa_engine_load(e, id) < 0) {
		sa_error saved = *sa_error_last();
		sa_engine_free(e);
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("libsa: pack %s: %s", id, saved.message)));
	}
	strcpy(engines[free_slot].id, id);
	engines[free_slot].engine = e;
	return e;
}

PG_FUNCTION_INFO_V1(sa_pg_evaluate);

/* sa_evaluate(pack text, household text, as_of date) returns jsonb */
Datum sa_pg_evaluate(PG_FUNCTION_ARGS)
{
	char *pack = text_to_cstring(PG_GETARG_TEXT_PP(0));
	text *hh_text = PG_GETARG_TEXT_PP(1);
	DateADT date = PG_GETARG_DATEADT(2);
	char *date_str = DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)));
	sa_engine *e = engine_for(pack);
	sa_household **hh = NULL;
	size_t n = 0;
	sa_decision *d = NULL;
	sa_date as_of;
	char *json = NULL;
	Datum result;
	int rc;

	if (sa_date_parse(&as_of, date_str) < 0)
		raise("date");
	if (sa_household_parse(&hh, &n, VARDATA_ANY(hh_text), VARSIZE_ANY_EXHDR(hh_text), "household") < 0)
		raise("household");
	if (n != 1) {
		sa_household_array_free(hh, n);
		ereport(ERROR, (errmsg("libsa: expected one household, got %zu", n)));
	}
	rc = sa_evaluate(&d, e, hh[0], as_of);
	sa_household_array_free(hh, n);
	if (rc < 0)
		raise("evaluate");
	rc = sa_decision_to_json(&json, d, 0);
	sa_decision_free(d);
	if (rc < 0)
		raise("json");
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
	sa_free(json);
	PG_RETURN_DATUM(result);
}
