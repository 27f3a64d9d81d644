/*
 * sa/engine.h - an engine: one policy pack (with its ancestors) in a sandboxed Lua state.
 *
 * Lifecycle: sa_engine_options_init -> sa_engine_new -> sa_engine_load -> sa_evaluate (any
 * number of times) -> sa_engine_free. An engine and the objects it returns are used by one
 * thread at a time; use one engine per thread (docs/threading.md).
 */
#ifndef SA_ENGINE_H
#define SA_ENGINE_H

#include "common.h"
#include "pack.h"

SA_BEGIN_DECL

typedef struct sa_engine sa_engine;

typedef struct {
	unsigned int version;          /**< SA_ENGINE_OPTIONS_VERSION */
	const char *pack_path;         /**< ':'-separated pack directories; NULL: $SA_PACK_PATH, else "policies" */
	sa_alloc_fn alloc;             /**< allocator for the Lua state; NULL: the C library's */
	void *alloc_ud;                /**< passed to alloc */
	size_t memory_limit;           /**< bytes the Lua state may hold; 0: 64 MiB */
	/** 0 (default): no per-instruction cost; C work done for rules (copies, sorts, table
	 *  walks) is charged against 20,000,000 units and time_limit_ms stops the VM (a watchdog
	 *  thread arms the hook when it passes). Non-zero: the deterministic mode, a count hook
	 *  also counts VM instructions against this limit (slower; for tests and reproducible
	 *  limits). docs/security.md. */
	uint64_t instruction_limit;
	size_t output_limit;           /**< bytes of text one result may carry (reasons, ids, lists); 0: 1 MiB */
	uint32_t time_limit_ms;        /**< wall clock per evaluation (and per pack load); 0: 5,000 ms */
	/** Version 2: an Ed25519 public key (PEM file). When set, loading and publishing refuse
	 *  any pack of the chain whose pack.sig is missing or wrong (SA_EPOLICY naming the pack;
	 *  sa_pack_sign in sa/audit.h, docs/audit.md). NULL: packs are not checked. */
	const char *verify_key;
} sa_engine_options;

#define SA_ENGINE_OPTIONS_VERSION 2
#define SA_ENGINE_OPTIONS_INIT { SA_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, 0, NULL }

/** Fill opts with defaults for the given version, 1 or 2 (for bindings that cannot use the
 *  macro; a version-1 struct ends before verify_key). */
SA_API int sa_engine_options_init(sa_engine_options *opts, unsigned int version);

/** Create an engine; opts may be NULL for defaults. Free with sa_engine_free. */
SA_API int sa_engine_new(sa_engine **out, const sa_engine_options *opts);

/**
 * Load pack `pack_id` (and the packs it extends) and compile its rules in a fresh sandbox.
 * On success the engine evaluates with it from then on; on failure (SA_ENOTFOUND,
 * SA_EPOLICY with file:line in sa_error_last(), SA_ENOMEM) the pack the engine had before,
 * if any, stays in use.
 */
SA_API int sa_engine_load(sa_engine *engine, const char *pack_id);

/** The id of the loaded pack, or NULL. Borrowed. */
SA_API const char *sa_engine_pack_id(const sa_engine *engine);

/** SHA-256 (hex) of the loaded pack chain's content, or NULL. Borrowed. */
SA_API const char *sa_engine_pack_hash(const sa_engine *engine);

/** Free an engine (NULL ok). */
SA_API void sa_engine_free(sa_engine *engine);

/* ---- Hot reload and sharing across threads (docs/threading.md) ----
 *
 * A pack set holds the published version of one pack chain: parsed once, immutable,
 * refcounted. Any number of engines, each on its own thread, follow one set; at the start of
 * each evaluation an engine checks (one atomic load) whether a newer version was published,
 * and if so rebuilds its Lua state from it before evaluating. An evaluation already running
 * finishes on the version it started with; every decision names the exact content hash it
 * was made with (sa_decision_pack_hash). Publishing loads and checks the new version off the
 * hot path; a version that fails its checks is never seen by any engine.
 */
typedef struct sa_pack_set sa_pack_set;

/** Create an empty pack set. opts (may be NULL) gives the pack path and the limits used to
 * check versions before they are published. Free with sa_pack_set_free. */
SA_API int sa_pack_set_new(sa_pack_set **out, const sa_engine_options *opts);

#define SA_PUBLISH_SKIP_TESTS 1u /**< do not run the pack's golden tests before publishing */

/**
 * Load pack `pack_id` from disk, compile it in a fresh sandbox, run its golden tests (unless
 * SA_PUBLISH_SKIP_TESTS) and, if all of that succeeds, publish it atomically. Thread-safe;
 * publishes are serialised. counts (may be NULL) receives the golden-test outcome. Errors:
 * SA_ENOTFOUND, SA_EPOLICY (load error with file:line, or failed golden cases), SA_ELIMIT,
 * SA_ENOMEM; on error the previously published version stays published.
 */
SA_API int sa_pack_set_publish(sa_test_counts *counts, sa_pack_set *set, const char *pack_id, unsigned int flags);

/** Copy the hash (64 hex digits + NUL) of the published version to out; SA_ENOTFOUND if none. */
SA_API int sa_pack_set_hash(char out[65], const sa_pack_set *set);

/** How many versions have been published (0 before the first). */
SA_API uint64_t sa_pack_set_generation(const sa_pack_set *set);

/** Drop the caller's reference (NULL ok). Engines that follow the set keep it alive. */
SA_API void sa_pack_set_free(sa_pack_set *set);

/**
 * Make the engine follow `set` (replacing any pack loaded with sa_engine_load). The engine
 * switches to the published version now if there is one, else at its first evaluation after
 * the first publish. The engine holds a reference to the set until it is freed.
 */
SA_API int sa_engine_follow(sa_engine *engine, sa_pack_set *set);

/** Free memory that libsa returned to the caller (JSON text and the like). */
SA_API void sa_free(void *ptr);

SA_END_DECL

#endif
