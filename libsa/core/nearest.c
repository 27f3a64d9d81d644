/* nearest.c - "did you mean": the candidate closest to a misspelt name (Levenshtein distance,
 * at most 2 edits and less than half the name). Used for unknown keys in pack files. */
#include "core/internal.h"

#include <string.h>

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65];
	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *sa__nearest(const char *name, const char *const *cands)
{
	const char *best = NULL;
	size_t bd = (size_t)-1;
	for (size_t i = 0; cands[i]; i++) {
		size_t d = distance(name, cands[i]);
		if (d < bd) {
			bd = d;
			best = cands[i];
		}
	}
	return best && bd <= 2 && bd * 2 < strlen(name) ? best : NULL;
}
