/* evaluate.c - one evaluation: push the household, call rules.evaluate(h, ctx), read back. */
#include "lua/state.h"

#include <lauxlib.h>

/* Protected: builds h and ctx, then calls rules.evaluate. Stack in: 1 = household (light
 * userdata to the typed tree), 2 = SA_EVAL_* flags. Out: the result table. */
static int call_evaluate(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	const sa_value *hh = lua_touserdata(L, 1);
	unsigned flags = (unsigned)lua_tointeger(L, 2);
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->rules_ref);
	if (lua_getfield(L, 1, "evaluate") != LUA_TFUNCTION)
		return luaL_error(L, "the pack defines no function rules.evaluate");
	sa__lua_push_value(L, hh);
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, s->as_of);
	lua_setfield(L, -2, "as_of");
	lua_pushstring(L, sa__policy_leaf(s->pol)->id);
	lua_setfield(L, -2, "pack");
	/* false: the caller reads no reason text (rules may skip work that only feeds it) */
	lua_pushboolean(L, !(flags & (SA_EVAL_NO_TEXT | SA_EVAL_NO_REASONS)));
	lua_setfield(L, -2, "explain");
	lua_call(L, 2, 1);
	return 1;
}

int sa__lua_evaluate_ex(sa_lua *s, const sa_value *household, sa_date as_of, sa_decision *d, unsigned flags)
{
	lua_State *L = s->L;
	int rc;
	s->rule = "evaluate";
	sa__lua_begin(s, as_of);
	lua_settop(L, 0);
	lua_pushcfunction(L, call_evaluate);
	lua_pushlightuserdata(L, (void *)household);
	lua_pushinteger(L, (lua_Integer)flags);
	if ((rc = sa__lua_pcall(s, 2, 1, "evaluating")) == 0) {
		lua_pushcfunction(L, sa__lua_read_result);
		lua_insert(L, 1);
		lua_pushlightuserdata(L, d);
		lua_pushinteger(L, (lua_Integer)flags);
		rc = sa__lua_pcall(s, 3, 0, "reading the result");
	}
	sa__lua_end(s); /* disarm the hook, restore every rule function's upvalues */
	return rc;
}

int sa__lua_evaluate(sa_lua *s, const sa_value *household, sa_date as_of, sa_decision *d)
{
	return sa__lua_evaluate_ex(s, household, as_of, d, 0);
}

/* ---- many households in one call into Lua (sa_evaluate_batch) ---- */

/* Protected: evaluates a->hh[a->done..n) one after the other. Each household runs in its own
 * protected calls, under its own limits, and the rule functions' upvalues are restored before
 * the next, exactly as for single evaluations; what the batch saves is the per-call entry. A
 * memory or limit trip ends the batch there (the engine rebuilds the state). */
static int batch_k(lua_State *L)
{
	sa_lua_batch *a = lua_touserdata(L, 1);
	sa_lua *s = a->s;
	for (; a->done < a->n; a->done++) {
		size_t i = a->done;
		int rc;
		if (!a->d[i])
			continue; /* refused before evaluation */
		if (a->before)
			a->before(a->ud, i);
		s->rule = "evaluate";
		sa__lua_begin(s, a->as_of);
		lua_settop(L, 0);
		lua_pushcfunction(L, call_evaluate);
		lua_pushlightuserdata(L, (void *)a->hh[i]);
		lua_pushinteger(L, (lua_Integer)a->flags);
		if ((rc = sa__lua_pcall(s, 2, 1, "evaluating")) == 0) {
			lua_pushcfunction(L, sa__lua_read_result);
			lua_insert(L, 1);
			lua_pushlightuserdata(L, a->d[i]);
			lua_pushinteger(L, (lua_Integer)a->flags);
			rc = sa__lua_pcall(s, 3, 0, "reading the result");
		}
		sa__lua_disarm(s);
		lua_settop(L, 0);
		if (s->snap_ref != LUA_NOREF) { /* already protected: no pcall of its own */
			lua_pushcfunction(L, sa__lua_restore);
			lua_call(L, 0, 0);
		}
		a->rc[i] = rc;
		if (a->after)
			a->after(a->ud, i, rc);
		if (rc == SA_ENOMEM || rc == SA_ELIMIT) {
			a->done++;
			break;
		}
	}
	return 0;
}

int sa__lua_evaluate_batch(sa_lua_batch *a)
{
	lua_State *L = a->s->L;
	int rc;
	lua_settop(L, 0);
	lua_pushcfunction(L, batch_k);
	lua_pushlightuserdata(L, a);
	rc = sa__lua_pcall(a->s, 1, 0, "evaluating a batch");
	sa__lua_disarm(a->s);
	lua_settop(L, 0);
	return rc;
}
