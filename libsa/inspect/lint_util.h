/* lint_util.h - helpers of the linter (lint_util.c), shared by lint.c. Not installed. */
#ifndef SA_INSPECT_LINT_UTIL_H
#define SA_INSPECT_LINT_UTIL_H

#include "core/internal.h"

typedef struct strset {
	char **v;
	char **owner; /* parallel: the pack id that put it (borrowed) */
	size_t n, cap;
} strset;

int sa__lint_set_has(const strset *s, const char *x);
int sa__lint_set_add(strset *s, const char *x, const char *owner);
void sa__lint_set_free(strset *s);

/* The candidate nearest to name (a small edit distance), or NULL: "did you mean". */
size_t sa__lint_edit_distance(const char *a, const char *b);
const char *sa__lint_nearest(const char *name, char *const *cands, size_t n);
int sa__lint_in_list(const char *x, const char *const *l);
int sa__lint_ends_with(const char *s, const char *suffix);
int sa__lint_cmp_str(const void *a, const void *b);
/* The first directory of path holding id. */
int sa__lint_find_dir(char *out, size_t size, const char *path, const char *id);

typedef struct {
	sa_date from, until; /* until 0: open */
} period;
int sa__lint_cmp_period(const void *a, const void *b);
/* The periods the parameter files give values for (any parameter), merged and sorted. */
size_t sa__lint_periods(const sa_value *const *docs, size_t ndocs, period **out);

/* 1 when d is in none of the periods; list gets them ("2021-01-01..2021-12-31, 2023-01-01.."). */
int sa__lint_outside(const period *pv, size_t np, sa_date d, char *list, size_t size);
/* "dir1/id, dir2/id" for each directory of path: where a pack was looked for. */
void sa__lint_searched(char *out, size_t size, const char *path, const char *id);

/* Where lint_util.c and lint_services.c report: lint.c's findings. */
typedef struct {
	void (*emit)(void *ctx, int severity, const char *code, const char *file, int line, int column, const char *msg);
	void *ctx;
} sa_lint_sink;
/* One finding into the sink, its message formatted (printf). */
void sa__lint_finding(const sa_lint_sink *s, int sev, const char *code, const char *file, int line, int col,
                      const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Every problem of the leaf's services.yaml: docs[i] is the services.yaml of chain pack i (root
 * first; NULL when the pack has none), files[i] its path; the leaf is docs[n - 1]. */
/* Golden-test case dates outside every period the chain gives values for. */
void sa__lint_case_dates(const sa_lint_sink *s, const char *file, const sa_value *cases, const period *pv, size_t np);
int sa__lint_services(const sa_lint_sink *sink, const sa_value *const *docs, const char *const *files, size_t n);
/* lint_contract.c: a child pack's rule file (text, len bytes) reads rules.<rule> on `line`; warn,
 * with the fix, where that is the rule contract before issue 14 (rules.reason, all_of, any_of). */
void sa__lint_old_contract(const sa_lint_sink *s, const char *file, int line, const char *text, size_t len,
                           const char *rule);

#endif
