/*
 * sa/services.h - service-type assistance (服务类社会救助): the pack's service catalog
 * (services.yaml), what a decision entitles each member to, service plans checked against
 * the budget and its stages, the order chain 申请 → 点单 → 派单 → 服务 → 回访, and provider
 * ratings with a traffic light. docs/services.md documents the model and the catalog format.
 *
 * Temporary (临时救助) and special (专项救助) assistance are programs of the decision
 * ("temporary", "special.medical", ...): read them with the sa_decision_program_* calls.
 */
#ifndef SA_SERVICES_H
#define SA_SERVICES_H

#include "common.h"
#include "engine.h"
#include "decision.h"

SA_BEGIN_DECL

/* ---- the catalog ---- */

typedef struct sa_catalog sa_catalog;

/**
 * The service catalog of the engine's pack chain (the nearest services.yaml, merged with its
 * parents' when it says `mode: extend`). Borrowed: valid until the engine loads another pack
 * or is freed. SA_ENOTFOUND when no pack of the chain has a services.yaml; SA_EPOLICY when
 * the catalog is malformed (sa_error_last() names file, line and column).
 */
SA_API int sa_engine_catalog(const sa_catalog **out, sa_engine *engine);

/** The pack whose services.yaml was read last (the leaf-most one). */
SA_API const char *sa_catalog_pack(const sa_catalog *c);
/** Yearly budget per person in fen; SA_ENOTFOUND when the catalog sets none (national cn). */
SA_API int sa_catalog_budget(sa_fen *out, const sa_catalog *c);

SA_API size_t sa_catalog_item_count(const sa_catalog *c);
/** Index of an item by id, or -1. */
SA_API int sa_catalog_item_find(const sa_catalog *c, const char *id);
/**
 * A text field of item i: "id", "name", "category", "unit", "type" (the national service
 * type), "source" ("seed" when the source text names it, "invented" when the pack author
 * chose it). NULL when absent.
 */
SA_API const char *sa_catalog_item_field(const sa_catalog *c, size_t i, const char *field);
/** Unit price in fen; SA_ENOTFOUND when the item has none. */
SA_API int sa_catalog_item_price(sa_fen *out, const sa_catalog *c, size_t i);

SA_API size_t sa_catalog_stage_count(const sa_catalog *c);
/** Stage i: its id and its share of the yearly budget in percent. */
SA_API const char *sa_catalog_stage_id(const sa_catalog *c, size_t i);
SA_API int sa_catalog_stage_share(const sa_catalog *c, size_t i);

/** The whole catalog as JSON (*out freed with sa_free). */
SA_API int sa_catalog_to_json(char **out, const sa_catalog *c);

/* ---- entitlement: the decision's "services" section ---- */

/** Members entitled to services (those a catalog group admits), in household order. */
SA_API size_t sa_decision_service_member_count(const sa_decision *d);
SA_API const char *sa_decision_service_member(const sa_decision *d, size_t k);
/** The catalog group that admits member k (e.g. "dibao_under_60"). */
SA_API const char *sa_decision_service_group(const sa_decision *d, size_t k);
/** Member k's yearly budget in fen; SA_ENOTFOUND when the catalog sets no budget. */
SA_API int sa_decision_service_budget(sa_fen *out, const sa_decision *d, size_t k);
SA_API size_t sa_decision_service_item_count(const sa_decision *d, size_t k);
/** Item id j that member k may order. */
SA_API const char *sa_decision_service_item(const sa_decision *d, size_t k, size_t j);

/* ---- plans ---- */

typedef struct sa_plan_report sa_plan_report;

/**
 * Check a service plan (YAML or JSON text: member, then stages of items × quantities, see
 * docs/services.md) against the decision's entitlement and the engine's catalog: the budget,
 * each stage's share, the categories a stage may draw from, item limits and who may order
 * each item. Every violation is reported, not only the first. Returns 0 when the plan could
 * be read (accepted or not: see sa_plan_report_accepted); SA_EINVALID when it is not a plan.
 * The decision must come from the same engine (sa_evaluate, without SA_EVAL_NO_EXTRAS).
 */
SA_API int sa_plan_check(sa_plan_report **out, sa_engine *engine, const sa_decision *d, const char *plan,
                         size_t len);
SA_API void sa_plan_report_free(sa_plan_report *r);
SA_API int sa_plan_report_accepted(const sa_plan_report *r);
/** Total cost of the plan in fen. */
SA_API sa_fen sa_plan_report_total(const sa_plan_report *r);
SA_API size_t sa_plan_report_violation_count(const sa_plan_report *r);
/**
 * Violation k: "code" (plan.over_budget, plan.stage_over_share, plan.category_not_in_stage,
 * plan.item_limit, plan.unknown_item, plan.no_price, plan.not_entitled, plan.item_not_allowed,
 * plan.unknown_stage, plan.bad_quantity), "zh", "en", "item" and "stage" (may be NULL).
 */
SA_API const char *sa_plan_report_violation(const sa_plan_report *r, size_t k, const char *field);
SA_API int sa_plan_report_to_json(char **out, const sa_plan_report *r, unsigned int flags);

/**
 * Propose a plan for member that meets the assessed needs (e.g. "基本生活", "康复", "关怀",
 * "照护", "心理", "健康", "资助", or the 2024 pilot's domains "health", "employment",
 * "social_integration", ...; docs/services.md lists them) within the budget and the stages.
 * *out is the plan as JSON (it passes sa_plan_check), with the needs no item meets under
 * "unmet"; freed with sa_free. SA_ENOTFOUND when the member is not entitled.
 */
SA_API int sa_plan_propose(char **out, sa_engine *engine, const sa_decision *d, const char *member,
                           const char *const *needs, size_t nneeds);

/* ---- the order chain: apply → order → dispatch → serve → follow_up ---- */

typedef struct sa_order sa_order;

typedef enum {
	SA_ORDER_APPLY = 0,    /**< 申请 */
	SA_ORDER_ORDER = 1,    /**< 点单 */
	SA_ORDER_DISPATCH = 2, /**< 派单 */
	SA_ORDER_SERVE = 3,    /**< 服务 */
	SA_ORDER_FOLLOW_UP = 4 /**< 回访 */
} sa_order_step;

/** A new order for catalog item `item`, applied for on `applied` (YYYYMMDD). The order keeps
 *  what it needs of the catalog alive: it stays valid after the engine reloads or is freed. */
SA_API int sa_order_new(sa_order **out, const sa_catalog *c, const char *item, sa_date applied);
SA_API void sa_order_free(sa_order *o);
/**
 * Record the next step on date. SA_EINVALID (the order unchanged) when step is not the next
 * one or date is before the previous step's date.
 */
SA_API int sa_order_advance(sa_order *o, sa_order_step step, sa_date date);
/** The last step done. */
SA_API sa_order_step sa_order_state(const sa_order *o);
/** Date of a step done; 0 when not done. */
SA_API sa_date sa_order_date(const sa_order *o, sa_order_step step);
/**
 * Due date of a step from the catalog's chain deadlines (the previous step's date + N days);
 * 0 when the previous step is not done yet or the catalog sets no deadline for the step.
 */
SA_API sa_date sa_order_due(const sa_order *o, sa_order_step step);
/** 1 when the next step is due before `today` and not done; 0 otherwise. */
SA_API int sa_order_overdue(const sa_order *o, sa_date today);
/** "apply", "order", "dispatch", "serve", "follow_up" (zh: sa_order_step_zh). */
SA_API const char *sa_order_step_name(sa_order_step step);
SA_API const char *sa_order_step_zh(sa_order_step step);

/* ---- provider ratings (红绿灯) ---- */

typedef struct sa_ratings sa_ratings;

/** Ratings keep the catalog's thresholds alive (valid after the engine reloads or is freed). */
SA_API int sa_ratings_new(sa_ratings **out, const sa_catalog *c);
SA_API void sa_ratings_free(sa_ratings *r);
/** A recipient's score of a provider, 1 .. the catalog's rating scale (SA_EINVALID outside). */
SA_API int sa_ratings_add(sa_ratings *r, const char *provider, int score);
/** A problem found in supervision: serious = 0 (轻微问题, at most yellow) or 1 (严重违规, red). */
SA_API int sa_ratings_flag(sa_ratings *r, const char *provider, int serious);
/**
 * A provider's light: "green", "yellow", "red", or "unrated" (fewer scores than the
 * catalog's min_ratings and no flag). avg_x100 is the average score × 100 and count the
 * number of scores (any out-parameter may be NULL).
 * SA_ENOTFOUND when the provider has no score and no flag.
 */
SA_API int sa_ratings_status(const char **light, int *avg_x100, size_t *count, const sa_ratings *r,
                             const char *provider);

SA_END_DECL

#endif
