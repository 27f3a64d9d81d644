/*
 * sa/screen.h - batch screening: evaluate a registry of households on every core.
 *
 * A registry is JSON lines (one household object per line, the fields of docs/household.md's
 * `household:` map) or CSV (one row per member, docs/screening.md). sa_screen_run splits it
 * into batches, evaluates them on `jobs` threads (one engine each) and hands the results back
 * on the calling thread, in input order: one on_record call per household that was evaluated,
 * one on_error call per bad record (with its line number; the run goes on). The summary
 * counts tiers, circles, cash per program and enrolment mismatches.
 */
#ifndef SA_SCREEN_H
#define SA_SCREEN_H

#include "common.h"
#include "engine.h"

SA_BEGIN_DECL

typedef enum { SA_SCREEN_AUTO = 0, SA_SCREEN_JSONL = 1, SA_SCREEN_CSV = 2 } sa_screen_format;

/**
 * What a run counted: households seen, evaluated and skipped, by circle, by highest tier and
 * per program. Tier and program names are those of the pack's decisions (not a list in C):
 * records come in the order first seen (a decision lists its tier programs highest first).
 * Opaque; create with sa_screen_summary_new, free with sa_screen_summary_free.
 */
typedef struct sa_screen_summary sa_screen_summary;

/** Households whose highest tier is `name` ("none" as the pack spells no tier). */
typedef struct {
	const char *name;
	uint64_t households;
} sa_screen_tier;

/** One program's counts. Owned by the summary; the library may append members. */
typedef struct {
	const char *name;               /**< e.g. "dibao", "temporary", "special.medical" */
	const char *period;             /**< "month", or "once" for a one-off amount (临时救助) */
	uint64_t eligible;
	uint64_t undetermined;
	sa_fen cash;                    /**< sum of the eligible amounts, fen (per `period`) */
	uint64_t not_enrolled;          /**< eligible, but h.enrolments lacks it */
	uint64_t no_longer;             /**< enrolled, and now ineligible */
	uint64_t enrolled_undetermined; /**< enrolled, now undetermined */
} sa_screen_program;

/** One region's counts for one program: a cell of the region × program table. */
typedef struct {
	const char *region;     /**< the households' 6-digit region code (GB/T 2260, county level) */
	const char *program;
	uint64_t eligible;
	uint64_t undetermined;
	sa_fen cash;            /**< eligible amounts, fen (per the program's period) */
	uint64_t not_enrolled;  /**< eligible, not enrolled (政策找人: qualify but not covered) */
	uint64_t no_longer;     /**< enrolled, now ineligible */
} sa_screen_region_program;

/** Households of one region by highest tier. */
typedef struct {
	const char *region;
	const char *tier;
	uint64_t households;
} sa_screen_region_tier;

/**
 * A fact (or parameter) that undetermined households lack, and how many of them lack it:
 * which facts, once collected, would settle the most households.
 */
typedef struct {
	const char *fact;        /**< as the decisions name it, e.g. "members.m1.income", "param:rigid.spending_ratio" */
	uint64_t households;
} sa_screen_missing;

/** An empty summary; runs add to it. */
SA_API int sa_screen_summary_new(sa_screen_summary **out);
/** NULL-safe. */
SA_API void sa_screen_summary_free(sa_screen_summary *s);
/** Households seen (good and bad), evaluated (with a decision), skipped (unreadable, invalid,
 *  or the rules failed). */
SA_API uint64_t sa_screen_summary_records(const sa_screen_summary *s);
SA_API uint64_t sa_screen_summary_evaluated(const sa_screen_summary *s);
SA_API uint64_t sa_screen_summary_bad(const sa_screen_summary *s);
/** Households in circle 1..3, or with no circle for circle 0 (0 outside 0..3). */
SA_API uint64_t sa_screen_summary_circle(const sa_screen_summary *s, int circle);
/** Tier records; NULL when i is out of range. Borrowed from s. */
SA_API size_t sa_screen_summary_tier_count(const sa_screen_summary *s);
SA_API const sa_screen_tier *sa_screen_summary_tier(const sa_screen_summary *s, size_t i);
/** Program records; NULL when i is out of range. Borrowed from s. */
SA_API size_t sa_screen_summary_program_count(const sa_screen_summary *s);
SA_API const sa_screen_program *sa_screen_summary_program(const sa_screen_summary *s, size_t i);
/** Region × tier records, regions in the order first seen. Borrowed from s. */
SA_API size_t sa_screen_summary_region_tier_count(const sa_screen_summary *s);
SA_API const sa_screen_region_tier *sa_screen_summary_region_tier(const sa_screen_summary *s, size_t i);
/** Region × program records, regions in the order first seen. Borrowed from s. */
SA_API size_t sa_screen_summary_region_program_count(const sa_screen_summary *s);
SA_API const sa_screen_region_program *sa_screen_summary_region_program(const sa_screen_summary *s, size_t i);
/** Households left undetermined: those with a tier program undetermined. */
SA_API uint64_t sa_screen_summary_undetermined(const sa_screen_summary *s);
/** Missing-fact records over the undetermined households, most households first (ties by name). */
SA_API size_t sa_screen_summary_missing_count(const sa_screen_summary *s);
SA_API const sa_screen_missing *sa_screen_summary_missing(const sa_screen_summary *s, size_t i);

/**
 * The summary for a 民政局 (docs/screening.md "Summaries"): as JSON (counts are numbers, money
 * an exact yuan string beside its integer `_fen`), as CSV (RFC 4180, one row per tier, program,
 * region × tier, region × program and missing fact: `kind,region,name,...`), or as one
 * self-contained HTML page (inline CSS and SVG bar charts by region and tier, A4 print rules,
 * nothing fetched). *out is freed with sa_free.
 */
SA_API int sa_screen_summary_to_json(char **out, const sa_screen_summary *s);
SA_API int sa_screen_summary_to_csv(char **out, const sa_screen_summary *s);
SA_API int sa_screen_summary_to_html(char **out, const sa_screen_summary *s, const char *title);

typedef struct {
	unsigned int version;              /**< SA_SCREEN_OPTIONS_VERSION */
	const char *pack;                  /**< pack id (required unless route) */
	const sa_engine_options *engine;   /**< per-engine options, or NULL for defaults */
	sa_date as_of;                     /**< evaluation date (required) */
	unsigned int jobs;                 /**< worker threads; 0 = online processors */
	sa_screen_format format;           /**< AUTO: CSV if the name ends in .csv, else JSON lines */
	unsigned int json_flags;           /**< for sa_decision_to_json; SA_JSON_NO_REASONS is usual */
	/** One decision as JSON (no newline), in input order; line = the record's first line.
	 *  Return non-zero to stop the run (sa_screen_run then returns SA_EUSER). May be NULL. */
	int (*on_record)(void *ud, uint64_t line, const char *id, const char *json, size_t len);
	/** A skipped record: its first line, the error code and message. May be NULL. */
	void (*on_error)(void *ud, uint64_t line, int code, const char *message);
	/** Progress: bytes of input done and in total. Called at most every few batches. May be NULL. */
	void (*on_progress)(void *ud, uint64_t done_bytes, uint64_t total_bytes, uint64_t records);
	void *ud;
	/* version 2 */
	/** Route each household to the most specific pack on engine->pack_path whose region covers
	 *  its region code (pack is then ignored and may be NULL). A household no pack covers is
	 *  reported through on_error with its line, and not evaluated. */
	int route;
	/* version 3 */
	/** Append one record per decision to this decision log (sa/audit.h), in input
	 *  order, before on_record sees it; the decisions keep their reasons. NULL: no log. A
	 *  failed append stops the run with its error. */
	struct sa_log *log;
} sa_screen_options;

#define SA_SCREEN_OPTIONS_VERSION 3
/** The defaults of sa_screen_options_init, as a static initialiser. */
#define SA_SCREEN_OPTIONS_INIT \
	{ SA_SCREEN_OPTIONS_VERSION, NULL, NULL, 0, 0, SA_SCREEN_AUTO, SA_JSON_NO_REASONS, NULL, NULL, NULL, NULL, 0, NULL }

/** Fill opts with defaults (as_of 0, jobs 0, JSON lines, SA_JSON_NO_REASONS, no route, no
 *  log) for version 1, 2 or 3 (a version-1 struct ends before `route`, version 2 before `log`). */
SA_API int sa_screen_options_init(sa_screen_options *opts, unsigned int version);

/**
 * Screen the registry in text[0..len) and add the counts to *out (a summary from
 * sa_screen_summary_new). name labels errors and picks the format when AUTO. Returns 0 when
 * the run completed (bad records are counted, not errors), or SA_EINVALID (options, CSV
 * header), SA_ENOTFOUND / SA_EPOLICY (the pack), SA_ENOMEM, SA_EUSER (a callback stopped it).
 * On an error *out holds what the run counted as far as it got.
 */
SA_API int sa_screen_run(sa_screen_summary *out, const sa_screen_options *opts, const char *text, size_t len,
                         const char *name);

/** Same, reading the file at path ("-" reads standard input). */
SA_API int sa_screen_file(sa_screen_summary *out, const sa_screen_options *opts, const char *path);

SA_END_DECL

#endif
