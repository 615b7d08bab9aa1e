/*
 * An environment's apply window (config.h, config_window): when an
 * apply may start, in the team's own time zone, daylight saving
 * included (the C library's zoneinfo does the arithmetic).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "config.h"

static const char *const day_names[] = {"sun", "mon", "tue", "wed",
					"thu", "fri", "sat"};

static int day_of(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncasecmp(s, day_names[i], 3))
			return i;
	return -1;
}

/* "Mon-Fri", "Sat,Sun", "Mon-Wed,Fri", "daily". */
static int parse_days(const char *s, unsigned *days, error *e)
{
	*days = 0;
	if (!strcasecmp(s, "daily")) {
		*days = 0x7f;
		return 0;
	}
	while (*s) {
		size_t n = strcspn(s, ",-");
		int a = day_of(s, n), b = a;
		s += n;
		if (*s == '-') {
			n = strcspn(++s, ",");
			b = day_of(s, n);
			s += n;
		}
		if (a < 0 || b < 0)
			return error_set(e, EXIT_USAGE,
					 "days must be like Mon-Fri, Sat,Sun "
					 "or daily");
		/* A range wraps past Saturday: Fri-Mon. */
		for (int d = a;; d = (d + 1) % 7) {
			*days |= 1u << d;
			if (d == b)
				break;
		}
		if (*s == ',')
			s++;
	}
	return 0;
}

static int parse_clock(const char *s, int *minutes)
{
	int h, m, n = 0;
	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h < 0 ||
	    h > 24 || m < 0 || m > 59 || (h == 24 && m))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/* A name the zoneinfo database has; never a path out of it. */
static bool zone_known(const char *z)
{
	if (!strcmp(z, "UTC"))
		return true;
	for (const char *c = z; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_+-/", *c))
			return false;
	if (strstr(z, "..") || z[0] == '/')
		return false;
	strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "/usr/share/zoneinfo/%s", z);
	bool ok = access(p.buf, R_OK) == 0;
	strbuf_release(&p);
	return ok;
}

int config_window_parse(const char *text, config_window *w, error *e)
{
	char days[64] = "", span[32] = "", zone[64] = "UTC", extra[2];
	memset(w, 0, sizeof(*w));
	int n = sscanf(text, "%63s %31s %63s %1s", days, span, zone, extra);
	if (n < 2 || n > 3)
		return error_set(e, EXIT_USAGE,
				 "expected \"DAYS HH:MM-HH:MM [ZONE]\", e.g. "
				 "\"Mon-Fri 09:00-16:00 Europe/Berlin\"");
	if (parse_days(days, &w->days, e) < 0)
		return -1;
	if (strlen(span) != 11 || span[5] != '-' ||
	    parse_clock(span, &w->start) < 0 ||
	    parse_clock(span + 6, &w->end) < 0 || w->end <= w->start)
		return error_set(e, EXIT_USAGE,
				 "the hours must be HH:MM-HH:MM, the start "
				 "before the end (24:00 ends a day)");
	if (!zone_known(zone))
		return error_set(e, EXIT_USAGE, "unknown time zone '%s'", zone);
	snprintf(w->zone, sizeof(w->zone), "%s", zone);
	return 0;
}

bool config_window_open(const config_window *w, long long now, long long *next)
{
	/* The C library converts local times through TZ only: set it for
	 * the computation and put it back. */
	char *saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", w->zone, 1);
	tzset();
	time_t t = (time_t)now;
	struct tm tm;
	localtime_r(&t, &tm);
	int minute = tm.tm_hour * 60 + tm.tm_min;
	bool open = (w->days & (1u << tm.tm_wday)) && minute >= w->start &&
		    minute < w->end;
	if (!open && next) {
		*next = -1;
		for (int d = 0; d <= 7 && *next < 0; d++) {
			struct tm c = tm;
			c.tm_mday += d;
			c.tm_hour = w->start / 60;
			c.tm_min = w->start % 60;
			c.tm_sec = 0;
			c.tm_isdst = -1;
			time_t ts = mktime(&c);
			if (ts > t && (w->days & (1u << c.tm_wday)))
				*next = (long long)ts;
		}
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return open;
}
