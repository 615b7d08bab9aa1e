#include "identity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The range of the sequence type the server picks for an identity column
 * (the column's own type). */
static void type_limits(const char *type, int64_t *lo, int64_t *hi)
{
	if (type && !strcmp(type, "integer")) {
		*lo = INT32_MIN;
		*hi = INT32_MAX;
	} else if (type && !strcmp(type, "smallint")) {
		*lo = INT16_MIN;
		*hi = INT16_MAX;
	} else {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
	}
}

/* The server's defaults (init_params): bounds follow the increment's
 * sign, the start follows the bounds. */
static int64_t default_min(const char *type, int64_t inc)
{
	int64_t lo, hi;
	type_limits(type, &lo, &hi);
	return inc > 0 ? 1 : lo;
}

static int64_t default_max(const char *type, int64_t inc)
{
	int64_t lo, hi;
	type_limits(type, &lo, &hi);
	return inc > 0 ? hi : -1;
}

char *pg_identity_canon(model *m, const char *type, const m_sequence *q)
{
	strbuf sb = STRBUF_INIT;
	int64_t inc = q->increment ? q->increment : 1;
	if (q->start != (inc > 0 ? q->min : q->max))
		strbuf_addf(&sb, " START WITH %" PRId64, q->start);
	if (inc != 1)
		strbuf_addf(&sb, " INCREMENT BY %" PRId64, inc);
	if (q->min != default_min(type, inc))
		strbuf_addf(&sb, " MINVALUE %" PRId64, q->min);
	if (q->max != default_max(type, inc))
		strbuf_addf(&sb, " MAXVALUE %" PRId64, q->max);
	if (q->cache > 1)
		strbuf_addf(&sb, " CACHE %" PRId64, q->cache);
	if (q->cycle)
		strbuf_adds(&sb, " CYCLE");
	char *res = sb.len ? model_str(m, strbuf_str(&sb) + 1) : NULL;
	strbuf_release(&sb);
	return res;
}

/* The number after `key` in `opts`, if the key is there. */
static bool opt_value(const char *opts, const char *key, int64_t *v)
{
	const char *p = opts ? strstr(opts, key) : NULL;
	if (!p)
		return false;
	*v = strtoll(p + strlen(key), NULL, 10);
	return true;
}

void pg_identity_values(const char *type, const char *opts, m_sequence *q)
{
	q->increment = 1;
	opt_value(opts, "INCREMENT BY ", &q->increment);
	if (!opt_value(opts, "MINVALUE ", &q->min))
		q->min = default_min(type, q->increment);
	if (!opt_value(opts, "MAXVALUE ", &q->max))
		q->max = default_max(type, q->increment);
	if (!opt_value(opts, "START WITH ", &q->start))
		q->start = q->increment > 0 ? q->min : q->max;
	q->cache = 1;
	opt_value(opts, "CACHE ", &q->cache);
	q->cycle = opts && strstr(opts, "CYCLE") != NULL;
}

void pg_identity_set_clauses(strbuf *sb, const char *type, const char *opts)
{
	m_sequence q = {0};
	pg_identity_values(type, opts, &q);
	strbuf_addf(sb,
		    "SET INCREMENT BY %" PRId64 " SET MINVALUE %" PRId64
		    " SET MAXVALUE %" PRId64 " SET START WITH %" PRId64
		    " SET CACHE %" PRId64 " SET %s",
		    q.increment, q.min, q.max, q.start, q.cache,
		    q.cycle ? "CYCLE" : "NO CYCLE");
}
