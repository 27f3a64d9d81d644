/* bridge.h - what the engine and the pack tools use of the Lua boundary (libsa/lua/): a
 * sandboxed state holding one policy's compiled rules, behind an opaque type. No Lua type
 * appears here; only libsa/lua/ includes lua.h (lua/state.h). */
#ifndef SA_LUA_BRIDGE_H
#define SA_LUA_BRIDGE_H

#include "core/internal.h"
#include "pack/pack.h"
#include "core/decision_internal.h"
#include "core/cache.h"

typedef struct {
	sa_alloc_fn alloc;
	void *alloc_ud;
	size_t memory_limit;        /* bytes the state may hold */
	uint64_t instruction_limit; /* per evaluation (and for loading) */
	size_t output_limit;        /* bytes of text copied out of one result */
	uint32_t time_limit_ms;     /* wall clock per evaluation (and for loading) */
	bool count_vm;              /* deterministic mode: a count hook counts VM instructions
	                             * against instruction_limit (slower); otherwise only C work is
	                             * charged and the watchdog enforces time_limit_ms (watchdog.c).
	                             * Also on when time_limit_ms is 0. */
} sa_lua_limits;

/* chunk_cache.c: the rule files this process compiled, kept as dumps (docs/security.md) */
void sa__chunk_cache_stats(sa_cache_stats *st);
void sa__chunk_cache_clear(void); /* drop every entry (tests, sa-bench; the next load compiles again) */

/* One sandboxed state holding one policy's compiled rules (lua/state.h). */
typedef struct sa_lua sa_lua;

/* coverage.c: rule lines run by golden cases, recorded by the line hook in test mode only.
 * new: the executable lines of every rule file of the chain; hit: from the hook; report: one
 * call per rule file, chain order. */
typedef struct sa_coverage sa_coverage;
int sa__coverage_new(sa_coverage **out, const sa_policy *pol);
void sa__coverage_hit(sa_coverage *c, const char *source, int line);
void sa__coverage_report(const sa_coverage *c, const char *pack, void (*cb)(const sa_test_coverage *, void *),
                         void *payload);
void sa__coverage_free(sa_coverage *c);
/* Arm (cov) or disarm (NULL) coverage on a sandbox. */
void sa__lua_set_coverage(sa_lua *s, sa_coverage *cov);

/* api.c: forget the parameters read so far (the engine calls it before each evaluation) */
void sa__lua_reads_reset(sa_lua *s);

int sa__lua_new(sa_lua **out, const sa_policy *pol, const sa_lua_limits *lim);
void sa__lua_free(sa_lua *s);

/* Evaluate one household (typed tree) on as_of, filling d. The state stays usable on error. */
int sa__lua_evaluate(sa_lua *s, const sa_value *household, sa_date as_of, sa_decision *d);
/* The same with SA_EVAL_* flags (sa/decision.h): NO_TEXT leaves reason texts out (ctx.explain
 * false, templates not filled), NO_REASONS leaves the reasons out altogether. */
int sa__lua_evaluate_ex(sa_lua *s, const sa_value *household, sa_date as_of, sa_decision *d, unsigned flags);

/* Many households in one call into Lua. d[i] NULL: skipped. rc[i] receives each code;
 * before/after (may be NULL) run around each household. Stops after a memory or limit trip
 * (done says how far it got: the state must be rebuilt before going on). Returns non-zero
 * when the batch itself failed (then the state must be rebuilt too). */
typedef struct {
	sa_lua *s;
	const sa_value *const *hh;
	sa_decision **d;
	int *rc;
	size_t n, done;
	sa_date as_of;
	unsigned flags;
	void (*before)(void *ud, size_t i);
	void (*after)(void *ud, size_t i, int rc);
	void *ud;
} sa_lua_batch;
int sa__lua_evaluate_batch(sa_lua_batch *batch);

/* call.c: rules.<name>(h, arg, ctx) with a document result (*out freed by the caller).
 * household must be a validated tree; arg may be NULL. */
int sa__lua_call(sa_lua *s, const char *name, const sa_value *household, const sa_value *arg, sa_date as_of,
                 sa_value **out);

/* call.c: rules.<name>(h, arg, ctx) whose result is a program or a list of programs (nil or {}
 * for none), read by the one decoder of programs (convert.c, as for rules.evaluate) and
 * appended to d. */
int sa__lua_call_programs(sa_lua *s, const char *name, const sa_value *household, const sa_value *arg,
                          sa_date as_of, sa_decision *d, unsigned flags);

/* call.c: 1 when the pack defines a function rules.<name> */
int sa__lua_has_rule(sa_lua *s, const char *name);

/* api.c: the parameters read since sa__lua_reads_reset (for the decision log) */
const struct sa_param_read *sa__lua_reads(const sa_lua *s, size_t *n);

/* reason.c: the reasons a loaded chain declared with sa.reason_def, in declaration order
 * (sa pack doc). The strings belong to the state. */
typedef struct {
	const char *id, *zh, *en, *ref; /* zh/en: templates when nargs > 0 */
	const char *const *params;      /* parameter names the reason cites */
	size_t nparams;
	const char *const *args;        /* names of the template's arguments, in order */
	size_t nargs;
} sa_reason_decl;
size_t sa__lua_reason_decls(const sa_lua *s);
void sa__lua_reason_decl(const sa_lua *s, size_t k, sa_reason_decl *out);

#endif
