/* evaluate.h - what the layers above libsa/evaluate (libsa/screen) use of it. Not installed. */
#ifndef SA_EVALUATE_INTERNAL_H
#define SA_EVALUATE_INTERNAL_H

#include "engine/engine.h"

/* sa_evaluate_batch with a callback for each household that fails (i, code), called just after
 * the failure while sa_error_last() describes it (screening records the message). */
int sa__evaluate_batch(sa_decision **out, int *codes, sa_engine *e, const sa_household *const *hh, size_t n,
                       sa_date as_of, unsigned int flags, void (*on_error)(void *ud, size_t i, int code), void *ud);

#endif
