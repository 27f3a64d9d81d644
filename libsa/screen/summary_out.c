/* summary_out.c - a screening summary as JSON, CSV and a self-contained HTML report with SVG
 * bar charts (include/sa/screen.h, docs/screening.md): what a 民政局 reads after a run. */
#include "screen/summary.h"
#include "screen/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void money(sa_buf *b, sa_fen f)
{
	char y[40];
	sa_money_format(y, sizeof y, f);
	sa__buf_str(b, y);
}

/* ------------------------------------------------------------------ regions
 *
 * The region x tier and region x program records come in first-seen order, regions
 * interleaved. Writing them by region sorts the record indexes once by (region, index):
 * O(n log n) in the records, where a scan per region would be quadratic in the regions. */

typedef struct {
	const char *region;
	size_t i;
} region_row;

typedef struct {
	size_t first;  /* its first rtiers index: regions are written in this order */
	size_t t0, nt; /* its rtiers, as a range of layout.rt */
	size_t p0, np; /* its rprogs, as a range of layout.rp */
} region_rows;

typedef struct {
	size_t *rt, *rp;  /* rtiers / rprogs indexes grouped by region, each group in input order */
	region_rows *reg; /* the distinct regions of rtiers, in first-seen order */
	size_t nr;
} layout;

static int by_region(const void *x, const void *y)
{
	const region_row *a = x, *b = y;
	int c = strcmp(a->region, b->region);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int by_first(const void *x, const void *y)
{
	const region_rows *a = x, *b = y;
	return (a->first > b->first) - (a->first < b->first);
}

static void layout_free(layout *l)
{
	free(l->rt);
	free(l->rp);
	free(l->reg);
}

static int layout_init(layout *l, const sa_screen_summary *s)
{
	region_row *t = calloc(s->nrtiers + 1, sizeof *t), *p = calloc(s->nrprogs + 1, sizeof *p);
	l->rt = calloc(s->nrtiers + 1, sizeof *l->rt);
	l->rp = calloc(s->nrprogs + 1, sizeof *l->rp);
	l->reg = calloc(s->nrtiers + 1, sizeof *l->reg);
	l->nr = 0;
	if (!t || !p || !l->rt || !l->rp || !l->reg) {
		free(t);
		free(p);
		layout_free(l);
		return sa__error_oom();
	}
	for (size_t i = 0; i < s->nrtiers; i++)
		t[i] = (region_row){ s->rtiers[i].region, i };
	for (size_t i = 0; i < s->nrprogs; i++)
		p[i] = (region_row){ s->rprogs[i].region, i };
	qsort(t, s->nrtiers, sizeof *t, by_region);
	qsort(p, s->nrprogs, sizeof *p, by_region);
	for (size_t i = 0; i < s->nrtiers; i++)
		l->rt[i] = t[i].i;
	for (size_t i = 0; i < s->nrprogs; i++)
		l->rp[i] = p[i].i;
	/* one region per group of t, with the matching group of p (both sorted by region) */
	for (size_t i = 0, j = 0; i < s->nrtiers;) {
		region_rows *g = &l->reg[l->nr++];
		size_t e = i;
		while (e < s->nrtiers && strcmp(t[e].region, t[i].region) == 0)
			e++;
		while (j < s->nrprogs && strcmp(p[j].region, t[i].region) < 0)
			j++;
		g->first = t[i].i;
		g->t0 = i;
		g->nt = e - i;
		g->p0 = j;
		while (j < s->nrprogs && strcmp(p[j].region, t[i].region) == 0)
			j++;
		g->np = j - g->p0;
		i = e;
	}
	qsort(l->reg, l->nr, sizeof *l->reg, by_first);
	free(t);
	free(p);
	return SA_OK;
}

/* Households of region r in tier (its few rtiers records). */
static uint64_t region_tier(const sa_screen_summary *s, const layout *l, size_t r, const char *tier)
{
	for (size_t k = l->reg[r].t0; k < l->reg[r].t0 + l->reg[r].nt; k++)
		if (strcmp(s->rtiers[l->rt[k]].tier, tier) == 0)
			return s->rtiers[l->rt[k]].households;
	return 0;
}

/* The record of region r and program p, or NULL. */
static const sa_screen_region_program *region_prog(const sa_screen_summary *s, const layout *l, size_t r, const char *p)
{
	for (size_t k = l->reg[r].p0; k < l->reg[r].p0 + l->reg[r].np; k++)
		if (strcmp(s->rprogs[l->rp[k]].program, p) == 0)
			return &s->rprogs[l->rp[k]];
	return NULL;
}

static const char *region_name(const sa_screen_summary *s, const layout *l, size_t r)
{
	return s->rtiers[l->reg[r].first].region;
}

/* ------------------------------------------------------------------ JSON */

static void json_counts(sa_buf *b, const sa_screen_region_program *r)
{
	sa__buf_fmt(b, "\"eligible\": %llu, \"undetermined\": %llu, \"cash\": \"", (unsigned long long)r->eligible,
	            (unsigned long long)r->undetermined);
	money(b, r->cash);
	sa__buf_fmt(b, "\", \"cash_fen\": %lld, \"not_enrolled\": %llu, \"no_longer\": %llu", (long long)r->cash,
	            (unsigned long long)r->not_enrolled, (unsigned long long)r->no_longer);
}

int sa_screen_summary_to_json(char **out, const sa_screen_summary *s)
{
	sa_buf b = { 0 };
	layout l;
	*out = NULL;
	if (!s)
		return sa__error(SA_EINVALID, "sa_screen_summary_to_json: NULL summary");
	if (layout_init(&l, s) < 0)
		return SA_ENOMEM;
	sa__buf_fmt(&b, "{\n  \"records\": %llu, \"evaluated\": %llu, \"bad\": %llu, \"undetermined\": %llu,\n",
	            (unsigned long long)s->records, (unsigned long long)s->evaluated, (unsigned long long)s->bad,
	            (unsigned long long)s->undetermined);
	sa__buf_fmt(&b, "  \"circles\": {\"1\": %llu, \"2\": %llu, \"3\": %llu, \"none\": %llu},\n",
	            (unsigned long long)s->circle[1], (unsigned long long)s->circle[2], (unsigned long long)s->circle[3],
	            (unsigned long long)s->circle[0]);
	sa__buf_str(&b, "  \"tiers\": [");
	for (size_t i = 0; i < s->ntiers; i++) {
		sa__buf_str(&b, i ? ", {\"tier\": " : "{\"tier\": ");
		sa__buf_json_str(&b, s->tiers[i].name);
		sa__buf_fmt(&b, ", \"households\": %llu}", (unsigned long long)s->tiers[i].households);
	}
	sa__buf_str(&b, "],\n  \"programs\": [");
	for (size_t i = 0; i < s->nprograms; i++) {
		const sa_screen_program *p = &s->programs[i];
		sa_screen_region_program r = { NULL, p->name, p->eligible, p->undetermined, p->cash, p->not_enrolled, p->no_longer };
		sa__buf_str(&b, i ? ",\n    {\"program\": " : "\n    {\"program\": ");
		sa__buf_json_str(&b, p->name);
		sa__buf_str(&b, ", \"period\": ");
		sa__buf_json_str(&b, p->period);
		sa__buf_str(&b, ", ");
		json_counts(&b, &r);
		sa__buf_fmt(&b, ", \"enrolled_undetermined\": %llu}", (unsigned long long)p->enrolled_undetermined);
	}
	sa__buf_str(&b, "],\n  \"regions\": [");
	for (size_t r = 0; r < l.nr; r++) {
		const region_rows *g = &l.reg[r];
		sa__buf_str(&b, r ? ",\n    {\"region\": " : "\n    {\"region\": ");
		sa__buf_json_str(&b, region_name(s, &l, r));
		sa__buf_str(&b, ", \"tiers\": {");
		for (size_t k = g->t0; k < g->t0 + g->nt; k++) {
			sa__buf_str(&b, k > g->t0 ? ", " : "");
			sa__buf_json_str(&b, s->rtiers[l.rt[k]].tier);
			sa__buf_fmt(&b, ": %llu", (unsigned long long)s->rtiers[l.rt[k]].households);
		}
		sa__buf_str(&b, "}, \"programs\": [");
		for (size_t k = g->p0; k < g->p0 + g->np; k++) {
			sa__buf_str(&b, k > g->p0 ? ", {\"program\": " : "{\"program\": ");
			sa__buf_json_str(&b, s->rprogs[l.rp[k]].program);
			sa__buf_str(&b, ", ");
			json_counts(&b, &s->rprogs[l.rp[k]]);
			sa__buf_str(&b, "}");
		}
		sa__buf_str(&b, "]}");
	}
	sa__buf_str(&b, "],\n  \"missing\": [");
	for (size_t i = 0; i < s->nmissing; i++) {
		sa__buf_str(&b, i ? ", {\"fact\": " : "{\"fact\": ");
		sa__buf_json_str(&b, s->missing[i].fact);
		sa__buf_fmt(&b, ", \"households\": %llu}", (unsigned long long)s->missing[i].households);
	}
	sa__buf_str(&b, "]\n}\n");
	layout_free(&l);
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

/* ------------------------------------------------------------------ CSV (RFC 4180) */

static void csv_row(sa_buf *b, const char *kind, const char *region, const char *name, const char *period,
                    uint64_t households, const sa_screen_region_program *r)
{
	char y[40];
	/* the cells through libcsv (screen/csv.c); names come from packs and registries */
	sa__csv_field(b, kind, 1);
	sa__csv_field(b, region, 0);
	sa__csv_field(b, name, 0);
	sa__csv_field(b, period, 0);
	if (r) {
		sa_money_format(y, sizeof y, r->cash);
		sa__buf_fmt(b, ",,%llu,%llu,%s,%lld,%llu,%llu\r\n", (unsigned long long)r->eligible,
		            (unsigned long long)r->undetermined, y, (long long)r->cash, (unsigned long long)r->not_enrolled,
		            (unsigned long long)r->no_longer);
	} else {
		sa__buf_fmt(b, ",%llu,,,,,,\r\n", (unsigned long long)households);
	}
}

int sa_screen_summary_to_csv(char **out, const sa_screen_summary *s)
{
	sa_buf b = { 0 };
	*out = NULL;
	if (!s)
		return sa__error(SA_EINVALID, "sa_screen_summary_to_csv: NULL summary");
	sa__buf_str(&b, "kind,region,name,period,households,eligible,undetermined,cash_yuan,cash_fen,not_enrolled,no_longer\r\n");
	for (size_t i = 0; i < s->ntiers; i++)
		csv_row(&b, "tier", "*", s->tiers[i].name, "", s->tiers[i].households, NULL);
	for (size_t i = 0; i < s->nprograms; i++) {
		const sa_screen_program *p = &s->programs[i];
		sa_screen_region_program r = { NULL, p->name, p->eligible, p->undetermined, p->cash, p->not_enrolled, p->no_longer };
		csv_row(&b, "program", "*", p->name, p->period, 0, &r);
	}
	for (size_t i = 0; i < s->nrtiers; i++)
		csv_row(&b, "tier", s->rtiers[i].region, s->rtiers[i].tier, "", s->rtiers[i].households, NULL);
	for (size_t i = 0; i < s->nrprogs; i++) {
		const char *period = "month";
		for (size_t k = 0; k < s->nprograms; k++)
			if (strcmp(s->programs[k].name, s->rprogs[i].program) == 0)
				period = s->programs[k].period;
		csv_row(&b, "program", s->rprogs[i].region, s->rprogs[i].program, period, 0, &s->rprogs[i]);
	}
	for (size_t i = 0; i < s->nmissing; i++)
		csv_row(&b, "missing", "*", s->missing[i].fact, "", s->missing[i].households, NULL);
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}

/* ------------------------------------------------------------------ HTML report */

static void html_text(sa_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '<': sa__buf_str(b, "&lt;"); break;
		case '>': sa__buf_str(b, "&gt;"); break;
		case '&': sa__buf_str(b, "&amp;"); break;
		case '"': sa__buf_str(b, "&quot;"); break;
		default: sa__buf_add(b, p, 1);
		}
	}
}

static const char *tier_zh(const char *t)
{
	static const char *const names[][2] = { { "tekun", "特困" },   { "dibao", "低保" },         { "edge", "低保边缘" },
		                                { "rigid", "刚性支出" }, { "none", "无" },            { "temporary", "临时救助" },
		                                { "orphan", "孤儿保障" } };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(names[i][0], t) == 0)
			return names[i][1];
	return t;
}

static const char *const palette[] = { "#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#d1e5f0", "#999999", "#2166ac" };

/* Horizontal stacked bars: households of each region by tier. */
static void chart_tiers(sa_buf *b, const sa_screen_summary *s, const layout *l)
{
	uint64_t max = 1;
	int row = 22, left = 90, width = 560, height = (int)l->nr * row + 40;
	if (left + (int)s->ntiers * 115 > left + width)
		width = (int)s->ntiers * 115; /* room for the legend */
	for (size_t r = 0; r < l->nr; r++) {
		uint64_t tot = 0;
		for (size_t t = 0; t < s->ntiers; t++)
			tot += region_tier(s, l, r, s->tiers[t].name);
		max = tot > max ? tot : max;
	}
	sa__buf_fmt(b, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
	            left + width + 60, height, left + width + 60, height);
	for (size_t r = 0; r < l->nr; r++) {
		const char *region = region_name(s, l, r);
		double x = left;
		int y = 10 + (int)r * row;
		sa__buf_fmt(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\">", left - 6, y + 14);
		html_text(b, region);
		sa__buf_str(b, "</text>\n");
		for (size_t t = 0; t < s->ntiers; t++) {
			uint64_t n = region_tier(s, l, r, s->tiers[t].name);
			double w = (double)n / (double)max * width;
			if (!n)
				continue;
			sa__buf_fmt(b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"><title>", x, y, w,
			            palette[t % (sizeof palette / sizeof *palette)]);
			html_text(b, region);
			sa__buf_fmt(b, " %s %llu</title></rect>\n", tier_zh(s->tiers[t].name), (unsigned long long)n);
			x += w;
		}
	}
	/* legend */
	for (size_t t = 0; t < s->ntiers; t++) {
		int x = left + (int)t * 115, y = height - 14;
		sa__buf_fmt(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"leg\">%s %s</text>\n",
		            x, y, palette[t % (sizeof palette / sizeof *palette)], x + 14, y + 9, tier_zh(s->tiers[t].name),
		            s->tiers[t].name);
	}
	sa__buf_str(b, "</svg>\n");
}

/* Horizontal bars: monthly cash of one program by region. */
static void chart_cash(sa_buf *b, const sa_screen_summary *s, const layout *l, const char *program)
{
	sa_fen max = 1;
	int row = 22, left = 90, width = 500, height = (int)l->nr * row + 16;
	for (size_t r = 0; r < l->nr; r++) {
		const sa_screen_region_program *p = region_prog(s, l, r, program);
		if (p && p->cash > max)
			max = p->cash;
	}
	sa__buf_fmt(b, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
	            left + width + 120, height, left + width + 120, height);
	for (size_t r = 0; r < l->nr; r++) {
		const char *region = region_name(s, l, r);
		const sa_screen_region_program *p = region_prog(s, l, r, program);
		sa_fen cash = p ? p->cash : 0;
		double w = (double)cash / (double)max * width;
		int y = 4 + (int)r * row;
		char y_[40];
		sa_money_format(y_, sizeof y_, cash);
		sa__buf_fmt(b, "<text x=\"%d\" y=\"%d\" class=\"lbl\">", left - 6, y + 14);
		html_text(b, region);
		sa__buf_fmt(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#2166ac\"/>"
		               "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s</text>\n",
		            left, y, w, left + w + 4, y + 13, y_);
	}
	sa__buf_str(b, "</svg>\n");
}

int sa_screen_summary_to_html(char **out, const sa_screen_summary *s, const char *title)
{
	sa_buf b = { 0 };
	layout l;
	*out = NULL;
	if (!s)
		return sa__error(SA_EINVALID, "sa_screen_summary_to_html: NULL summary");
	if (layout_init(&l, s) < 0)
		return SA_ENOMEM;
	sa__buf_str(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n<title>");
	html_text(&b, title ? title : "筛查报告");
	sa__buf_str(&b, "</title>\n<style>\n"
	                "body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:1.5em;color:#222}\n"
	                "h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.4em}\n"
	                "table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}\n"
	                "th{background:#eee}td.l,th.l{text-align:left}.lbl{font-size:11px;text-anchor:end}.leg,.val{font-size:11px}\n"
	                ".note{font-size:.8em;color:#555}\n"
	                "@page{size:A4;margin:15mm}@media print{body{margin:0}h2{break-after:avoid}svg,table{break-inside:avoid}}\n"
	                "</style></head><body>\n<h1>");
	html_text(&b, title ? title : "筛查报告");
	sa__buf_str(&b, "</h1>\n");
	sa__buf_fmt(&b, "<p>户数 records %llu · 已评估 evaluated %llu · 无法读取 bad %llu · 待定 undetermined %llu</p>\n",
	            (unsigned long long)s->records, (unsigned long long)s->evaluated, (unsigned long long)s->bad,
	            (unsigned long long)s->undetermined);

	sa__buf_str(&b, "<h2>各地区分层户数 / Households by region and tier</h2>\n");
	chart_tiers(&b, s, &l);
	sa__buf_str(&b, "<table><tr><th class=\"l\">地区 region</th>");
	for (size_t t = 0; t < s->ntiers; t++)
		sa__buf_fmt(&b, "<th>%s<br>%s</th>", tier_zh(s->tiers[t].name), s->tiers[t].name);
	sa__buf_str(&b, "</tr>\n");
	for (size_t r = 0; r < l.nr; r++) {
		sa__buf_str(&b, "<tr><td class=\"l\">");
		html_text(&b, region_name(s, &l, r));
		sa__buf_str(&b, "</td>");
		for (size_t t = 0; t < s->ntiers; t++)
			sa__buf_fmt(&b, "<td>%llu</td>", (unsigned long long)region_tier(s, &l, r, s->tiers[t].name));
		sa__buf_str(&b, "</tr>\n");
	}
	sa__buf_str(&b, "</table>\n");

	for (size_t i = 0; i < s->nprograms; i++) {
		const sa_screen_program *p = &s->programs[i];
		bool once = strcmp(p->period, "once") == 0;
		if (!p->eligible || !p->cash)
			continue; /* no cash to chart (边缘, or a program without amounts) */
		sa__buf_str(&b, "<h2>");
		if (strcmp(tier_zh(p->name), p->name) != 0) {
			html_text(&b, tier_zh(p->name));
			sa__buf_str(&b, " ");
		}
		sa__buf_fmt(&b, "%s：%s / cash by region (%s)</h2>\n", p->name, once ? "各地区救助金额（一次性，元/次）" : "各地区月度救助金（元/月）",
		            once ? "one-off, yuan per case" : "yuan per month");
		chart_cash(&b, s, &l, p->name);
	}

	sa__buf_str(&b, "<h2>应保未保与应退未退 / Qualify but not enrolled, enrolled but no longer qualify</h2>\n"
	                "<table><tr><th class=\"l\">地区 region</th><th class=\"l\">项目 program</th><th>有资格 eligible</th>"
	                "<th>待定 undetermined</th><th>金额 cash (元)</th><th>应保未保 not enrolled</th><th>应退未退 no longer</th></tr>\n");
	for (size_t i = 0; i < s->nrprogs; i++) {
		const sa_screen_region_program *r = &s->rprogs[i];
		char y[40];
		sa_money_format(y, sizeof y, r->cash);
		sa__buf_str(&b, "<tr><td class=\"l\">");
		html_text(&b, r->region);
		sa__buf_str(&b, "</td><td class=\"l\">");
		html_text(&b, r->program);
		sa__buf_fmt(&b, "</td><td>%llu</td><td>%llu</td><td>%s</td><td>%llu</td><td>%llu</td></tr>\n",
		            (unsigned long long)r->eligible, (unsigned long long)r->undetermined, y,
		            (unsigned long long)r->not_enrolled, (unsigned long long)r->no_longer);
	}
	sa__buf_str(&b, "</table>\n");

	sa__buf_str(&b, "<h2>待定户缺少的信息 / Facts that would settle the most undetermined households</h2>\n"
	                "<table><tr><th class=\"l\">缺少的信息 fact</th><th>户数 households</th></tr>\n");
	for (size_t i = 0; i < s->nmissing && i < 30; i++) {
		sa__buf_str(&b, "<tr><td class=\"l\">");
		html_text(&b, s->missing[i].fact);
		sa__buf_fmt(&b, "</td><td>%llu</td></tr>\n", (unsigned long long)s->missing[i].households);
	}
	sa__buf_str(&b, "</table>\n<p class=\"note\">应保未保：符合条件但 enrolments 未列该项目；应退未退：已列入但不再符合。"
	                "Not enrolled: qualifies but the household's enrolments lack the program; no longer: enrolled and now ineligible.</p>\n"
	                "</body></html>\n");
	layout_free(&l);
	if (b.oom) {
		free(b.s);
		return sa__error_oom();
	}
	*out = b.s;
	return SA_OK;
}
