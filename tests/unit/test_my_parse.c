/* The MySQL/MariaDB DDL parser: canonical types and defaults, the
 * server's implicit names, executable comments and DELIMITER, ALTER
 * TABLE, a real mariadb-dump file, error positions, and equal models for
 * equivalent spellings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/mysql.h"

/* ---- helpers ---------------------------------------------------------- */

static model *parse_ok(const char *sql)
{
	model *m = model_new();
	error e = ERROR_INIT;
	if (my_parse(m, sql, "test.sql", &e))
		fail_msg("unexpected parse error: %s", e.msg);
	error_clear(&e);
	return m;
}

/* The error message of a failing parse; the caller frees it. */
static char *parse_err(const char *sql)
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

static void assert_err(const char *sql, const char *want)
{
	char *msg = parse_err(sql);
	if (!strstr(msg, want))
		fail_msg("error \"%s\" lacks \"%s\"", msg, want);
	free(msg);
}

static char *canon(const char *sql)
{
	model *m = parse_ok(sql);
	strbuf sb = STRBUF_INIT;
	model_canonical(m, &sb);
	model_free(m);
	return strbuf_detach(&sb);
}

static void assert_same(const char *a, const char *b)
{
	char *x = canon(a), *y = canon(b);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static const m_table *table(const model *m, const char *name)
{
	const m_table *t = model_find_table(m, "", name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

static const m_column *column(const model *m, const char *tname,
			      const char *cname)
{
	const m_column *c = model_table_find_column(table(m, tname), cname);
	if (!c)
		fail_msg("no column %s.%s", tname, cname);
	return c;
}

static const m_index *index_named(const model *m, const char *name)
{
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].name, name))
			return &m->indexes[i];
	fail_msg("no index %s", name);
	return NULL;
}

static const m_constraint *con(const model *m, const char *tname,
			       const char *name)
{
	const m_constraint *k =
	    model_table_find_constraint(table(m, tname), name);
	if (!k)
		fail_msg("no constraint %s on %s", name, tname);
	return k;
}

/* The canonical type of `decl` as the only column of a table. */
static void assert_type(const char *decl, const char *want)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s);", decl);
	model *m = parse_ok(sql);
	assert_string_equal(column(m, "t", "c")->type, want);
	model_free(m);
}

/* The canonical default of `decl`; NULL for none. */
static void assert_default(const char *decl, const char *want)
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

/* ---- types ------------------------------------------------------------ */

static void test_integer_types(void **state)
{
	(void)state;
	assert_type("int(11)", "int");
	assert_type("INTEGER", "int");
	assert_type("int4", "int");
	assert_type("bool", "tinyint");
	assert_type("BOOLEAN", "tinyint");
	assert_type("tinyint(1)", "tinyint");
	assert_type("smallint(6) unsigned", "smallint unsigned");
	assert_type("mediumint", "mediumint");
	assert_type("bigint(20) UNSIGNED", "bigint unsigned");
	assert_type("int zerofill", "int unsigned zerofill");
	assert_type("int(5) unsigned zerofill", "int unsigned zerofill");
	assert_type("int8 signed", "bigint");
}

static void test_numeric_types(void **state)
{
	(void)state;
	assert_type("decimal", "decimal(10,0)");
	assert_type("numeric(8)", "decimal(8,0)");
	assert_type("dec(8,3)", "decimal(8,3)");
	assert_type("fixed(5,2) unsigned", "decimal(5,2) unsigned");
	assert_type("real", "double");
	assert_type("double precision", "double");
	assert_type("float(24)", "float");
	assert_type("float(25)", "double");
	assert_type("float(7,4)", "float(7,4)");
	assert_type("double(10,2)", "double(10,2)");
}

static void test_string_and_time_types(void **state)
{
	(void)state;
	assert_type("char", "char(1)");
	assert_type("character(4)", "char(4)");
	assert_type("national varchar(10)", "varchar(10)");
	assert_type("character varying(30)", "varchar(30)");
	assert_type("binary", "binary(1)");
	assert_type("varbinary(16)", "varbinary(16)");
	assert_type("TEXT", "text");
	assert_type("text(100)", "tinytext");
	assert_type("blob(70000)", "mediumblob");
	assert_type("long varchar", "mediumtext");
	assert_type("bit", "bit(1)");
	assert_type("year(4)", "year");
	assert_type("datetime(0)", "datetime");
	assert_type("datetime(3)", "datetime(3)");
	assert_type("TIMESTAMP(6)", "timestamp(6)");
	assert_type("JSON", "json");
	assert_type("Geometry", "geometry");
	assert_type("enum('a', 'it''s',\"b\")", "enum('a','it''s','b')");
	assert_type("SET('x','y')", "set('x','y')");
}

static void test_serial(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE t (id SERIAL);");
	const m_column *c = column(m, "t", "id");
	assert_string_equal(c->type, "bigint unsigned");
	assert_true(c->auto_increment);
	assert_true(c->not_null);
	assert_true(index_named(m, "id")->unique);
	model_free(m);
}

/* ---- column attributes ------------------------------------------------ */

static void test_defaults(void **state)
{
	(void)state;
	assert_default("int default '5'", "5");
	assert_default("int default 5", "5");
	assert_default("int default -3", "-3");
	assert_default("int default null", NULL);
	assert_default("int", NULL);
	assert_default("decimal(10,2) default 1", "1.00");
	assert_default("decimal(10,2) default '1.5'", "1.50");
	assert_default("float default 1.50", "1.5");
	assert_default("varchar(10) default 'x''y'", "'x''y'");
	assert_default("varchar(10) default \"a\\\"b\"", "'a\"b'");
	assert_default("varchar(10) default ''", "''");
	assert_default("varchar(10) default 0", "'0'");
	assert_default("varchar(10) default x'4142'", "'AB'");
	assert_default("bit(3) default 5", "b'101'");
	assert_default("bit(3) default b'11'", "b'11'");
	assert_default("tinyint(1) default true", "1");
	assert_default("boolean default FALSE", "0");
	assert_default("date default '2024-01-01'", "'2024-01-01'");
	assert_default("enum('a','b') default 'a'", "'a'");
	assert_default("varchar(5) default _utf8mb4'z'", "'z'");
}

static void test_now_defaults(void **state)
{
	(void)state;
	assert_default("timestamp default current_timestamp",
		       "current_timestamp()");
	assert_default("timestamp default CURRENT_TIMESTAMP()",
		       "current_timestamp()");
	assert_default("datetime default now()", "current_timestamp()");
	assert_default("datetime default localtimestamp",
		       "current_timestamp()");
	assert_default("datetime(3) default now(3)", "current_timestamp(3)");
	model *m =
	    parse_ok("CREATE TABLE t (c datetime(6) NULL DEFAULT NULL ON "
		     "UPDATE CURRENT_TIMESTAMP(6), d timestamp ON "
		     "UPDATE now());");
	assert_string_equal(column(m, "t", "c")->on_update,
			    "current_timestamp(6)");
	assert_null(column(m, "t", "c")->default_expr);
	assert_string_equal(column(m, "t", "d")->on_update,
			    "current_timestamp()");
	model_free(m);
}

static void test_expression_defaults(void **state)
{
	(void)state;
	assert_default("varchar(20) default (concat('a', 'b'))",
		       "(concat('a','b'))");
	assert_default("char(36) default uuid()", "(uuid())");
	assert_default("int default (1 + 2)", "(1 + 2)");
	assert_default("json default (JSON_ARRAY())", "(json_array())");
}

static void test_column_flags(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (id int unsigned AUTO_INCREMENT PRIMARY KEY,"
	    " a int NOT NULL COMMENT 'the a', b int NULL INVISIBLE,"
	    " c int COMMENT '', d int VISIBLE);");
	const m_column *id = column(m, "t", "id");
	assert_true(id->auto_increment);
	assert_true(id->not_null);
	assert_true(column(m, "t", "a")->not_null);
	assert_string_equal(column(m, "t", "a")->comment, "the a");
	assert_false(column(m, "t", "b")->not_null);
	assert_true(column(m, "t", "b")->invisible);
	assert_null(column(m, "t", "c")->comment);
	assert_false(column(m, "t", "d")->invisible);
	assert_string_equal(con(m, "t", "PRIMARY")->definition,
			    "PRIMARY KEY (`id`)");
	model_free(m);
}

static void test_generated_columns(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, b int AS (a+1), c int GENERATED ALWAYS AS "
	    "(a * 2) STORED, d int AS (a) PERSISTENT, e int AS (A) VIRTUAL);");
	assert_string_equal(column(m, "t", "b")->generated_expr, "`a` + 1");
	assert_true(column(m, "t", "b")->gen_virtual);
	assert_string_equal(column(m, "t", "c")->generated_expr, "`a` * 2");
	assert_false(column(m, "t", "c")->gen_virtual);
	assert_false(column(m, "t", "d")->gen_virtual);
	assert_true(column(m, "t", "e")->gen_virtual);
	model_free(m);
}

static void test_charsets_and_collations(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a varchar(5) CHARACTER SET latin1,"
	    " b varchar(5) COLLATE utf8mb4_bin, c varchar(5) CHARSET utf8mb4,"
	    " d varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,"
	    " e int COLLATE utf8mb4_bin, f char(2) BINARY)"
	    " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;");
	const m_table *t = table(m, "t");
	assert_string_equal(t->charset, "utf8mb4");
	assert_string_equal(t->collation, "utf8mb4_unicode_ci");
	/* A charset alone means its default collation (MariaDB 10.11). */
	assert_string_equal(column(m, "t", "a")->collation,
			    "latin1_swedish_ci");
	assert_null(column(m, "t", "a")->charset);
	assert_string_equal(column(m, "t", "b")->collation, "utf8mb4_bin");
	assert_null(column(m, "t", "b")->charset);
	/* utf8mb4's default collation depends on the server: kept. */
	assert_string_equal(column(m, "t", "c")->charset, "utf8mb4");
	assert_null(column(m, "t", "d")->collation);
	assert_null(column(m, "t", "d")->charset);
	assert_null(column(m, "t", "e")->collation);
	assert_string_equal(column(m, "t", "f")->collation, "utf8mb4_bin");
	model_free(m);
}

static void test_table_charset_derivation(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE a (x int) CHARSET=latin1;"
			    "CREATE TABLE b (x int) COLLATE utf8mb4_bin;"
			    "CREATE TABLE c (x int) CHARACTER SET utf8;"
			    "CREATE TABLE d (x int) DEFAULT CHARSET=utf8mb4;");
	assert_string_equal(table(m, "a")->collation, "latin1_swedish_ci");
	assert_string_equal(table(m, "b")->charset, "utf8mb4");
	assert_string_equal(table(m, "c")->charset, "utf8mb3");
	assert_string_equal(table(m, "c")->collation, "utf8mb3_general_ci");
	/* utf8mb4's default collation depends on the server. */
	assert_null(table(m, "d")->collation);
	assert_int_equal(m->nwarnings, 1);
	assert_true(m->warnings[0].note);
	model_free(m);
}

/* ---- keys ------------------------------------------------------------- */

static void test_key_kinds(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, b varchar(50), c text, g geometry NOT NULL,"
	    " PRIMARY KEY (a, b), UNIQUE KEY uk (b(10)), INDEX ix USING BTREE"
	    " (a DESC, b ASC) COMMENT 'hi', FULLTEXT ft (c), SPATIAL KEY sp "
	    "(g),"
	    " KEY fx ((a + 1)));");
	assert_string_equal(con(m, "t", "PRIMARY")->definition,
			    "PRIMARY KEY (`a`,`b`)");
	assert_int_equal(con(m, "t", "PRIMARY")->ncolumns, 2);
	assert_true(column(m, "t", "b")->not_null == false ||
		    column(m, "t", "b")->not_null == true);
	assert_string_equal(index_named(m, "uk")->definition,
			    "CREATE UNIQUE INDEX `uk` ON `t` (`b`(10))");
	assert_true(index_named(m, "uk")->unique);
	assert_string_equal(index_named(m, "ix")->definition,
			    "CREATE INDEX `ix` ON `t` (`a` DESC,`b`)");
	assert_string_equal(index_named(m, "ix")->comment, "hi");
	assert_false(index_named(m, "ix")->unique);
	assert_string_equal(index_named(m, "ft")->definition,
			    "CREATE FULLTEXT INDEX `ft` ON `t` (`c`)");
	assert_string_equal(index_named(m, "sp")->definition,
			    "CREATE SPATIAL INDEX `sp` ON `t` (`g`)");
	assert_string_equal(index_named(m, "fx")->definition,
			    "CREATE INDEX `fx` ON `t` ((`a` + 1))");
	assert_int_equal(m->nindexes, 5);
	model_free(m);
}

/* As MariaDB 10.11 named them (SHOW CREATE TABLE). */
static void test_implicit_key_names(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (n int, o int, s text, u varchar(5) UNIQUE,"
	    " UNIQUE (n, o), KEY (n), INDEX (o DESC, s(10)), KEY (n));");
	assert_string_equal(index_named(m, "u")->definition,
			    "CREATE UNIQUE INDEX `u` ON `t` (`u`)");
	assert_string_equal(index_named(m, "n")->definition,
			    "CREATE UNIQUE INDEX `n` ON `t` (`n`,`o`)");
	assert_string_equal(index_named(m, "n_2")->definition,
			    "CREATE INDEX `n_2` ON `t` (`n`)");
	assert_string_equal(index_named(m, "o")->definition,
			    "CREATE INDEX `o` ON `t` (`o` DESC,`s`(10))");
	assert_non_null(index_named(m, "n_3"));
	model_free(m);
}

static void test_inline_primary_key_variants(void **state)
{
	(void)state;
	assert_same("CREATE TABLE t (id int KEY);",
		    "CREATE TABLE t (id int NOT NULL, PRIMARY KEY (id));");
	assert_same("CREATE TABLE t (id int PRIMARY KEY);",
		    "CREATE TABLE t (id int, CONSTRAINT pk PRIMARY KEY (id));");
}

/* ---- foreign keys and checks ----------------------------------------- */

static void test_foreign_keys(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE p (id int PRIMARY KEY);"
	    "CREATE TABLE t (id int, m int REFERENCES p(id), pid int, r int,"
	    " CONSTRAINT fk_named FOREIGN KEY (pid) REFERENCES p (id) ON DELETE"
	    " CASCADE ON UPDATE RESTRICT,"
	    " FOREIGN KEY (m) REFERENCES p (id) ON UPDATE SET NULL,"
	    " FOREIGN KEY ix_r (r) REFERENCES p (id) ON DELETE NO ACTION ON"
	    " UPDATE SET DEFAULT);");
	const m_constraint *f = con(m, "t", "fk_named");
	assert_int_equal(f->kind, M_CON_FOREIGN);
	assert_string_equal(f->definition, "FOREIGN KEY (`pid`) REFERENCES `p` "
					   "(`id`) ON DELETE CASCADE");
	assert_string_equal(f->ref.name, "p");
	assert_string_equal(f->ref.schema, "");
	assert_string_equal(f->ref_columns[0], "id");
	/* The inline REFERENCES counts first, as on MariaDB 10.11. */
	assert_string_equal(con(m, "t", "t_ibfk_1")->definition,
			    "FOREIGN KEY (`m`) REFERENCES `p` (`id`)");
	assert_string_equal(
	    con(m, "t", "t_ibfk_2")->definition,
	    "FOREIGN KEY (`m`) REFERENCES `p` (`id`) ON UPDATE SET "
	    "NULL");
	assert_string_equal(
	    con(m, "t", "t_ibfk_3")->definition,
	    "FOREIGN KEY (`r`) REFERENCES `p` (`id`) ON UPDATE SET "
	    "DEFAULT");
	/* The indexes the server adds: named after the CONSTRAINT, the
	 * FOREIGN KEY's index name, or the first column; one serves two. */
	assert_string_equal(index_named(m, "fk_named")->definition,
			    "CREATE INDEX `fk_named` ON `t` (`pid`)");
	assert_string_equal(index_named(m, "m")->definition,
			    "CREATE INDEX `m` ON `t` (`m`)");
	assert_non_null(index_named(m, "ix_r"));
	assert_int_equal(m->nindexes, 3);
	model_free(m);
}

static void test_foreign_key_uses_existing_index(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE p (a int, b int, PRIMARY KEY (a, b));"
			    "CREATE TABLE t (a int, b int, KEY k (a, b, a),"
			    " FOREIGN KEY (a, b) REFERENCES p (a, b));"
			    "CREATE TABLE u (a int PRIMARY KEY,"
			    " FOREIGN KEY (a) REFERENCES p (a));");
	assert_int_equal(m->nindexes, 1);
	assert_string_equal(index_named(m, "k")->table, "t");
	assert_non_null(con(m, "u", "u_ibfk_1"));
	model_free(m);
}

static void test_checks(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a varchar(5) CHECK (a <> ''), n int, o int,"
	    " CHECK (n > 0 AND o IS NOT NULL), CONSTRAINT named CHECK (n<100),"
	    " CHECK (NOT (n = -1)));");
	assert_string_equal(con(m, "t", "a")->definition, "CHECK (`a` <> '')");
	assert_string_equal(con(m, "t", "CONSTRAINT_1")->definition,
			    "CHECK (`n` > 0 and `o` is not null)");
	assert_string_equal(con(m, "t", "named")->definition,
			    "CHECK (`n` < 100)");
	assert_string_equal(con(m, "t", "CONSTRAINT_2")->definition,
			    "CHECK (not (`n` = -1))");
	assert_int_equal(con(m, "t", "named")->kind, M_CON_CHECK);
	model_free(m);
}

/* ---- table options ---------------------------------------------------- */

static void test_table_options(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE TABLE t (a int) ENGINE=innodb AUTO_INCREMENT=42 "
		     "ROW_FORMAT=dynamic COMMENT='it''s' KEY_BLOCK_SIZE=8 "
		     "STATS_PERSISTENT=1;"
		     "CREATE TABLE u (a int) ENGINE myisam, ROW_FORMAT DEFAULT;"
		     "CREATE TABLE v (a int) TYPE=heap;");
	const m_table *t = table(m, "t");
	assert_string_equal(t->engine, "InnoDB");
	assert_string_equal(t->row_format, "DYNAMIC");
	assert_string_equal(t->comment, "it's");
	assert_string_equal(table(m, "u")->engine, "MyISAM");
	assert_null(table(m, "u")->row_format);
	assert_string_equal(table(m, "v")->engine, "MEMORY");
	model_free(m);
}

static void test_partitioning(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE e (id int, y int, PRIMARY KEY (id, y))"
	    " partition by range (y) (partition p0 values less than (2000),"
	    " partition p1 values less than maxvalue engine = InnoDB);");
	assert_string_equal(
	    table(m, "e")->partitioning,
	    "PARTITION BY RANGE (`y`) (PARTITION `p0` VALUES LESS THAN (2000),"
	    "PARTITION `p1` VALUES LESS THAN MAXVALUE)");
	model_free(m);
	/* Canonical spacing: the dump's spelling gives the same text. */
	assert_same(
	    "CREATE TABLE e (y int) PARTITION BY HASH (y) PARTITIONS 4;",
	    "CREATE TABLE e (y int)\n /*!50100 PARTITION BY HASH (`y`)\n"
	    "PARTITIONS 4 */;");
}

/* ---- comments, executable comments, DELIMITER ------------------------ */

static void test_comments_and_exec_comments(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "-- a comment\n# another\n/* block; with ; semicolons */\n"
	    "/*!40101 SET NAMES utf8mb4 */;\n"
	    "/*M!999999\\- enable the sandbox mode */\n"
	    "CREATE TABLE /*!32312 IF NOT EXISTS*/ t (a int) "
	    "/*!40100 DEFAULT CHARSET=latin1 */ /*M!100600 COMMENT='m' */;\n"
	    "--\n");
	assert_string_equal(table(m, "t")->charset, "latin1");
	assert_string_equal(table(m, "t")->comment, "m");
	model_free(m);
}

static void test_delimiter_routines(void **state)
{
	(void)state;
	model *m =
	    parse_ok("CREATE TABLE t (a int);\n"
		     "DELIMITER $$\n"
		     "CREATE DEFINER=`root`@`localhost` PROCEDURE p(IN x int)\n"
		     "BEGIN\n  SELECT x; SELECT 2;\nEND$$\n"
		     "CREATE FUNCTION f(x int) RETURNS int(11) DETERMINISTIC\n"
		     "RETURN x * 2$$\n"
		     "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\n"
		     "BEGIN\n  SET NEW.a = 1;\nEND $$\n"
		     "delimiter ;\n"
		     "CREATE TABLE u (b int);\n");
	assert_int_equal(m->nfunctions, 2);
	const m_function *f = &m->functions[0], *p = &m->functions[1];
	if (f->kind != 'f') {
		const m_function *x = f;
		f = p;
		p = x;
	}
	assert_string_equal(p->name, "p");
	assert_int_equal(p->kind, 'p');
	assert_string_equal(p->body, "BEGIN\n  SELECT x; SELECT 2;\nEND");
	assert_null(strstr(p->definition, "root"));
	assert_string_equal(f->result, "int");
	assert_string_equal(f->body, "RETURN x * 2");
	assert_string_equal(f->attributes, "DETERMINISTIC");
	assert_int_equal(m->ntriggers, 1);
	assert_string_equal(m->triggers[0].table, "t");
	assert_string_equal(m->triggers[0].definition,
			    "CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH "
			    "ROW BEGIN\n  SET NEW.a = 1;\nEND");
	assert_non_null(table(m, "u"));
	model_free(m);
}

static void test_views(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, b int);"
	    "CREATE ALGORITHM=UNDEFINED DEFINER=`u`@`%` SQL SECURITY DEFINER "
	    "VIEW v AS SELECT a, b FROM t WHERE a > 1 WITH CHECK OPTION;"
	    "CREATE OR REPLACE VIEW w (x) AS select a from t;"
	    "CREATE OR REPLACE VIEW w AS SELECT COUNT(*) FROM t;");
	assert_int_equal(m->nviews, 2);
	assert_string_equal(m->views[0].name, "v");
	assert_string_equal(m->views[0].definition,
			    "select `a`,`b` from `t` where `a` > 1");
	assert_string_equal(m->views[0].check_option, "cascaded");
	assert_string_equal(m->views[1].definition, "select count(*) from `t`");
	assert_null(m->views[1].check_option);
	model_free(m);
	assert_err("CREATE VIEW v AS SELECT 1; CREATE VIEW v AS SELECT 2;",
		   "bad.sql:1:40: view \"v\" is created twice");
}

/* ---- a real dump ------------------------------------------------------ */

static char *read_fixture(const char *name)
{
	strbuf sb = STRBUF_INIT;
	char path[256];
	snprintf(path, sizeof(path), "tests/fixtures/mysql/%s", name);
	if (strbuf_read_file(&sb, path))
		fail_msg("cannot read %s", path);
	return strbuf_detach(&sb);
}

static void test_mariadb_dump(void **state)
{
	(void)state;
	char *sql = read_fixture("dump_shop.sql");
	model *m = parse_ok(sql);
	assert_int_equal(m->ntables, 4);
	const m_table *c = table(m, "customers");
	assert_string_equal(c->engine, "InnoDB");
	assert_string_equal(c->collation, "utf8mb4_unicode_ci");
	assert_string_equal(c->row_format, "DYNAMIC");
	assert_string_equal(c->comment, "people");
	assert_string_equal(column(m, "customers", "id")->type,
			    "bigint unsigned");
	assert_string_equal(column(m, "customers", "name")->collation,
			    "utf8mb4_bin");
	assert_string_equal(column(m, "customers", "created_at")->default_expr,
			    "current_timestamp()");
	assert_string_equal(column(m, "customers", "status")->type,
			    "enum('active','it''s')");
	assert_true(column(m, "customers", "hidden")->invisible);
	assert_string_equal(column(m, "orders", "total")->default_expr, "0.00");
	assert_non_null(con(m, "orders", "orders_ibfk_1"));
	assert_non_null(con(m, "orders", "CONSTRAINT_1"));
	assert_non_null(con(m, "orders", "qty"));
	assert_non_null(index_named(m, "referrer"));
	assert_non_null(index_named(m, "ft_notes"));
	assert_non_null(table(m, "events")->partitioning);
	/* The placeholder view was replaced by the real one. */
	assert_int_equal(m->nviews, 1);
	assert_string_equal(m->views[0].definition,
			    "select `o`.`id` as `id`,`o`.`total` as `total` "
			    "from `orders` `o` where `o`.`total` > 100");
	assert_int_equal(m->nfunctions, 2);
	assert_int_equal(m->ntriggers, 1);
	assert_int_equal(m->nwarnings, 0);
	model_free(m);
	free(sql);
}

/* The dump of a schema and the hand-written file that made it. */
static void test_dump_equals_hand_written(void **state)
{
	(void)state;
	char *dump = read_fixture("dump_shop.sql");
	char *a = canon(dump);
	char *b = canon(
	    "CREATE DATABASE shop DEFAULT CHARACTER SET latin1; USE shop;"
	    "create table customers (\n"
	    "  id bigint unsigned not null auto_increment primary key,\n"
	    "  email varchar(255) not null,\n"
	    "  name varchar(100) collate utf8mb4_bin,\n"
	    "  status enum('active','it''s') not null default 'active',\n"
	    "  created_at timestamp not null default current_timestamp,\n"
	    "  updated_at datetime(6) default null on update "
	    "current_timestamp(6),\n"
	    "  score decimal(5,2) unsigned default 0,\n"
	    "  flags set('a','b') default 'a,b',\n"
	    "  notes text comment 'free text',\n"
	    "  hidden int invisible,\n"
	    "  unique key email (email),\n"
	    "  fulltext key ft_notes (notes)\n"
	    ") engine=InnoDB default charset=utf8mb4 "
	    "collate=utf8mb4_unicode_ci "
	    "row_format=dynamic comment='people';\n"
	    "create table orders (\n"
	    "  id int not null,\n"
	    "  customer_id bigint unsigned not null,\n"
	    "  referrer bigint unsigned,\n"
	    "  total decimal(10,2) not null default 0.00,\n"
	    "  placed date,\n"
	    "  qty int check (qty >= 0),\n"
	    "  primary key (id),\n"
	    "  key idx_c (customer_id, placed desc),\n"
	    "  constraint fk_cust foreign key (customer_id) references "
	    "customers "
	    "(id) on delete cascade on update restrict,\n"
	    "  foreign key (referrer) references customers (id) on delete set "
	    "null,\n"
	    "  check (total >= 0)\n"
	    ") engine=InnoDB default charset=latin1;\n"
	    "create table events (id int not null, y int not null, primary key "
	    "(id, y)) engine=InnoDB\n"
	    "partition by range (y) (partition p0 values less than (2000) "
	    "ENGINE = InnoDB, partition p1 values less than maxvalue ENGINE = "
	    "InnoDB);\n"
	    "create table places (id int primary key, g geometry not null, "
	    "spatial index (g)) engine=InnoDB;\n"
	    "create view big_orders as select `o`.`id` AS `id`,`o`.`total` AS "
	    "`total` from `orders` `o` where `o`.`total` > 100 with check "
	    "option;\n"
	    "delimiter //\n"
	    "create trigger orders_bi before insert on orders for each row\n"
	    "begin\n"
	    "  if new.total < 0 then set new.total = 0; end if;\n"
	    "end//\n"
	    "CREATE PROCEDURE `touch`(in cid bigint)\n"
	    "begin\n"
	    "  update customers set updated_at = now() where id = cid;\n"
	    "end//\n"
	    "CREATE FUNCTION `twice`(x int) RETURNS int(11)\n"
	    "    DETERMINISTIC\n"
	    "return x * 2//\n"
	    "delimiter ;\n");
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(dump);
}

/* ---- ALTER TABLE and friends ----------------------------------------- */

static const char *col_at(const model *m, const char *t, int i)
{
	return table(m, t)->columns[i].name;
}

static void test_alter_columns(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, b int, c int, d int);"
	    "ALTER TABLE t ADD COLUMN z int NOT NULL FIRST, ADD y int AFTER a,"
	    " ADD (w int, v int), DROP COLUMN c, MODIFY b bigint DEFAULT 3"
	    " AFTER w, CHANGE COLUMN d dd varchar(5) COMMENT 'x',"
	    " RENAME COLUMN a TO aa, ALTER COLUMN z SET DEFAULT 7,"
	    " ALGORITHM=INSTANT, LOCK=NONE;");
	const m_table *t = table(m, "t");
	assert_int_equal(t->ncolumns, 7);
	assert_string_equal(col_at(m, "t", 0), "z");
	assert_string_equal(col_at(m, "t", 1), "aa");
	assert_string_equal(col_at(m, "t", 2), "y");
	assert_string_equal(col_at(m, "t", 3), "dd");
	assert_string_equal(col_at(m, "t", 4), "w");
	assert_string_equal(col_at(m, "t", 5), "b");
	assert_string_equal(col_at(m, "t", 6), "v");
	assert_string_equal(column(m, "t", "b")->type, "bigint");
	assert_string_equal(column(m, "t", "b")->default_expr, "3");
	assert_string_equal(column(m, "t", "dd")->comment, "x");
	assert_string_equal(column(m, "t", "z")->default_expr, "7");
	model_free(m);
	m = parse_ok("CREATE TABLE t (a int DEFAULT 1);"
		     "ALTER TABLE t ALTER a DROP DEFAULT;");
	assert_null(column(m, "t", "a")->default_expr);
	model_free(m);
}

static void test_alter_keys(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE p (id int PRIMARY KEY);"
	    "CREATE TABLE t (a int, b int, c int, KEY kb (b), KEY kc (c),"
	    " FOREIGN KEY (a) REFERENCES p (id));"
	    "ALTER TABLE t ADD PRIMARY KEY (a, b), ADD UNIQUE INDEX u (c),"
	    " ADD CONSTRAINT fk2 FOREIGN KEY (b) REFERENCES p (id),"
	    " ADD CONSTRAINT ck CHECK (a > 0), DROP INDEX kc,"
	    " RENAME INDEX kb TO kb2;"
	    "ALTER TABLE t DROP FOREIGN KEY t_ibfk_1, ADD FOREIGN KEY (c)"
	    " REFERENCES p (id);"
	    "CREATE INDEX ci ON t (c DESC) ALGORITHM=INPLACE LOCK=NONE;"
	    "CREATE FULLTEXT INDEX ft ON t (c);"
	    "DROP INDEX ft ON t;");
	assert_string_equal(con(m, "t", "PRIMARY")->definition,
			    "PRIMARY KEY (`a`,`b`)");
	assert_non_null(index_named(m, "u"));
	assert_non_null(index_named(m, "kb2"));
	assert_non_null(index_named(m, "ci"));
	/* InnoDB numbers past the highest before the statement, the one
	 * it drops included (MariaDB 10.11). */
	assert_null(model_table_find_constraint(table(m, "t"), "t_ibfk_1"));
	assert_string_equal(con(m, "t", "t_ibfk_2")->definition,
			    "FOREIGN KEY (`c`) REFERENCES `p` (`id`)");
	assert_non_null(con(m, "t", "fk2"));
	assert_non_null(con(m, "t", "ck"));
	for (int i = 0; i < m->nindexes; i++)
		assert_string_not_equal(m->indexes[i].name, "kc");
	for (int i = 0; i < m->nindexes; i++)
		assert_string_not_equal(m->indexes[i].name, "ft");
	model_free(m);
	m = parse_ok("CREATE TABLE t (a int PRIMARY KEY, b int, KEY (b));"
		     "ALTER TABLE t DROP PRIMARY KEY, DROP KEY b,"
		     " DROP CONSTRAINT IF EXISTS nope;");
	assert_int_equal(table(m, "t")->nconstraints, 0);
	assert_int_equal(m->nindexes, 0);
	model_free(m);
}

static void test_drop_column_leaves_keys(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE t (a int, b int, KEY ab (a, b),"
			    " KEY bb (b), c int CHECK (c > 0));"
			    "ALTER TABLE t DROP b, DROP COLUMN c;");
	assert_string_equal(index_named(m, "ab")->definition,
			    "CREATE INDEX `ab` ON `t` (`a`)");
	assert_int_equal(m->nindexes, 1);
	assert_int_equal(table(m, "t")->nconstraints, 0);
	model_free(m);
}

static void test_rename_and_drop(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE p (id int PRIMARY KEY);"
	    "CREATE TABLE a (x int REFERENCES p (id));"
	    "RENAME TABLE a TO b;"
	    "ALTER TABLE b RENAME TO c;"
	    "CREATE TABLE gone (x int); DROP TABLE IF EXISTS gone, never;"
	    "CREATE TABLE IF NOT EXISTS c (other int);"
	    "CREATE TABLE d LIKE c;");
	assert_null(model_find_table(m, "", "a"));
	assert_null(model_find_table(m, "", "gone"));
	/* InnoDB renames the foreign keys it named. */
	assert_non_null(con(m, "c", "c_ibfk_1"));
	assert_non_null(column(m, "c", "x"));
	assert_non_null(column(m, "d", "x"));
	assert_int_equal(table(m, "d")->nconstraints, 0);
	assert_int_equal(m->ntables, 3);
	model_free(m);
}

static void test_databases(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE DATABASE IF NOT EXISTS shop;"
			    "USE `shop`;"
			    "CREATE TABLE a (x int);"
			    "CREATE TABLE shop.b (x int);"
			    "CREATE TABLE other.c (x int REFERENCES a (x));"
			    "USE other; CREATE TABLE d (x int);");
	assert_non_null(model_find_table(m, "", "a"));
	assert_non_null(model_find_table(m, "", "b"));
	assert_non_null(model_find_table(m, "other", "c"));
	assert_non_null(model_find_table(m, "other", "d"));
	model_free(m);
}

static void test_skipped_statements(void **state)
{
	(void)state;
	model *m =
	    parse_ok("SET NAMES utf8mb4; SET @x = 1; LOCK TABLES t WRITE;"
		     "CREATE TABLE t (a int);"
		     "INSERT INTO t VALUES (1),(2); UNLOCK TABLES;"
		     "START TRANSACTION; COMMIT; ;;");
	assert_int_equal(m->ntables, 1);
	model_free(m);
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void **state)
{
	(void)state;
	assert_err(
	    "CREATE TABLE t (a int);\nGRANT ALL ON t TO x;\n"
	    "FROBNICATE the table;",
	    "bad.sql:3:1: unsupported statement \"FROBNICATE the table\"");
	assert_err("CREATE TABLE t (\n  a int,\n  b frob(\n);",
		   "bad.sql:4:1: expected a number in the type's parentheses");
	assert_err("CREATE TABLE t (a int NOT NUL);",
		   "bad.sql:1:27: expected NULL, found \"NUL\"");
	assert_err("CREATE TABLE t (a int);\n  CREATE TABLE t (b int);",
		   "bad.sql:2:16: table \"t\" is created twice");
	assert_err("CREATE TABLE t (a int, a int);",
		   "bad.sql:1:24: duplicate column \"a\"");
	assert_err("CREATE TABLE t (a varchar(5) DEFAULT 'x);",
		   "bad.sql:1:38: unterminated string");
	assert_err("CREATE TABLE `t (a int);", "bad.sql:1:14: unterminated "
					       "quoted identifier");
	assert_err("/* never closed", "bad.sql:1:1: unterminated comment");
	assert_err("/*!40101 SET x=1;", "unterminated executable comment");
	assert_err("ALTER TABLE nope ADD x int;",
		   "bad.sql:1:13: table \"nope\" is not created before");
	assert_err("CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN b;",
		   "bad.sql:2:27: table \"t\" has no column \"b\" to drop");
	assert_err("CREATE TABLE t (a int) ENGINE=InnoDB, ;x",
		   "bad.sql:1:40: unsupported statement \"x\"");
	assert_err("CREATE TABLE t (a int) garbage",
		   "bad.sql:1:31: expected a table option's value");
	assert_err("CREATE TABLE t (a int, CONSTRAINT c UNIQUE KEY (a), "
		   "CONSTRAINT d INDEX (a));",
		   "bad.sql:1:66: expected PRIMARY KEY, UNIQUE, FOREIGN KEY or "
		   "CHECK after CONSTRAINT");
	assert_err("CREATE TABLE t AS SELECT 1;",
		   "bad.sql:1:16: CREATE TABLE \"t\" without a column list");
	assert_err("DELIMITER\nSELECT 1;", "bad.sql:1:1: DELIMITER needs");
	assert_err("CREATE TABLE t (a int DEFAULT);",
		   "bad.sql:1:30: unexpected DEFAULT value");
}

/* ---- equal models for equivalent spellings --------------------------- */

static void test_equivalent_spellings(void **state)
{
	(void)state;
	assert_same("CREATE TABLE t (a int(11) NOT NULL DEFAULT '0', b "
		    "varchar(10) DEFAULT NULL, KEY (a)) ENGINE=InnoDB;",
		    "create table `t` (`a` INTEGER not null default 0, `b` "
		    "character varying(10), index `a` (`a`)) engine innodb;");
	assert_same("CREATE TABLE t (a bool, b numeric(5), c double precision,"
		    " d timestamp(0) NULL);",
		    "CREATE TABLE t (a tinyint(1), b decimal(5,0), c real,"
		    " d timestamp null default null);");
	assert_same("CREATE TABLE t (a int) DEFAULT CHARSET=latin1;",
		    "CREATE TABLE t (a int) CHARACTER SET = latin1 COLLATE "
		    "latin1_swedish_ci;");
	assert_same("CREATE TABLE `a``b` (x int);", "CREATE TABLE `a``b` (`x` "
						    "int(10));");
	assert_same("CREATE TABLE t (a int, CHECK (a>0));",
		    "CREATE TABLE t (a int, CONSTRAINT `CONSTRAINT_1` CHECK "
		    "(`a` > 0));");
	assert_same("CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES t (a), "
		    "KEY (a));",
		    "CREATE TABLE t (a int, KEY a (a), CONSTRAINT t_ibfk_1 "
		    "FOREIGN KEY (a) REFERENCES t (a) ON DELETE RESTRICT ON "
		    "UPDATE NO ACTION);");
}

static void test_quoting_and_literals(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE `we``ird` (`c``1` varchar(9) DEFAULT 'a\\nb\\\\c',"
	    " `select` int COMMENT \"say \\\"hi\\\"\", 1st int, x int DEFAULT "
	    "0x10, y varchar(3) DEFAULT N'n');");
	assert_string_equal(column(m, "we`ird", "c`1")->default_expr,
			    "'a\nb\\\\c'");
	assert_string_equal(column(m, "we`ird", "select")->comment,
			    "say \"hi\"");
	assert_non_null(column(m, "we`ird", "1st"));
	assert_string_equal(column(m, "we`ird", "x")->default_expr, "16");
	assert_string_equal(column(m, "we`ird", "y")->default_expr, "'n'");
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integer_types),
	    cmocka_unit_test(test_numeric_types),
	    cmocka_unit_test(test_string_and_time_types),
	    cmocka_unit_test(test_serial),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_now_defaults),
	    cmocka_unit_test(test_expression_defaults),
	    cmocka_unit_test(test_column_flags),
	    cmocka_unit_test(test_generated_columns),
	    cmocka_unit_test(test_charsets_and_collations),
	    cmocka_unit_test(test_table_charset_derivation),
	    cmocka_unit_test(test_key_kinds),
	    cmocka_unit_test(test_implicit_key_names),
	    cmocka_unit_test(test_inline_primary_key_variants),
	    cmocka_unit_test(test_foreign_keys),
	    cmocka_unit_test(test_foreign_key_uses_existing_index),
	    cmocka_unit_test(test_checks),
	    cmocka_unit_test(test_table_options),
	    cmocka_unit_test(test_partitioning),
	    cmocka_unit_test(test_comments_and_exec_comments),
	    cmocka_unit_test(test_delimiter_routines),
	    cmocka_unit_test(test_views),
	    cmocka_unit_test(test_mariadb_dump),
	    cmocka_unit_test(test_dump_equals_hand_written),
	    cmocka_unit_test(test_alter_columns),
	    cmocka_unit_test(test_alter_keys),
	    cmocka_unit_test(test_drop_column_leaves_keys),
	    cmocka_unit_test(test_rename_and_drop),
	    cmocka_unit_test(test_databases),
	    cmocka_unit_test(test_skipped_statements),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_equivalent_spellings),
	    cmocka_unit_test(test_quoting_and_literals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
