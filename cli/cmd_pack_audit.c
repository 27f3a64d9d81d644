/* cmd_pack_audit.c - sa pack archive / sign / verify (docs/audit.md). */
#include "cli.h"

#include <string.h>

int cmd_pack_audit(int argc, char **argv)
{
	const char *path = NULL, *to = NULL, *key = NULL, *id = NULL;
	char hash[65];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pack-path") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (argv[i][0] == '-' || id) {
			cli_usage(stderr);
			return 2;
		} else
			id = argv[i];
	}
	if (!id) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "archive") == 0) {
		if (!to) {
			cli_usage(stderr);
			return 2;
		}
		if (sa_pack_archive(hash, path, id, to) < 0)
			return cli_error(id);
		printf("archived %s as %s/%s\n", id, to, hash);
		return 0;
	}
	if (!key) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "sign") == 0) {
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
