/* engine.h - what the layers above the engine (libsa/services, libsa/evaluate, libsa/golden,
 * libsa/monitor, ...) use of it. Not installed; no Lua type appears here. */
#ifndef SA_ENGINE_INTERNAL_H
#define SA_ENGINE_INTERNAL_H

#include "core/internal.h"
#include "core/decision_internal.h"
#include "core/household_internal.h"
#include "pack/pack.h"

/* The decision of hh on as_of: the tier programs of rules.evaluate and, unless
 * SA_EVAL_NO_EXTRAS, the cash programs decided after them (rules.special, rules.temporary;
 * extras.c). sa_evaluate (libsa/evaluate) adds the service entitlement on top. */
int sa__engine_decide(sa_decision **out, sa_engine *e, const sa_household *hh, sa_date as_of, unsigned flags);
/* The same for n households in one call into Lua (sa_evaluate_batch). on_error (may be NULL)
 * is called for each household that fails, just after the failure, while sa_error_last()
 * describes it. Returns the number of decisions made. */
int sa__engine_decide_batch(sa_decision **out, int *codes, sa_engine *e, const sa_household *const *hh, size_t n,
                            sa_date as_of, unsigned flags, void (*on_error)(void *ud, size_t i, int code), void *ud);

/* rules.<rule>(h, arg, ctx) of the loaded chain with a document result (*out freed by the caller) */
int sa__engine_call(sa_engine *e, const char *rule, const sa_household *hh, const sa_value *arg, sa_date as_of,
                    sa_value **out);
/* 1 when the loaded chain defines rules.<rule> */
int sa__engine_has_rule(sa_engine *e, const char *rule);
/* The loaded chain (NULL before a load) and its leaf pack. */
const sa_policy *sa__engine_policy(const sa_engine *e);
const sa_pack *sa__engine_policy_leaf(const sa_engine *e);
/* golden tests (sa test --coverage): record the rule lines the loaded chain runs from now on;
 * end reports them, one call per rule file, and stops recording (evaluation outside a test
 * never pays for it). */
int sa__engine_coverage_begin(sa_engine *e);
void sa__engine_coverage_end(sa_engine *e, const char *pack, void (*cb)(const sa_test_coverage *, void *),
                             void *payload);

/* One object derived from the loaded chain that a layer above keeps with the engine (the
 * service catalog). The engine frees it with free_fn when the chain changes or the engine is
 * freed; sa__engine_slot returns NULL then. */
typedef void (*sa__slot_free_fn)(void *obj);
void *sa__engine_slot(const sa_engine *e);
void sa__engine_slot_set(sa_engine *e, void *obj, sa__slot_free_fn free_fn);

/* A check a pack version must pass before it is published, handed down by the caller of
 * sa__pack_set_publish (golden tests: libsa/golden/publish.c). e evaluates with the new
 * version; counts receives what the check counted. */
typedef int (*sa__pack_check_fn)(sa_test_counts *counts, sa_engine *e, const char *pack_id);
/* Load pack_id, compile it in a fresh sandbox, run check (when not NULL) and, when all of
 * that succeeds, publish it atomically (sa/engine.h: sa_pack_set_publish). */
int sa__pack_set_publish(sa_test_counts *counts, sa_pack_set *set, const char *pack_id, sa__pack_check_fn check);

#endif
