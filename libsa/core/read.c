/* read.c - whole files into memory: the inputs a caller names (a household file, events, a
 * registry, a plan; "-" is standard input). */
#include "core/internal.h"
#include "core/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A household file, events, a registry or a plan named by the caller: a regular file, a pipe,
 * or "-" for standard input (read to its end); a directory is a clear error. Read in one
 * pass, up to max bytes. */
int sa__read_input(char **out, size_t *len, const char *path, size_t max)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return sa__error_at(errno == ENOENT ? SA_ENOTFOUND : SA_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd)
			close(fd);
		return sa__error_at(SA_EINVALID, path, 0, 0, "is a directory, not a file");
	}
	for (;;) {
		ssize_t got;
		if (cap - n < 4096) {
			char *nb;
			if (cap >= max + 4096) {
				free(buf);
				if (fd)
					close(fd);
				return sa__error_at(SA_EINVALID, path, 0, 0, "larger than the limit of %zu bytes", max);
			}
			cap = cap ? cap * 2 : 8192;
			if (cap > max + 4096)
				cap = max + 4096;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				if (fd)
					close(fd);
				return sa__error_oom();
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			free(buf);
			if (fd)
				close(fd);
			return sa__error_at(SA_ERROR, path, 0, 0, "read error: %s", strerror(err));
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(buf);
			if (fd)
				close(fd);
			return sa__error_at(SA_EINVALID, path, 0, 0, "larger than the limit of %zu bytes", max);
		}
	}
	if (fd)
		close(fd);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return SA_OK;
}

int sa__read_file(char **out, size_t *len, const char *path)
{
	return sa__read_input(out, len, path, SA_FILE_MAX);
}
