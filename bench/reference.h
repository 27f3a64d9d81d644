/* reference.h - a hand-written C implementation of the national rules (policies/cn/rules)
 * for the households bench/gen.c makes. See reference.c for the domain it covers. */
#ifndef SA_BENCH_REFERENCE_H
#define SA_BENCH_REFERENCE_H

#include <sa.h>
#include <stdbool.h>

#define REF_MAXM 8

typedef struct {
	char id[24];
	char relation[16];
	sa_date birth;
	int able_to_work; /* -1 absent, 0, 1 */
	bool has_income;
	sa_fen wages, business, property, transfers, pension, bpc, maint_recv, maint_paid, taxes;
	bool has_self_care;
	int self_care_fail; /* activities that cannot be done unaided */
	int support_home;   /* -1 absent, 0 institutional, 1 home */
} ref_member;

typedef struct {
	char id[40];
	bool urban;
	char dibao_tier; /* 0 when absent */
	bool enr_tekun, enr_dibao, enr_edge, enr_rigid, enr_orphan, enr_defacto, enr_monitored;
	int att[4]; /* tekun, dibao, edge, rigid: -1 absent, 0, 1 */
	bool has_rigid;
	sa_fen rigid_total;
	sa_fen rigid_medical; /* medical + other: 内蒙古's medical and accident kinds */
	int n;
	ref_member m[REF_MAXM];
} ref_household;

/* 0 = eligible, 1 = ineligible, 2 = undetermined (as sa_status) */
typedef struct {
	int tier; /* 0 tekun, 1 dibao, 2 edge, 3 rigid, 4 none */
	int circle;
	int status[4];
	bool has_amount[4];
	sa_fen amount[4];
} ref_result;

typedef struct ref_params ref_params;

/* Parameters of pack `pack` in force on `as_of`, read through libsa's pack loader. */
int ref_params_load(ref_params **out, const char *pack_path, const char *pack, sa_date as_of);
void ref_params_free(ref_params *p);

/* Parse one JSON line of bench/gen.c's shape; 0 or -1 (outside the covered domain). */
int ref_parse(ref_household *h, const char *line, size_t len);
void ref_evaluate(const ref_params *p, const ref_household *h, sa_date as_of, ref_result *r);

#endif
