/* summary.h - the counts of a screening run (summary.c), kept per batch by the workers and
 * added up in input order by the calling thread (screen.c). */
#ifndef SA_SCREEN_SUMMARY_H
#define SA_SCREEN_SUMMARY_H

#include "core/internal.h"
#include "core/decision_internal.h"
#include "sa/screen.h"

struct sa_screen_summary {
	uint64_t records, evaluated, bad;
	uint64_t circle[4]; /* [0] = no circle */
	sa_screen_tier *tiers;
	size_t ntiers, tcap;
	sa_screen_program *programs;
	size_t nprograms, pcap;
	uint64_t undetermined;           /* households with a tier program undetermined */
	sa_screen_region_tier *rtiers;   /* region × tier */
	size_t nrtiers, rtcap;
	sa_screen_region_program *rprogs; /* region × program */
	size_t nrprogs, rpcap;
	sa_screen_missing *missing;      /* sorted by households, then fact, after each add */
	size_t nmissing, mcap;
	size_t *index;                   /* hash of "region\x1fname" keys into rtiers/rprogs (tagged), and of facts */
	size_t icap, iused;
};

/* Forget every count and record (the struct stays usable). */
void sa__summary_clear(sa_screen_summary *s);
/* Count one decision; enrolments is the household's `enrolments` map or NULL, region its
 * region code (NULL: counted under "-"). */
int sa__summary_count(sa_screen_summary *s, const sa_decision *d, const sa_value *enrolments, const char *region);
/* Add `from` to `into`, records of new names appended in from's order. */
int sa__summary_add(sa_screen_summary *into, const sa_screen_summary *from);

#endif
