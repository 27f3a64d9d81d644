/*
 * sa/inspect.h - looking into policy packs: effective parameters and rule functions of a
 * pack chain (`sa pack show`), differences between two packs (`sa pack diff`) and the
 * pack linter (`sa lint`). See docs/pack-tools.md.
 */
#ifndef SA_INSPECT_H
#define SA_INSPECT_H

#include "common.h"

SA_BEGIN_DECL

/** A loaded pack chain, read-only. Opaque; free with sa_pack_info_free. */
typedef struct sa_pack_info sa_pack_info;

/**
 * One dated value of a parameter as a pack wrote it. Owned by the sa_pack_info; the library
 * may append members (callers never allocate this struct).
 */
typedef struct {
	sa_date from;       /**< first day */
	sa_date until;      /**< last day (inclusive), 0 = until the pack's next entry */
	const char *value;  /**< the value text as written; NULL for `value: null` (unknown) */
	const char *ref;    /**< the document that set it */
	const char *note;   /**< or NULL */
	const char *pack;   /**< id of the pack that wrote the entry */
	const char *file;   /**< the parameter file */
	int line;           /**< 1-based line of the entry */
} sa_param_value;

/** A parameter of the chain: its declaration and every value of every pack, root first. */
typedef struct {
	const char *name;
	const char *type;        /**< money | ratio | int | bool | text */
	const char *unit;
	const char *title;
	const char *ref;         /**< legal reference of the declaration */
	const char *rounding;    /**< rounding in force (a child may override its parent's), or NULL */
	const char *declared_by; /**< id of the declaring pack */
	const char *file;        /**< file of the declaration */
	int line;
	size_t nvalues;
	const sa_param_value *values; /**< the history: chain order (root first), then by date */
	const char *rounding_by; /**< id of the pack whose rounding is in force (the declaring pack, or a
	                              child that overrides it), or NULL when none is stated */
} sa_param_info;

/** A rule function `rules.<name>` as the chain leaves it. */
typedef struct {
	const char *name;
	const char *defined_by;  /**< id of the pack whose definition is in force (the lowest) */
	const char *file;        /**< pack-relative file of that definition: cn-53/rules/x.lua */
	int line, last_line;     /**< lines of the definition */
	const char *overrides;   /**< nearest ancestor that also defines it, or NULL */
	int calls_super;         /**< 1 when the definition in force reads super.<name> */
	size_t ndefined;
	const char *const *defined_in; /**< ids of every pack that defines it, root first */
	const char *body_sha256; /**< hash of the definition's source lines (compares versions) */
} sa_rule_info;

/**
 * Load pack `pack_id` and its ancestors from pack_path (':'-separated; NULL: $SA_PACK_PATH,
 * else "policies") and read every rule file (compiled, not run). Fails with the loader's
 * error (SA_ENOTFOUND, SA_EPOLICY with file and line) when the pack does not load, or
 * SA_EPOLICY when a rule file has a syntax error.
 */
SA_API int sa_pack_info_load(sa_pack_info **out, const char *pack_path, const char *pack_id);

/** NULL-safe. */
SA_API void sa_pack_info_free(sa_pack_info *info);

/** The pack's id, title, version, directory and content hash of the chain. Borrowed. */
SA_API const char *sa_pack_info_id(const sa_pack_info *info);
SA_API const char *sa_pack_info_title(const sa_pack_info *info);
SA_API const char *sa_pack_info_version(const sa_pack_info *info);
SA_API const char *sa_pack_info_dir(const sa_pack_info *info);
SA_API const char *sa_pack_info_hash(const sa_pack_info *info);

/** The chain: index 0 is cn, count-1 the pack itself. */
SA_API size_t sa_pack_info_chain_count(const sa_pack_info *info);
SA_API const char *sa_pack_info_chain_id(const sa_pack_info *info, size_t i);

/** Parameters, sorted by name. NULL when i is out of range / the name is not declared. */
SA_API size_t sa_pack_info_param_count(const sa_pack_info *info);
SA_API const sa_param_info *sa_pack_info_param(const sa_pack_info *info, size_t i);
SA_API const sa_param_info *sa_pack_info_param_find(const sa_pack_info *info, const char *name);

/**
 * The value of `param` in force on date `on` (the rule of docs/pack-format.md: the lowest
 * pack with an entry covering `on`), or NULL when none is (including `value: null`).
 */
SA_API const sa_param_value *sa_pack_info_param_at(const sa_pack_info *info, const sa_param_info *param,
                                                   sa_date on);

/** Rule functions, sorted by name. */
SA_API size_t sa_pack_info_rule_count(const sa_pack_info *info);
SA_API const sa_rule_info *sa_pack_info_rule(const sa_pack_info *info, size_t i);
SA_API const sa_rule_info *sa_pack_info_rule_find(const sa_pack_info *info, const char *name);

/* ---- diff ---- */

typedef enum {
	SA_DIFF_PARAM_LEFT_ONLY = 1,  /**< declared only on the left */
	SA_DIFF_PARAM_RIGHT_ONLY = 2,
	SA_DIFF_PARAM_DECL = 3,       /**< type, unit, rounding or reference differ */
	SA_DIFF_PARAM_VALUE = 4,      /**< the value in force on the date differs */
	SA_DIFF_PARAM_HISTORY = 5,    /**< same value on the date, but the effective history differs */
	SA_DIFF_RULE_LEFT_ONLY = 6,
	SA_DIFF_RULE_RIGHT_ONLY = 7,
	SA_DIFF_RULE_CHANGED = 8,     /**< defined by another pack, or its source differs */
	SA_DIFF_SERVICES = 9          /**< a line of a pack's services.yaml differs (name: "<pack>/services.yaml") */
} sa_diff_kind;

typedef struct {
	int kind;           /**< sa_diff_kind */
	const char *name;   /**< parameter or rule function name */
	const char *left;   /**< description of the left side, or NULL when absent */
	const char *right;  /**< description of the right side, or NULL when absent */
} sa_diff_item;

/** Return non-zero to stop: sa_pack_info_diff then returns SA_EUSER. */
typedef int (*sa_diff_fn)(const sa_diff_item *item, void *payload);

/**
 * Compare two loaded chains (two packs, or two versions of one pack loaded from two paths):
 * parameters by name (declaration, value in force on `on`, effective history), then rule
 * functions by name. Items come sorted by kind group (parameters first) and name. Returns the
 * number of differences (>= 0), or a negative error.
 */
SA_API int sa_pack_info_diff(const sa_pack_info *left, const sa_pack_info *right, sa_date on, sa_diff_fn cb,
                             void *payload);

/* ---- reference ---- */

#define SA_DOC_HTML 1u /**< sa_pack_doc: HTML instead of Markdown */

/**
 * The reference of pack `pack_id` (`sa pack doc`), Markdown or (SA_DOC_HTML) one HTML page:
 * the chain; every rule function with the pack that defines it, the ancestor it overrides,
 * the comment above its definition, the parameters and argument fields it reads (found in its
 * bytecode, as sa_lint does), the rules it calls and what it returns; the fields and types of
 * the records rules return; every parameter with type, unit, rounding in force (and who set
 * it), declaration and every dated value of every pack with its source. Values in force are
 * those on `on`. *out is freed with sa_free.
 */
SA_API int sa_pack_doc(char **out, const char *pack_path, const char *pack_id, sa_date on, unsigned int flags);

/* ---- lint ---- */

typedef enum { SA_LINT_ERROR = 1, SA_LINT_WARNING = 2 } sa_lint_severity;

typedef struct {
	int severity;          /**< sa_lint_severity */
	const char *code;      /**< stable id, e.g. "param-gap" (docs/pack-tools.md lists them) */
	const char *pack;      /**< the pack linted */
	const char *file;      /**< file as opened (pack path + relative), or NULL */
	int line, column;      /**< 1-based; 0 when not known */
	const char *message;
} sa_lint_finding;

/** Return non-zero to stop: sa_lint then returns SA_EUSER. */
typedef int (*sa_lint_fn)(const sa_lint_finding *finding, void *payload);

typedef struct {
	size_t errors;
	size_t warnings;
} sa_lint_counts;

/**
 * Lint pack `pack_id` found on pack_path (':'-separated; NULL as in sa_pack_info_load):
 * every problem is reported through `report` (not only the first) and added to *counts.
 * Returns SA_OK when the pack was linted, whatever was found (a pack that does not load is a
 * finding), SA_ENOTFOUND when no directory of that id is on the path, SA_EINVALID for a bad
 * id, SA_ENOMEM, or SA_EUSER when report asked to stop.
 */
SA_API int sa_lint(sa_lint_counts *counts, const char *pack_path, const char *pack_id, sa_lint_fn report,
                   void *payload);

SA_END_DECL

#endif
