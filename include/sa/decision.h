/*
 * sa/decision.h - evaluating a household, and reading the decision.
 *
 * A decision answers, per program (tekun, dibao, edge, rigid, ...), eligible / ineligible /
 * undetermined, with the amount in fen, the care level, the members covered, the reasons
 * (rule id, zh-CN and English text, legal reference, parameters used with their effective
 * dates) and the missing facts. docs/decision.md documents the JSON form.
 */
#ifndef SA_DECISION_H
#define SA_DECISION_H

#include "common.h"
#include "engine.h"
#include "household.h"

SA_BEGIN_DECL

typedef struct sa_decision sa_decision;

typedef enum { SA_ELIGIBLE = 0, SA_INELIGIBLE = 1, SA_UNDETERMINED = 2 } sa_status;

/**
 * Evaluate hh under the engine's pack on date as_of (YYYYMMDD). On success *out is a new
 * decision (free with sa_decision_free). Errors: SA_EINVALID (household or date), SA_EPOLICY
 * (a rule raised an error), SA_ELIMIT, SA_ENOMEM; the engine stays usable after any of them.
 */
SA_API int sa_evaluate(sa_decision **out, sa_engine *engine, const sa_household *hh, sa_date as_of);

#define SA_EVAL_NO_TEXT 1u    /**< reasons without zh/en text (ids, refs, parameters kept); ctx.explain false */
#define SA_EVAL_NO_REASONS 2u /**< no reasons at all (statuses, amounts, members, missing kept) */
#define SA_EVAL_NO_EXTRAS 4u  /**< only the tier programs: no temporary, special or services (docs/services.md) */

/**
 * As sa_evaluate, with SA_EVAL_* flags: for callers that do not show reason text (batch
 * screening) SA_EVAL_NO_TEXT skips building and copying it; the outcome is the same.
 * sa_evaluate(out, e, hh, d) is sa_evaluate_ex(out, e, hh, d, 0).
 */
SA_API int sa_evaluate_ex(sa_decision **out, sa_engine *engine, const sa_household *hh, sa_date as_of,
                          unsigned int flags);

/** What sa_evaluate_period found over the months (a result, never an error). */
typedef struct {
	sa_status status;      /**< SA_ELIGIBLE: eligible in some month and every such month's amount
	                            known; SA_INELIGIBLE: in no month; SA_UNDETERMINED: a month was
	                            undetermined, or eligible without a known amount */
	sa_fen total;          /**< sum of the eligible months' amounts in fen; 0 unless SA_ELIGIBLE */
	int months_eligible;   /**< months that added to total */
	sa_date unknown_month; /**< first day of the month that made it undetermined; else 0 */
} sa_period;

/**
 * Evaluate n households in one call into the engine's Lua state, as sa_evaluate_ex would one by
 * one (same decisions; each household under its own limits, nothing carried from one to the
 * next). out[i] receives household i's decision or NULL, codes[i] its code (0 or SA_E*); the
 * message of a failure is sa_error_last() just after it, so only the last one is left when
 * the call returns. Returns the number of decisions made, or a negative code when the call
 * itself is wrong (arguments, no pack loaded, bad date). A rule that runs away or exhausts
 * memory fails its own household only: the engine rebuilds its state and goes on.
 */
SA_API int sa_evaluate_batch(sa_decision **out, int *codes, sa_engine *engine, const sa_household *const *households,
                             size_t n, sa_date as_of, unsigned int flags);

/**
 * Sum a program's monthly amount over `months` months starting at `from`, evaluating on the
 * first day of each month, so that a standard changing mid-period is applied month by month.
 * Months in which the program is ineligible add 0. An unknown month is never counted as zero:
 * out->status is then SA_UNDETERMINED (and out->unknown_month says which). Errors: those of
 * sa_evaluate, SA_EINVALID (months outside 1..1200, a bad date), SA_ENOTFOUND when the program
 * appears in no month's decision (a misspelt name).
 */
SA_API int sa_evaluate_period(sa_period *out, sa_engine *engine, const sa_household *hh, const char *program,
                              sa_date from, int months);

/** As sa_evaluate_period, summing the named part of the amount (e.g. "basic") instead. */
SA_API int sa_evaluate_period_part(sa_period *out, sa_engine *engine, const sa_household *hh, const char *program,
                                   const char *part, sa_date from, int months);

SA_API void sa_decision_free(sa_decision *d);

/** Highest tier: "tekun", "dibao", "edge", "rigid" or "none". Borrowed. */
SA_API const char *sa_decision_tier(const sa_decision *d);
/** Circle 1, 2 or 3; 0 when none applies. */
SA_API int sa_decision_circle(const sa_decision *d);

SA_API size_t sa_decision_program_count(const sa_decision *d);
/** Index of a program by name, or -1. */
SA_API int sa_decision_find(const sa_decision *d, const char *program);
SA_API const char *sa_decision_program_name(const sa_decision *d, size_t i);
/** Status of program i into *out; SA_EINVALID when i is out of range. */
SA_API int sa_decision_program_status(sa_status *out, const sa_decision *d, size_t i);
/** Amount in fen: per month, or once per case where sa_decision_program_period says "once"
 *  (临时救助); SA_ENOTFOUND when the program carries no amount. */
SA_API int sa_decision_program_amount(sa_fen *out, const sa_decision *d, size_t i);
/** A named component of the amount (tekun: "basic", "care"); SA_ENOTFOUND when absent. */
SA_API int sa_decision_program_part(sa_fen *out, const sa_decision *d, size_t i, const char *part);
/** "month" (the amount is paid per month) or "once" (one-off, per case: 临时救助); NULL for
 *  an index out of range. */
SA_API const char *sa_decision_program_period(const sa_decision *d, size_t i);
/** "self", "partial", "full" or NULL: the level every member of the program shares (特困);
 *  NULL when they differ (see sa_decision_program_member_care_level). */
SA_API const char *sa_decision_program_care_level(const sa_decision *d, size_t i);
SA_API size_t sa_decision_program_member_count(const sa_decision *d, size_t i);
/** The care level ("self", "partial", "full") of member k of program i (特困: each
 *  recognised person's own level, which his care amount uses), or NULL when not assessed. */
SA_API const char *sa_decision_program_member_care_level(const sa_decision *d, size_t i, size_t k);
SA_API const char *sa_decision_program_member(const sa_decision *d, size_t i, size_t k);

/** Missing facts of the whole decision (union over programs), e.g. "param:stats.disposable_income". */
SA_API size_t sa_decision_missing_count(const sa_decision *d);
SA_API const char *sa_decision_missing(const sa_decision *d, size_t k);

/** The pack id and content hash the decision was made with. Borrowed. */
SA_API const char *sa_decision_pack_hash(const sa_decision *d);

/** "eligible", "ineligible", "undetermined". */
SA_API const char *sa_status_name(sa_status s);

/** The decision JSON's schema_version (docs/decision.schema.json; docs/decision.md says when
 *  it changes). */
#define SA_DECISION_SCHEMA_VERSION 1

#define SA_JSON_PRETTY 1u    /**< indent the JSON */
#define SA_JSON_NO_REASONS 2u /**< leave out reasons (smaller, for batch screening) */

/** The decision as JSON (docs/decision.md); *out is freed with sa_free. */
SA_API int sa_decision_to_json(char **out, const sa_decision *d, unsigned int flags);

/** The decision as text for a caseworker (zh-CN with English); *out is freed with sa_free. */
SA_API int sa_decision_to_text(char **out, const sa_decision *d);

SA_END_DECL

#endif
