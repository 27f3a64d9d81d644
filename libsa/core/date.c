/* date.c - calendar dates as YYYYMMDD integers; ages in whole years; adding days and months.
 * The one place for date arithmetic in libsa. */
#include "core/internal.h"

#include <stdio.h>

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

int sa_date_valid(sa_date date)
{
	int y = date / 10000, m = date / 100 % 100, d = date % 100;
	return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

int sa_date_parse(sa_date *out, const char *t)
{
	int v[3] = { 0, 0, 0 };
	static const int width[3] = { 4, 2, 2 };
	const char *p = t;

	if (!t)
		return sa__error(SA_EINVALID, "missing date");
	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < width[f]; i++, p++) {
			if (*p < '0' || *p > '9')
				return sa__error(SA_EINVALID, "bad date '%s': expected YYYY-MM-DD", t);
			v[f] = v[f] * 10 + (*p - '0');
		}
		if (f < 2 && *p++ != '-')
			return sa__error(SA_EINVALID, "bad date '%s': expected YYYY-MM-DD", t);
	}
	if (*p)
		return sa__error(SA_EINVALID, "bad date '%s': expected YYYY-MM-DD", t);
	if (!sa_date_valid(v[0] * 10000 + v[1] * 100 + v[2]))
		return sa__error(SA_EINVALID, "impossible date '%s'", t);
	*out = v[0] * 10000 + v[1] * 100 + v[2]; /* only a real date is ever written */
	return SA_OK;
}

size_t sa_date_format(char *buf, size_t size, sa_date d)
{
	int n = snprintf(buf, size, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
	return n < 0 ? 0 : (size_t)n;
}

int sa_date_age(sa_date birth, sa_date on)
{
	/* YYYYMMDD arithmetic gives whole years directly: the MMDD part orders birthdays. */
	if (on < birth)
		return -1;
	return (on - birth) / 10000;
}

sa_date sa_date_add_months(sa_date d, int n)
{
	int y = d / 10000, m = d / 100 % 100, day = d % 100;
	int idx = y * 12 + (m - 1) + n;
	y = idx / 12;
	m = idx % 12 + 1;
	if (day > month_days(y, m))
		day = month_days(y, m);
	return y * 10000 + m * 100 + day;
}

/* days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
static int64_t days_of(sa_date d)
{
	int64_t y = d / 10000, m = d / 100 % 100, dd = d % 100, era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static sa_date civil_of(int64_t z)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	return (sa_date)((y + (m <= 2)) * 10000 + m * 100 + d);
}

sa_date sa__date_add_days(sa_date d, int n)
{
	return civil_of(days_of(d) + n);
}
