/* files.c - reading a pack's files, which are untrusted (docs/security.md "Pack files").
 *
 * A pack directory is opened once; every file and subdirectory in it is opened relative to
 * it with O_NOFOLLOW, so no symbolic link (to /etc/shadow, or anywhere else) is followed, and
 * with O_NONBLOCK, so a FIFO cannot hang the load. Anything that is not a regular file is
 * refused by name, before a byte of it is read: no error ever shows content that is not the
 * pack's own. Each file is read once, into memory; the caller parses and hashes that same
 * buffer. Sizes are capped per file and in total per loaded chain (the budget). */
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) || S_ISBLK(m) ? "a device" :
	       S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" : "not a regular file";
}

static int refuse(const char *dir, const char *rel, const char *what)
{
	return sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s is %s: a pack holds only regular files and directories", dir,
	                    rel, what);
}

int sa__pack_root(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sa__error_at(errno == ENOENT ? SA_ENOTFOUND : SA_EPOLICY, dir, 0, 0, "cannot open pack directory: %s",
		                    strerror(errno));
	return fd;
}

/* Open rel (components separated by '/') under root, no link followed. Returns an fd, or a
 * negative code; absent (ENOENT) gives SA_ENOTFOUND without setting an error when quiet. */
static int open_under(int root, const char *dir, const char *rel, int flags, bool quiet)
{
	char comp[256];
	const char *p = rel;
	int cur = root;
	for (;;) {
		size_t n = strcspn(p, "/");
		bool last = p[n] == 0;
		int fd;
		if (n == 0 || n >= sizeof comp || (n <= 2 && strncmp(p, "..", n) == 0)) {
			if (cur != root)
				close(cur);
			return sa__error(SA_EPOLICY, "bad path in a pack: %s", rel);
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		fd = openat(cur, comp, (last ? flags : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			int err = errno;
			struct stat st;
			if (err == ENOENT && quiet) {
				if (cur != root)
					close(cur);
				return SA_ENOTFOUND;
			}
			if ((err == ELOOP || err == ENOTDIR || err == ENXIO) && fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				if (cur != root)
					close(cur);
				return refuse(dir, rel, kind(st.st_mode));
			}
			if (cur != root)
				close(cur);
			return sa__error_at(err == ENOENT ? SA_ENOTFOUND : SA_EPOLICY, NULL, 0, 0, "%s/%s: cannot open: %s", dir,
			                    rel, strerror(err));
		}
		if (cur != root)
			close(cur);
		cur = fd;
		if (last)
			return fd;
		p += n + 1;
	}
}

int sa__pack_read(int root, const char *dir, const char *rel, char **out, size_t *len, size_t *budget)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd = open_under(root, dir, rel, O_RDONLY | O_NONBLOCK, true);
	*out = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int rc = refuse(dir, rel, kind(st.st_mode));
		close(fd);
		return rc;
	}
	if ((size_t)st.st_size > SA_PACK_FILE_MAX) {
		close(fd);
		return sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s: larger than the limit of %zu bytes for one pack file", dir,
		                    rel, (size_t)SA_PACK_FILE_MAX);
	}
	/* read what is there, up to the cap: a file that grows while we read is refused at the
	 * cap, one that shrinks gives what it has -- either way the caller gets one buffer */
	if (sa__read_fd(fd, SA_PACK_FILE_MAX, (size_t)st.st_size, &buf, &n) < 0) {
		int err = errno;
		close(fd);
		if (err == EFBIG)
			return sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s: larger than the limit of %zu bytes for one pack file",
			                    dir, rel, (size_t)SA_PACK_FILE_MAX);
		if (err == ENOMEM)
			return sa__error_oom();
		return sa__error_at(SA_EPOLICY, NULL, 0, 0, "%s/%s: read error: %s", dir, rel, strerror(err));
	}
	close(fd);
	if (budget) {
		if (n > *budget) {
			free(buf);
			return sa__error_at(SA_EPOLICY, NULL, 0, 0,
			                    "%s/%s: the pack chain is larger than its budget of %zu bytes in all (docs/security.md)",
			                    dir, rel, (size_t)SA_PACK_BUDGET);
		}
		*budget -= n;
	}
	*out = buf;
	*len = n;
	return SA_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sa__pack_list(int root, const char *dir, const char *sub, const char *suffix, char ***out, size_t *n)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;
	int fd = open_under(root, dir, sub, O_RDONLY | O_DIRECTORY, true), rc = SA_OK;
	*out = NULL;
	*n = 0;
	if (fd == SA_ENOTFOUND)
		return SA_OK; /* an optional directory */
	if (fd < 0)
		return fd;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return sa__error_oom();
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), sl = strlen(suffix);
		struct stat st;
		if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix) != 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
			char rel[512];
			snprintf(rel, sizeof rel, "%s/%s", sub, de->d_name);
			rc = refuse(dir, rel, kind(st.st_mode));
			goto fail;
		}
		if (*n == cap) {
			char **nn = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof *nn);
			if (!nn)
				goto oom;
			*out = nn;
		}
		if (!((*out)[*n] = strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return SA_OK;
oom:
	rc = sa__error_oom();
fail:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free((*out)[i]);
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

/* ------------------------------------------------------------ the packs on a path */

typedef struct {
	char *id, *dir;
	size_t elem; /* index of the path element: the first one holding an id wins */
} found_pack;

static int by_id_then_elem(const void *a, const void *b)
{
	const found_pack *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : x->elem < y->elem ? -1 : x->elem > y->elem;
}

int sa__pack_ids(char ***ids, char ***dirs, size_t *count, const char *pack_path)
{
	found_pack *v = NULL;
	size_t n = 0, cap = 0, elem = 0, k = 0;
	const char *p = pack_path;
	*ids = NULL;
	if (dirs)
		*dirs = NULL;
	*count = 0;
	while (p && *p) {
		size_t len = strcspn(p, ":");
		char dir[4096];
		DIR *d;
		struct dirent *de;
		snprintf(dir, sizeof dir, "%.*s", (int)len, p);
		if (len && (d = opendir(dir))) {
			while ((de = readdir(d))) {
				struct stat st;
				/* a pack id is cn or cn-<code> (docs/pack-format.md); a link to a pack counts */
				if (strncmp(de->d_name, "cn", 2) != 0 || fstatat(dirfd(d), de->d_name, &st, 0) != 0 ||
				    !S_ISDIR(st.st_mode))
					continue;
				if (n == cap) {
					found_pack *g = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *g);
					if (!g) {
						closedir(d);
						goto oom;
					}
					v = g;
				}
				v[n].elem = elem;
				v[n].id = strdup(de->d_name);
				v[n].dir = strdup(dir);
				n++;
				if (!v[n - 1].id || !v[n - 1].dir) {
					closedir(d);
					goto oom;
				}
			}
			closedir(d);
		}
		p += len;
		if (*p == ':')
			p++;
		elem++;
	}
	if (n)
		qsort(v, n, sizeof *v, by_id_then_elem);
	if (n && (!(*ids = calloc(n, sizeof **ids)) || (dirs && !(*dirs = calloc(n, sizeof **dirs)))))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (k && strcmp((*ids)[k - 1], v[i].id) == 0) { /* found again further down the path */
			free(v[i].id);
			free(v[i].dir);
			continue;
		}
		(*ids)[k] = v[i].id;
		if (dirs)
			(*dirs)[k] = v[i].dir;
		else
			free(v[i].dir);
		k++;
	}
	free(v);
	*count = k;
	return SA_OK;
oom:
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].dir);
	}
	free(v);
	free(*ids);
	*ids = NULL;
	if (dirs) {
		free(*dirs);
		*dirs = NULL;
	}
	return sa__error_oom();
}

void sa__pack_ids_free(char **ids, char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ids)
			free(ids[i]);
		if (dirs)
			free(dirs[i]);
	}
	free(ids);
	free(dirs);
}

int sa_pack_list(char ***ids, size_t *count, const char *pack_path)
{
	if (!ids || !count)
		return sa__error(SA_EINVALID, "sa_pack_list: NULL argument");
	return sa__pack_ids(ids, NULL, count, sa_pack_path_resolve(pack_path));
}

void sa_pack_list_free(char **ids, size_t count)
{
	sa__pack_ids_free(ids, NULL, count);
}
