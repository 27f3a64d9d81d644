/* whatif.c - what-if: a household with some fields changed, evaluated against the original
 * (sa_whatif), or evaluated along a range of one field's values (sa_whatif_vary). */
#include "audit/audit_internal.h"
#include "audit/whatif_internal.h"
#include "core/household_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rewrite "members.<id>...." to "members.<index>...." using hh's member ids. */
static int resolve_path(char *out, size_t size, const sa_household *hh, const char *path)
{
	const sa_value *members = sa__value_get(hh->raw, "members");
	const char *p = path;
	size_t o = 0;
	int prev_members = 0;
	for (;;) {
		size_t n = strcspn(p, ".");
		char seg[256];
		if (n == 0 || n >= sizeof seg)
			return sa__error(SA_EINVALID, "bad path '%s'", path);
		memcpy(seg, p, n);
		seg[n] = 0;
		if (prev_members && strspn(seg, "0123456789") != n) {
			size_t i;
			for (i = 0; members && i < members->n; i++) {
				const sa_value *id = sa__value_get(members->items[i], "id");
				if (id && id->str && strcmp(id->str, seg) == 0)
					break;
			}
			if (!members || i == members->n)
				return sa__error(SA_EINVALID, "bad path '%s': the household has no member '%s'", path, seg);
			snprintf(seg, sizeof seg, "%zu", i);
		}
		prev_members = o == 0 && strcmp(seg, "members") == 0;
		if (o + strlen(seg) + 2 > size)
			return sa__error(SA_EINVALID, "bad path '%s': too long", path);
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? "." : "", seg);
		if (!p[n])
			return SA_OK;
		p += n + 1;
	}
}

static int apply_one(sa_household *copy, const char *set)
{
	const char *eq = strchr(set, '=');
	char path[512], resolved[600];
	size_t n;
	if (!eq || eq == set)
		return sa__error(SA_EINVALID, "'%s' is not PATH=VALUE", set);
	n = (size_t)(eq - set);
	if (n >= sizeof path)
		return sa__error(SA_EINVALID, "'%s': path too long", set);
	memcpy(path, set, n);
	path[n] = 0;
	if (resolve_path(resolved, sizeof resolved, copy, path) < 0)
		return SA_EINVALID;
	if (sa_household_set(copy, resolved, eq + 1) < 0)
		return sa__error(SA_EINVALID, "--set %s: %s", set, sa_error_last()->message);
	return SA_OK;
}

int sa__whatif_apply(sa_household **out, const sa_household *hh, const char *const *sets, size_t nsets)
{
	sa_household *copy;
	sa_value *raw;
	int rc;
	*out = NULL;
	if (!(raw = sa__value_copy(hh->raw)))
		return sa__error_oom();
	if ((rc = sa__household_from_value(&copy, raw, hh->source)) < 0)
		return rc;
	for (size_t i = 0; i < nsets; i++)
		if ((rc = apply_one(copy, sets[i])) < 0) {
			sa_household_free(copy);
			return rc;
		}
	*out = copy;
	return SA_OK;
}

int sa_whatif(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const char *const *sets,
              size_t nsets, sa_whatif_format format)
{
	sa_household *changed = NULL;
	sa_decision *before = NULL, *after = NULL;
	cJSON *a = NULL, *b = NULL, *diff = NULL;
	sa_buf o = { 0 };
	int rc;
	*out = NULL;
	if (!engine || !hh || (nsets && !sets))
		return sa__error(SA_EINVALID, "sa_whatif: NULL argument");
	if ((rc = sa__whatif_apply(&changed, hh, sets, nsets)) < 0)
		return rc;
	if ((rc = sa_evaluate(&before, engine, hh, as_of)) < 0 || (rc = sa_evaluate(&after, engine, changed, as_of)) < 0)
		goto done;
	a = sa__decision_tree(before);
	b = sa__decision_tree(after);
	diff = cJSON_CreateArray();
	if (!a || !b || !diff || (rc = sa__json_diff(diff, a, b)) < 0) {
		rc = sa__error_oom();
		goto done;
	}
	if (format == SA_WHATIF_JSON) {
		char *dj, *df;
		if ((rc = sa_decision_to_json(&dj, after, 0)) < 0)
			goto done;
		df = cJSON_PrintUnformatted(diff);
		sa__buf_str(&o, "{\"changes\":[");
		for (size_t i = 0; i < nsets; i++) {
			if (i)
				sa__buf_str(&o, ",");
			sa__buf_json_str(&o, sets[i]);
		}
		sa__buf_str(&o, "],\"decision\":");
		sa__buf_str(&o, dj);
		sa__buf_str(&o, ",\"diff\":");
		sa__buf_str(&o, df ? df : "[]");
		sa__buf_str(&o, "}\n");
		sa_free(dj);
		free(df);
		if (!df)
			o.oom = true;
	} else {
		char *text;
		const cJSON *row;
		if ((rc = sa_decision_to_text(&text, after)) < 0)
			goto done;
		sa__buf_str(&o, "改动 changes:\n");
		for (size_t i = 0; i < nsets; i++)
			sa__buf_fmt(&o, "  %s\n", sets[i]);
		sa__buf_str(&o, "\n改动后的决定 decision with the changes:\n");
		sa__buf_str(&o, text);
		sa_free(text);
		sa__buf_str(&o, "\n差异 difference (原 before → 改 after):\n");
		if (!diff->child)
			sa__buf_str(&o, "  无 none: the decision is the same\n");
		cJSON_ArrayForEach(row, diff) {
			char *x = sa__json_leaf_text(cJSON_GetObjectItemCaseSensitive(row, "before"));
			char *y = sa__json_leaf_text(cJSON_GetObjectItemCaseSensitive(row, "after"));
			if (!x || !y) /* a value that could not be copied fails the whole text */
				o.oom = true;
			else
				sa__buf_fmt(&o, "  %s: %s → %s\n", cJSON_GetObjectItemCaseSensitive(row, "field")->valuestring, x, y);
			free(x);
			free(y);
		}
	}
	if (o.oom) {
		free(o.s);
		rc = sa__error_oom();
		goto done;
	}
	*out = o.s;
	rc = SA_OK;
done:
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(diff);
	sa_decision_free(before);
	sa_decision_free(after);
	sa_household_free(changed);
	return rc;
}

/* ---- varying one field ---- */

#define SA_VARY_MAX_ROWS 10001

/* "1500" -> integers; "1500.50" -> money in fen. */
static int parse_num(int64_t *v, int *money, const char *s)
{
	sa_fen f;
	if (!s || !*s)
		return -1;
	if (!strchr(s, '.')) {
		char *end;
		long long x = strtoll(s, &end, 10);
		if (*end)
			return -1;
		*v = x;
		return 0;
	}
	if (sa_money_parse(&f, s) < 0)
		return -1;
	*v = f;
	*money = 1;
	return 0;
}

void sa__vary_free(sa__vary_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sa_decision_free(rows[i].d);
	free(rows);
}

int sa__whatif_vary_rows(sa__vary_row **out, size_t *nout, sa_engine *engine, const sa_household *hh,
                         sa_date as_of, const char *const *sets, size_t nsets, const char *path, const char *from,
                         const char *to, const char *step)
{
	int64_t a, b, s;
	int money = 0;
	size_t n, i;
	sa__vary_row *rows;
	sa_household *base;
	char resolved[600];
	int rc;
	*out = NULL;
	*nout = 0;
	if (!engine || !hh || !path)
		return sa__error(SA_EINVALID, "sa_whatif_vary: NULL argument");
	if (parse_num(&a, &money, from) < 0 || parse_num(&b, &money, to) < 0 || parse_num(&s, &money, step) < 0)
		return sa__error(SA_EINVALID, "--vary %s=%s:%s:%s: FROM, TO and STEP must be numbers (yuan with at most "
		                 "two decimals, or integers)", path, from ? from : "", to ? to : "", step ? step : "");
	if (money) { /* all three in fen when any has decimals */
		sa_fen f;
		if (!strchr(from, '.'))
			sa_money_parse(&f, from), a = f;
		if (!strchr(to, '.'))
			sa_money_parse(&f, to), b = f;
		if (!strchr(step, '.'))
			sa_money_parse(&f, step), s = f;
	}
	if (s <= 0 || b < a)
		return sa__error(SA_EINVALID, "--vary %s: STEP must be positive and FROM at most TO", path);
	if ((uint64_t)(b - a) / (uint64_t)s + 1 > SA_VARY_MAX_ROWS)
		return sa__error(SA_EINVALID, "--vary %s: more than %d values", path, SA_VARY_MAX_ROWS);
	n = (size_t)((b - a) / s) + 1;
	if ((rc = sa__whatif_apply(&base, hh, sets, nsets)) < 0)
		return rc;
	if ((rc = resolve_path(resolved, sizeof resolved, base, path)) < 0) {
		sa_household_free(base);
		return rc;
	}
	if (!(rows = calloc(n, sizeof *rows))) {
		sa_household_free(base);
		return sa__error_oom();
	}
	for (i = 0; i < n; i++) {
		int64_t v = a + (int64_t)i * s;
		if (money)
			sa_money_format(rows[i].value, sizeof rows[i].value, v);
		else
			snprintf(rows[i].value, sizeof rows[i].value, "%lld", (long long)v);
		rows[i].num = v;
		if ((rc = sa_household_set(base, resolved, rows[i].value)) < 0 ||
		    (rc = sa_evaluate(&rows[i].d, engine, base, as_of)) < 0) {
			sa__error(rc, "--vary %s=%s: %s", path, rows[i].value, sa_error_last()->message);
			sa__vary_free(rows, i);
			sa_household_free(base);
			return rc;
		}
	}
	sa_household_free(base);
	*out = rows;
	*nout = n;
	return SA_OK;
}

/* The tier programs (names without a dot, and not the one-off temporary assistance). */
static int tier_program(const char *name)
{
	return !strchr(name, '.') && strcmp(name, "temporary") != 0;
}

static const char *status_zh(sa_status s)
{
	return s == SA_ELIGIBLE ? "符合" : s == SA_INELIGIBLE ? "不符合" : "待定";
}

int sa_whatif_vary(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const char *const *sets,
                   size_t nsets, const char *path, const char *from, const char *to, const char *step,
                   sa_whatif_format format)
{
	sa__vary_row *rows;
	size_t n;
	sa_buf o = { 0 };
	char money[32];
	int rc;
	*out = NULL;
	if ((rc = sa__whatif_vary_rows(&rows, &n, engine, hh, as_of, sets, nsets, path, from, to, step)) < 0)
		return rc;
	if (format == SA_WHATIF_JSON) {
		sa__buf_str(&o, "{\"path\":");
		sa__buf_json_str(&o, path);
		sa__buf_str(&o, ",\"rows\":[");
		for (size_t i = 0; i < n; i++) {
			const sa_decision *d = rows[i].d;
			int first = 1;
			sa__buf_fmt(&o, "%s{\"value\":", i ? "," : "");
			sa__buf_json_str(&o, rows[i].value);
			sa__buf_str(&o, ",\"tier\":");
			sa__buf_json_str(&o, sa_decision_tier(d));
			sa__buf_str(&o, ",\"programs\":{");
			for (size_t k = 0; k < sa_decision_program_count(d); k++) {
				sa_fen f;
				const char *name = sa_decision_program_name(d, k);
				if (!tier_program(name))
					continue;
				sa__buf_fmt(&o, "%s", first ? "" : ",");
				first = 0;
				sa__buf_json_str(&o, name);
				sa__buf_fmt(&o, ":{\"status\":\"%s\",\"amount\":", sa_status_name(d->programs[k].status));
				if (sa_decision_program_amount(&f, d, k) == 0) {
					sa_money_format(money, sizeof money, f);
					sa__buf_json_str(&o, money);
				} else
					sa__buf_str(&o, "null");
				sa__buf_str(&o, "}");
			}
			sa__buf_str(&o, "}}");
		}
		sa__buf_str(&o, "]}\n");
	} else {
		const sa_decision *d0 = rows[0].d;
		int w = strlen(path) > 14 ? (int)strlen(path) : 14;
		sa__buf_fmt(&o, "%-*s %-6s", w, path, "tier");
		for (size_t k = 0; k < sa_decision_program_count(d0); k++)
			if (tier_program(sa_decision_program_name(d0, k)))
				sa__buf_fmt(&o, " %-18s", sa_decision_program_name(d0, k));
		sa__buf_str(&o, "\n");
		for (size_t i = 0; i < n; i++) {
			const sa_decision *d = rows[i].d;
			sa__buf_fmt(&o, "%-*s %-6s", w, rows[i].value, sa_decision_tier(d));
			for (size_t k = 0; k < sa_decision_program_count(d); k++) {
				sa_fen f;
				char cell[64];
				if (!tier_program(sa_decision_program_name(d, k)))
					continue;
				if (sa_decision_program_amount(&f, d, k) == 0) {
					sa_money_format(money, sizeof money, f);
					snprintf(cell, sizeof cell, "%s %s", status_zh(d->programs[k].status), money);
				} else
					snprintf(cell, sizeof cell, "%s", status_zh(d->programs[k].status));
				/* pad by display columns: each CJK character is 3 bytes and 2 columns wide */
				{
					size_t bytes = strlen(cell), cjk = 0;
					for (size_t c = 0; c < bytes; c++)
						if (((unsigned char)cell[c] & 0xC0) == 0xC0)
							cjk++;
					sa__buf_fmt(&o, " %s%*s", cell, (int)(18 > bytes - cjk ? 18 - (bytes - cjk) : 0), "");
				}
			}
			sa__buf_str(&o, "\n");
		}
	}
	sa__vary_free(rows, n);
	if (o.oom) {
		free(o.s);
		return sa__error_oom();
	}
	*out = o.s;
	return SA_OK;
}
