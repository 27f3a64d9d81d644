/* cmd_pack_audit.c - sa pack archive / sign / verify (docs/audit.md); cmd_pack parses the
 * options. */
#include "cli.h"

#include <string.h>

int cli_pack_audit(const char *sub, const char *path, const char *id, const char *to, const char *key)
{
	char hash[65];
	if (strcmp(sub, "archive") == 0) {
		if (!to)
			return cli_usage_error("pack", "pack archive needs --to DIR");
		if (sa_pack_archive(hash, path, id, to) < 0)
			return cli_error(id);
		printf("archived %s as %s/%s\n", id, to, hash);
		return 0;
	}
	if (!key)
		return cli_usage_error("pack", "pack %s needs --key FILE", sub);
	key = cli_path(key);
	if (strcmp(sub, "sign") == 0) {
		if (sa_pack_sign(hash, path, id, key) < 0)
			return cli_error(id);
		printf("signed %s (content hash %s): pack.sig written\n", id, hash);
		return 0;
	}
	if (sa_pack_verify(path, id, key) < 0)
		return cli_error(id);
	printf("every pack of %s's chain is signed with this key and unchanged\n", id);
	return 0;
}
