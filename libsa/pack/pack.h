/* pack.h - policy packs on disk, their dated parameters, and a loaded chain (cn -> leaf). */
#ifndef SA_PACK_H
#define SA_PACK_H

#include "core/internal.h"
#include "core/cache.h"

typedef enum { SA_PT_MONEY, SA_PT_RATIO, SA_PT_INT, SA_PT_BOOL, SA_PT_TEXT } sa_ptype;

typedef struct {
	sa_date from, until; /* until: inclusive; 0 = until the next entry */
	int64_t a, b;        /* money fen / int / bool in a; ratio a/b */
	char *text;          /* SA_PT_TEXT value; the source text for every type */
	char *ref, *note;
	bool unknown;        /* `value: null`: no value in this period, and no fallback to the parent */
	int line, column;
} sa_pentry;

typedef struct {
	char *name;
	bool declared;       /* this pack declares it (type, unit, ref) */
	sa_ptype type;
	char *unit, *title, *ref;
	sa_rounding rounding;
	bool has_rounding;
	sa_pentry *v;
	size_t nv;
	int line, column;
} sa_pdecl;

/* A parsed pack file (doc_cache.c): a tree shared read-only through the process cache
 * (held), or this load's own when it could not be kept (held NULL). */
typedef struct {
	const sa_value *doc;
	sa_cache_entry *held;
} sa_pfile_doc;

typedef struct {
	char *name;      /* relative path, e.g. rules/tekun.lua */
	char *text;
	size_t len;
} sa_pfile;

typedef struct sa_pack {
	char *id, *title, *region, *extends, *version, *dir;
	sa_pdecl *params;
	size_t nparams;
	sa_pfile *rules;
	size_t nrules;
	char **param_files; /* params.yaml, then params/<topic>.yaml */
	size_t *param_first; /* index in params of each file's first entry */
	size_t nparam_files;
	/* the bytes of each file as read once (files.c): parsed and hashed from these */
	char *yaml_text, **param_texts, *services_text;
	size_t yaml_len, *param_lens, services_len;
	bool has_services;
	sa_pfile_doc *param_docs; /* parsed params, kept from declarations to values */
	char **tests;    /* paths of the .yaml files under tests */
	size_t ntests;
	char hash[65];
} sa_pack;

/* One effective parameter of a chain: the declaring pack and each layer's entries. */
typedef struct {
	const char *name;
	const sa_pdecl *decl;    /* the declaration */
	const sa_pdecl **layers; /* [chain index] the pack's own values, or NULL */
	sa_rounding rounding;    /* in force: the declaration's, or a lower pack's override */
	bool has_rounding;
	size_t rounding_layer;   /* chain index of the pack that set it */
} sa_peff;

typedef struct sa_policy {
	sa_pack **chain; /* chain[0] = cn ... chain[n-1] = the pack asked for */
	size_t n;
	sa_peff *params; /* sorted by name */
	size_t nparams;
	char hash[65];   /* content hash of the whole chain */
	int refs;
} sa_policy;

/* Pack files (files.c): opened under the pack directory without following links or
 * blocking, regular files only, each read once. Caps: one file, and all files of a loaded
 * chain together (the budget, docs/security.md). */
int sa__pack_root(const char *dir); /* fd of the pack directory, or a negative code */
/* rel under root into a fresh NUL-terminated buffer; SA_ENOTFOUND (no error set) if absent;
 * *budget (may be NULL) is reduced by the size read, and exceeding it is an error. */
int sa__pack_read(int root, const char *dir, const char *rel, char **out, size_t *len, size_t *budget);
/* Sorted names in root/sub ending in suffix (none if sub is absent); each must be a regular file. */
int sa__pack_list(int root, const char *dir, const char *sub, const char *suffix, char ***out, size_t *n);
/* The packs on a ':'-separated path: every directory named cn* in each element, each id once
 * (the first element that has it wins), sorted by id; dirs[i] (dirs may be NULL) is the path
 * element holding ids[i]. The one listing of packs: sa_pack_list, lint, the router. */
int sa__pack_ids(char ***ids, char ***dirs, size_t *n, const char *pack_path);
void sa__pack_ids_free(char **ids, char **dirs, size_t n);

/* Load pack `id` and its ancestors from the first directory of `path` (':'-separated) that has it. */
int sa__policy_load(sa_policy **out, const char *path, const char *id);
/* The bytes of a pack's services.yaml as loaded (NULL if it has none). */
const char *sa__pack_services_text(const sa_pack *p, size_t *len);
void sa__policy_release(sa_policy *p);
const sa_pack *sa__policy_leaf(const sa_policy *p);

/* The entry in force on date d, walking from the leaf up. NULL when none; *layer = chain index. */
const sa_peff *sa__policy_param(const sa_policy *p, const char *name);
const sa_pentry *sa__peff_at(const sa_policy *p, const sa_peff *e, sa_date d, size_t *layer);

const char *sa__ptype_name(sa_ptype t);

/* doc_cache.c: the YAML of a pack file, parsed once per process (keyed by SHA-256 of text);
 * read-only. Errors as sa__yaml_parse's. Give it back with sa__pack_doc_release. */
int sa__pack_doc(sa_pfile_doc *out, const char *text, size_t len, const char *file);
void sa__pack_doc_release(sa_pfile_doc *d); /* a zeroed one too */
void sa__pack_doc_cache_stats(sa_cache_stats *st);
void sa__pack_doc_cache_clear(void); /* drop every entry (tests) */

/* signature.c: the message a pack signature signs (id and content hash); its length or -1 */
int sa__pack_signed_message(char *buf, size_t size, const sa_pack *p);
/* signature.c: every pack of the chain carries a good pack.sig for the Ed25519 public key in
 * PEM file pub_file; else SA_EPOLICY naming the first pack refused */
int sa__policy_verify_signatures(const sa_policy *pol, const char *pub_file);



#endif
