/* fuzz_events.c - libFuzzer: the monitoring events reader (sa_monitor_parse: YAML/JSON
 * entries of a household and its events) with the national pack's rules.monitor. */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sa_alerts *a = NULL;
	if (sa_monitor_parse(&a, fuzz_engine("cn"), (const char *)data, size, "fuzz", 20250901) == 0)
		sa_alerts_free(a);
	return 0;
}
