/* route.h - the pack for each household of a mixed registry (route.c). */
#ifndef SA_SCREEN_ROUTE_H
#define SA_SCREEN_ROUTE_H

#include "core/internal.h"

typedef struct sa__router sa__router;

/* Every pack on the ':'-separated pack path with a region other than 000000. */
int sa__router_new(sa__router **out, const char *pack_path);
void sa__router_free(sa__router *r);
/* The id of the most specific pack covering region (longest code prefix), or NULL. Read-only:
 * workers share one router. */
const char *sa__router_pick(const sa__router *r, const char *region);

#endif
