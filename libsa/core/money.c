/* money.c - yuan text <-> integer fen, exact ratios, explicit rounding. No floating point. */
#include "core/internal.h"
#include "core/limits.h"

#include <stdio.h>
#include <string.h>


int sa_money_parse(sa_fen *out, const char *text)
{
	const char *p = text;
	int neg = 0, digits = 0, decimals = -1;
	sa_fen v = 0;

	if (!text || !*text)
		return sa__error(SA_EINVALID, "empty money text");
	if (*p == '-' || *p == '+')
		neg = (*p++ == '-');
	for (; *p; p++) {
		if (*p == '.') {
			if (decimals >= 0 || digits == 0)
				return sa__error(SA_EINVALID, "bad money text '%s'", text);
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return sa__error(SA_EINVALID, "bad money text '%s': yuan with at most two decimals", text);
		if (decimals >= 0 && ++decimals > 2)
			return sa__error(SA_EINVALID, "bad money text '%s': more than two decimals", text);
		v = v * 10 + (*p - '0');
		digits++;
		if (v > SA_FEN_LIMIT)
			return sa__error(SA_EINVALID, "money text '%s' is too large", text);
	}
	if (digits == 0 || decimals == 0)
		return sa__error(SA_EINVALID, "bad money text '%s'", text);
	if (decimals < 0)
		decimals = 0;
	for (; decimals < 2; decimals++)
		v *= 10;
	if (v > SA_FEN_LIMIT) /* the cap applies to the amount, not to the digits read */
		return sa__error(SA_EINVALID, "money text '%s' is too large", text);
	*out = neg ? -v : v;
	return SA_OK;
}

size_t sa_money_format(char *buf, size_t size, sa_fen fen)
{
	unsigned long long a = fen < 0 ? (unsigned long long)(-(fen + 1)) + 1 : (unsigned long long)fen;
	int n = snprintf(buf, size, "%s%llu.%02llu", fen < 0 ? "-" : "", a / 100, a % 100);
	return n < 0 ? 0 : (size_t)n;
}

static const char *const rounding_names[] = {
	"up_yuan", "half_up_yuan", "down_yuan", "up_fen", "half_up_fen", "down_fen"
};

int sa_rounding_parse(sa_rounding *out, const char *name)
{
	for (size_t i = 0; i < sizeof rounding_names / sizeof *rounding_names; i++) {
		if (name && strcmp(name, rounding_names[i]) == 0) {
			*out = (sa_rounding)i;
			return SA_OK;
		}
	}
	return sa__error(SA_EINVALID, "unknown rounding '%s' (up_yuan, half_up_yuan, down_yuan, up_fen, half_up_fen, down_fen)",
	                 name ? name : "(null)");
}

const char *sa_rounding_name(sa_rounding mode)
{
	if ((unsigned)mode >= sizeof rounding_names / sizeof *rounding_names)
		return "?";
	return rounding_names[mode];
}

/* Floor and ceiling division for a positive divisor. */
static __int128 floor_div(__int128 a, __int128 b)
{
	__int128 q = a / b;
	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

static __int128 ceil_div(__int128 a, __int128 b)
{
	return -floor_div(-a, b);
}

int sa_money_muldiv(sa_fen *out, sa_fen fen, int64_t num, int64_t den, sa_rounding mode)
{
	__int128 x, unit, r;

	if (den <= 0)
		return sa__error(SA_EINVALID, "ratio with a non-positive denominator");
	x = (__int128)fen * num; /* exact value is x / den fen */
	switch (mode) {
	case SA_ROUND_UP_YUAN:
	case SA_ROUND_HALF_UP_YUAN:
	case SA_ROUND_DOWN_YUAN:
		unit = 100;
		break;
	case SA_ROUND_UP_FEN:
	case SA_ROUND_HALF_UP_FEN:
	case SA_ROUND_DOWN_FEN:
		unit = 1;
		break;
	default:
		return sa__error(SA_EINVALID, "bad rounding mode %d", (int)mode);
	}
	switch (mode) {
	case SA_ROUND_UP_YUAN:
	case SA_ROUND_UP_FEN:
		r = ceil_div(x, den * unit) * unit;
		break;
	case SA_ROUND_DOWN_YUAN:
	case SA_ROUND_DOWN_FEN:
		r = floor_div(x, den * unit) * unit;
		break;
	default: /* half up, halves away from zero (sa/money.h): sign * floor(|x| / (den*unit) + 1/2) */
		r = floor_div(2 * (x < 0 ? -x : x) + den * unit, 2 * den * unit) * unit;
		if (x < 0)
			r = -r;
		break;
	}
	if (r > SA_FEN_LIMIT * 100 || r < -SA_FEN_LIMIT * 100)
		return sa__error(SA_EINVALID, "money overflow");
	*out = (sa_fen)r;
	return SA_OK;
}

int sa__fen_add(sa_fen *acc, sa_fen x)
{
	sa_fen r;
	if (__builtin_add_overflow(*acc, x, &r) || r > SA_FEN_SUM_MAX || r < -SA_FEN_SUM_MAX)
		return sa__error(SA_EINVALID, "money overflow: a sum of amounts is beyond %lld fen", (long long)SA_FEN_SUM_MAX);
	*acc = r;
	return SA_OK;
}
