/* explain.c - sa_explain: one decision in plain words for the caseworker and the applicant,
 * Chinese first (docs/explain.md). The text form is written here; the printable HTML page
 * (explain_html.c) uses the same facts gathered by sa__explain_gather. */
#include "audit/audit_internal.h"
#include "audit/explain_internal.h"
#include "core/household_internal.h"
#include "engine/engine.h"
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- words ---- */

static const struct {
	const char *name, *zh, *en;
} PROGRAMS[] = {
	{ "tekun", "特困人员救助供养", "support for persons in extreme poverty (tekun)" },
	{ "dibao", "最低生活保障", "minimum living guarantee (dibao)" },
	{ "edge", "低保边缘家庭", "dibao-edge household" },
	{ "rigid", "刚性支出困难家庭", "household in difficulty from rigid spending" },
	{ "temporary", "临时救助", "temporary assistance" },
	{ "special.medical", "医疗救助", "medical assistance" },
	{ "special.education", "教育救助", "education assistance" },
	{ "special.housing", "住房救助", "housing assistance" },
	{ "special.employment", "就业救助", "employment assistance" },
};

const char *sa__program_zh(const char *name)
{
	for (size_t i = 0; i < sizeof PROGRAMS / sizeof *PROGRAMS; i++)
		if (strcmp(PROGRAMS[i].name, name) == 0)
			return PROGRAMS[i].zh;
	return name;
}

const char *sa__program_en(const char *name)
{
	for (size_t i = 0; i < sizeof PROGRAMS / sizeof *PROGRAMS; i++)
		if (strcmp(PROGRAMS[i].name, name) == 0)
			return PROGRAMS[i].en;
	return name;
}

const char *sa__status_zh(sa_status s)
{
	return s == SA_ELIGIBLE ? "符合" : s == SA_INELIGIBLE ? "不符合" : "待定";
}

const char *sa__relation_zh(const char *r)
{
	static const char *const map[][2] = { { "head", "户主" }, { "spouse", "配偶" }, { "child", "子女" },
		                              { "parent", "父母" }, { "grandparent", "祖父母" },
		                              { "grandchild", "孙子女" }, { "sibling", "兄弟姐妹" }, { "other", "其他" } };
	for (size_t i = 0; r && i < sizeof map / sizeof *map; i++)
		if (strcmp(map[i][0], r) == 0)
			return map[i][1];
	return r ? r : "";
}

/* 2,231.99: yuan with two decimals and thousands separators. */
void sa__yuan_grouped(char *buf, size_t size, sa_fen fen)
{
	char plain[40];
	const char *digits, *dot;
	size_t o = 0, n;
	sa_money_format(plain, sizeof plain, fen);
	digits = plain[0] == '-' ? plain + 1 : plain;
	dot = strchr(digits, '.');
	n = dot ? (size_t)(dot - digits) : strlen(digits);
	if (digits != plain && o + 1 < size)
		buf[o++] = '-';
	for (size_t k = 0; k < n && o + 2 < size; k++) {
		if (k > 0 && (n - k) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[k];
	}
	for (const char *p = dot; p && *p && o + 1 < size; p++)
		buf[o++] = *p;
	buf[o] = 0;
}

/* ---- the caseworker's question for a missing fact ---- */

static const struct {
	const char *field, *zh, *en;
} MEMBER_Q[] = {
	{ "income", "请核实%s每月的各项收入（工资性、经营净、财产净、转移净收入，养老金等）；没有收入的登记为 0。",
	  "What are %s's monthly incomes by kind (wages, business, property, transfers, pension)? Record 0 where there is none." },
	{ "away_since", "%s从何时起离开家庭生活（宗教教职人员是否已连续离家满三年）？",
	  "Since when has %s lived away from the household (three full years for religious personnel)?" },
	{ "employment", "%s目前的就业状况是什么（在业、个体经营、失业、退休、无业）？",
	  "What is %s's employment (employed, self-employed, unemployed, retired, none)?" },
	{ "self_care", "请评估%s的生活自理能力（进食、穿衣、上下床、如厕、室内行走、洗澡六项）。",
	  "Assess %s's self-care (eating, dressing, bed transfer, toileting, indoor walking, bathing)." },
	{ "able_to_work", "%s是否具有劳动能力？", "Is %s able to work?" },
	{ "disability", "%s是否持有残疾人证？残疾类别和等级是什么？", "Does %s hold a disability certificate, of which type and grade?" },
	{ "support_mode", "%s选择集中供养还是分散供养？", "Does %s choose institutional or home support?" },
	{ "birth", "%s的出生日期是哪天？", "What is %s's date of birth?" },
};

static void question(sa_buf *b, const char *missing, int zh)
{
	char id[256], field[256];
	const char *dot;
	if (strncmp(missing, "member:", 7) == 0 && (dot = strchr(missing + 7, '.'))) {
		size_t n = (size_t)(dot - (missing + 7));
		if (n >= sizeof id)
			n = sizeof id - 1;
		memcpy(id, missing + 7, n);
		id[n] = 0;
		snprintf(field, sizeof field, "%s", dot + 1);
		for (size_t i = 0; i < sizeof MEMBER_Q / sizeof *MEMBER_Q; i++)
			if (strcmp(MEMBER_Q[i].field, field) == 0) {
				sa__buf_fmt(b, zh ? MEMBER_Q[i].zh : MEMBER_Q[i].en, id);
				return;
			}
		sa__buf_fmt(b, zh ? "请核实%s的 %s。" : "Please establish %s's %s.", id, field);
		return;
	}
	static const char assets[] = "household.attested.assets_within_";
	if (strncmp(missing, assets, sizeof assets - 1) == 0) {
		char prog[64];
		size_t n = strcspn(missing + sizeof assets - 1, "_");
		snprintf(prog, sizeof prog, "%.*s", (int)n, missing + sizeof assets - 1);
		if (zh)
			sa__buf_fmt(b, "经信息核对，家庭财产状况是否符合当地%s的财产规定？", sa__program_zh(prog));
		else
			sa__buf_fmt(b, "Did the county's information check find the household's assets within the local limits "
			            "for %s?", sa__program_en(prog));
		return;
	}
	if (strcmp(missing, "household.assets") == 0) {
		sa__buf_str(b, zh ? "请登记家庭财产：存款、有价证券、商业保险，住房和非住宅房产套数，车辆，市场主体登记。"
		                  : "Record the household's assets: deposits, securities, insurance, housing and other "
		                    "property, vehicles, business registration.");
		return;
	}
	if (strcmp(missing, "household.rigid_spending") == 0) {
		sa__buf_str(b, zh ? "请登记家庭前12个月的刚性支出：医疗自付、教育、康复和其他必需支出。"
		                  : "Record the household's rigid spending of the last 12 months: out-of-pocket medical, "
		                    "education, rehabilitation and other necessary costs.");
		return;
	}
	if (strcmp(missing, "household.dibao_tier") == 0) {
		sa__buf_str(b, zh ? "本户属于农村低保的哪一档（A、B、C）？" : "Which rural dibao tier (A, B, C) is the household in?");
		return;
	}
	if (strncmp(missing, "household.", 10) == 0) {
		sa__buf_fmt(b, zh ? "请核实家庭的 %s。" : "Please establish the household's %s.", missing + 10);
		return;
	}
	if (strncmp(missing, "supporter:", 10) == 0 && (dot = strchr(missing + 10, '.'))) {
		int n = atoi(missing + 10) + 1;
		const char *f = dot + 1;
		const char *fzh = strcmp(f, "income") == 0 ? "月收入" : strcmp(f, "birth") == 0 ? "出生日期"
		                : strcmp(f, "assets_within_low_income_limits") == 0 ? "财产是否符合低收入家庭规定"
		                                                                     : f;
		if (zh)
			sa__buf_fmt(b, "请核实第 %d 位法定赡养、扶养或抚养义务人的%s。", n, fzh);
		else
			sa__buf_fmt(b, "Please establish the %s of legal supporter no. %d.", f, n);
		return;
	}
	if (strncmp(missing, "param:", 6) == 0) {
		if (zh)
			sa__buf_fmt(b, "政策包在该日期没有参数 %s 的取值：请联系政策包维护方（上级民政部门），不是向申请人询问。",
			            missing + 6);
		else
			sa__buf_fmt(b, "The pack has no value of %s on this date: ask the pack's maintainer (the civil-affairs "
			            "department above), not the applicant.", missing + 6);
		return;
	}
	sa__buf_fmt(b, zh ? "请核实：%s。" : "Please establish: %s.", missing);
}

void sa__explain_question(sa_buf *b, const char *missing, sa_lang lang)
{
	if (lang != SA_LANG_EN)
		question(b, missing, 1);
	if (lang == SA_LANG_BOTH)
		sa__buf_str(b, " / ");
	if (lang != SA_LANG_ZH)
		question(b, missing, 0);
}

/* ---- the test and the margin in words ---- */

void sa__explain_test(sa_buf *b, const sa_margin *m)
{
	char v[40], l[40], s[40], ratio[40];
	const char *op = m->op;
	sa__yuan_grouped(v, sizeof v, m->value);
	sa__yuan_grouped(l, sizeof l, m->limit);
	if (!m->passes)
		op = strcmp(m->op, "<") == 0 ? "≥" : strcmp(m->op, ">") == 0 ? "≤" : "<";
	else if (strcmp(op, ">=") == 0)
		op = "≥";
	if (m->den && !(m->num == 1 && m->den == 1))
		sa__ratio_text(ratio, sizeof ratio, m->num, m->den);
	else
		ratio[0] = 0;
	if (strcmp(m->basis, "rigid_spending") == 0) {
		char base[40];
		sa__yuan_grouped(base, sizeof base, m->base);
		sa__buf_fmt(b, "%s %s %s × %s = %s", v, op, ratio[0] ? ratio : "1", base, l);
		return;
	}
	sa__yuan_grouped(s, sizeof s, m->standard);
	if (strcmp(m->basis, "own_income") == 0) { /* 特困: one person's own income against the standard */
		sa__buf_fmt(b, "%s: %s %s %s", m->member ? m->member : "", v, op, l);
		return;
	}
	if (ratio[0])
		sa__buf_fmt(b, "%s %s %s × %s × %lld = %s", v, op, ratio, s, (long long)m->persons, l);
	else
		sa__buf_fmt(b, "%s %s %s × %lld = %s", v, op, s, (long long)m->persons, l);
}

sa_margin sa__explain_candidate(const sa_margin *m, size_t k)
{
	const sa_margin *c = &m->each[k];
	sa_margin cm = *m; /* the candidate's numbers with the program's test and words */
	cm.member = c->member;
	cm.value = c->value;
	cm.limit = c->limit;
	cm.amount = c->amount;
	cm.direction = c->direction;
	cm.passes = c->passes;
	cm.each = NULL;
	cm.neach = 0;
	return cm;
}

static void margin_words(sa_buf *b, const sa_margin *m, int zh)
{
	char a[40], to[40];
	int spending = strcmp(m->basis, "rigid_spending") == 0, own = strcmp(m->basis, "own_income") == 0;
	const char *who = m->member ? m->member : "";
	sa__yuan_grouped(a, sizeof a, m->amount);
	sa__yuan_grouped(to, sizeof to, m->value + m->direction * m->amount);
	if (zh)
		sa__buf_fmt(b, "%s%s%s %s 元（%s %s 元）%s", own ? who : "",
		            spending ? "前12个月刚性支出" : own ? "本人月收入" : "家庭月收入合计",
		            m->direction > 0 ? "增加" : "减少", a, m->direction > 0 ? "达到" : "降至", to,
		            m->passes ? "即不再满足这一条件" : "才能满足这一条件");
	else if (own)
		sa__buf_fmt(b, "%s's own monthly counted income %s by %s (to %s) %s", who,
		            m->direction > 0 ? "rising" : "falling", a, to,
		            m->passes ? "would fail this test" : "would be needed to pass this test");
	else
		sa__buf_fmt(b, "%s %s by %s (to %s) %s", spending ? "rigid spending of the last 12 months"
		                                                  : "total monthly counted income",
		            m->direction > 0 ? "rising" : "falling", a, to,
		            m->passes ? "would fail this test" : "would be needed to pass this test");
	if (m->other && own)
		sa__buf_str(b, zh ? "；这是本人收入条件的距离，认定特困还须无劳动能力、无法定赡养抚养扶养义务人"
		                    "（或其无履行能力）且财产符合规定"
		                  : "; this is the distance of this person's income test alone: tekun also needs no "
		                    "labour capacity, no supporter able to support, and assets within the limits");
	else if (m->other)
		sa__buf_str(b, zh ? "；这是收入条件本身的距离，本项目还须满足其他条件（如财产状况）"
		                  : "; this is the distance of this test alone: the program has further conditions "
		                    "(such as assets)");
	sa__buf_str(b, zh ? "。" : ".");
}

void sa__explain_margin(sa_buf *b, const sa_margin *m, sa_lang lang)
{
	if (lang != SA_LANG_EN)
		margin_words(b, m, 1);
	if (lang == SA_LANG_BOTH)
		sa__buf_str(b, " ");
	if (lang != SA_LANG_ZH)
		margin_words(b, m, 0);
}

static const char *test_title(const sa_margin *m, int zh)
{
	if (strcmp(m->test, "dibao.income") == 0)
		return zh ? "收入条件：家庭月收入合计低于 低保标准 × 人数" : "income test: total below standard × persons";
	if (strcmp(m->test, "edge.income") == 0)
		return zh ? "收入条件：家庭月收入合计低于 边缘倍数 × 低保标准 × 人数"
		          : "income test: total below multiple × standard × persons";
	if (strcmp(m->test, "tekun.income") == 0)
		return zh ? "收入条件（逐人）：本人月收入低于当地低保标准（特困人员认定办法第六条（一））"
		          : "income test (per person): own monthly income below the local dibao standard (Art. 6 (1))";
	if (strcmp(m->test, "rigid.spending") == 0)
		return zh ? "支出条件：前12个月刚性支出超出 家庭年收入 × 当地比例"
		          : "spending test: rigid spending above the local share of annual income";
	return m->test;
}

const char *sa__explain_test_title(const sa_margin *m, sa_lang lang)
{
	return test_title(m, lang != SA_LANG_EN);
}

/* ---- gathering ---- */

void sa__explain_facts_free(sa_explain_facts *f)
{
	if (!f)
		return;
	sa_decision_free(f->d);
	sa__value_free(f->income);
	free(f->std);
}

static int std_cmp(const void *a, const void *b)
{
	return strcmp(((const sa_std *)a)->name, ((const sa_std *)b)->name);
}

int sa__explain_gather(sa_explain_facts *f, sa_engine *engine, const sa_household *hh, sa_date as_of)
{
	int rc;
	memset(f, 0, sizeof *f);
	f->engine = engine;
	f->hh = hh;
	f->as_of = as_of;
	if ((rc = sa_evaluate(&f->d, engine, hh, as_of)) < 0)
		return rc;
	/* the income breakdown, when the pack offers it (cn: rules/explain.lua) */
	if (sa__engine_has_rule(engine, "income_detail") &&
	    (rc = sa__engine_call(engine, "income_detail", hh, NULL, as_of, &f->income)) < 0) {
		sa__explain_facts_free(f);
		return rc;
	}
	/* every parameter the rules read for this decision that has a value on the date */
	{
		const sa_policy *pol = sa__engine_policy(engine);
		if (f->d->nreads && !(f->std = calloc(f->d->nreads, sizeof *f->std))) {
			sa__explain_facts_free(f);
			return sa__error_oom();
		}
		for (size_t i = 0; pol && i < f->d->nreads; i++) {
			const sa_peff *e = f->d->reads[i].eff;
			size_t layer = 0;
			const sa_pentry *v = sa__peff_at(pol, e, f->d->reads[i].date, &layer);
			sa_std *s = &f->std[f->nstd];
			if (!v || !v->text)
				continue;
			s->name = e->name;
			s->value = v->text;
			s->pack = pol->chain[layer]->id;
			s->ref = v->ref ? v->ref : e->decl ? e->decl->ref : NULL;
			sa_date_format(s->from, sizeof s->from, v->from);
			f->nstd++;
		}
		if (f->nstd > 1)
			qsort(f->std, f->nstd, sizeof *f->std, std_cmp);
	}
	return SA_OK;
}

const char *sa__param_title(const sa_explain_facts *f, const char *name, char *buf, size_t size, int zh)
{
	const sa_policy *pol = sa__engine_policy(f->engine);
	const sa_peff *e = pol ? sa__policy_param(pol, name) : NULL;
	const char *t = e && e->decl ? e->decl->title : NULL, *sep;
	if (!t)
		return NULL;
	sep = strstr(t, " / ");
	if (zh)
		snprintf(buf, size, "%.*s", sep ? (int)(sep - t) : (int)strlen(t), t);
	else
		snprintf(buf, size, "%s", sep ? sep + 3 : t);
	return buf;
}

/* The value of key k in map v (NULL if absent). */
const sa_value *sa__vget(const sa_value *v, const char *k)
{
	return v && v->type == SA_V_MAP ? sa__value_get(v, k) : NULL;
}

const char *sa__vstr(const sa_value *v, const char *k)
{
	const sa_value *x = sa__vget(v, k);
	return x && x->type == SA_V_STR ? x->str : NULL;
}

/* ---- the text form ---- */

#define ZH (lang != SA_LANG_EN)
#define EN (lang != SA_LANG_ZH)

static void line2(sa_buf *b, sa_lang lang, const char *indent, const char *zh, const char *en)
{
	if (ZH)
		sa__buf_fmt(b, "%s%s\n", indent, zh);
	if (EN)
		sa__buf_fmt(b, "%s%s\n", indent, en);
}

static void text_incomes(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	const sa_value *members = sa__vget(f->income, "members");
	const sa_value *total = sa__vget(f->income, "total"), *persons = sa__vget(f->income, "persons");
	char y[40];
	line2(b, lang, "", "二、家庭成员与收入", "2. Members and incomes");
	if (!members || members->type != SA_V_LIST) {
		line2(b, lang, "  ", "（政策包未提供收入明细）", "(the pack gives no income breakdown)");
		return;
	}
	for (size_t i = 0; i < members->n; i++) {
		const sa_value *m = members->items[i], *items = sa__vget(m, "items"), *age = sa__vget(m, "age");
		const char *ms = sa__vstr(m, "membership"), *ref = sa__vstr(m, "membership_ref");
		const sa_value *known = sa__vget(m, "income_known"), *ct = sa__vget(m, "counted_total");
		int counted = ms && strcmp(ms, "counted") == 0;
		const char *mid = sa__vstr(m, "id") ? sa__vstr(m, "id") : "?", *rel = sa__vstr(m, "relation") ? sa__vstr(m, "relation") : "";
		if (ZH)
			sa__buf_fmt(b, "  %s（%s，%lld 岁）：%s%s%s%s\n", mid, sa__relation_zh(rel),
			            age ? (long long)age->num : 0LL,
			            counted ? "计入共同生活家庭成员" : ms && strcmp(ms, "unknown") == 0 ? "是否计入待定" : "不计入家庭成员",
			            ref ? "（" : "", ref ? ref : "", ref ? "）" : "");
		if (EN)
			sa__buf_fmt(b, "  %s (%s, %lld): %s%s%s%s\n", mid, rel,
			            age ? (long long)age->num : 0LL,
			            counted ? "counted in the household" : ms && strcmp(ms, "unknown") == 0 ? "membership undetermined"
			                                                                                    : "not counted",
			            ref ? " [" : "", ref ? ref : "", ref ? "]" : "");
		if (known && known->type == SA_V_BOOL && !known->num) {
			line2(b, lang, "    ", "收入未申报：待核实（不按零计算）", "income not declared: to be established (never taken as zero)");
			continue;
		}
		if (!items || items->type != SA_V_LIST || items->n == 0)
			line2(b, lang, "    ", "申报无收入", "declared no income");
		for (size_t k = 0; items && items->type == SA_V_LIST && k < items->n; k++) {
			const sa_value *it = items->items[k], *amt = sa__vget(it, "amount"), *c = sa__vget(it, "counted");
			const char *cz, *ce;
			sa__yuan_grouped(y, sizeof y, amt ? amt->num : 0);
			if (c && c->type == SA_V_BOOL) {
				cz = c->num ? "计入" : "不计入";
				ce = c->num ? "counted" : "not counted";
			} else {
				cz = "待定";
				ce = "undetermined";
			}
			const char *kz = sa__vstr(it, "zh"), *ke = sa__vstr(it, "en"), *kr = sa__vstr(it, "ref");
			if (ZH)
				sa__buf_fmt(b, "    %s %s 元/月：%s（%s）\n", kz ? kz : "?", y, cz, kr ? kr : "");
			if (EN)
				sa__buf_fmt(b, "    %s %s a month: %s [%s]\n", ke ? ke : "?", y, ce, kr ? kr : "");
		}
		if (counted && ct && ct->type == SA_V_INT) {
			sa__yuan_grouped(y, sizeof y, ct->num);
			if (ZH)
				sa__buf_fmt(b, "    本人计入收入 %s 元/月\n", y);
			if (EN)
				sa__buf_fmt(b, "    own counted income %s a month\n", y);
		}
	}
	if (total && total->type == SA_V_INT) {
		sa__yuan_grouped(y, sizeof y, total->num);
		if (ZH)
			sa__buf_fmt(b, "  家庭月收入合计 %s 元，计入 %lld 人\n", y, persons ? (long long)persons->num : 0LL);
		if (EN)
			sa__buf_fmt(b, "  household total monthly counted income %s, %lld persons counted\n", y,
			            persons ? (long long)persons->num : 0LL);
	} else
		line2(b, lang, "  ", "家庭月收入合计：待定（有成员收入未知）", "household total: undetermined (a member's income is unknown)");
}

static void text_standards(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	char t[256];
	line2(b, lang, "", "三、适用的标准和参数", "3. Standards and parameters applied");
	if (!f->nstd)
		line2(b, lang, "  ", "（无）", "(none)");
	for (size_t i = 0; i < f->nstd; i++) {
		const sa_std *p = &f->std[i];
		if (ZH)
			sa__buf_fmt(b, "  %s%s%s = %s，%s 起施行，%s：%s\n", sa__param_title(f, p->name, t, sizeof t, 1) ? t : "",
			            sa__param_title(f, p->name, t, sizeof t, 1) ? " " : "", p->name, p->value, p->from, p->pack ? p->pack : "?",
			            p->ref ? p->ref : "");
		if (EN)
			sa__buf_fmt(b, "  %s%s%s = %s, in force from %s, set by %s: %s\n",
			            sa__param_title(f, p->name, t, sizeof t, 0) ? t : "",
			            sa__param_title(f, p->name, t, sizeof t, 0) ? " " : "", p->name, p->value,
			            p->from, p->pack ? p->pack : "?", p->ref ? p->ref : "");
	}
}

static void text_program(sa_buf *b, const sa_explain_facts *f, const sa_program *p, sa_lang lang)
{
	char y[40];
	(void)f;
	if (ZH)
		sa__buf_fmt(b, "  【%s】%s", sa__program_zh(p->name), sa__status_zh(p->status));
	if (EN)
		sa__buf_fmt(b, "%s[%s] %s", ZH ? " / " : "  ", sa__program_en(p->name), sa_status_name(p->status));
	if (p->has_amount) {
		sa__yuan_grouped(y, sizeof y, p->amount);
		if (ZH)
			sa__buf_fmt(b, "，每月 %s 元", y);
		if (EN)
			sa__buf_fmt(b, ", %s a month", y);
	}
	sa__buf_str(b, "\n");
	if (p->margin.set && p->margin.each) {
		/* a per-person test (特困): one line of test and one of distance for each candidate */
		if (ZH)
			sa__buf_fmt(b, "    %s：\n", test_title(&p->margin, 1));
		if (EN)
			sa__buf_fmt(b, "    %s:\n", test_title(&p->margin, 0));
		for (size_t k = 0; k < p->margin.neach; k++) {
			sa_margin cm = sa__explain_candidate(&p->margin, k);
			sa_buf t = { 0 };
			sa__explain_test(&t, &cm);
			if (ZH)
				sa__buf_fmt(b, "      %s %s\n", t.s ? t.s : "", cm.passes ? "（满足）" : "（不满足）");
			if (EN)
				sa__buf_fmt(b, "      %s %s\n", t.s ? t.s : "", cm.passes ? "(passes)" : "(fails)");
			free(t.s);
			sa__buf_str(b, ZH ? "      与门槛的距离：" : "      distance to the threshold: ");
			sa__explain_margin(b, &cm, lang);
			sa__buf_str(b, "\n");
		}
	} else if (p->margin.set) {
		sa_buf t = { 0 };
		sa__explain_test(&t, &p->margin);
		if (ZH)
			sa__buf_fmt(b, "    %s：%s %s\n", test_title(&p->margin, 1), t.s ? t.s : "",
			            p->margin.passes ? "（满足）" : "（不满足）");
		if (EN)
			sa__buf_fmt(b, "    %s: %s %s\n", test_title(&p->margin, 0), t.s ? t.s : "",
			            p->margin.passes ? "(passes)" : "(fails)");
		free(t.s);
		sa__buf_str(b, ZH ? "    与门槛的距离：" : "    distance to the threshold: ");
		sa__explain_margin(b, &p->margin, lang);
		sa__buf_str(b, "\n");
	}
	for (size_t k = 0; k < p->nreasons; k++) {
		const sa_reason *r = &p->reasons[k];
		if (ZH && r->zh)
			sa__buf_fmt(b, "    - %s%s%s%s\n", r->zh, r->ref ? "（" : "", r->ref ? r->ref : "", r->ref ? "）" : "");
		if (EN && r->en)
			sa__buf_fmt(b, "    - %s%s%s%s\n", r->en, r->ref && !ZH ? " [" : "", r->ref && !ZH ? r->ref : "",
			            r->ref && !ZH ? "]" : "");
	}
	for (size_t k = 0; k < p->nmissing; k++) {
		sa__buf_fmt(b, "    ? %s: ", p->missing[k]);
		sa__explain_question(b, p->missing[k], lang);
		sa__buf_str(b, "\n");
	}
}

static int explain_text(char **out, const sa_explain_facts *f, sa_lang lang)
{
	sa_buf b = { 0 };
	const sa_decision *d = f->d;
	char date[16], y[40];
	const char *area = sa__vstr(f->hh->raw, "area");
	const char *region = sa__vstr(f->hh->raw, "region");
	const sa_pack *leaf = sa__engine_policy_leaf(f->engine);
	sa_date_format(date, sizeof date, d->as_of);
	if (ZH)
		sa__buf_fmt(&b, "社会救助审核确认说明 — 家庭 %s，%s（%s），%s\n", d->household_id ? d->household_id : "",
		            region ? region : "", area && strcmp(area, "rural") == 0 ? "农村" : "城镇", date);
	if (EN)
		sa__buf_fmt(&b, "Explanation of the decision — household %s, %s (%s), %s\n", d->household_id ? d->household_id : "",
		            region ? region : "", area ? area : "", date);
	if (ZH)
		sa__buf_fmt(&b, "政策包 %s 版本 %s，内容哈希 %s\n", d->pack_id, leaf && leaf->version ? leaf->version : "-", d->hash);
	if (EN)
		sa__buf_fmt(&b, "pack %s version %s, content hash %s\n", d->pack_id, leaf && leaf->version ? leaf->version : "-",
		            d->hash);
	sa__buf_str(&b, "\n");
	line2(&b, lang, "", "一、结论", "1. Outcome");
	for (size_t i = 0; i < d->nprograms; i++) {
		const sa_program *p = &d->programs[i];
		if (ZH)
			sa__buf_fmt(&b, "  %s：%s", sa__program_zh(p->name), sa__status_zh(p->status));
		if (EN)
			sa__buf_fmt(&b, "%s%s: %s", ZH ? " / " : "  ", sa__program_en(p->name), sa_status_name(p->status));
		if (p->has_amount) {
			sa__yuan_grouped(y, sizeof y, p->amount);
			sa__buf_fmt(&b, ZH ? "，%s 元%s" : ", %s%s", y, strcmp(p->name, "temporary") == 0 ? (ZH ? "（一次性）" : " (one-off)")
			                                                                             : (ZH ? "/月" : " a month"));
		}
		sa__buf_str(&b, "\n");
	}
	sa__buf_str(&b, "\n");
	text_incomes(&b, f, lang);
	sa__buf_str(&b, "\n");
	text_standards(&b, f, lang);
	sa__buf_str(&b, "\n");
	line2(&b, lang, "", "四、各项目的认定", "4. Each program");
	for (size_t i = 0; i < d->nprograms; i++)
		text_program(&b, f, &d->programs[i], lang);
	sa__buf_str(&b, "\n");
	line2(&b, lang, "", "五、待补充的事实与核实问题", "5. Missing facts and the questions to settle them");
	if (!d->nmissing)
		line2(&b, lang, "  ", "无：各项目所需事实齐全", "none: every program had the facts it needs");
	for (size_t k = 0; k < d->nmissing; k++) {
		sa__buf_fmt(&b, "  %s: ", d->missing[k]);
		sa__explain_question(&b, d->missing[k], lang);
		sa__buf_str(&b, "\n");
	}
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

int sa_explain_options_init(sa_explain_options *opts, unsigned int version)
{
	if (!opts || version != SA_EXPLAIN_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_explain_options_init: version %u is not %d", version,
		                 SA_EXPLAIN_OPTIONS_VERSION);
	*opts = (sa_explain_options)SA_EXPLAIN_OPTIONS_INIT;
	return SA_OK;
}

int sa_explain(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const sa_explain_options *opts)
{
	sa_explain_options o = SA_EXPLAIN_OPTIONS_INIT;
	sa_explain_facts f;
	int rc;
	*out = NULL;
	if (!engine || !hh)
		return sa__error(SA_EINVALID, "sa_explain: NULL argument");
	if (opts) {
		if (opts->version != SA_EXPLAIN_OPTIONS_VERSION)
			return sa__error(SA_EINVALID, "sa_explain: options version %u is not %d", opts->version,
			                 SA_EXPLAIN_OPTIONS_VERSION);
		o = *opts;
	}
	if ((unsigned)o.lang > SA_LANG_BOTH || (unsigned)o.format > SA_EXPLAIN_HTML)
		return sa__error(SA_EINVALID, "sa_explain: unknown language or format");
	if ((rc = sa__explain_gather(&f, engine, hh, as_of)) < 0)
		return rc;
	rc = o.format == SA_EXPLAIN_HTML ? sa__explain_html(out, &f, &o) : explain_text(out, &f, o.lang);
	sa__explain_facts_free(&f);
	return rc;
}
