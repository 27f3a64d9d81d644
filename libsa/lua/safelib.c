/* safelib.c - the library functions policies see, made bounded and deterministic.
 *
 * Every C function that can do work proportional to its input charges that work to the
 * evaluation's instruction budget (sa__lua_charge), because the count hook only runs between
 * VM instructions. Iteration order never depends on Lua's per-state string hash seed:
 * `pairs` and `next` visit keys in a fixed order (false < true < numbers < strings, strings
 * by bytes). `table.sort` is a stable merge sort. Tables that rules can reach after loading
 * are read-only proxies (sa__lua_push_proxy). See docs/security.md. */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#define SA_BYTES_PER_UNIT 4            /* bytes of C work that cost one instruction */
#define SA_CMP_COST 20                 /* instructions one comparison in C costs */
#define SA_SCAN_COST 4                 /* instructions one key visited by next costs */

/* ---- read-only tables ---- */

static int sb_frozen(lua_State *L)
{
	return luaL_error(L, "attempt to modify a read-only table (key '%s')", luaL_optstring(L, 2, "?"));
}

static int sb_undeclared(lua_State *L)
{
	return luaL_error(L, "undeclared global '%s'", luaL_optstring(L, 2, "?"));
}

static int sb_global_write(lua_State *L)
{
	return luaL_error(L, "assignment to global '%s': policies may not create globals (use local)",
	                  luaL_optstring(L, 2, "?"));
}

static int proxy_len(lua_State *L)
{
	if (!sa__lua_backing(L, 1))
		return luaL_error(L, "not a read-only table");
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

/* __index of a frozen table whose own metatable had an __index: the backing table first, then
 * the original __index with the PROXY as its self (upvalues: backing, original __index), so a
 * metamethod never receives the writable backing table. */
static int frozen_index(lua_State *L)
{
	lua_settop(L, 2);
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	if (lua_type(L, lua_upvalueindex(2)) == LUA_TFUNCTION) {
		lua_pushvalue(L, lua_upvalueindex(2));
		lua_pushvalue(L, 1);
		lua_pushvalue(L, 2);
		lua_call(L, 2, 1);
		return 1;
	}
	lua_pushvalue(L, 2);
	lua_gettable(L, lua_upvalueindex(2));
	return 1;
}

void sa__lua_proxy_mt(lua_State *L)
{
	lua_createtable(L, 0, 4); /* t mt */
	lua_rotate(L, -2, 1);     /* mt t */
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, sb_frozen);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, proxy_len);
	lua_setfield(L, -2, "__len");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
}

void sa__lua_frozen_mt(lua_State *L, int orig)
{
	int backing = lua_gettop(L);
	orig = orig ? lua_absindex(L, orig) : 0;
	lua_pushvalue(L, backing);
	sa__lua_proxy_mt(L); /* backing mt */
	if (!orig) {
		lua_remove(L, backing);
		return;
	}
	/* the operators of the original metatable act on the proxy: the VM passes the proxy */
	lua_pushnil(L);
	while (lua_next(L, orig)) {
		static const char *const own[] = { "__index", "__newindex", "__len", "__metatable", "__gc", "__mode",
			                           "__pairs", "__name", NULL };
		int skip = lua_type(L, -2) != LUA_TSTRING;
		for (int i = 0; !skip && own[i]; i++)
			skip = strcmp(lua_tostring(L, -2), own[i]) == 0;
		if (skip) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	lua_pushliteral(L, "__len");
	if (lua_rawget(L, orig) != LUA_TNIL)
		lua_setfield(L, -2, "__len");
	else
		lua_pop(L, 1);
	lua_pushliteral(L, "__index");
	if (lua_rawget(L, orig) != LUA_TNIL) {
		lua_pushvalue(L, backing);
		lua_insert(L, -2);
		lua_pushcclosure(L, frozen_index, 2);
		lua_setfield(L, -2, "__index");
	} else {
		lua_pop(L, 1);
	}
	lua_remove(L, backing);
}

void sa__lua_push_proxy(lua_State *L)
{
	lua_newtable(L);       /* t proxy */
	lua_rotate(L, -2, 1);  /* proxy t */
	sa__lua_proxy_mt(L);   /* proxy mt */
	lua_setmetatable(L, -2);
}

int sa__lua_backing(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_pushliteral(L, "__newindex");
	if (lua_rawget(L, -2) != LUA_TFUNCTION || lua_tocfunction(L, -1) != sb_frozen) {
		lua_pop(L, 2);
		return 0;
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "__index");
	if (lua_rawget(L, -2) == LUA_TFUNCTION && lua_tocfunction(L, -1) == frozen_index) {
		lua_getupvalue(L, -1, 1);
		lua_remove(L, -2);
	}
	lua_remove(L, -2);
	return 1;
}

int sa__lua_is_sandbox_table(lua_State *L, int idx)
{
	int yes = 0;
	idx = lua_absindex(L, idx);
	if (!lua_getmetatable(L, idx))
		return 0;
	lua_pushliteral(L, "__newindex");
	if (lua_rawget(L, -2) == LUA_TFUNCTION)
		yes = lua_tocfunction(L, -1) == sb_frozen || lua_tocfunction(L, -1) == sb_global_write;
	lua_pop(L, 1);
	lua_pushliteral(L, "__index");
	if (lua_rawget(L, -2) == LUA_TFUNCTION)
		yes |= lua_tocfunction(L, -1) == sb_undeclared;
	lua_pop(L, 2);
	return yes;
}

/* [-0, +1, m] new pack environment: E (empty, frozen) -> G (base + rules + super, strict) */
void sa__lua_push_env(lua_State *L, int rules_idx, int super_idx)
{
	rules_idx = lua_absindex(L, rules_idx);
	super_idx = super_idx ? lua_absindex(L, super_idx) : 0;
	lua_newtable(L); /* G */
	lua_getfield(L, LUA_REGISTRYINDEX, "sa.base");
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -5);
	}
	lua_pop(L, 1);
	lua_pushvalue(L, rules_idx);
	lua_setfield(L, -2, "rules");
	if (super_idx) {
		lua_pushvalue(L, super_idx);
		lua_setfield(L, -2, "super");
	}
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, sb_undeclared);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_newtable(L); /* E */
	lua_createtable(L, 0, 3);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, sb_global_write);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_remove(L, -2);
}

/* ---- a fixed order of keys ---- */

static int key_rank(lua_State *L, int idx)
{
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN: return 0;
	case LUA_TNUMBER: return 1;
	case LUA_TSTRING: return 2;
	default: return -1;
	}
}

static void check_key(lua_State *L, int idx)
{
	if (key_rank(L, idx) < 0)
		luaL_error(L, "pairs/next: a key of type %s has no stable order (use booleans, numbers or text as keys)",
		           luaL_typename(L, idx));
}

/* <0, 0, >0 like strcmp; keys must have a rank */
static int key_cmp(lua_State *L, int a, int b)
{
	int ra = key_rank(L, a), rb = key_rank(L, b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0)
		return lua_toboolean(L, a) - lua_toboolean(L, b);
	if (ra == 1) {
		if (lua_isinteger(L, a) && lua_isinteger(L, b)) {
			lua_Integer x = lua_tointeger(L, a), y = lua_tointeger(L, b);
			return x < y ? -1 : x > y;
		} else {
			lua_Number x = lua_tonumber(L, a), y = lua_tonumber(L, b);
			if (x != y)
				return x < y ? -1 : 1;
			return lua_isinteger(L, b) - lua_isinteger(L, a);
		}
	}
	{
		size_t la, lb;
		const char *sa = lua_tolstring(L, a, &la), *sb = lua_tolstring(L, b, &lb);
		int c = memcmp(sa, sb, la < lb ? la : lb);
		if (c)
			return c;
		return la < lb ? -1 : la > lb;
	}
}

/* Stable bottom-up merge sort of arr[1..n] (a table at index arr). less(L, i, j, ud) compares
 * the values at stack indices i, j. Uses one scratch table. */
typedef int (*less_fn)(lua_State *L, int a, int b, void *ud);

static void merge_sort(lua_State *L, int arr, lua_Integer n, less_fn less, void *ud)
{
	int src, dst;
	arr = lua_absindex(L, arr);
	luaL_checkstack(L, 8, "sort");
	lua_createtable(L, (int)n, 0);
	src = arr;
	dst = lua_gettop(L);
	for (lua_Integer w = 1; w < n; w *= 2) {
		for (lua_Integer lo = 1; lo <= n; lo += 2 * w) {
			lua_Integer mid = lo + w, hi = lo + 2 * w, i = lo, j = mid, k = lo;
			if (mid > n + 1)
				mid = n + 1;
			if (hi > n + 1)
				hi = n + 1;
			while (i < mid && j < hi) {
				int take_right;
				lua_rawgeti(L, src, j);
				lua_rawgeti(L, src, i);
				sa__lua_charge(L, SA_CMP_COST);
				take_right = less(L, -2, -1, ud); /* right < left: take right (stable) */
				lua_pop(L, 2);
				lua_rawgeti(L, src, take_right ? j++ : i++);
				lua_rawseti(L, dst, k++);
			}
			while (i < mid) {
				lua_rawgeti(L, src, i++);
				lua_rawseti(L, dst, k++);
			}
			while (j < hi) {
				lua_rawgeti(L, src, j++);
				lua_rawseti(L, dst, k++);
			}
		}
		{
			int t = src;
			src = dst;
			dst = t;
		}
	}
	if (src != arr) /* result is in the scratch table: copy back */
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, src, i);
			lua_rawseti(L, arr, i);
		}
	lua_pop(L, 1);
}


/* pairs' key list sorted in C: the same order as key_cmp, on copies of the keys (strings stay
 * alive in the key list while sorting). Keys are distinct, so any sort gives that order. */
typedef struct {
	int rank;
	int is_int;
	lua_Integer i;
	lua_Number n;
	const char *s;
	size_t len;
	lua_Integer at; /* position in the unsorted key list */
} sort_key;

static int sort_key_cmp(const void *pa, const void *pb)
{
	const sort_key *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 0)
		return (int)a->i - (int)b->i;
	if (a->rank == 1) {
		if (a->is_int && b->is_int)
			return a->i < b->i ? -1 : a->i > b->i;
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		return b->is_int - a->is_int;
	}
	{
		int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
		if (c)
			return c;
		return a->len < b->len ? -1 : a->len > b->len;
	}
}

/* [-0, +0, m] sort the n keys of the list at index keys in place */
static void sort_keys(lua_State *L, int keys, lua_Integer n)
{
	sort_key *k;
	keys = lua_absindex(L, keys);
	k = lua_newuserdatauv(L, (size_t)n * sizeof *k, 0); /* collected with the state on error */
	for (lua_Integer i = 0; i < n; i++) {
		sort_key *x = &k[i];
		lua_rawgeti(L, keys, i + 1);
		x->rank = key_rank(L, -1);
		x->at = i + 1;
		x->is_int = lua_isinteger(L, -1);
		x->i = x->rank == 0 ? lua_toboolean(L, -1) : x->is_int ? lua_tointeger(L, -1) : 0;
		x->n = x->rank == 1 ? lua_tonumber(L, -1) : 0;
		x->s = x->rank == 2 ? lua_tolstring(L, -1, &x->len) : NULL;
		lua_pop(L, 1);
	}
	qsort(k, (size_t)n, sizeof *k, sort_key_cmp);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, keys, k[i].at);
		lua_rawseti(L, -2, i + 1);
	}
	lua_replace(L, keys);
	lua_pop(L, 1);
}

/* ---- pairs, next ---- */

static int pairs_iter(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
	lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(1));
	while (++i <= n) {
		lua_rawgeti(L, lua_upvalueindex(1), i);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) {
			lua_pushinteger(L, i);
			lua_replace(L, lua_upvalueindex(3));
			return 2;
		}
		lua_pop(L, 2);
	}
	lua_pushinteger(L, n);
	lua_replace(L, lua_upvalueindex(3));
	lua_pushnil(L);
	return 1;
}

static int sb_next(lua_State *L);

#define PAIRS_SMALL 8 /* keys: up to this many, pairs walks with next (O(n^2) in all, n small) */

static int sb_pairs(lua_State *L)
{
	lua_Integer n = 0;
	luaL_checkany(L, 1);
	lua_settop(L, 1);
	lua_pushvalue(L, 1); /* 2: what the caller gave, handed back as the state (never a backing table) */
	lua_insert(L, 1);    /* 1: the table to walk, 2: the caller's */
	if (sa__lua_backing(L, 1)) {
		lua_replace(L, 1);
	} else if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	/* A small table (most that rules walk: a member's incomes, per-member states) is walked
	 * by sb_next itself, O(n) per step: no key list, no sort, no closure to allocate. */
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		check_key(L, -1);
		if (++n > PAIRS_SMALL) {
			lua_pop(L, 1);
			break;
		}
	}
	if (n <= PAIRS_SMALL) {
		sa__lua_charge(L, (uint64_t)n);
		lua_pushcfunction(L, sb_next);
		lua_pushvalue(L, 2);
		lua_pushnil(L);
		return 3;
	}
	n = 0;
	lua_newtable(L); /* 3: keys */
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		check_key(L, -1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, 3, ++n);
	}
	sa__lua_charge(L, (uint64_t)n);
	for (lua_Integer w = 1; w < n; w *= 2) /* the comparisons of a merge sort, as table.sort */
		sa__lua_charge(L, (uint64_t)n * SA_CMP_COST);
	sort_keys(L, 3, n);
	lua_pushvalue(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, pairs_iter, 3); /* keys, table, position: out of the rules' reach */
	lua_pushvalue(L, 2);
	lua_pushnil(L);
	return 3;
}

/* next(t, k): the smallest key after k in the fixed order. O(#t) per call, charged. */
static int sb_next(lua_State *L)
{
	uint64_t n = 0;
	int have = 0;
	lua_settop(L, 2);
	if (sa__lua_backing(L, 1))
		lua_replace(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!lua_isnil(L, 2))
		check_key(L, 2);
	lua_pushnil(L); /* 3: best */
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		n++;
		check_key(L, -1);
		if ((lua_isnil(L, 2) || key_cmp(L, -1, 2) > 0) && (!have || key_cmp(L, -1, 3) < 0)) {
			lua_pushvalue(L, -1);
			lua_replace(L, 3);
			have = 1;
		}
	}
	sa__lua_charge(L, n * SA_SCAN_COST);
	if (!have) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushvalue(L, 3);
	lua_pushvalue(L, 3);
	lua_rawget(L, 1);
	return 2;
}

/* ---- setmetatable ---- */

/* setmetatable(t, mt) installs a private copy of mt whose __metatable is mt itself: later
 * changes to mt (adding __gc or __mode) cannot reach the collector, and getmetatable(t)
 * still returns mt. __gc and __mode are refused outright. */
static int sb_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (!lua_isnil(L, 2))
		luaL_checktype(L, 2, LUA_TTABLE);
	if (lua_getmetatable(L, 1)) { /* 3 */
		lua_getfield(L, LUA_REGISTRYINDEX, "sa.mtcopies");
		lua_pushvalue(L, 3);
		if (lua_rawget(L, -2) == LUA_TNIL) {
			lua_pushliteral(L, "__metatable");
			if (lua_rawget(L, 3) != LUA_TNIL)
				return luaL_error(L, "cannot change a protected metatable");
		}
		lua_settop(L, 2);
	}
	if (lua_isnil(L, 2)) {
		lua_setmetatable(L, 1);
		return 1;
	}
	lua_pushliteral(L, "__gc");
	lua_pushliteral(L, "__mode");
	if (lua_rawget(L, 2) != LUA_TNIL || (lua_pop(L, 1), lua_rawget(L, 2)) != LUA_TNIL)
		return luaL_error(L, "setmetatable: __gc and __mode are not allowed in policies");
	lua_settop(L, 2);
	lua_newtable(L); /* 3: the copy */
	if (!sa__lua_backing(L, 2)) /* a frozen metatable: copy what it holds */
		lua_pushvalue(L, 2);
	lua_pushliteral(L, "__gc");
	lua_pushliteral(L, "__mode");
	if (lua_rawget(L, 4) != LUA_TNIL || (lua_pop(L, 1), lua_rawget(L, 4)) != LUA_TNIL)
		return luaL_error(L, "setmetatable: __gc and __mode are not allowed in policies");
	lua_pop(L, 1);
	lua_pushnil(L);
	while (lua_next(L, 4)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, 3);
	}
	lua_pop(L, 1);
	lua_pushliteral(L, "__metatable");
	if (lua_rawget(L, 3) == LUA_TNIL) {
		lua_pushliteral(L, "__metatable");
		lua_pushvalue(L, 2);
		lua_rawset(L, 3);
	}
	lua_pop(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, "sa.mtcopies");
	lua_pushvalue(L, 3);
	lua_pushboolean(L, 1);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_setmetatable(L, 1);
	lua_settop(L, 1);
	return 1;
}

/* ---- pcall/xpcall that never swallow a tripped limit or out-of-memory ---- */

static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
	sa_lua *s = sa__lua_self(L);
	if (s->tripped || status == LUA_ERRMEM)
		return lua_error(L);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

static int sb_pcall(lua_State *L)
{
	int status;
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
	return finish_pcall(L, status, 0);
}

static int sb_xpcall(lua_State *L)
{
	int status, n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);
	status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
	return finish_pcall(L, status, 2);
}

/* tostring without addresses: they differ between states and would make outcomes vary. */
static int sb_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL || lua_type(L, 1) <= LUA_TSTRING ||
	    lua_type(L, 1) == LUA_TNUMBER) {
		lua_settop(L, 1);
		luaL_tolstring(L, 1, NULL);
		return 1;
	}
	lua_pushstring(L, luaL_typename(L, 1));
	return 1;
}

/* ---- string and utf8: charged by input size ---- */

static int call_orig(lua_State *L)
{
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static int charged(lua_State *L)
{
	uint64_t cost = 1;
	for (int i = 1, n = lua_gettop(L); i <= n; i++)
		if (lua_type(L, i) == LUA_TSTRING)
			cost += lua_rawlen(L, i) / SA_BYTES_PER_UNIT;
	sa__lua_charge(L, cost);
	return call_orig(L);
}

/* string.format: no %p (an address), and no address for tables/functions through %s */
static int sb_format(lua_State *L)
{
	size_t len;
	const char *f = luaL_checklstring(L, 1, &len);
	for (size_t i = 0; i + 1 < len; i++) {
		if (f[i] != '%')
			continue;
		i++;
		if (f[i] == '%')
			continue;
		while (i < len && strchr("-+ #0123456789.", f[i]))
			i++;
		if (i < len && f[i] == 'p')
			return luaL_error(L, "string.format: %%p is not allowed in policies");
	}
	for (int i = 2, n = lua_gettop(L); i <= n; i++) {
		int t = lua_type(L, i);
		if (t == LUA_TNIL || t == LUA_TBOOLEAN || t == LUA_TNUMBER || t == LUA_TSTRING)
			continue;
		if (luaL_getmetafield(L, i, "__tostring") != LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushstring(L, luaL_typename(L, i));
		lua_replace(L, i);
	}
	return charged(L);
}

static int sb_rep(lua_State *L)
{
	size_t l, lsep;
	const char *str = luaL_checklstring(L, 1, &l);
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *sep = luaL_optlstring(L, 3, "", &lsep);
	luaL_Buffer b;
	if (n <= 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	if (l + lsep == 0 || (size_t)n > SA_REP_MAX / (l + lsep))
		return luaL_error(L, "string.rep: result longer than %d bytes", (int)SA_REP_MAX);
	sa__lua_charge(L, 1 + (uint64_t)n * (l + lsep) / SA_BYTES_PER_UNIT);
	luaL_buffinit(L, &b);
	for (lua_Integer i = 0; i < n; i++) {
		if (i)
			luaL_addlstring(&b, sep, lsep);
		luaL_addlstring(&b, str, l);
	}
	luaL_pushresult(&b);
	return 1;
}

/* ---- table: charged by the elements they touch ---- */

static int sb_insert(lua_State *L)
{
	lua_Integer n = luaL_len(L, 1);
	uint64_t cost = 1;
	if (lua_gettop(L) == 3 && lua_isinteger(L, 2) && lua_tointeger(L, 2) <= n)
		cost += (uint64_t)(n - lua_tointeger(L, 2) + 1);
	sa__lua_charge(L, cost);
	return call_orig(L);
}

static int sb_remove(lua_State *L)
{
	lua_Integer n = luaL_len(L, 1);
	uint64_t cost = 1;
	if (lua_gettop(L) >= 2 && lua_isinteger(L, 2) && lua_tointeger(L, 2) < n)
		cost += (uint64_t)(n - lua_tointeger(L, 2));
	sa__lua_charge(L, cost);
	return call_orig(L);
}

/* [i, j] range of table functions: defaults 1 and #t; returns its size (0 if empty) */
static lua_Integer range(lua_State *L, int ii, int jj, const char *what, lua_Integer max)
{
	lua_Integer i = luaL_optinteger(L, ii, 1);
	lua_Integer j = lua_isnoneornil(L, jj) ? luaL_len(L, 1) : luaL_checkinteger(L, jj);
	if (i > j)
		return 0;
	if ((lua_Unsigned)j - (lua_Unsigned)i >= (lua_Unsigned)max)
		luaL_error(L, "%s: more than %d elements", what, (int)max);
	return j - i + 1;
}

static int sb_concat(lua_State *L)
{
	lua_Integer n = range(L, 3, 4, "table.concat", SA_RANGE_MAX);
	size_t lsep = 0;
	if (lua_type(L, 2) == LUA_TSTRING)
		lsep = lua_rawlen(L, 2);
	sa__lua_charge(L, 1 + (uint64_t)n * (1 + lsep / SA_BYTES_PER_UNIT));
	return call_orig(L);
}

static int sb_unpack(lua_State *L)
{
	lua_Integer n = range(L, 2, 3, "table.unpack", SA_UNPACK_MAX);
	sa__lua_charge(L, 1 + (uint64_t)n);
	return call_orig(L);
}

static int sort_less(lua_State *L, int a, int b, void *ud)
{
	int r;
	a = lua_absindex(L, a);
	b = lua_absindex(L, b);
	if (ud) {
		lua_pushvalue(L, 2);
		lua_pushvalue(L, a);
		lua_pushvalue(L, b);
		lua_call(L, 2, 1);
		r = lua_toboolean(L, -1);
		lua_pop(L, 1);
		return r;
	}
	if (lua_type(L, a) == LUA_TSTRING && lua_type(L, b) == LUA_TSTRING)
		return key_cmp(L, a, b) < 0; /* by bytes, not strcoll: no locale dependence */
	return lua_compare(L, a, b, LUA_OPLT);
}

/* table.sort: stable merge sort, O(n log n) comparisons whatever the comparator does */
static int sb_sort(lua_State *L)
{
	lua_Integer n;
	luaL_checktype(L, 1, LUA_TTABLE);
	n = luaL_len(L, 1);
	if (n > SA_RANGE_MAX)
		return luaL_error(L, "table.sort: more than %d elements", SA_RANGE_MAX);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	sa__lua_charge(L, 1 + (uint64_t)n);
	lua_createtable(L, (int)n, 0); /* 3: the elements */
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		lua_rawseti(L, 3, i);
	}
	merge_sort(L, 3, n, sort_less, lua_isnil(L, 2) ? NULL : (void *)L);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 3, i);
		lua_seti(L, 1, i);
	}
	return 0;
}

/* ---- assembling the base table ---- */

static const char *const base_names[] = { "assert", "error", "ipairs", "select", "tonumber", "type", "getmetatable",
	                                  "_VERSION", NULL };
static const char *const string_names[] = { "byte", "char", "format", "len", "lower", "upper", "sub", "rep",
	                                    "reverse", NULL };
static const char *const string_removed[] = { "dump", "find", "match", "gmatch", "gsub", "pack", "unpack",
	                                      "packsize", NULL };
static const char *const table_names[] = { "concat", "insert", "remove", "sort", "unpack", "pack", NULL };
static const char *const math_names[] = { "abs", "ceil", "floor", "max", "min", "huge", "maxinteger",
	                                  "mininteger", "tointeger", "type", "fmod", "ult", "pi", "sqrt", NULL };
static const char *const utf8_names[] = { "char", "charpattern", "codepoint", "len", "offset", NULL };

/* [-0, +0, m] wrap t[name] in a C closure f(orig) */
static void wrap(lua_State *L, int t, const char *name, lua_CFunction f)
{
	if (lua_getfield(L, t, name) != LUA_TFUNCTION) {
		lua_pop(L, 1);
		return;
	}
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, t, name);
}

/* [-0, +0, m] base[libname] = proxy of the named fields of the library table at lib */
static void add_lib(lua_State *L, int base, int lib, const char *libname, const char *const *names)
{
	lua_newtable(L);
	for (int i = 0; names[i]; i++) {
		lua_getfield(L, lib, names[i]);
		lua_setfield(L, -2, names[i]);
	}
	sa__lua_push_proxy(L);
	lua_setfield(L, base, libname);
}

void sa__lua_safelib(lua_State *L, int base)
{
	int lib;
	base = lua_absindex(L, base);
	/* private weak-keyed set of the metatable copies made by setmetatable */
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, "sa.mtcopies");

	lua_pushglobaltable(L);
	for (int i = 0; base_names[i]; i++) {
		lua_getfield(L, -1, base_names[i]);
		lua_setfield(L, base, base_names[i]);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, sb_setmetatable);
	lua_setfield(L, base, "setmetatable");
	lua_pushcfunction(L, sb_pcall);
	lua_setfield(L, base, "pcall");
	lua_pushcfunction(L, sb_xpcall);
	lua_setfield(L, base, "xpcall");
	lua_pushcfunction(L, sb_tostring);
	lua_setfield(L, base, "tostring");
	lua_pushcfunction(L, sb_pairs);
	lua_setfield(L, base, "pairs");
	lua_pushcfunction(L, sb_next);
	lua_setfield(L, base, "next");

	/* The real string table is reachable through ("").method: patch it in place. */
	lua_getglobal(L, LUA_STRLIBNAME);
	lib = lua_gettop(L);
	for (int i = 0; string_removed[i]; i++) {
		lua_pushnil(L);
		lua_setfield(L, lib, string_removed[i]);
	}
	for (int i = 0; string_names[i]; i++)
		wrap(L, lib, string_names[i], charged);
	lua_pushcfunction(L, sb_rep);
	lua_setfield(L, lib, "rep");
	lua_getfield(L, lib, "format");
	lua_getupvalue(L, -1, 1); /* the original, under the generic wrapper */
	lua_pushcclosure(L, sb_format, 1);
	lua_setfield(L, lib, "format");
	lua_pop(L, 1);
	add_lib(L, base, lib, "string", string_names);
	lua_pop(L, 1);
	/* Hide the shared string metatable. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);

	lua_getglobal(L, LUA_TABLIBNAME);
	lib = lua_gettop(L);
	wrap(L, lib, "insert", sb_insert);
	wrap(L, lib, "remove", sb_remove);
	wrap(L, lib, "concat", sb_concat);
	wrap(L, lib, "unpack", sb_unpack);
	lua_pushcfunction(L, sb_sort);
	lua_setfield(L, lib, "sort");
	add_lib(L, base, lib, "table", table_names);
	lua_pop(L, 1);

	lua_getglobal(L, LUA_MATHLIBNAME);
	add_lib(L, base, lua_gettop(L), "math", math_names);
	lua_pop(L, 1);

	lua_getglobal(L, LUA_UTF8LIBNAME);
	lib = lua_gettop(L);
	for (int i = 0; utf8_names[i]; i++)
		wrap(L, lib, utf8_names[i], charged);
	add_lib(L, base, lib, "utf8", utf8_names);
	lua_pop(L, 1);
}
