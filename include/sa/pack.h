/*
 * sa/pack.h - running a pack's golden tests (files under tests/, docs/pack-format.md).
 */
#ifndef SA_PACK_H_PUBLIC
#define SA_PACK_H_PUBLIC

#include "common.h"

SA_BEGIN_DECL

typedef struct {
	size_t passed;
	size_t failed;
} sa_test_counts;

/**
 * Called once per case: ok is 1 or 0; detail explains a failure (borrowed, valid during the
 * call). file is the test file, name the case name.
 */
typedef void (*sa_test_report_fn)(const char *pack, const char *file, const char *name, int ok, const char *detail,
                                  void *payload);

/**
 * Run every golden case of pack `pack_id` (found on pack_path, ':'-separated; NULL as in
 * sa_engine_options) and add the outcome to *counts. A case that cannot run (bad YAML, an
 * evaluation error) counts as failed with the error as detail. Returns SA_OK when the pack
 * loaded (whatever the cases gave), or the load error.
 */
/**
 * The pack path libsa uses when given `pack_path`: pack_path itself when it is set and not
 * empty, else $SA_PACK_PATH when set and not empty, else "policies" (the one place for this
 * default). Borrowed: pack_path, the environment's string, or a static string.
 */
SA_API const char *sa_pack_path_resolve(const char *pack_path);

/**
 * The ids of the packs on pack_path (resolved as sa_pack_path_resolve does): every directory
 * named cn* in each directory of the path, each id once (the first directory that has it
 * wins), sorted. *ids is NULL when there are none. Free with sa_pack_list_free.
 */
SA_API int sa_pack_list(char ***ids, size_t *count, const char *pack_path);
SA_API void sa_pack_list_free(char **ids, size_t count);

SA_API int sa_pack_test(sa_test_counts *counts, const char *pack_path, const char *pack_id, sa_test_report_fn report,
                        void *payload);

/** One golden case's outcome, for sa_pack_test_ex (borrowed, valid during the call). */
typedef struct {
	const char *pack;    /**< the pack tested */
	const char *file;    /**< the test file */
	int line;            /**< 1-based line of the case in file (0 when not known) */
	const char *name;    /**< the case's name */
	int ok;              /**< 1 passed, 0 failed */
	const char *detail;  /**< a failure: "field: expected X, got Y; " for each field that differs */
	const char *reasons; /**< a failure: each program's status and amount and its reasons
	                          ("  - id: zh / en"), one a line; NULL when passed */
} sa_test_case;

/** Lines of one rule file executed by a pack's golden cases (sa_test_options.on_coverage). */
typedef struct {
	const char *pack;       /**< the pack whose cases ran */
	const char *defined_by; /**< the pack the rule file belongs to */
	const char *file;       /**< pack-relative rule file: cn/rules/dibao.lua */
	size_t lines;           /**< lines holding code inside functions */
	size_t executed;        /**< of those, lines the cases ran */
	const int *missed;      /**< the lines not run, ascending */
	size_t nmissed;
} sa_test_coverage;

#define SA_TEST_OPTIONS_VERSION 1
#define SA_TEST_COVERAGE 1u /**< record rule lines run (a Lua line hook, in this test run only) */

typedef struct {
	unsigned int version; /**< SA_TEST_OPTIONS_VERSION (sa_test_options_init) */
	unsigned int flags;   /**< SA_TEST_* */
	void (*on_case)(const sa_test_case *c, void *payload);
	/** With SA_TEST_COVERAGE: once per rule file of the chain, chain order, after the cases. */
	void (*on_coverage)(const sa_test_coverage *c, void *payload);
	void *payload;
} sa_test_options;

/** The defaults of sa_test_options_init, as a static initialiser. */
#define SA_TEST_OPTIONS_INIT { SA_TEST_OPTIONS_VERSION, 0, NULL, NULL, NULL }

SA_API int sa_test_options_init(sa_test_options *opts, unsigned int version);

/**
 * sa_pack_test with each case's line and reasons, and (SA_TEST_COVERAGE) the rule lines the
 * cases executed. Returns as sa_pack_test.
 */
SA_API int sa_pack_test_ex(sa_test_counts *counts, const char *pack_path, const char *pack_id,
                           const sa_test_options *opts);

SA_END_DECL

#endif
