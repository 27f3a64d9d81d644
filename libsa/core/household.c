/* household.c - the household schema (docs/household.md): validation and typed leaves.
 *
 * One table drives everything: reading YAML/JSON, sa_household_set, the defaults, and the
 * shape the rules see in Lua. Raw input is kept as text; validation builds a typed copy. */
#include "core/internal.h"
#include "core/household_internal.h"
#include "core/decision_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits that make every sum a rule can form over a household far smaller than 2^63 fen
 * (issue 12 #1): at most 100 members (and supporters, vehicles, ids in a list), and at most
 * 10^9 yuan in one amount (core/limits.h). 100 members x 17 amounts x 10^11 fen x 12 months is
 * about 2 x 10^15. */

typedef enum { K_TEXT, K_REGION, K_ENUM, K_MONEY, K_DATE, K_INT, K_BOOL, K_OBJ, K_LIST, K_ENUMSET, K_IDSET } kind;

typedef struct schema schema;
typedef struct {
	const char *name;
	kind k;
	const char *const *enums; /* K_ENUM, K_ENUMSET */
	const schema *sub;        /* K_OBJ, K_LIST */
	bool required;
	int64_t max;              /* K_INT upper bound */
} field;

struct schema {
	const char *name;
	const field *fields;
	bool zero_fill; /* absent money/int -> 0, bool -> false, list -> empty */
};

#define END { NULL, K_TEXT, NULL, NULL, false, 0 }

static const char *const areas[] = { "urban", "rural", NULL };
static const char *const programs[] = { "tekun", "dibao", "edge", "rigid", "orphan", "de_facto_orphan", "monitored", NULL };
static const char *const tiers[] = { "A", "B", "C", NULL };
static const char *const relations[] = { "head", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other", NULL };
static const char *const exclusions[] = { "none", "prison", "drug_rehabilitation", "missing", "religious_away", NULL };
static const char *const edu_levels[] = { "none", "preschool", "primary", "junior", "senior", "vocational",
	                                  "higher_vocational", "bachelor", "master", "doctor", NULL };
static const char *const disab_types[] = { "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple", NULL };
static const char *const support_modes[] = { "institutional", "home", NULL };
static const char *const orphan_statuses[] = { "orphan", "de_facto", NULL }; /* 国办发〔2010〕54号; 民发〔2019〕62号 */
static const char *const employments[] = { "employed", "self_employed", "unemployed", "retired", "none", NULL };
static const char *const vehicle_kinds[] = { "car", "truck", "motorcycle", "e_bike", "disability_vehicle", NULL };

static const field attested_f[] = {
	{ "assets_within_dibao_limits", K_BOOL, 0, 0, 0, 0 },
	{ "assets_within_tekun_limits", K_BOOL, 0, 0, 0, 0 },
	{ "assets_within_edge_limits", K_BOOL, 0, 0, 0, 0 },
	{ "assets_within_rigid_limits", K_BOOL, 0, 0, 0, 0 },
	END
};
static const schema attested_s = { "attested", attested_f, false };

static const field education_f[] = {
	{ "level", K_ENUM, edu_levels, 0, true, 0 },
	{ "full_time", K_BOOL, 0, 0, 0, 0 },
	END
};
static const schema education_s = { "education", education_f, true };

static const field disability_f[] = {
	{ "type", K_ENUM, disab_types, 0, true, 0 },
	{ "grade", K_INT, 0, 0, true, 4 },
	END
};
static const schema disability_s = { "disability", disability_f, false };

static const field self_care_f[] = {
	{ "eating", K_BOOL, 0, 0, true, 0 },
	{ "dressing", K_BOOL, 0, 0, true, 0 },
	{ "bed_transfer", K_BOOL, 0, 0, true, 0 },
	{ "toileting", K_BOOL, 0, 0, true, 0 },
	{ "indoor_walking", K_BOOL, 0, 0, true, 0 },
	{ "bathing", K_BOOL, 0, 0, true, 0 },
	END
};
static const schema self_care_s = { "self_care", self_care_f, false };

static const field income_f[] = {
	{ "wages", K_MONEY, 0, 0, 0, 0 },
	{ "business", K_MONEY, 0, 0, 0, 0 },
	{ "property", K_MONEY, 0, 0, 0, 0 },
	{ "transfers", K_MONEY, 0, 0, 0, 0 },
	{ "pension", K_MONEY, 0, 0, 0, 0 },
	{ "basic_pension_central", K_MONEY, 0, 0, 0, 0 },
	{ "special_care", K_MONEY, 0, 0, 0, 0 },
	{ "scholarship", K_MONEY, 0, 0, 0, 0 },
	{ "family_planning", K_MONEY, 0, 0, 0, 0 },
	{ "bravery_award", K_MONEY, 0, 0, 0, 0 },
	{ "assistance", K_MONEY, 0, 0, 0, 0 },
	{ "old_age_allowance", K_MONEY, 0, 0, 0, 0 },
	{ "maintenance_received", K_MONEY, 0, 0, 0, 0 },
	{ "maintenance_paid", K_MONEY, 0, 0, 0, 0 },
	{ "taxes_and_contributions", K_MONEY, 0, 0, 0, 0 },
	END
};
static const schema income_s = { "income", income_f, true };

static const field member_f[] = {
	{ "id", K_TEXT, 0, 0, true, 0 },
	{ "relation", K_ENUM, relations, 0, true, 0 },
	{ "birth", K_DATE, 0, 0, true, 0 },
	{ "lives_with_household", K_BOOL, 0, 0, 0, 0 },
	{ "excluded", K_ENUM, exclusions, 0, 0, 0 },
	{ "away_since", K_DATE, 0, 0, 0, 0 },
	{ "education", K_OBJ, 0, &education_s, 0, 0 },
	{ "disability", K_OBJ, 0, &disability_s, 0, 0 },
	{ "serious_illness", K_BOOL, 0, 0, 0, 0 },
	{ "self_care", K_OBJ, 0, &self_care_s, 0, 0 },
	{ "support_mode", K_ENUM, support_modes, 0, 0, 0 },
	{ "employment", K_ENUM, employments, 0, 0, 0 },
	{ "able_to_work", K_BOOL, 0, 0, 0, 0 },
	{ "orphan_track", K_BOOL, 0, 0, 0, 0 },
	{ "orphan_status", K_ENUM, orphan_statuses, 0, 0, 0 }, /* verified by the county */
	{ "income", K_OBJ, 0, &income_s, 0, 0 },
	{ "employment_costs", K_MONEY, 0, 0, 0, 0 },
	END
};
static const schema member_s = { "member", member_f, false };

static const field vehicle_f[] = {
	{ "kind", K_ENUM, vehicle_kinds, 0, true, 0 },
	{ "value", K_MONEY, 0, 0, 0, 0 },
	END
};
static const schema vehicle_s = { "vehicle", vehicle_f, false };

static const field assets_f[] = {
	{ "deposits", K_MONEY, 0, 0, 0, 0 },
	{ "securities", K_MONEY, 0, 0, 0, 0 },
	{ "insurance", K_MONEY, 0, 0, 0, 0 },
	{ "vehicles", K_LIST, 0, &vehicle_s, 0, 0 },
	{ "housing_units", K_INT, 0, 0, 0, 1000 },
	{ "non_residential_units", K_INT, 0, 0, 0, 1000 },
	{ "business_registration", K_BOOL, 0, 0, 0, 0 },
	END
};
static const schema assets_s = { "assets", assets_f, true };

static const field rigid_f[] = {
	{ "medical", K_MONEY, 0, 0, 0, 0 },
	{ "education", K_MONEY, 0, 0, 0, 0 },
	{ "rehabilitation", K_MONEY, 0, 0, 0, 0 },
	{ "other", K_MONEY, 0, 0, 0, 0 },
	END
};
static const schema rigid_s = { "rigid_spending", rigid_f, true };

static const field supporter_f[] = {
	{ "relation", K_ENUM, relations, 0, true, 0 },
	{ "birth", K_DATE, 0, 0, 0, 0 },
	{ "tekun", K_BOOL, 0, 0, 0, 0 },
	{ "dibao", K_BOOL, 0, 0, 0, 0 },
	{ "income", K_MONEY, 0, 0, 0, 0 },        /* yuan per month */
	{ "income_annual", K_MONEY, 0, 0, 0, 0 }, /* yuan per year (特困 Art. 8 compares by year) */
	{ "supports", K_IDSET, 0, 0, 0, 0 },      /* member ids he owes support to */
	{ "assets_within_low_income_limits", K_BOOL, 0, 0, 0, 0 },
	{ "disability", K_OBJ, 0, &disability_s, 0, 0 },
	{ "no_civil_capacity", K_BOOL, 0, 0, 0, 0 },
	{ "missing", K_BOOL, 0, 0, 0, 0 },
	{ "in_prison", K_BOOL, 0, 0, 0, 0 },
	END
};
static const schema supporter_s = { "supporter", supporter_f, false };

/* 临时救助 hardship (docs/household.md "Hardship"; rules/temporary.lua). */
static const char *const hardship_kinds[] = { "urgent", "expense", NULL };
static const char *const hardship_causes[] = { "fire", "traffic", "accident", "illness", "disaster", "death",
	                                       "medical", "education", "other", NULL };
static const char *const hardship_severities[] = { "mild", "serious", NULL };
static const field hardship_f[] = {
	{ "kind", K_ENUM, hardship_kinds, 0, true, 0 },
	{ "cause", K_ENUM, hardship_causes, 0, 0, 0 },
	{ "severity", K_ENUM, hardship_severities, 0, 0, 0 },
	{ "months", K_INT, 0, 0, 0, 120 },
	{ "persons", K_INT, 0, 0, 0, 100 },
	{ "spending", K_MONEY, 0, 0, 0, 0 },
	{ "date", K_DATE, 0, 0, 0, 0 },
	END
};
static const schema hardship_s = { "hardship", hardship_f, false };

static const field household_f[] = {
	{ "id", K_TEXT, 0, 0, true, 0 },
	{ "region", K_REGION, 0, 0, true, 0 },
	{ "area", K_ENUM, areas, 0, true, 0 },
	{ "enrolments", K_ENUMSET, programs, 0, 0, 0 },
	{ "dibao_tier", K_ENUM, tiers, 0, 0, 0 },
	{ "attested", K_OBJ, 0, &attested_s, 0, 0 },
	{ "members", K_LIST, 0, &member_s, true, 0 },
	{ "assets", K_OBJ, 0, &assets_s, 0, 0 },
	{ "rigid_spending", K_OBJ, 0, &rigid_s, 0, 0 },
	{ "supporters", K_LIST, 0, &supporter_s, 0, 0 },
	{ "hardship", K_OBJ, 0, &hardship_s, 0, 0 },
	END
};
static const schema household_s = { "household", household_f, false };

/* ---- validation ---- */

typedef struct {
	const char *source;
	char path[256];
	/* Building through sa_household_set / _add_member: a required field that is absent (a
	 * self_care block set one activity at a time, no member yet) is let go and noted in
	 * `incomplete`; sa_evaluate then checks the whole household strictly. */
	bool lenient;
	bool incomplete;
	/* sa_household_check: the innermost map or list entry being checked when a check failed
	 * (removed before the next round), and the map keys removed so far (their absence is not
	 * reported again as "is required"). */
	sa_value *at_container;
	size_t at_index;
	sa_value **rm_maps;
	char **rm_keys;
	size_t nrm;
} vctx;

static bool removed(const vctx *c, const sa_value *map, const char *key)
{
	for (size_t i = 0; i < c->nrm; i++)
		if (c->rm_maps[i] == map && strcmp(c->rm_keys[i], key) == 0)
			return true;
	return false;
}

static int fail(const vctx *c, const sa_value *at, const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	return sa__error_at(SA_EINVALID, c->source, at ? at->line : 0, at ? at->column : 0, "field '%s': %s",
	                    c->path, msg);
}

static size_t path_push(vctx *c, const char *seg, long index)
{
	size_t len = strlen(c->path);
	if (index >= 0)
		snprintf(c->path + len, sizeof c->path - len, "[%ld]", index);
	else if (seg)
		snprintf(c->path + len, sizeof c->path - len, "%s%s", len ? "." : "", seg);
	return len;
}

static int enum_index(const char *const *enums, const char *s)
{
	for (int i = 0; enums[i]; i++)
		if (strcmp(enums[i], s) == 0)
			return i;
	return -1;
}

static void enum_list(char *buf, size_t size, const char *const *enums)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; enums[i] && len + 2 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", enums[i]);
}

static int check_obj(vctx *c, const sa_value *in, const schema *s, sa_value **out);

static sa_value *leaf(sa_vtype t, const sa_value *in, int64_t num)
{
	sa_value *v = sa__value_new(t);
	if (!v)
		return NULL;
	v->num = num;
	v->line = in ? in->line : 0;
	v->column = in ? in->column : 0;
	if (in && in->str && !(v->str = strdup(in->str))) {
		free(v);
		return NULL;
	}
	return v;
}

static int check_field(vctx *c, const field *f, const sa_value *in, sa_value **out)
{
	char list[256];
	*out = NULL;
	if (f->k == K_OBJ) {
		if (in->type != SA_V_MAP)
			return fail(c, in, "expected a map, found %s%s", sa__vtype_name(in->type), NULL);
		return check_obj(c, in, f->sub, out);
	}
	if (f->k == K_LIST || f->k == K_ENUMSET || f->k == K_IDSET) {
		sa_value *res;
		if (in->type != SA_V_LIST)
			return fail(c, in, "expected a list, found %s%s", sa__vtype_name(in->type), NULL);
		if (in->n > SA_HOUSEHOLD_LIST_MAX) { /* before any item is checked: linear, and bounded sums */
			snprintf(list, sizeof list, "%d", SA_HOUSEHOLD_LIST_MAX);
			return fail(c, in, "more than %s items: the limit for a household list (docs/household.md)%s", list,
			            NULL);
		}
		if (!(res = sa__value_new(f->k == K_LIST ? SA_V_LIST : SA_V_MAP)))
			return sa__error_oom();
		res->line = in->line;
		res->column = in->column;
		for (size_t i = 0; i < in->n; i++) {
			size_t mark = path_push(c, NULL, (long)i);
			sa_value *item = NULL;
			int rc;
			c->at_container = (sa_value *)in;
			c->at_index = i;
			if (f->k == K_LIST) {
				if (in->items[i]->type != SA_V_MAP)
					rc = fail(c, in->items[i], "expected a map, found %s%s", sa__vtype_name(in->items[i]->type), NULL);
				else if ((rc = check_obj(c, in->items[i], f->sub, &item)) == 0)
					rc = sa__value_push(res, item);
			} else if (f->k == K_IDSET) {
				if (in->items[i]->type != SA_V_STR || !in->items[i]->str[0])
					rc = fail(c, in->items[i], "expected a member id%s%s", NULL, NULL);
				else if (!(item = leaf(SA_V_BOOL, in->items[i], 1)))
					rc = sa__error_oom();
				else
					rc = sa__value_put(res, in->items[i]->str, item);
			} else if (in->items[i]->type != SA_V_STR || enum_index(f->enums, in->items[i]->str) < 0) {
				enum_list(list, sizeof list, f->enums);
				rc = fail(c, in->items[i], "expected one of: %s%s", list, NULL);
			} else if (!(item = leaf(SA_V_BOOL, in->items[i], 1))) {
				rc = sa__error_oom();
			} else {
				rc = sa__value_put(res, in->items[i]->str, item);
			}
			c->path[mark] = 0;
			if (rc < 0) {
				sa__value_free(res);
				return rc;
			}
		}
		*out = res;
		return SA_OK;
	}
	if (in->type == SA_V_MAP || in->type == SA_V_LIST || in->type == SA_V_NULL)
		return fail(c, in, "expected a single value, found %s%s", sa__vtype_name(in->type), NULL);

	switch (f->k) {
	case K_TEXT:
		if (!in->str[0] || strlen(in->str) > 200)
			return fail(c, in, "expected text of 1 to 200 bytes%s%s", NULL, NULL);
		*out = leaf(SA_V_STR, in, 0);
		break;
	case K_REGION: {
		size_t n = strlen(in->str);
		if (n != 6 || strspn(in->str, "0123456789") != 6)
			return fail(c, in, "'%s' is not a six-digit GB/T 2260 code%s", in->str, NULL);
		*out = leaf(SA_V_STR, in, 0);
		break;
	}
	case K_ENUM:
		if (enum_index(f->enums, in->str) < 0) {
			enum_list(list, sizeof list, f->enums);
			return fail(c, in, "'%s' is not one of: %s", in->str, list);
		}
		*out = leaf(SA_V_STR, in, 0);
		break;
	case K_MONEY: {
		sa_fen fen;
		if (sa_money_parse(&fen, in->str) < 0)
			return fail(c, in, "'%s' is not yuan with at most two decimals%s", in->str, NULL);
		if (fen < 0)
			return fail(c, in, "'%s' is negative%s", in->str, NULL);
		if (fen > SA_HOUSEHOLD_FEN_MAX)
			return fail(c, in, "'%s' is above the limit of 1000000000.00 yuan for one amount%s", in->str, NULL);
		*out = leaf(SA_V_MONEY, in, fen);
		break;
	}
	case K_DATE: {
		sa_date d;
		if (sa_date_parse(&d, in->str) < 0)
			return fail(c, in, "'%s' is not a real date YYYY-MM-DD%s", in->str, NULL);
		*out = leaf(SA_V_DATE, in, d);
		break;
	}
	case K_INT: {
		int64_t x;
		if (in->quoted || sa__scalar_int(in, &x) < 0 || x < 0 || (f->max && x > f->max)) {
			snprintf(list, sizeof list, "%lld", (long long)f->max);
			return fail(c, in, "'%s' is not a whole number from 0 to %s", in->str, list);
		}
		if (f->max == 4 && x < 1) /* disability grades run 1..4 */
			return fail(c, in, "'%s' is not a grade from 1 to 4%s", in->str, NULL);
		*out = leaf(SA_V_INT, in, x);
		break;
	}
	case K_BOOL: {
		bool b;
		if (sa__scalar_bool(in, &b) < 0)
			return fail(c, in, "'%s' is not true or false%s", in->str, NULL);
		*out = leaf(SA_V_BOOL, in, b);
		break;
	}
	default:
		return sa__error(SA_ERROR, "schema kind %d", (int)f->k);
	}
	return *out ? SA_OK : sa__error_oom();
}

static int zero_leaf(const field *f, sa_value **out)
{
	sa_vtype t;
	switch (f->k) {
	case K_MONEY: t = SA_V_MONEY; break;
	case K_INT: t = SA_V_INT; break;
	case K_BOOL: t = SA_V_BOOL; break;
	case K_LIST: t = SA_V_LIST; break;
	default: *out = NULL; return SA_OK;
	}
	if (!(*out = sa__value_new(t)))
		return sa__error_oom();
	if (t == SA_V_MONEY || t == SA_V_INT || t == SA_V_BOOL)
		if (!((*out)->str = strdup(t == SA_V_BOOL ? "false" : "0"))) {
			sa__value_free(*out);
			*out = NULL;
			return sa__error_oom();
		}
	return SA_OK;
}

/* Defaults that are not "unknown": see docs/household.md. */
static int add_default(const schema *s, const field *f, sa_value *res)
{
	sa_value *v = NULL;
	if (s == &member_s && strcmp(f->name, "lives_with_household") == 0) {
		if ((v = sa__value_str("true")))
			v->type = SA_V_BOOL, v->num = 1;
	} else if (s == &member_s && strcmp(f->name, "excluded") == 0) {
		v = sa__value_str("none");
	} else if (s == &household_s && strcmp(f->name, "enrolments") == 0) {
		v = sa__value_new(SA_V_MAP);
	} else if (s == &household_s && strcmp(f->name, "supporters") == 0) {
		v = sa__value_new(SA_V_LIST);
	} else if (s->zero_fill) {
		int rc = zero_leaf(f, &v);
		if (rc < 0)
			return rc;
		if (!v)
			return SA_OK;
	} else {
		return SA_OK;
	}
	if (!v)
		return sa__error_oom();
	return sa__value_put(res, f->name, v);
}

/* A supporter's `supports` must name members of this household, and his income is given per
 * month or per year, not both (docs/household.md). */
static int check_supporters(vctx *c, const sa_value *in, const sa_value *res)
{
	const sa_value *sup = sa__value_get(res, "supporters"), *members = sa__value_get(res, "members");
	const sa_value *raw = sa__value_get(in, "supporters");
	if (c->lenient) /* building through the API: members may come later; checked when complete */
		return SA_OK;
	for (size_t i = 0; sup && i < sup->n; i++) {
		const sa_value *s = sup->items[i], *ids = sa__value_get(s, "supports");
		const sa_value *rs = raw && raw->type == SA_V_LIST && i < raw->n ? raw->items[i] : s;
		if (sa__value_get(s, "income") && sa__value_get(s, "income_annual")) {
			snprintf(c->path, sizeof c->path, "supporters[%zu].income_annual", i);
			return fail(c, sa__value_get(rs, "income_annual") ? sa__value_get(rs, "income_annual") : rs,
			            "give income (per month) or income_annual (per year), not both%s%s", NULL, NULL);
		}
		for (size_t k = 0; ids && k < ids->n; k++) {
			bool found = false;
			for (size_t m = 0; members && m < members->n && !found; m++) {
				const sa_value *id = sa__value_get(members->items[m], "id");
				found = id && strcmp(id->str, ids->keys[k]) == 0;
			}
			if (!found) {
				const sa_value *rids = sa__value_get(rs, "supports");
				snprintf(c->path, sizeof c->path, "supporters[%zu].supports", i);
				return fail(c, rids && rids->type == SA_V_LIST && k < rids->n ? rids->items[k] : rs,
				            "'%s' names no member of this household%s", ids->keys[k], NULL);
			}
		}
	}
	return SA_OK;
}

static int check_obj(vctx *c, const sa_value *in, const schema *s, sa_value **out)
{
	sa_value *res = sa__value_new(SA_V_MAP);
	int rc = SA_OK;

	if (!res)
		return sa__error_oom();
	res->line = in->line;
	res->column = in->column;
	for (size_t i = 0; i < in->n && rc == 0; i++) {
		const field *f = s->fields;
		size_t mark = path_push(c, in->keys[i], -1);
		c->at_container = (sa_value *)in;
		c->at_index = i;
		while (f->name && strcmp(f->name, in->keys[i]) != 0)
			f++;
		if (!f->name) {
			rc = fail(c, in->items[i], "unknown field in %s%s", s->name, NULL);
		} else if (in->items[i]->type == SA_V_NULL) {
			if (f->required)
				rc = fail(c, in->items[i], "is required%s%s", NULL, NULL);
			/* explicit null: the fact is unknown, as if absent */
		} else {
			sa_value *v;
			if ((rc = check_field(c, f, in->items[i], &v)) == 0)
				rc = sa__value_put(res, f->name, v);
		}
		c->path[mark] = 0;
	}
	if (rc == 0)
		c->at_container = NULL;
	for (const field *f = s->fields; f->name && rc == 0; f++) {
		if (sa__value_get(res, f->name) || removed(c, in, f->name))
			continue;
		if (f->required && c->lenient) {
			c->incomplete = true;
		} else if (f->required) {
			size_t mark = path_push(c, f->name, -1);
			rc = fail(c, in, "is required%s%s", NULL, NULL);
			c->path[mark] = 0;
		} else {
			rc = add_default(s, f, res);
		}
	}
	if (rc == 0 && s == &household_s) {
		sa_value *members = sa__value_get(res, "members");
		size_t nm = members ? members->n : 0;
		if (nm == 0 && c->lenient) {
			c->incomplete = true;
		} else if (nm == 0) {
			size_t mark = path_push(c, "members", -1);
			rc = fail(c, sa__value_get(in, "members"), "a household has at least one member%s%s", NULL, NULL);
			c->path[mark] = 0;
		}
		for (size_t i = 0; i < nm && rc == 0; i++)
			for (size_t j = 0; j < i && rc == 0; j++)
				if (sa__value_get(members->items[i], "id") && sa__value_get(members->items[j], "id") &&
				    strcmp(sa__value_get(members->items[i], "id")->str,
				           sa__value_get(members->items[j], "id")->str) == 0) {
					snprintf(c->path, sizeof c->path, "members[%zu].id", i);
					rc = fail(c, sa__value_get(members->items[i], "id"), "duplicate member id '%s'%s",
					          sa__value_get(members->items[i], "id")->str, NULL);
				}
	}
	if (rc == 0 && s == &household_s)
		rc = check_supporters(c, in, res);
	if (rc < 0) {
		sa__value_free(res);
		return rc;
	}
	*out = res;
	return SA_OK;
}

int sa__household_validate(sa_value **out, const sa_value *raw, const char *source)
{
	vctx c = { .source = source };
	if (raw->type != SA_V_MAP)
		return sa__error_at(SA_EINVALID, source, raw->line, raw->column, "a household is a map");
	return check_obj(&c, raw, &household_s, out);
}

/* ---- the public object ---- */

int sa__household_from_value(sa_household **out, sa_value *raw, const char *source)
{
	sa_household *hh = calloc(1, sizeof *hh);
	int rc;
	if (!hh) {
		sa__value_free(raw);
		return sa__error_oom();
	}
	hh->raw = raw;
	if (source && !(hh->source = strdup(source))) {
		sa_household_free(hh);
		return sa__error_oom();
	}
	if ((rc = sa__household_validate(&hh->typed, raw, source)) < 0) {
		sa_household_free(hh);
		return rc;
	}
	*out = hh;
	return SA_OK;
}

int sa_household_parse(sa_household ***out, size_t *count, const char *text, size_t len, const char *name)
{
	sa_value *doc, *one, *many;
	sa_household **arr;
	size_t n;
	int rc, bare;

	*out = NULL;
	*count = 0;
	if ((rc = sa__yaml_parse(&doc, text, len, name)) < 0)
		return rc;
	one = sa__value_get(doc, "household");
	many = sa__value_get(doc, "households");
	/* A bare household object (a registry line, a database value): a map with id or members
	 * and neither wrapper key. */
	bare = doc->type == SA_V_MAP && !one && !many &&
	       (sa__value_get(doc, "id") || sa__value_get(doc, "members"));
	if (!bare && (doc->type != SA_V_MAP || doc->n != 1 || (!one && !many) || (many && many->type != SA_V_LIST))) {
		rc = sa__error_at(SA_EINVALID, name, doc->line ? doc->line : 1, doc->column ? doc->column : 1,
		                  "expected a household object, or a document with one key, 'household' (a map) or "
		                  "'households' (a list)");
		sa__value_free(doc);
		return rc;
	}
	n = one || bare ? 1 : many->n;
	if (!(arr = calloc(n ? n : 1, sizeof *arr))) {
		sa__value_free(doc);
		return sa__error_oom();
	}
	for (size_t i = 0; i < n; i++) {
		sa_value *raw = bare ? doc : one ? one : many->items[i];
		/* detach the subtree from doc */
		if (bare)
			doc = NULL;
		else if (one)
			doc->items[0] = NULL;
		else
			many->items[i] = NULL;
		if ((rc = sa__household_from_value(&arr[i], raw, name)) < 0) {
			sa_household_array_free(arr, i);
			sa__value_free(doc);
			return rc;
		}
	}
	sa__value_free(doc);
	*out = arr;
	*count = n;
	return SA_OK;
}

/* One round of sa_household_check (household_check.c): validate raw with the keys in rm set
 * aside; on a schema error, *at and *at_index name the innermost entry holding it (NULL: none). */
int sa__household_check_round(sa_value *raw, const char *source, sa_value **rm_maps, char **rm_keys, size_t nrm,
                              sa_value **at, size_t *at_index)
{
	vctx c = { .source = source, .rm_maps = rm_maps, .rm_keys = rm_keys, .nrm = nrm };
	sa_value *typed = NULL;
	int rc;
	if (raw->type != SA_V_MAP)
		rc = sa__error_at(SA_EINVALID, source, raw->line, raw->column, "a household is a map");
	else
		rc = check_obj(&c, raw, &household_s, &typed);
	sa__value_free(typed);
	*at = c.at_container;
	*at_index = c.at_index;
	return rc;
}

int sa_household_read_file(sa_household ***out, size_t *count, const char *path)
{
	char *text;
	size_t len;
	int rc;
	*out = NULL;
	*count = 0;
	if ((rc = sa__read_file(&text, &len, path)) < 0)
		return rc;
	rc = sa_household_parse(out, count, text, len, path);
	free(text);
	return rc;
}

void sa_household_array_free(sa_household **households, size_t count)
{
	if (!households)
		return;
	for (size_t i = 0; i < count; i++)
		sa_household_free(households[i]);
	free(households);
}

void sa_household_free(sa_household *hh)
{
	if (!hh)
		return;
	sa__value_free(hh->raw);
	sa__value_free(hh->typed);
	free(hh->source);
	free(hh);
}

const char *sa_household_id(const sa_household *hh)
{
	/* typed is NULL until the first member is added: the raw id is the one given to sa_household_new */
	const sa_value *id = hh ? sa__value_get(hh->typed ? hh->typed : hh->raw, "id") : NULL;
	return id ? id->str : NULL;
}

static sa_value *plain(const char *text)
{
	sa_value *v = sa__value_str(text);
	return v;
}

int sa_household_new(sa_household **out, const char *id, const char *region, const char *area)
{
	sa_value *raw = sa__value_new(SA_V_MAP);
	*out = NULL;
	if (!raw || !id || !region || !area) {
		sa__value_free(raw);
		return raw ? sa__error(SA_EINVALID, "sa_household_new: id, region and area are required") : sa__error_oom();
	}
	if (sa__value_put(raw, "id", plain(id)) < 0 || sa__value_put(raw, "region", plain(region)) < 0 ||
	    sa__value_put(raw, "area", plain(area)) < 0 || sa__value_put(raw, "members", sa__value_new(SA_V_LIST)) < 0) {
		sa__value_free(raw);
		return sa__error_oom();
	}
	*out = calloc(1, sizeof **out);
	if (!*out) {
		sa__value_free(raw);
		return sa__error_oom();
	}
	(*out)->raw = raw; /* typed is built when the first member is added */
	return SA_OK;
}

/* Check a changed copy of the raw tree (leniently: see vctx) and keep it, or free it and
 * leave hh unchanged. Without members no typed tree is kept. */
static int adopt(sa_household *hh, sa_value *copy)
{
	vctx c = { .source = hh->source, .lenient = true };
	sa_value *typed = NULL;
	int rc;
	if (copy->type != SA_V_MAP)
		rc = sa__error(SA_EINVALID, "a household is a map");
	else
		rc = check_obj(&c, copy, &household_s, &typed);
	if (rc < 0) {
		sa__value_free(copy);
		return rc;
	}
	if (!sa__value_get(typed, "members") || sa__value_get(typed, "members")->n == 0) {
		sa__value_free(typed);
		typed = NULL;
	}
	sa__value_free(hh->raw);
	sa__value_free(hh->typed);
	hh->raw = copy;
	hh->typed = typed;
	hh->incomplete = c.incomplete;
	return SA_OK;
}

int sa__household_ready(const sa_household *hh)
{
	sa_value *typed;
	int rc;
	if (hh->typed && !hh->incomplete)
		return SA_OK;
	if ((rc = sa__household_validate(&typed, hh->raw, hh->source)) < 0)
		return rc;
	sa__value_free(typed);
	return SA_OK;
}

/* Apply path=value to a copy of the raw tree; keep it only if the whole household validates. */
int sa_household_set(sa_household *hh, const char *path, const char *value)
{
	sa_value *copy, *node, *typed = NULL;
	char seg[128];
	const char *p = path;
	int rc;

	if (!hh || !path || !value)
		return sa__error(SA_EINVALID, "sa_household_set: NULL argument");
	if (!(copy = sa__value_copy(hh->raw)))
		return sa__error_oom();
	node = copy;
	for (;;) {
		size_t n = strcspn(p, ".");
		bool last = p[n] == 0, is_index;
		sa_value *child;
		if (n == 0 || n >= sizeof seg) {
			sa__value_free(copy);
			return sa__error(SA_EINVALID, "bad path '%s'", path);
		}
		memcpy(seg, p, n);
		seg[n] = 0;
		is_index = strspn(seg, "0123456789") == n;
		if (node->type == SA_V_NULL)
			node->type = is_index ? SA_V_LIST : SA_V_MAP;
		if (is_index != (node->type == SA_V_LIST)) {
			sa__value_free(copy);
			return sa__error(SA_EINVALID, "bad path '%s': '%s' %s", path, seg,
			                 is_index ? "indexes a map" : "names a field of a list");
		}
		if (is_index) {
			size_t i = (size_t)strtoul(seg, NULL, 10);
			if (i > node->n) {
				size_t len = node->n;
				sa__value_free(copy);
				return sa__error(SA_EINVALID, "bad path '%s': index %zu past the end (%zu)", path, i, len);
			}
			if (i == node->n) {
				if ((rc = sa__value_push(node, sa__value_new(SA_V_NULL))) < 0 || !node->items[i]) {
					sa__value_free(copy);
					return sa__error_oom();
				}
			}
			child = node->items[i];
		} else {
			child = sa__value_get(node, seg);
			if (!child) {
				if (sa__value_put(node, seg, sa__value_new(SA_V_NULL)) < 0 || !(child = sa__value_get(node, seg))) {
					sa__value_free(copy);
					return sa__error_oom();
				}
			}
		}
		if (last) {
			free(child->str);
			for (size_t i = 0; i < child->n; i++) {
				sa__value_free(child->items[i]);
				if (child->keys)
					free(child->keys[i]);
			}
			child->n = 0;
			if (!(child->str = strdup(value))) {
				sa__value_free(copy);
				return sa__error_oom();
			}
			child->type = SA_V_STR;
			child->quoted = false;
			break;
		}
		node = child;
		p += n + 1;
	}
	(void)typed;
	return adopt(hh, copy);
}

int sa_household_add_member(size_t *index_out, sa_household *hh, const char *id, const char *relation,
                            const char *birth)
{
	size_t i;
	char path[64];
	int rc;
	sa_value *members = hh ? sa__value_get(hh->raw, "members") : NULL;
	if (!members || !id || !relation || !birth)
		return sa__error(SA_EINVALID, "sa_household_add_member: NULL argument");
	i = members->n;
	/* Build the member in one step so validation sees all required fields together. */
	{
		sa_value *m = sa__value_new(SA_V_MAP), *copy;
		sa_value *typed = NULL;
		if (!m || sa__value_put(m, "id", plain(id)) < 0 || sa__value_put(m, "relation", plain(relation)) < 0 ||
		    sa__value_put(m, "birth", plain(birth)) < 0) {
			sa__value_free(m);
			return sa__error_oom();
		}
		if (!(copy = sa__value_copy(hh->raw))) {
			sa__value_free(m);
			return sa__error_oom();
		}
		if (sa__value_get(copy, "members")->type != SA_V_LIST) {
			sa__value_free(m);
			sa__value_free(copy);
			return sa__error(SA_EINVALID, "sa_household_add_member: 'members' is not a list");
		}
		if ((rc = sa__value_push(sa__value_get(copy, "members"), m)) < 0) {
			sa__value_free(copy);
			return rc;
		}
		(void)typed;
		if ((rc = adopt(hh, copy)) < 0)
			return rc;
	}
	(void)path;
	if (index_out)
		*index_out = i;
	return SA_OK;
}
