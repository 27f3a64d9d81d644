/*
 * sa/money.h - money as integer fen, exact ratios and explicit rounding; calendar dates.
 */
#ifndef SA_MONEY_H
#define SA_MONEY_H

#include "common.h"

SA_BEGIN_DECL

/** How a product or quotient is rounded. Every ratio in a pack names one. */
typedef enum {
	SA_ROUND_UP_YUAN = 0,  /**< ceiling to the yuan: 955.50 -> 956.00 */
	SA_ROUND_HALF_UP_YUAN, /**< nearest yuan, halves away from zero */
	SA_ROUND_DOWN_YUAN,    /**< floor to the yuan */
	SA_ROUND_UP_FEN,       /**< ceiling to the fen */
	SA_ROUND_HALF_UP_FEN,  /**< nearest fen, halves away from zero */
	SA_ROUND_DOWN_FEN      /**< floor to the fen */
} sa_rounding;

/**
 * Parse yuan text ("744", "533.33", "-12.5") into fen. At most two decimals, no exponent,
 * no separators. Returns SA_OK or SA_EINVALID (with the reason in sa_error_last()).
 */
SA_API int sa_money_parse(sa_fen *out, const char *text);

/** Write fen as yuan with two decimals ("744.00") into buf; returns the length written. */
SA_API size_t sa_money_format(char *buf, size_t size, sa_fen fen);

/**
 * fen * num / den rounded by mode, exactly (128-bit intermediate). den > 0.
 * Returns SA_OK, or SA_EINVALID on overflow or a bad mode.
 */
SA_API int sa_money_muldiv(sa_fen *out, sa_fen fen, int64_t num, int64_t den, sa_rounding mode);

/** Rounding by name ("up_yuan", ...). Returns SA_OK or SA_EINVALID. */
SA_API int sa_rounding_parse(sa_rounding *out, const char *name);
SA_API const char *sa_rounding_name(sa_rounding mode);

/** Parse "YYYY-MM-DD" into a valid calendar date. SA_EINVALID for 2023-02-29 and the like. */
SA_API int sa_date_parse(sa_date *out, const char *text);

/** Write "YYYY-MM-DD" into buf (size >= 11). */
SA_API size_t sa_date_format(char *buf, size_t size, sa_date date);

/** 1 when date is a real calendar date. */
SA_API int sa_date_valid(sa_date date);

/** Whole years of age on `on` for someone born on `birth` (a 29 Feb birthday turns on 1 Mar). */
SA_API int sa_date_age(sa_date birth, sa_date on);

/** The date n months after d (n may be negative); the day is clamped to the month's end. */
SA_API sa_date sa_date_add_months(sa_date d, int n);

SA_END_DECL

#endif
