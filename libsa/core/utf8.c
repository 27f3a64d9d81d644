/* utf8.c - is this text UTF-8? And is a registry line (JSON or CSV) fit to be parsed? (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF). Input from registries must be, before any of it is copied into JSON output. */
#include "core/internal.h"

#include <string.h>

size_t sa__utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c, need, cp, min;
	if (!n)
		return 0;
	c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

bool sa__utf8_valid(const char *s, size_t n)
{
	while (n) {
		size_t k = sa__utf8_len(s, n);
		if (!k)
			return false;
		s += k;
		n -= k;
	}
	return true;
}

/* A record's text before it is parsed (issue 12 #8): at most SA_SCREEN_LINE_MAX bytes, UTF-8,
 * and no \u0000 in a JSON string (cJSON would cut the text there, silently). Returns 0 or
 * an error naming the line and column. */

int sa__check_record(const char *s, const char *le, uint64_t line, bool json)
{
	const unsigned char *p = (const unsigned char *)s, *end = (const unsigned char *)le;
	int in_str = 0;
	if ((size_t)(le - s) > SA_SCREEN_LINE_MAX)
		return sa__error_at(SA_EINVALID, NULL, (int)line, 1, "a record longer than the limit of %zu bytes",
		                    SA_SCREEN_LINE_MAX);
	while (p < end) {
		unsigned c = *p;
		long col = (long)((const char *)p - s) + 1;
		if (c == 0)
			return sa__error_at(SA_EINVALID, NULL, (int)line, (int)col, "a NUL byte in the record");
		if (c >= 0x80) {
			size_t n = sa__utf8_len((const char *)p, (size_t)(end - p));
			if (!n)
				return sa__error_at(SA_EINVALID, NULL, (int)line, (int)col, "text that is not UTF-8 at column %ld", col);
			p += n;
			continue;
		}
		if (c == '"') {
			in_str = !in_str;
		} else if (c == '\\' && json && in_str && p + 1 < end) {
			if (end - p >= 6 && memcmp(p + 1, "u0000", 5) == 0)
				return sa__error_at(SA_EINVALID, NULL, (int)line, (int)col, "\\u0000 (NUL) in text at column %ld", col);
			p += 2;
			continue;
		}
		p++;
	}
	return SA_OK;
}
