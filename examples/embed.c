/*
 * embed.c - the smallest host of libsa: create an engine, load a pack, build a household
 * through the API, evaluate it, and read the decision (as values, as text, as JSON).
 *
 *   embed [PACK_PATH [PACK_ID [DATE]]]
 *
 * Defaults: the example's own packs (examples/packs, pack cn-example) on 2025-08-01, so the
 * program runs without the shipped policies. Against the shipped packs, e.g.:
 *
 *   embed policies cn-53 2025-08-01
 *
 * Every libsa call returns 0 or a negative sa_error_code; the detail of a failure is in
 * sa_error_last() (message, source, line, column) on this thread. See docs/api.md.
 */
#include <sa.h>

#include <stdio.h>
#include <stdlib.h>

/* Usage: embed [PACK_PATH [PACK [DATE]]]; run from the source tree, the default finds its packs. */
#define SA_EXAMPLE_PACKS "examples/packs"

static int report(const char *what, int rc)
{
	const sa_error *e = sa_error_last();
	fprintf(stderr, "embed: %s failed: %s (%s)", what, e ? e->message : "?", sa_strerror(rc));
	if (e && e->source)
		fprintf(stderr, " at %s:%d:%d", e->source, e->line, e->column);
	fputc('\n', stderr);
	return 1;
}

/* A retired couple in an urban area: one pension of 300 yuan a month, no other income.
 * The facts beyond the example rules' needs (self-care, support mode, attested assets) make
 * the household decidable by the shipped national rules too. */
static int build_household(sa_household **out)
{
	static const char *const fields[][2] = {
		{ "members.0.income.pension", "300" },
		{ "members.1.income.wages", "0" },
		{ "members.0.support_mode", "home" },
		{ "members.1.support_mode", "home" },
		{ "attested.assets_within_tekun_limits", "true" },
		{ "attested.assets_within_dibao_limits", "true" },
		{ "attested.assets_within_edge_limits", "true" },
		{ "attested.assets_within_rigid_limits", "true" },
	};
	static const char *const activities[] = { "eating", "dressing", "bed_transfer", "toileting", "indoor_walking",
		                                  "bathing" };
	sa_household *hh;
	size_t m1, m2;
	int rc;

	if ((rc = sa_household_new(&hh, "example-001", "990101", "urban")) < 0)
		return rc;
	if ((rc = sa_household_add_member(&m1, hh, "m1", "head", "1950-03-01")) < 0 ||
	    (rc = sa_household_add_member(&m2, hh, "m2", "spouse", "1952-07-15")) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if ((rc = sa_household_set(hh, fields[i][0], fields[i][1])) < 0)
			goto fail;
	/* an object is built field by field; it is checked as a whole before evaluation */
	for (size_t m = 0; m < 2; m++)
		for (size_t i = 0; i < sizeof activities / sizeof *activities; i++) {
			char path[64];
			snprintf(path, sizeof path, "members.%zu.self_care.%s", m, activities[i]);
			if ((rc = sa_household_set(hh, path, "true")) < 0)
				goto fail;
		}
	*out = hh;
	return 0;
fail:
	sa_household_free(hh);
	return rc;
}

static const char *yuan(char buf[32], sa_fen fen)
{
	sa_money_format(buf, 32, fen);
	return buf;
}

int main(int argc, char **argv)
{
	const char *pack_path = argc > 1 ? argv[1] : SA_EXAMPLE_PACKS;
	const char *pack_id = argc > 2 ? argv[2] : "cn-example";
	const char *date_text = argc > 3 ? argv[3] : "2025-08-01";
	sa_engine_options opts;
	sa_engine *engine = NULL;
	sa_household *hh = NULL;
	sa_decision *d = NULL;
	char *text = NULL, *json = NULL, a[32], b[32], c[32];
	sa_date as_of, from;
	sa_fen tekun = 0, dibao = 0;
	sa_period period;
	int rc, status = 1, i;

	/* 1. options and the engine (one per thread) */
	sa_engine_options_init(&opts, SA_ENGINE_OPTIONS_VERSION);
	opts.pack_path = pack_path;
	if ((rc = sa_engine_new(&engine, &opts)) < 0) {
		report("sa_engine_new", rc);
		goto out;
	}
	/* 2. the pack and its ancestors, compiled once into the engine's sandbox */
	if ((rc = sa_engine_load(engine, pack_id)) < 0) {
		report("sa_engine_load", rc);
		goto out;
	}
	printf("pack %s (%.12s...)\n", sa_engine_pack_id(engine), sa_engine_pack_hash(engine));
	/* 3. a household, built through the API (sa_household_read_file reads YAML or JSON) */
	if ((rc = build_household(&hh)) < 0) {
		report("building the household", rc);
		goto out;
	}
	/* 4. evaluate on a date */
	if ((rc = sa_date_parse(&as_of, date_text)) < 0) {
		report("sa_date_parse", rc);
		goto out;
	}
	if ((rc = sa_evaluate(&d, engine, hh, as_of)) < 0) {
		report("sa_evaluate", rc);
		goto out;
	}
	/* 5. read it: values, text for a caseworker, JSON for another system */
	if ((i = sa_decision_find(d, "tekun")) >= 0)
		sa_decision_program_amount(&tekun, d, (size_t)i);
	if ((i = sa_decision_find(d, "dibao")) >= 0)
		sa_decision_program_amount(&dibao, d, (size_t)i);
	if ((rc = sa_decision_to_text(&text, d)) < 0 || (rc = sa_decision_to_json(&json, d, SA_JSON_PRETTY)) < 0) {
		report("writing the decision", rc);
		goto out;
	}
	fputs(text, stdout);
	puts(json);
	/* 6. a sum over months that crosses a change of standard (1 July) */
	from = sa_date_add_months(as_of, -3);
	if ((rc = sa_evaluate_period(&period, engine, hh, "tekun", from, 4)) < 0) {
		report("sa_evaluate_period", rc);
		goto out;
	}
	if (period.status == SA_UNDETERMINED) /* a result, not an error: some month is unknown */
		fprintf(stderr, "tekun is undetermined in the month starting %d\n", (int)period.unknown_month);
	printf("summary: tier=%s tekun=%s dibao=%s tekun_4_months=%s\n", sa_decision_tier(d), yuan(a, tekun),
	       yuan(b, dibao), yuan(c, period.total));
	status = 0;
out:
	/* 7. free everything (each free accepts NULL) */
	sa_free(text);
	sa_free(json);
	sa_decision_free(d);
	sa_household_free(hh);
	sa_engine_free(engine);
	return status;
}
