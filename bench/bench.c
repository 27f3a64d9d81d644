/* bench.c - libsa against a hand-written C implementation of the national rules.
 *
 *   sa-bench --pack ID [--pack-path DIRS] [--date YYYY-MM-DD] [--jobs N] [--limit N] [--latency-only] [--cpu]
 *            [--reference-summary] FILE.jsonl
 *
 * FILE comes from sa-gen. Reports pack load time (the first load in the process, cold, apart
 * from the median of the loads after it, warm), memory per engine and per loaded pack,
 * single-household latency (p50, p99) of sa_evaluate and of reference.c, batch throughput of
 * sa_screen_run from JSON lines on one core and on all cores, and checks that every decision
 * (tier, circle, status and amount per program) and the summaries (counts per tier, cash per
 * program) agree with reference.c; every disagreeing household is listed (first 20). */
#include <sa.h>

#include "core/household_internal.h"
#include "core/internal.h"
#include "pack/pack.h"
#include "lua/bridge.h"
#include "reference.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --cpu: the thread's CPU time instead of the wall clock (a busy machine preempts the
 * benchmark; CPU time leaves that out, not the cache misses other processes cause) */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now(void)
{
	struct timespec ts;
	clock_gettime(bench_clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static size_t lua_bytes, lua_peak;
static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	(void)ud;
	if (ptr)
		lua_bytes -= osize;
	if (nsize == 0) {
		free(ptr);
		return NULL;
	}
	ptr = realloc(ptr, nsize);
	if (ptr) {
		lua_bytes += nsize;
		if (lua_bytes > lua_peak)
			lua_peak = lua_bytes;
	} else if (osize) {
		lua_bytes += osize;
	}
	return ptr;
}

static int count_record(void *ud, uint64_t line, const char *id, const char *json, size_t len)
{
	(void)line, (void)id, (void)json;
	*(size_t *)ud += len;
	return 0;
}

/* The whole file (libsa's own reader caps files at 64 MiB; registries are bigger). */
static int read_all(char **out, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	*out = malloc((size_t)n + 1);
	*len = fread(*out, 1, (size_t)n, f);
	fclose(f);
	return 0;
}

static const char *const pnames[4] = { "tekun", "dibao", "edge", "rigid" };

int main(int argc, char **argv)
{
	const char *pack = NULL, *path = getenv("SA_PACK_PATH"), *file = NULL;
	sa_date date = 20250801;
	unsigned jobs = 0;
	size_t limit = 200000;
	int ref_only = 0, latency_only = 0;
	char *text;
	size_t len;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pack") && i + 1 < argc)
			pack = argv[++i];
		else if (!strcmp(argv[i], "--pack-path") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--date") && i + 1 < argc)
			sa_date_parse(&date, argv[++i]);
		else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
			jobs = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reference-summary"))
			ref_only = 1;
		else if (!strcmp(argv[i], "--cpu"))
			bench_clock = CLOCK_THREAD_CPUTIME_ID;
		else if (!strcmp(argv[i], "--latency-only"))
			latency_only = 1; /* only the no-text latency and agreement (profiling, quick runs) */
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
			limit = (size_t)atol(argv[++i]);
		else
			file = argv[i];
	}
	if (!pack || !file) {
		fprintf(stderr, "usage: %s --pack ID [--pack-path DIRS] [--date D] [--jobs N] [--limit N] [--latency-only] [--cpu] "
		        "[--reference-summary] FILE.jsonl\n"
		        "  --latency-only       only the no-text latency and the agreement with reference.c\n"
		        "  --cpu                latencies in thread CPU time instead of wall time\n"
		        "  --reference-summary  only reference.c's counts and cash per tier (no libsa)\n",
		        argv[0]);
		return 2;
	}
	if (!path || !*path)
		path = "policies";
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)n : 1;
	}
	if (read_all(&text, &len, file) < 0) {
		fprintf(stderr, "bench: cannot read %s\n", file);
		return 1;
	}
	printf("bench: pack %s, date %d, file %s (%.1f MB)\n", pack, (int)date, file, (double)len / 1e6);
	if (ref_only) {
		/* the C implementation's summary of the whole file, to set against `sa screen`'s */
		ref_params *rp;
		ref_household h;
		ref_result r;
		uint64_t tiers[5] = { 0 }, elig[4] = { 0 }, skipped = 0, cnt = 0;
		sa_fen cash[4] = { 0 };
		const char *s = text, *end = text + len;
		if (ref_params_load(&rp, path, pack, date) < 0)
			return 1;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			const char *le = nl ? nl : end;
			if (ref_parse(&h, s, (size_t)(le - s)) == 0 && strcmp(h.id, "x") && strcmp(h.id, "y") &&
			    strcmp(h.id, "broken")) {
				ref_evaluate(rp, &h, date, &r);
				cnt++;
				tiers[r.tier]++;
				for (int k = 0; k < 4; k++)
					if (r.status[k] == SA_ELIGIBLE) {
						elig[k]++;
						if (r.has_amount[k])
							cash[k] += r.amount[k];
					}
			} else {
				skipped++;
			}
			s = nl ? nl + 1 : end;
		}
		printf("reference.c: evaluated %llu, skipped %llu\n  tier:", (unsigned long long)cnt, (unsigned long long)skipped);
		for (int k = 0; k < 5; k++)
			printf(" %s %llu", k < 4 ? pnames[k] : "none", (unsigned long long)tiers[k]);
		printf("\n");
		for (int k = 0; k < 4; k++) {
			char a[32];
			sa_money_format(a, sizeof a, cash[k]);
			printf("  %-6s eligible %llu  monthly cash %s\n", pnames[k], (unsigned long long)elig[k], a);
		}
		ref_params_free(rp);
		free(text);
		return 0;
	}

	/* ---- pack load time and memory. The first load in the process is cold: it compiles
	 * every rule file (and meets libcrypto, libyaml and the watchdog thread for the first
	 * time); the loads after it find the compiled rule files and the parsed pack files in the
	 * process-wide caches (lua/chunk_cache.c, pack/pack.c) and are reported apart (warm). */
	if (!latency_only) {
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		enum { WARM = 20, EMPTIED = 5 };
		double t[1 + WARM], pol_t[WARM], emptied[EMPTIED], cold, mem_total = 0, mem_lua = 0, mem_peak = 0;
		struct mallinfo2 m0, m1;
		sa_engine *e;
		o.pack_path = path;
		o.alloc = counting_alloc;
		for (int k = 0; k <= WARM; k++) {
			double t0;
			sa_engine_new(&e, &o);
			lua_bytes = lua_peak = 0;
			m0 = mallinfo2();
			t0 = now();
			if (sa_engine_load(e, pack) < 0) {
				fprintf(stderr, "bench: %s\n", sa_error_last()->message);
				return 1;
			}
			t[k] = now() - t0;
			m1 = mallinfo2();
			if (k == WARM) {
				mem_total = (double)(m1.uordblks - m0.uordblks) / 1048576.0;
				mem_lua = (double)lua_bytes / 1048576.0;
				mem_peak = (double)lua_peak / 1048576.0;
			}
			sa_engine_free(e);
		}
		/* the pack files alone (read, parse, check, hash): the rest of a load is the Lua state */
		for (int k = 0; k < WARM; k++) {
			sa_policy *pol;
			double t0 = now();
			if (sa__policy_load(&pol, path, pack) < 0) {
				fprintf(stderr, "bench: %s\n", sa_error_last()->message);
				return 1;
			}
			pol_t[k] = now() - t0;
			sa__policy_release(pol);
		}
		/* loads with both caches emptied before each: what the first load costs once the
		 * process itself is warmed up (compiling and parsing, without the one-time start) */
		for (int k = 0; k < EMPTIED; k++) {
			double t0;
			sa__chunk_cache_clear();
			sa__pack_doc_cache_clear();
			sa_engine_new(&e, &o);
			t0 = now();
			if (sa_engine_load(e, pack) < 0) {
				fprintf(stderr, "bench: %s\n", sa_error_last()->message);
				return 1;
			}
			emptied[k] = now() - t0;
			sa_engine_free(e);
		}
		qsort(emptied, EMPTIED, sizeof *emptied, cmp_d);
		cold = t[0];
		qsort(t + 1, WARM, sizeof *t, cmp_d);
		qsort(pol_t, WARM, sizeof *pol_t, cmp_d);
		printf("pack load: cold %.2f ms (the first in the process: rules compiled, YAML parsed); warm median %.2f ms "
		       "(the %d loads after it: compiled rules and parsed YAML from the process caches), of which pack files "
		       "%.2f ms (read, check, hash)\n",
		       cold * 1e3, (t[WARM / 2] + t[WARM / 2 + 1]) / 2 * 1e3, WARM, (pol_t[WARM / 2 - 1] + pol_t[WARM / 2]) / 2 * 1e3);
		printf("pack load with the caches emptied before each: median %.2f ms (%d loads: rules compiled, YAML parsed)\n",
		       emptied[EMPTIED / 2] * 1e3, EMPTIED);
		printf("memory: engine %.2f MiB total after a warm load = Lua state %.2f MiB (peak while loading %.2f MiB) + "
		       "pack data %.2f MiB\n",
		       mem_total, mem_lua, mem_peak, mem_total - mem_lua);
		{
			sa_cache_stats cs, ds;
			sa__chunk_cache_stats(&cs);
			sa__pack_doc_cache_stats(&ds);
			printf("memory: process caches, shared by every engine: compiled rule files %.2f MiB (%zu), parsed pack "
			       "YAML %.2f MiB (%zu)\n",
			       (double)cs.bytes / 1048576.0, cs.entries, (double)ds.bytes / 1048576.0, ds.entries);
		}
	}

	/* ---- single-household latency, libsa vs reference, and per-household agreement */
	{
		sa_engine *e;
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		ref_params *rp;
		size_t n = 0, cap = 1024, outside = 0, disagree = 0, lines = 0;
		sa_household **hh = malloc(cap * sizeof *hh);
		ref_household *rh = malloc(cap * sizeof *rh);
		double *lat, *rlat, t_sa = 0, t_ref = 0;
		uint64_t tier_sa[5] = { 0 }, tier_ref[5] = { 0 };
		sa_fen cash_sa[4] = { 0 }, cash_ref[4] = { 0 };
		const char *s = text, *end = text + len;
		o.pack_path = path;
		sa_engine_new(&e, &o);
		if (sa_engine_load(e, pack) < 0 || ref_params_load(&rp, path, pack, date) < 0) {
			fprintf(stderr, "bench: %s\n", sa_error_last()->message);
			return 1;
		}
		while (s < end && n < limit) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			const char *le = nl ? nl : end;
			sa_household **arr;
			size_t cnt;
			lines++;
			if (n == cap) {
				cap *= 2;
				hh = realloc(hh, cap * sizeof *hh);
				rh = realloc(rh, cap * sizeof *rh);
			}
			if (ref_parse(&rh[n], s, (size_t)(le - s)) == 0) {
				/* read the line as a JSON document with libsa's own reader */
				size_t l = (size_t)(le - s);
				char *doc = malloc(l + 16);
				memcpy(doc, "{\"household\":", 13);
				memcpy(doc + 13, s, l);
				doc[13 + l] = '}';
				if (sa_household_parse(&arr, &cnt, doc, l + 14, file) == 0) {
					hh[n] = arr[0];
					free(arr);
					n++;
				}
				free(doc);
			} else {
				outside++;
			}
			s = nl ? nl + 1 : end;
		}
		lat = malloc(n * sizeof *lat);
		rlat = malloc(n * sizeof *rlat);
		for (int warm = 0; warm < 2; warm++)
			for (size_t i = 0; i < n; i++) {
				sa_decision *d;
				ref_result r;
				double t0 = now(), t1, t2;
				if (sa_evaluate_ex(&d, e, hh[i], date, SA_EVAL_NO_TEXT | SA_EVAL_NO_EXTRAS) < 0) {
					printf("  %s: libsa error: %s\n", sa_household_id(hh[i]), sa_error_last()->message);
					continue;
				}
				t1 = now();
				ref_evaluate(rp, &rh[i], date, &r);
				t2 = now();
				if (warm) {
					lat[i] = t1 - t0;
					rlat[i] = t2 - t1;
					t_sa += t1 - t0;
					t_ref += t2 - t1;
					{
						int ok = 1, ti = 4;
						const char *tier = sa_decision_tier(d);
						for (int k = 0; k < 4; k++)
							if (!strcmp(tier, pnames[k]))
								ti = k;
						tier_sa[ti]++;
						tier_ref[r.tier]++;
						ok &= ti == r.tier && sa_decision_circle(d) == r.circle;
						for (int k = 0; k < 4; k++) {
							int pi = sa_decision_find(d, pnames[k]);
							sa_status st = SA_INELIGIBLE;
							sa_fen am = 0;
							int has;
							if (pi >= 0)
								sa_decision_program_status(&st, d, (size_t)pi);
							has = pi >= 0 && sa_decision_program_amount(&am, d, (size_t)pi) == 0;
							if (st == SA_ELIGIBLE && has)
								cash_sa[k] += am;
							if (r.status[k] == SA_ELIGIBLE && r.has_amount[k])
								cash_ref[k] += r.amount[k];
							if ((int)st != r.status[k] || (st == SA_ELIGIBLE && (has != r.has_amount[k] ||
							                                                     (has && am != r.amount[k]))))
								ok = 0;
						}
						if (!ok) {
							if (disagree < 20) {
								printf("  DISAGREE %s: libsa tier %s circle %d", sa_household_id(hh[i]), tier,
								       sa_decision_circle(d));
								for (int k = 0; k < 4; k++) {
									int pi = sa_decision_find(d, pnames[k]);
									sa_fen am = -1;
									sa_status st = SA_INELIGIBLE;
									if (pi >= 0) {
										sa_decision_program_amount(&am, d, (size_t)pi);
										sa_decision_program_status(&st, d, (size_t)pi);
									}
									printf(" %s=%s/%lld", pnames[k],
									       pi >= 0 ? sa_status_name(st) : "-",
									       (long long)am);
								}
								printf(" | ref tier %s circle %d", r.tier < 4 ? pnames[r.tier] : "none", r.circle);
								for (int k = 0; k < 4; k++)
									printf(" %s=%s/%lld", pnames[k], sa_status_name((sa_status)r.status[k]),
									       r.has_amount[k] ? (long long)r.amount[k] : -1LL);
								printf("\n");
							}
							disagree++;
						}
					}
				}
				sa_decision_free(d);
			}
		qsort(lat, n, sizeof *lat, cmp_d);
		qsort(rlat, n, sizeof *rlat, cmp_d);
		double txt50 = 0, txt99 = 0, t_txt = 0;
		{
			/* with reason text (sa_evaluate), for comparison; rlat reused as scratch */
			double *tlat = malloc((n ? n : 1) * sizeof *tlat);
			for (size_t i = 0; i < (latency_only ? 0 : n); i++) {
				sa_decision *d;
				double t0 = now();
				if (sa_evaluate(&d, e, hh[i], date) < 0) {
					tlat[i] = 0;
					continue;
				}
				tlat[i] = now() - t0;
				t_txt += tlat[i];
				sa_decision_free(d);
			}
			qsort(tlat, n, sizeof *tlat, cmp_d);
			if (n)
				txt50 = tlat[n / 2], txt99 = tlat[n * 99 / 100];
			free(tlat);
		}
		double t_batch = 0;
		size_t batch_made = 0;
		{
			/* the same households through sa_evaluate_batch, 256 per call, no text, no extras */
			sa_decision **bd = malloc(256 * sizeof *bd);
			int *codes = malloc(256 * sizeof *codes);
			for (size_t i = 0; i < n; i += 256) {
				size_t k = n - i < 256 ? n - i : 256;
				double t0 = now();
				int made = sa_evaluate_batch(bd, codes, e, (const sa_household *const *)hh + i, k, date,
				                             SA_EVAL_NO_TEXT | SA_EVAL_NO_EXTRAS);
				t_batch += now() - t0;
				batch_made += made > 0 ? (size_t)made : 0;
				for (size_t j = 0; j < k; j++)
					sa_decision_free(bd[j]);
			}
			free(bd);
			free(codes);
		}
		printf("households: %zu read from %zu lines (%zu outside the reference's domain or unreadable)\n", n, lines,
		       outside);
		if (n) {
			printf("latency national rules, no text (sa_evaluate_ex NO_TEXT|NO_EXTRAS): p50 %.2f us  p99 %.2f us  "
			       "mean %.2f us\n", lat[n / 2] * 1e6,
			       lat[n * 99 / 100] * 1e6, t_sa / (double)n * 1e6);
			printf("latency reference.c:           p50 %.3f us  p99 %.3f us  mean %.3f us\n", rlat[n / 2] * 1e6,
			       rlat[n * 99 / 100] * 1e6, t_ref / (double)n * 1e6);
			printf("ratio libsa / C (mean): %.0fx\n", t_sa / (t_ref > 0 ? t_ref : 1e-12));
			printf("sa_evaluate_batch (256 per call), no text: mean %.2f us per household (%zu decisions)\n",
			       t_batch / (double)n * 1e6, batch_made);
			printf("latency sa_evaluate, full decision with text and extras: p50 %.2f us  p99 %.2f us  "
			       "mean %.2f us\n", txt50 * 1e6,
			       txt99 * 1e6, t_txt / (double)n * 1e6);
		}
		printf("agreement: %zu of %zu households disagree\n", disagree, n);
		printf("summary    %-8s %-8s\n", "libsa", "C");
		for (int k = 0; k < 5; k++)
			printf("  tier %-5s %-8llu %-8llu %s\n", k < 4 ? pnames[k] : "none", (unsigned long long)tier_sa[k],
			       (unsigned long long)tier_ref[k], tier_sa[k] == tier_ref[k] ? "ok" : "DIFFER");
		for (int k = 0; k < 4; k++) {
			char a[32], b[32];
			sa_money_format(a, sizeof a, cash_sa[k]);
			sa_money_format(b, sizeof b, cash_ref[k]);
			printf("  cash %-5s %s  %s yuan/month %s\n", pnames[k], a, b, cash_sa[k] == cash_ref[k] ? "ok" : "DIFFER");
		}
		for (size_t i = 0; i < n; i++)
			sa_household_free(hh[i]);
		free(hh);
		free(rh);
		free(lat);
		free(rlat);
		ref_params_free(rp);
		sa_engine_free(e);
	}

	/* ---- batch throughput from JSON lines: libsa on 1 and all cores; reference on 1 core */
	if (!latency_only) {
		unsigned js[2] = { 1, jobs };
		for (int k = 0; k < 2; k++) {
			sa_screen_options so;
			sa_screen_summary *sum;
			sa_engine_options eo = SA_ENGINE_OPTIONS_INIT;
			size_t bytes = 0;
			double t0, t1;
			eo.pack_path = path;
			sa_screen_options_init(&so, SA_SCREEN_OPTIONS_VERSION);
			so.pack = pack;
			so.engine = &eo;
			so.as_of = date;
			so.jobs = js[k];
			so.format = SA_SCREEN_JSONL;
			so.on_record = count_record;
			so.ud = &bytes;
			{
				struct timespec a, b, ca, cb;
				clock_gettime(CLOCK_MONOTONIC, &a);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
				if (sa_screen_summary_new(&sum) < 0 || sa_screen_run(sum, &so, text, len, file) < 0) {
					fprintf(stderr, "bench: %s\n", sa_error_last()->message);
					return 1;
				}
				clock_gettime(CLOCK_MONOTONIC, &b);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
				t0 = 0;
				t1 = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
				/* the same run in CPU time: what `jobs` threads with a core each would do */
				double cpu = (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) / 1e9;
				printf("batch sa_screen_run, %u thread(s): %llu households in %.2f s = %.0f households/s (%llu bad); "
				       "%.2f CPU s = %.0f households/s at %u full core(s)\n", js[k],
				       (unsigned long long)sa_screen_summary_evaluated(sum), t1 - t0,
				       (double)sa_screen_summary_evaluated(sum) / (t1 - t0), (unsigned long long)sa_screen_summary_bad(sum),
				       cpu, (double)sa_screen_summary_evaluated(sum) / cpu * js[k], js[k]);
			}
			sa_screen_summary_free(sum);
		}
		{
			ref_params *rp;
			ref_household h;
			ref_result r;
			size_t cnt = 0;
			const char *s = text, *end = text + len;
			double t0 = now(), t1;
			ref_params_load(&rp, path, pack, date);
			while (s < end) {
				const char *nl = memchr(s, '\n', (size_t)(end - s));
				const char *le = nl ? nl : end;
				if (ref_parse(&h, s, (size_t)(le - s)) == 0) {
					ref_evaluate(rp, &h, date, &r);
					cnt++;
				}
				s = nl ? nl + 1 : end;
			}
			t1 = now();
			printf("batch reference.c (cJSON parse + rules), 1 thread: %zu households in %.2f s = %.0f households/s\n", cnt,
			       t1 - t0, (double)cnt / (t1 - t0));
			ref_params_free(rp);
		}
	}
	free(text);
	return 0;
}
