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
 * A field of alert i as text, or NULL when absent or null (docs/monitoring.md, "Alert
 * records"): "id" (the alert's own id: the same household, rule, member and due date always
 * give the same id), "household", "rule" (the rule that raised it), "action" (visit | review |
 * refer), "priority" (high | normal | low), "status" (open | acknowledged | closed), "zh",
 * "en", "ref", "member", "due" and "as_of" (YYYY-MM-DD), "acknowledged_at",
 * "acknowledged_by", "closed_at", "outcome". Borrowed.
 */
SA_API const char *sa_alert_field(const sa_alerts *a, size_t i, const char *field);
/** The due date of alert i (YYYYMMDD), 0 when none. */
SA_API sa_date sa_alert_due(const sa_alerts *a, size_t i);
/** 1 when alert i is not closed and today is after its due date; 0 otherwise. */
SA_API int sa_alert_overdue(const sa_alerts *a, size_t i, sa_date today);

/**
 * The lifecycle: open → acknowledged (签收: when, by whom) → closed (when, with the outcome).
 * at is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]. A step out of that order, a close dated before
 * the acknowledgement, or a close without an outcome is SA_EINVALID and changes nothing;
 * an unknown id is SA_ENOTFOUND.
 */
SA_API int sa_alert_acknowledge(sa_alerts *a, const char *id, const char *at, const char *by);
SA_API int sa_alert_close(sa_alerts *a, const char *id, const char *at, const char *outcome);

/**
 * Alerts as records: JSON lines, one record per alert (SA_JSON_PRETTY: one indented array).
 * sa_alerts_parse reads the JSON lines back (what sa_alerts_to_json wrote, possibly after
 * sa_alert_acknowledge / sa_alert_close): writing what was read gives the same text.
 * A line that is not a valid record is SA_EINVALID with its line number.
 */
SA_API int sa_alerts_to_json(char **out, const sa_alerts *a, unsigned int flags);
SA_API int sa_alerts_parse(sa_alerts **out, const char *text, size_t len, const char *name);
/** Alerts as text for a caseworker. */
SA_API int sa_alerts_to_text(char **out, const sa_alerts *a);

SA_API void sa_alerts_free(sa_alerts *a);

SA_END_DECL

#endif
