/* api.c - the `sa` library that rules see: parameters by date, exact money arithmetic, dates.
 * Every function checks its arguments and raises a Lua error (with the caller's file:line)
 * on misuse; none touches anything outside the state. */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sa_rounding check_rounding(lua_State *L, int idx)
{
	sa_rounding r;
	const char *name = luaL_checkstring(L, idx);
	if (sa_rounding_parse(&r, name) < 0)
		luaL_error(L, "unknown rounding '%s' (up_yuan, half_up_yuan, down_yuan, up_fen, half_up_fen, down_fen)", name);
	return r;
}

static sa_date check_date(lua_State *L, int idx)
{
	lua_Integer d = luaL_checkinteger(L, idx);
	if (d < 0 || d > 99991231 || !sa_date_valid((sa_date)d))
		luaL_error(L, "bad argument #%d: %d is not a date YYYYMMDD", idx, (int)d);
	return (sa_date)d;
}

static int frozen(lua_State *L)
{
	return luaL_error(L, "a parameter value is read-only");
}

/* [-0, +1, m] push the value of an entry; ratios as cached read-only tables */
static void push_entry(lua_State *L, sa_lua *s, const sa_peff *e, const sa_pentry *v)
{
	switch (e->decl->type) {
	case SA_PT_MONEY:
	case SA_PT_INT:
		lua_pushinteger(L, v->a);
		break;
	case SA_PT_BOOL:
		lua_pushboolean(L, (int)v->a);
		break;
	case SA_PT_TEXT:
		lua_pushstring(L, v->text);
		break;
	case SA_PT_RATIO:
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->ratio_cache);
		if (lua_rawgetp(L, -1, v) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_newtable(L); /* proxy */
			lua_createtable(L, 0, 3);
			lua_createtable(L, 0, 3); /* the values */
			lua_pushinteger(L, v->a);
			lua_setfield(L, -2, "num");
			lua_pushinteger(L, v->b);
			lua_setfield(L, -2, "den");
			lua_pushstring(L, e->has_rounding ? sa_rounding_name(e->rounding) : "half_up_fen");
			lua_setfield(L, -2, "rounding");
			lua_setfield(L, -2, "__index");
			lua_pushboolean(L, 0);
			lua_setfield(L, -2, "__metatable");
			lua_pushcfunction(L, frozen);
			lua_setfield(L, -2, "__newindex");
			lua_setmetatable(L, -2);
			lua_pushvalue(L, -1);
			lua_rawsetp(L, -3, v);
		}
		lua_remove(L, -2);
		break;
	}
}

/* A read is noted once per evaluation: each parameter remembers the generation and the date
 * it was first noted in, so the common case (one date) is one comparison, not a search of
 * the reads so far (a pack reading hundreds of parameters stayed quadratic otherwise). */
struct sa_read_mark {
	uint32_t gen;
	sa_date date;
};

void sa__lua_reads_reset(sa_lua *s)
{
	s->nreads = 0;
	if (++s->read_gen == 0 && s->read_marks) { /* wrapped: no old mark may look current */
		memset(s->read_marks, 0, s->pol->nparams * sizeof *s->read_marks);
		s->read_gen = 1;
	}
}

const struct sa_param_read *sa__lua_reads(const sa_lua *s, size_t *n)
{
	*n = s->nreads;
	return s->reads;
}

/* Note that the rules read parameter e on date d (for the decision log and the parameters an
 * explanation lists). Bounded: a pack that reads without end keeps only the first reads. A
 * memory failure raises: a decision whose list of parameters read is short would be wrong. */
static void note_read(lua_State *L, sa_lua *s, const sa_peff *e, sa_date d)
{
	struct sa_read_mark *m = NULL;
	if (!s->read_marks && s->pol->nparams)
		s->read_marks = calloc(s->pol->nparams, sizeof *s->read_marks);
	if (s->read_marks && s->read_gen) {
		m = &s->read_marks[e - s->pol->params];
		if (m->gen == s->read_gen) {
			if (m->date == d)
				return;
			m = NULL; /* a second date of the same parameter (sa.param_at): search */
		}
	}
	if (!m)
		for (size_t i = s->nreads; i-- > 0;)
			if (s->reads[i].eff == e && s->reads[i].date == d)
				return;
	if (s->nreads == s->reads_cap) {
		size_t cap = s->reads_cap ? s->reads_cap * 2 : 64;
		struct sa_param_read *r;
		if (cap > SA_MAX_READS)
			return;
		if (!(r = realloc(s->reads, cap * sizeof *r)))
			luaL_error(L, "not enough memory");
		s->reads = r;
		s->reads_cap = cap;
	}
	if (m)
		*m = (struct sa_read_mark){ s->read_gen, d };
	s->reads[s->nreads].eff = e;
	s->reads[s->nreads++].date = d;
}

/* Parameter names come from the rules' constant strings, so the same text (the same
 * address) is asked for again and again: a small table by address saves the binary search.
 * The address is only compared, never followed; a hit is confirmed by comparing the name. */
#define NAME_SLOTS 256
struct sa_name_slot {
	const char *text;
	const sa_peff *e;
};

static const sa_peff *find_param(sa_lua *s, const char *name)
{
	const sa_peff *e;
	struct sa_name_slot *slot = NULL;
	if (!s->names)
		s->names = calloc(NAME_SLOTS, sizeof *s->names);
	if (s->names) {
		slot = &s->names[((uintptr_t)name >> 4) & (NAME_SLOTS - 1)];
		if (slot->text == name && strcmp(slot->e->name, name) == 0)
			return slot->e;
	}
	e = sa__policy_param(s->pol, name);
	if (e && slot)
		*slot = (struct sa_name_slot){ name, e };
	return e;
}

static int param_on(lua_State *L, sa_date d)
{
	sa_lua *s = sa__lua_self(L);
	const char *name = luaL_checkstring(L, 1);
	const sa_peff *e = find_param(s, name);
	const sa_pentry *v;
	if (!e)
		return luaL_error(L, "sa.param: no parameter '%s' is declared", name);
	note_read(L, s, e, d);
	v = sa__peff_at(s->pol, e, d, NULL);
	if (!v)
		lua_pushnil(L);
	else
		push_entry(L, s, e, v);
	return 1;
}

static int l_param(lua_State *L)
{
	return param_on(L, sa__lua_self(L)->as_of);
}

static int l_param_at(lua_State *L)
{
	return param_on(L, check_date(L, 2));
}

/* The legal reference of a parameter's value in force on ctx.as_of (the entry's, else the
 * declaration's): what a reason or an alert cites instead of the parameter's name. */
static int l_param_ref(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	const char *name = luaL_checkstring(L, 1);
	const sa_peff *e = find_param(s, name);
	const sa_pentry *v;
	if (!e)
		return luaL_error(L, "sa.param_ref: no parameter '%s' is declared", name);
	v = sa__peff_at(s->pol, e, s->as_of, NULL);
	if (v && v->ref)
		lua_pushstring(L, v->ref);
	else if (e->decl && e->decl->ref)
		lua_pushstring(L, e->decl->ref);
	else
		lua_pushnil(L);
	return 1;
}

static int muldiv(lua_State *L, lua_Integer fen, int64_t num, int64_t den, sa_rounding r)
{
	sa_fen out;
	if (sa_money_muldiv(&out, fen, num, den, r) < 0)
		return luaL_error(L, "money arithmetic overflow");
	lua_pushinteger(L, out);
	return 1;
}

static int l_mul(lua_State *L)
{
	lua_Integer fen = luaL_checkinteger(L, 1);
	lua_Integer num, den;
	sa_rounding r;
	int has_mode = !lua_isnoneornil(L, 3);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 3);
	lua_getfield(L, 2, "num");
	lua_getfield(L, 2, "den");
	if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1) || lua_tointeger(L, -1) <= 0)
		return luaL_error(L, "sa.mul: argument #2 is not a ratio {num, den}");
	num = lua_tointeger(L, -2);
	den = lua_tointeger(L, -1);
	if (has_mode) {
		r = check_rounding(L, 3);
	} else {
		lua_getfield(L, 2, "rounding");
		if (lua_isnil(L, -1))
			return luaL_error(L, "sa.mul: the ratio names no rounding; pass one");
		r = check_rounding(L, -1);
	}
	return muldiv(L, fen, num, den, r);
}

static int l_div(lua_State *L)
{
	lua_Integer fen = luaL_checkinteger(L, 1), n = luaL_checkinteger(L, 2);
	if (n <= 0)
		return luaL_error(L, "sa.div: divisor must be positive");
	return muldiv(L, fen, 1, n, check_rounding(L, 3));
}

/* sa.add(a, b, ...) and sa.sum(list): fen added with an overflow check (Lua's own + wraps
 * around silently at 2^63). A sum beyond 10^13 yuan is an error, not a number. */
static lua_Integer add_checked(lua_State *L, lua_Integer acc, int idx, const char *what)
{
	lua_Integer x, r;
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: argument is not an integer (fen)", what);
	x = lua_tointeger(L, idx);
	if (__builtin_add_overflow(acc, x, &r) || r > SA_FEN_AMOUNT_MAX || r < -SA_FEN_AMOUNT_MAX)
		luaL_error(L, "%s: money overflow (beyond 10^13 yuan)", what);
	return r;
}

static int l_add(lua_State *L)
{
	lua_Integer acc = 0;
	for (int i = 1, n = lua_gettop(L); i <= n; i++)
		acc = add_checked(L, acc, i, "sa.add");
	lua_pushinteger(L, acc);
	return 1;
}

static int l_sum(lua_State *L)
{
	lua_Integer acc = 0, n;
	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);
	if (n > 1000000)
		return luaL_error(L, "sa.sum: more than 1000000 amounts");
	sa__lua_charge(L, 1 + (uint64_t)(n > 0 ? n : 0));
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		acc = add_checked(L, acc, -1, "sa.sum");
		lua_pop(L, 1);
	}
	lua_pushinteger(L, acc);
	return 1;
}

static int l_round(lua_State *L)
{
	return muldiv(L, luaL_checkinteger(L, 1), 1, 1, check_rounding(L, 2));
}

static int l_age(lua_State *L)
{
	sa_date birth = check_date(L, 1), on = check_date(L, 2);
	lua_pushinteger(L, sa_date_age(birth, on));
	return 1;
}

static int l_add_months(lua_State *L)
{
	sa_date d = check_date(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n < -12000 || n > 12000)
		return luaL_error(L, "sa.add_months: %d months is out of range", (int)n);
	lua_pushinteger(L, sa_date_add_months(d, (int)n));
	return 1;
}

static int l_yuan(lua_State *L)
{
	char buf[32];
	sa_money_format(buf, sizeof buf, luaL_checkinteger(L, 1));
	lua_pushstring(L, buf);
	return 1;
}

static int l_date_text(lua_State *L)
{
	char buf[16];
	sa_date_format(buf, sizeof buf, check_date(L, 1));
	lua_pushstring(L, buf);
	return 1;
}

static const luaL_Reg sa_lib[] = {
	{ "param", l_param },
	{ "param_at", l_param_at },
	{ "param_ref", l_param_ref },
	{ "mul", l_mul },
	{ "div", l_div },
	{ "round", l_round },
	{ "add", l_add },
	{ "sum", l_sum },
	{ "age", l_age },
	{ "add_months", l_add_months },
	{ "yuan", l_yuan },
	{ "date_text", l_date_text },
	{ NULL, NULL },
};

int sa__lua_open_api(lua_State *L)
{
	luaL_newlib(L, sa_lib);
	sa__lua_open_reasons(L);
	return 1;
}
