/* alert_internal.h - the alert store shared by monitor.c (which raises alerts) and alert.c
 * (records, lifecycle, JSON). */
#ifndef SA_ALERT_INTERNAL_H
#define SA_ALERT_INTERNAL_H

#include "core/internal.h"
#include "core/decision_internal.h"
#include "sa/monitor.h"

#include <cjson/cJSON.h>

struct sa_alerts {
	cJSON *list; /* array of record objects (docs/monitoring.md, "Alert records") */
};

/* What a rule (or the eligibility re-run) raises; strings are copied. */
typedef struct {
	const char *household, *rule, *action, *priority, *member, *zh, *en, *ref;
	sa_date due;     /* 0: none */
	cJSON *changes;  /* taken (may be NULL): what a re-run of eligibility changed */
} sa__alert_in;

int sa__alerts_new(sa_alerts **out);
int sa__alerts_add(sa_alerts *a, const sa__alert_in *in, sa_date as_of);

#endif
