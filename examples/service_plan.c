/* service_plan.c - a host checks 康玉梅's staged service plan (seeds/000) under 东胜区's
 * catalog: evaluate, read the entitlement, check the plan, propose one from needs.
 * Usage: service_plan [PACK_PATH] (default $SA_PACK_PATH, else ./policies). */
#include <sa.h>
#include <stdio.h>
#include <string.h>

static const char *household =
	"household:\n  id: kang-yumei\n  region: \"150602\"\n  area: urban\n  members:\n"
	"    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
	"    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"
	"  assets: { deposits: 0 }\n"
	"  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
	"assets_within_edge_limits: true, assets_within_rigid_limits: true }\n";

static const char *plan = "member: m1\nstages:\n"
                          "  - items: [{ item: festival_visit }, { item: deep_clean }]\n"
                          "  - items: [{ item: massage, quantity: 5 }]\n"
                          "  - items: [{ item: employment_link }]\n";

int main(int argc, char **argv)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	sa_household **hs;
	size_t n;
	sa_decision *d;
	sa_plan_report *r;
	sa_fen budget;
	char money[32], *proposal;
	const char *needs[] = { "关怀", "基本生活", "康复", "就业" };

	o.pack_path = argc > 1 ? argv[1] : NULL; /* NULL: $SA_PACK_PATH, else "policies" */
	if (sa_engine_new(&e, &o) || sa_engine_load(e, "cn-150602") ||
	    sa_household_parse(&hs, &n, household, strlen(household), "example") || sa_evaluate(&d, e, hs[0], 20250301)) {
		fprintf(stderr, "error: %s\n", sa_error_last()->message);
		return 1;
	}
	sa_decision_service_budget(&budget, d, 0);
	sa_money_format(money, sizeof money, budget);
	printf("tier %s; %s may order %zu items, budget %s yuan (%s)\n", sa_decision_tier(d), sa_decision_service_member(d, 0),
	       sa_decision_service_item_count(d, 0), money, sa_decision_service_group(d, 0));
	if (sa_plan_check(&r, e, d, plan, strlen(plan))) {
		fprintf(stderr, "error: %s\n", sa_error_last()->message);
		return 1;
	}
	sa_money_format(money, sizeof money, sa_plan_report_total(r));
	printf("plan: %s, total %s yuan\n", sa_plan_report_accepted(r) ? "accepted" : "rejected", money);
	for (size_t k = 0; k < sa_plan_report_violation_count(r); k++)
		printf("  %s: %s\n", sa_plan_report_violation(r, k, "code"), sa_plan_report_violation(r, k, "zh"));
	if (sa_plan_propose(&proposal, e, d, "m1", needs, 4) == 0) {
		printf("proposal for 关怀/基本生活/康复/就业:\n%s", proposal);
		sa_free(proposal);
	}
	if (sa_plan_report_accepted(r))
		printf("summary: kang plan accepted total=%s\n", money);
	sa_plan_report_free(r);
	sa_decision_free(d);
	sa_household_array_free(hs, n);
	sa_engine_free(e);
	return 0;
}
