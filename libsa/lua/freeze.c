/* freeze.c - nothing a rule can reach survives from one household to the next.
 *
 * After a pack chain has loaded, every table reachable from the rules (through upvalues,
 * table keys and values, metatables, `rules` and `super`) is frozen in place: its contents
 * move to a hidden backing table and it becomes a read-only proxy of it (reads, #, ipairs,
 * pairs work; writes raise). The backing table has no metatable and is never handed to Lua
 * code (pairs returns the proxy; metamethods and __index functions receive the proxy), so no
 * rule can reach it. Metatables are walked but not frozen (the VM reads them raw; the proxy
 * copies their operators).
 * Every Lua function's upvalues are recorded; sa__lua_restore puts them back after each
 * evaluation (each upvalue variable once, however many closures share it), so
 * `local n = 0; function rules.evaluate(h) n = n + 1 ... end` always sees 0.
 * The walk is iterative (a hostile pack can build a 100,000-deep chain at load time). */
#include "lua/state.h"

#include <lauxlib.h>

/* [-1, +0, m] move the table on top into a backing table and make it a proxy of it */
static void freeze_in_place(lua_State *L)
{
	int t = lua_gettop(L);
	lua_newtable(L); /* backing */
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pushvalue(L, -2); /* k v k */
		lua_insert(L, -2);    /* k k v */
		lua_rawset(L, t + 1); /* k */
		lua_pushvalue(L, -1);
		lua_pushnil(L);
		lua_rawset(L, t); /* clearing an existing field while traversing is allowed */
	}
	/* The backing table gets no metatable: a metamethod would receive it as self. The
	 * proxy's metatable carries the original operators (they receive the proxy) and an
	 * __index that consults the original __index with the proxy (safelib.c). */
	if (lua_getmetatable(L, t)) { /* t+2: original */
		lua_pushvalue(L, t + 1);
		sa__lua_frozen_mt(L, t + 2);
	} else {
		lua_pushvalue(L, t + 1);
		sa__lua_frozen_mt(L, 0);
	}
	lua_setmetatable(L, t);
	lua_settop(L, t - 1);
}

/* stack: 1 rules, 2 environments; registry ref for the snapshot is stored in the sa_lua */
int sa__lua_freeze(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	lua_Integer top = 0, nf = 0;
	int V, W, F, M, S;
	lua_settop(L, 2);
	lua_newtable(L); /* 3 V: visited */
	lua_newtable(L); /* 4 W: work list */
	lua_newtable(L); /* 5 F: tables to freeze */
	lua_newtable(L); /* 6 M: tables used as metatables */
	lua_newtable(L); /* 7 S: function -> upvalues */
	V = 3, W = 4, F = 5, M = 6, S = 7;
#define PUSH_WORK(idx)                                                                  \
	do {                                                                            \
		int i_ = lua_absindex(L, (idx));                                        \
		int t_ = lua_type(L, i_);                                               \
		if (t_ == LUA_TTABLE || t_ == LUA_TFUNCTION) {                          \
			lua_pushvalue(L, i_);                                           \
			if (lua_rawget(L, V) == LUA_TNIL) {                             \
				lua_pushvalue(L, i_);                                   \
				lua_pushboolean(L, 1);                                  \
				lua_rawset(L, V);                                       \
				lua_pushvalue(L, i_);                                   \
				lua_rawseti(L, W, ++top);                               \
			}                                                               \
			lua_pop(L, 1);                                                  \
		}                                                                       \
	} while (0)
	PUSH_WORK(1);
	PUSH_WORK(2);
	while (top > 0) {
		int x;
		lua_rawgeti(L, W, top); /* 8: x */
		lua_pushnil(L);
		lua_rawseti(L, W, top--);
		x = lua_gettop(L);
		sa__lua_charge(L, 1);
		if (lua_type(L, x) == LUA_TFUNCTION) {
			if (!lua_iscfunction(L, x)) {
				int n = 0;
				lua_newtable(L); /* x snap */
				while (lua_getupvalue(L, x, n + 1)) {
					PUSH_WORK(-1);
					lua_rawseti(L, x + 1, ++n);
				}
				lua_pushinteger(L, n);
				lua_setfield(L, x + 1, "n");
				lua_pushvalue(L, x);
				lua_insert(L, -2);
				lua_rawset(L, S);
			}
		} else {
			lua_pushnil(L);
			while (lua_next(L, x)) {
				PUSH_WORK(-2);
				PUSH_WORK(-1);
				lua_pop(L, 1);
			}
			if (lua_getmetatable(L, x)) {
				lua_pushvalue(L, -1);
				lua_pushboolean(L, 1);
				lua_rawset(L, M);
				PUSH_WORK(-1);
				lua_pop(L, 1);
			}
			if (!sa__lua_is_sandbox_table(L, x)) {
				lua_pushvalue(L, x);
				lua_rawseti(L, F, ++nf);
			}
		}
		lua_settop(L, 7);
	}
#undef PUSH_WORK
	for (lua_Integer i = 1; i <= nf; i++) {
		lua_rawgeti(L, F, i);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, M) != LUA_TNIL) {
			lua_pop(L, 2);
			continue;
		}
		lua_pop(L, 1);
		freeze_in_place(L);
	}
	/* The restore list: a flat array fn, index, value, fn, index, value ... with one entry per
	 * distinct upvalue VARIABLE (lua_upvalueid). Closures of one chunk share their upvalues
	 * (_ENV, file locals), and setting a shared upvalue through any one closure sets it for
	 * all, so restoring each variable once restores every closure's view; a flat array is read
	 * with lua_rawgeti only (docs/performance.md). */
	{
		lua_Integer k = 0;
		lua_newtable(L); /* 8: R, the list */
		lua_newtable(L); /* 9: upvalue ids seen */
		lua_pushnil(L);
		while (lua_next(L, S)) { /* fn snap */
			int fn = lua_gettop(L) - 1, n;
			lua_getfield(L, -1, "n");
			n = (int)lua_tointeger(L, -1);
			lua_pop(L, 1);
			for (int i = 1; i <= n; i++) {
				void *id = lua_upvalueid(L, fn, i);
				sa__lua_charge(L, 1);
				if (id) {
					if (lua_rawgetp(L, 9, id) != LUA_TNIL) {
						lua_pop(L, 1);
						continue;
					}
					lua_pop(L, 1);
					lua_pushboolean(L, 1);
					lua_rawsetp(L, 9, id);
				}
				lua_pushvalue(L, fn);
				lua_rawseti(L, 8, ++k);
				lua_pushinteger(L, i);
				lua_rawseti(L, 8, ++k);
				lua_rawgeti(L, -1, i);
				lua_rawseti(L, 8, ++k);
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		lua_pushinteger(L, k); /* the length (values may be nil: no # on R) */
		lua_rawseti(L, 8, 0);
	}
	s->snap_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_settop(L, 0);
	return 0;
}

int sa__lua_restore(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	lua_Integer n;
	lua_settop(L, 0);
	if (s->snap_ref == LUA_NOREF || s->snap_ref == LUA_REFNIL)
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->snap_ref); /* 1: [0] = n, then fn, index, value, ... */
	lua_rawgeti(L, 1, 0);
	n = lua_tointeger(L, 2);
	lua_settop(L, 1);
	for (lua_Integer k = 1; k + 2 <= n; k += 3) {
		int i;
		lua_rawgeti(L, 1, k);     /* 2: fn */
		lua_rawgeti(L, 1, k + 1); /* 3: upvalue index */
		i = (int)lua_tointeger(L, 3);
		lua_rawgeti(L, 1, k + 2); /* 4: value */
		if (!lua_setupvalue(L, 2, i)) /* pops the value when it sets it */
			lua_pop(L, 1);
		lua_settop(L, 1);
	}
	lua_settop(L, 0);
	return 0;
}
