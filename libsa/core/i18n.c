/* i18n.c - zh-CN text for the messages libsa and sa produce in English.
 *
 * Messages are written once, in English, where they arise (sa__error, lint findings, test
 * failures, the sa command's own messages). Rather than threading a language through every
 * call site, the catalog (i18n_zh.inc) maps each English printf format to its Chinese text;
 * a finished message is matched against the formats and its arguments are carried over.
 * tests/i18n_check.py fails the build's tests when a format in libsa/ or cli/ has no entry. */
#include "core/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *en; /* printf format as written at the call site */
	const char *zh; /* the same message; {1}, {2}, ... are the English format's arguments in order */
} entry;

static const entry catalog[] = {
#include "core/i18n_zh.inc"
};

#define MAXARG 10

typedef struct {
	const char *s[MAXARG];
	size_t n[MAXARG];
	int count;
	size_t literal; /* literal characters matched: the most specific format wins */
} match;

/* The conversion at f (just after '%'): its length in the format, and whether it is numeric. */
static size_t conversion(const char *f, int *numeric)
{
	size_t i = 0;
	while (f[i] && strchr("-+ #0123456789.*", f[i]))
		i++;
	while (f[i] && strchr("hlLqjzt", f[i]))
		i++;
	*numeric = f[i] && strchr("diouxX", f[i]) != NULL;
	return f[i] ? i + 1 : i;
}

/* Match message m against format f from argument k on; backtracks over %s. */
static int match_at(const char *f, const char *m, int k, match *out)
{
	while (*f) {
		if (*f == '%' && f[1] == '%') {
			if (*m != '%')
				return 0;
			f += 2;
			m++;
			out->literal++;
			continue;
		}
		if (*f == '%') {
			int numeric;
			size_t len = conversion(f + 1, &numeric);
			const char *rest = f + 1 + len;
			if (k >= MAXARG)
				return 0;
			if (numeric) {
				size_t n = 0;
				while (m[n] == ' ')
					n++;
				if (m[n] == '-')
					n++;
				if (!isxdigit((unsigned char)m[n]))
					return 0;
				while (isxdigit((unsigned char)m[n]))
					n++;
				out->s[k] = m;
				out->n[k] = n;
				f = rest;
				m += n;
				k++;
				continue;
			}
			/* a string (or anything else): shortest first */
			for (size_t n = 0;; n++) {
				size_t saved = out->literal;
				out->s[k] = m;
				out->n[k] = n;
				if (match_at(rest, m + n, k + 1, out))
					return 1;
				out->literal = saved;
				if (!m[n])
					return 0;
			}
		}
		if (*f != *m)
			return 0;
		f++;
		m++;
		out->literal++;
	}
	if (*m)
		return 0;
	out->count = k;
	return 1;
}

static int count_conversions(const char *f)
{
	int n = 0;
	for (; *f; f++)
		if (*f == '%') {
			if (f[1] == '%')
				f++;
			else
				n++;
		}
	return n;
}

int sa_message_zh(char *buf, size_t size, const char *message)
{
	const entry *best = NULL;
	match bm;
	size_t o = 0;
	if (!buf || !size)
		return -1;
	buf[0] = 0;
	if (!message)
		return -1;
	memset(&bm, 0, sizeof bm);
	for (size_t i = 0; i < sizeof catalog / sizeof *catalog; i++) {
		match m;
		memset(&m, 0, sizeof m);
		if (count_conversions(catalog[i].en) > MAXARG)
			continue;
		if (match_at(catalog[i].en, message, 0, &m) && (!best || m.literal > bm.literal)) {
			best = &catalog[i];
			bm = m;
		}
	}
	if (!best || bm.literal == 0) {
		snprintf(buf, size, "%s", message);
		return -1;
	}
	for (const char *z = best->zh; *z && o + 1 < size; z++) {
		if (z[0] == '{' && isdigit((unsigned char)z[1]) && (z[2] == '}' || (isdigit((unsigned char)z[2]) && z[3] == '}'))) {
			int k = atoi(z + 1) - 1;
			if (k >= 0 && k < bm.count) {
				/* an argument that is itself a known message is translated too */
				char inner[1024], arg[1024];
				size_t n = bm.n[k] < sizeof arg - 1 ? bm.n[k] : sizeof arg - 1;
				const char *put = arg;
				memcpy(arg, bm.s[k], n);
				arg[n] = 0;
				if (n > 8 && strchr(arg, ' ') && sa_message_zh(inner, sizeof inner, arg) >= 0)
					put = inner;
				for (; *put && o + 1 < size; put++)
					buf[o++] = *put;
			}
			z = strchr(z, '}');
			continue;
		}
		buf[o++] = *z;
	}
	buf[o] = 0;
	return (int)o;
}

const char *sa_lang_from_env(void)
{
	const char *v = getenv("LC_ALL");
	if (!v || !*v)
		v = getenv("LC_MESSAGES");
	if (!v || !*v)
		v = getenv("LANG");
	if (v && (strcmp(v, "C") == 0 || strncmp(v, "C.", 2) == 0 || strcmp(v, "POSIX") == 0 || strncmp(v, "en", 2) == 0))
		return "en";
	return "zh";
}
