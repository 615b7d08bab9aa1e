/*
 * libFuzzer target for the PostgreSQL dialect's parser: each input is
 * one SQL file, given to pg_parse (the schema parser, as `diff` reads a
 * file) and to pg_lint (as `lint` reads a migration). Any crash, leak,
 * sanitizer report or broken invariant is a finding:
 *
 *  - a file that parses diffs against an empty schema (rendering every
 *    object it holds) and against itself with no statement at all.
 *
 * Build and run: `make fuzz` (long run), tests/suites/fuzz.sh (short).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diffs(const model *m)
{
	model *empty = model_new();
	diff_result d;
	error e = ERROR_INIT;
	diff_result_init(&d);
	if (pg_diff(empty, m, &d, &e) == 0) {
		strbuf sql = STRBUF_INIT;
		diff_result_format_sql(&d, &sql);
		strbuf_release(&sql);
	}
	diff_result_release(&d);
	error_clear(&e);

	diff_result_init(&d);
	if (pg_diff(m, m, &d, &e) == 0 && d.nstmts > 0)
		abort(); /* a schema differs from itself */
	diff_result_release(&d);
	error_clear(&e);
	model_free(empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The commands read files as NUL-terminated text. */
	char *sql = malloc(size + 1);
	if (!sql)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';

	model *m = model_new();
	error e = ERROR_INIT;
	if (pg_parse(m, sql, "fuzz.sql", &e) == 0)
		check_diffs(m);
	error_clear(&e);
	model_free(m);

	lint_result lr;
	lint_result_init(&lr);
	pg_lint(sql, "fuzz.sql", &lr, &e);
	error_clear(&e);
	lint_result_release(&lr);

	free(sql);
	return 0;
}
