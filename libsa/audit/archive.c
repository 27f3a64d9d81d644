/* archive.c - sa pack archive: a pack chain's files stored under its content hash, so that
 * the version a logged decision names stays available for replay (docs/audit.md). */
#include "core/internal.h"
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdirs(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);
	if (n >= sizeof buf)
		return sa__error(SA_EINVALID, "path too long: %s", dir);
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (buf[i] == '/' || buf[i] == 0) {
			char c = buf[i];
			buf[i] = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return sa__error_at(SA_ERROR, buf, 0, 0, "cannot create the directory: %s", strerror(errno));
			buf[i] = c;
		}
	return SA_OK;
}

static int copy_file(const char *from, const char *to)
{
	char *text;
	size_t len;
	FILE *f;
	if (sa__read_file(&text, &len, from) < 0)
		return sa__error_at(SA_ERROR, from, 0, 0, "cannot read");
	if (!(f = fopen(to, "wb"))) {
		free(text);
		return sa__error_at(SA_ERROR, to, 0, 0, "cannot write: %s", strerror(errno));
	}
	if (fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		free(text);
		return sa__error_at(SA_ERROR, to, 0, 0, "cannot write: %s", strerror(errno));
	}
	free(text);
	return SA_OK;
}

/* Copy the regular files and directories under `from` (symbolic links are not followed). */
static int copy_tree(const char *from, const char *to, int depth)
{
	DIR *d;
	struct dirent *de;
	int rc = SA_OK;
	if (depth > 16)
		return sa__error_at(SA_EINVALID, from, 0, 0, "directories nested too deep");
	if (mkdir(to, 0755) < 0 && errno != EEXIST)
		return sa__error_at(SA_ERROR, to, 0, 0, "cannot create the directory: %s", strerror(errno));
	if (!(d = opendir(from)))
		return sa__error_at(SA_ERROR, from, 0, 0, "cannot read the directory: %s", strerror(errno));
	while (rc == SA_OK && (de = readdir(d))) {
		char a[4096], b[4096];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		snprintf(a, sizeof a, "%s/%s", from, de->d_name);
		snprintf(b, sizeof b, "%s/%s", to, de->d_name);
		if (lstat(a, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = copy_tree(a, b, depth + 1);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(a, b);
	}
	closedir(d);
	return rc;
}

static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return unlink(dir);
	while ((de = readdir(d))) {
		char p[4096];
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	return rmdir(dir);
}

/* The archived copy at dir loads to the same content hash. */
static int check_copy(const char *dir, const char *pack_id, const char *hash)
{
	sa_policy *pol;
	int rc;
	if ((rc = sa__policy_load(&pol, dir, pack_id)) < 0)
		return rc;
	if (strcmp(pol->hash, hash) != 0)
		rc = sa__error_at(SA_EINVALID, dir, 0, 0, "the archived copy has content hash %s, not %s", pol->hash, hash);
	sa__policy_release(pol);
	return rc;
}

int sa_pack_archive(char hash_out[65], const char *pack_path, const char *pack_id, const char *dir)
{
	const char *env = getenv("SA_PACK_PATH");
	sa_policy *pol;
	char final[4096], tmp[4200];
	struct stat st;
	int rc;
	if (!pack_id || !dir)
		return sa__error(SA_EINVALID, "sa_pack_archive: NULL argument");
	if ((rc = sa__policy_load(&pol, pack_path && *pack_path ? pack_path : env && *env ? env : "policies", pack_id)) < 0)
		return rc;
	if ((rc = mkdirs(dir)) < 0)
		goto out;
	snprintf(final, sizeof final, "%s/%s", dir, pol->hash);
	if (stat(final, &st) == 0) { /* archived before: content-addressed, so it must match */
		rc = check_copy(final, pack_id, pol->hash);
		goto out;
	}
	snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", dir, pol->hash, (long)getpid());
	if (mkdir(tmp, 0755) < 0) {
		rc = sa__error_at(SA_ERROR, tmp, 0, 0, "cannot create the directory: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < pol->n && rc == SA_OK; i++) {
		char to[4400];
		snprintf(to, sizeof to, "%s/%s", tmp, pol->chain[i]->id);
		rc = copy_tree(pol->chain[i]->dir, to, 0);
	}
	if (rc == SA_OK)
		rc = check_copy(tmp, pack_id, pol->hash);
	if (rc == SA_OK && rename(tmp, final) < 0)
		rc = sa__error_at(SA_ERROR, final, 0, 0, "cannot store the archive: %s", strerror(errno));
	if (rc < 0)
		remove_tree(tmp);
out:
	if (rc == SA_OK && hash_out)
		memcpy(hash_out, pol->hash, 65);
	sa__policy_release(pol);
	return rc;
}
