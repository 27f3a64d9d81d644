/* test_screen.c - batch screening (sa/screen.h): the streaming file reader gives exactly what
 * the in-memory run gives (decisions, errors with their line numbers, summary), for JSON lines
 * and CSV, across batch boundaries (a CSV household is never split), on 1 and 2 threads; a
 * callback can stop the run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sa.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char *p;
	size_t n, cap;
} text;

static void add(text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
		va_end(ap);
		if (t->p && (size_t)n < t->cap - t->n)
			break;
		t->cap = t->cap * 2 + (size_t)n + 64;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	t->n += (size_t)n;
}

static int on_record(void *ud, uint64_t line, const char *id, const char *json, size_t len)
{
	add(ud, "R %llu %s %.*s\n", (unsigned long long)line, id, (int)len, json);
	return 0;
}

static void on_error(void *ud, uint64_t line, int code, const char *message)
{
	add(ud, "E %llu %d %s\n", (unsigned long long)line, code, message);
}

static int stop_at_3(void *ud, uint64_t line, const char *id, const char *json, size_t len)
{
	(void)line, (void)id, (void)json, (void)len;
	return ++*(int *)((text *)ud)->p >= 3;
}

/* 700 households (more than two batches of 256): incomes vary, one in 97 is bad. */
static void registry(text *jsonl, text *csv)
{
	add(csv, "id,region,area,attested.assets_within_tekun_limits,attested.assets_within_dibao_limits,"
	         "attested.assets_within_edge_limits,member.id,member.relation,member.birth,member.employment,"
	         "member.able_to_work,member.income.wages\n");
	for (int i = 0; i < 700; i++) {
		int wages = (i * 37) % 1500, members = 1 + i % 3;
		const char *area = i % 97 == 5 ? "town" : (i % 2 ? "urban" : "rural");
		if (i % 97 == 50) {
			add(jsonl, "{\"id\": \"h%d\", broken\n", i);
		} else {
			add(jsonl, "{\"id\":\"h%d\",\"region\":\"990000\",\"area\":\"%s\",\"attested\":{\"assets_within_tekun_limits\":true,"
			           "\"assets_within_dibao_limits\":true,\"assets_within_edge_limits\":true},\"members\":[", i, area);
			for (int m = 0; m < members; m++)
				add(jsonl, "%s{\"id\":\"m%d\",\"relation\":\"%s\",\"birth\":\"%d-03-01\",\"employment\":\"employed\","
				           "\"able_to_work\":true,\"income\":{\"wages\":\"%d\"}}",
				    m ? "," : "", m, m ? "child" : "head", m ? 2012 : 1970, m ? 0 : wages);
			add(jsonl, "]}\n");
		}
		for (int m = 0; m < members; m++)
			add(csv, "h%d,990000,%s,true,true,true,m%d,%s,%d-03-01,employed,true,%d\n", i, area, m,
			    m ? "child" : "head", m ? 2012 : 1970, m ? 0 : wages);
	}
}

static void same_summary(const sa_screen_summary *x, const sa_screen_summary *y)
{
	assert_int_equal(sa_screen_summary_records(x), sa_screen_summary_records(y));
	assert_int_equal(sa_screen_summary_evaluated(x), sa_screen_summary_evaluated(y));
	assert_int_equal(sa_screen_summary_bad(x), sa_screen_summary_bad(y));
	for (int c = 0; c < 4; c++)
		assert_int_equal(sa_screen_summary_circle(x, c), sa_screen_summary_circle(y, c));
	assert_int_equal(sa_screen_summary_tier_count(x), sa_screen_summary_tier_count(y));
	assert_true(sa_screen_summary_tier_count(x) > 1);
	for (size_t i = 0; i < sa_screen_summary_tier_count(x); i++) {
		assert_string_equal(sa_screen_summary_tier(x, i)->name, sa_screen_summary_tier(y, i)->name);
		assert_int_equal(sa_screen_summary_tier(x, i)->households, sa_screen_summary_tier(y, i)->households);
	}
	assert_int_equal(sa_screen_summary_program_count(x), sa_screen_summary_program_count(y));
	for (size_t i = 0; i < sa_screen_summary_program_count(x); i++) {
		const sa_screen_program *p = sa_screen_summary_program(x, i), *q = sa_screen_summary_program(y, i);
		assert_string_equal(p->name, q->name);
		assert_int_equal(p->eligible, q->eligible);
		assert_int_equal(p->undetermined, q->undetermined);
		assert_int_equal(p->cash, q->cash);
		assert_int_equal(p->not_enrolled, q->not_enrolled);
		assert_int_equal(p->no_longer, q->no_longer);
		assert_int_equal(p->enrolled_undetermined, q->enrolled_undetermined);
	}
}

static void run_both(const text *reg, sa_screen_format fmt, unsigned jobs)
{
	char path[] = "/tmp/sa_test_screen_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "wb");
	sa_screen_options o;
	sa_screen_summary *s1, *s2;
	text a = { 0 }, b = { 0 };
	assert_non_null(f);
	assert_int_equal(fwrite(reg->p, 1, reg->n, f), reg->n);
	fclose(f);
	sa_screen_options_init(&o, SA_SCREEN_OPTIONS_VERSION);
	o.pack = "cn-test";
	o.as_of = 20250801;
	o.jobs = jobs;
	o.format = fmt;
	o.on_record = on_record;
	o.on_error = on_error;
	o.ud = &a;
	assert_int_equal(sa_screen_summary_new(&s1), 0);
	assert_int_equal(sa_screen_summary_new(&s2), 0);
	assert_int_equal(sa_screen_run(s1, &o, reg->p, reg->n, "registry"), 0);
	o.ud = &b;
	assert_int_equal(sa_screen_file(s2, &o, path), 0);
	unlink(path);
	assert_true(a.n > 0);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.p, b.p, a.n);
	same_summary(s1, s2);
	assert_int_equal(sa_screen_summary_records(s1), 700);
	/* 'town' (8); broken JSON lines (7) */
	assert_int_equal(sa_screen_summary_bad(s1), fmt == SA_SCREEN_CSV ? 8 : 15);
	assert_int_equal(sa_screen_summary_evaluated(s1) + sa_screen_summary_bad(s1), sa_screen_summary_records(s1));
	sa_screen_summary_free(s1);
	sa_screen_summary_free(s2);
	/* records come back in input order */
	{
		unsigned long long prev = 0, line;
		for (const char *p = a.p; p < a.p + a.n; p = strchr(p, '\n') + 1) {
			assert_int_equal(sscanf(p + 2, "%llu", &line), 1);
			assert_true(line > prev);
			prev = line;
		}
	}
	free(a.p);
	free(b.p);
}

static void test_screen_stream__jsonl_same_as_memory(void **state)
{
	text j = { 0 }, c = { 0 };
	(void)state;
	registry(&j, &c);
	run_both(&j, SA_SCREEN_JSONL, 1);
	run_both(&j, SA_SCREEN_JSONL, 2);
	free(j.p);
	free(c.p);
}

static void test_screen_stream__csv_same_as_memory(void **state)
{
	text j = { 0 }, c = { 0 };
	(void)state;
	registry(&j, &c);
	run_both(&c, SA_SCREEN_CSV, 1);
	run_both(&c, SA_SCREEN_CSV, 2);
	free(j.p);
	free(c.p);
}

static void test_screen_stop__callback(void **state)
{
	text j = { 0 }, c = { 0 };
	int count = 0;
	text ud = { (char *)&count, 0, 0 };
	sa_screen_options o;
	sa_screen_summary *s;
	(void)state;
	registry(&j, &c);
	sa_screen_options_init(&o, SA_SCREEN_OPTIONS_VERSION);
	o.pack = "cn-test";
	o.as_of = 20250801;
	o.jobs = 2;
	o.on_record = stop_at_3;
	o.ud = &ud;
	assert_int_equal(sa_screen_summary_new(&s), 0);
	assert_int_equal(sa_screen_run(s, &o, j.p, j.n, "registry"), SA_EUSER);
	assert_int_equal(count, 3);
	sa_screen_summary_free(s);
	free(j.p);
	free(c.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screen_stream__jsonl_same_as_memory),
		cmocka_unit_test(test_screen_stream__csv_same_as_memory),
		cmocka_unit_test(test_screen_stop__callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
