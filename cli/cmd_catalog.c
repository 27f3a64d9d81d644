/* cmd_catalog.c - sa catalog: a pack's service catalog (docs/services.md). */
#include "cli.h"

#include <string.h>

int cmd_catalog(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { .format = "text" };
	const char *pack, *format;
	const sa_catalog *c;
	sa_engine *e;
	sa_fen budget;
	char money[32];
	int first, status = 0;

	if ((first = cli_parse(argc, argv, longopts, &o, NULL, NULL, &status)) < 0)
		return status;
	if (!o.pack && first < argc)
		o.pack = argv[first++];
	pack = o.pack;
	format = o.format;
	if (!pack || first != argc || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cli_command_usage(stderr, argv[0]);
		return 2;
	}
	if (!(e = cli_open_engine(o.pack_path, pack)))
		return 1;
	if (sa_engine_catalog(&c, e) < 0) {
		cli_error(pack);
		sa_engine_free(e);
		return 1;
	}
	if (strcmp(format, "json") == 0) {
		char *out;
		if (sa_catalog_to_json(&out, c) < 0) {
			sa_engine_free(e);
			return cli_error("output");
		}
		fputs(out, stdout);
		sa_free(out);
	} else {
		printf("服务目录 catalog of %s", sa_catalog_pack(c));
		if (sa_catalog_budget(&budget, c) == 0) {
			sa_money_format(money, sizeof money, budget);
			printf("  预算 budget %s 元/人/年", money);
		}
		printf("\n");
		for (size_t s = 0; s < sa_catalog_stage_count(c); s++)
			printf("  阶段 stage %s %d%%\n", sa_catalog_stage_id(c, s), sa_catalog_stage_share(c, s));
		for (size_t i = 0; i < sa_catalog_item_count(c); i++) {
			sa_fen p;
			const char *src = sa_catalog_item_field(c, i, "source");
			if (sa_catalog_item_price(&p, c, i) == 0)
				sa_money_format(money, sizeof money, p);
			else
				strcpy(money, "-");
			printf("  %-20s %-10s %10s 元/%s%s\n", sa_catalog_item_field(c, i, "id"),
			       sa_catalog_item_field(c, i, "category") ? sa_catalog_item_field(c, i, "category") : "-", money,
			       sa_catalog_item_field(c, i, "unit") ? sa_catalog_item_field(c, i, "unit") : "?",
			       src && strcmp(src, "invented") == 0 ? "  (invented)" : "");
			printf("      %s\n", sa_catalog_item_field(c, i, "name"));
		}
	}
	sa_engine_free(e);
	return 0;
}
