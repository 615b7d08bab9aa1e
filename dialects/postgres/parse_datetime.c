/*
 * Timestamp literals as the server prints them back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"

/* Read exactly `n` digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char ch = (*p)[i];
		if (ch < '0' || ch > '9')
			return false;
		v = v * 10 + (ch - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (Howard Hinnant's civil-date algorithms). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool pp_timestamp_literal(strbuf *sb, const char *v, bool with_zone)
{
	const char *p = v;
	int y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0, sign = 0;
	char frac[8] = "";
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31)
		return false;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return false;
			if (*p == '.') {
				size_t n = 0;
				for (p++; *p >= '0' && *p <= '9'; p++)
					if (n < 6)
						frac[n++] = *p;
				while (n && frac[n - 1] == '0')
					frac[--n] = 0;
			}
		}
	}
	if (*p == 'Z') {
		p++;
		sign = 1;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			return false;
		if (*p == ':')
			p++;
		if (*p >= '0' && *p <= '9' && !digits(&p, 2, &om))
			return false;
	}
	if (*p || h > 24 || mi > 59 || s > 60)
		return false;
	if (with_zone && sign) {
		/* Into UTC, the zone introspection reads in. */
		long long t = days_from_civil(y, mo, d) * 86400LL + h * 3600 +
			      mi * 60 + s - sign * (oh * 3600 + om * 60);
		long long day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
		long long rest = t - day * 86400;
		civil_from_days(day, &y, &mo, &d);
		h = (int)(rest / 3600);
		mi = (int)(rest / 60 % 60);
		s = (int)(rest % 60);
	}
	strbuf_addf(sb, "%04d-%02d-%02d %02d:%02d:%02d%s%s%s", y, mo, d, h, mi,
		    s, *frac ? "." : "", frac, with_zone ? "+00" : "");
	return true;
}
