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

/* Read fd to its end into a fresh NUL-terminated buffer (starting at hint bytes, growing by
 * doubling), refusing more than max bytes. Returns 0, or -1 with errno: EFBIG past max, ENOMEM,
 * or read's error. The one read loop of libsa (inputs here, pack files in pack/files.c). */
int sa__read_fd(int fd, size_t max, size_t hint, char **out, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*len = 0;
	for (;;) {
		ssize_t got;
		if (cap - n < 2) { /* room for one byte and the NUL */
			size_t want = cap ? cap * 2 : (hint > 0 ? hint + 2 : 8192); /* hint + 2: EOF seen without growing */
			char *nb;
			if (want > max + 2)
				want = max + 2; /* enough to see that the file is over max */
			if (want <= cap) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			if (!(nb = realloc(buf, want))) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap = want;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			free(buf);
			errno = err;
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(buf);
			errno = EFBIG;
			return -1;
		}
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* A household file, events, a registry or a plan named by the caller: a regular file, a pipe,
 * or "-" for standard input (read to its end); a directory is a clear error. Read in one
 * pass, up to max bytes. */
int sa__read_input(char **out, size_t *len, const char *path, size_t max)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return sa__error_at(errno == ENOENT ? SA_ENOTFOUND : SA_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd)
			close(fd);
		return sa__error_at(SA_EINVALID, path, 0, 0, "is a directory, not a file");
	}
	if (sa__read_fd(fd, max, 0, &buf, &n) < 0) {
		int err = errno;
		if (fd)
			close(fd);
		if (err == EFBIG)
			return sa__error_at(SA_EINVALID, path, 0, 0, "larger than the limit of %zu bytes", max);
		if (err == ENOMEM)
			return sa__error_oom();
		return sa__error_at(SA_ERROR, path, 0, 0, "read error: %s", strerror(err));
	}
	if (fd)
		close(fd);
	*out = buf;
	*len = n;
	return SA_OK;
}

int sa__read_file(char **out, size_t *len, const char *path)
{
	return sa__read_input(out, len, path, SA_FILE_MAX);
}
