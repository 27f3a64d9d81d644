/* region.c - GB/T 2260 administrative codes: which pack's region covers a household's. */
#include "core/internal.h"

#include <string.h>

/* The significant prefix of a code: trailing "00" pairs dropped (530100 → "5301", 530000 →
 * "53", 000000 → "", the whole country). */
size_t sa__region_prefix_len(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	while (n >= 2 && code[n - 1] == '0' && code[n - 2] == '0')
		n -= 2;
	return n;
}

int sa__region_covers(const char *pack_region, const char *household_region)
{
	size_t n;
	if (!pack_region || !*pack_region)
		return 1; /* a pack that names no region (a test fixture) takes every household */
	n = sa__region_prefix_len(pack_region);
	return household_region && strncmp(pack_region, household_region, n) == 0;
}
