/*
 * The Flyway emitter: one versioned migration and its undo script,
 *
 *   V<version>__<name>.sql       + V<version>__<name>.sql.conf
 *   U<version>__<name>.sql       + U<version>__<name>.sql.conf
 *
 * (U is Flyway Teams' undo convention; other editions ignore the file).
 *
 * Transactions. Flyway runs a script in one transaction unless its
 * per-script config says executeInTransaction=false, and refuses a
 * script mixing CONCURRENTLY-like statements with ordinary ones. The
 * plan wants every transactional step in a transaction of its own and
 * every other step outside any. The simplest rule that keeps both, for
 * every plan: each script ALWAYS gets executeInTransaction=false, so
 * Flyway sends its statements one by one in autocommit mode, and the
 * script itself carries the transactions: each transactional step is
 * written as BEGIN; SET LOCAL lock_timeout ...; ...; COMMIT; and each
 * non-transactional step stands alone between them. That is exactly
 * plan_format_sql's psql rendering, so Flyway and psql run the same
 * statements the same way. (Splitting the plan into one version per
 * step would do too, but burns a version per step and gives Flyway
 * Teams' undo one script per step to walk back.)
 *
 * Placeholders. Flyway replaces ${...} in scripts by default; generated
 * SQL must reach the server byte for byte (a default '${x}' is data), so
 * the config also sets placeholderReplacement=false.
 *
 * Versions continue the directory's numbering: see flyway_next_version.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../record.h"

/* The script config both files get, in Flyway's own key names
 * (any unknown key is an error in Flyway, and comments are left out so
 * that no parser quirk can matter). */
static const char flyway_conf[] = "executeInTransaction=false\n"
				  "placeholderReplacement=false\n";

/* A version's first part is "timestamp-like" from this many digits on
 * (YYYYMMDDHHMM or longer); shorter ones are a plain counter. */
#define FLYWAY_TIMESTAMP_DIGITS 12

/*
 * The first part of the version in a versioned migration's file name
 * ("V2_1__x.sql" gives "2"), leading zeros dropped ("0" stays), into
 * `out`; false when `name` is not a V<digits>[(.|_)digits...]__*.sql
 * file. Baseline migrations (B<version>__*.sql, Flyway Teams) share the
 * versions' space, so they count too; undo (U) and repeatable (R__)
 * scripts do not.
 */
static bool flyway_first_part(const char *name, strbuf *out)
{
	size_t len = strlen(name);
	const char *sep = strstr(name, "__");
	if ((name[0] != 'V' && name[0] != 'B') || !sep || len < 4 ||
	    strcasecmp(name + len - 4, ".sql"))
		return false;
	/* Flyway's version grammar: digits separated by '.' or '_'. */
	const char *v = name + 1;
	if (v == sep || !isdigit((unsigned char)*v))
		return false;
	for (const char *p = v; p < sep; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != '_')
			return false;
	const char *end = v;
	while (end < sep && isdigit((unsigned char)*end))
		end++;
	while (v < end - 1 && *v == '0')
		v++;
	strbuf_reset(out);
	strbuf_add(out, v, (size_t)(end - v));
	return true;
}

/* Compare two decimal numbers without leading zeros, of any length. */
static int flyway_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* n + 1, in decimal, of any length. */
static void flyway_increment(strbuf *n)
{
	size_t i = n->len;
	while (i > 0 && n->buf[i - 1] == '9')
		n->buf[--i] = '0';
	if (i > 0) {
		n->buf[i - 1]++;
	} else {
		strbuf_addch(n, '0');
		n->buf[0] = '1';
	}
}

/*
 * The version of the new migration, continuing what `dir` holds:
 *  - nothing yet: "1";
 *  - counters (1, 2, 1.1, 2_5): one more than the largest first part
 *    ("3"), which is above every existing version, minor ones included;
 *  - timestamps (20240101120000): the generation time, YYYYMMDDHHMMSS,
 *    unless an existing version is already at or above it (a clock
 *    behind, a SOURCE_DATE_EPOCH in the past): then one more than it,
 *    because Flyway refuses, by default, a version below the newest
 *    applied one.
 * A file of the plan being re-rendered (emit_ctx.regenerate) does not
 * count. Malloc'd.
 */
static char *flyway_next_version(const char *dir, long long now,
				 const char *regenerate)
{
	strbuf max = STRBUF_INIT, part = STRBUF_INIT;
	bool any = false, timestamps = false;
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (!flyway_first_part(de->d_name, &part) ||
		    (regenerate &&
		     emit_file_is_plan(dir, de->d_name, regenerate)))
			continue;
		if (part.len >= FLYWAY_TIMESTAMP_DIGITS)
			timestamps = true;
		if (!any || flyway_cmp(part.buf, max.buf) > 0) {
			strbuf_reset(&max);
			strbuf_adds(&max, part.buf);
		}
		any = true;
	}
	if (d)
		closedir(d);
	strbuf_release(&part);

	if (!any) {
		strbuf_adds(&max, "1");
	} else if (timestamps) {
		char ts[15];
		emit_timestamp(now, ts);
		if (flyway_cmp(ts, max.buf) > 0) {
			strbuf_reset(&max);
			strbuf_adds(&max, ts);
		} else {
			flyway_increment(&max);
		}
	} else {
		flyway_increment(&max);
	}
	return strbuf_detach(&max);
}

static int flyway_generate(const emit_ctx *c, emit_set *out, error *e)
{
	char *version = flyway_next_version(c->dir, c->now, c->regenerate);
	strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	(void)e;

	for (int undo = 0; undo <= 1; undo++) {
		strbuf_reset(&path);
		strbuf_reset(&body);
		strbuf_addf(&path, "%c%s__%s.sql", undo ? 'U' : 'V', version,
			    c->name);
		emit_header(c, "-- ", &body);
		if (undo)
			strbuf_addf(&body,
				    "-- Undo of V%s: the steps' rollbacks, "
				    "last first.\n",
				    version);
		strbuf_adds(
		    &body,
		    "-- Runs with executeInTransaction=false (see the "
		    ".sql.conf): each transactional step below has its own\n"
		    "-- BEGIN/COMMIT, the others run outside any "
		    "transaction.\n");
		plan_format_sql_body(c->plan, undo, &body);
		emit_set_add(out, path.buf, body.buf);
		strbuf_adds(&path, ".conf");
		emit_set_add(out, path.buf, flyway_conf);
	}
	strbuf_release(&path);
	strbuf_release(&body);
	free(version);
	return 0;
}

const emitter emitter_flyway = {"flyway", flyway_generate,
				flyway_record_applied};
