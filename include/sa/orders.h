/*
 * sa/orders.h - service orders as records a host can keep: the order book.
 *
 * An order (服务订单) is one catalog item for one member of a household, with a timestamp for
 * each step of the chain 申请 apply → 点单 order → 派单 dispatch → 接单 accept | 拒单 reject →
 * 服务 serve → 回访 follow_up. A rejected order goes back to dispatch (another provider).
 * The 回访 carries the recipient's score, from which each provider's 红绿灯 is computed over a
 * time window. An application is refused when it would take the member past the catalog's
 * yearly budget or an item's yearly limit, counting the orders already in the book for that
 * calendar year.
 *
 * The book is built by applying events, one JSON object each; a journal is a file of such
 * events, one per line (JSON lines), which sa_order_book_replay reads back. docs/services.md
 * documents the event and record formats.
 *
 * The book copies what it needs from the catalog when it is made (item ids, names, prices,
 * limits, deadlines, rating thresholds), so it stays valid after the engine reloads or is
 * freed.
 */
#ifndef SA_ORDERS_H
#define SA_ORDERS_H

#include "common.h"
#include "services.h"

SA_BEGIN_DECL

typedef struct sa_order_book sa_order_book;

/** An empty book for the orders of catalog c (copied: c may be freed afterwards). */
SA_API int sa_order_book_new(sa_order_book **out, const sa_catalog *c);
SA_API void sa_order_book_free(sa_order_book *b);

/**
 * Apply one event, a JSON object (docs/services.md, "Order events"):
 *   {"event":"apply","order":"O1","at":"2025-03-01T09:00:00","household":"h1",
 *    "member":"m1","item":"deep_clean","quantity":1}
 *   {"event":"dispatch","order":"O1","at":"...","provider":"东胜区家政公司"}
 *   {"event":"follow_up","order":"O1","at":"...","score":5,"flag":"minor"}
 * "at" is YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (local time). A step out of order, an unknown
 * order or item, a time before the previous step, or an application past the budget is
 * refused with SA_EINVALID (SA_ENOTFOUND for an unknown order) and leaves the book unchanged.
 * When *canonical is not NULL it receives the event as it is recorded (ids and times
 * normalised; "order" filled in for an apply without one), to be appended to a journal;
 * free it with sa_free.
 */
SA_API int sa_order_book_apply(char **canonical, sa_order_book *b, const char *json, size_t len);

/**
 * Apply every line of a journal (JSON lines; name is used in messages). A line that is
 * refused is recorded as a problem and the replay goes on; a last line without its newline
 * (a write cut short) is not applied and is recorded as a problem with truncated = 1.
 * Returns 0 unless memory runs out (SA_ENOMEM: the book holds the lines before the one that
 * could not be applied). The problems are listed by sa_order_book_problem.
 */
SA_API int sa_order_book_replay(sa_order_book *b, const char *text, size_t len, const char *name);

/** Problems of the replays so far, in order. */
SA_API size_t sa_order_book_problem_count(const sa_order_book *b);
/**
 * Problem i: its line (1-based), whether it is a cut-short last line, and the message
 * (zh-CN with English alongside; borrowed). SA_ENOTFOUND when i is out of range.
 */
SA_API int sa_order_book_problem(size_t *line, int *truncated, const char **message, const sa_order_book *b,
                                 size_t i);

/** Number of orders, in the order they were applied for. */
SA_API size_t sa_order_book_count(const sa_order_book *b);
/** Id of order i, or NULL when out of range. Borrowed. */
SA_API const char *sa_order_book_id(const sa_order_book *b, size_t i);

/**
 * The record of order id as JSON (docs/services.md, "Order records"); with today != 0 the
 * record says which step is due next, by when, and whether it is overdue. SA_ENOTFOUND when
 * there is no such order. Free with sa_free.
 */
SA_API int sa_order_book_order_json(char **out, const sa_order_book *b, const char *id, sa_date today);
/** Every record, as JSON lines (SA_JSON_PRETTY: one indented array). */
SA_API int sa_order_book_to_json(char **out, const sa_order_book *b, sa_date today, unsigned int flags);

/** A provider's 红绿灯 over a window of follow-up dates. */
typedef struct {
	const char *light;  /**< "green", "yellow", "red" or "unrated"; static text */
	int avg_x100;       /**< average score × 100 (0 without scores) */
	size_t scores;      /**< follow-ups with a score in the window */
	size_t minor_flags; /**< 轻微问题 in the window */
	size_t serious_flags; /**< 严重违规 in the window */
} sa_provider_rating;

/**
 * The rating of provider over the follow-ups dated from..to (inclusive; 0 = open), by the
 * catalog's thresholds. SA_ENOTFOUND when the provider has no follow-up in the window.
 */
SA_API int sa_order_book_rating(sa_provider_rating *out, const sa_order_book *b, const char *provider,
                                sa_date from, sa_date to);

/**
 * What member of household has spent on applications dated in year (YYYY), and the catalog's
 * yearly budget (-1 when it sets none).
 */
SA_API int sa_order_book_spent(sa_fen *spent, sa_fen *budget, const sa_order_book *b, const char *household,
                               const char *member, int year);

SA_END_DECL

#endif
