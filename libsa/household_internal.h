/* household_internal.h - the household object, shared with the engine. */
#ifndef SA_HOUSEHOLD_INTERNAL_H
#define SA_HOUSEHOLD_INTERNAL_H

#include "internal.h"

struct sa_household {
	sa_value *raw;   /* as read or set: scalars are text */
	sa_value *typed; /* validated, defaults applied; NULL until it has a member */
	char *source;    /* file name for errors, or NULL */
};

/* Takes raw (freed on error). */
int sa__household_from_value(sa_household **out, sa_value *raw, const char *source);
int sa__household_validate(sa_value **out, const sa_value *raw, const char *source);

#endif
