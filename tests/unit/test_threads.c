/* test_threads.c - N engines on N threads share one compiled pack version (a pack set)
 * read-only; every decision equals the single-thread result. 4 threads x 100,000
 * evaluations in the plain build; the count drops to 5,000 per thread under the sanitizers
 * (compiled with __SANITIZE_ADDRESS__), and env SA_THREAD_EVALS overrides either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "sec_helpers.h"

#define THREADS 4
#define KINDS 5 /* households with 1..5 members */

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_EVALS 5000
#else
#define DEFAULT_EVALS 100000
#endif

static sa_fen expected[KINDS];
static char expected_hash[65];

typedef struct {
	sa_pack_set *set;
	long evals, wrong, failed;
} job;

static void *run(void *arg)
{
	job *j = arg;
	sa_engine *e;
	sa_household *h[KINDS];
	long n = j->evals;
	j->evals = 0;
	for (int k = 0; k < KINDS; k++)
		h[k] = sec_household("t", k + 1);
	if (sa_engine_new(&e, NULL) != 0 || sa_engine_follow(e, j->set) != 0) {
		j->failed = n;
		return NULL;
	}
	for (long i = 0; i < n; i++) {
		sa_decision *d;
		sa_fen amount = -1;
		int k = (int)(i % KINDS);
		if (sa_evaluate(&d, e, h[k], 20250801) != 0) {
			j->failed++;
			continue;
		}
		sa_decision_program_amount(&amount, d, 0);
		if (amount != expected[k] || strcmp(sa_decision_pack_hash(d), expected_hash) != 0)
			j->wrong++;
		sa_decision_free(d);
		j->evals++;
	}
	sa_engine_free(e);
	for (int k = 0; k < KINDS; k++)
		sa_household_free(h[k]);
	return NULL;
}

static void test_threads_shared__match_single_thread(void **state)
{
	char path[4096];
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_pack_set *set;
	sa_engine *single;
	job jobs[THREADS];
	pthread_t t[THREADS];
	long evals = DEFAULT_EVALS;
	double t0;
	(void)state;
	if (getenv("SA_THREAD_EVALS"))
		evals = atol(getenv("SA_THREAD_EVALS"));
	/* single-thread reference, with its own engine loading from disk */
	single = sec_engine("base");
	assert_int_equal(sa_engine_load(single, "cn"), 0);
	for (int k = 0; k < KINDS; k++) {
		sa_household *h = sec_household("t", k + 1);
		assert_int_equal(sec_eval(single, h, &expected[k], expected_hash), 0);
		sa_household_free(h);
	}
	sa_engine_free(single);

	sec_path(path, sizeof path, "base");
	o.pack_path = path;
	assert_int_equal(sa_pack_set_new(&set, &o), 0);
	assert_int_equal(sa_pack_set_publish(NULL, set, "cn", 0), 0);
	t0 = sec_now();
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (job){ set, evals, 0, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, run, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].failed, 0);
		assert_int_equal(jobs[i].wrong, 0);
		assert_int_equal(jobs[i].evals, evals);
	}
	printf("# %d threads x %ld evaluations in %.2f s\n", THREADS, evals, sec_now() - t0);
	sa_pack_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_shared__match_single_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
