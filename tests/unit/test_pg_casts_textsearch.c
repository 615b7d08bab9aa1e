/* Casts, text search dictionaries and configurations, and the collation
 * items, through the parser and the differ (no server): what the model
 * holds for each spelling, which statements come out and in which
 * order, and what is refused with the users named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/postgres/pg.h"
#include "pg_diff_util.h"
#include "schema/diff.h"

static const m_ts_map *mapping(const m_ts_config *g, const char *token)
{
	for (int i = 0; i < g->nmappings; i++)
		if (!strcmp(g->mappings[i].token, token))
			return &g->mappings[i];
	return NULL;
}

/* COPY = holds the copied mappings, the ALTER MAPPING on top of them,
 * dictionaries spelled as regdictionary prints them. */
static void test_copy_resolves_mappings(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TEXT SEARCH CONFIGURATION public.eu (COPY = "
	    "pg_catalog.english);\n"
	    "ALTER TEXT SEARCH CONFIGURATION public.eu ALTER MAPPING FOR "
	    "hword, word WITH unaccent, english_stem;\n"
	    "ALTER TEXT SEARCH CONFIGURATION eu DROP MAPPING FOR email;\n"
	    "CREATE TEXT SEARCH CONFIGURATION public.ru (COPY = russian);\n"
	    "CREATE TEXT SEARCH CONFIGURATION public.ru2 (COPY = public.ru);\n"
	    "ALTER TEXT SEARCH CONFIGURATION ru2 ALTER MAPPING REPLACE "
	    "english_stem WITH simple;\n");
	assert_int_equal(m->nts_configs, 3);
	const m_ts_config *eu = &m->ts_configs[0];
	assert_string_equal(eu->name, "eu");
	assert_string_equal(eu->parser, "\"default\"");
	assert_int_equal(eu->nmappings, 18);
	assert_string_equal(mapping(eu, "word")->dicts,
			    "public.unaccent, english_stem");
	assert_string_equal(mapping(eu, "asciiword")->dicts, "english_stem");
	assert_string_equal(mapping(eu, "url")->dicts, "simple");
	assert_null(mapping(eu, "email"));
	assert_null(mapping(eu, "blank"));
	const m_ts_config *ru = &m->ts_configs[1], *ru2 = &m->ts_configs[2];
	assert_int_equal(ru->nmappings, 19);
	assert_string_equal(mapping(ru, "asciiword")->dicts, "english_stem");
	assert_string_equal(mapping(ru, "word")->dicts, "russian_stem");
	assert_string_equal(mapping(ru2, "asciiword")->dicts, "simple");
	assert_string_equal(mapping(ru2, "word")->dicts, "russian_stem");
	assert_int_equal(m->nwarnings, 0);
	model_free(m);
}

/* Options as the server serialises and merges them. */
static void test_dictionary_options(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TEXT SEARCH DICTIONARY public.d (TEMPLATE = "
	    "pg_catalog.simple, StopWords = english, Accept = false);\n"
	    "ALTER TEXT SEARCH DICTIONARY public.d (stopwords = 'it''s');\n"
	    "CREATE TEXT SEARCH DICTIONARY public.e (TEMPLATE = mine, "
	    "x = 3, y = 'a\\b');\n"
	    "ALTER TEXT SEARCH DICTIONARY e (x);\n"
	    "COMMENT ON TEXT SEARCH DICTIONARY public.e IS 'e';\n");
	assert_int_equal(m->nts_dicts, 2);
	assert_string_equal(m->ts_dicts[0].template_name, "simple");
	assert_string_equal(m->ts_dicts[0].options,
			    "accept = 'false', stopwords = 'it''s'");
	assert_string_equal(m->ts_dicts[1].template_name, "public.mine");
	assert_string_equal(m->ts_dicts[1].options, "y = E'a\\\\b'");
	assert_string_equal(m->ts_dicts[1].comment, "e");
	model_free(m);
}

static void test_cast_parse_and_drop(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TYPE mood AS ENUM ('a');\n"
	    "CREATE FUNCTION mood_int(mood) RETURNS int LANGUAGE sql AS "
	    "$$ SELECT 1 $$;\n"
	    "CREATE CAST (mood AS int) WITH FUNCTION mood_int AS ASSIGNMENT;\n"
	    "CREATE CAST (mood AS varchar) WITH INOUT AS IMPLICIT;\n"
	    "CREATE CAST (mood AS text) WITH INOUT;\n"
	    "COMMENT ON CAST (public.mood AS integer) IS 'rank';\n"
	    "DROP CAST (mood AS text);\n");
	assert_int_equal(m->ncasts, 2);
	assert_string_equal(m->casts[0].source, "public.mood");
	assert_string_equal(m->casts[0].target, "character varying");
	assert_string_equal(m->casts[0].definition,
			    "CREATE CAST (public.mood AS character varying) "
			    "WITH INOUT AS IMPLICIT");
	assert_string_equal(
	    m->casts[1].definition,
	    "CREATE CAST (public.mood AS integer) WITH FUNCTION "
	    "public.mood_int(public.mood) AS ASSIGNMENT");
	assert_string_equal(m->casts[1].comment, "rank");
	model_free(m);
}

/* A new cast after its function and before the table whose default is
 * written with it; a re-created function takes its cast along. */
static void test_cast_order(void **state)
{
	(void)state;
	const char *fn = "CREATE TYPE mood AS ENUM ('a');\n"
			 "CREATE FUNCTION mood_int(mood) RETURNS %s "
			 "LANGUAGE sql AS $$ SELECT 1 $$;\n"
			 "CREATE CAST (mood AS int) WITH FUNCTION "
			 "mood_int(mood);\n"
			 "CREATE TABLE t (m mood, n int DEFAULT "
			 "('a'::mood)::int);\n";
	char a[512], b[512];
	snprintf(a, sizeof(a), fn, "int");
	snprintf(b, sizeof(b), fn, "bigint");
	diff_result r;
	char *msg;
	assert_int_equal(diff_files("-- empty", a, &r, &msg), 0);
	int f = find_sql(&r, "FUNCTION public.mood_int");
	int k = find_sql(&r, "CREATE CAST");
	int t = find_sql(&r, "CREATE TABLE");
	assert_true(f >= 0 && k > f && t > k);
	diff_result_release(&r);
	assert_int_equal(diff_files(a, b, &r, &msg), 0);
	int dk = find_sql(&r, "DROP CAST (public.mood AS integer)");
	int df = find_sql(&r, "DROP ROUTINE public.mood_int");
	int cf = find_sql(&r, "CREATE OR REPLACE FUNCTION");
	int ck = find_sql(&r, "CREATE CAST");
	assert_true(dk >= 0 && df > dk && cf > df && ck > cf);
	diff_result_release(&r);
}

static const char cfg_v1[] =
    "CREATE TEXT SEARCH CONFIGURATION public.cfg (COPY = simple);\n"
    "CREATE TABLE public.n (b text);\n"
    "CREATE INDEX n_fts ON public.n USING gin "
    "(to_tsvector('public.cfg'::regconfig, b));\n";

/* Mappings change in place (one statement per action and dictionary
 * list), and the expression index is built again after them. */
static void test_mapping_change_reindexes(void **state)
{
	(void)state;
	char b[1024];
	snprintf(b, sizeof(b),
		 "%sALTER TEXT SEARCH CONFIGURATION cfg ALTER MAPPING FOR "
		 "word, hword WITH english_stem;\n"
		 "ALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR email, "
		 "url;\n"
		 "ALTER TEXT SEARCH CONFIGURATION cfg ADD MAPPING FOR tag "
		 "WITH english_stem;\n",
		 cfg_v1);
	diff_result r;
	char *msg;
	assert_int_equal(diff_files(cfg_v1, b, &r, &msg), 0);
	/* One step: its rollback restores the mappings, then re-indexes. */
	assert_int_equal(r.nstmts, 1);
	assert_string_equal(r.stmts[0].kind, "alter_ts_config_reindex");
	const char *sql = r.stmts[0].sql;
	const char *alter =
	    strstr(sql, "ALTER MAPPING FOR hword, tag, word WITH english_stem");
	const char *drop = strstr(sql, "DROP MAPPING IF EXISTS FOR email, url");
	const char *reindex = strstr(sql, "REINDEX INDEX public.n_fts");
	assert_non_null(alter);
	assert_non_null(drop);
	assert_true(reindex > alter && reindex > drop);
	diff_result_release(&r);
}

/* A new parser cannot be set in place: refused, the index named. */
static void test_parser_change_refused(void **state)
{
	(void)state;
	const char *b = "CREATE TEXT SEARCH CONFIGURATION public.cfg (PARSER = "
			"public.prs);\n"
			"CREATE TABLE public.n (b text);\n"
			"CREATE INDEX n_fts ON public.n USING gin "
			"(to_tsvector('public.cfg'::regconfig, b));\n";
	diff_result r;
	char *msg;
	assert_int_equal(diff_files(cfg_v1, b, &r, &msg), -1);
	assert_non_null(strstr(msg, "public.cfg"));
	assert_non_null(strstr(msg, "index public.n_fts"));
	free(msg);
	diff_result_release(&r);
}

/* A collation in use cannot change: refused, the users named. */
static void test_collation_change_refused(void **state)
{
	(void)state;
	const char *fmt =
	    "CREATE COLLATION public.ci (provider = icu, locale = '%s', "
	    "deterministic = false);\n"
	    "CREATE TABLE public.u (email text COLLATE public.ci);\n"
	    "CREATE DOMAIN public.ci_text AS text COLLATE public.ci;\n";
	char a[512], b[512];
	snprintf(a, sizeof(a), fmt, "und-u-ks-level2");
	snprintf(b, sizeof(b), fmt, "und-u-ks-level1");
	diff_result r;
	char *msg;
	assert_int_equal(diff_files(a, b, &r, &msg), -1);
	assert_non_null(strstr(msg, "collation public.ci"));
	assert_non_null(strstr(msg, "column public.u.email"));
	assert_non_null(strstr(msg, "domain public.ci_text"));
	free(msg);
	diff_result_release(&r);
}

/* ALTER COLUMN ... TYPE ... COLLATE sets the column's collation; TYPE
 * without COLLATE resets it to the type's default. */
static void test_alter_column_collate(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a text, b text COLLATE \"C\");\n"
	    "ALTER TABLE t ALTER COLUMN a TYPE text COLLATE \"POSIX\";\n"
	    "ALTER TABLE t ALTER COLUMN b TYPE varchar(10);\n");
	const m_table *t = &m->tables[0];
	assert_string_equal(t->columns[0].collation, "\"POSIX\"");
	assert_null(t->columns[1].collation);
	assert_string_equal(t->columns[1].type, "character varying(10)");
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_copy_resolves_mappings),
	    cmocka_unit_test(test_dictionary_options),
	    cmocka_unit_test(test_cast_parse_and_drop),
	    cmocka_unit_test(test_cast_order),
	    cmocka_unit_test(test_mapping_change_reindexes),
	    cmocka_unit_test(test_parser_change_refused),
	    cmocka_unit_test(test_collation_change_refused),
	    cmocka_unit_test(test_alter_column_collate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
