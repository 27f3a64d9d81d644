/* scan.h - static scan of rule files (libsa/lua/scan.c) for the pack tools (libsa/inspect:
 * lint.c, inspect.c). No Lua type appears here. */
#ifndef SA_LUA_SCAN_H
#define SA_LUA_SCAN_H

#include "core/internal.h"

/* What a rule file does with names, found in its compiled bytecode (not by running it). */
typedef enum {
	SA_LREF_GET,        /* reads global `name` */
	SA_LREF_SET,        /* assigns global `name` */
	SA_LREF_FIELD_GET,  /* reads `base.name` where base is a global other than rules/super */
	SA_LREF_FIELD_SET,  /* assigns `base.name` (base a global other than rules/super) */
	SA_LREF_RULE_DEF,   /* assigns `rules.name` */
	SA_LREF_RULE_GET,   /* reads `rules.name` */
	SA_LREF_SUPER_GET,  /* reads `super.name` */
	SA_LREF_SUPER_SET   /* assigns `super.name` */
} sa_lref_kind;

typedef struct {
	sa_lref_kind kind;
	char *base;     /* FIELD_*: the global table's name */
	char *name;
	int line;
	int last_line;  /* RULE_DEF of a function value: last line of its body; else = line */
	int def;        /* index in refs of the RULE_DEF whose function body holds this access, or -1 */
} sa_lref;

typedef struct {
	char *error;    /* syntax error message (without the chunk name), or NULL */
	int error_line;
	sa_lref *refs;
	size_t n, cap;
} sa_lscan;

/* Compile `text` (never run it) and list its global accesses and rules/super fields.
 * Returns SA_OK (a syntax error is reported in out->error, not as a failure) or SA_ENOMEM /
 * SA_ERROR when the bytecode cannot be read. */
int sa__lua_scan(sa_lscan *out, const char *chunkname, const char *text, size_t len);
void sa__lscan_free(sa_lscan *s);

/* The names the sandbox gives a rule file: globals ("pairs", "string", ...) and library
 * fields ("string.format", "sa.param", ...). Read from a real sandbox built with no rules, so
 * the list follows libsa/lua/sandbox.c. Free with sa__strv_free. */
int sa__lua_sandbox_names(char ***out, size_t *n);
void sa__strv_free(char **v, size_t n);

#endif
