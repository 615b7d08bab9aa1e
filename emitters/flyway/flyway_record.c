/*
 * Recording a Flyway migration as applied, as `flyway migrate` records a
 * versioned script it ran: one flyway_schema_history row per V script
 * (undo scripts and their .conf files are not migrations Flyway runs
 * forward), with Flyway's version, description, script path and checksum,
 * so that `flyway validate` finds the committed file unchanged and
 * `flyway migrate` has nothing left to run. The table is created as
 * Flyway creates it on PostgreSQL. Flyway's table/defaultSchema settings
 * live in its configuration, which we do not read: the default is used.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../dialects/dialect.h"
#include "../../util/xalloc.h"
#include "../record.h"

#define FLYWAY_TABLE "flyway_schema_history"

int32_t flyway_checksum(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	uLong crc = crc32(0L, Z_NULL, 0);
	/* Flyway reads the first line without a byte order mark. */
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		p += 3;
	/* Lines are fed without their terminators, one after the other:
	 * the same as the text with every CR and LF left out. */
	while (p < end) {
		const unsigned char *q = p;
		while (q < end && *q != '\r' && *q != '\n')
			q++;
		if (q > p)
			crc = crc32(crc, p, (uInt)(q - p));
		p = q + (q < end);
	}
	/* Java's int: the same 32 bits, read as two's complement. */
	uint32_t u = (uint32_t)crc;
	return u > INT32_MAX ? (int32_t)(u - 0x80000000u) + INT32_MIN
			     : (int32_t)u;
}

/* A versioned script's name, V<version>__<description>.sql: its
 * version as Flyway stores it ('_' read as '.') and its description ('_'
 * read as ' '), malloc'd. False for any other file. */
static bool parse_name(const char *name, char **version, char **desc)
{
	size_t len = strlen(name);
	const char *sep = strstr(name, "__");
	if (name[0] != 'V' || !sep || sep == name + 1 || len < 4 ||
	    strcmp(name + len - 4, ".sql") || sep + 2 > name + len - 4)
		return false;
	for (const char *p = name + 1; p < sep; p++)
		if (!(*p >= '0' && *p <= '9') && *p != '.' && *p != '_')
			return false;
	*version = xstrndup(name + 1, (size_t)(sep - name - 1));
	*desc = xstrndup(sep + 2, (size_t)(name + len - 4 - sep - 2));
	for (char *p = *version; *p; p++)
		if (*p == '_')
			*p = '.';
	for (char *p = *desc; *p; p++)
		if (*p == '_')
			*p = ' ';
	return true;
}

static void render_table(const struct dialect *d, strbuf *sql)
{
	record_sql(sql, d,
		   "CREATE TABLE IF NOT EXISTS %I (%I INT NOT NULL, "
		   "%I VARCHAR(50), %I VARCHAR(200) NOT NULL, "
		   "%I VARCHAR(20) NOT NULL, %I VARCHAR(1000) NOT NULL, "
		   "%I INTEGER, %I VARCHAR(100) NOT NULL, "
		   "%I TIMESTAMP NOT NULL DEFAULT now(), "
		   "%I INTEGER NOT NULL, %I BOOLEAN NOT NULL, "
		   "CONSTRAINT %I PRIMARY KEY (%I));\n",
		   FLYWAY_TABLE, "installed_rank", "version", "description",
		   "type", "script", "checksum", "installed_by", "installed_on",
		   "execution_time", "success", "flyway_schema_history_pk",
		   "installed_rank");
	record_sql(sql, d, "CREATE INDEX IF NOT EXISTS %I ON %I (%I);\n",
		   "flyway_schema_history_s_idx", FLYWAY_TABLE, "success");
}

/* One script's row, unless its version has a successful one already. */
static void render_row(const struct dialect *d, const char *script,
		       const char *version, const char *desc, int32_t checksum,
		       int ms, strbuf *sql)
{
	/* A failed attempt at the version (a script run outside a
	 * transaction stopped half-way) would make `flyway migrate` stop;
	 * the migration has now been applied: the row goes, as `flyway
	 * repair` would remove it. */
	record_sql(sql, d, "DELETE FROM %I WHERE %I = %L AND NOT %I;\n",
		   FLYWAY_TABLE, "version", version, "success");
	char sum[16];
	snprintf(sum, sizeof(sum), "%d", (int)checksum);
	record_sql(sql, d,
		   "INSERT INTO %I (%I, %I, %I, %I, %I, %I, %I, %I, %I) "
		   "SELECT (SELECT coalesce(max(%I), 0) + 1 FROM %I), %L, %L, "
		   "'SQL', %L, %s, current_user, %d, true WHERE NOT EXISTS "
		   "(SELECT FROM %I WHERE %I = %L);\n",
		   FLYWAY_TABLE, "installed_rank", "version", "description",
		   "type", "script", "checksum", "installed_by",
		   "execution_time", "success", "installed_rank", FLYWAY_TABLE,
		   version, desc, script, sum, ms, FLYWAY_TABLE, "version",
		   version);
}

int flyway_record_applied(const char *dir, const char *const *files, int nfiles,
			  const struct dialect *d, long long ms, strbuf *sql,
			  error *e)
{
	if (record_check(d, "Flyway", nfiles, e) < 0)
		return -1;
	strbuf text = STRBUF_INIT, rows = STRBUF_INIT;
	int nrows = 0, ret = 0;
	int time = ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
	for (int i = 0; i < nfiles && !ret; i++) {
		char *version, *desc;
		if (!parse_name(record_basename(files[i]), &version, &desc))
			continue;
		ret = record_read(dir, files[i], &text, e);
		if (!ret) {
			render_row(
			    d, files[i], version, desc,
			    flyway_checksum(text.buf ? text.buf : "", text.len),
			    time, &rows);
			nrows++;
		}
		free(version);
		free(desc);
	}
	if (!ret && !nrows)
		ret = error_set(e, EXIT_USAGE,
				"Flyway: no versioned script "
				"(V<version>__<name>.sql) among the %d file%s "
				"to record",
				nfiles, nfiles == 1 ? "" : "s");
	if (!ret) {
		render_table(d, sql);
		strbuf_add(sql, rows.buf, rows.len);
	}
	strbuf_release(&text);
	strbuf_release(&rows);
	return ret;
}
