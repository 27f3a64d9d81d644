/* state.h - inside the Lua boundary (libsa/lua/ only): the sandboxed state and the helpers its
 * files share. The one header that includes lua.h. */
#ifndef SA_LUA_STATE_H
#define SA_LUA_STATE_H

#include "lua/bridge.h"

#include <lua.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Which limit tripped (sa_lua.trip). */
enum { SA_TRIP_NONE, SA_TRIP_INSTRUCTIONS, SA_TRIP_TIME, SA_TRIP_OUTPUT };

/* One sandboxed state holding one policy's compiled rules. */
struct sa_lua {
	lua_State *L;
	const sa_policy *pol;
	sa_lua_limits lim;
	size_t mem_used;
	uint64_t instructions;
	bool tripped;       /* instruction/time limit hit: sticky until the evaluation ends */
	int trip;           /* SA_TRIP_* */
	bool hooked;        /* an evaluation or the load is running (limits apply) */
	bool count_vm;      /* deterministic mode (sa_lua_limits.count_vm) */
	uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
	size_t out_bytes;   /* text copied out of the current result */
	char where[200];    /* last rule position seen by the hook ("file:line") */
	const char *rule;   /* rule function being run ("evaluate", or a named rule) */
	sa_date as_of;      /* date of the evaluation in progress */
	int rules_ref;      /* registry ref of the real rules table */
	int ratio_cache;    /* registry ref: entry pointer -> read-only ratio table */
	int snap_ref;       /* registry ref: rule function -> its upvalues after loading */
	struct sa_param_read *reads; /* parameters read since sa__lua_reads_reset (audit log) */
	size_t nreads, reads_cap;
	struct sa_read_mark *read_marks; /* api.c: per parameter, the generation and date first noted */
	uint32_t read_gen;               /* bumped by sa__lua_reads_reset */
	struct sa_name_slot *names;      /* api.c: parameter found by the address of its name's text */
	sa_coverage *cov;   /* set: the hook also records each line run (sa test --coverage) */
	/* time mode (watchdog.c): the watchdog arms the hook once wd_deadline has passed */
	pthread_mutex_t wd_mu;          /* serialises setting/clearing the hook between threads */
	bool wd_armed;                  /* the count hook is set (under wd_mu) */
	bool wd_registered;             /* on the watchdog's list */
	_Atomic uint64_t wd_deadline;   /* CLOCK_MONOTONIC ns; 0 = nothing running */
	atomic_int wd_arming;           /* the watchdog is inside lua_sethook */
	atomic_int in_free;             /* the allocator is freeing (handshake with wd_arming) */
	struct sa_lua *wd_next;
	struct sa_keycache *keys; /* convert.c: interned household keys */
	struct sa_pool *pool;     /* pool.c: small blocks (NULL: the C library or the host's allocator) */
	struct sa_reasons *reasons; /* reason.c: definitions (load) and the reasons of this evaluation */
	bool loading;             /* the pack's files are running (sa.reason_def allowed) */
};

/* reason.c: reasons as ids plus arguments (sa.reason_def / sa.reason / sa.reasons / sa.EMPTY) */
typedef struct {
	const char *id, *zh, *en, *ref;
	const char *const *params;
	size_t nparams;
	bool render;   /* zh/en are templates filled from the arguments */
	bool own_params; /* sa.reason_p gave the parameter names: read them with sa__reasons_param */
	uint32_t leaf;
} sa_reason_view;
const char *sa__reasons_param(const sa_lua *s, uint32_t leaf, size_t k);
void sa__lua_open_reasons(lua_State *L);
void sa__reasons_reset(sa_lua *s);
void sa__reasons_free(sa_lua *s);
size_t sa__reasons_count(const sa_lua *s, lua_Integer h);
uint32_t sa__reasons_leaf(const sa_lua *s, lua_Integer h, size_t k);
void sa__reasons_get(const sa_lua *s, uint32_t leaf, sa_reason_view *v);
void sa__reasons_arg(const sa_lua *s, uint32_t leaf, const char *name, size_t nlen, int *type, lua_Integer *i,
                     const char **text, size_t *len);

/* chunk_cache.c: rule files compiled once per process. Like luaL_loadbufferx(L, text, len,
 * "=" name, "t"): pushes the function or the error message and returns its status; text
 * compiled before in this process under the same name is loaded from the dump kept then. */
int sa__chunk_load(lua_State *L, const char *text, size_t len, const char *name);

/* sandbox.c: error reporting and the protected-call choke point */
int sa__lua_pcall(sa_lua *s, int nargs, int nres, const char *what);
void sa__lua_begin(sa_lua *s, sa_date as_of);
/* Disarm the hook and put every rule function's upvalues back as they were after loading. */
void sa__lua_end(sa_lua *s);
/* Only disarm the hook (stop watching the deadline). */
void sa__lua_disarm(sa_lua *s);
/* Set the sticky count hook (every instruction); s->wd_mu held in time mode */
void sa__lua_arm_hook(sa_lua *s);

/* watchdog.c: arms the count hook of a state whose deadline has passed, from its own thread */
int sa__watchdog_register(sa_lua *s);
void sa__watchdog_unregister(sa_lua *s);
void sa__watchdog_free_enter(sa_lua *s); /* the allocator frees only between these two */
void sa__watchdog_free_leave(sa_lua *s);
unsigned long sa__watchdog_wakeups(void); /* rounds of the watchdog's loop so far */

/* pool.c: a realloc-like small-block allocator, freed with the state */
typedef struct sa_pool sa_pool;
sa_pool *sa__pool_new(void); /* NULL under AddressSanitizer: use the C library */
void sa__pool_free(sa_pool *p);
void *sa__pool_realloc(sa_pool *p, void *ptr, size_t osize, size_t nsize);
/* Charge n units of work done in C to the instruction budget; raises when it is spent. */
void sa__lua_charge(lua_State *L, uint64_t n);
/* Count bytes of text copied out of a result against the output limit; raises past it. */
void sa__lua_output(lua_State *L, size_t n);

/* safelib.c: bounded, deterministic replacements of library functions */
void sa__lua_safelib(lua_State *L, int base_idx); /* [-0,+0,m] patch string/table/utf8 and base */
void sa__lua_push_proxy(lua_State *L);           /* [-1,+1,m] read-only proxy of the table on top */
void sa__lua_proxy_mt(lua_State *L);             /* [-1,+1,m] the proxy metatable for the table on top */
void sa__lua_frozen_mt(lua_State *L, int orig);  /* [-1,+1,m] same, keeping the operators of metatable orig (0: none) */
int sa__lua_backing(lua_State *L, int idx);      /* [-0,+(0|1),-] push a proxy's table; 1 if it is one */
int sa__lua_is_sandbox_table(lua_State *L, int idx); /* proxies, environments: never frozen */
void sa__lua_push_env(lua_State *L, int rules_idx, int super_idx); /* [-0,+1,m] E -> G (strict) */

/* freeze.c: after loading, deep-freeze what rules can reach and snapshot upvalues */
int sa__lua_freeze(lua_State *L); /* protected; stack 1 = rules table, 2 = list of environments */
int sa__lua_restore(lua_State *L); /* protected; restores upvalues from the snapshot */

/* api.c: the `sa` library */
int sa__lua_open_api(lua_State *L);
sa_lua *sa__lua_self(lua_State *L);

/* convert.c */
void sa__lua_push_value(lua_State *L, const sa_value *v);
void sa__lua_keycache_free(sa_lua *s);
int sa__lua_read_result(lua_State *L); /* protected: reads the table at 1 into the decision at 2 */
/* protected: appends the program, or list of programs, at 1 to the decision at 2 (flags at 3) */
int sa__lua_read_programs(lua_State *L);

#endif
