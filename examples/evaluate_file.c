/* evaluate_file.c - the smallest host: evaluate the households of a YAML/JSON file and print
 * each one's tier and dibao amount (docs/bindings.md evaluates the same household from C, the
 * CLI, Python, Java and SQL). Usage: evaluate_file PACK_PATH PACK YYYY-MM-DD FILE */
#include <sa.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e = NULL;
	sa_household **hs = NULL;
	size_t n = 0;
	sa_date as_of;
	int rc;

	if (argc != 5) {
		fprintf(stderr, "usage: evaluate_file PACK_PATH PACK YYYY-MM-DD FILE\n");
		return 2;
	}
	o.pack_path = argv[1];
	if ((rc = sa_engine_new(&e, &o)) < 0 || (rc = sa_engine_load(e, argv[2])) < 0 ||
	    (rc = sa_date_parse(&as_of, argv[3])) < 0 || (rc = sa_household_read_file(&hs, &n, argv[4])) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sa_decision *d;
		sa_fen fen;
		char yuan[32] = "-";
		int k;
		if ((rc = sa_evaluate(&d, e, hs[i], as_of)) < 0)
			goto fail;
		k = sa_decision_find(d, "dibao");
		if (k >= 0 && sa_decision_program_amount(&fen, d, (size_t)k) == 0)
			sa_money_format(yuan, sizeof yuan, fen);
		printf("%s: tier %s, dibao %s\n", sa_household_id(hs[i]), sa_decision_tier(d), yuan);
		sa_decision_free(d);
	}
	sa_household_array_free(hs, n);
	sa_engine_free(e);
	return 0;
fail:
	{
		const sa_error *err = sa_error_last();
		if (err && err->source && err->line)
			fprintf(stderr, "%s:%d:%d: ", err->source, err->line, err->column);
		fprintf(stderr, "%s\n", err ? err->message : sa_strerror(rc));
	}
	sa_household_array_free(hs, n);
	sa_engine_free(e);
	return 1;
}
