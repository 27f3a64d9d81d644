/*
 * sa/errors.h - error codes and the thread-local detail of the last failure.
 *
 * Every fallible function returns int: 0 (SA_OK) on success, a negative sa_error_code on
 * failure. The detail (message, source file, 1-based line and column) is kept per thread
 * and is valid only until the next libsa call on that thread. Codes are never renumbered.
 */
#ifndef SA_ERRORS_H
#define SA_ERRORS_H

#include "common.h"

SA_BEGIN_DECL

typedef enum {
	SA_OK = 0,
	SA_ERROR = -1,     /**< generic failure */
	SA_ENOTFOUND = -3, /**< a file, pack, program or field does not exist */
	SA_EINVALID = -4,  /**< bad input: household, parameter, date, money text */
	SA_EPOLICY = -5,   /**< a policy pack failed to load or its rules raised an error */
	SA_ELIMIT = -6,    /**< a rule exceeded its instruction or output limit */
	SA_ENOMEM = -7,    /**< out of memory, or the engine's memory cap was hit */
	SA_EUSER = -30     /**< a caller's callback asked to stop */
} sa_error_code;

typedef struct {
	int code;            /**< the sa_error_code */
	const char *message; /**< library-owned text, never NULL */
	const char *source;  /**< file or pack/rule name, or NULL */
	int line, column;    /**< 1-based; 0 when not applicable */
} sa_error;

/** The last error of this thread, or NULL if none was recorded. Borrowed. */
SA_API const sa_error *sa_error_last(void);

/** Forget the last error of this thread. */
SA_API void sa_error_clear(void);

/**
 * The zh-CN text of a message libsa or the sa command wrote in English (an error's message,
 * a lint finding, a test failure): the message is matched against the catalog of message
 * formats (libsa/core/i18n_zh.inc) and its arguments carried into the Chinese. Writes at most
 * size bytes to buf; returns the length, or -1 when no entry matches (buf then holds the
 * English message).
 */
SA_API int sa_message_zh(char *buf, size_t size, const char *message);

/** "en" when LC_ALL, LC_MESSAGES or LANG asks for C, POSIX or en_*; else "zh". */
SA_API const char *sa_lang_from_env(void);

/** Static text for a code; never NULL. */
SA_API const char *sa_strerror(int code);

SA_END_DECL

#endif
