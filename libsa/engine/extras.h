/* extras.h - the cash programs decided after the tier decision (extras.c). */
#ifndef SA_ENGINE_EXTRAS_H
#define SA_ENGINE_EXTRAS_H

#include "engine/engine.h"

/* rules.special and (for a household with `hardship`) rules.temporary, their programs
 * appended to d. A pack without the rule adds nothing. */
int sa__engine_extras(sa_engine *e, const sa_household *hh, sa_date as_of, sa_decision *d, unsigned flags);

/* engine.c: rules.<rule>(h, arg, ctx) read as programs appended to d (lua/bridge.h) */
int sa__engine_call_programs(sa_engine *e, const char *rule, const sa_household *hh, const sa_value *arg,
                             sa_date as_of, sa_decision *d, unsigned flags);

#endif
