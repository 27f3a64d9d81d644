/* sec_helpers.h - shared by test_sandbox.c, test_limits.c, test_reload.c, test_threads.c,
 * test_alloc.c: engines over the hostile packs in tests/data/hostile/<case>/. */
#ifndef SEC_HELPERS_H
#define SEC_HELPERS_H

#include <sa.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline const char *sec_src(void)
{
	const char *s = getenv("SA_SOURCE_DIR");
	return s && *s ? s : ".";
}

/* pack path "<src>/tests/data/hostile/<case>:<src>/tests/data/hostile/base" */
static inline void sec_path(char *out, size_t n, const char *c)
{
	snprintf(out, n, "%s/tests/data/hostile/%s:%s/tests/data/hostile/base", sec_src(), c, sec_src());
}

/* A new engine on the case's pack path (opts may be NULL); does not load. */
static inline sa_engine *sec_engine_opts(const char *c, sa_engine_options *opts)
{
	static char path[4096];
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_engine *e = NULL;
	if (opts)
		o = *opts;
	sec_path(path, sizeof path, c);
	o.pack_path = path;
	if (sa_engine_new(&e, &o) != 0)
		return NULL;
	return e;
}

static inline sa_engine *sec_engine(const char *c)
{
	return sec_engine_opts(c, NULL);
}

/* A household with `members` members; id given. */
static inline sa_household *sec_household(const char *id, int members)
{
	sa_household *h = NULL;
	if (sa_household_new(&h, id, "530102", "urban") != 0)
		return NULL;
	for (int i = 0; i < members; i++) {
		char mid[16];
		snprintf(mid, sizeof mid, "m%d", i + 1);
		if (sa_household_add_member(NULL, h, mid, i == 0 ? "head" : "child", i == 0 ? "1960-01-01" : "2010-05-05") != 0) {
			sa_household_free(h);
			return NULL;
		}
	}
	return h;
}

/* Evaluate on 2025-08-01; *amount = first program's amount. Returns the sa_evaluate code. */
static inline int sec_eval(sa_engine *e, const sa_household *h, sa_fen *amount, char hash[65])
{
	sa_decision *d = NULL;
	int rc = sa_evaluate(&d, e, h, 20250801);
	if (rc == 0) {
		*amount = -1;
		sa_decision_program_amount(amount, d, 0);
		if (hash)
			snprintf(hash, 65, "%s", sa_decision_pack_hash(d));
		sa_decision_free(d);
	}
	return rc;
}

static inline double sec_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline const char *sec_msg(void)
{
	const sa_error *e = sa_error_last();
	return e ? e->message : "(no error)";
}

#endif
