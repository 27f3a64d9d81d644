/* household_internal.h - the household object, shared with the engine. */
#ifndef SA_HOUSEHOLD_INTERNAL_H
#define SA_HOUSEHOLD_INTERNAL_H

#include "core/internal.h"

struct sa_household {
	sa_value *raw;   /* as read or set: scalars are text */
	sa_value *typed; /* validated, defaults applied; NULL until it has a member */
	char *source;    /* file name for errors, or NULL */
	bool incomplete; /* built by sa_household_set/_add_member with a required field still absent */
};

/* household.c: one round of sa_household_check (household_check.c) */
int sa__household_check_round(sa_value *raw, const char *source, sa_value **rm_maps, char **rm_keys, size_t nrm,
                              sa_value **at, size_t *at_index);

/* Takes raw (freed on error). */
int sa__household_from_value(sa_household **out, sa_value *raw, const char *source);
int sa__household_validate(sa_value **out, const sa_value *raw, const char *source);
/* SA_OK when hh can be evaluated: it has members and nothing required is absent (strict check
 * of a household built field by field); otherwise the schema error with the field's path. */
int sa__household_ready(const sa_household *hh);

#endif
