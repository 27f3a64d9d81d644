/* call.c - calling any named rule function with documents in and a document out:
 * rules.<name>(h, arg, ctx) -> table, converted to an sa_value tree. Used by the parts of
 * libsa that are not the core decision (monitoring, services, temporary assistance). */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>


typedef struct {
	const char *name;
	const sa_value *household;
	const sa_value *arg;
	sa_value **out;
	size_t items;
} call_args;

static void to_value(lua_State *L, int idx, sa_value **out, int depth, call_args *a);

static void put(lua_State *L, sa_value *c, const char *key, sa_value *v)
{
	int rc = key ? sa__value_put(c, key, v) : sa__value_push(c, v);
	if (rc < 0)
		luaL_error(L, "not enough memory");
}

static void to_value(lua_State *L, int idx, sa_value **out, int depth, call_args *a)
{
	sa_value *v = NULL;
	idx = lua_absindex(L, idx);
	if (++a->items > SA_RESULT_MAX_ITEMS)
		luaL_error(L, "rules.%s returned more than %d values", a->name, SA_RESULT_MAX_ITEMS);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		v = sa__value_new(SA_V_NULL);
		break;
	case LUA_TBOOLEAN:
		if ((v = sa__value_new(SA_V_BOOL)))
			v->num = lua_toboolean(L, idx);
		break;
	case LUA_TNUMBER:
		if (!lua_isinteger(L, idx))
			luaL_error(L, "rules.%s returned a fractional number; use integers (fen, counts)", a->name);
		if ((v = sa__value_new(SA_V_INT)))
			v->num = lua_tointeger(L, idx);
		break;
	case LUA_TSTRING:
		sa__lua_output(L, lua_rawlen(L, idx) + 1);
		v = sa__value_str(lua_tostring(L, idx));
		break;
	case LUA_TTABLE: {
		size_t n = lua_rawlen(L, idx);
		if (depth > SA_RESULT_MAX_DEPTH)
			luaL_error(L, "rules.%s returned tables nested deeper than %d", a->name, SA_RESULT_MAX_DEPTH);
		luaL_checkstack(L, 4, "result nesting");
		if (n > 0) { /* a list: 1..n */
			if (!(v = sa__value_new(SA_V_LIST)))
				break;
			*out = v;
			for (size_t i = 1; i <= n; i++) {
				sa_value *item = NULL;
				lua_rawgeti(L, idx, (lua_Integer)i);
				to_value(L, -1, &item, depth + 1, a);
				lua_pop(L, 1);
				put(L, v, NULL, item);
			}
			return;
		}
		if (!(v = sa__value_new(SA_V_MAP)))
			break;
		*out = v;
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			sa_value *item = NULL;
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "rules.%s returned a table with a non-text key", a->name);
			to_value(L, -1, &item, depth + 1, a);
			put(L, v, lua_tostring(L, -2), item);
			lua_pop(L, 1);
		}
		/* keys in name order, so results never depend on hash order */
		for (size_t i = 1; i < v->n; i++)
			for (size_t j = i; j > 0 && strcmp(v->keys[j - 1], v->keys[j]) > 0; j--) {
				char *k = v->keys[j];
				sa_value *x = v->items[j];
				v->keys[j] = v->keys[j - 1];
				v->items[j] = v->items[j - 1];
				v->keys[j - 1] = k;
				v->items[j - 1] = x;
			}
		return;
	}
	default:
		luaL_error(L, "rules.%s returned a %s, which has no document form", a->name, luaL_typename(L, idx));
	}
	if (!v)
		luaL_error(L, "not enough memory");
	*out = v;
}

/* rules.<a->name>(h, arg, ctx), its result left on the stack (the only value). */
static void call_rule(lua_State *L, sa_lua *s, const call_args *a)
{
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->rules_ref);
	if (lua_getfield(L, 1, a->name) != LUA_TFUNCTION)
		luaL_error(L, "the pack defines no function rules.%s", a->name);
	sa__lua_push_value(L, a->household);
	if (a->arg)
		sa__lua_push_value(L, a->arg);
	else
		lua_pushnil(L);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, s->as_of);
	lua_setfield(L, -2, "as_of");
	lua_pushstring(L, sa__policy_leaf(s->pol)->id);
	lua_setfield(L, -2, "pack");
	lua_call(L, 3, 1);
}

/* Protected: calls rules.<name>(h, arg, ctx), converts the result into *a->out. */
static int call_k(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	call_args *a = lua_touserdata(L, 1);
	call_rule(L, s, a);
	to_value(L, -1, a->out, 0, a);
	return 0;
}

/* Protected: calls rules.<name>(h, arg, ctx) and returns its result. */
static int call_result_k(lua_State *L)
{
	call_rule(L, sa__lua_self(L), lua_touserdata(L, 1));
	return 1;
}

int sa__lua_call_programs(sa_lua *s, const char *name, const sa_value *household, const sa_value *arg,
                          sa_date as_of, sa_decision *d, unsigned flags)
{
	lua_State *L = s->L;
	call_args a = { name, household, arg, NULL, 0 };
	char what[96];
	int rc;
	snprintf(what, sizeof what, "rules.%s", name);
	s->rule = name;
	sa__lua_begin(s, as_of);
	lua_settop(L, 0);
	lua_pushcfunction(L, call_result_k);
	lua_pushlightuserdata(L, &a);
	if ((rc = sa__lua_pcall(s, 1, 1, what)) == 0) {
		/* the same decoder as rules.evaluate's programs (convert.c) */
		lua_pushcfunction(L, sa__lua_read_programs);
		lua_insert(L, 1);
		lua_pushlightuserdata(L, d);
		lua_pushinteger(L, (lua_Integer)flags);
		rc = sa__lua_pcall(s, 3, 0, "reading the result");
	}
	sa__lua_end(s);
	s->rule = NULL;
	return rc;
}

int sa__lua_call(sa_lua *s, const char *name, const sa_value *household, const sa_value *arg, sa_date as_of,
                 sa_value **out)
{
	lua_State *L = s->L;
	call_args a = { name, household, arg, out, 0 };
	char what[96];
	int rc;
	*out = NULL;
	snprintf(what, sizeof what, "rules.%s", name);
	s->rule = name;
	sa__lua_begin(s, as_of);
	lua_settop(L, 0);
	lua_pushcfunction(L, call_k);
	lua_pushlightuserdata(L, &a);
	rc = sa__lua_pcall(s, 1, 0, what);
	sa__lua_end(s);
	s->rule = NULL;
	if (rc < 0) {
		sa__value_free(*out);
		*out = NULL;
	}
	return rc;
}

int sa__lua_has_rule(sa_lua *s, const char *name)
{
	lua_State *L = s->L;
	int top = lua_gettop(L), yes;
	if (!lua_checkstack(L, 2))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->rules_ref);
	yes = lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, -1, name) == LUA_TFUNCTION;
	lua_settop(L, top);
	return yes;
}
