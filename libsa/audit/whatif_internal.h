/* whatif_internal.h - what-if rows for the explanation's chart (explain.c). */
#ifndef SA_WHATIF_INTERNAL_H
#define SA_WHATIF_INTERNAL_H

#include "core/internal.h"

typedef struct {
	char value[32];  /* the value set, as text */
	int64_t num;     /* the same as a number (fen for money) */
	sa_decision *d;
} sa__vary_row;

int sa__whatif_vary_rows(sa__vary_row **out, size_t *n, sa_engine *engine, const sa_household *hh, sa_date as_of,
                         const char *const *sets, size_t nsets, const char *path, const char *from, const char *to,
                         const char *step);
void sa__vary_free(sa__vary_row *rows, size_t n);

#endif
