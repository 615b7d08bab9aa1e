/* Helpers shared by the MySQL/MariaDB parser's unit tests
 * (test_my_parse*.c): parse, expect an error, compare canonical forms,
 * find objects. Include after <cmocka.h>. */
#ifndef SCHEMIG_TEST_MY_PARSE_UTIL_H
#define SCHEMIG_TEST_MY_PARSE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/mysql.h"

static inline model *parse_ok(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (my_parse(m, sql, "test.sql", &e))
		fail_msg("unexpected parse error: %s", e.msg);
	error_clear(&e);
	return m;
}

/* The error message of a failing parse; the caller frees it. */
static inline char *parse_err(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	assert_int_equal(my_parse(m, sql, "bad.sql", &e), -1);
	assert_non_null(e.msg);
	char *msg = strdup(e.msg);
	error_clear(&e);
	model_free(m);
	return msg;
}

static inline void assert_err(const char *sql, const char *want)
{
	char *msg = parse_err(sql);
	if (!strstr(msg, want))
		fail_msg("error \"%s\" lacks \"%s\"", msg, want);
	free(msg);
}

static inline char *canon(const char *sql)
{
	model *m = parse_ok(sql);
	strbuf sb = STRBUF_INIT;
	model_canonical(m, &sb);
	model_free(m);
	return strbuf_detach(&sb);
}

static inline void assert_same(const char *a, const char *b)
{
	char *x = canon(a), *y = canon(b);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static inline const m_table *table(const model *m, const char *name)
{
	const m_table *t = model_find_table(m, "", name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

static inline const m_column *column(const model *m, const char *tname,
				     const char *cname)
{
	const m_column *c = model_table_find_column(table(m, tname), cname);
	if (!c)
		fail_msg("no column %s.%s", tname, cname);
	return c;
}

static inline const m_index *index_named(const model *m, const char *name)
{
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].name, name))
			return &m->indexes[i];
	fail_msg("no index %s", name);
	return NULL;
}

static inline const m_constraint *con(const model *m, const char *tname,
				      const char *name)
{
	const m_constraint *k =
	    model_table_find_constraint(table(m, tname), name);
	if (!k)
		fail_msg("no constraint %s on %s", name, tname);
	return k;
}

/* The canonical type of `decl` as the only column of a table. */
static inline void assert_type(const char *decl, const char *want)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s);", decl);
	model *m = parse_ok(sql);
	assert_string_equal(column(m, "t", "c")->type, want);
	model_free(m);
}

/* The canonical default of `decl`; NULL for none. */
static inline void assert_default(const char *decl, const char *want)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s);", decl);
	model *m = parse_ok(sql);
	const char *got = column(m, "t", "c")->default_expr;
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	model_free(m);
}

#endif
