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
	SA_LREF_SUPER_SET,  /* assigns `super.name` */
	SA_LREF_PARAM,      /* names parameter `name` with a constant: sa.param("x"), sa.param_at("x", d),
	                       rules.param(ctx, "x") or a local alias of one of them */
	SA_LREF_FLOAT,      /* a floating-point constant (`name` is its text) or `/` (name "/") */
	SA_LREF_ARG_FIELD,  /* reads field `name` of `base`, an argument of the function or a field of one:
	                       base "h" name "members"; base "m.income" name "wages" */
	SA_LREF_RETURN      /* a return: `base` the number of values ("3", "?" for a call's), `name`
	                       the keys of the table returned first when it was built here ("" if not) */
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
	int *lines;     /* lines holding code inside functions (not the chunk's top level), with repeats */
	size_t nlines, caplines;
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
