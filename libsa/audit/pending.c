/* pending.c - entry points of sa/audit.h whose modules have not landed yet: they fail with
 * a clear message instead of leaving the symbol undefined for the bindings. Each moves to
 * its own module (libsa/audit/<module>.c) when it lands. */
#include "core/internal.h"

#define PENDING(name) sa__error(SA_ERROR, "%s: not available in this build yet", name)

int sa_explain_options_init(sa_explain_options *opts, unsigned int version)
{
	if (!opts || version != SA_EXPLAIN_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_explain_options_init: version %u is not %d", version,
		                 SA_EXPLAIN_OPTIONS_VERSION);
	*opts = (sa_explain_options)SA_EXPLAIN_OPTIONS_INIT;
	return SA_OK;
}

int sa_explain(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const sa_explain_options *opts)
{
	(void)engine, (void)hh, (void)as_of, (void)opts;
	*out = NULL;
	return PENDING("sa_explain");
}

int sa_whatif(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const char *const *sets,
              size_t nsets, sa_whatif_format format)
{
	(void)engine, (void)hh, (void)as_of, (void)sets, (void)nsets, (void)format;
	*out = NULL;
	return PENDING("sa_whatif");
}

int sa_whatif_vary(char **out, sa_engine *engine, const sa_household *hh, sa_date as_of, const char *const *sets,
                   size_t nsets, const char *path, const char *from, const char *to, const char *step,
                   sa_whatif_format format)
{
	(void)engine, (void)hh, (void)as_of, (void)sets, (void)nsets, (void)path, (void)from, (void)to, (void)step,
		(void)format;
	*out = NULL;
	return PENDING("sa_whatif_vary");
}

int sa_decision_diff(char **out, const sa_decision *before, const sa_decision *after)
{
	(void)before, (void)after;
	*out = NULL;
	return PENDING("sa_decision_diff");
}

int sa_log_options_init(sa_log_options *opts, unsigned int version)
{
	if (!opts || version != SA_LOG_OPTIONS_VERSION)
		return sa__error(SA_EINVALID, "sa_log_options_init: version %u is not %d", version, SA_LOG_OPTIONS_VERSION);
	*opts = (sa_log_options)SA_LOG_OPTIONS_INIT;
	return SA_OK;
}

int sa_log_open(sa_log **out, const char *path, const sa_log_options *opts)
{
	(void)path, (void)opts;
	*out = NULL;
	return PENDING("sa_log_open");
}

int sa_log_append(sa_log *log, const sa_household *hh, const sa_decision *d, uint64_t *seq)
{
	(void)log, (void)hh, (void)d, (void)seq;
	return PENDING("sa_log_append");
}

int sa_log_close(sa_log *log)
{
	(void)log;
	return SA_OK;
}

int sa_log_verify(char **report, sa_log_report *counts, const char *const *paths, size_t npaths,
                  const char *hmac_key_file)
{
	(void)counts, (void)paths, (void)npaths, (void)hmac_key_file;
	*report = NULL;
	return PENDING("sa_log_verify");
}

int sa_pack_archive(char hash_out[65], const char *pack_path, const char *pack_id, const char *dir)
{
	(void)hash_out, (void)pack_path, (void)pack_id, (void)dir;
	return PENDING("sa_pack_archive");
}

int sa_replay(char **report, size_t *differences, const char *path, const char *archive_dir)
{
	(void)differences, (void)path, (void)archive_dir;
	*report = NULL;
	return PENDING("sa_replay");
}

int sa_pack_sign(char hash_out[65], const char *pack_path, const char *pack_id, const char *key_file)
{
	(void)hash_out, (void)pack_path, (void)pack_id, (void)key_file;
	return PENDING("sa_pack_sign");
}

int sa_pack_verify(const char *pack_path, const char *pack_id, const char *pub_file)
{
	(void)pack_path, (void)pack_id, (void)pub_file;
	return PENDING("sa_pack_verify");
}
