/*
 * Recording an applied migration in a framework's own history: the
 * emitters' record_applied implementations (one file per framework,
 * emitters/<name>/<name>_record.c) and what they share (record.c).
 */
#ifndef SCHEMIG_EMIT_RECORD_H
#define SCHEMIG_EMIT_RECORD_H

#include <stdint.h>

#include "emit.h"

int knex_record_applied(const char *dir, const char *const *files, int nfiles,
			const struct dialect *d, long long ms, strbuf *sql,
			error *e);
int alembic_record_applied(const char *dir, const char *const *files,
			   int nfiles, const struct dialect *d, long long ms,
			   strbuf *sql, error *e);
int flyway_record_applied(const char *dir, const char *const *files, int nfiles,
			  const struct dialect *d, long long ms, strbuf *sql,
			  error *e);

/*
 * What every record_applied checks first: there is a file to record, and
 * the dialect is PostgreSQL, whose statements (serial, timestamptz,
 * CREATE TABLE IF NOT EXISTS) each framework's table is created with:
 * for any other dialect -1 naming the framework `what`, rather than SQL
 * it would reject or misread.
 */
int record_check(const struct dialect *d, const char *what, int nfiles,
		 error *e);

/*
 * Append `fmt` to `sql`, as PostgreSQL's format() reads it: %I an
 * identifier (d->quote_ident), %L a literal (d->quote_literal), %s a
 * string as it is (SQL text of our own), %d an int, %% a percent sign.
 */
void record_sql(strbuf *sql, const struct dialect *d, const char *fmt, ...);

/* The last component of a path relative to the migrations directory. */
const char *record_basename(const char *path);

/* Read dir/file into `text` (reset first); -1 naming the file. */
int record_read(const char *dir, const char *file, strbuf *text, error *e);

/*
 * Flyway's checksum of a script: CRC-32 over its lines without their
 * terminators (lines end at \r\n, \r or \n), a UTF-8 byte order mark
 * left out of the first, as a signed 32-bit integer (Java's int).
 */
int32_t flyway_checksum(const char *text, size_t len);

#endif
