/* cmd_plan.c - sa plan: check a service plan, or propose one from needs (docs/services.md). */
#include "cli.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

typedef struct {
	const char *member, *needs;
} plan_opts;

static int own(int c, const char *arg, void *ud)
{
	plan_opts *p = ud;
	if (c == OPT_MEMBER)
		p->member = arg;
	else if (c == OPT_PROPOSE)
		p->needs = arg;
	else
		return 1;
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "pack", required_argument, NULL, OPT_PACK },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "member", required_argument, NULL, OPT_MEMBER },
		{ "propose", required_argument, NULL, OPT_PROPOSE },
		{ 0, 0, 0, 0 }
	};
	cli_opts o = { 0 };
	plan_opts po = { 0 };
	const char *hfile = NULL, *pfile = NULL, *member, *needs, *hname;
	sa_engine *e;
	sa_household **hhs, *hh;
	size_t nh = 0, hlen;
	sa_decision *d;
	char *htext;
	int rc = 1, first, status = 0;

	if ((first = cli_parse(argc, argv, longopts, &o, own, &po, &status)) < 0)
		return status;
	member = po.member;
	needs = po.needs;
	if (first < argc)
		hfile = argv[first];
	if (first + 1 < argc)
		pfile = argv[first + 1];
	if (!o.pack || !hfile || first + 2 < argc || (!pfile && !(needs && member)) ||
	    (pfile && strcmp(pfile, "-") == 0 && strcmp(hfile, "-") == 0)) {
		cli_command_usage(stderr, argv[0]);
		return 2;
	}
	if (!o.date)
		o.date = cli_today();
	if (!(e = cli_open_engine(o.pack_path, o.pack)))
		return 1;
	hname = strcmp(hfile, "-") == 0 ? "<stdin>" : hfile;
	if (!(htext = cli_slurp(hfile, &hlen))) {
		sa_engine_free(e);
		return 1;
	}
	if (sa_household_parse(&hhs, &nh, htext, hlen, hname) < 0 || nh == 0) {
		free(htext);
		cli_error(hname);
		sa_engine_free(e);
		return 1;
	}
	free(htext);
	hh = hhs[0]; /* the first household of the file */
	if (sa_evaluate(&d, e, hh, o.date) < 0) {
		cli_error(hfile);
		goto out_hh;
	}
	if (needs) { /* --propose 基本生活,康复,...: a plan as JSON */
		const char *list[32];
		size_t n = 0;
		char *copy = strdup(needs), *tok, *save = NULL, *out;
		for (tok = strtok_r(copy, ",", &save); tok && n < 32; tok = strtok_r(NULL, ",", &save))
			list[n++] = tok;
		if (sa_plan_propose(&out, e, d, member, list, n) == 0) {
			fputs(out, stdout);
			sa_free(out);
			rc = 0;
		} else {
			cli_error(member);
		}
		free(copy);
	} else {
		size_t len = 0;
		char *text = cli_slurp(pfile, &len), *out;
		sa_plan_report *r;
		if (!text) {
			rc = 1;
		} else if (sa_plan_check(&r, e, d, text, len) < 0) {
			cli_error(pfile);
		} else {
			if (sa_plan_report_to_json(&out, r, SA_JSON_PRETTY) == 0) {
				fputs(out, stdout);
				sa_free(out);
			}
			rc = sa_plan_report_accepted(r) ? 0 : 3;
			sa_plan_report_free(r);
		}
		free(text);
	}
	sa_decision_free(d);
out_hh:
	sa_household_array_free(hhs, nh);
	sa_engine_free(e);
	return rc;
}
