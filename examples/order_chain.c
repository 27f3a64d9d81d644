/* order_chain.c - one service order through 申请 → 点单 → 派单 → 服务 → 回访 with the due
 * dates of 东胜区's catalog, then the provider's traffic light from recipients' scores
 * (the 惠民县 supervision platform in seeds/000).
 * Usage: order_chain [PACK_PATH] (default $SA_PACK_PATH, else ./policies). */
#include <sa.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	const sa_catalog *c;
	sa_order *ord;
	sa_ratings *r;
	const char *light;
	int avg;
	size_t n;
	sa_date when[] = { 0, 20250303, 20250304, 20250310, 20250402 };
	int scores[] = { 5, 4, 5, 5 };

	o.pack_path = argc > 1 ? argv[1] : NULL; /* NULL: $SA_PACK_PATH, else "policies" */
	if (sa_engine_new(&e, &o) || sa_engine_load(e, "cn-150602") || sa_engine_catalog(&c, e) ||
	    sa_order_new(&ord, c, "massage", 20250301)) {
		fprintf(stderr, "error: %s\n", sa_error_last()->message);
		return 1;
	}
	printf("%s %d\n", sa_order_step_zh(SA_ORDER_APPLY), (int)sa_order_date(ord, SA_ORDER_APPLY));
	for (int s = SA_ORDER_ORDER; s <= SA_ORDER_FOLLOW_UP; s++) {
		sa_date due = sa_order_due(ord, (sa_order_step)s);
		if (sa_order_advance(ord, (sa_order_step)s, when[s])) {
			fprintf(stderr, "error: %s\n", sa_error_last()->message);
			return 1;
		}
		printf("%s %d (due %d)%s\n", sa_order_step_zh((sa_order_step)s), (int)when[s], (int)due,
		       when[s] > due ? " late" : "");
	}
	/* a step out of order is refused */
	if (sa_order_advance(ord, SA_ORDER_DISPATCH, 20250405) == SA_EINVALID)
		printf("refused: %s\n", sa_error_last()->message);
	sa_ratings_new(&r, c);
	for (int i = 0; i < 4; i++)
		sa_ratings_add(r, "凯霖社会工作服务中心", scores[i]);
	sa_ratings_status(&light, &avg, &n, r, "凯霖社会工作服务中心");
	printf("summary: chain done follow_up=%d provider=%s avg=%d.%02d n=%zu\n", (int)sa_order_date(ord, SA_ORDER_FOLLOW_UP),
	       light, avg / 100, avg % 100, n);
	sa_ratings_free(r);
	sa_order_free(ord);
	sa_engine_free(e);
	return 0;
}
