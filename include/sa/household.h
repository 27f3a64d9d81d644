/*
 * sa/household.h - a household: read from YAML/JSON, or built field by field.
 *
 * The schema is documented in docs/household.md. A household is checked against it when it
 * is read, and again before each evaluation after sa_household_set; a bad field is an
 * SA_EINVALID error naming the source, line, column (0 when built in code) and the field.
 */
#ifndef SA_HOUSEHOLD_H
#define SA_HOUSEHOLD_H

#include "common.h"
#include "errors.h"

SA_BEGIN_DECL

typedef struct sa_household sa_household;

/**
 * Read every household of a YAML or JSON document (a `household:` map, a `households:`
 * list, or one bare household object: a map with `id` or `members` and neither key). On success *out is an array of *count households; free it with
 * sa_household_array_free. `name` labels errors (a file name). Nothing is returned on error.
 */
SA_API int sa_household_parse(sa_household ***out, size_t *count, const char *text, size_t len,
                              const char *name);

/** Called once per schema error by sa_household_check (borrowed, valid during the call). */
typedef void (*sa_household_error_fn)(const sa_error *error, void *payload);

/**
 * Check a document as sa_household_parse would, reporting every schema error (up to `max`
 * per document; 0 means 20) through `report` rather than only the first: after each error the
 * entry holding it is set aside and the check goes on. Returns the number of errors (0: the
 * document reads), or SA_ENOMEM.
 */
SA_API int sa_household_check(const char *text, size_t len, const char *name, size_t max,
                              sa_household_error_fn report, void *payload);

/** Same as sa_household_parse, reading the file at path. */
SA_API int sa_household_read_file(sa_household ***out, size_t *count, const char *path);

/**
 * The household as one line of YAML flow style, as it was read or set (quoted text stays
 * quoted, plain scalars plain, no defaults filled in), e.g. for a golden case. *out is freed
 * with sa_free.
 */
SA_API int sa_household_to_yaml(char **out, const sa_household *hh);

/** Free an array from sa_household_parse (NULL ok). */
SA_API void sa_household_array_free(sa_household **households, size_t count);

/** Start a household in code. area is "urban" or "rural"; region a six-digit GB/T 2260 code. */
SA_API int sa_household_new(sa_household **out, const char *id, const char *region, const char *area);

/** Append a member; *index_out (may be NULL) receives its index in `members`. */
SA_API int sa_household_add_member(size_t *index_out, sa_household *hh, const char *id,
                                   const char *relation, const char *birth);

/**
 * Set one field by path, with its value as text, as it would appear in YAML:
 * "members.0.income.wages" = "3000", "members.1.disability.type" = "physical",
 * "enrolments.0" = "dibao", "assets.vehicles.0.kind" = "car". A list index equal to the
 * list's length appends. The value is checked against the schema at once; on error the
 * household is unchanged.
 */
SA_API int sa_household_set(sa_household *hh, const char *path, const char *value);

/** The household's id (borrowed; valid while hh lives). */
SA_API const char *sa_household_id(const sa_household *hh);

/** Free a household (NULL ok). */
SA_API void sa_household_free(sa_household *hh);

SA_END_DECL

#endif
