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

/** The four programs a summary counts, in this order. */
#define SA_SCREEN_NPROGRAMS 4
/** Tiers in summary order: tekun, dibao, edge, rigid, none. */
#define SA_SCREEN_NTIERS 5

typedef struct {
	uint64_t records;   /**< households seen (good and bad) */
	uint64_t evaluated; /**< households with a decision */
	uint64_t bad;       /**< records skipped: unreadable, invalid, or the rules failed */
	uint64_t tier[SA_SCREEN_NTIERS];       /**< by highest tier */
	uint64_t circle[4];                    /**< [0] = no circle, [1..3] */
	uint64_t eligible[SA_SCREEN_NPROGRAMS];
	uint64_t undetermined[SA_SCREEN_NPROGRAMS];
	sa_fen cash[SA_SCREEN_NPROGRAMS];      /**< sum of eligible monthly amounts, fen */
	uint64_t not_enrolled[SA_SCREEN_NPROGRAMS]; /**< eligible, but h.enrolments lacks it */
	uint64_t no_longer[SA_SCREEN_NPROGRAMS];    /**< enrolled, and now ineligible */
	uint64_t enrolled_undetermined[SA_SCREEN_NPROGRAMS]; /**< enrolled, now undetermined */
} sa_screen_summary;

/** "tekun", "dibao", "edge", "rigid" for i < SA_SCREEN_NPROGRAMS; "none" for tier index 4. */
SA_API const char *sa_screen_name(int i);

typedef struct {
	unsigned int version;              /**< SA_SCREEN_OPTIONS_VERSION */
	const char *pack;                  /**< pack id (required) */
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
} sa_screen_options;

#define SA_SCREEN_OPTIONS_VERSION 1

/** Fill opts with defaults (as_of 0, jobs 0, JSON lines, SA_JSON_NO_REASONS). */
SA_API int sa_screen_options_init(sa_screen_options *opts, unsigned int version);

/**
 * Screen the registry in text[0..len). name labels errors and picks the format when AUTO.
 * Returns 0 when the run completed (bad records are counted in summary->bad, not errors),
 * or SA_EINVALID (options, CSV header), SA_ENOTFOUND / SA_EPOLICY (the pack), SA_ENOMEM,
 * SA_EUSER (a callback stopped it). The summary is filled as far as the run got.
 */
SA_API int sa_screen_run(const sa_screen_options *opts, const char *text, size_t len, const char *name,
                         sa_screen_summary *summary);

/** Same, reading the file at path ("-" reads standard input). */
SA_API int sa_screen_file(const sa_screen_options *opts, const char *path, sa_screen_summary *summary);

SA_END_DECL

#endif
