/* error.c - thread-local detail of the last failure (libgit2's model). */
#include "core/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local struct {
	sa_error err;
	int set;
	char message[1024];
	char source[512];
} last;

const sa_error *sa_error_last(void)
{
	return last.set ? &last.err : NULL;
}

void sa_error_clear(void)
{
	last.set = 0;
}

int sa__error_at(int code, const char *source, int line, int column, const char *fmt, ...)
{
	/* Formatted aside first: the arguments may be the last error's own message or source
	 * ("--set %s: %s" with sa_error_last()->message), and vsnprintf into its own input is
	 * undefined (it garbled whatif's messages). */
	char msg[sizeof last.message], src[sizeof last.source];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(last.message, msg, sizeof msg);
	if (source) {
		snprintf(src, sizeof src, "%s", source);
		memcpy(last.source, src, sizeof src);
		last.err.source = last.source;
	} else {
		last.err.source = NULL;
	}
	last.err.code = code;
	last.err.message = last.message;
	last.err.line = line;
	last.err.column = column;
	last.set = 1;
	return code;
}

int sa__error_oom(void)
{
	/* No allocation here: the message is static. */
	last.err.code = SA_ENOMEM;
	last.err.message = "out of memory";
	last.err.source = NULL;
	last.err.line = last.err.column = 0;
	last.set = 1;
	return SA_ENOMEM;
}

const char *sa_strerror(int code)
{
	switch (code) {
	case SA_OK: return "ok";
	case SA_ERROR: return "error";
	case SA_ENOTFOUND: return "not found";
	case SA_EINVALID: return "invalid input";
	case SA_EPOLICY: return "policy error";
	case SA_ELIMIT: return "limit exceeded";
	case SA_ENOMEM: return "out of memory";
	case SA_EUSER: return "stopped by callback";
	default: return "unknown error";
	}
}

const char *sa_version(void)
{
	return SA_VERSION;
}
