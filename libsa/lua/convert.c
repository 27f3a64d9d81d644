/* convert.c - values across the boundary: the household into Lua in one pass, and the
 * rules' result table back into a C decision. Reading is raw (no metamethods run) and
 * protected, so a malformed result is an error, never a crash. */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- interned keys ----
 * A household's map keys come from a fixed schema (docs/household.md), about 70 per household.
 * lua_setfield would find or create each as a Lua string again (strlen, hash, intern; and after
 * the previous household's tables died, allocate it anew). Instead each distinct key becomes a
 * Lua string once per state, kept alive in a registry list, and is found again through a small
 * C hash table. Documents passed to named rules (call.c) may carry other keys: the table is
 * bounded, and keys beyond it take the lua_setfield path. */
#define KEY_SLOTS 512 /* open addressing, at most half full */
struct sa_keycache {
	int ref;         /* registry ref of the list of interned key strings */
	int n;           /* keys interned */
	struct {
		uint32_t hash;
		int slot;    /* index in the list; 0 = empty */
		char *s;
	} e[KEY_SLOTS];
};

void sa__lua_keycache_free(sa_lua *s)
{
	if (!s->keys)
		return;
	for (int i = 0; i < KEY_SLOTS; i++)
		free(s->keys->e[i].s);
	free(s->keys);
	s->keys = NULL;
}

/* Push the interned Lua string for key k; 0 if the cache cannot hold it (nothing pushed).
 * Stack: list = index of the registry list of interned keys. */
static int push_key(lua_State *L, struct sa_keycache *kc, int list, const char *k)
{
	uint32_t h = 2166136261u;
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++, len++)
		h = (h ^ *p) * 16777619u;
	for (unsigned i = h & (KEY_SLOTS - 1);; i = (i + 1) & (KEY_SLOTS - 1)) {
		if (!kc->e[i].slot) {
			char *copy;
			if (kc->n >= KEY_SLOTS / 2 || len > 64)
				return 0;
			lua_pushlstring(L, k, len); /* may raise: nothing recorded yet */
			lua_pushvalue(L, -1);
			lua_rawseti(L, list, kc->n + 1);
			if ((copy = malloc(len + 1))) {
				memcpy(copy, k, len + 1);
				kc->e[i].hash = h;
				kc->e[i].slot = ++kc->n;
				kc->e[i].s = copy;
			}
			return 1;
		}
		if (kc->e[i].hash == h && strcmp(kc->e[i].s, k) == 0) {
			lua_rawgeti(L, list, kc->e[i].slot);
			return 1;
		}
	}
}

static void push_value(lua_State *L, struct sa_keycache *kc, int list, const sa_value *v)
{
	switch (v->type) {
	case SA_V_NULL:
		lua_pushnil(L);
		break;
	case SA_V_STR:
		lua_pushstring(L, v->str);
		break;
	case SA_V_BOOL:
		lua_pushboolean(L, (int)v->num);
		break;
	case SA_V_INT:
	case SA_V_MONEY:
	case SA_V_DATE:
		lua_pushinteger(L, v->num);
		break;
	case SA_V_LIST:
		luaL_checkstack(L, 4, "household nesting");
		lua_createtable(L, (int)v->n, 0);
		for (size_t i = 0; i < v->n; i++) {
			push_value(L, kc, list, v->items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case SA_V_MAP:
		luaL_checkstack(L, 4, "household nesting");
		lua_createtable(L, 0, (int)v->n);
		for (size_t i = 0; i < v->n; i++) {
			if (kc && push_key(L, kc, list, v->keys[i])) {
				push_value(L, kc, list, v->items[i]);
				lua_rawset(L, -3); /* a fresh table: no metamethods, same as lua_setfield */
			} else {
				push_value(L, kc, list, v->items[i]);
				lua_setfield(L, -2, v->keys[i]);
			}
		}
		break;
	}
}

/* [-0, +1, m] */
void sa__lua_push_value(lua_State *L, const sa_value *v)
{
	sa_lua *s = sa__lua_self(L);
	struct sa_keycache *kc = s->keys;
	if (!kc && (kc = calloc(1, sizeof *kc))) {
		kc->ref = LUA_NOREF;
		s->keys = kc;
	}
	if (kc && kc->ref == LUA_NOREF) {
		lua_newtable(L);
		kc->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	if (!kc) {
		push_value(L, NULL, 0, v);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, kc->ref);
	push_value(L, kc, lua_gettop(L), v);
	lua_remove(L, -2);
}

/* The rule whose result is being read ("evaluate", "special", "temporary"), for messages. */
#define RULE(L) (sa__lua_self(L)->rule)

static char *xstrdup(lua_State *L, const char *s)
{
	char *d;
	sa__lua_output(L, strlen(s) + 1);
	d = strdup(s);
	if (!d)
		luaL_error(L, "not enough memory");
	return d;
}

/* Raw field as an optional string (NULL if nil); error if another type. */
static const char *opt_str(lua_State *L, int t, const char *k, const char *where)
{
	t = lua_absindex(L, t);
	lua_pushstring(L, k);
	switch (lua_rawget(L, t)) {
	case LUA_TNIL:
		lua_pop(L, 1);
		return NULL;
	case LUA_TSTRING: {
		const char *s = lua_tostring(L, -1);
		lua_pop(L, 1); /* still referenced by the table */
		return s;
	}
	default:
		luaL_error(L, "rules.%s: %s.%s must be text", RULE(L), where, k);
		return NULL;
	}
}

/* A list on top that is a frozen constant of the pack (a read-only proxy, freeze.c) is read
 * through its backing table: replace it on the stack. [-1, +1] */
static void unfreeze(lua_State *L)
{
	if (sa__lua_backing(L, -1))
		lua_replace(L, -2);
}

/* Read a list of strings at t[k] into a fresh array. */
static void read_str_list(lua_State *L, int t, const char *k, const char *where, char ***out, size_t *n)
{
	t = lua_absindex(L, t);
	lua_pushstring(L, k);
	if (lua_rawget(L, t) == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "rules.%s: %s.%s must be a list", RULE(L), where, k);
	unfreeze(L);
	{
		size_t len = lua_rawlen(L, -1);
		if (len > SA_RESULT_MAX_LIST)
			luaL_error(L, "rules.%s: %s.%s has %d items, more than the limit of %d", RULE(L), where, k, (int)len,
			           SA_RESULT_MAX_LIST);
		if (!(*out = calloc(len + 1, sizeof **out)))
			luaL_error(L, "not enough memory");
		for (size_t i = 1; i <= len; i++) {
			if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
				luaL_error(L, "rules.%s: %s.%s[%d] must be text", RULE(L), where, k, (int)i);
			(*out)[(*n)++] = xstrdup(L, lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* d->missing = the union of the programs' missing lists, in first-seen order. Sorted once
 * (O(n log n), n bounded by the output limit), scratch in Lua userdata so an error leaks
 * nothing; a rule returning 100,000 names no longer costs a quadratic scan. */
typedef struct {
	const char *s;
	size_t order;
} missing_ref;

static int missing_cmp(const void *a, const void *b)
{
	const missing_ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void union_missing(lua_State *L, sa_decision *d)
{
	size_t n = 0, k = 0, kept = 0;
	missing_ref *refs;
	unsigned char *keep;
	for (size_t i = 0; i < d->nmissing; i++) /* recomputed when programs are appended */
		free(d->missing[i]);
	free(d->missing);
	d->missing = NULL;
	d->nmissing = 0;
	for (size_t i = 0; i < d->nprograms; i++)
		n += d->programs[i].nmissing;
	if (!n)
		return;
	sa__lua_charge(L, (uint64_t)n);
	refs = lua_newuserdatauv(L, n * sizeof *refs, 0);
	keep = lua_newuserdatauv(L, n, 0);
	for (size_t i = 0; i < d->nprograms; i++)
		for (size_t j = 0; j < d->programs[i].nmissing; j++, k++)
			refs[k] = (missing_ref){ d->programs[i].missing[j], k };
	qsort(refs, n, sizeof *refs, missing_cmp);
	memset(keep, 0, n);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(refs[i - 1].s, refs[i].s) != 0) {
			keep[refs[i].order] = 1;
			kept++;
		}
	if (!(d->missing = calloc(kept, sizeof *d->missing)))
		luaL_error(L, "not enough memory");
	k = 0;
	for (size_t i = 0; i < d->nprograms; i++)
		for (size_t j = 0; j < d->programs[i].nmissing; j++, k++)
			if (keep[k])
				d->missing[d->nmissing++] = xstrdup(L, d->programs[i].missing[j]);
	lua_pop(L, 2);
}

/* Fill a reason text template (docs/lua-api.md "Reasons"): `{name}` is values[name] as text
 * (a string as is, an integer in decimal), `{name:yuan}` is values[name] (fen) as yuan text
 * ("744.00"); an absent value is "?". Anything else, including a `{` that does not open such a
 * placeholder, is copied. Only run when the caller wants text. Returns a fresh string. */
static char *render(lua_State *L, const char *tmpl, int values, const char *id, const sa_lua *s, int leaf)
{
	luaL_Buffer b;
	const char *p = tmpl;
	char *out;
	if (leaf < 0)
		values = lua_absindex(L, values);
	luaL_buffinit(L, &b);
	while (*p) {
		const char *open = strchr(p, '{'), *q, *name_end;
		size_t nlen;
		int yuan = 0;
		if (!open) {
			luaL_addstring(&b, p);
			break;
		}
		luaL_addlstring(&b, p, (size_t)(open - p));
		for (q = open + 1; (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'; q++)
			;
		name_end = q;
		nlen = (size_t)(name_end - open - 1);
		if (nlen && strncmp(q, ":yuan}", 6) == 0) {
			yuan = 1;
			q += 5;
		}
		if (!nlen || *q != '}' || nlen > SA_TEMPLATE_MAX_NAME) {
			luaL_addchar(&b, '{');
			p = open + 1;
			continue;
		}
		{
			char key[65], num[48];
			const char *txt = NULL;
			size_t tlen = 0;
			int ty;
			lua_Integer iv = 0;
			memcpy(key, open + 1, nlen);
			key[nlen] = 0;
			if (leaf >= 0) { /* an argument of a reason in the C-side buffer (reason.c) */
				const char *at = NULL;
				size_t alen = 0;
				sa__reasons_arg(s, (uint32_t)leaf, key, nlen, &ty, &iv, &at, &alen);
				if (ty == LUA_TNUMBER) {
					if (yuan)
						tlen = sa_money_format(num, sizeof num, iv);
					else
						tlen = (size_t)snprintf(num, sizeof num, LUA_INTEGER_FMT, (LUA_INTEGER)iv);
					txt = num;
				} else if (ty == LUA_TSTRING) {
					if (yuan)
						luaL_error(L, "rules.%s: reason %s: value '%s' is text, not fen", RULE(L), id, key);
					txt = at, tlen = alen;
				} else {
					txt = "?", tlen = 1;
				}
				luaL_addlstring(&b, txt, tlen);
				p = q + 1;
				continue;
			}
			lua_pushstring(L, key);
			switch (lua_rawget(L, values)) {
			case LUA_TNIL:
				txt = "?", tlen = 1;
				break;
			case LUA_TNUMBER:
				if (!lua_isinteger(L, -1))
					luaL_error(L, "rules.%s: reason %s: value '%s' must be an integer", RULE(L), id, key);
				if (yuan)
					tlen = sa_money_format(num, sizeof num, lua_tointeger(L, -1));
				else
					tlen = (size_t)snprintf(num, sizeof num, LUA_INTEGER_FMT, (LUA_INTEGER)lua_tointeger(L, -1));
				txt = num;
				break;
			case LUA_TSTRING:
				if (yuan)
					luaL_error(L, "rules.%s: reason %s: value '%s' is text, not fen", RULE(L), id, key);
				txt = lua_tolstring(L, -1, &tlen); /* still referenced by the values table */
				break;
			default:
				luaL_error(L, "rules.%s: reason %s: value '%s' must be text or an integer", RULE(L), id, key);
			}
			lua_pop(L, 1);
			luaL_addlstring(&b, txt, tlen);
		}
		p = q + 1;
	}
	luaL_pushresult(&b);
	out = xstrdup(L, lua_tostring(L, -1));
	lua_pop(L, 1);
	return out;
}

static void fill_params(lua_State *L, sa_lua *s, sa_reason *r);

static void read_reason_params(lua_State *L, sa_lua *s, int t, sa_reason *r)
{
	size_t n;
	t = lua_absindex(L, t);
	lua_pushliteral(L, "params");
	if (lua_rawget(L, t) == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "rules.%s: reason.params must be a list", RULE(L));
	unfreeze(L);
	n = lua_rawlen(L, -1);
	if (n > SA_RESULT_MAX_PARAMS)
		luaL_error(L, "rules.%s: reason.params is too long", RULE(L));
	/* owned by the reason from the start, so an error half way leaks nothing */
	if (n && !(r->params = calloc(n, sizeof *r->params)))
		luaL_error(L, "not enough memory");
	for (size_t i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
			luaL_error(L, "rules.%s: reason.params[%d] must be text", RULE(L), (int)i);
		r->params[r->nparams].name = xstrdup(L, lua_tostring(L, -1));
		r->nparams++;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	fill_params(L, s, r);
}

/* The value, date, pack and reference in force of each parameter a reason names. */
static void fill_params(lua_State *L, sa_lua *s, sa_reason *r)
{
	for (size_t i = 0; i < r->nparams; i++) {
		sa_rparam *p = &r->params[i];
		const sa_peff *e = sa__policy_param(s->pol, p->name);
		const sa_pentry *v;
		size_t layer = 0;
		char date[16];
		if (!e)
			luaL_error(L, "reason '%s' names an undeclared parameter '%s'", r->id, p->name);
		v = sa__peff_at(s->pol, e, s->as_of, &layer);
		if (!v)
			continue;
		sa_date_format(date, sizeof date, v->from);
		p->value = xstrdup(L, v->text);
		p->from = xstrdup(L, date);
		p->pack = xstrdup(L, s->pol->chain[layer]->id);
		p->ref = xstrdup(L, v->ref ? v->ref : "");
	}
}

/* parts = { basic = fen, care = fen }: named components of the amount, stored in name order. */
static void read_parts(lua_State *L, int t, sa_program *p)
{
	size_t n = 0;
	t = lua_absindex(L, t);
	lua_pushliteral(L, "parts");
	if (lua_rawget(L, t) == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "rules.%s: %s.parts must be a table of amounts", RULE(L), p->name);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		n++;
		lua_pop(L, 1);
	}
	if (n > SA_RESULT_MAX_PARTS)
		luaL_error(L, "rules.%s: %s has too many parts", RULE(L), p->name);
	if (!(p->part_names = calloc(n + 1, sizeof *p->part_names)) ||
	    !(p->part_amounts = calloc(n + 1, sizeof *p->part_amounts)))
		luaL_error(L, "not enough memory");
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		size_t k;
		if (lua_type(L, -2) != LUA_TSTRING || !lua_isinteger(L, -1))
			luaL_error(L, "rules.%s: %s.parts maps names to integer fen", RULE(L), p->name);
		for (k = p->nparts; k > 0 && strcmp(p->part_names[k - 1], lua_tostring(L, -2)) > 0; k--) {
			p->part_names[k] = p->part_names[k - 1];
			p->part_amounts[k] = p->part_amounts[k - 1];
		}
		p->part_names[k] = NULL;
		p->nparts++;
		p->part_names[k] = xstrdup(L, lua_tostring(L, -2));
		if (lua_tointeger(L, -1) > SA_FEN_AMOUNT_MAX || lua_tointeger(L, -1) < -SA_FEN_AMOUNT_MAX)
			luaL_error(L, "rules.evaluate: %s.parts is beyond 10^13 yuan (money overflow?)", p->name);
		p->part_amounts[k] = lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* An integer field of the margin table on top; absent is 0. */
static int64_t margin_int(lua_State *L, int t, const char *k, const char *where)
{
	int64_t v = 0;
	lua_pushstring(L, k);
	switch (lua_rawget(L, t)) {
	case LUA_TNIL:
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, -1)) {
			v = lua_tointeger(L, -1);
			break;
		}
		/* fall through */
	default:
		luaL_error(L, "rules.%s: %s.margin.%s must be an integer", RULE(L), where, k);
	}
	lua_pop(L, 1);
	return v;
}

static bool margin_bool(lua_State *L, int t, const char *k)
{
	bool v;
	lua_pushstring(L, k);
	lua_rawget(L, t);
	v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

/* The fields of one margin table at t into m (m->set, strings owned by m from the start). */
static void read_margin_fields(lua_State *L, int t, sa_margin *m, const char *where)
{
	const char *x;
	m->set = true;
	if (!(x = opt_str(L, t, "test", where)))
		luaL_error(L, "rules.%s: %s.margin has no test", RULE(L), where);
	m->test = xstrdup(L, x);
	m->basis = xstrdup(L, (x = opt_str(L, t, "basis", where)) ? x : "income");
	m->op = xstrdup(L, (x = opt_str(L, t, "op", where)) ? x : "<");
	if ((x = opt_str(L, t, "member", where)))
		m->member = xstrdup(L, x);
	x = opt_str(L, t, "direction", where);
	if (!x || (strcmp(x, "up") != 0 && strcmp(x, "down") != 0))
		luaL_error(L, "rules.%s: %s.margin.direction must be up or down", RULE(L), where);
	m->direction = x[0] == 'u' ? 1 : -1;
	m->value = margin_int(L, t, "value", where);
	m->limit = margin_int(L, t, "limit", where);
	m->amount = margin_int(L, t, "amount", where);
	m->standard = margin_int(L, t, "standard", where);
	m->base = margin_int(L, t, "base", where);
	m->persons = margin_int(L, t, "persons", where);
	m->num = margin_int(L, t, "num", where);
	m->den = margin_int(L, t, "den", where);
	m->passes = margin_bool(L, t, "passes");
	m->other = margin_bool(L, t, "other_conditions");
}

/* margin = { test, basis, value, limit, op, passes, amount, direction, other_conditions, ...,
 * member?, candidates? } (rules/margin.lua and rules/tekun.lua in cn; docs/decision.md).
 * candidates: one margin per person whose own-income test was decided (特困), not nested. */
static void read_margin(lua_State *L, int t, sa_program *p)
{
	sa_margin *m = &p->margin;
	size_t n;
	lua_pushliteral(L, "margin");
	if (lua_rawget(L, t) == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	unfreeze(L);
	if (!lua_istable(L, -1))
		luaL_error(L, "rules.%s: %s.margin must be a table", RULE(L), p->name);
	t = lua_gettop(L);
	read_margin_fields(L, t, m, p->name);
	lua_pushliteral(L, "candidates");
	if (lua_rawget(L, t) != LUA_TNIL) {
		unfreeze(L);
		if (!lua_istable(L, -1))
			luaL_error(L, "rules.%s: %s.margin.candidates must be a list", RULE(L), p->name);
		n = lua_rawlen(L, -1);
		if (n > SA_RESULT_MAX_LIST)
			luaL_error(L, "rules.%s: %s.margin.candidates is too long", RULE(L), p->name);
		/* owned by the margin from the start, so an error half way leaks nothing */
		if (n && !(m->each = calloc(n, sizeof *m->each)))
			luaL_error(L, "not enough memory");
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i);
			unfreeze(L);
			if (!lua_istable(L, -1))
				luaL_error(L, "rules.%s: %s.margin.candidates must be a list", RULE(L), p->name);
			m->neach++;
			read_margin_fields(L, lua_gettop(L), &m->each[i - 1], p->name);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 2);
}

/* A reason written with sa.reason (reason.c): id, text rendered from its template only when
 * text is wanted, reference and parameters as for a record. */
static void read_leaf(lua_State *L, sa_lua *s, sa_reason *r, uint32_t leaf, unsigned flags)
{
	sa_reason_view v;
	sa__reasons_get(s, leaf, &v);
	r->id = xstrdup(L, v.id);
	if (!(flags & SA_EVAL_NO_TEXT)) {
		if (v.zh)
			r->zh = v.render ? render(L, v.zh, 0, v.id, s, (int)leaf) : xstrdup(L, v.zh);
		if (v.en)
			r->en = v.render ? render(L, v.en, 0, v.id, s, (int)leaf) : xstrdup(L, v.en);
	}
	if (v.ref)
		r->ref = xstrdup(L, v.ref);
	if (v.nparams) {
		if (!(r->params = calloc(v.nparams, sizeof *r->params)))
			luaL_error(L, "not enough memory");
		for (size_t i = 0; i < v.nparams; i++) {
			r->params[r->nparams].name = xstrdup(L, sa__reasons_param(s, leaf, i));
			r->nparams++;
		}
		fill_params(L, s, r);
	}
}

static void read_program(lua_State *L, sa_lua *s, int t, sa_program *p, unsigned flags)
{
	const char *status, *name;
	name = opt_str(L, t, "program", "program");
	if (!name)
		luaL_error(L, "rules.%s: a program has no name", RULE(L));
	p->name = xstrdup(L, name);
	status = opt_str(L, t, "status", p->name);
	if (!status)
		luaL_error(L, "rules.%s: program %s has no status", RULE(L), p->name);
	if (strcmp(status, "eligible") == 0)
		p->status = SA_ELIGIBLE;
	else if (strcmp(status, "ineligible") == 0)
		p->status = SA_INELIGIBLE;
	else if (strcmp(status, "undetermined") == 0)
		p->status = SA_UNDETERMINED;
	else
		luaL_error(L, "rules.%s: program %s has status '%s'", RULE(L), p->name, status);
	lua_pushliteral(L, "amount");
	switch (lua_rawget(L, t)) {
	case LUA_TNIL:
		break;
	case LUA_TNUMBER:
		if (!lua_isinteger(L, -1))
			luaL_error(L, "rules.%s: %s.amount must be whole fen, not %s", RULE(L), p->name, lua_tostring(L, -1));
		if (lua_tointeger(L, -1) > SA_FEN_AMOUNT_MAX || lua_tointeger(L, -1) < -SA_FEN_AMOUNT_MAX)
			luaL_error(L, "rules.%s: %s.amount is beyond 10^13 yuan (money overflow?)", RULE(L), p->name);
		p->has_amount = true;
		p->amount = lua_tointeger(L, -1);
		break;
	default:
		luaL_error(L, "rules.%s: %s.amount must be an integer (fen)", RULE(L), p->name);
	}
	lua_pop(L, 1);
	if ((name = opt_str(L, t, "care_level", p->name)))
		p->care_level = xstrdup(L, name);
	if ((name = opt_str(L, t, "period", p->name))) {
		if (strcmp(name, "month") != 0 && strcmp(name, "once") != 0)
			luaL_error(L, "rules.%s: %s.period must be \"month\" or \"once\", not '%s'", RULE(L), p->name, name);
		if (strcmp(name, "once") == 0)
			p->period = xstrdup(L, name);
	}
	read_parts(L, t, p);
	read_str_list(L, t, "members", p->name, &p->members, &p->nmembers);
	lua_pushliteral(L, "care_levels"); /* per member, in members order; false = not assessed */
	if (lua_rawget(L, t) == LUA_TTABLE) {
		if (lua_rawlen(L, -1) != p->nmembers)
			luaL_error(L, "rules.%s: %s.care_levels must have one entry per member", RULE(L), p->name);
		if (!(p->member_care = calloc(p->nmembers + 1, sizeof *p->member_care)))
			luaL_error(L, "not enough memory");
		for (size_t k = 0; k < p->nmembers; k++) {
			int ty = lua_rawgeti(L, -1, (lua_Integer)k + 1);
			if (ty == LUA_TSTRING)
				p->member_care[k] = xstrdup(L, lua_tostring(L, -1));
			else if (!(ty == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
				luaL_error(L, "rules.%s: %s.care_levels[%d] must be text or false", RULE(L), p->name, (int)k + 1);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	read_str_list(L, t, "missing", p->name, &p->missing, &p->nmissing);
	read_margin(L, t, p);
	if (flags & SA_EVAL_NO_REASONS)
		return;
	lua_pushliteral(L, "reasons");
	if (lua_rawget(L, t) == LUA_TNUMBER) { /* one handle: a reason or a group (reason.c) */
		lua_Integer h = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
		size_t n = sa__reasons_count(s, h);
		if (n == (size_t)-1)
			luaL_error(L, "rules.%s: %s.reasons is not a reason of this evaluation (sa.reason)", RULE(L), p->name);
		if (n > SA_RESULT_MAX_REASONS)
			luaL_error(L, "rules.%s: %s has too many reasons", RULE(L), p->name);
		if (!(p->reasons = calloc(n + 1, sizeof *p->reasons)))
			luaL_error(L, "not enough memory");
		for (size_t k = 0; k < n; k++)
			read_leaf(L, s, &p->reasons[p->nreasons++], sa__reasons_leaf(s, h, k), flags);
	} else if (lua_istable(L, -1)) {
		size_t n = lua_rawlen(L, -1), total = 0;
		int rt = lua_gettop(L);
		if (n > SA_RESULT_MAX_REASONS)
			luaL_error(L, "rules.%s: %s has too many reasons", RULE(L), p->name);
		/* a list may mix handles (each possibly a group) with old-style reason records */
		for (size_t i = 1; i <= n; i++) {
			if (lua_rawgeti(L, rt, (lua_Integer)i) == LUA_TNUMBER) {
				size_t c = sa__reasons_count(s, lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0);
				if (c == (size_t)-1)
					luaL_error(L, "rules.%s: %s.reasons[%d] is not a reason of this evaluation (sa.reason)",
					           RULE(L), p->name, (int)i);
				total += c;
			} else {
				total++;
			}
			lua_pop(L, 1);
			if (total > SA_RESULT_MAX_REASONS)
				luaL_error(L, "rules.%s: %s has too many reasons", RULE(L), p->name);
		}
		if (!(p->reasons = calloc(total + 1, sizeof *p->reasons)))
			luaL_error(L, "not enough memory");
		for (size_t i = 1; i <= n; i++) {
			sa_reason *r = &p->reasons[p->nreasons];
			const char *x;
			int ty = lua_rawgeti(L, rt, (lua_Integer)i);
			if (ty == LUA_TNUMBER) {
				lua_Integer h = lua_tointeger(L, -1);
				size_t c = sa__reasons_count(s, h);
				for (size_t k = 0; k < c; k++)
					read_leaf(L, s, &p->reasons[p->nreasons++], sa__reasons_leaf(s, h, k), flags);
				lua_pop(L, 1);
				continue;
			}
			/* the contract before issue 14: a record per reason (kept for one release) */
			if (ty != LUA_TTABLE)
				luaL_error(L, "rules.%s: %s.reasons[%d] must be a reason (sa.reason) or a table", RULE(L), p->name, (int)i);
			p->nreasons++;
			if (!(x = opt_str(L, -1, "id", "reason")))
				luaL_error(L, "rules.%s: %s.reasons[%d] has no id", RULE(L), p->name, (int)i);
			r->id = xstrdup(L, x);
			if (!(flags & SA_EVAL_NO_TEXT)) {
				int rec = lua_gettop(L), vt;
				lua_pushliteral(L, "values");
				vt = lua_rawget(L, rec); /* templates filled from values, else plain text */
				if (vt != LUA_TNIL && vt != LUA_TTABLE)
					luaL_error(L, "rules.%s: reason %s: values must be a table", RULE(L), r->id);
				if ((x = opt_str(L, rec, "zh", r->id)))
					r->zh = vt == LUA_TTABLE ? render(L, x, rec + 1, r->id, s, -1) : xstrdup(L, x);
				if ((x = opt_str(L, rec, "en", r->id)))
					r->en = vt == LUA_TTABLE ? render(L, x, rec + 1, r->id, s, -1) : xstrdup(L, x);
				lua_pop(L, 1);
			}
			if ((x = opt_str(L, -1, "ref", r->id)))
				r->ref = xstrdup(L, x);
			read_reason_params(L, s, lua_gettop(L), r);
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, -1)) {
		luaL_error(L, "rules.%s: %s.reasons must be a list or a reason (sa.reason)", RULE(L), p->name);
	}
	lua_pop(L, 1);
}

/* Protected: stack 1 = result table, 2 = decision (light userdata), 3 = SA_EVAL_* flags. */
int sa__lua_read_result(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	sa_decision *d = lua_touserdata(L, 2);
	unsigned flags = (unsigned)lua_tointeger(L, 3);
	const char *tier;
	if (!lua_istable(L, 1))
		return luaL_error(L, "rules.evaluate must return a table");
	if ((tier = opt_str(L, 1, "tier", "result")))
		d->tier = xstrdup(L, tier);
	lua_pushliteral(L, "circle");
	if (lua_rawget(L, 1) != LUA_TNIL) {
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 3)
			return luaL_error(L, "rules.%s: circle must be 1, 2 or 3", RULE(L));
		d->circle = (int)lua_tointeger(L, -1);
	}
	lua_pop(L, 1);
	lua_settop(L, 2);
	lua_pushliteral(L, "programs");
	if (lua_rawget(L, 1) != LUA_TTABLE)
		return luaL_error(L, "rules.%s: result.programs must be a list", RULE(L));
	{
		size_t n = lua_rawlen(L, 3);
		if (n > SA_RESULT_MAX_PROGRAMS)
			return luaL_error(L, "rules.%s: too many programs", RULE(L));
		if (!(d->programs = calloc(n + 1, sizeof *d->programs)))
			return luaL_error(L, "not enough memory");
		for (size_t i = 1; i <= n; i++) {
			if (lua_rawgeti(L, 3, (lua_Integer)i) != LUA_TTABLE)
				return luaL_error(L, "rules.%s: programs[%d] must be a table", RULE(L), (int)i);
			d->nprograms++;
			read_program(L, s, lua_gettop(L), &d->programs[i - 1], flags);
			lua_pop(L, 1);
		}
	}
	union_missing(L, d);
	return 0;
}

/* Protected: stack 1 = what rules.<name> returned for the programs after the tiers (a program,
 * a list of programs, nil or {}), 2 = decision, 3 = SA_EVAL_* flags. Each program is read by
 * read_program, the decoder of rules.evaluate's programs, and appended. */
int sa__lua_read_programs(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	sa_decision *d = lua_touserdata(L, 2);
	unsigned flags = (unsigned)lua_tointeger(L, 3);
	bool single;
	size_t n;
	sa_program *np;
	lua_settop(L, 3);
	if (lua_isnil(L, 1))
		return 0;
	if (!lua_istable(L, 1))
		return luaL_error(L, "rules.%s must return a program or a list of programs", s->rule);
	lua_pushliteral(L, "program");
	single = lua_rawget(L, 1) != LUA_TNIL;
	lua_pop(L, 1);
	n = single ? 1 : lua_rawlen(L, 1);
	if (n == 0) {
		lua_pushnil(L);
		if (lua_next(L, 1))
			return luaL_error(L, "rules.%s must return a program or a list of programs", s->rule);
		return 0;
	}
	if (n > SA_RESULT_MAX_PROGRAMS)
		return luaL_error(L, "rules.%s: too many programs", s->rule);
	if (!(np = realloc(d->programs, (d->nprograms + n + 1) * sizeof *np)))
		return luaL_error(L, "not enough memory");
	d->programs = np;
	memset(&d->programs[d->nprograms], 0, (n + 1) * sizeof *np);
	for (size_t i = 1; i <= n; i++) {
		if (single)
			lua_pushvalue(L, 1);
		else if (lua_rawgeti(L, 1, (lua_Integer)i) != LUA_TTABLE)
			return luaL_error(L, "rules.%s: programs[%d] must be a table", s->rule, (int)i);
		d->nprograms++;
		read_program(L, s, lua_gettop(L), &d->programs[d->nprograms - 1], flags);
		lua_pop(L, 1);
	}
	union_missing(L, d); /* again, over the tier programs and these */
	return 0;
}
