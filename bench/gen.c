/* gen.c - seeded, reproducible synthetic households (JSON lines) and events.
 *
 *   sa-gen [--seed S] [--count N] [--pack ID] [--pack-path DIRS] [--date YYYY-MM-DD]
 *          [--bad PERMILLE] [--events N] [--csv]
 *
 * Households use the pack's own dibao standards on the date (read through libsa's loader,
 * so they follow policies/cn-test/params.yaml as it changes) and are built so that a real
 * share lands in every tier and on every boundary: per-capita income exactly at the standard,
 * a fen below it, exactly at 1.5x and a fen below, ages 59/60 and 15/16/17/18 on the day,
 * attested asset verdicts true/false/absent, unknown income, rural tiers A/B/C/absent,
 * rigid spending exactly at the ratio. --bad N puts N per mille malformed lines in (for the
 * skip path). --events N writes N monitoring entries (docs/monitoring.md) as JSON instead.
 * --csv writes the CSV layout of docs/screening.md. The domain stays inside what
 * bench/reference.c mirrors (no disability, education, supporters or assets blocks). */
#include <sa.h>

#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int chance(int permille)
{
	return pick(1000) < permille;
}

static sa_fen param_money(sa_policy *pol, const char *name, sa_date d, sa_fen dflt)
{
	const sa_peff *e = sa__policy_param(pol, name);
	const sa_pentry *v = e ? sa__peff_at(pol, e, d, NULL) : NULL;
	return v ? v->a : dflt;
}

static void money(char *buf, size_t n, sa_fen f)
{
	snprintf(buf, n, "%lld.%02lld", (long long)(f / 100), (long long)(f % 100));
}

/* Birth date so that the age on `on` is exactly `years` (born on the same day, or one day
 * later for "one day short"). */
static sa_date birth_for(sa_date on, int years, int day_short)
{
	int y = on / 10000 - years, md = on % 10000;
	sa_date b = y * 10000 + md;
	if (md == 229)
		b = y * 10000 + 301;
	if (!sa_date_valid(b))
		b = y * 10000 + 228;
	if (day_short) {
		/* one day later in the calendar: the birthday has not come yet */
		int d = b % 100 + 1, m = b / 100 % 100;
		sa_date c = (b / 10000) * 10000 + m * 100 + d;
		if (!sa_date_valid(c))
			c = (b / 10000) * 10000 + (m % 12 + 1) * 100 + 1 + (m == 12 ? 10000 : 0);
		b = c;
	}
	return b;
}

typedef struct {
	const char *rel;
	int age;
	int short_day;
} mspec;

typedef struct {
	FILE *f;
	int csv;
} out_t;

static void fmt_date(char *b, size_t n, sa_date d)
{
	sa_date_format(b, n, d);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = 1000;
	const char *pack = "cn-test", *path = getenv("SA_PACK_PATH");
	char region[8] = "990100";
	sa_date date = 20250801;
	int bad = 0, events = 0, csv = 0;
	sa_policy *pol;
	sa_fen su, sr, disp;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--pack") && i + 1 < argc)
			pack = argv[++i];
		else if (!strcmp(argv[i], "--pack-path") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
			if (sa_date_parse(&date, argv[++i]) < 0) {
				fprintf(stderr, "gen: bad --date\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--bad") && i + 1 < argc)
			bad = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--events") && i + 1 < argc)
			events = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--csv"))
			csv = 1;
		else {
			fprintf(stderr, "usage: %s [--seed S] [--count N] [--pack ID] [--pack-path DIRS] [--date D] [--bad PERMILLE] "
			                "[--events N] [--csv]\n", argv[0]);
			return 2;
		}
	}
	if (sa__policy_load(&pol, path && *path ? path : "policies", pack) < 0) {
		fprintf(stderr, "gen: %s\n", sa_error_last()->message);
		return 1;
	}
	su = param_money(pol, "dibao.standard_urban", date, 70000);
	sr = param_money(pol, "dibao.standard_rural", date, 0);
	if (!sr) {
		sa_fen annual = param_money(pol, "dibao.standard_rural_annual", date, 600000);
		sa_money_muldiv(&sr, annual, 1, 12, SA_ROUND_HALF_UP_FEN);
	}
	disp = param_money(pol, "stats.disposable_income", date, 3600000);
	/* Households live where the pack applies (a pack decides only households of its region):
	 * the test region 990100 where the pack covers it (cn, cn-test), else a code inside the
	 * pack's region (530100 → 530101, 530000 → 530101, a county's own code). */
	{
		const char *pr = sa__policy_leaf(pol)->region;
		if (!sa__region_covers(pr, "990100")) {
			size_t n = sa__region_prefix_len(pr);
			snprintf(region, sizeof region, "%.*s%s", (int)n, pr, "010101" + n);
		}
	}
	sa__policy_release(pol);
	rng_state = seed;

	if (events) {
		/* monitoring entries: one household each with a few events around the date */
		static const char *const kinds[] = { "medical", "hospitalisation", "death", "accident", "disaster",
			                             "unemployment", "disability_certificate", "income_drop", "enrolled",
			                             "exited", "review", "phase_out", "visit" };
		printf("[\n");
		for (int e = 0; e < events; e++) {
			char b[16], a[32];
			int ne = 1 + pick(5);
			fmt_date(b, sizeof b, birth_for(date, 30 + pick(50), 0));
			printf("{\"household\": {\"id\": \"ev-%d\", \"region\": \"%s\", \"area\": \"%s\", \"enrolments\": [%s], "
			       "\"members\": [{\"id\": \"m1\", \"relation\": \"head\", \"birth\": \"%s\", \"able_to_work\": %s}]},\n"
			       " \"events\": [",
			       e, region, pick(2) ? "urban" : "rural", pick(3) == 0 ? "\"dibao\"" : pick(4) == 0 ? "\"tekun\"" : "", b,
			       pick(2) ? "true" : "false");
			for (int k = 0; k < ne; k++) {
				const char *kind = kinds[pick(13)];
				sa_date d = sa_date_add_months(date, -pick(14));
				fmt_date(b, sizeof b, d);
				money(a, sizeof a, (sa_fen)pick(1500000));
				printf("%s{\"kind\": \"%s\", \"date\": \"%s\", \"amount\": \"%s\", \"member\": \"m1\"}", k ? ", " : "", kind, b,
				       a);
			}
			printf("]}%s\n", e + 1 < events ? "," : "");
		}
		printf("]\n");
		return 0;
	}

	if (csv)
		printf("id,region,area,enrolments,dibao_tier,attested.assets_within_tekun_limits,"
		       "attested.assets_within_dibao_limits,attested.assets_within_edge_limits,"
		       "attested.assets_within_rigid_limits,rigid_spending.medical,member.id,member.relation,member.birth,"
		       "member.able_to_work,member.employment,member.income.wages,member.income.business,"
		       "member.income.pension,member.self_care.eating,member.self_care.dressing,"
		       "member.self_care.bed_transfer,member.self_care.toileting,member.self_care.indoor_walking,"
		       "member.self_care.bathing,member.support_mode\n");

	for (uint64_t h = 0; h < count; h++) {
		mspec ms[6];
		int n = 0, urban = pick(100) < 60, cls, arche = pick(100);
		sa_fen S = urban ? su : sr, pc, total, rigid = 0;
		int has_rigid;
		char id[32], line[8192];
		size_t len = 0;
		static const int elder_ages[] = { 59, 60, 60, 61, 65, 69, 70, 71, 75, 80, 85 };

		snprintf(id, sizeof id, "g%llu-%llu", (unsigned long long)seed, (unsigned long long)h);
		if (bad && chance(bad)) {
			static const char *const junk[] = {
				"{\"id\": \"broken\", \"region\": \"990100\"",                    /* syntax */
				"{\"id\": \"x\", \"region\": \"99\", \"area\": \"urban\", \"members\": []}", /* schema */
				"[1, 2, 3]",                                                         /* not an object */
				"{\"id\": \"y\", \"region\": \"990100\", \"area\": \"town\", \"members\": [{\"id\": \"a\", "
				"\"relation\": \"head\", \"birth\": \"1970-02-30\"}]}",
			};
			if (!csv)
				printf("%s\n", junk[pick(4)]);
			else
				printf("%s,99,urban,,,,,,,,a,head,1970-02-30,,,,,,,,,,,,\n", id);
			continue;
		}
		/* members */
		if (arche < 22) { /* lone elderly */
			ms[n++] = (mspec){ "head", elder_ages[pick(11)], pick(4) == 0 };
		} else if (arche < 34) { /* elderly couple */
			ms[n++] = (mspec){ "head", elder_ages[pick(11)], 0 };
			ms[n++] = (mspec){ "spouse", elder_ages[pick(11)], pick(4) == 0 };
		} else if (arche < 46) { /* elderly with a grandchild */
			static const int kid[] = { 8, 14, 15, 16, 16, 17, 18 };
			ms[n++] = (mspec){ "head", elder_ages[pick(11)], 0 };
			ms[n++] = (mspec){ "grandchild", kid[pick(7)], pick(3) == 0 };
		} else if (arche < 54) { /* adult living with a parent */
			ms[n++] = (mspec){ "head", 30 + pick(28), 0 };
			ms[n++] = (mspec){ "parent", elder_ages[pick(11)], 0 };
		} else { /* family */
			static const int kid[] = { 2, 6, 11, 15, 16, 17, 18, 20 };
			int kids = pick(4);
			ms[n++] = (mspec){ "head", 25 + pick(35), 0 };
			if (pick(100) < 80)
				ms[n++] = (mspec){ "spouse", 25 + pick(35), 0 };
			for (int k = 0; k < kids; k++)
				ms[n++] = (mspec){ "child", kid[pick(8)], pick(4) == 0 };
		}
		/* per-capita income class */
		cls = pick(100);
		if (cls < 10)
			pc = 0;
		else if (cls < 28)
			pc = (sa_fen)pick((int)S);
		else if (cls < 36)
			pc = S; /* exactly the standard: not below */
		else if (cls < 44)
			pc = S - 1;
		else if (cls < 58)
			pc = S + (sa_fen)pick((int)(S / 2));
		else if (cls < 64)
			pc = S * 3 / 2; /* exactly 1.5x */
		else if (cls < 70)
			pc = S * 3 / 2 - 1;
		else
			pc = S * 3 / 2 + (sa_fen)pick((int)(disp / 12 - S * 3 / 2 > 0 ? disp / 12 - S * 3 / 2 : 1)) +
			     (pick(5) == 0 ? disp / 12 : 0);
		total = pc * n;
		/* rigid spending: sometimes exactly at 60% of annual income, sometimes well above */
		has_rigid = pick(100) < 75;
		if (has_rigid) {
			int r = pick(10);
			rigid = r < 2 ? total * 12 * 6 / 10 : r < 5 ? total * 12 * 7 / 10 + pick(500000) : pick(800000);
		}

#define ADD(...) len += (size_t)snprintf(line + len, sizeof line - len, __VA_ARGS__)
		{
			int e_t = pick(100) < 8, e_d = pick(100) < 15, e_e = pick(100) < 5, e_r = pick(100) < 3,
			    e_m = pick(100) < 3, first = 1;
			int att[4];
			char tier = urban ? 0 : pick(100) < 95 ? "ABC"[pick(3)] : 0;
			for (int k = 0; k < 4; k++) {
				int a = pick(100);
				att[k] = a < 92 ? 1 : a < 97 ? 0 : -1;
			}
			if (!csv) {
				ADD("{\"id\": \"%s\", \"region\": \"%s\", \"area\": \"%s\", \"enrolments\": [", id, region, urban ? "urban" : "rural");
#define ENR(flag, name) if (flag) { ADD("%s\"%s\"", first ? "" : ", ", name); first = 0; }
				ENR(e_t, "tekun") ENR(e_d, "dibao") ENR(e_e, "edge") ENR(e_r, "rigid") ENR(e_m, "monitored")
				ADD("]");
				if (tier)
					ADD(", \"dibao_tier\": \"%c\"", tier);
				ADD(", \"attested\": {");
				first = 1;
				static const char *const an[] = { "tekun", "dibao", "edge", "rigid" };
				for (int k = 0; k < 4; k++)
					if (att[k] >= 0) {
						ADD("%s\"assets_within_%s_limits\": %s", first ? "" : ", ", an[k], att[k] ? "true" : "false");
						first = 0;
					}
				ADD("}");
				if (has_rigid) {
					char m[32];
					money(m, sizeof m, rigid);
					ADD(", \"rigid_spending\": {\"medical\": \"%s\"}", m);
				}
				ADD(", \"members\": [");
			}
			for (int k = 0; k < n; k++) {
				char b[16], w[32], bus[32], pen[32];
				sa_fen share = total / n + (k == 0 ? total % n : 0), wages = 0, business = 0, pension = 0;
				int income_absent = pick(1000) < 15, able = -1, fails = -1, home = -1;
				int a = ms[k].age;
				fmt_date(b, sizeof b, birth_for(date, a, ms[k].short_day));
				if (a >= 60)
					pension = share;
				else if (a >= 18 && pick(100) < 30 && cls >= 70) { /* off the boundaries: wages (30% deducted) */
					wages = share;
				} else
					business = share;
				if (a >= 18 && a < 60)
					able = pick(100) < 80;
				if (a >= 60 || a < 16) {
					fails = pick(100) < 10 ? -1 : pick(7);
					home = pick(100) < 75;
				}
				money(w, sizeof w, wages);
				money(bus, sizeof bus, business);
				money(pen, sizeof pen, pension);
				if (csv) {
					static const char *const an[] = { "tekun", "dibao", "edge", "rigid" };
					char enr[64] = "", rig[32] = "";
					(void)an;
					snprintf(enr, sizeof enr, "%s%s%s%s%s", e_t ? "tekun;" : "", e_d ? "dibao;" : "", e_e ? "edge;" : "",
					         e_r ? "rigid;" : "", e_m ? "monitored;" : "");
					if (*enr)
						enr[strlen(enr) - 1] = 0;
					if (has_rigid)
						money(rig, sizeof rig, rigid);
					ADD("%s,%s,%s,%s,%s%s,%s,%s,%s,%s,%s,m%d,%s,%s,%s,%s,", id, region, urban ? "urban" : "rural", enr,
					    tier ? (char[]){ tier, 0 } : "", "", att[0] < 0 ? "" : att[0] ? "true" : "false",
					    att[1] < 0 ? "" : att[1] ? "true" : "false", att[2] < 0 ? "" : att[2] ? "true" : "false",
					    att[3] < 0 ? "" : att[3] ? "true" : "false", rig, k + 1, ms[k].rel, b,
					    able < 0 ? "" : able ? "true" : "false", able == 1 ? "employed" : "");
					if (income_absent)
						ADD(",,");
					else
						ADD("%s,%s,%s", w, bus, pen);
					for (int s = 0; s < 6; s++)
						ADD(",%s", fails < 0 ? "" : s < fails ? "false" : "true");
					ADD(",%s\n", home < 0 ? "" : home ? "home" : "institutional");
					continue;
				}
				ADD("%s{\"id\": \"m%d\", \"relation\": \"%s\", \"birth\": \"%s\"", k ? ", " : "", k + 1, ms[k].rel, b);
				if (able >= 0)
					ADD(", \"able_to_work\": %s, \"employment\": \"%s\"", able ? "true" : "false", able ? "employed" : "unemployed");
				if (!income_absent)
					ADD(", \"income\": {\"wages\": \"%s\", \"business\": \"%s\", \"pension\": \"%s\"}", w, bus, pen);
				if (fails >= 0) {
					static const char *const acts[] = { "eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing" };
					ADD(", \"self_care\": {");
					for (int s = 0; s < 6; s++)
						ADD("%s\"%s\": %s", s ? ", " : "", acts[s], s < fails ? "false" : "true");
					ADD("}");
				}
				if (home >= 0)
					ADD(", \"support_mode\": \"%s\"", home ? "home" : "institutional");
				ADD("}");
			}
			if (!csv)
				ADD("]}\n");
		}
		fwrite(line, 1, len, stdout);
	}
	return 0;
}
