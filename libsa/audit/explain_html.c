/* explain_html.c - the printable explanation: one self-contained HTML page (inline CSS with
 * an A4 print stylesheet, inline SVG, no network) for the household's file (一户一档).
 *
 * The chart is made with the what-if engine: the wages of the first member who earns (or of
 * the head when nobody does) vary, everything else held, and each point plots the monthly
 * assistance against the household's total monthly counted income, with the 低保 line, the
 * 边缘 line (edge.income_multiple × the 低保 line) and the current position marked. */
#include "audit/audit_internal.h"
#include "audit/explain_internal.h"
#include "audit/whatif_internal.h"
#include "core/household_internal.h"
#include "engine/engine.h"
#include "pack/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(sa_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': sa__buf_str(b, "&lt;"); break;
		case '>': sa__buf_str(b, "&gt;"); break;
		case '&': sa__buf_str(b, "&amp;"); break;
		case '"': sa__buf_str(b, "&quot;"); break;
		default: sa__buf_add(b, s, 1);
		}
	}
}

static void yuan(sa_buf *b, sa_fen fen)
{
	char y[40];
	sa__yuan_grouped(y, sizeof y, fen);
	sa__buf_str(b, y);
}

/* zh, then en in a smaller span (both), or one of them */
static void words(sa_buf *b, sa_lang lang, const char *zh, const char *en)
{
	if (lang != SA_LANG_EN)
		esc(b, zh);
	if (lang == SA_LANG_BOTH)
		sa__buf_str(b, " <span class=\"en\">");
	if (lang != SA_LANG_ZH)
		esc(b, en);
	if (lang == SA_LANG_BOTH)
		sa__buf_str(b, "</span>");
}

static const char CSS[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",sans-serif;color:#111;"
	"max-width:190mm;margin:1em auto;font-size:11pt;line-height:1.45}"
	"h1{font-size:17pt;margin:.2em 0 .4em}h2{font-size:13pt;border-bottom:1px solid #999;margin:1.1em 0 .4em}"
	"table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #bbb;padding:2px 5px;"
	"text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right;white-space:nowrap}"
	".en{color:#555;font-size:90%}.ok{color:#0a5d00;font-weight:bold}.no{color:#9b0000;font-weight:bold}"
	".tbd{color:#8a5a00;font-weight:bold}.test{font-family:\"Noto Sans Mono CJK SC\",monospace;background:#f4f4f4;"
	"padding:1px 4px}.hash{font-family:monospace;font-size:8.5pt;word-break:break-all}ul{margin:.2em 0}"
	"section.program{page-break-inside:avoid}svg{display:block;margin:.4em 0}"
	"@page{size:A4;margin:14mm 12mm}"
	"@media print{body{max-width:none;margin:0;font-size:10pt}h2{page-break-after:avoid}"
	"a{color:inherit;text-decoration:none}}";

static void status_span(sa_buf *b, sa_status s, sa_lang lang)
{
	sa__buf_fmt(b, "<span class=\"%s\">", s == SA_ELIGIBLE ? "ok" : s == SA_INELIGIBLE ? "no" : "tbd");
	words(b, lang, sa__status_zh(s), sa_status_name(s));
	sa__buf_str(b, "</span>");
}

static void header(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	const sa_decision *d = f->d;
	const sa_pack *leaf = sa__engine_policy_leaf(f->engine);
	const char *area = sa__vstr(f->hh->raw, "area"), *region = sa__vstr(f->hh->raw, "region");
	char date[16];
	sa_date_format(date, sizeof date, d->as_of);
	sa__buf_str(b, "<h1>");
	words(b, lang, "社会救助审核确认说明", "Explanation of the social-assistance decision");
	sa__buf_str(b, "</h1>\n<table class=\"head\">\n<tr><th>");
	words(b, lang, "家庭", "Household");
	sa__buf_str(b, "</th><td>");
	esc(b, d->household_id);
	sa__buf_str(b, "</td><th>");
	words(b, lang, "地区", "Region");
	sa__buf_str(b, "</th><td>");
	esc(b, region);
	sa__buf_str(b, " ");
	words(b, lang, area && strcmp(area, "rural") == 0 ? "农村" : "城镇", area ? area : "");
	sa__buf_str(b, "</td></tr>\n<tr><th>");
	words(b, lang, "评估日期", "Date");
	sa__buf_fmt(b, "</th><td>%s</td><th>", date);
	words(b, lang, "政策包", "Pack");
	sa__buf_str(b, "</th><td>");
	esc(b, d->pack_id);
	sa__buf_str(b, " ");
	words(b, lang, "版本", "version");
	sa__buf_str(b, " ");
	esc(b, leaf && leaf->version ? leaf->version : "-");
	sa__buf_str(b, "</td></tr>\n<tr><th>");
	words(b, lang, "内容哈希", "Content hash");
	sa__buf_fmt(b, "</th><td colspan=\"3\" class=\"hash\">%s</td></tr>\n</table>\n", d->hash);
}

static void summary(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	sa__buf_str(b, "<h2>");
	words(b, lang, "一、结论", "1. Outcome");
	sa__buf_str(b, "</h2>\n<table>\n<tr><th>");
	words(b, lang, "项目", "Program");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "结论", "Outcome");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "金额（元）", "Amount (yuan)");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "对象", "Members");
	sa__buf_str(b, "</th></tr>\n");
	for (size_t i = 0; i < f->d->nprograms; i++) {
		const sa_program *p = &f->d->programs[i];
		sa__buf_str(b, "<tr><td>");
		words(b, lang, sa__program_zh(p->name), sa__program_en(p->name));
		sa__buf_str(b, "</td><td>");
		status_span(b, p->status, lang);
		sa__buf_str(b, "</td><td class=\"n\">");
		if (p->has_amount) {
			yuan(b, p->amount);
			sa__buf_str(b, " ");
			if (strcmp(p->name, "temporary") == 0)
				words(b, lang, "（一次性）", "(one-off)");
			else
				words(b, lang, "/月", "a month");
		}
		sa__buf_str(b, "</td><td>");
		for (size_t k = 0; k < p->nmembers; k++) {
			if (k)
				sa__buf_str(b, "、");
			esc(b, p->members[k]);
		}
		sa__buf_str(b, "</td></tr>\n");
	}
	sa__buf_str(b, "</table>\n");
}

static void incomes(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	const sa_value *members = sa__vget(f->income, "members"), *total = sa__vget(f->income, "total");
	sa__buf_str(b, "<h2>");
	words(b, lang, "二、家庭成员与收入", "2. Members and incomes");
	sa__buf_str(b, "</h2>\n");
	if (!members || members->type != SA_V_LIST) {
		sa__buf_str(b, "<p>");
		words(b, lang, "政策包未提供收入明细。", "The pack gives no income breakdown.");
		sa__buf_str(b, "</p>\n");
		return;
	}
	sa__buf_str(b, "<table>\n<tr><th>");
	words(b, lang, "成员", "Member");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "收入项目", "Income");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "元/月", "yuan a month");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "是否计入", "Counted");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "依据", "Clause");
	sa__buf_str(b, "</th></tr>\n");
	for (size_t i = 0; i < members->n; i++) {
		const sa_value *m = members->items[i], *items = sa__vget(m, "items"), *age = sa__vget(m, "age");
		const sa_value *known = sa__vget(m, "income_known"), *ct = sa__vget(m, "counted_total");
		const char *ms = sa__vstr(m, "membership"), *ref = sa__vstr(m, "membership_ref");
		int counted = ms && strcmp(ms, "counted") == 0;
		size_t rows = items && items->type == SA_V_LIST && items->n ? items->n : 1;
		sa__buf_fmt(b, "<tr><td rowspan=\"%zu\"><b>", rows + (counted && ct && ct->type == SA_V_INT ? 1 : 0));
		esc(b, sa__vstr(m, "id"));
		sa__buf_str(b, "</b> ");
		words(b, lang, sa__relation_zh(sa__vstr(m, "relation")), sa__vstr(m, "relation") ? sa__vstr(m, "relation") : "");
		sa__buf_fmt(b, "，%lld", age ? (long long)age->num : 0LL);
		words(b, lang, "岁", "");
		sa__buf_str(b, "<br>");
		if (counted)
			words(b, lang, "计入家庭成员", "counted in the household");
		else if (ms && strcmp(ms, "unknown") == 0)
			words(b, lang, "是否计入待定", "membership undetermined");
		else
			words(b, lang, "不计入家庭成员", "not counted");
		if (ref) {
			sa__buf_str(b, "<br><span class=\"en\">");
			esc(b, ref);
			sa__buf_str(b, "</span>");
		}
		sa__buf_str(b, "</td>");
		if (known && known->type == SA_V_BOOL && !known->num) {
			sa__buf_str(b, "<td colspan=\"4\" class=\"tbd\">");
			words(b, lang, "收入未申报：待核实（不按零计算）", "income not declared: to be established (never taken as zero)");
			sa__buf_str(b, "</td></tr>\n");
			continue;
		}
		if (rows == 1 && (!items || items->type != SA_V_LIST || items->n == 0)) {
			sa__buf_str(b, "<td colspan=\"4\">");
			words(b, lang, "申报无收入", "declared no income");
			sa__buf_str(b, "</td></tr>\n");
		}
		for (size_t k = 0; items && items->type == SA_V_LIST && k < items->n; k++) {
			const sa_value *it = items->items[k], *amt = sa__vget(it, "amount"), *c = sa__vget(it, "counted");
			if (k)
				sa__buf_str(b, "<tr>");
			sa__buf_str(b, "<td>");
			words(b, lang, sa__vstr(it, "zh") ? sa__vstr(it, "zh") : "", sa__vstr(it, "en") ? sa__vstr(it, "en") : "");
			sa__buf_str(b, "</td><td class=\"n\">");
			yuan(b, amt ? amt->num : 0);
			sa__buf_str(b, "</td><td>");
			if (c && c->type == SA_V_BOOL)
				words(b, lang, c->num ? "计入" : "不计入", c->num ? "counted" : "not counted");
			else
				words(b, lang, "待定", "undetermined");
			sa__buf_str(b, "</td><td class=\"en\">");
			esc(b, sa__vstr(it, "ref"));
			sa__buf_str(b, "</td></tr>\n");
		}
		if (counted && ct && ct->type == SA_V_INT) {
			sa__buf_str(b, "<tr><td><b>");
			words(b, lang, "本人计入收入", "own counted income");
			sa__buf_str(b, "</b></td><td class=\"n\"><b>");
			yuan(b, ct->num);
			sa__buf_str(b, "</b></td><td colspan=\"2\"></td></tr>\n");
		}
	}
	sa__buf_str(b, "<tr><th colspan=\"2\">");
	words(b, lang, "家庭月收入合计", "Household total monthly counted income");
	sa__buf_str(b, "</th><th class=\"n\">");
	if (total && total->type == SA_V_INT)
		yuan(b, total->num);
	else
		words(b, lang, "待定", "undetermined");
	sa__buf_str(b, "</th><th colspan=\"2\"></th></tr>\n</table>\n");
}

static void standards(sa_buf *b, const sa_explain_facts *f, sa_lang lang)
{
	char t[256];
	sa__buf_str(b, "<h2>");
	words(b, lang, "四、适用的标准和参数", "4. Standards and parameters applied");
	sa__buf_str(b, "</h2>\n<table>\n<tr><th>");
	words(b, lang, "参数", "Parameter");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "取值", "Value");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "施行日期", "In force from");
	sa__buf_str(b, "</th><th>");
	words(b, lang, "文件", "Document");
	sa__buf_str(b, "</th></tr>\n");
	for (size_t i = 0; i < f->nstd; i++) {
		const sa_std *p = &f->std[i];
		sa__buf_str(b, "<tr><td>");
		if (lang != SA_LANG_EN && sa__param_title(f, p->name, t, sizeof t, 1)) {
			esc(b, t);
			sa__buf_str(b, "<br>");
		}
		sa__buf_str(b, "<span class=\"en\">");
		esc(b, p->name);
		sa__buf_str(b, "</span></td><td class=\"n\">");
		esc(b, p->value);
		sa__buf_str(b, "</td><td class=\"n\">");
		esc(b, p->from);
		sa__buf_str(b, "</td><td>");
		esc(b, p->ref ? p->ref : "");
		sa__buf_str(b, " <span class=\"en\">(");
		esc(b, p->pack ? p->pack : "?");
		sa__buf_str(b, ")</span></td></tr>\n");
	}
	sa__buf_str(b, "</table>\n");
}

static void program(sa_buf *b, const sa_program *p, sa_lang lang)
{
	sa__buf_str(b, "<section class=\"program\">\n<h2>");
	words(b, lang, sa__program_zh(p->name), sa__program_en(p->name));
	sa__buf_str(b, "：");
	status_span(b, p->status, lang);
	if (p->has_amount) {
		sa__buf_str(b, " ");
		yuan(b, p->amount);
		sa__buf_str(b, " ");
		words(b, lang, "元", "yuan");
	}
	sa__buf_str(b, "</h2>\n");
	if (p->margin.set) {
		/* a household test once; a per-person test (特困) once per candidate */
		size_t n = p->margin.each ? p->margin.neach : 1;
		for (size_t k = 0; k < n; k++) {
			sa_margin cm = p->margin.each ? sa__explain_candidate(&p->margin, k) : p->margin;
			sa_buf t = { 0 };
			sa__explain_test(&t, &cm);
			sa__buf_str(b, "<p>");
			esc(b, sa__explain_test_title(&cm, lang));
			sa__buf_str(b, "：<span class=\"test\">");
			esc(b, t.s);
			free(t.s);
			sa__buf_str(b, "</span> ");
			words(b, lang, cm.passes ? "（满足）" : "（不满足）", cm.passes ? "(passes)" : "(fails)");
			sa__buf_str(b, "<br>");
			words(b, lang, "与门槛的距离：", "Distance to the threshold: ");
			{
				sa_buf m = { 0 };
				sa__explain_margin(&m, &cm, lang);
				esc(b, m.s);
				free(m.s);
			}
			sa__buf_str(b, "</p>\n");
		}
	}
	if (p->nreasons) {
		sa__buf_str(b, "<ul>\n");
		for (size_t k = 0; k < p->nreasons; k++) {
			const sa_reason *r = &p->reasons[k];
			sa__buf_str(b, "<li>");
			words(b, lang, r->zh ? r->zh : "", r->en ? r->en : "");
			if (r->ref) {
				sa__buf_str(b, " <span class=\"en\">〔");
				esc(b, r->ref);
				sa__buf_str(b, "〕</span>");
			}
			sa__buf_str(b, "</li>\n");
		}
		sa__buf_str(b, "</ul>\n");
	}
	if (p->nmissing) {
		sa__buf_str(b, "<p>");
		words(b, lang, "待补充：", "Missing: ");
		sa__buf_str(b, "</p>\n<ul>\n");
		for (size_t k = 0; k < p->nmissing; k++) {
			sa_buf q = { 0 };
			sa__explain_question(&q, p->missing[k], lang);
			sa__buf_str(b, "<li><code>");
			esc(b, p->missing[k]);
			sa__buf_str(b, "</code>：");
			esc(b, q.s);
			free(q.s);
			sa__buf_str(b, "</li>\n");
		}
		sa__buf_str(b, "</ul>\n");
	}
	sa__buf_str(b, "</section>\n");
}

/* ---- the chart ---- */

static const sa_margin *margin_of(const sa_decision *d, const char *program)
{
	int i = sa_decision_find(d, program);
	return i >= 0 && d->programs[i].margin.set ? &d->programs[i].margin : NULL;
}

/* Monthly assistance: the monthly amounts of the tier programs that are eligible. */
static sa_fen assistance(const sa_decision *d)
{
	static const char *const monthly[] = { "tekun", "dibao", "edge", "rigid" };
	sa_fen sum = 0, a;
	for (size_t k = 0; k < 4; k++) {
		int i = sa_decision_find(d, monthly[k]);
		if (i >= 0 && d->programs[i].status == SA_ELIGIBLE && sa_decision_program_amount(&a, d, (size_t)i) == 0)
			sum += a;
	}
	return sum;
}

/* The member whose wages vary: the first with wages or business income, else the head. */
static size_t chart_member(const sa_household *hh, sa_fen *wages)
{
	const sa_value *members = sa__value_get(hh->typed, "members");
	size_t head = 0;
	*wages = 0;
	for (size_t i = 0; members && i < members->n; i++) {
		const sa_value *inc = sa__value_get(members->items[i], "income");
		const sa_value *w = inc ? sa__value_get(inc, "wages") : NULL, *bz = inc ? sa__value_get(inc, "business") : NULL;
		const sa_value *rel = sa__value_get(members->items[i], "relation");
		if ((w && w->num > 0) || (bz && bz->num > 0)) {
			*wages = w ? w->num : 0;
			return i;
		}
		if (rel && rel->str && strcmp(rel->str, "head") == 0 && !head)
			head = i;
	}
	return head;
}

static void chart(sa_buf *b, const sa_explain_facts *f, const sa_explain_options *o)
{
	sa_lang lang = o->lang;
	const sa_margin *dm = margin_of(f->d, "dibao"), *em = margin_of(f->d, "edge");
	const sa_value *members = sa__value_get(f->hh->typed, "members");
	sa__vary_row *rows = NULL;
	size_t n = 0, who, points = o->chart_points > 1 ? (size_t)o->chart_points : 41;
	sa_fen wages, top, step, xmax = 0, ymax = 0, cur_x, cur_y;
	char path[64], from[32], to[32], st[32];
	const char *id;
	/* plot area */
	const double W = 640, H = 300, L = 62, R = 16, T = 14, B = 44;

	sa__buf_str(b, "<h2>");
	words(b, lang, "三、收入与救助金额关系图", "3. Monthly assistance against income");
	sa__buf_str(b, "</h2>\n");
	if (!dm) {
		sa__buf_str(b, "<p>");
		words(b, lang, "家庭月收入合计未定，无法作图。", "The household's total counted income is undetermined: no chart.");
		sa__buf_str(b, "</p>\n");
		return;
	}
	who = chart_member(f->hh, &wages);
	id = sa__vstr(members->items[who], "id");
	/* wages from 0 to well past the 边缘 line (or 1.5 × the current wages), in whole yuan steps */
	top = (em ? em->limit : dm->limit) * 3 / 2;
	if (wages * 3 / 2 > top)
		top = wages * 3 / 2;
	step = (top / (sa_fen)(points - 1) + 99) / 100 * 100;
	if (step < 100)
		step = 100;
	snprintf(path, sizeof path, "members.%zu.income.wages", who);
	sa_money_format(from, sizeof from, 0);
	sa_money_format(to, sizeof to, step * (sa_fen)(points - 1));
	sa_money_format(st, sizeof st, step);
	if (sa__whatif_vary_rows(&rows, &n, f->engine, f->hh, f->as_of, NULL, 0, path, from, to, st) < 0) {
		if (sa_error_last()->code == SA_ENOMEM) { /* no page that silently lacks its chart */
			b->oom = true;
			return;
		}
		sa__buf_str(b, "<p>");
		words(b, lang, "作图失败：", "The chart failed: ");
		esc(b, sa_error_last()->message);
		sa__buf_str(b, "</p>\n");
		return;
	}
	cur_x = dm->value;
	cur_y = assistance(f->d);
	for (size_t i = 0; i < n; i++) {
		const sa_margin *m = margin_of(rows[i].d, "dibao");
		sa_fen y = assistance(rows[i].d);
		if (m && m->value > xmax)
			xmax = m->value;
		if (y > ymax)
			ymax = y;
	}
	if (cur_x > xmax)
		xmax = cur_x;
	if (cur_y > ymax)
		ymax = cur_y;
	if (em && em->limit > xmax)
		xmax = em->limit;
	xmax = (xmax / 50000 + 1) * 50000; /* round up to 500 yuan */
	ymax = (ymax / 50000 + 1) * 50000;
#define X(v) (L + (W - L - R) * (double)(v) / (double)xmax)
#define Y(v) (T + (H - T - B) * (1.0 - (double)(v) / (double)ymax))
	sa__buf_str(b, "<p>");
	words(b, lang, "按成员 ", "Wages of member ");
	esc(b, id);
	words(b, lang, " 的工资性收入从 0 变动（其他事实不变），用同一政策包逐点重新评估。",
	      " vary from 0 (all else held); each point is a full evaluation under the same pack.");
	sa__buf_str(b, "</p>\n");
	sa__buf_fmt(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	            "font-size=\"11\" font-family=\"Noto Sans CJK SC, sans-serif\" role=\"img\">\n", W, H, W, H);
	/* axes and ticks */
	sa__buf_fmt(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" stroke=\"#888\"/>\n", L, T,
	            W - L - R, H - T - B);
	for (int k = 0; k <= 5; k++) {
		sa_fen xv = xmax * k / 5, yv = ymax * k / 5;
		char y1[40], y2[40];
		sa__yuan_grouped(y1, sizeof y1, xv / 100 * 100);
		sa__yuan_grouped(y2, sizeof y2, yv / 100 * 100);
		y1[strlen(y1) - 3] = 0; /* whole yuan on the axes */
		y2[strlen(y2) - 3] = 0;
		sa__buf_fmt(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
		            X(xv), T, X(xv), H - B, X(xv), H - B + 14, y1);
		sa__buf_fmt(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		            L, Y(yv), W - R, Y(yv), L - 4, Y(yv) + 4, y2);
	}
	sa__buf_fmt(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (L + W - R) / 2, H - 8);
	words(b, lang, "家庭月收入合计（元）", "total monthly counted income (yuan)");
	sa__buf_fmt(b, "</text>\n<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">",
	            (T + H - B) / 2, (T + H - B) / 2);
	words(b, lang, "每月救助金额（元）", "monthly assistance (yuan)");
	sa__buf_str(b, "</text>\n");
	/* the 低保 line and the 边缘 line */
	sa__buf_fmt(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" stroke-dasharray=\"5 3\"/>"
	            "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\">",
	            X(dm->limit), T, X(dm->limit), H - B, X(dm->limit) + 3, T + 12);
	words(b, lang, "低保线", "dibao line");
	sa__buf_str(b, " ");
	yuan(b, dm->limit);
	sa__buf_str(b, "</text>\n");
	if (em) {
		char ratio[32];
		sa__ratio_text(ratio, sizeof ratio, em->num, em->den);
		sa__buf_fmt(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d80\" stroke-dasharray=\"5 3\"/>"
		            "<text x=\"%.1f\" y=\"%.1f\" fill=\"#a60\">%s× ",
		            X(em->limit), T, X(em->limit), H - B, X(em->limit) + 3, T + 26, ratio);
		words(b, lang, "边缘线", "edge line");
		sa__buf_str(b, " ");
		yuan(b, em->limit);
		sa__buf_str(b, "</text>\n");
	}
	/* the curve: one point per evaluation; a cliff shows as a near-vertical drop */
	sa__buf_str(b, "<polyline fill=\"none\" stroke=\"#1450a0\" stroke-width=\"2\" points=\"");
	for (size_t i = 0; i < n; i++) {
		const sa_margin *m = margin_of(rows[i].d, "dibao");
		if (m)
			sa__buf_fmt(b, "%.1f,%.1f ", X(m->value), Y(assistance(rows[i].d)));
	}
	sa__buf_str(b, "\"/>\n");
	for (size_t i = 0; i < n; i++) {
		const sa_margin *m = margin_of(rows[i].d, "dibao");
		if (m)
			sa__buf_fmt(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"#1450a0\"/>", X(m->value),
			            Y(assistance(rows[i].d)));
	}
	sa__buf_fmt(b, "\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/>"
	            "<text x=\"%.1f\" y=\"%.1f\">",
	            X(cur_x), Y(cur_y), X(cur_x) + 7, Y(cur_y) - 7);
	words(b, lang, "本户现状", "this household");
	sa__buf_str(b, " ");
	yuan(b, cur_y);
	sa__buf_str(b, "</text>\n</svg>\n<p class=\"en\">");
	words(b, lang, "每月救助金额 = 符合条件的特困、低保等按月发放金额之和；临时救助、专项救助不计入。",
	      "Monthly assistance = the monthly amounts of the eligible tier programs (tekun, dibao); temporary and "
	      "special assistance are not included.");
	sa__buf_str(b, "</p>\n");
#undef X
#undef Y
	sa__vary_free(rows, n);
}

int sa__explain_html(char **out, const sa_explain_facts *f, const sa_explain_options *o)
{
	sa_buf b = { 0 };
	sa_lang lang = o->lang;
	const sa_decision *d = f->d;
	*out = NULL;
	sa__buf_fmt(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
	            lang == SA_LANG_EN ? "en" : "zh-CN");
	words(&b, lang, "社会救助审核确认说明", "Explanation of the decision");
	sa__buf_str(&b, " ");
	esc(&b, d->household_id);
	sa__buf_fmt(&b, "</title>\n<style>%s</style>\n</head>\n<body>\n", CSS);
	header(&b, f, lang);
	summary(&b, f, lang);
	incomes(&b, f, lang);
	chart(&b, f, o);
	standards(&b, f, lang);
	sa__buf_str(&b, "<h2>");
	words(&b, lang, "五、各项目的认定", "5. Each program");
	sa__buf_str(&b, "</h2>\n");
	for (size_t i = 0; i < d->nprograms; i++)
		program(&b, &d->programs[i], lang);
	sa__buf_str(&b, "<h2>");
	words(&b, lang, "六、待补充的事实与核实问题", "6. Missing facts and the questions to settle them");
	sa__buf_str(&b, "</h2>\n<ul>\n");
	if (!d->nmissing) {
		sa__buf_str(&b, "<li>");
		words(&b, lang, "无：各项目所需事实齐全", "none: every program had the facts it needs");
		sa__buf_str(&b, "</li>\n");
	}
	for (size_t k = 0; k < d->nmissing; k++) {
		sa_buf q = { 0 };
		sa__explain_question(&q, d->missing[k], lang);
		sa__buf_str(&b, "<li><code>");
		esc(&b, d->missing[k]);
		sa__buf_str(&b, "</code>：");
		esc(&b, q.s);
		free(q.s);
		sa__buf_str(&b, "</li>\n");
	}
	sa__buf_str(&b, "</ul>\n");
	sa__buf_str(&b, "<p class=\"en\">libsa ");
	sa__buf_str(&b, sa_version());
	sa__buf_str(&b, " — ");
	words(&b, lang, "本说明由审核系统依据上述政策包自动生成，供一户一档存档。",
	      "Generated from the pack above for the household's file.");
	sa__buf_str(&b, "</p>\n</body>\n</html>\n");
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}
