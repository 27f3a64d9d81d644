/* fuzz_common.h - shared by the libFuzzer harnesses: the source tree (SA_SOURCE_DIR, set by
 * tests/fuzz/CMakeLists.txt) and an engine on the shipped packs, made once per process. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <sa.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char *fuzz_src(void)
{
	const char *s = getenv("SA_SOURCE_DIR");
	return s && *s ? s : SA_FUZZ_SOURCE_DIR;
}

/* "<src>/policies:<src>/tests/data/services" */
static inline const char *fuzz_pack_path(void)
{
	static char path[4096];
	if (!path[0])
		snprintf(path, sizeof path, "%s/policies:%s/tests/data/services", fuzz_src(), fuzz_src());
	return path;
}

/* One engine on pack `pack`, loaded once; abort if it cannot load (a harness bug). */
static inline sa_engine *fuzz_engine(const char *pack)
{
	static sa_engine *e;
	if (!e) {
		sa_engine_options o = SA_ENGINE_OPTIONS_INIT;
		o.pack_path = fuzz_pack_path();
		if (sa_engine_new(&e, &o) != 0 || sa_engine_load(e, pack) != 0) {
			fprintf(stderr, "fuzz: cannot load %s: %s\n", pack, sa_error_last()->message);
			abort();
		}
	}
	return e;
}

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF) */
static inline int fuzz_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p++, need, min, cp;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) < need)
			return 0;
		for (unsigned i = 0; i < need; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

#endif
