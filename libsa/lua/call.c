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

typedef struct {
	char *key;
	sa_value *item;
} entry;

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

/* Every value is attached to its parent (owned by *out) BEFORE anything below it is read, so
 * an error half way through a result (a fractional number deep inside, a limit) leaves
 * nothing unowned: sa__lua_call frees the whole tree. Work is linear in the result and
 * charged to the instruction budget; text is charged to the output limit. */
static void to_value(lua_State *L, int idx, sa_value **out, int depth, call_args *a)
{
	sa_value *v = NULL;
	idx = lua_absindex(L, idx);
	if (++a->items > SA_RESULT_MAX_ITEMS)
		luaL_error(L, "rules.%s returned more than %d values", a->name, SA_RESULT_MAX_ITEMS);
	sa__lua_charge(L, 1);
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
			if (n > SA_RESULT_MAX_ITEMS)
				luaL_error(L, "rules.%s returned more than %d values", a->name, SA_RESULT_MAX_ITEMS);
			if (!(v = sa__value_new(SA_V_LIST)))
				break;
			*out = v;
			for (size_t i = 1; i <= n; i++) {
				if (sa__value_push_slot(v, NULL) < 0)
					luaL_error(L, "not enough memory");
				lua_rawgeti(L, idx, (lua_Integer)i);
				to_value(L, -1, &v->items[v->n - 1], depth + 1, a);
				lua_pop(L, 1);
			}
			return;
		}
		if (!(v = sa__value_new(SA_V_MAP)))
			break;
		*out = v;
		lua_pushnil(L);
		while (lua_next(L, idx)) { /* Lua's keys are distinct: append, no duplicate search */
			size_t klen;
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "rules.%s returned a table with a non-text key", a->name);
			lua_tolstring(L, -2, &klen);
			sa__lua_output(L, klen + 1);
			if (sa__value_append_slot(v, lua_tostring(L, -2), NULL) < 0)
				luaL_error(L, "not enough memory");
			to_value(L, -1, &v->items[v->n - 1], depth + 1, a);
			lua_pop(L, 1);
		}
		/* keys in name order, so results never depend on hash order: one O(n log n) sort */
		if (v->n > 1) {
			entry *es = lua_newuserdatauv(L, v->n * sizeof *es, 0);
			sa__lua_charge(L, (uint64_t)v->n);
			for (size_t i = 0; i < v->n; i++)
				es[i] = (entry){ v->keys[i], v->items[i] };
			qsort(es, v->n, sizeof *es, entry_cmp);
			for (size_t i = 0; i < v->n; i++) {
				v->keys[i] = es[i].key;
				v->items[i] = es[i].item;
			}
			lua_pop(L, 1);
			if (sa__value_reindex(v) < 0)
				luaL_error(L, "not enough memory");
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
