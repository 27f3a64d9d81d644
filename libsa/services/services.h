/* services.h - what the layers above use of the service-assistance modules (not installed). */
#ifndef SA_SERVICES_H_INTERNAL
#define SA_SERVICES_H_INTERNAL

#include "engine/engine.h"

/* Add the "services" section to d (what each member may order) from the catalog of the
 * engine's chain; nothing when the chain has no services.yaml (entitlement.c). */
int sa__services_entitle(sa_engine *e, const sa_household *hh, sa_decision *d);

#endif
