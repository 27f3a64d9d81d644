/* sa - the libsa command: evaluate households, run packs' golden tests. */
#include <sa.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *prog = "sa";

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s eval --pack ID [--date YYYY-MM-DD] [--format json|text] [--pack-path DIRS] FILE...\n"
	        "       %s test [--pack-path DIRS] [--verbose] [PACK...]\n"
	        "\n"
	        "  eval   evaluate the households in each YAML/JSON FILE and print the decisions\n"
	        "  test   run the golden tests of each PACK (default: every pack on the pack path)\n"
	        "\n"
	        "The pack path is ':'-separated; default $SA_PACK_PATH, else ./policies.\n",
	        prog, prog);
}

static int error_out(const char *what)
{
	const sa_error *e = sa_error_last();
	if (e && e->source && e->line)
		fprintf(stderr, "%s: %s:%d:%d: %s\n", prog, e->source, e->line, e->column, e->message);
	else if (e && e->source)
		fprintf(stderr, "%s: %s: %s\n", prog, e->source, e->message);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, e ? e->message : "failed");
	return 1;
}

static sa_date today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int cmd_eval(int argc, char **argv)
{
	const char *pack = NULL, *format = "text", *pack_path = NULL;
	sa_date date = 0;
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e;
	int i, status = 0, nfiles = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--pack") == 0 && i + 1 < argc)
			pack = argv[++i];
		else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
			if (sa_date_parse(&date, argv[++i]) < 0)
				return error_out("--date");
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--pack-path") == 0 && i + 1 < argc)
			pack_path = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s eval: unknown option '%s'\n", prog, argv[i]);
			usage(stderr);
			return 2;
		} else
			nfiles++;
	}
	if (!pack || nfiles == 0 || (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		usage(stderr);
		return 2;
	}
	if (!date)
		date = today();
	o.pack_path = pack_path;
	if (sa_engine_new(&e, &o) < 0)
		return error_out("engine");
	if (sa_engine_load(e, pack) < 0) {
		error_out(pack);
		sa_engine_free(e);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		sa_household **hh;
		size_t n;
		if (argv[i][0] == '-' && argv[i][1]) {
			i++;
			continue;
		}
		if (sa_household_read_file(&hh, &n, argv[i]) < 0) {
			error_out(argv[i]);
			status = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			sa_decision *d;
			char *out;
			if (sa_evaluate(&d, e, hh[k], date) < 0) {
				error_out(argv[i]);
				status = 1;
				continue;
			}
			if ((strcmp(format, "json") == 0 ? sa_decision_to_json(&out, d, SA_JSON_PRETTY)
			                                 : sa_decision_to_text(&out, d)) == 0) {
				fputs(out, stdout);
				fputs("\n", stdout);
				sa_free(out);
			} else {
				error_out("output");
				status = 1;
			}
			sa_decision_free(d);
		}
		sa_household_array_free(hh, n);
	}
	sa_engine_free(e);
	return status;
}

typedef struct {
	int verbose;
} test_opts;

static void report(const char *pack, const char *file, const char *name, int ok, const char *detail, void *payload)
{
	test_opts *t = payload;
	if (!ok)
		printf("FAIL %s %s: %s\n     %s\n", pack, file, name, detail);
	else if (t->verbose)
		printf("ok   %s: %s\n", pack, name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_test(int argc, char **argv)
{
	const char *pack_path = NULL;
	sa_test_counts counts = { 0, 0 };
	test_opts t = { 0 };
	char *packs[512];
	int npacks = 0, status = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--pack-path") == 0 && i + 1 < argc)
			pack_path = argv[++i];
		else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
			t.verbose = 1;
		else if (argv[i][0] == '-') {
			usage(stderr);
			return 2;
		} else if (npacks < 512)
			packs[npacks++] = strdup(argv[i]);
	}
	if (npacks == 0) {
		const char *dir = pack_path ? pack_path : getenv("SA_PACK_PATH");
		char first[4096];
		DIR *d;
		struct dirent *de;
		snprintf(first, sizeof first, "%.*s", (int)strcspn(dir && *dir ? dir : "policies", ":"),
		         dir && *dir ? dir : "policies");
		if (!(d = opendir(first))) {
			fprintf(stderr, "%s test: cannot read %s\n", prog, first);
			return 1;
		}
		while ((de = readdir(d)) && npacks < 512)
			if (strncmp(de->d_name, "cn", 2) == 0)
				packs[npacks++] = strdup(de->d_name);
		closedir(d);
		qsort(packs, (size_t)npacks, sizeof *packs, cmp_str);
	}
	for (int i = 0; i < npacks; i++) {
		if (sa_pack_test(&counts, pack_path, packs[i], report, &t) < 0) {
			error_out(packs[i]);
			counts.failed++;
			status = 1;
		}
		free(packs[i]);
	}
	printf("%zu passed, %zu failed\n", counts.passed, counts.failed);
	return status || counts.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "eval") == 0)
		return cmd_eval(argc - 2, argv + 2);
	if (strcmp(argv[1], "test") == 0)
		return cmd_test(argc - 2, argv + 2);
	if (strcmp(argv[1], "--version") == 0) {
		printf("sa %s\n", sa_version());
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
	usage(stderr);
	return 2;
}
