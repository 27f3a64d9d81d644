/* bridge.h - the only interface between libsa and the Lua C API (libsa/lua/ holds it all). */
#ifndef SA_LUA_BRIDGE_H
#define SA_LUA_BRIDGE_H

#include "../internal.h"
#include "../pack.h"
#include "../decision_internal.h"

#include <lua.h>

typedef struct {
	sa_alloc_fn alloc;
	void *alloc_ud;
	size_t memory_limit;
	uint64_t instruction_limit;
} sa_lua_limits;

/* One sandboxed state holding one policy's compiled rules. */
typedef struct sa_lua {
	lua_State *L;
	const sa_policy *pol;
	sa_lua_limits lim;
	size_t mem_used;
	uint64_t instructions;
	bool tripped;       /* instruction limit hit: sticky until the evaluation ends */
	sa_date as_of;      /* date of the evaluation in progress */
	int rules_ref;      /* registry ref of the real rules table */
	int ratio_cache;    /* registry ref: entry pointer -> read-only ratio table */
} sa_lua;

int sa__lua_new(sa_lua **out, const sa_policy *pol, const sa_lua_limits *lim);
void sa__lua_free(sa_lua *s);

/* Evaluate one household (typed tree) on as_of, filling d. The state stays usable on error. */
int sa__lua_evaluate(sa_lua *s, const sa_value *household, sa_date as_of, sa_decision *d);

/* call.c: rules.<name>(h, arg, ctx) with a document result (*out freed by the caller).
 * household must be a validated tree; arg may be NULL. */
int sa__lua_call(sa_lua *s, const char *name, const sa_value *household, const sa_value *arg, sa_date as_of,
                 sa_value **out);

/* sandbox.c: error reporting and the protected-call choke point */
int sa__lua_pcall(sa_lua *s, int nargs, int nres, const char *what);
void sa__lua_begin(sa_lua *s, sa_date as_of);

/* api.c: the `sa` library */
int sa__lua_open_api(lua_State *L);
sa_lua *sa__lua_self(lua_State *L);

/* convert.c */
void sa__lua_push_value(lua_State *L, const sa_value *v);
int sa__lua_read_result(lua_State *L); /* protected: reads the table at 1 into the decision at 2 */

#endif
