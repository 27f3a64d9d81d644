/* utf8.c - is this text UTF-8? (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF). Input from registries must be, before any of it is copied into JSON output. */
#include "core/internal.h"

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
