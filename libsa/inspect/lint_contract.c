/* lint_contract.c - where a child pack still uses the rule contract before issue 14, which
 * libsa accepts for one release through an adapter (docs/rule-authors.md §5.5): one warning per
 * use, with the fix. lint.c reports each rules.<name> a rule file reads here. */
#include "inspect/lint_util.h"

#include <stdio.h>
#include <string.h>

/* 1-based column of "rules.<rule>" on the line (1 when absent): bytecode has lines, not columns */
static int column(const char *text, size_t len, int line, const char *rule)
{
	char needle[160];
	size_t a = 0, e, nl;
	int l = 1;
	nl = (size_t)snprintf(needle, sizeof needle, "rules.%s", rule);
	while (a < len && l < line)
		if (text[a++] == '\n')
			l++;
	for (e = a; e < len && text[e] != '\n'; e++)
		;
	for (size_t i = a; nl < sizeof needle && i + nl <= e; i++)
		if (memcmp(text + i, needle, nl) == 0)
			return (int)(i - a) + 1;
	return 1;
}

void sa__lint_old_contract(const sa_lint_sink *s, const char *file, int line, const char *text, size_t len,
                           const char *rule)
{
	int col;
	if (strcmp(rule, "reason") != 0 && strcmp(rule, "all_of") != 0 && strcmp(rule, "any_of") != 0)
		return;
	col = column(text, len, line, rule);
	if (strcmp(rule, "reason") == 0)
		sa__lint_finding(s, SA_LINT_WARNING, "lua-old-reason", file, line, col,
		        "rules.reason builds a reason record (a new table) per household: the old rule contract, accepted for one release; declare the reason once with sa.reason_def(id, zh, en, ref, params, args) at the top of the file and write it with sa.reason(def, ...) (docs/rule-authors.md 5.5)");
	else if (strcmp(rule, "all_of") == 0)
		sa__lint_finding(s, SA_LINT_WARNING, "lua-old-combinator", file, line, col,
		        "rules.all_of takes a table { v, reason, missing } per condition (new tables per household): the old rule contract, accepted for one release; pass the conditions as values instead, rules.all3(v1, r1, m1, v2, r2, m2, ...), which returns v, one reason handle and missing (docs/rule-authors.md 5.5)");
	else if (strcmp(rule, "any_of") == 0)
		sa__lint_finding(s, SA_LINT_WARNING, "lua-old-combinator", file, line, col,
		        "rules.any_of takes a table { v, reason, missing } per condition (new tables per household): the old rule contract, accepted for one release; pass the conditions as values instead, rules.any3(v1, r1, m1, v2, r2, m2, ...), which returns v, one reason handle, missing and the first true condition's reason (docs/rule-authors.md 5.5)");
}
