/* sandbox.c - building a sandboxed Lua state for a policy: allow-listed libraries, frozen
 * globals, per-pack environments with `rules` and `super`, a memory cap and a sticky
 * instruction limit. See docs/lua-api.md and ../shared/reference/lua-sandbox.md. */
#include "bridge.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#define SA_HOOK_PERIOD 1000
#define SA_REP_MAX ((size_t)1 << 20) /* string.rep result cap, bytes */


/* ---- allocator with a cap ---- */

static void *sa_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	sa_lua *s = ud;
	if (!ptr)
		osize = 0; /* osize is a type tag then */
	if (nsize == 0) {
		if (ptr) {
			if (s->lim.alloc)
				s->lim.alloc(s->lim.alloc_ud, ptr, osize, 0);
			else
				free(ptr);
			s->mem_used -= osize;
		}
		return NULL;
	}
	if (nsize > osize && s->mem_used + (nsize - osize) > s->lim.memory_limit)
		return NULL;
	{
		void *np = s->lim.alloc ? s->lim.alloc(s->lim.alloc_ud, ptr, osize, nsize) : realloc(ptr, nsize);
		if (!np)
			return NULL;
		s->mem_used = s->mem_used - osize + nsize;
		return np;
	}
}

/* ---- instruction limit ---- */

static void count_hook(lua_State *L, lua_Debug *ar)
{
	sa_lua *s = sa__lua_self(L);
	(void)ar;
	if (!s->tripped) {
		s->instructions += SA_HOOK_PERIOD;
		if (s->instructions <= s->lim.instruction_limit)
			return;
		s->tripped = true;
		/* From now on trip at every instruction, so no pcall can swallow it. */
		lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
	}
	luaL_error(L, "instruction limit of %llu exceeded", (unsigned long long)s->lim.instruction_limit);
}

void sa__lua_begin(sa_lua *s, sa_date as_of)
{
	s->instructions = 0;
	s->tripped = false;
	s->as_of = as_of;
	lua_sethook(s->L, count_hook, LUA_MASKCOUNT, SA_HOOK_PERIOD);
}

/* ---- safe replacements of base functions ---- */

static int sb_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		if (lua_getfield(L, 2, "__gc") != LUA_TNIL || lua_getfield(L, 2, "__mode") != LUA_TNIL)
			return luaL_error(L, "setmetatable: __gc and __mode are not allowed in policies");
		lua_pop(L, 2);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* pcall/xpcall that never swallow the instruction limit or out-of-memory. */
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
	luaL_buffinit(L, &b);
	for (lua_Integer i = 0; i < n; i++) {
		if (i)
			luaL_addlstring(&b, sep, lsep);
		luaL_addlstring(&b, str, l);
	}
	luaL_pushresult(&b);
	return 1;
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

/* [-1, +1, m] replace the table on top with a read-only proxy of it */
static void push_proxy(lua_State *L)
{
	lua_newtable(L);              /* t proxy */
	lua_createtable(L, 0, 3);     /* t proxy mt */
	lua_rotate(L, -3, -1);        /* proxy mt t */
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, sb_frozen);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);      /* proxy */
}

/* [-0, +1, m] a table with the named fields copied from the table at idx */
static void push_subset(lua_State *L, int idx, const char *const *names)
{
	idx = lua_absindex(L, idx);
	lua_newtable(L);
	for (int i = 0; names[i]; i++) {
		lua_getfield(L, idx, names[i]);
		lua_setfield(L, -2, names[i]);
	}
}

static const char *const base_names[] = { "assert", "error", "ipairs", "next", "pairs", "select", "tonumber",
	                                  "tostring", "type", "getmetatable", "_VERSION", NULL };
static const char *const string_names[] = { "byte", "char", "format", "len", "lower", "upper", "sub", "rep",
	                                    "reverse", NULL };
static const char *const string_removed[] = { "dump", "find", "match", "gmatch", "gsub", "pack", "unpack",
	                                      "packsize", NULL };
static const char *const table_names[] = { "concat", "insert", "remove", "sort", "unpack", "pack", NULL };
static const char *const math_names[] = { "abs", "ceil", "floor", "max", "min", "huge", "maxinteger",
	                                  "mininteger", "tointeger", "type", "fmod", "ult", "pi", "sqrt", NULL };
static const char *const utf8_names[] = { "char", "charpattern", "codepoint", "len", "offset", NULL };

/* Runs protected: opens the allowed libraries and builds the frozen base table (registry "sa.base"). */
static int setup(lua_State *L)
{
	luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
	lua_settop(L, 0);

	/* The real string table is reachable through ("").method: strip it in place. */
	lua_getglobal(L, LUA_STRLIBNAME);
	for (int i = 0; string_removed[i]; i++) {
		lua_pushnil(L);
		lua_setfield(L, -2, string_removed[i]);
	}
	lua_pushcfunction(L, sb_rep);
	lua_setfield(L, -2, "rep");
	lua_pop(L, 1);
	/* Hide and freeze the shared string metatable. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);

	lua_newtable(L); /* base */
	lua_pushglobaltable(L);
	for (int i = 0; base_names[i]; i++) {
		lua_getfield(L, -1, base_names[i]);
		lua_setfield(L, -3, base_names[i]);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, sb_setmetatable);
	lua_setfield(L, -2, "setmetatable");
	lua_pushcfunction(L, sb_pcall);
	lua_setfield(L, -2, "pcall");
	lua_pushcfunction(L, sb_tostring);
	lua_setfield(L, -2, "tostring");
	lua_pushcfunction(L, sb_xpcall);
	lua_setfield(L, -2, "xpcall");

	lua_getglobal(L, LUA_STRLIBNAME);
	push_subset(L, -1, string_names);
	push_proxy(L);
	lua_setfield(L, -3, "string");
	lua_pop(L, 1);
	lua_getglobal(L, LUA_TABLIBNAME);
	push_subset(L, -1, table_names);
	push_proxy(L);
	lua_setfield(L, -3, "table");
	lua_pop(L, 1);
	lua_getglobal(L, LUA_MATHLIBNAME);
	push_subset(L, -1, math_names);
	push_proxy(L);
	lua_setfield(L, -3, "math");
	lua_pop(L, 1);
	lua_getglobal(L, LUA_UTF8LIBNAME);
	push_subset(L, -1, utf8_names);
	push_proxy(L);
	lua_setfield(L, -3, "utf8");
	lua_pop(L, 1);
	sa__lua_open_api(L); /* pushes the sa library table */
	push_proxy(L);
	lua_setfield(L, -2, "sa");
	lua_setfield(L, LUA_REGISTRYINDEX, "sa.base");

	/* The state's own global table is never given to policies; empty it anyway. */
	lua_pushglobaltable(L);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_pushnil(L);
		lua_rawset(L, -4);
	}
	lua_pop(L, 1);
	{
		sa_lua *s = sa__lua_self(L);
		lua_newtable(L);
		s->ratio_cache = luaL_ref(L, LUA_REGISTRYINDEX);
		lua_newtable(L);
		s->rules_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	return 0;
}

/* Message handler: keep the message (it already names file:line), add nothing on OOM. */
static int msgh(lua_State *L)
{
	if (!lua_isstring(L, 1))
		lua_pushliteral(L, "error object is not a string");
	return 1;
}

/* Parse "chunk:LINE: msg" into source and line for sa_error. */
static int report(sa_lua *s, int status, const char *what)
{
	const char *msg = lua_tostring(s->L, -1);
	char src[256] = { 0 };
	int line = 0;
	int code = status == LUA_ERRMEM ? SA_ENOMEM : s->tripped ? SA_ELIMIT : SA_EPOLICY;
	if (!msg)
		msg = status == LUA_ERRMEM ? "not enough memory" : "unknown error";
	{
		const char *c1 = strchr(msg, ':');
		if (c1 && (size_t)(c1 - msg) < sizeof src) {
			char *end;
			long ln = strtol(c1 + 1, &end, 10);
			if (end != c1 + 1 && *end == ':') {
				memcpy(src, msg, (size_t)(c1 - msg));
				line = (int)ln;
			}
		}
	}
	if (status == LUA_ERRMEM)
		sa__error_at(code, s->pol ? sa__policy_leaf(s->pol)->id : NULL, 0, 0,
		             "%s: memory limit of %zu bytes exceeded (pack %s)", what, s->lim.memory_limit,
		             s->pol ? sa__policy_leaf(s->pol)->id : "?");
	else
		sa__error_at(code, src[0] ? src : NULL, line, 0, "%s: %s", what, msg);
	lua_pop(s->L, 1);
	return code;
}

int sa__lua_pcall(sa_lua *s, int nargs, int nres, const char *what)
{
	lua_State *L = s->L;
	int base = lua_gettop(L) - nargs, status;
	lua_pushcfunction(L, msgh);
	lua_insert(L, base);
	status = lua_pcall(L, nargs, nres, base);
	lua_remove(L, base);
	if (status != LUA_OK)
		return report(s, status, what);
	return SA_OK;
}

/* [-0, +1, m] new pack environment: E (empty, frozen) -> G (base + rules + super, strict) */
static void push_env(lua_State *L, int rules_idx, int super_idx)
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
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, sb_undeclared);
	lua_setfield(L, -2, "__index");
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

/* Runs protected: compiles and runs every rule file of the chain, root first. Errors carry
 * "pack/rules/file.lua:LINE:" so they can be reported with a position. */
static int load_rules_k(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->rules_ref); /* 1: the real rules table */
	lua_newtable(L);                                  /* 2: the environments */
	for (size_t i = 0; i < s->pol->n; i++) {
		const sa_pack *p = s->pol->chain[i];
		if (i > 0) {
			/* super = read-only snapshot of the rules as the ancestors left them */
			lua_newtable(L);
			lua_pushnil(L);
			while (lua_next(L, 1)) {
				lua_pushvalue(L, -2);
				lua_insert(L, -2);
				lua_rawset(L, 3);
			}
			push_proxy(L); /* 3: super */
		}
		push_env(L, 1, i > 0 ? 3 : 0);
		if (i > 0)
			lua_remove(L, 3);
		/* 3: E */
		for (size_t j = 0; j < p->nrules; j++) {
			const sa_pfile *f = &p->rules[j];
			char chunk[300];
			if (f->len && f->text[0] == LUA_SIGNATURE[0])
				return luaL_error(L, "%s:1: binary chunks are not accepted", f->name);
			snprintf(chunk, sizeof chunk, "=%s", f->name);
			if (luaL_loadbufferx(L, f->text, f->len, chunk, "t") != LUA_OK)
				return lua_error(L);
			lua_pushvalue(L, 3);
			lua_setupvalue(L, -2, 1); /* _ENV */
			lua_call(L, 0, 0);
		}
		lua_rawseti(L, 2, (lua_Integer)lua_rawlen(L, 2) + 1);
	}
	/* After loading, `rules` is read-only in every environment. */
	lua_pushvalue(L, 1);
	push_proxy(L); /* 3 */
	for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, 2); i++) {
		lua_rawgeti(L, 2, i);           /* E */
		lua_getmetatable(L, -1);        /* E mt */
		lua_getfield(L, -1, "__index"); /* E mt G */
		lua_pushvalue(L, 3);
		lua_setfield(L, -2, "rules");
		lua_pop(L, 3);
	}
	lua_settop(L, 0);
	return 0;
}

int sa__lua_new(sa_lua **out, const sa_policy *pol, const sa_lua_limits *lim)
{
	sa_lua *s = calloc(1, sizeof *s);
	int rc;
	*out = NULL;
	if (!s)
		return sa__error_oom();
	s->pol = pol;
	s->lim = *lim;
	s->rules_ref = LUA_NOREF;
	s->ratio_cache = LUA_NOREF;
	if (!(s->L = lua_newstate(sa_lua_alloc, s))) {
		free(s);
		return sa__error_oom();
	}
	*(sa_lua **)lua_getextraspace(s->L) = s; /* no allocation: safe before protected mode */
	lua_pushcfunction(s->L, setup);
	if ((rc = sa__lua_pcall(s, 0, 0, "building the sandbox")) < 0)
		goto fail;
	sa__lua_begin(s, 0); /* loading is bounded by the same instruction limit */
	lua_pushcfunction(s->L, load_rules_k);
	if ((rc = sa__lua_pcall(s, 0, 0, "loading rules")) < 0)
		goto fail;
	lua_sethook(s->L, NULL, 0, 0);
	lua_gc(s->L, LUA_GCCOLLECT);
	*out = s;
	return SA_OK;
fail:
	sa__lua_free(s);
	return rc;
}

void sa__lua_free(sa_lua *s)
{
	if (!s)
		return;
	if (s->L)
		lua_close(s->L);
	free(s);
}

sa_lua *sa__lua_self(lua_State *L)
{
	return *(sa_lua **)lua_getextraspace(L);
}
