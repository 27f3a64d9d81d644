/* test_reload.c - hot reload through a pack set: publish checks a version off the hot path
 * (load errors, golden tests) and swaps it in atomically; a failed publish leaves the old
 * version serving; engines on other threads switch at their next evaluation, and every
 * decision's amount matches the version hash it reports. The pack on disk is switched by
 * renaming a symlink <tmp>/cn -> tests/data/hostile/{reload_v1,reload_v2,reload_badtest,noeval}/cn. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <unistd.h>

#include "sec_helpers.h"

static char tmpdir[256];

static void point_to(const char *c)
{
	char target[4096], link[512], tmp[512];
	snprintf(target, sizeof target, "%s/tests/data/hostile/%s/cn", sec_src(), c);
	snprintf(link, sizeof link, "%s/cn", tmpdir);
	snprintf(tmp, sizeof tmp, "%s/cn.new", tmpdir);
	unlink(tmp);
	assert_int_equal(symlink(target, tmp), 0);
	assert_int_equal(rename(tmp, link), 0); /* atomic */
}

static sa_pack_set *new_set(void)
{
	sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
	sa_pack_set *set;
	o.pack_path = tmpdir;
	assert_int_equal(sa_pack_set_new(&set, &o), 0);
	return set;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/sa_reload_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[512];
	(void)state;
	snprintf(p, sizeof p, "%s/cn", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

static char hash_v1[65], hash_v2[65];

static void test_reload_publish__checks_and_swaps(void **state)
{
	sa_pack_set *set = new_set();
	sa_engine *e;
	sa_household *h = sec_household("h", 1);
	sa_test_counts counts = { 0, 0 };
	sa_fen amount = 0;
	char hash[65], dh[65];
	(void)state;
	assert_int_equal(sa_pack_set_hash(hash, set), SA_ENOTFOUND);
	assert_int_equal(sa_engine_new(&e, NULL), 0);
	assert_int_equal(sa_engine_follow(e, set), 0);
	assert_int_equal(sec_eval(e, h, &amount, NULL), SA_EINVALID); /* nothing published yet */

	point_to("reload_v1");
	assert_int_equal(sa_pack_set_publish(&counts, set, "cn", 0), 0);
	assert_int_equal(counts.passed, 1);
	assert_int_equal(sa_pack_set_generation(set), 1);
	assert_int_equal(sa_pack_set_hash(hash_v1, set), 0);
	assert_int_equal(sec_eval(e, h, &amount, dh), 0);
	assert_int_equal(amount, 10001);
	assert_string_equal(dh, hash_v1);

	point_to("reload_v2");
	assert_int_equal(sa_pack_set_publish(NULL, set, "cn", 0), 0);
	assert_int_equal(sa_pack_set_hash(hash_v2, set), 0);
	assert_string_not_equal(hash_v1, hash_v2);
	assert_int_equal(sec_eval(e, h, &amount, dh), 0);
	assert_int_equal(amount, 20001);
	assert_string_equal(dh, hash_v2);
	assert_string_equal(sa_engine_pack_hash(e), hash_v2);

	/* a version whose golden test fails is not published; v2 keeps serving */
	point_to("reload_badtest");
	counts.passed = counts.failed = 7; /* set, not added to (issue 12 #12) */
	assert_int_equal(sa_pack_set_publish(&counts, set, "cn", 0), SA_EPOLICY);
	assert_int_equal(counts.failed, 1);
	assert_int_equal(counts.passed, 0);
	assert_non_null(strstr(sec_msg(), "golden cases failed"));
	assert_int_equal(sa_pack_set_hash(hash, set), 0);
	assert_string_equal(hash, hash_v2);
	assert_int_equal(sa_pack_set_generation(set), 2);
	assert_int_equal(sec_eval(e, h, &amount, dh), 0);
	assert_int_equal(amount, 20001);

	/* a version that does not load (no rules.evaluate) is not published either */
	{
		char target[4096], link[512];
		snprintf(target, sizeof target, "%s/tests/data/hostile/noeval/cn", sec_src());
		snprintf(link, sizeof link, "%s/cn.new", tmpdir);
		unlink(link);
		assert_int_equal(symlink(target, link), 0);
		snprintf(target, sizeof target, "%s/cn", tmpdir);
		assert_int_equal(rename(link, target), 0);
	}
	counts.passed = counts.failed = 7;
	assert_int_equal(sa_pack_set_publish(&counts, set, "cn", SA_PUBLISH_SKIP_TESTS), SA_EPOLICY);
	assert_int_equal(counts.passed + counts.failed, 0);
	assert_non_null(strstr(sec_msg(), "rules.evaluate"));
	assert_int_equal(sec_eval(e, h, &amount, dh), 0);
	assert_string_equal(dh, hash_v2);

	sa_pack_set_free(set); /* the engine keeps it alive */
	assert_int_equal(sec_eval(e, h, &amount, dh), 0);
	sa_engine_free(e);
	sa_household_free(h);
}

typedef struct {
	sa_pack_set *set;
	atomic_int *stop;
	atomic_long evals, failures;
	long mixed;
	int seen_v1, seen_v2;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	sa_engine *e;
	sa_household *h = sec_household("w", 2);
	if (sa_engine_new(&e, NULL) != 0 || sa_engine_follow(e, w->set) != 0) {
		atomic_fetch_add(&w->failures, 1);
		return NULL;
	}
	while (!atomic_load(w->stop)) {
		sa_fen amount = 0;
		char dh[65];
		if (sec_eval(e, h, &amount, dh) != 0) {
			atomic_fetch_add(&w->failures, 1);
			continue;
		}
		/* the decision names the version that made it: its amount is that version's */
		if (strcmp(dh, hash_v1) == 0 && amount == 10002)
			w->seen_v1 = 1;
		else if (strcmp(dh, hash_v2) == 0 && amount == 20002)
			w->seen_v2 = 1;
		else
			w->mixed++;
		atomic_fetch_add(&w->evals, 1);
	}
	sa_engine_free(e);
	sa_household_free(h);
	return NULL;
}

/* Reload under load (issue 12): 2 threads evaluate while a third publishes 100 versions,
 * every fifth one broken (a failing golden test, or rules that do not load). Broken versions
 * are refused; no evaluation fails; every decision carries the hash of the version whose
 * amount it has. The publisher waits for both evaluators to make progress after each
 * publish (progress, not time: the test does not depend on machine speed). */
static void test_reload_threads__no_mixed_decisions(void **state)
{
	sa_pack_set *set = new_set();
	atomic_int stop = 0;
	worker w[2];
	pthread_t t[2];
	int published = 1, refused = 0;
	(void)state;
	if (!hash_v1[0]) { /* the hashes of v1 and v2, when this test runs alone */
		point_to("reload_v1");
		assert_int_equal(sa_pack_set_publish(NULL, set, "cn", 0), 0);
		assert_int_equal(sa_pack_set_hash(hash_v1, set), 0);
		point_to("reload_v2");
		assert_int_equal(sa_pack_set_publish(NULL, set, "cn", 0), 0);
		assert_int_equal(sa_pack_set_hash(hash_v2, set), 0);
		published += 2;
	}
	point_to("reload_v1");
	assert_int_equal(sa_pack_set_publish(NULL, set, "cn", 0), 0);
	for (int i = 0; i < 2; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].set = set;
		w[i].stop = &stop;
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int r = 0; r < 100; r++) {
		long before[2];
		int broken = r % 5 == 4;
		for (int i = 0; i < 2; i++)
			before[i] = atomic_load(&w[i].evals);
		point_to(broken ? (r % 10 == 4 ? "reload_badtest" : "noeval") : r % 2 ? "reload_v1" : "reload_v2");
		if (broken) {
			assert_int_equal(sa_pack_set_publish(NULL, set, "cn", r % 10 == 4 ? 0 : SA_PUBLISH_SKIP_TESTS), SA_EPOLICY);
			refused++;
		} else {
			assert_int_equal(sa_pack_set_publish(NULL, set, "cn", r % 4 == 0 ? 0 : SA_PUBLISH_SKIP_TESTS), 0);
			published++;
		}
		for (int i = 0; i < 2; i++)
			while (atomic_load(&w[i].evals) == before[i] && atomic_load(&w[i].failures) == 0)
				sched_yield();
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(atomic_load(&w[i].failures), 0);
		assert_int_equal(w[i].mixed, 0);
		assert_true(atomic_load(&w[i].evals) >= 100);
		assert_true(w[i].seen_v1 && w[i].seen_v2);
	}
	assert_int_equal(refused, 20);
	assert_int_equal(sa_pack_set_generation(set), (uint64_t)published);
	sa_pack_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reload_publish__checks_and_swaps),
		cmocka_unit_test(test_reload_threads__no_mixed_decisions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
