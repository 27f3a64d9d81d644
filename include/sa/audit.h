/*
 * sa/audit.h - explaining, varying, recording and replaying decisions (一户一档).
 *
 * Explanations (sa_explain) put one decision into words for the caseworker and the
 * applicant, as text or as one self-contained printable HTML page. What-if (sa_whatif,
 * sa_whatif_vary) re-evaluates a household with some fields changed. The decision log
 * (sa_log_*) appends one hash-chained JSON line per decision; sa_log_verify finds any
 * edited, removed, inserted or reordered record. Pack archives, replay and signatures live
 * in the same module family (docs/audit.md, docs/explain.md).
 *
 * Every function returns 0 or a negative sa_error_code (sa/errors.h); results come back
 * through the out-parameter, first. Strings returned through char ** are freed with sa_free.
 */
#ifndef SA_AUDIT_H
#define SA_AUDIT_H

#include "common.h"
#include "engine.h"
#include "household.h"
#include "decision.h"

SA_BEGIN_DECL

/* ---- explanations (docs/explain.md) ---- */

typedef enum {
	SA_EXPLAIN_TEXT = 0, /**< plain text, one program after another */
	SA_EXPLAIN_HTML = 1  /**< one self-contained HTML page (inline CSS and SVG, A4 print) */
} sa_explain_format;

typedef enum {
	SA_LANG_ZH = 0,  /**< Chinese (the default) */
	SA_LANG_EN = 1,  /**< English */
	SA_LANG_BOTH = 2 /**< Chinese, each line followed by its English */
} sa_lang;

typedef struct {
	unsigned int version;     /**< SA_EXPLAIN_OPTIONS_VERSION */
	sa_explain_format format; /**< SA_EXPLAIN_TEXT (default) or SA_EXPLAIN_HTML */
	sa_lang lang;             /**< SA_LANG_ZH (default), SA_LANG_EN, SA_LANG_BOTH */
	int chart_points;         /**< HTML chart: evaluations along the wage axis; 0: 41 */
} sa_explain_options;

#define SA_EXPLAIN_OPTIONS_VERSION 1
#define SA_EXPLAIN_OPTIONS_INIT { SA_EXPLAIN_OPTIONS_VERSION, SA_EXPLAIN_TEXT, SA_LANG_ZH, 0 }

/** Fill opts with the defaults of `version` (for bindings that cannot use the macro). */
SA_API int sa_explain_options_init(sa_explain_options *opts, unsigned int version);

/**
 * Evaluate hh on as_of and explain the decision: per program the outcome, each member's
 * counted and excluded income by kind with its clause, each standard with its effective
 * date and document, the income test written out, the distance to its threshold (margin)
 * and, for each missing fact, the question the caseworker asks. opts may be NULL.
 * Errors are those of sa_evaluate.
 */
SA_API int sa_explain(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of,
                      const sa_explain_options *opts);

/**
 * The distance of program i's income test to its threshold (docs/decision.md "margin"):
 * *amount (fen, > 0) is how much the household's total monthly counted income (for rigid:
 * its rigid spending of 12 months) would have to change to flip the test, *direction +1
 * for a rise, -1 for a fall; *other_conditions is 1 when the program has conditions besides
 * that test. Any out pointer may be NULL. SA_ENOTFOUND when the program has no income test
 * with known facts.
 */
SA_API int sa_decision_program_margin(sa_fen *amount, int *direction, int *other_conditions, const sa_decision *d,
                                      size_t i);

/**
 * Candidate k (from 0) of a per-person income test (特困: each candidate's own monthly counted
 * income against the local 低保 standard, 特困人员认定办法 第六条（一）): *member (owned by d),
 * *amount (fen, > 0) and *direction as above. The program-level margin is the candidate's
 * nearest the line. SA_ENOTFOUND (no message) past the last candidate, or for a program whose
 * test is the household's. Any out pointer may be NULL.
 */
SA_API int sa_decision_program_margin_candidate(const char **member, sa_fen *amount, int *direction,
                                                const sa_decision *d, size_t i, size_t k);

/* ---- what-if (docs/explain.md "What-if") ---- */

typedef enum {
	SA_WHATIF_TEXT = 0, /**< text for a person */
	SA_WHATIF_JSON = 1  /**< JSON for a program */
} sa_whatif_format;

/**
 * Evaluate hh on as_of as given and with each change of `sets` applied ("PATH=VALUE";
 * PATH is a dotted household path where a member may be named by id, e.g.
 * "members.m1.income.wages=1500"), and write the changed decision with a field-by-field
 * diff against the original. JSON: {"changes":[...],"decision":{...},"diff":[{"field",
 * "before","after"}]}. hh itself is not changed. SA_EINVALID names a bad path or value.
 */
SA_API int sa_whatif(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of,
                     const char *const *sets, size_t nsets, sa_whatif_format format);

/**
 * Evaluate hh (with `sets` applied first, may be 0) once per value of `path` from `from`
 * to `to` inclusive in steps of `step` (money, integers; "0:3000:100"), and write one row
 * per value: the value, the tier and each tier program's status and amount. At most 10,001
 * rows. JSON: {"path":..., "rows":[{"value","tier","programs":{name:{status,amount}}}]}.
 */
SA_API int sa_whatif_vary(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of,
                          const char *const *sets, size_t nsets, const char *path, const char *from,
                          const char *to, const char *step, sa_whatif_format format);

/**
 * Field-by-field difference of two decisions as JSON: [{"field":"programs.dibao.amount",
 * "before":"1232.00","after":"932.00"}, ...]; "[]" when they agree. Reasons are not compared.
 */
SA_API int sa_decision_diff(char **out, const sa_decision *before, const sa_decision *after);

/* ---- the decision log (docs/audit.md) ---- */

typedef struct sa_log sa_log;

typedef enum {
	SA_FSYNC_EVERY = 0, /**< fsync after every record (the default): a record reported written survives a crash */
	SA_FSYNC_EVERY_N = 1, /**< fsync after every fsync_n records and on close */
	SA_FSYNC_CLOSE = 2  /**< fsync only on close (and rotation) */
} sa_fsync_policy;

typedef struct {
	unsigned int version;         /**< SA_LOG_OPTIONS_VERSION */
	const char *hmac_key_file;    /**< add an HMAC-SHA256 of each record with this key; NULL: none */
	int redact;                   /**< store salted hashes instead of household and member ids and free text */
	const char *redact_salt_file; /**< the secret salt for redaction (required with redact) */
	sa_fsync_policy fsync;        /**< when to fsync */
	unsigned int fsync_n;         /**< with SA_FSYNC_EVERY_N; 0: 100 */
	uint64_t rotate_bytes;        /**< rotate to PATH.1, PATH.2, ... once the file holds this many bytes; 0: never */
} sa_log_options;

#define SA_LOG_OPTIONS_VERSION 1
#define SA_LOG_OPTIONS_INIT { SA_LOG_OPTIONS_VERSION, NULL, 0, NULL, SA_FSYNC_EVERY, 0, 0 }

SA_API int sa_log_options_init(sa_log_options *opts, unsigned int version);

/**
 * Open (create, or continue) the decision log at path and take its advisory lock (flock):
 * one writer at a time. Fails before anything is written when the file cannot be written,
 * is locked by another writer, is of another format version, ends in a partial record or
 * does not verify at its last record. opts may be NULL.
 */
SA_API int sa_log_open(sa_log **out, const char *path, const sa_log_options *opts);

/**
 * Append one record for decision d of household hh: the household as given, the decision,
 * the pack id, version and content hash, the parameters the rules read (value, effective
 * date, pack, document), the time, the sequence number and the SHA-256 of the previous
 * record. On return the record is written (and synced under SA_FSYNC_EVERY). seq (may be
 * NULL) receives its sequence number.
 */
SA_API int sa_log_append(uint64_t *seq, sa_log *log, const sa_household *hh, const sa_decision *d);

/** The destructor of sa_log: sync, unlock, close and free; NULL ok. Returns an error when the
 *  final sync failed (the log is freed all the same). */
SA_API int sa_log_close(sa_log *log);

typedef struct {
	uint64_t records;   /**< records that verified */
	uint64_t bad_line;  /**< 1-based line of the first bad record; 0 when all are good */
	int truncated;      /**< the file ends in a partial record (a write cut short) */
} sa_log_report;

/**
 * Verify the log files `paths` (in order: a rotated chain is PATH.1, PATH.2, ..., PATH):
 * each record's hash, the chain of previous-record hashes, sequence numbers and, with
 * hmac_key_file, each HMAC. *report (freed with sa_free) describes the result in words and
 * names the first bad record; counts (may be NULL) has the numbers. Returns SA_OK when
 * every record is good, SA_EINVALID on the first bad or truncated record.
 */
SA_API int sa_log_verify(char **report, sa_log_report *counts, const char *const *paths, size_t npaths,
                         const char *hmac_key_file);

/* ---- archives, replay and signatures (docs/audit.md) ---- */

/**
 * Copy the files of pack `pack_id` and every pack it extends (found on pack_path, NULL as
 * in sa_engine_options) to DIR/<content hash>/<pack id>/, so that the version stays
 * available after the packs change. hash_out (may be NULL) receives the content hash.
 */
SA_API int sa_pack_archive(char hash_out[65], const char *pack_path, const char *pack_id, const char *dir);

/**
 * Re-evaluate every record of log `path` under the pack version it names, taken from the
 * archive `archive_dir`, and compare with the recorded decision. *report (freed with
 * sa_free) lists every difference; *differences counts the records that differ. Errors:
 * SA_ENOTFOUND names a pack hash absent from the archive, SA_EINVALID a record of another
 * format version or a broken line.
 */
SA_API int sa_replay(char **report, size_t *differences, const char *path, const char *archive_dir);

/**
 * Write a detached Ed25519 signature of pack `pack_id`'s content hash to its directory
 * (pack.sig), with the private key in PEM file key_file. hash_out (may be NULL) receives
 * the signed content hash.
 */
SA_API int sa_pack_sign(char hash_out[65], const char *pack_path, const char *pack_id, const char *key_file);

/**
 * Check the signature of pack `pack_id` and every pack it extends against the Ed25519
 * public key in PEM file pub_file. SA_EPOLICY names the first pack whose signature is
 * missing or wrong. (Engines check the same at load with sa_engine_options.verify_key.)
 */
SA_API int sa_pack_verify(const char *pack_path, const char *pack_id, const char *pub_file);

SA_END_DECL

#endif
