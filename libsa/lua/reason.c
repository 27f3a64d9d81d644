/* reason.c - reasons as ids plus arguments, written into a C-side buffer (the rule contract of
 * docs/rule-authors.md §5.5, issue 14).
 *
 * A pack declares each reason once, while it loads: sa.reason_def(id, zh, en, ref, params, args)
 * keeps the id, the zh/en templates, the legal reference, the parameter names and the names of
 * the template's arguments in C and returns a small integer. Per household, sa.reason(def, ...)
 * appends that number and the argument values (integers, or text copied here) to this
 * evaluation's buffer and returns a handle, an integer; sa.reasons(h1, h2, ...) returns the
 * handle of a group of them. Nothing is allocated in Lua: handles are integers, and the buffer's
 * arrays are reused from household to household (sa__lua_begin empties them). Text is rendered
 * in C, from the templates, only when the caller asks for text (convert.c).
 *
 * Handles: a reason is i + 1 (i its index in the buffer), a group -(g + 1). A handle is only
 * meaningful in the evaluation that wrote it; the decoder checks the range, so a number a rule
 * makes up is refused, not read out of bounds. */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SA_REASON_MAX_DEFS 65536      /* reason definitions of one pack chain */
#define SA_REASON_MAX_ARGS 16         /* arguments of one reason */
#define SA_REASON_MAX_WRITTEN 100000  /* reasons and groups written in one evaluation */

typedef struct {
	char *id, *zh, *en, *ref;
	char **params;
	size_t nparams;
	char **args;   /* argument names, in order */
	size_t nargs; /* counted as each name is copied: an error midway leaks nothing */
	bool render;   /* args given: zh/en are templates; else the text itself */
} rdef;

typedef struct {
	int type;      /* LUA_TNIL, LUA_TNUMBER (integer) or LUA_TSTRING */
	lua_Integer i;
	size_t off, len; /* text: in text[] */
} rarg;

typedef struct {
	uint32_t def;  /* index in defs */
	uint32_t arg0; /* first argument in args[] */
	uint32_t nargs;
	int32_t np;    /* sa.reason_p: parameter names in pnames[p0..p0+np); -1: the definition's */
	uint32_t p0;
} rrec;

typedef struct {
	uint32_t kid0, n; /* leaves in kids[] */
} rgroup;

struct sa_reasons {
	rdef *defs;
	size_t ndefs, capdefs;
	rrec *recs;
	size_t nrecs, caprecs;
	rarg *args;
	size_t nargs, capargs;
	rgroup *groups;
	size_t ngroups, capgroups;
	uint32_t *kids;
	size_t nkids, capkids;
	char *text;
	size_t ntext, captext;
	size_t *pnames; /* sa.reason_p: offsets of parameter names in text[] */
	size_t npnames, cappnames;
};

/* Grow *p (n used, *cap allocated) to hold one more element of size sz; raises on failure. */
static void *grow(lua_State *L, void *p, size_t n, size_t *cap, size_t sz, size_t more)
{
	size_t c = *cap;
	void *np;
	if (n + more <= c)
		return p;
	c = c ? c : 16;
	while (c < n + more)
		c *= 2;
	if (!(np = realloc(p, c * sz)))
		luaL_error(L, "not enough memory");
	*cap = c;
	return np;
}

static struct sa_reasons *get(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	if (!s->reasons && !(s->reasons = calloc(1, sizeof *s->reasons)))
		luaL_error(L, "not enough memory");
	return s->reasons;
}

static char *dup_or_raise(lua_State *L, const char *x)
{
	char *d = x ? strdup(x) : NULL;
	if (x && !d)
		luaL_error(L, "not enough memory");
	return d;
}

/* The strings of a list argument (nil: none) into a fresh array owned by the caller's rdef. */
static void read_names(lua_State *L, int idx, const char *what, char ***out, size_t *n, size_t max)
{
	size_t len;
	if (lua_isnoneornil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	len = luaL_len(L, idx); /* through the proxy of a frozen constant list, too */
	if (len > max)
		luaL_error(L, "sa.reason_def: %s has more than %d names", what, (int)max);
	if (len && !(*out = calloc(len, sizeof **out)))
		luaL_error(L, "not enough memory");
	for (size_t i = 1; i <= len; i++) {
		if (lua_geti(L, idx, (lua_Integer)i) != LUA_TSTRING)
			luaL_error(L, "sa.reason_def: %s[%d] must be text", what, (int)i);
		(*out)[(*n)++] = dup_or_raise(L, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
}

/* sa.reason_def(id, zh, en, ref, params, args) -> def: only while the pack loads. */
static int l_reason_def(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	struct sa_reasons *R = get(L);
	rdef *d;
	const char *id = luaL_checkstring(L, 1);
	const char *zh = luaL_optstring(L, 2, NULL), *en = luaL_optstring(L, 3, NULL), *ref = luaL_optstring(L, 4, NULL);
	if (!s->loading)
		return luaL_error(L, "sa.reason_def: only while the pack loads (at the top of a rule file); per "
		                     "household, write the reason with sa.reason(def, ...)");
	if (R->ndefs >= SA_REASON_MAX_DEFS)
		return luaL_error(L, "sa.reason_def: more than %d reasons", SA_REASON_MAX_DEFS);
	R->defs = grow(L, R->defs, R->ndefs, &R->capdefs, sizeof *R->defs, 1);
	d = &R->defs[R->ndefs++];
	memset(d, 0, sizeof *d); /* owned by the list from here: an error below leaks nothing */
	d->id = dup_or_raise(L, id);
	d->zh = dup_or_raise(L, zh);
	d->en = dup_or_raise(L, en);
	d->ref = dup_or_raise(L, ref);
	read_names(L, 5, "params", &d->params, &d->nparams, SA_RESULT_MAX_PARAMS);
	for (size_t i = 0; i < d->nparams; i++)
		if (!sa__policy_param(s->pol, d->params[i]))
			return luaL_error(L, "sa.reason_def: reason '%s' names an undeclared parameter '%s'", id, d->params[i]);
	d->render = !lua_isnoneornil(L, 6);
	read_names(L, 6, "args", &d->args, &d->nargs, SA_REASON_MAX_ARGS);
	lua_pushinteger(L, (lua_Integer)R->ndefs);
	return 1;
}

/* Copy text into the buffer's text[]; returns its offset. */
static size_t keep_text(lua_State *L, struct sa_reasons *R, const char *t, size_t len)
{
	size_t off = R->ntext;
	sa__lua_output(L, len + 1); /* text kept for the result counts as output */
	R->text = grow(L, R->text, R->ntext, &R->captext, 1, len + 1);
	memcpy(R->text + R->ntext, t, len);
	R->text[R->ntext + len] = 0;
	R->ntext += len + 1;
	return off;
}

/* sa.reason(def, a1, ...) and sa.reason_p(def, params, a1, ...): the arguments start at `first`;
 * `params` (index, or 0) replaces the definition's parameter names for this reason. */
static int write_reason(lua_State *L, int params, int first)
{
	struct sa_reasons *R = get(L);
	lua_Integer k = luaL_checkinteger(L, 1);
	int top = lua_gettop(L);
	int32_t np = -1;
	size_t p0 = R->npnames;
	rdef *d;
	rrec *r;
	if (k < 1 || (size_t)k > R->ndefs)
		return luaL_error(L, "sa.reason: %d is not a reason of this pack (sa.reason_def)", (int)k);
	d = &R->defs[k - 1];
	if ((size_t)(top - first + 1) > d->nargs)
		return luaL_error(L, "sa.reason: reason %s takes %d arguments, not %d", d->id, (int)d->nargs, top - first + 1);
	if (params && !lua_isnil(L, params)) {
		size_t len;
		luaL_checktype(L, params, LUA_TTABLE);
		len = luaL_len(L, params);
		if (len > SA_RESULT_MAX_PARAMS)
			return luaL_error(L, "sa.reason_p: reason %s names more than %d parameters", d->id, SA_RESULT_MAX_PARAMS);
		R->pnames = grow(L, R->pnames, R->npnames, &R->cappnames, sizeof *R->pnames, len);
		for (size_t i = 1; i <= len; i++) {
			size_t tl;
			const char *t;
			if (lua_geti(L, params, (lua_Integer)i) != LUA_TSTRING)
				return luaL_error(L, "sa.reason_p: reason %s: params[%d] must be text", d->id, (int)i);
			t = lua_tolstring(L, -1, &tl);
			R->pnames[R->npnames++] = keep_text(L, R, t, tl);
			lua_pop(L, 1);
		}
		np = (int32_t)len;
	}
	if (R->nrecs + R->ngroups >= SA_REASON_MAX_WRITTEN)
		return luaL_error(L, "sa.reason: more than %d reasons in one evaluation", SA_REASON_MAX_WRITTEN);
	R->recs = grow(L, R->recs, R->nrecs, &R->caprecs, sizeof *R->recs, 1);
	R->args = grow(L, R->args, R->nargs, &R->capargs, sizeof *R->args, (size_t)(top - first + 1));
	for (int i = first; i <= top; i++) {
		rarg *a = &R->args[R->nargs + (size_t)(i - first)];
		a->type = lua_type(L, i);
		switch (a->type) {
		case LUA_TNIL:
			break;
		case LUA_TNUMBER:
			if (!lua_isinteger(L, i))
				return luaL_error(L, "sa.reason: reason %s: argument '%s' must be an integer", d->id, d->args[i - first]);
			a->i = lua_tointeger(L, i);
			break;
		case LUA_TSTRING: {
			size_t len;
			const char *t = lua_tolstring(L, i, &len);
			a->off = keep_text(L, R, t, len);
			a->len = len;
			break;
		}
		default:
			return luaL_error(L, "sa.reason: reason %s: argument '%s' must be text or an integer", d->id,
			                  d->args[i - first]);
		}
	}
	r = &R->recs[R->nrecs++];
	r->def = (uint32_t)(k - 1);
	r->arg0 = (uint32_t)R->nargs;
	r->nargs = (uint32_t)(top - first + 1);
	r->np = np;
	r->p0 = (uint32_t)p0;
	R->nargs += (size_t)(top - first + 1);
	lua_pushinteger(L, (lua_Integer)R->nrecs);
	return 1;
}

static int l_reason(lua_State *L)
{
	return write_reason(L, 0, 2);
}

/* sa.reason_p(def, params, a1, ...): a reason whose parameter names are known only per
 * household (a list; nil: the definition's). */
static int l_reason_p(lua_State *L)
{
	lua_settop(L, lua_gettop(L) < 2 ? 2 : lua_gettop(L));
	return write_reason(L, 2, 3);
}

/* sa.reasons(h1, h2, ...) -> the handle of a group of them (nil and false skipped, groups
 * flattened), or nil when there are none. */
static int l_reasons(lua_State *L)
{
	struct sa_reasons *R = get(L);
	int top = lua_gettop(L);
	size_t n = 0, kid0 = R->nkids;
	rgroup *g;
	for (int i = 1; i <= top; i++) {
		lua_Integer h;
		if (!lua_toboolean(L, i))
			continue;
		if (!lua_isinteger(L, i))
			return luaL_error(L, "sa.reasons: argument %d is not a reason (sa.reason)", i);
		h = lua_tointeger(L, i);
		if (h > 0 && (size_t)h <= R->nrecs) {
			R->kids = grow(L, R->kids, R->nkids, &R->capkids, sizeof *R->kids, 1);
			R->kids[R->nkids++] = (uint32_t)(h - 1);
			n++;
		} else if (h < 0 && (size_t)-h <= R->ngroups) {
			rgroup src = R->groups[-h - 1];
			R->kids = grow(L, R->kids, R->nkids, &R->capkids, sizeof *R->kids, src.n);
			memcpy(R->kids + R->nkids, R->kids + src.kid0, src.n * sizeof *R->kids);
			R->nkids += src.n;
			n += src.n;
		} else {
			return luaL_error(L, "sa.reasons: argument %d is not a reason of this evaluation", i);
		}
		if (n > SA_RESULT_MAX_REASONS)
			return luaL_error(L, "sa.reasons: more than %d reasons in one group", SA_RESULT_MAX_REASONS);
	}
	if (n == 0) {
		lua_pushnil(L);
		return 1;
	}
	if (R->nrecs + R->ngroups >= SA_REASON_MAX_WRITTEN)
		return luaL_error(L, "sa.reasons: more than %d reasons in one evaluation", SA_REASON_MAX_WRITTEN);
	R->groups = grow(L, R->groups, R->ngroups, &R->capgroups, sizeof *R->groups, 1);
	g = &R->groups[R->ngroups++];
	g->kid0 = (uint32_t)kid0;
	g->n = (uint32_t)n;
	lua_pushinteger(L, -(lua_Integer)R->ngroups);
	return 1;
}

/* sa.reason_id(handle) -> the reason's id and reference (a group: nil). For packs that look at
 * a reason (what r.id and r.ref of a record were). */
static int l_reason_id(lua_State *L)
{
	struct sa_reasons *R = get(L);
	lua_Integer h = luaL_checkinteger(L, 1);
	if (h > 0 && (size_t)h <= R->nrecs) {
		const rdef *d = &R->defs[R->recs[h - 1].def];
		lua_pushstring(L, d->id);
		if (d->ref)
			lua_pushstring(L, d->ref);
		else
			lua_pushnil(L);
		return 2;
	}
	lua_pushnil(L);
	return 1;
}

/* ---- tri-state combinators: sa.all_of / sa.any_of (no table per condition) ----
 *
 * The conditions come as triples after the "not needed" reason definition nn:
 * sa.all_of(nn, v1, r1, m1, v2, r2, m2, ...), v true / false / nil, r a reason handle or nil,
 * m the missing names (a list, one name, or nil). What rules.all_of / rules.any_of did with
 * { v, r, m } tables, decided the same way; the reasons come back as one handle (a group when
 * more than one) and missing as sa.EMPTY unless the answer is undetermined (then a fresh list
 * the caller may extend). */

#define SA_COMBINE_MAX_ITEMS 1000 /* conditions of one combination */

/* [-0, +1] a handle for the reasons at the stack indices idx[0..n) (nil: none; one: itself) */
static void push_group(lua_State *L, const int *idx, int n)
{
	if (n == 0) {
		lua_pushnil(L);
		return;
	}
	if (n == 1) {
		lua_pushvalue(L, idx[0]);
		return;
	}
	lua_pushcfunction(L, l_reasons);
	for (int i = 0; i < n; i++)
		lua_pushvalue(L, idx[i]);
	lua_call(L, n, 1);
}

/* Append the names of the missing value at idx (nil, a name, or a list; a frozen list read
 * through its proxy) to the list on top, without duplicates: rules.missing_add's order. */
static void add_missing(lua_State *L, int idx)
{
	int out = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, out), len;
	if (lua_isnil(L, idx))
		return;
	if (lua_type(L, idx) == LUA_TSTRING)
		len = 1;
	else if (lua_istable(L, idx))
		len = luaL_len(L, idx);
	else {
		luaL_error(L, "sa.all_of: a condition's missing must be a list of names, a name or nil");
		return;
	}
	if (len < 0 || len > SA_RESULT_MAX_LIST)
		luaL_error(L, "sa.all_of: a missing list of more than %d names", SA_RESULT_MAX_LIST);
	for (lua_Integer i = 1; i <= len; i++) {
		int seen = 0;
		if (lua_type(L, idx) == LUA_TSTRING)
			lua_pushvalue(L, idx);
		else
			lua_geti(L, idx, i);
		sa__lua_charge(L, 1 + (uint64_t)n);
		for (lua_Integer k = 1; k <= n && !seen; k++) {
			lua_rawgeti(L, out, k);
			seen = lua_rawequal(L, -1, -2);
			lua_pop(L, 1);
		}
		if (seen) {
			lua_pop(L, 1);
			continue;
		}
		if (n >= SA_RESULT_MAX_LIST)
			luaL_error(L, "sa.all_of: a missing list of more than %d names", SA_RESULT_MAX_LIST);
		lua_rawseti(L, out, ++n);
	}
}

/* Check the arguments: nn, then triples. Returns the number of conditions. */
static int combine_args(lua_State *L, const char *what)
{
	struct sa_reasons *R = get(L);
	int top = lua_gettop(L), n;
	lua_Integer nn = luaL_checkinteger(L, 1);
	if (nn < 1 || (size_t)nn > R->ndefs)
		luaL_error(L, "%s: the first argument must be the reason for unknowns that do not matter (sa.reason_def)", what);
	if ((top - 1) % 3 != 0)
		luaL_error(L, "%s: the conditions come in threes (v, reason, missing), not %d values", what, top - 1);
	n = (top - 1) / 3;
	if (n > SA_COMBINE_MAX_ITEMS)
		luaL_error(L, "%s: more than %d conditions", what, SA_COMBINE_MAX_ITEMS);
	for (int i = 0; i < n; i++) {
		int r = 3 + 3 * i;
		if (lua_toboolean(L, r) && !lua_isinteger(L, r))
			luaL_error(L, "%s: condition %d: the reason must be a handle (sa.reason) or nil", what, i + 1);
	}
	luaL_checkstack(L, n + 8, what);
	return n;
}

/* [-0, +1] sa.reason(nn, "a, b") for the union of the missing names of the undetermined
 * conditions: what is unknown but cannot change the outcome (issue 13 point 8). */
static void push_not_needed(lua_State *L, int n)
{
	luaL_Buffer b;
	lua_Integer len;
	lua_newtable(L);
	for (int i = 0; i < n; i++)
		if (lua_isnil(L, 2 + 3 * i))
			add_missing(L, 4 + 3 * i);
	len = (lua_Integer)lua_rawlen(L, -1);
	luaL_buffinit(L, &b);
	for (lua_Integer k = 1; k <= len; k++) {
		if (k > 1)
			luaL_addlstring(&b, ", ", 2);
		lua_rawgeti(L, -2, k); /* the list is below the buffer's slot */
		if (!lua_isstring(L, -1))
			luaL_error(L, "sa.all_of: missing names must be text");
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b); /* list text */
	lua_pushcfunction(L, l_reason);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, -3);
	lua_call(L, 2, 1); /* list text handle */
	lua_replace(L, -3);
	lua_pop(L, 1);
}

/* The stack indices of every condition's reason, in order; their number. */
static int every_reason(lua_State *L, int n, int *idx)
{
	int nr = 0;
	for (int i = 0; i < n; i++)
		if (lua_toboolean(L, 3 + 3 * i))
			idx[nr++] = 3 + 3 * i;
	return nr;
}

/* [-0, +3] the undetermined answer: nil, the reasons at idx, a fresh list of the unknown
 * conditions' missing names (the caller may extend it). */
static void push_undetermined(lua_State *L, int n, const int *idx, int nr)
{
	lua_pushnil(L);
	push_group(L, idx, nr);
	lua_newtable(L);
	for (int i = 0; i < n; i++)
		if (lua_isnil(L, 2 + 3 * i))
			add_missing(L, 4 + 3 * i);
}

/* sa.all_of(nn, v1, r1, m1, ...) -> v, reasons, missing: AND. false when any condition is false
 * (the reasons of the false ones, then a "not needed" reason naming the unknowns, if any); else
 * nil when any is unknown (every reason; missing: the unknowns' names); else true (every
 * reason). */
static int l_all_of(lua_State *L)
{
	int n = combine_args(L, "sa.all_of"), any_false = 0, any_nil = 0, nr = 0, idx[SA_COMBINE_MAX_ITEMS + 1];
	for (int i = 0; i < n; i++) {
		int v = 2 + 3 * i;
		if (lua_isnil(L, v))
			any_nil = 1;
		else if (lua_isboolean(L, v) && !lua_toboolean(L, v))
			any_false = 1;
	}
	if (any_false) {
		for (int i = 0; i < n; i++)
			if (lua_isboolean(L, 2 + 3 * i) && !lua_toboolean(L, 2 + 3 * i) && lua_toboolean(L, 3 + 3 * i))
				idx[nr++] = 3 + 3 * i;
		if (any_nil) {
			push_not_needed(L, n);
			idx[nr++] = lua_gettop(L);
		}
		lua_pushboolean(L, 0);
		push_group(L, idx, nr);
		lua_pushvalue(L, lua_upvalueindex(1));
		return 3;
	}
	nr = every_reason(L, n, idx);
	if (any_nil) {
		push_undetermined(L, n, idx, nr);
		return 3;
	}
	lua_pushboolean(L, 1);
	push_group(L, idx, nr);
	lua_pushvalue(L, lua_upvalueindex(1));
	return 3;
}

/* sa.any_of(nn, v1, r1, m1, ...) -> v, reasons, missing, first: OR. true when a condition is
 * true (reasons: the first true one's, then "not needed" for the unknowns, if any; first: the
 * first true one's reason alone); else nil when any is unknown (every reason; missing: the
 * unknowns' names); else false (every reason). */
static int l_any_of(lua_State *L)
{
	int n = combine_args(L, "sa.any_of"), any_nil = 0, nr = 0, idx[SA_COMBINE_MAX_ITEMS + 1];
	for (int i = 0; i < n; i++)
		any_nil |= lua_isnil(L, 2 + 3 * i);
	for (int i = 0; i < n; i++) {
		int v = 2 + 3 * i;
		if (!(lua_isboolean(L, v) && lua_toboolean(L, v)))
			continue;
		if (lua_toboolean(L, v + 1))
			idx[nr++] = v + 1;
		if (any_nil) {
			push_not_needed(L, n);
			idx[nr++] = lua_gettop(L);
		}
		lua_pushboolean(L, 1);
		push_group(L, idx, nr);
		lua_pushvalue(L, lua_upvalueindex(1));
		lua_pushvalue(L, v + 1);
		return 4;
	}
	nr = every_reason(L, n, idx);
	if (any_nil) {
		push_undetermined(L, n, idx, nr);
		lua_pushnil(L);
		return 4;
	}
	lua_pushboolean(L, 0);
	push_group(L, idx, nr);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushnil(L);
	return 4;
}

static const luaL_Reg reason_lib[] = {
	{ "reason_def", l_reason_def },
	{ "reason", l_reason },
	{ "reason_p", l_reason_p },
	{ "reasons", l_reasons },
	{ "reason_id", l_reason_id },
	{ "all_of", l_all_of },
	{ "any_of", l_any_of },
	{ NULL, NULL },
};

/* [-0, +0] add the reason functions and sa.EMPTY to the sa table on top. */
void sa__lua_open_reasons(lua_State *L)
{
	lua_newtable(L); /* a shared read-only empty list: writes raise */
	sa__lua_push_proxy(L);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "EMPTY");
	luaL_setfuncs(L, reason_lib, 1); /* the combinators return it */
}

void sa__reasons_reset(sa_lua *s)
{
	struct sa_reasons *R = s->reasons;
	if (R)
		R->nrecs = R->nargs = R->ngroups = R->nkids = R->ntext = R->npnames = 0;
}

void sa__reasons_free(sa_lua *s)
{
	struct sa_reasons *R = s->reasons;
	if (!R)
		return;
	for (size_t i = 0; i < R->ndefs; i++) {
		rdef *d = &R->defs[i];
		free(d->id);
		free(d->zh);
		free(d->en);
		free(d->ref);
		for (size_t k = 0; k < d->nparams; k++)
			free(d->params[k]);
		free(d->params);
		for (size_t k = 0; k < d->nargs; k++)
			free(d->args[k]);
		free(d->args);
	}
	free(R->defs);
	free(R->recs);
	free(R->args);
	free(R->groups);
	free(R->kids);
	free(R->text);
	free(R->pnames);
	free(R);
	s->reasons = NULL;
}

/* ---- reading them back (convert.c) ---- */

/* How many reasons handle h stands for; (size_t)-1 when h is no handle of this evaluation. */
size_t sa__reasons_count(const sa_lua *s, lua_Integer h)
{
	const struct sa_reasons *R = s->reasons;
	if (!R)
		return (size_t)-1;
	if (h > 0 && (size_t)h <= R->nrecs)
		return 1;
	if (h < 0 && (size_t)-h <= R->ngroups)
		return R->groups[-h - 1].n;
	return (size_t)-1;
}

/* The k-th reason (0-based) of handle h, checked by sa__reasons_count: its buffer index. */
uint32_t sa__reasons_leaf(const sa_lua *s, lua_Integer h, size_t k)
{
	const struct sa_reasons *R = s->reasons;
	return h > 0 ? (uint32_t)(h - 1) : R->kids[R->groups[-h - 1].kid0 + k];
}

void sa__reasons_get(const sa_lua *s, uint32_t leaf, sa_reason_view *v)
{
	const struct sa_reasons *R = s->reasons;
	const rrec *r = &R->recs[leaf];
	const rdef *d = &R->defs[r->def];
	v->id = d->id;
	v->zh = d->zh;
	v->en = d->en;
	v->ref = d->ref;
	v->params = (const char *const *)d->params;
	v->nparams = r->np >= 0 ? (size_t)r->np : d->nparams;
	v->own_params = r->np >= 0;
	v->render = d->render;
	v->leaf = leaf;
}

/* Argument `name` of reason leaf: *type LUA_TNIL when absent. */
void sa__reasons_arg(const sa_lua *s, uint32_t leaf, const char *name, size_t nlen, int *type, lua_Integer *i,
                     const char **text, size_t *len)
{
	const struct sa_reasons *R = s->reasons;
	const rrec *r = &R->recs[leaf];
	const rdef *d = &R->defs[r->def];
	*type = LUA_TNIL;
	for (uint32_t k = 0; k < r->nargs; k++)
		if (strlen(d->args[k]) == nlen && memcmp(d->args[k], name, nlen) == 0) {
			const rarg *a = &R->args[r->arg0 + k];
			*type = a->type;
			*i = a->i;
			*text = a->type == LUA_TSTRING ? R->text + a->off : NULL;
			*len = a->len;
			return;
		}
}

/* Parameter name k of reason leaf (the definition's, or those given to sa.reason_p). */
const char *sa__reasons_param(const sa_lua *s, uint32_t leaf, size_t k)
{
	const struct sa_reasons *R = s->reasons;
	const rrec *r = &R->recs[leaf];
	if (r->np >= 0)
		return R->text + R->pnames[r->p0 + k];
	return R->defs[r->def].params[k];
}

/* The reasons the rules declared with sa.reason_def while loading, in declaration order. */
size_t sa__lua_reason_decls(const sa_lua *s)
{
	return s->reasons ? s->reasons->ndefs : 0;
}

void sa__lua_reason_decl(const sa_lua *s, size_t k, sa_reason_decl *out)
{
	const rdef *d = &s->reasons->defs[k];
	*out = (sa_reason_decl){ d->id, d->zh, d->en, d->ref, (const char *const *)d->params, d->nparams,
		                 (const char *const *)d->args, d->nargs };
}
