/*
 * sa/common.h - export macro, version and the allocator hook of libsa.
 *
 * libsa decides social assistance under China's layered system (分层分类社会救助).
 * Everything public is declared under include/sa; nothing else is.
 */
#ifndef SA_COMMON_H
#define SA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define SA_BEGIN_DECL extern "C" {
#define SA_END_DECL }
#else
#define SA_BEGIN_DECL
#define SA_END_DECL
#endif

#if defined(_WIN32) && !defined(SA_STATIC)
#ifdef SA_BUILDING
#define SA_API __declspec(dllexport)
#else
#define SA_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define SA_API __attribute__((visibility("default")))
#else
#define SA_API
#endif

#define SA_VERSION_MAJOR 0
#define SA_VERSION_MINOR 2
#define SA_VERSION_PATCH 0
#define SA_VERSION "0.2.0"
#define SA_VERSION_NUMBER (SA_VERSION_MAJOR * 10000 + SA_VERSION_MINOR * 100 + SA_VERSION_PATCH)
#define SA_VERSION_CHECK(major, minor, patch) \
	(SA_VERSION_NUMBER >= ((major) * 10000 + (minor) * 100 + (patch)))

SA_BEGIN_DECL

/** Runtime twin of SA_VERSION; compare both to detect a header/library mismatch. */
SA_API const char *sa_version(void);

/**
 * Allocator hook, realloc-like: new_size 0 frees ptr and returns NULL; otherwise returns a
 * block of new_size bytes holding the first min(old_size, new_size) bytes of ptr, or NULL
 * when it refuses (libsa then fails the call with SA_ENOMEM). One per engine; libyaml's
 * own buffers do not go through it.
 */
typedef void *(*sa_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);

/** A calendar date as YYYYMMDD (20250801). 0 means "no date". */
typedef int32_t sa_date;

/** An amount of money in fen (1 yuan = 100 fen). */
typedef int64_t sa_fen;

SA_END_DECL

#endif
