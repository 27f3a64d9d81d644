/*
 * sa/monitor.h - warnings (政策找人) from events: medical costs, hospitalisation, death,
 * accidents, disasters, unemployment, disability, income drops, the 五必访, revisits and
 * review schedules. The pack's rules.monitor(h, events, ctx) decides; docs/monitoring.md
 * documents the events file and the alerts.
 */
#ifndef SA_MONITOR_H
#define SA_MONITOR_H

#include "common.h"
#include "engine.h"

SA_BEGIN_DECL

typedef struct sa_alerts sa_alerts;

/**
 * Read an events document (YAML or JSON: a list of {household: <map>, events: [...]}, or a
 * map with that list under `entries`) and run the pack's rules.monitor for each entry on
 * as_of. *out holds every alert of every entry in order; free it with sa_alerts_free.
 * Errors: SA_EINVALID (document, household or event, with line and column), SA_EPOLICY (the
 * pack has no rules.monitor or it failed), SA_ELIMIT, SA_ENOMEM.
 */
SA_API int sa_monitor_parse(sa_alerts **out, sa_engine *engine, const char *text, size_t len, const char *name,
                            sa_date as_of);
SA_API int sa_monitor_read_file(sa_alerts **out, sa_engine *engine, const char *path, sa_date as_of);

SA_API size_t sa_alerts_count(const sa_alerts *a);
/**
 * A field of alert i as text, or NULL when absent: "household" (id), "id" (rule id), "zh",
 * "en", "ref", "action" (visit | review | refer), "due" (YYYY-MM-DD), "member". Borrowed.
 */
SA_API const char *sa_alert_field(const sa_alerts *a, size_t i, const char *field);
/** The due date of alert i (YYYYMMDD), 0 when none. */
SA_API sa_date sa_alert_due(const sa_alerts *a, size_t i);

/** Alerts as JSON lines (one object per alert; SA_JSON_PRETTY: one indented array). */
SA_API int sa_alerts_to_json(char **out, const sa_alerts *a, unsigned int flags);
/** Alerts as text for a caseworker. */
SA_API int sa_alerts_to_text(char **out, const sa_alerts *a);

SA_API void sa_alerts_free(sa_alerts *a);

SA_END_DECL

#endif
