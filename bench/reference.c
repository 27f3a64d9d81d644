/* reference.c - the national rules of policies/cn/rules (the .lua files) written by hand in C, for the
 * households bench/gen.c generates. It exists to measure what the Lua sandbox costs against
 * plain C and to cross-check libsa's decisions: bench reports every household where the two
 * disagree.
 *
 * Domain covered (ref_parse refuses anything else): members living with the household, not
 * excluded, no education block, no disability, no serious illness, not on the orphan track, no
 * orphan_status (the orphan program is not mirrored),
 * no basic_pension_central, no `supporters` and no `assets` (asset tests use `attested`, as the
 * cn rules do when a pack sets caps and h.assets is absent, or sets no caps). Within it the
 * functions mirror 00_facts.lua, tekun.lua, dibao.lua, edge.lua, rigid.lua, zz_evaluate.lua.
 * Tri-state values: 1 true, 0 false, -1 unknown. Parameters are read from the same pack chain
 * through libsa's loader (internal API; bench links the static library). */
#include "reference.h"

#include "pack/pack.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_STD_U, P_STD_R, P_STD_RA, P_RURAL_PAY, P_TIER_A, P_TIER_B, P_TIER_C, P_FLOOR, P_SUP_AGE, P_SUP_ELD,
       P_SUP_MIN, P_EC_WAGE, P_EC_STD, P_BASIC_MULT, P_BASIC_BASE, P_BASIC_U, P_BASIC_R, P_CARE_F, P_CARE_P,
       P_CARE_S, P_CHOME_F, P_CHOME_P, P_CHOME_S, P_EDGE_MULT, P_RIGID_RATIO, P_RIGID_INCL, P_DISP, P_DISP_U, P_DISP_R,
       P_RIGID_BASIS, P_TEKUN_BASIS, P_RIGID_MTEST, P_RIGID_MRATIO, P_N };
static const char *const pnames[P_N] = {
	"dibao.standard_urban", "dibao.standard_rural", "dibao.standard_rural_annual", "dibao.rural_payment",
	"dibao.rural_tier_a", "dibao.rural_tier_b", "dibao.rural_tier_c", "dibao.floor_share", "supplement.elderly_age",
	"supplement.elderly", "supplement.minor", "income.employment_cost_wage_share",
	"income.employment_cost_standard_share", "tekun.basic_multiplier", "tekun.basic_base", "tekun.basic_urban",
	"tekun.basic_rural", "tekun.care_full", "tekun.care_partial", "tekun.care_self", "tekun.care_home_full",
	"tekun.care_home_partial", "tekun.care_home_self", "edge.income_multiple", "rigid.spending_ratio",
	"rigid.spending_ratio_inclusive", "stats.disposable_income", "stats.disposable_income_urban",
	"stats.disposable_income_rural", "rigid.income_basis", "tekun.income_basis",
	"rigid.spending_ratio_medical_test", "rigid.spending_ratio_medical",
};

typedef struct {
	bool set;
	int64_t a, b; /* money/int/bool in a; ratio a/b */
	sa_rounding r;
	char text[32];
} pval;

struct ref_params {
	pval v[P_N];
};

int ref_params_load(ref_params **out, const char *pack_path, const char *pack, sa_date as_of)
{
	sa_policy *pol;
	ref_params *p;
	int rc;
	if ((rc = sa__policy_load(&pol, pack_path, pack)) < 0)
		return rc;
	p = calloc(1, sizeof *p);
	for (int i = 0; i < P_N; i++) {
		const sa_peff *e = sa__policy_param(pol, pnames[i]);
		const sa_pentry *v = e ? sa__peff_at(pol, e, as_of, NULL) : NULL;
		if (!v)
			continue;
		p->v[i].set = true;
		p->v[i].a = v->a;
		p->v[i].b = v->b;
		p->v[i].r = e->decl->has_rounding ? e->decl->rounding : SA_ROUND_HALF_UP_FEN;
		snprintf(p->v[i].text, sizeof p->v[i].text, "%s", v->text ? v->text : "");
	}
	sa__policy_release(pol);
	*out = p;
	return 0;
}

void ref_params_free(ref_params *p)
{
	free(p);
}

static sa_fen mul(sa_fen fen, const pval *r, sa_rounding mode)
{
	sa_fen out = 0;
	sa_money_muldiv(&out, fen, r->a, r->b, mode);
	return out;
}

/* ------------------------------------------------------------------ parsing */

static int money(const cJSON *o, const char *k, sa_fen *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	*out = 0;
	if (!v)
		return 0;
	if (cJSON_IsString(v))
		return sa_money_parse(out, v->valuestring) < 0 ? -1 : 0;
	if (cJSON_IsNumber(v)) {
		*out = (sa_fen)(v->valuedouble * 100.0 + (v->valuedouble >= 0 ? 0.5 : -0.5));
		return 0;
	}
	return -1;
}

static int tri(const cJSON *o, const char *k)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
	if (!v || cJSON_IsNull(v))
		return -1;
	return cJSON_IsTrue(v) ? 1 : 0;
}

int ref_parse(ref_household *h, const char *line, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(line, len), *x, *ms, *m;
	int rc = -1;
	memset(h, 0, sizeof *h);
	if (!j || !cJSON_IsObject(j))
		goto out;
	if (cJSON_GetObjectItem(j, "supporters") || cJSON_GetObjectItem(j, "assets"))
		goto out;
	if ((x = cJSON_GetObjectItem(j, "id")) && cJSON_IsString(x))
		snprintf(h->id, sizeof h->id, "%s", x->valuestring);
	x = cJSON_GetObjectItem(j, "area");
	if (!x || !cJSON_IsString(x))
		goto out;
	h->urban = strcmp(x->valuestring, "urban") == 0;
	if ((x = cJSON_GetObjectItem(j, "dibao_tier")) && cJSON_IsString(x))
		h->dibao_tier = x->valuestring[0];
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(j, "enrolments"))
	{
		const char *s = m->valuestring;
		if (!s)
			goto out;
		h->enr_tekun |= !strcmp(s, "tekun");
		h->enr_dibao |= !strcmp(s, "dibao");
		h->enr_edge |= !strcmp(s, "edge");
		h->enr_rigid |= !strcmp(s, "rigid");
		h->enr_orphan |= !strcmp(s, "orphan");
		h->enr_defacto |= !strcmp(s, "de_facto_orphan");
		h->enr_monitored |= !strcmp(s, "monitored");
	}
	x = cJSON_GetObjectItem(j, "attested");
	h->att[0] = tri(x, "assets_within_tekun_limits");
	h->att[1] = tri(x, "assets_within_dibao_limits");
	h->att[2] = tri(x, "assets_within_edge_limits");
	h->att[3] = tri(x, "assets_within_rigid_limits");
	if ((x = cJSON_GetObjectItem(j, "rigid_spending"))) {
		sa_fen a, b, c, d;
		if (money(x, "medical", &a) || money(x, "education", &b) || money(x, "rehabilitation", &c) ||
		    money(x, "other", &d))
			goto out;
		h->has_rigid = true;
		h->rigid_total = a + b + c + d;
		h->rigid_medical = a + d; /* medical + other (accident), the second test's kinds */
	}
	ms = cJSON_GetObjectItem(j, "members");
	cJSON_ArrayForEach(m, ms)
	{
		ref_member *r;
		const cJSON *inc, *sc;
		if (h->n == REF_MAXM)
			goto out;
		r = &h->m[h->n++];
		if (cJSON_GetObjectItem(m, "disability") || cJSON_GetObjectItem(m, "education") ||
		    tri(m, "serious_illness") == 1 || tri(m, "orphan_track") == 1 || cJSON_GetObjectItem(m, "orphan_status") || tri(m, "lives_with_household") == 0 ||
		    ((x = cJSON_GetObjectItem(m, "excluded")) && strcmp(x->valuestring, "none")))
			goto out;
		snprintf(r->id, sizeof r->id, "%s", cJSON_GetObjectItem(m, "id")->valuestring);
		snprintf(r->relation, sizeof r->relation, "%s", cJSON_GetObjectItem(m, "relation")->valuestring);
		if (sa_date_parse(&r->birth, cJSON_GetObjectItem(m, "birth")->valuestring) < 0)
			goto out;
		r->able_to_work = tri(m, "able_to_work");
		r->support_home = -1;
		if ((x = cJSON_GetObjectItem(m, "support_mode")))
			r->support_home = strcmp(x->valuestring, "home") == 0;
		if ((inc = cJSON_GetObjectItem(m, "income"))) {
			r->has_income = true;
			if (money(inc, "wages", &r->wages) || money(inc, "business", &r->business) ||
			    money(inc, "property", &r->property) || money(inc, "transfers", &r->transfers) ||
			    money(inc, "pension", &r->pension) || money(inc, "basic_pension_central", &r->bpc) ||
			    money(inc, "maintenance_received", &r->maint_recv) || money(inc, "maintenance_paid", &r->maint_paid) ||
			    money(inc, "taxes_and_contributions", &r->taxes) || r->bpc)
				goto out;
		}
		if ((sc = cJSON_GetObjectItem(m, "self_care"))) {
			static const char *const acts[] = { "eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing" };
			r->has_self_care = true;
			for (int k = 0; k < 6; k++)
				r->self_care_fail += tri(sc, acts[k]) == 0;
		}
	}
	rc = h->n > 0 ? 0 : -1;
out:
	cJSON_Delete(j);
	return rc;
}

/* ------------------------------------------------------------------ the rules */

typedef struct {
	bool counted[REF_MAXM];
	int n;
	bool std_known;
	sa_fen S;
	bool income_known;
	sa_fen income[REF_MAXM];
	bool inc_known[REF_MAXM];
	sa_fen total;
	int dibao; /* household dibao test: 1, 0, -1 */
} facts;

static int and3(int a, int b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a < 0 || b < 0)
		return -1;
	return 1;
}

static int or3(int a, int b)
{
	if (a == 1 || b == 1)
		return 1;
	if (a < 0 || b < 0)
		return -1;
	return 0;
}

/* spending above ratio r of annual income (exact; >= where rigid.spending_ratio_inclusive) */
static bool rigid_exceeds(const ref_params *p, sa_fen spending, const pval *r, sa_fen annual)
{
	__int128 lhs = (__int128)spending * r->b;
	__int128 rhs = (__int128)r->a * annual;
	bool incl = p->v[P_RIGID_INCL].set && p->v[P_RIGID_INCL].a;
	return incl ? lhs >= rhs : lhs > rhs;
}

/* 刚性支出 第四条（四）: all kinds above rigid.spending_ratio */
static int rigid_first(const ref_params *p, const ref_household *h, sa_fen annual)
{
	if (!p->v[P_RIGID_RATIO].set)
		return -1;
	return rigid_exceeds(p, h->rigid_total, &p->v[P_RIGID_RATIO], annual);
}

/* 内蒙古 2024: medical + accident (other) above rigid.spending_ratio_medical, where
 * rigid.spending_ratio_medical_test is true (unknown where it is unknown) */
static int rigid_second(const ref_params *p, const ref_household *h, sa_fen annual)
{
	int on = p->v[P_RIGID_MTEST].set ? p->v[P_RIGID_MTEST].a != 0 : -1;
	if (h->rigid_medical == 0 || on == 0)
		return 0;
	if (!p->v[P_RIGID_MRATIO].set)
		return -1;
	if (!rigid_exceeds(p, h->rigid_medical, &p->v[P_RIGID_MRATIO], annual))
		return 0;
	return on;
}

static bool standard(const ref_params *p, bool urban, sa_fen *s)
{
	if (urban) {
		*s = p->v[P_STD_U].a;
		return p->v[P_STD_U].set;
	}
	if (p->v[P_STD_R].set) {
		*s = p->v[P_STD_R].a;
		return true;
	}
	if (p->v[P_STD_RA].set) {
		sa_money_muldiv(s, p->v[P_STD_RA].a, 1, 12, SA_ROUND_HALF_UP_FEN);
		return true;
	}
	return false;
}

/* rules.disposable_income: the figure the local document names (basis param), else the
 * household's area figure where published, else all residents. false when unknown. */
static bool disposable_income(const ref_params *p, bool urban, int basis_param, sa_fen *out)
{
	const pval *b = &p->v[basis_param], *v;
	if (b->set) {
		v = !strcmp(b->text, "urban") ? &p->v[P_DISP_U] : !strcmp(b->text, "rural") ? &p->v[P_DISP_R] : &p->v[P_DISP];
	} else {
		v = &p->v[urban ? P_DISP_U : P_DISP_R];
		if (!v->set)
			v = &p->v[P_DISP];
	}
	*out = v->a;
	return v->set;
}

/* counted_income: false when unknown */
static bool counted_income(const ref_params *p, const ref_household *h, const ref_member *m, sa_fen *out)
{
	sa_fen ec = 0;
	if (!m->has_income)
		return false;
	if (m->wages > 0) {
		if (p->v[P_EC_WAGE].set) {
			ec = mul(m->wages, &p->v[P_EC_WAGE], p->v[P_EC_WAGE].r);
		} else if (p->v[P_EC_STD].set) {
			sa_fen s;
			if (!standard(p, h->urban, &s))
				return false;
			ec = mul(s, &p->v[P_EC_STD], p->v[P_EC_STD].r);
		}
		if (ec > m->wages)
			ec = m->wages;
		if (ec < 0)
			ec = 0;
	}
	*out = m->wages - ec + m->business + m->property + m->transfers + m->pension + m->maint_recv - m->maint_paid -
	       m->taxes;
	return true;
}

static void make_facts(const ref_params *p, const ref_household *h, const bool *skip, facts *F)
{
	bool known = true;
	memset(F, 0, sizeof *F);
	for (int i = 0; i < h->n; i++) {
		F->counted[i] = !(skip && skip[i]);
		F->n += F->counted[i];
	}
	F->std_known = standard(p, h->urban, &F->S);
	for (int i = 0; i < h->n; i++) {
		if (!F->counted[i])
			continue;
		F->inc_known[i] = counted_income(p, h, &h->m[i], &F->income[i]);
		if (!F->inc_known[i])
			known = false;
		else
			F->total += F->income[i];
	}
	F->income_known = known;
	if (known && F->total < 0)
		F->total = 0;
}

static int dibao_household(const ref_household *h, const facts *F)
{
	int inc;
	if (F->n == 0)
		return 0;
	if (!F->std_known || !F->income_known)
		inc = -1;
	else
		inc = F->total < F->S * F->n;
	return and3(inc, h->att[1]);
}

static int age(const ref_member *m, sa_date as_of)
{
	return sa_date_age(m->birth, as_of);
}

/* KIN (tekun.lua): what relation b (towards the head) is to a, or NULL. */
static const char *kin(const char *a, const char *b)
{
	static const char *const t[][3] = {
		{ "head", "spouse", "spouse" }, { "head", "child", "child" }, { "head", "parent", "parent" },
		{ "head", "grandchild", "grandchild" }, { "head", "grandparent", "grandparent" }, { "head", "sibling", "sibling" },
		{ "spouse", "head", "spouse" }, { "spouse", "child", "child" }, { "spouse", "grandchild", "grandchild" },
		{ "child", "head", "parent" }, { "child", "spouse", "parent" }, { "child", "child", "sibling" },
		{ "child", "parent", "grandparent" }, { "child", "grandchild", "child" },
		{ "parent", "head", "child" }, { "parent", "sibling", "child" }, { "parent", "parent", "spouse" },
		{ "parent", "child", "grandchild" }, { "parent", "grandparent", "parent" },
		{ "grandchild", "child", "parent" }, { "grandchild", "head", "grandparent" },
		{ "grandchild", "spouse", "grandparent" }, { "grandchild", "grandchild", "sibling" },
		{ "grandparent", "parent", "child" }, { "grandparent", "head", "grandchild" },
		{ "grandparent", "sibling", "grandchild" },
		{ "sibling", "head", "sibling" }, { "sibling", "parent", "parent" }, { "sibling", "sibling", "sibling" },
		{ "sibling", "grandparent", "grandparent" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i][0], a) && !strcmp(t[i][1], b))
			return t[i][2];
	return NULL;
}

/* rules.owes_support: does a person who is `k` to candidate m (aged a) owe support? */
static bool owes(const char *k, const ref_member *m, int a, int s_age)
{
	if (!strcmp(k, "spouse") || !strcmp(k, "child") || !strcmp(k, "grandchild"))
		return true;
	if (!strcmp(k, "parent"))
		return a < 18 || m->able_to_work == 0;
	if (!strcmp(k, "grandparent"))
		return a < 18;
	if (!strcmp(k, "sibling"))
		return a < 18 && s_age > a;
	return false;
}

/* tekun person: status 0 eligible, 1 ineligible, 2 undetermined; amount. `state` is the
 * fixpoint's current state (1 特困, -1 maybe, 0 not); D the household without state-1 members. */
static int tekun_person(const ref_params *p, const ref_household *h, const facts *F, const facts *D,
                        const int *state, int i, sa_date as_of, bool *has_amount, sa_fen *amount)
{
	const ref_member *m = &h->m[i];
	int a = age(m, as_of), sv = 1, iv;
	bool lv = a >= 60 || a < 16;
	*has_amount = false;
	if (!lv && h->enr_tekun && a >= 16 && a < 18)
		lv = true;
	if (!lv)
		return 1;
	/* supporters in the household: the candidate's own (民法典 1059, 1067, 1074, 1075) */
	{
		int all = 1; /* all_of over supporters */
		for (int k = 0; k < h->n; k++) {
			const ref_member *s = &h->m[k];
			int sa_ = age(s, as_of), v, any_true = 0, any_nil = 0;
			const char *kk;
			if (k == i || sa_ < 18 || !(kk = kin(m->relation, s->relation)) || !owes(kk, m, a, sa_))
				continue;
			/* member_supporter_unable: any_of(items) */
			if (state[k] == 1)
				any_true = 1; /* (一) found 特困 in this decision */
			else if (state[k] == -1)
				any_nil = 1;
			if (sa_ >= 60) { /* (二) in the 低保 household this decision finds */
				int dv = !D->counted[k] ? 0 : h->enr_dibao ? 1 : D->dibao;
				any_true |= dv == 1;
				any_nil |= dv < 0;
			}
			if (sa_ >= 70) {
				sa_fen inc, di;
				int bv;
				bool known = counted_income(p, h, s, &inc);
				bool di_known = disposable_income(p, h->urban, P_TEKUN_BASIS, &di);
				if (known && inc <= 0)
					bv = 1; /* below any published figure */
				else if (!di_known || !known)
					bv = -1;
				else
					bv = inc * 12 < di;
				v = and3(bv, h->att[2]);
				any_true |= v == 1;
				any_nil |= v < 0;
			}
			v = any_true ? 1 : any_nil ? -1 : 0;
			all = and3(all, v);
		}
		sv = all;
	}
	/* no living source */
	{
		sa_fen inc;
		int income_item;
		if (!counted_income(p, h, m, &inc) || !F->std_known)
			income_item = -1;
		else {
			if (inc < 0)
				inc = 0;
			income_item = inc < F->S;
		}
		iv = and3(income_item, h->att[0]);
	}
	if (sv == 0 || iv == 0)
		return 1;
	{
		int status = (sv == 1 && iv == 1) ? 0 : 2;
		/* basic */
		bool have_basic = false, have_care = false;
		sa_fen basic = 0, care = 0;
		bool urban = p->v[P_BASIC_BASE].set && strcmp(p->v[P_BASIC_BASE].text, "urban") == 0 ? true : h->urban;
		const pval *pub = &p->v[urban ? P_BASIC_U : P_BASIC_R];
		if (pub->set) {
			basic = pub->a;
			have_basic = true;
		} else {
			sa_fen s;
			if (p->v[P_BASIC_MULT].set && standard(p, urban, &s)) {
				basic = mul(s, &p->v[P_BASIC_MULT], p->v[P_BASIC_MULT].r);
				have_basic = true;
			}
		}
		if (m->has_self_care) {
			int lvl = m->self_care_fail == 0 ? 2 : m->self_care_fail <= 3 ? 1 : 0; /* full, partial, self */
			bool any_home = p->v[P_CHOME_F].set || p->v[P_CHOME_P].set || p->v[P_CHOME_S].set;
			const pval *c = &p->v[lvl == 0 ? P_CARE_F : lvl == 1 ? P_CARE_P : P_CARE_S];
			if (any_home && m->support_home < 0)
				c = NULL;
			else if (any_home && m->support_home == 1)
				c = &p->v[lvl == 0 ? P_CHOME_F : lvl == 1 ? P_CHOME_P : P_CHOME_S];
			if (c && c->set) {
				care = c->a;
				have_care = true;
			}
		}
		if (have_basic && have_care) {
			*has_amount = true;
			*amount = basic + care;
		}
		return status;
	}
}

static void dibao_payment(const ref_params *p, const ref_household *h, const facts *F, sa_date as_of,
                          bool *has_amount, sa_fen *amount)
{
	sa_fen base = 0, extra = 0, S = F->S;
	bool have_base = true;
	int n = F->n;
	bool tiered = p->v[P_RURAL_PAY].set && strcmp(p->v[P_RURAL_PAY].text, "tiered") == 0;
	if (!h->urban && !p->v[P_RURAL_PAY].set) {
		have_base = false; /* method unknown: never read as the gap */
	} else if (!h->urban && tiered) {
		const pval *t = h->dibao_tier == 'A' ? &p->v[P_TIER_A] : h->dibao_tier == 'B' ? &p->v[P_TIER_B]
		              : h->dibao_tier == 'C' ? &p->v[P_TIER_C] : NULL;
		if (!t || !t->set)
			have_base = false;
		else
			base = t->a * n;
	} else {
		sa_fen gap = S * n - F->total;
		if (gap < 0)
			gap = 0;
		base = gap;
		if (p->v[P_FLOOR].set) {
			sa_fen floor = mul(S, &p->v[P_FLOOR], p->v[P_FLOOR].r);
			if (gap < floor * n)
				base = floor * n;
		}
	}
	for (int i = 0; i < h->n; i++) {
		sa_fen best = 0;
		int a;
		if (!F->counted[i])
			continue;
		a = age(&h->m[i], as_of);
		if (p->v[P_SUP_ELD].set && p->v[P_SUP_AGE].set && a >= p->v[P_SUP_AGE].a) {
			sa_fen x = mul(S, &p->v[P_SUP_ELD], p->v[P_SUP_ELD].r);
			if (x > best)
				best = x;
		}
		if (p->v[P_SUP_MIN].set && a < 18) {
			sa_fen x = mul(S, &p->v[P_SUP_MIN], p->v[P_SUP_MIN].r);
			if (x > best)
				best = x;
		}
		extra += best;
	}
	*has_amount = have_base;
	*amount = have_base ? base + extra : 0;
}

void ref_evaluate(const ref_params *p, const ref_household *h, sa_date as_of, ref_result *r)
{
	facts F, D;
	bool skip[REF_MAXM] = { 0 };
	int state[REF_MAXM], st[REF_MAXM];
	bool ha[REF_MAXM];
	sa_fen am[REF_MAXM];
	int nt_elig = 0, nt_und = 0;
	sa_fen tk_total = 0;
	bool tk_amount = true;
	memset(r, 0, sizeof *r);
	make_facts(p, h, NULL, &F);
	F.dibao = dibao_household(h, &F);
	/* the greatest fixpoint of tekun.lua (rules.tekun) */
	for (int i = 0; i < h->n; i++) {
		state[i] = 1;
		skip[i] = true;
	}
	make_facts(p, h, skip, &D);
	D.dibao = dibao_household(h, &D);
	for (int it = 0; it < h->n + 2; it++) {
		bool changed = false;
		for (int i = 0; i < h->n; i++) {
			int s = tekun_person(p, h, &F, &D, state, i, as_of, &ha[i], &am[i]);
			int nw = s == 0 ? 1 : s == 2 ? -1 : 0;
			if (state[i] == 0)
				nw = 0;
			else if (state[i] == -1 && nw == 1)
				nw = -1;
			st[i] = nw == 1 ? 0 : nw == -1 ? 2 : 1;
			if (nw != state[i]) {
				changed = true;
				state[i] = nw;
			}
		}
		if (!changed)
			break;
		for (int i = 0; i < h->n; i++)
			skip[i] = state[i] == 1;
		make_facts(p, h, skip, &D);
		D.dibao = dibao_household(h, &D);
	}
	for (int i = 0; i < h->n; i++) {
		skip[i] = false;
		if (st[i] == 0) {
			nt_elig++;
			skip[i] = true;
			if (tk_amount && ha[i])
				tk_total += am[i];
			else
				tk_amount = false;
		} else if (st[i] == 2) {
			nt_und++;
		}
	}
	r->status[0] = nt_elig ? SA_ELIGIBLE : nt_und ? SA_UNDETERMINED : SA_INELIGIBLE;
	if (nt_elig && tk_amount) {
		r->has_amount[0] = true;
		r->amount[0] = tk_total;
	}
	if (nt_elig) {
		make_facts(p, h, skip, &D);
		D.dibao = dibao_household(h, &D);
	} else {
		D = F;
	}
	/* dibao */
	if (D.dibao == 1) {
		r->status[1] = SA_ELIGIBLE;
		dibao_payment(p, h, &D, as_of, &r->has_amount[1], &r->amount[1]);
	} else if (D.dibao < 0) {
		r->status[1] = SA_UNDETERMINED;
	} else {
		r->status[1] = SA_INELIGIBLE; /* no single-person candidates in the domain */
	}
	/* edge */
	if (D.n == 0) {
		r->status[2] = SA_INELIGIBLE;
	} else {
		int not_dibao = D.dibao == 1 ? 0 : D.dibao == 0 ? 1 : -1, iv, v;
		if (!p->v[P_EDGE_MULT].set || !D.std_known || !D.income_known)
			iv = -1;
		else
			iv = D.total * p->v[P_EDGE_MULT].b < p->v[P_EDGE_MULT].a * D.S * D.n;
		v = and3(and3(not_dibao, iv), h->att[2]);
		r->status[2] = v == 1 ? SA_ELIGIBLE : v == 0 ? SA_INELIGIBLE : SA_UNDETERMINED;
	}
	/* rigid */
	if (as_of < 20231019 || D.n == 0) {
		r->status[3] = SA_INELIGIBLE;
	} else {
		bool enr[3] = { h->enr_tekun, h->enr_dibao, h->enr_edge };
		int v = 1;
		for (int k = 0; k < 3; k++) {
			if (enr[k] || r->status[k] == SA_ELIGIBLE)
				v = and3(v, 0);
			else if (r->status[k] == SA_UNDETERMINED)
				v = and3(v, -1);
		}
		sa_fen di;
		bool di_known = disposable_income(p, h->urban, P_RIGID_BASIS, &di);
		if (!D.income_known)
			v = and3(v, -1);
		else if (D.total == 0)
			v = and3(v, 1);
		else if (!di_known)
			v = and3(v, -1);
		else
			v = and3(v, D.total * 12 < di * D.n);
		if (!h->has_rigid)
			v = and3(v, -1);
		else if (h->rigid_total == 0)
			v = and3(v, 0); /* a share of 0 exceeds no ratio */
		else if (!D.income_known)
			v = and3(v, -1);
		else if (D.total == 0)
			v = and3(v, 1); /* spending with no income exceeds any ratio */
		else
			v = and3(v, or3(rigid_first(p, h, D.total * 12), rigid_second(p, h, D.total * 12)));
		v = and3(v, h->att[3]);
		r->status[3] = v == 1 ? SA_ELIGIBLE : v == 0 ? SA_INELIGIBLE : SA_UNDETERMINED;
	}
	r->tier = 4;
	for (int k = 0; k < 4; k++)
		if (r->status[k] == SA_ELIGIBLE) {
			r->tier = k;
			break;
		}
	if (r->tier == 0 || h->enr_orphan || h->enr_defacto)
		r->circle = 1;
	else if (r->tier == 1 || r->tier == 2 || h->enr_monitored)
		r->circle = 2;
	else if (r->tier == 3)
		r->circle = 3;
	else
		r->circle = 0;
}
