/* publish.c - sa_pack_set_publish (include/sa/engine.h): the engine's publishing, with the
 * pack's golden tests as the check a version must pass. The check is handed down to the
 * engine, so the engine never calls golden code. */
#include "golden/golden.h"

static int golden_check(sa_test_counts *counts, sa_engine *e, const char *pack_id)
{
	int rc = sa__pack_test_engine(counts, e, pack_id, NULL, NULL);
	if (rc == 0 && counts->failed)
		rc = sa__error(SA_EPOLICY, "pack %s: %zu of %zu golden cases failed; not published", pack_id, counts->failed,
		               counts->failed + counts->passed);
	return rc;
}

int sa_pack_set_publish(sa_test_counts *counts, sa_pack_set *set, const char *pack_id, unsigned int flags)
{
	return sa__pack_set_publish(counts, set, pack_id, (flags & SA_PUBLISH_SKIP_TESTS) ? NULL : golden_check);
}
