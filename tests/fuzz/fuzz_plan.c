/* fuzz_plan.c - libFuzzer: the service plan reader (sa_plan_check) against the decision for
 * one entitled household of the 呼和浩特 pack (cn-150602), made once. */
#include "fuzz_common.h"

#include <stdint.h>

static const char household[] =
	"household:\n  id: t\n  region: \"150602\"\n  area: urban\n  members:\n"
	"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
	"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"
	"  assets: { deposits: 0 }\n"
	"  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
	"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sa_decision *d;
	sa_engine *e = fuzz_engine("cn-150602");
	sa_plan_report *r = NULL;
	char *text;
	if (!d) {
		sa_household **hs;
		size_t n;
		if (sa_household_parse(&hs, &n, household, sizeof household - 1, "fuzz") != 0 ||
		    sa_evaluate(&d, e, hs[0], 20250301) != 0)
			abort();
		sa_household_array_free(hs, n);
	}
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (sa_plan_check(&r, e, d, text, size) == 0) {
		char *json = NULL;
		if (sa_plan_report_to_json(&json, r, 0) == 0)
			sa_free(json);
		sa_plan_report_free(r);
	}
	free(text);
	return 0;
}
