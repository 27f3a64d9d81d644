/* test_packfiles.c - a pack's files are untrusted (issue 12 #5b, #6, #7b): each is read once
 * and hashed and parsed from the same bytes, also while an operator rewrites it; no link is
 * followed and nothing but regular files is read (a symlink to a host file, a FIFO, a
 * directory are refused by name, and no host content shows in the error); file sizes are
 * capped one by one and in total. Packs are built in a scratch directory over the hostile
 * baseline (tests/data/hostile/base). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sec_helpers.h"
#include "pack/pack.h"
#include "core/internal.h"

#ifndef SA_PACK_FILE_MAX /* (to run this test against a loader without the caps) */
#define SA_PACK_FILE_MAX ((size_t)8 << 20)
#define SA_PACK_BUDGET ((size_t)32 << 20)
#endif

static char tmp[256], path[4400];

static void put(const char *rel, const char *text, size_t len)
{
	char p[1024];
	int fd;
	snprintf(p, sizeof p, "%s/%s", tmp, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void puts_(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

/* A fresh child pack cn-x: pack.yaml, rules/a.lua (amount 7), params.yaml (one value). */
static int setup(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/sa_packfiles_XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(cmd, sizeof cmd, "%s/cn-x", tmp);
	if (mkdir(cmd, 0755) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "%s/cn-x/rules", tmp);
	if (mkdir(cmd, 0755) < 0)
		return -1;
	puts_("cn-x/pack.yaml", "id: cn-x\ntitle: pack files\nregion: \"530000\"\nextends: cn\nversion: \"1\"\n");
	puts_("cn-x/rules/a.lua", "function rules.evaluate(h, ctx) return rules.result(h, 7) end\n");
	snprintf(path, sizeof path, "%s:%s/tests/data/hostile/base", tmp, sec_src());
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int load(sa_policy **pol)
{
	*pol = NULL;
	return sa__policy_load(pol, path, "cn-x");
}

static void expect_refused(const char *what, const char *host_text)
{
	sa_policy *pol;
	assert_int_equal(load(&pol), SA_EPOLICY);
	if (!strstr(sec_msg(), what))
		fail_msg("message '%s' does not say '%s'", sec_msg(), what);
	if (host_text && strstr(sec_msg(), host_text))
		fail_msg("message '%s' shows host content", sec_msg());
}

/* #6: services.yaml (or a rule, or params.yaml) that is a symlink to a host file is refused
 * without a byte of the host file in the message; so is a link inside the pack. */
/* sa__read_fd, the one read loop of libsa (inputs and pack files): a pipe read to its end,
 * exactly max bytes taken, one more refused with EFBIG, a read error passed on with errno. */
static void pipe_of(int fds[2], size_t n)
{
	char *b = malloc(n ? n : 1);
	memset(b, 'x', n);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) >= (int)n, 1);
	assert_int_equal(write(fds[1], b, n), (ssize_t)n);
	close(fds[1]);
	free(b);
}

static void test_packfiles_read__limit_and_errors(void **state)
{
	int fds[2], dir;
	char *out = NULL;
	size_t len = 7;
	(void)state;
	pipe_of(fds, 100000);
	assert_int_equal(sa__read_fd(fds[0], 100000, 0, &out, &len), 0);
	assert_int_equal(len, 100000);
	assert_int_equal(out[99999], 'x');
	assert_int_equal(out[100000], 0);
	free(out);
	close(fds[0]);
	pipe_of(fds, 100001);
	assert_int_equal(sa__read_fd(fds[0], 100000, 10, &out, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(out);
	assert_int_equal(len, 0);
	close(fds[0]);
	pipe_of(fds, 0); /* empty: an empty string */
	assert_int_equal(sa__read_fd(fds[0], 10, 0, &out, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	free(out);
	close(fds[0]);
	assert_true((dir = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	assert_int_equal(sa__read_fd(dir, 10, 0, &out, &len), -1);
	assert_int_equal(errno, EISDIR);
	close(dir);
}

static void test_packfiles_links__refused(void **state)
{
	char p[1024];
	sa_policy *pol;
	(void)state;
	assert_int_equal(load(&pol), 0);
	sa__policy_release(pol);
	snprintf(p, sizeof p, "%s/cn-x/services.yaml", tmp);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	expect_refused("services.yaml is a symbolic link", "root:");
	unlink(p);
	snprintf(p, sizeof p, "%s/cn-x/params.yaml", tmp);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	expect_refused("params.yaml is a symbolic link", "root:");
	unlink(p);
	snprintf(p, sizeof p, "%s/cn-x/rules/b.lua", tmp);
	assert_int_equal(symlink("a.lua", p), 0); /* even one that stays inside the pack */
	expect_refused("rules/b.lua is a symbolic link", NULL);
	unlink(p);
	assert_int_equal(load(&pol), 0);
	sa__policy_release(pol);
}

/* #6: a FIFO as a rule file is refused, not read (it would block, or feed code from outside
 * the pack): here a writer has already put a rule into it, so reading it would succeed. */
static void test_packfiles_special__fifo_and_directory(void **state)
{
	char p[1024];
	int w;
	sa_policy *pol;
	(void)state;
	snprintf(p, sizeof p, "%s/cn-x/rules/b.lua", tmp);
	assert_int_equal(mkfifo(p, 0644), 0);
	w = open(p, O_RDWR | O_NONBLOCK); /* never blocks on Linux */
	assert_true(w >= 0);
	assert_int_equal(write(w, "local x = 1\n", 12), 12);
	expect_refused("rules/b.lua is a FIFO", NULL);
	close(w);
	unlink(p);
	assert_int_equal(mkdir(p, 0755), 0);
	expect_refused("rules/b.lua is a directory", NULL);
	rmdir(p);
	snprintf(p, sizeof p, "%s/cn-x/services.yaml", tmp);
	assert_int_equal(mkdir(p, 0755), 0);
	expect_refused("services.yaml is a directory", NULL);
	rmdir(p);
	assert_int_equal(load(&pol), 0);
	sa__policy_release(pol);
}

/* #6: sa lint reads packs the same way: a FIFO as a rule file is a finding, not a hang. */
static int count_fifo(const sa_lint_finding *f, void *payload)
{
	if (f->severity == SA_LINT_ERROR && strstr(f->message, "is a FIFO"))
		++*(int *)payload;
	return 0;
}

static void test_packfiles_lint__fifo_refused(void **state)
{
	char p[1024];
	sa_lint_counts counts = { 0, 0 };
	int fifos = 0;
	(void)state;
	snprintf(p, sizeof p, "%s/cn-x/rules/b.lua", tmp);
	assert_int_equal(mkfifo(p, 0644), 0); /* no writer: opening it to read would block */
	assert_int_equal(sa_lint(&counts, path, "cn-x", count_fifo, &fifos), 0);
	assert_true(fifos >= 1);
	assert_true(counts.errors >= 1);
	unlink(p);
}

/* #7b: one file above SA_PACK_FILE_MAX, and files that together pass SA_PACK_BUDGET, are
 * refused with the limit named; nothing is kept. */
static void test_packfiles_budget__file_and_total(void **state)
{
	size_t part = SA_PACK_FILE_MAX - 4096, nfiles = SA_PACK_BUDGET / part + 1;
	char *big = malloc(SA_PACK_FILE_MAX + 16), rel[64];
	sa_policy *pol;
	(void)state;
	assert_non_null(big);
	memset(big, ' ', SA_PACK_FILE_MAX + 16);
	memcpy(big, "--", 2);
	big[2] = '\n';
	put("cn-x/rules/big.lua", big, SA_PACK_FILE_MAX + 1);
	expect_refused("larger than the limit of 8388608 bytes for one pack file", NULL);
	unlink(strcat(strcpy(rel, tmp), "/cn-x/rules/big.lua"));
	for (size_t i = 0; i < nfiles; i++) {
		snprintf(rel, sizeof rel, "cn-x/rules/big%zu.lua", i);
		put(rel, big, part);
	}
	expect_refused("larger than its budget of 33554432 bytes", NULL);
	for (size_t i = 0; i < nfiles; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s/cn-x/rules/big%zu.lua", tmp, i);
		unlink(p);
	}
	free(big);
	assert_int_equal(load(&pol), 0);
	sa__policy_release(pol);
}

/* #5b: params.yaml saved again and again (two versions, 1 and 400 parameters) while the pack
 * loads 300 times. Every load gives a pack whose hash is that of one whole version and whose
 * parameters are that version's: the file is read once, parsed and hashed from those bytes. */
static const char *v1 = "params:\n  x.one:\n    type: int\n    unit: count\n    title: one\n    ref: test\n"
                        "    values:\n      - { from: 2000-01-01, value: 1, ref: test }\n";
static char *v2; /* 400 parameters */
static atomic_int stop_writer;

/* An editor saving the file: write a new copy, rename it over the old one. Each open sees
 * one whole version; the old loader opened the file three times and mixed them. */
static void *writer(void *arg)
{
	char from[1024], to[1024];
	(void)arg;
	snprintf(from, sizeof from, "%s/params.yaml.new", tmp);
	snprintf(to, sizeof to, "%s/cn-x/params.yaml", tmp);
	for (unsigned i = 0; !atomic_load(&stop_writer); i++) {
		const char *t = i % 2 ? v2 : v1;
		put("params.yaml.new", t, strlen(t));
		if (rename(from, to) < 0)
			abort();
	}
	return NULL;
}

static void test_packfiles_reload__file_changes_during_load(void **state)
{
	char h1[65], h2[65];
	size_t len = 0, cap = 400 * 160;
	sa_policy *pol;
	pthread_t t;
	int n1 = 0, n2 = 0;
	(void)state;
	v2 = malloc(cap);
	assert_non_null(v2);
	len += (size_t)snprintf(v2 + len, cap - len, "params:\n");
	for (int i = 0; i < 400; i++)
		len += (size_t)snprintf(v2 + len, cap - len,
		                        "  x.p%03d:\n    type: int\n    unit: count\n    title: p\n    ref: test\n"
		                        "    values:\n      - { from: 2000-01-01, value: %d, ref: test }\n", i, i);
	puts_("cn-x/params.yaml", v1);
	assert_int_equal(load(&pol), 0);
	memcpy(h1, pol->hash, 65);
	sa__policy_release(pol);
	puts_("cn-x/params.yaml", v2);
	assert_int_equal(load(&pol), 0);
	memcpy(h2, pol->hash, 65);
	sa__policy_release(pol);
	atomic_store(&stop_writer, 0);
	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	for (int i = 0; i < 300; i++) {
		if (load(&pol) < 0)
			fail_msg("load %d: %s", i, sec_msg());
		if (strcmp(pol->hash, h1) == 0 && pol->nparams == 2 && sa__policy_param(pol, "x.one"))
			n1++;
		else if (strcmp(pol->hash, h2) == 0 && pol->nparams == 401 && sa__policy_param(pol, "x.p399"))
			n2++;
		else
			fail_msg("load %d: hash %s and %zu parameters are not one version", i, pol->hash, pol->nparams);
		sa__policy_release(pol);
	}
	atomic_store(&stop_writer, 1);
	pthread_join(t, NULL);
	print_message("# loads: %d of version 1, %d of version 2\n", n1, n2);
	unlink(strcat(strcpy((char[1024]){ 0 }, tmp), "/cn-x/params.yaml"));
	free(v2);
}

/* The packs on a path (sa_pack_list over sa__pack_ids): directories named cn* of every element,
 * each id once with the first element winning, sorted; files and other names are not packs. */
static void test_packfiles_list__path(void **state)
{
	static const char *const dirs[] = { "a", "b", "a/cn-2", "a/cn-1", "b/cn-2", "b/cn-0", "b/other", "b/.cn-hidden" };
	char p[1024], pp[2200], **ids = NULL, **where = NULL;
	size_t n = 0;
	(void)state;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		snprintf(p, sizeof p, "%s/%s", tmp, dirs[i]);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	puts_("b/cn-file", "not a pack\n");
	snprintf(pp, sizeof pp, "%s/a:%s/missing:%s/b", tmp, tmp, tmp);
	assert_int_equal(sa_pack_list(&ids, &n, pp), SA_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ids[0], "cn-0");
	assert_string_equal(ids[1], "cn-1");
	assert_string_equal(ids[2], "cn-2");
	sa_pack_list_free(ids, n);
	/* where each was found: cn-2 from a, the first element that has it */
	assert_int_equal(sa__pack_ids(&ids, &where, &n, pp), SA_OK);
	assert_int_equal(n, 3);
	snprintf(p, sizeof p, "%s/a", tmp);
	assert_string_equal(where[2], p);
	snprintf(p, sizeof p, "%s/b", tmp);
	assert_string_equal(where[0], p);
	sa__pack_ids_free(ids, where, n);
	/* nothing on the path: no ids, no error */
	snprintf(pp, sizeof pp, "%s/missing", tmp);
	assert_int_equal(sa_pack_list(&ids, &n, pp), SA_OK);
	assert_int_equal(n, 0);
	assert_null(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packfiles_links__refused),
		cmocka_unit_test(test_packfiles_special__fifo_and_directory),
		cmocka_unit_test(test_packfiles_lint__fifo_refused),
		cmocka_unit_test(test_packfiles_budget__file_and_total),
		cmocka_unit_test(test_packfiles_reload__file_changes_during_load),
		cmocka_unit_test(test_packfiles_list__path),
		cmocka_unit_test(test_packfiles_read__limit_and_errors),
	};
	if (getenv("SA_TEST_FILTER"))
		cmocka_set_test_filter(getenv("SA_TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
