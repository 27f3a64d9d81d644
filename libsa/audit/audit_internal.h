/* audit_internal.h - shared by the audit modules (explain, what-if, log, replay, sign). */
#ifndef SA_AUDIT_INTERNAL_H
#define SA_AUDIT_INTERNAL_H

#include "core/internal.h"
#include "core/decision_internal.h"

#include <cjson/cJSON.h>

/* diff.c: append to `out` (a JSON array) one {"field","before","after"} per leaf where the
 * decision documents a and b differ. Programs are matched by name, service members by
 * member id; "reasons" are skipped. Returns SA_OK or SA_ENOMEM. */
int sa__json_diff(cJSON *out, const cJSON *a, const cJSON *b);
/* diff.c: the same, reasons included (replay): a program's reasons are matched by id and
 * occurrence (the second `tekun.labour.elderly` with the second), then compared field by
 * field (id, zh, en, ref; params matched by name), e.g.
 * `programs.dibao.reasons.dibao.income.below.zh`. */
int sa__json_diff_all(cJSON *out, const cJSON *a, const cJSON *b);
/* diff.c: a decision as a cJSON tree, without its reasons unless `reasons` (NULL on failure,
 * error set). */
cJSON *sa__decision_tree_ex(const sa_decision *d, bool reasons);
cJSON *sa__decision_tree(const sa_decision *d);
/* diff.c: a leaf as short text for people: strings bare, null as "—", others as JSON. */
char *sa__json_leaf_text(const cJSON *v);

/* log.c: the household as given (raw tree) as compact JSON. */
void sa__household_raw_json(sa_buf *b, const sa_household *hh);

/* whatif.c: a copy of hh with "PATH=VALUE" applied; member ids may stand for indexes. */
int sa__whatif_apply(sa_household **out, const sa_household *hh, const char *const *sets, size_t nsets);

#endif
