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

SA_BEGIN_DECL

typedef struct sa_engine sa_engine;

typedef struct {
	unsigned int version;          /**< SA_ENGINE_OPTIONS_VERSION */
	const char *pack_path;         /**< ':'-separated pack directories; NULL: $SA_PACK_PATH, else "policies" */
	sa_alloc_fn alloc;             /**< allocator for the Lua state; NULL: the C library's */
	void *alloc_ud;                /**< passed to alloc */
	size_t memory_limit;           /**< bytes the Lua state may hold; 0: 64 MiB */
	uint64_t instruction_limit;    /**< Lua instructions per evaluation; 0: 20,000,000 */
} sa_engine_options;

#define SA_ENGINE_OPTIONS_VERSION 1
#define SA_ENGINE_OPTIONS_INIT { SA_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0 }

/** Fill opts with defaults for the given version (for bindings that cannot use the macro). */
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

/** Free memory that libsa returned to the caller (JSON text and the like). */
SA_API void sa_free(void *ptr);

SA_END_DECL

#endif
