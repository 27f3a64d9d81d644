/* golden.h - golden tests shared by golden.c and publish.c (not installed). */
#ifndef SA_GOLDEN_H
#define SA_GOLDEN_H

#include "engine/engine.h"

/* Run the golden cases of the pack loaded in e, adding to *counts. */
int sa__pack_test_engine(sa_test_counts *counts, sa_engine *e, const char *pack_id, sa_test_report_fn report,
                         void *payload);

#endif
