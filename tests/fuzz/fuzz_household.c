/* fuzz_household.c - libFuzzer: the household reader (YAML/JSON -> validated household). */
#include <sa.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sa_household **hh = NULL;
	size_t n = 0;
	if (sa_household_parse(&hh, &n, (const char *)data, size, "fuzz") == 0)
		sa_household_array_free(hh, n);
	return 0;
}
