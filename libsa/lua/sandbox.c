/* sandbox.c - building a sandboxed Lua state for a policy: allow-listed libraries (safelib.c),
 * frozen globals, per-pack environments with `rules` and `super`, state that cannot outlive
 * an evaluation (freeze.c), and the per-evaluation limits: memory (a capped allocator; no
 * single string over SA_STRING_MAX), work (C work charged by safelib.c and by the allocator
 * against the instruction budget), wall-clock time, and output size (convert.c).
 * Two modes: by default no hook runs while rules run and the watchdog thread (watchdog.c)
 * arms the count hook when the time limit passes; in the deterministic mode (count_vm) a count
 * hook also counts VM instructions, at a cost on every instruction. Either way a trip is
 * sticky. See docs/security.md and docs/lua-api.md. */
#include "lua/state.h"
#include "core/limits.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SA_HOOK_PERIOD 1000
#define SA_ALLOC_BYTES_PER_UNIT 64      /* bytes allocated that cost one instruction */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void count_hook(lua_State *L, lua_Debug *ar);

void sa__lua_arm_hook(sa_lua *s)
{
	lua_sethook(s->L, count_hook, LUA_MASKCOUNT, 1);
	s->wd_armed = true;
}

/* From the evaluating thread: hook at every instruction from now on (sticky trip). */
static void hook_every_instruction(sa_lua *s)
{
	if (!s->wd_registered) {
		lua_sethook(s->L, count_hook, LUA_MASKCOUNT, 1);
		return;
	}
	pthread_mutex_lock(&s->wd_mu);
	if (!s->wd_armed)
		sa__lua_arm_hook(s);
	pthread_mutex_unlock(&s->wd_mu);
}

/* Trip the instruction limit from a place that cannot raise: the next VM instruction will. */
static void trip_soon(sa_lua *s, int kind)
{
	if (s->tripped || !s->hooked)
		return;
	s->tripped = true;
	s->trip = kind;
	hook_every_instruction(s);
}

/* ---- allocator with a cap ---- */

static void *sa_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	sa_lua *s = ud;
	if (!ptr) {
		/* osize is the type of the new object then: refuse giant strings outright */
		if (osize == LUA_TSTRING && nsize > SA_STRING_MAX + 64)
			return NULL;
		osize = 0;
	}
	if (nsize == 0) {
		if (ptr) {
			/* the watchdog may be walking the CallInfo list (watchdog.c) */
			bool guard = s->wd_registered && s->hooked;
			if (guard)
				sa__watchdog_free_enter(s);
			if (s->lim.alloc)
				s->lim.alloc(s->lim.alloc_ud, ptr, osize, 0);
			else if (s->pool)
				sa__pool_realloc(s->pool, ptr, osize, 0);
			else
				free(ptr);
			if (guard)
				sa__watchdog_free_leave(s);
			s->mem_used -= osize;
		}
		return NULL;
	}
	if (nsize > osize) {
		if (s->mem_used + (nsize - osize) > s->lim.memory_limit)
			return NULL;
		/* copying and filling memory is work the count hook does not see: charge it */
		s->instructions += (nsize - osize) / SA_ALLOC_BYTES_PER_UNIT;
		if (s->instructions > s->lim.instruction_limit)
			trip_soon(s, SA_TRIP_INSTRUCTIONS);
	}
	{
		void *np = s->lim.alloc  ? s->lim.alloc(s->lim.alloc_ud, ptr, osize, nsize)
		           : s->pool ? sa__pool_realloc(s->pool, ptr, osize, nsize)
		                     : realloc(ptr, nsize);
		if (!np) {
			if (nsize <= osize) { /* a refused shrink: keep the larger block */
				s->mem_used -= osize - nsize;
				return ptr;
			}
			return NULL;
		}
		s->mem_used = s->mem_used - osize + nsize;
		return np;
	}
}

/* ---- instruction and time limits ---- */

static void note_position(lua_State *L, sa_lua *s)
{
	lua_Debug ar;
	for (int level = 0; level < 8 && lua_getstack(L, level, &ar); level++)
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) { /* the innermost Lua function */
			snprintf(s->where, sizeof s->where, "%s:%d", ar.short_src, ar.currentline);
			return;
		}
}

static int limit_error(lua_State *L, sa_lua *s)
{
	const char *pack = s->pol ? sa__policy_leaf(s->pol)->id : "?";
	note_position(L, s);
	if (s->trip == SA_TRIP_TIME)
		lua_pushfstring(L, "%s: pack %s, %s%s: time limit of %d ms exceeded", s->where, pack,
		                s->rule ? "rules." : "loading", s->rule ? s->rule : "", (int)s->lim.time_limit_ms);
	else
		lua_pushfstring(L, "%s: pack %s, %s%s: instruction limit of %I exceeded", s->where, pack,
		                s->rule ? "rules." : "loading", s->rule ? s->rule : "", (lua_Integer)s->lim.instruction_limit);
	return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	sa_lua *s = sa__lua_self(L);
	if (ar->event == LUA_HOOKLINE) { /* only armed for coverage (sa test --coverage) */
		if (s->cov && lua_getinfo(L, "S", ar))
			sa__coverage_hit(s->cov, ar->source, ar->currentline);
		return;
	}
	if (!s->tripped) {
		if (s->count_vm || s->cov) {
			s->instructions += SA_HOOK_PERIOD;
			if (s->instructions <= s->lim.instruction_limit && (!s->deadline_ns || now_ns() < s->deadline_ns))
				return;
		}
		/* Time mode: only the watchdog (deadline passed) or a charge past the budget set it. */
		s->tripped = true;
		s->trip = s->instructions > s->lim.instruction_limit ? SA_TRIP_INSTRUCTIONS : SA_TRIP_TIME;
		/* From now on trip at every instruction, so no pcall can swallow it. */
		if (s->count_vm || s->cov)
			lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
	}
	limit_error(L, s);
}

void sa__lua_charge(lua_State *L, uint64_t n)
{
	sa_lua *s = sa__lua_self(L);
	if (!s->hooked)
		return;
	/* the clock is read about once per hook period of charged work, as the hook does */
	if ((s->instructions + n) / SA_HOOK_PERIOD != s->instructions / SA_HOOK_PERIOD && !s->tripped &&
	    s->deadline_ns && now_ns() >= s->deadline_ns) {
		s->tripped = true;
		s->trip = SA_TRIP_TIME;
		lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
	}
	s->instructions += n;
	if (!s->tripped && s->instructions > s->lim.instruction_limit) {
		s->tripped = true;
		s->trip = SA_TRIP_INSTRUCTIONS;
		hook_every_instruction(s);
	}
	if (s->tripped)
		limit_error(L, s);
}

void sa__lua_output(lua_State *L, size_t n)
{
	sa_lua *s = sa__lua_self(L);
	s->out_bytes += n;
	if (s->out_bytes > s->lim.output_limit) {
		s->trip = SA_TRIP_OUTPUT;
		luaL_error(L, "pack %s, rules.%s: output limit of %d bytes exceeded (reasons, texts and lists of the result)",
		           s->pol ? sa__policy_leaf(s->pol)->id : "?", s->rule ? s->rule : "?", (int)s->lim.output_limit);
	}
}

void sa__lua_begin(sa_lua *s, sa_date as_of)
{
	s->instructions = 0;
	s->tripped = false;
	s->trip = SA_TRIP_NONE;
	s->out_bytes = 0;
	s->where[0] = 0;
	s->as_of = as_of;
	sa__reasons_reset(s); /* reasons live for one evaluation */
	s->deadline_ns = s->lim.time_limit_ms ? now_ns() + (uint64_t)s->lim.time_limit_ms * 1000000u : 0;
	s->hooked = true;
	if (s->count_vm || s->cov) /* coverage (test mode only) counts too: its line hook is on anyway */
		lua_sethook(s->L, count_hook, LUA_MASKCOUNT | (s->cov ? LUA_MASKLINE : 0), SA_HOOK_PERIOD);
	else /* costs nothing until the watchdog sees the deadline pass */
		atomic_store_explicit(&s->wd_deadline, s->deadline_ns, memory_order_release);
}

/* Stop watching and clear any hook (the evaluating thread). */
void sa__lua_disarm(sa_lua *s)
{
	if (s->wd_registered) {
		pthread_mutex_lock(&s->wd_mu);
		atomic_store_explicit(&s->wd_deadline, 0, memory_order_relaxed);
		if (s->wd_armed || s->cov) {
			lua_sethook(s->L, NULL, 0, 0);
			s->wd_armed = false;
		}
		pthread_mutex_unlock(&s->wd_mu);
	} else {
		lua_sethook(s->L, NULL, 0, 0);
	}
	s->hooked = false;
}

void sa__lua_end(sa_lua *s)
{
	lua_State *L = s->L;
	sa__lua_disarm(s);
	lua_settop(L, 0);
	if (s->snap_ref != LUA_NOREF) {
		lua_pushcfunction(L, sa__lua_restore);
		if (lua_pcall(L, 0, 0, 0) != LUA_OK)
			lua_pop(L, 1);
	}
}

/* Runs protected: opens the allowed libraries and builds the frozen base table (registry "sa.base"). */
static int setup(lua_State *L)
{
	luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
	lua_settop(L, 0);

	lua_newtable(L); /* 1: base */
	sa__lua_safelib(L, 1);
	sa__lua_open_api(L); /* pushes the sa library table */
	sa__lua_push_proxy(L);
	lua_setfield(L, 1, "sa");
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
	const char *pack = s->pol ? sa__policy_leaf(s->pol)->id : "?";
	char src[256] = { 0 };
	int line = 0;
	int code = status == LUA_ERRMEM ? SA_ENOMEM : (s->tripped || s->trip == SA_TRIP_OUTPUT) ? SA_ELIMIT : SA_EPOLICY;
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
	if (status == LUA_ERRMEM) {
		/* No position comes with a memory error: use the last one the hook saw. */
		const char *c1 = strrchr(s->where, ':');
		if (c1 && (size_t)(c1 - s->where) < sizeof src) {
			memcpy(src, s->where, (size_t)(c1 - s->where));
			line = atoi(c1 + 1);
		}
		sa__error_at(code, src[0] ? src : pack, line, 0,
		             "%s: pack %s, %s%s: memory limit of %zu bytes exceeded (or a string over %zu bytes)%s%s",
		             what, pack, s->rule ? "rules." : "loading", s->rule ? s->rule : "", s->lim.memory_limit,
		             SA_STRING_MAX,
		             s->where[0] ? ", last at " : "", s->where);
	} else {
		sa__error_at(code, src[0] ? src : NULL, line, 0, "%s: %s", what, msg);
	}
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

/* Runs protected: compiles and runs every rule file of the chain, root first. Errors carry
 * "pack/rules/file.lua:LINE:" so they can be reported with a position. Then checks that the
 * chain defines rules.evaluate, makes `rules` read-only and freezes what rules can reach. */
static int load_rules_k(lua_State *L)
{
	sa_lua *s = sa__lua_self(L);
	const sa_pack *leaf = sa__policy_leaf(s->pol);
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
			sa__lua_push_proxy(L); /* 3: super */
		}
		sa__lua_push_env(L, 1, i > 0 ? 3 : 0);
		if (i > 0)
			lua_remove(L, 3);
		/* 3: E */
		for (size_t j = 0; j < p->nrules; j++) {
			const sa_pfile *f = &p->rules[j];
			if (f->len && f->text[0] == LUA_SIGNATURE[0])
				return luaL_error(L, "%s:1: binary chunks are not accepted", f->name);
			/* text compiled before in this process comes from its dump (chunk_cache.c) */
			if (sa__chunk_load(L, f->text, f->len, f->name) != LUA_OK) {
				const char *m = lua_tostring(L, -1);
				if (m && strncmp(m, f->name, strlen(f->name)) != 0) /* e.g. "C stack overflow" */
					return luaL_error(L, "%s:1: %s", f->name, m);
				return lua_error(L);
			}
			lua_pushvalue(L, 3);
			lua_setupvalue(L, -2, 1); /* _ENV */
			lua_call(L, 0, 0);
		}
		lua_rawseti(L, 2, (lua_Integer)lua_rawlen(L, 2) + 1);
	}
	lua_pushliteral(L, "evaluate");
	if (lua_rawget(L, 1) != LUA_TFUNCTION)
		return luaL_error(L, "%s/rules:0: pack %s: the pack chain defines no function rules.evaluate (a %s)",
		                  leaf->id, leaf->id, luaL_typename(L, -1));
	lua_pop(L, 1);
	/* After loading, `rules` is read-only in every environment. */
	lua_pushvalue(L, 1);
	sa__lua_push_proxy(L); /* 3 */
	for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, 2); i++) {
		lua_rawgeti(L, 2, i);           /* E */
		lua_getmetatable(L, -1);        /* E mt */
		lua_getfield(L, -1, "__index"); /* E mt G */
		lua_pushvalue(L, 3);
		lua_setfield(L, -2, "rules");
		lua_pop(L, 3);
	}
	lua_settop(L, 2);
	return sa__lua_freeze(L);
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
	s->snap_ref = LUA_NOREF;
	s->rule = NULL;
	s->count_vm = lim->count_vm || !lim->time_limit_ms;
	s->pool = lim->alloc ? NULL : sa__pool_new();
	pthread_mutex_init(&s->wd_mu, NULL);
	if (!(s->L = lua_newstate(sa_lua_alloc, s))) {
		pthread_mutex_destroy(&s->wd_mu);
		sa__pool_free(s->pool);
		free(s);
		return sa__error_oom();
	}
	if (!s->count_vm && sa__watchdog_register(s) < 0) {
		lua_close(s->L);
		pthread_mutex_destroy(&s->wd_mu);
		sa__pool_free(s->pool);
		free(s);
		return sa__error(SA_ENOMEM, "cannot start the watchdog thread");
	}
	*(sa_lua **)lua_getextraspace(s->L) = s; /* no allocation: safe before protected mode */
	lua_pushcfunction(s->L, setup);
	if ((rc = sa__lua_pcall(s, 0, 0, "building the sandbox")) < 0)
		goto fail;
	sa__lua_begin(s, 0); /* loading is bounded by the same limits */
	lua_pushcfunction(s->L, load_rules_k);
	s->loading = true;
	rc = sa__lua_pcall(s, 0, 0, "loading rules");
	s->loading = false;
	sa__lua_disarm(s);
	if (rc < 0)
		goto fail;
	lua_gc(s->L, LUA_GCCOLLECT);
	/* Each household leaves short-lived garbage only: the generational collector handles that
	 * far more cheaply than incremental steps (measured in docs/performance.md). */
	lua_gc(s->L, LUA_GCGEN, 0, 0);
	s->rule = NULL;
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
	sa__watchdog_unregister(s);
	if (s->L)
		lua_close(s->L);
	sa__pool_free(s->pool); /* after lua_close: every block of the state is in it */
	sa__lua_keycache_free(s);
	sa__reasons_free(s);
	free(s->reads);
	free(s->read_marks);
	free(s->names);
	pthread_mutex_destroy(&s->wd_mu);
	free(s);
}

sa_lua *sa__lua_self(lua_State *L)
{
	return *(sa_lua **)lua_getextraspace(L);
}
