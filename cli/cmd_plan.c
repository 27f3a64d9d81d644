/* cmd_plan.c - sa plan: check a service plan, or propose one from needs (docs/services.md). */
#include "cli.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

/* The plan file: a file, a pipe or "-" (stdin), read to its end; a directory is refused. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s plan: %s is a directory, not a plan file\n", cli_prog, path);
		fclose(f);
		return NULL;
	}
	do {
		if (cap - n < 4096) {
			char *nb = cap > ((size_t)64 << 20) ? NULL : realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

int cmd_plan(int argc, char **argv)
{
	const char *pack = NULL, *pack_path = NULL, *hfile = NULL, *pfile = NULL, *member = NULL, *needs = NULL;
	sa_date date = 0;
	sa_engine *e;
	sa_household **hhs, *hh;
	size_t nh = 0;
	sa_decision *d;
	int rc = 1;

	for (int i = 0; i < argc; i++) {
		int k = cli_common_option(argc, argv, &i, &pack, &pack_path, NULL, &date);
		if (k < 0)
			return 1;
		if (k > 0)
			continue;
		if (strcmp(argv[i], "--member") == 0 && i + 1 < argc)
			member = argv[++i];
		else if (strcmp(argv[i], "--propose") == 0 && i + 1 < argc)
			needs = argv[++i];
		else if (argv[i][0] != '-' && !hfile)
			hfile = argv[i];
		else if (argv[i][0] != '-' && !pfile)
			pfile = argv[i];
		else {
			cli_usage(stderr);
			return 2;
		}
	}
	if (!pack || !hfile || (!pfile && !(needs && member))) {
		cli_usage(stderr);
		return 2;
	}
	if (!date)
		date = cli_today();
	if (!(e = cli_open_engine(pack_path, pack)))
		return 1;
	if (sa_household_read_file(&hhs, &nh, hfile) < 0 || nh == 0) {
		cli_error(hfile);
		sa_engine_free(e);
		return 1;
	}
	hh = hhs[0]; /* the first household of the file */
	if (sa_evaluate(&d, e, hh, date) < 0) {
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
		char *text = slurp(pfile, &len), *out;
		sa_plan_report *r;
		if (!text) {
			fprintf(stderr, "%s plan: cannot read %s\n", cli_prog, pfile);
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
