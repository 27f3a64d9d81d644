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

SA_API int sa_pack_test(sa_test_counts *counts, const char *pack_path, const char *pack_id, sa_test_report_fn report,
                        void *payload);

SA_END_DECL

#endif
