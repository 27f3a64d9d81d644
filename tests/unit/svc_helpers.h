/* svc_helpers.h - shared by test_services.c, test_plan.c, test_order.c, test_temporary.c:
 * an engine on policies/ plus tests/data/services (fixture pack cn-99), and households. */
#ifndef SVC_HELPERS_H
#define SVC_HELPERS_H

#include <sa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline sa_engine *svc_engine(const char *pack)
{
	static char path[4096];
	const char *src = getenv("SA_SOURCE_DIR");
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	snprintf(path, sizeof path, "%s/policies:%s/tests/data/services", src ? src : ".", src ? src : ".");
	o.pack_path = path;
	assert_int_equal(sa_engine_new(&e, &o), 0);
	if (sa_engine_load(e, pack) != 0)
		fail_msg("load %s: %s", pack, sa_error_last()->message);
	return e;
}

/* Evaluate a household given as YAML member lines (and extra household lines). */
static inline sa_decision *svc_eval(sa_engine *e, const char *region, const char *members, const char *extra, sa_date as_of)
{
	char doc[8192];
	sa_household **hs;
	size_t n;
	sa_decision *d;
	snprintf(doc, sizeof doc,
	         "household:\n  id: t\n  region: \"%s\"\n  area: urban\n  members:\n%s"
	         "  assets: { deposits: 0 }\n"
	         "  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
	         "assets_within_edge_limits: true, assets_within_rigid_limits: true }\n%s",
	         region, members, extra ? extra : "");
	if (sa_household_parse(&hs, &n, doc, strlen(doc), "test") != 0)
		fail_msg("household: %s", sa_error_last()->message);
	if (sa_evaluate(&d, e, hs[0], as_of) != 0)
		fail_msg("evaluate: %s", sa_error_last()->message);
	sa_household_array_free(hs, n);
	return d;
}

/* 康玉梅 (seeds/000): left hand 四级 physical disability, husband with a major illness, no income. */
#define KANG_MEMBERS                                                                                  \
	"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, " \
	"income: { wages: 0 } }\n"                                                                    \
	"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"

static inline int svc_member_index(const sa_decision *d, const char *id)
{
	for (size_t k = 0; k < sa_decision_service_member_count(d); k++)
		if (strcmp(sa_decision_service_member(d, k), id) == 0)
			return (int)k;
	return -1;
}

#endif
