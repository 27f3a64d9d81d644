/* decision_internal.h - the decision object, filled by the Lua bridge, read by decision.c. */
#ifndef SA_DECISION_INTERNAL_H
#define SA_DECISION_INTERNAL_H

#include "core/internal.h"

typedef struct {
	char *name, *value, *from, *pack, *ref;
} sa_rparam;

typedef struct {
	char *id, *zh, *en, *ref;
	sa_rparam *params;
	size_t nparams;
} sa_reason;

/* Distance of a program's income test to its threshold (rules/margin.lua in cn). */
typedef struct sa_margin {
	bool set;
	char *test, *basis, *op; /* "dibao.income", "income" | "own_income" | "rigid_spending", "<" | ">" | ">=" */
	char *member;            /* own_income (特困): whose test; NULL for a household test */
	sa_fen value, limit, amount, standard, base;
	int64_t persons, num, den; /* 0 when not given */
	int direction;             /* +1 up, -1 down */
	bool passes, other;
	struct sa_margin *each;    /* per-candidate tests (特困), in member order; NULL otherwise */
	size_t neach;
} sa_margin;

typedef struct {
	char *name;
	sa_status status;
	bool has_amount;
	sa_fen amount;
	char *care_level;
	char *period; /* "once" for a one-off amount (临时救助); NULL = per month */
	char **part_names; /* named components of the amount, e.g. basic and care for tekun */
	sa_fen *part_amounts;
	size_t nparts;
	char **members;
	size_t nmembers;
	char **member_care; /* NULL, or nmembers entries: each member's care level or NULL (特困) */
	sa_reason *reasons;
	size_t nreasons;
	char **missing;
	size_t nmissing;
	sa_margin margin;
} sa_program;

struct sa_decision {
	char *household_id;
	char *pack_id;
	char hash[65];
	sa_date as_of;
	char *tier;
	int circle;
	sa_program *programs;
	size_t nprograms;
	size_t ntiers;   /* programs[0..ntiers) came from rules.evaluate: the tier programs, highest first */
	char **missing; /* union over programs, first-seen order */
	size_t nmissing;
	sa_value *services; /* the "services" section (services.c), or NULL */
	/* what the evaluation read, for the decision log (audit/log.c): the parameters the
	 * rules asked for, on which date, within the version `ver` the engine retained for
	 * the decision (released with ver_release; core knows nothing of versions) */
	void *ver;
	void (*ver_release)(void *ver);
	struct sa_param_read *reads;
	size_t nreads;
};

/* One sa.param / sa.param_at call of an evaluation. */
struct sa_param_read {
	const void *eff; /* const sa_peff * of ver->pol */
	sa_date date;
};

/* The highest tier program (eligible) whose members include member id, or NULL; the tier
 * programs are programs[0..ntiers), highest first as rules.evaluate returned them. */
const char *sa__decision_member_tier(const sa_decision *d, const char *id);

/* A growable text buffer (decision.c). */
typedef struct {
	char *s;
	size_t n, cap;
	bool oom;
} sa_buf;

void sa__buf_add(sa_buf *b, const char *s, size_t n);
void sa__buf_str(sa_buf *b, const char *s);
void sa__buf_fmt(sa_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sa__buf_json_str(sa_buf *b, const char *s);
/* How the decision log writes reasons compactly (audit/log_compact.c): ref writes a reason's
 * or a reason parameter's reference (a text key), param returns the index of the log record's
 * params row equal to p, or -1 to write p in full. */
typedef struct {
	void (*ref)(void *ud, sa_buf *b, const char *text);
	long (*param)(void *ud, const sa_rparam *p);
	void *ud;
} sa_json_hooks;
/* sa_decision_to_json with hooks for the reasons (NULL: none). */
int sa__decision_to_json_hooked(char **out, const sa_decision *d, unsigned int flags, const sa_json_hooks *h);
/* A ratio as the shortest exact decimal ("1.5"), else "num/den" (decision.c). */
void sa__ratio_text(char *buf, size_t size, int64_t num, int64_t den);
/* A document tree as JSON (decision.c); freed with free. */
int sa__value_to_json(char **out, const sa_value *v, bool pretty);

#endif
