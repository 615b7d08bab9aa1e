/* The MySQL/MariaDB DDL parser, statement by statement: comments,
 * executable comments and DELIMITER, views, ALTER TABLE, RENAME, DROP,
 * databases, skipped statements, error positions, and equal models for
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
#include "my_parse_util.h"

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
	/* A LIKE copy's keys are its own. */
	m = parse_ok("CREATE TABLE a (x int, y int, KEY k (x, y));"
		     "CREATE TABLE b LIKE a; ALTER TABLE b DROP COLUMN y;");
	for (int i = 0; i < m->nindexes; i++)
		assert_string_equal(m->indexes[i].definition,
				    !strcmp(m->indexes[i].table, "a")
					? "CREATE INDEX `k` ON `a` (`x`,`y`)"
					: "CREATE INDEX `k` ON `b` (`x`)");
	assert_int_equal(m->nindexes, 2);
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
	/* A dump's rows make no tokens: quotes, comments and the
	 * delimiter inside them are passed over. */
	m = parse_ok("CREATE TABLE t (a varchar(9));\n"
		     "INSERT INTO `t` VALUES ('x;y'),('it''s'),(\"q\\\";\"),"
		     "(/* ; */ 'z');\n"
		     "/*!40000 ALTER TABLE `t` ENABLE KEYS */;\n"
		     "REPLACE INTO t VALUES ('-- ;');\n"
		     "CREATE TABLE u (b int);");
	assert_int_equal(m->ntables, 2);
	model_free(m);
	assert_err("INSERT INTO t VALUES ('open;\n", "bad.sql:1:23: "
						     "unterminated string");
}

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

/* ---- more forms, checked against MariaDB 10.11 ------------------------ */

/* Expressions as MariaDB prints them (information_schema and SHOW
 * CREATE TABLE of the same table). */
static void test_expression_spelling(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a varchar(9), n int, d datetime,"
	    " b varchar(50) AS (concat(LOWER(a), Upper(a), substring(a,1,2),"
	    " mid(a, 1, 1), character_length(a), length(a))),"
	    " c int AS (day(d) + power(n, 2) + ceil(n) + n % 4 + n div 2),"
	    " e int AS (n != 1 || n <> 2 && n = 3),"
	    " f varchar(9) AS (convert(a USING utf8mb4)),"
	    " g int AS ((n + 1) * (n - 1)), h int AS (-n > ~n));");
	assert_string_equal(
	    column(m, "t", "b")->generated_expr,
	    "concat(lcase(`a`),ucase(`a`),substr(`a`,1,2),"
	    "substr(`a`,1,1),char_length(`a`),octet_length(`a`))");
	assert_string_equal(column(m, "t", "c")->generated_expr,
			    "dayofmonth(`d`) + pow(`n`,2) + ceiling(`n`) + `n` "
			    "MOD 4 + `n` DIV 2");
	assert_string_equal(column(m, "t", "e")->generated_expr,
			    "`n` <> 1 or `n` <> 2 and `n` = 3");
	assert_string_equal(column(m, "t", "f")->generated_expr,
			    "convert(`a` using utf8mb4)");
	assert_string_equal(column(m, "t", "g")->generated_expr,
			    "(`n` + 1) * (`n` - 1)");
	assert_string_equal(column(m, "t", "h")->generated_expr, "-`n` > ~`n`");
	model_free(m);
}

static void test_default_padding(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE t (a time(2) DEFAULT '10:00:00',"
			    " b datetime(3) DEFAULT '2020-01-01 00:00:00.5',"
			    " c binary(4) DEFAULT 'ab', d time DEFAULT '10:00',"
			    " e datetime(6) DEFAULT '2020-01-01');");
	assert_string_equal(column(m, "t", "a")->default_expr, "'10:00:00.00'");
	assert_string_equal(column(m, "t", "b")->default_expr,
			    "'2020-01-01 00:00:00.500'");
	assert_string_equal(column(m, "t", "c")->default_expr,
			    "'ab\\\\0\\\\0'");
	assert_string_equal(column(m, "t", "d")->default_expr, "'10:00'");
	assert_string_equal(column(m, "t", "e")->default_expr, "'2020-01-01'");
	model_free(m);
	/* The dump's spelling of the same defaults. */
	assert_same(
	    "CREATE TABLE t (a time(2) DEFAULT '10:00:00', c binary(4) "
	    "DEFAULT 'ab');",
	    "CREATE TABLE t (a time(2) DEFAULT '10:00:00.00', c binary(4) "
	    "DEFAULT 'ab\\0\\0');");
}

static void test_column_charset_means_its_default(void **state)
{
	(void)state;
	/* SHOW CREATE TABLE on MariaDB 10.11: a column's CHARACTER SET alone
	 * takes the charset's default collation, not the table's. */
	model *m = parse_ok("CREATE TABLE t (a varchar(5) CHARSET latin1,"
			    " b varchar(5) CHARSET latin2) CHARSET=latin1 "
			    "COLLATE=latin1_bin;"
			    "CREATE TABLE u (a varchar(5) CHARSET latin1)"
			    " CHARSET=latin1;");
	assert_null(column(m, "t", "a")->collation);
	assert_string_equal(column(m, "t", "a")->charset, "latin1");
	assert_null(column(m, "t", "b")->collation);
	assert_string_equal(column(m, "t", "b")->charset, "latin2");
	/* The same, written as its collation. */
	model *n =
	    parse_ok("CREATE TABLE t (a varchar(5) COLLATE "
		     "latin1_swedish_ci) CHARSET=latin1 COLLATE=latin1_bin;");
	assert_null(column(n, "t", "a")->collation);
	assert_string_equal(column(n, "t", "a")->charset, "latin1");
	model_free(n);
	assert_null(column(m, "u", "a")->collation);
	assert_null(column(m, "u", "a")->charset);
	model_free(m);
}

/* mysqldump's trigger: the statement split over executable comments,
 * DEFINER in one of them, the body's end inside the last. */
static void test_dump_trigger_in_exec_comments(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE orders (total int);\n"
	    "DELIMITER ;;\n"
	    "/*!50003 CREATE*/ /*!50017 DEFINER=`app`@`%`*/ /*!50003 trigger "
	    "orders_bi before insert on orders for each row\nbegin\n"
	    "  if new.total < 0 then set new.total = 0; end if;\nend */;;\n"
	    "DELIMITER ;\n");
	assert_int_equal(m->ntriggers, 1);
	assert_string_equal(m->triggers[0].name, "orders_bi");
	assert_string_equal(
	    m->triggers[0].definition,
	    "CREATE TRIGGER `orders_bi` BEFORE INSERT ON `orders` "
	    "FOR EACH ROW begin\n  if new.total < 0 then set "
	    "new.total = 0; end if;\nend");
	model_free(m);
}

/* Routines in the introspection's form (parameters quoted, IN said,
 * types canonical), triggers of one timing and event following each
 * other, a view's options. */
static void test_routine_and_view_forms(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int);\n"
	    "DELIMITER //\n"
	    "CREATE PROCEDURE p(x INTEGER, OUT y varchar(5), INOUT z bool)\n"
	    "BEGIN SELECT 1; END//\n"
	    "CREATE TRIGGER t1 BEFORE INSERT ON t FOR EACH ROW SET @a = 1//\n"
	    "CREATE TRIGGER t2 BEFORE INSERT ON t FOR EACH ROW SET @a = 2//\n"
	    "CREATE TRIGGER t3 AFTER INSERT ON t FOR EACH ROW SET @a = 3//\n"
	    "DELIMITER ;\n"
	    "CREATE ALGORITHM=merge DEFINER=`u`@`%` SQL SECURITY invoker "
	    "VIEW v AS SELECT a FROM t;\n"
	    "CREATE ALGORITHM=UNDEFINED VIEW w AS SELECT a FROM t;\n");
	assert_int_equal(m->nfunctions, 1);
	assert_string_equal(m->functions[0].signature,
			    "IN `x` int, OUT `y` varchar(5), INOUT `z` "
			    "tinyint(1)");
	assert_string_equal(m->functions[0].definition,
			    "CREATE PROCEDURE `p`(IN `x` int, OUT `y` "
			    "varchar(5), INOUT `z` tinyint(1)) BEGIN SELECT 1; "
			    "END");
	assert_int_equal(m->ntriggers, 3);
	for (int i = 0; i < m->ntriggers; i++) {
		const m_trigger *t = &m->triggers[i];
		if (!strcmp(t->name, "t2"))
			assert_string_equal(t->definition,
					    "CREATE TRIGGER `t2` BEFORE INSERT "
					    "ON `t` FOR EACH ROW FOLLOWS `t1` "
					    "SET @a = 2");
		else
			assert_null(strstr(t->definition, "FOLLOWS"));
	}
	assert_int_equal(m->nviews, 2);
	for (int i = 0; i < m->nviews; i++)
		if (!strcmp(m->views[i].name, "v"))
			assert_string_equal(m->views[i].options,
					    "ALGORITHM=MERGE SQL SECURITY "
					    "INVOKER");
		else
			assert_null(m->views[i].options);
	model_free(m);
}

static void test_routines_replace_and_drop(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int);\n"
	    "DELIMITER //\n"
	    "CREATE PROCEDURE p() SELECT 1//\n"
	    "CREATE OR REPLACE PROCEDURE p() SELECT 2//\n"
	    "CREATE FUNCTION f() RETURNS int RETURN 1//\n"
	    "CREATE FUNCTION g() RETURNS bigint(20) unsigned COMMENT 'x' "
	    "READS SQL DATA SQL SECURITY INVOKER RETURN 1//\n"
	    "CREATE TRIGGER tr AFTER DELETE ON t FOR EACH ROW DELETE FROM t//\n"
	    "DELIMITER ;\n"
	    "DROP FUNCTION IF EXISTS f; DROP FUNCTION IF EXISTS nope;"
	    "DROP TRIGGER tr;");
	assert_int_equal(m->nfunctions, 2);
	assert_int_equal(m->ntriggers, 0);
	for (int i = 0; i < m->nfunctions; i++) {
		const m_function *f = &m->functions[i];
		if (f->kind == 'p')
			assert_string_equal(f->body, "SELECT 2");
		else {
			assert_string_equal(f->name, "g");
			assert_string_equal(f->result, "bigint unsigned");
			/* In the introspection's order and spelling. */
			assert_string_equal(f->attributes,
					    "READS SQL DATA SQL SECURITY "
					    "INVOKER COMMENT 'x'");
			assert_string_equal(f->signature, "");
			assert_string_equal(f->definition,
					    "CREATE FUNCTION `g`() RETURNS "
					    "bigint unsigned READS SQL DATA "
					    "SQL SECURITY INVOKER COMMENT 'x' "
					    "RETURN 1");
		}
	}
	model_free(m);
	assert_err("DELIMITER //\nCREATE PROCEDURE p() SELECT 1//\n"
		   "CREATE PROCEDURE p() SELECT 2//",
		   "bad.sql:3:18: procedure \"p\" is created twice");
	assert_err("DROP PROCEDURE p;",
		   "bad.sql:1:16: DROP PROCEDURE \"p\": the file does not "
		   "create it before");
}

static void test_create_variants(void **state)
{
	(void)state;
	model *m = parse_ok("CREATE TABLE t (a int);"
			    "CREATE OR REPLACE TABLE t (b int);"
			    "CREATE TEMPORARY TABLE tmp (x int);"
			    "CREATE TABLE IF NOT EXISTS t (c int);");
	assert_int_equal(m->ntables, 1);
	assert_non_null(column(m, "t", "b"));
	assert_null(model_table_find_column(table(m, "t"), "a"));
	assert_int_equal(m->nwarnings, 1);
	assert_non_null(strstr(m->warnings[0].message, "TEMPORARY"));
	model_free(m);
}

static void test_drop_foreign_key_column_refused(void **state)
{
	(void)state;
	assert_err(
	    "CREATE TABLE p (id int PRIMARY KEY);\n"
	    "CREATE TABLE c (x int, FOREIGN KEY (x) REFERENCES p (id));\n"
	    "ALTER TABLE c DROP COLUMN x;",
	    "bad.sql:3:27: column \"x\" of table \"c\" is used by "
	    "foreign key \"c_ibfk_1\"");
	/* Once the foreign key is gone, the column may go; its index too. */
	model *m = parse_ok(
	    "CREATE TABLE p (id int PRIMARY KEY);"
	    "CREATE TABLE c (x int, y int, FOREIGN KEY (x) REFERENCES p (id));"
	    "ALTER TABLE c DROP FOREIGN KEY c_ibfk_1;"
	    "ALTER TABLE c DROP COLUMN x;");
	assert_int_equal(m->nindexes, 0);
	assert_int_equal(table(m, "c")->nconstraints, 0);
	model_free(m);
}

/* Positions count from the file's start, through executable comments
 * and DELIMITER lines. */
static void test_error_positions_in_comments(void **state)
{
	(void)state;
	assert_err("/*!40101 SET NAMES utf8 */;\n/* x\ny */ CREATE TABLE t "
		   "(a int) /*!50100 ENGINE */;",
		   "bad.sql:3:47: expected a table option's value");
	assert_err("DELIMITER ;;\nCREATE TABLE t (a int);;\nDELIMITER ;\n"
		   "ALTER TABLE t ADD COLUMN a int;",
		   "bad.sql:4:26: column \"a\" of table \"t\" is added twice");
	assert_err("CREATE TABLE t (a int) */;",
		   "bad.sql:1:24: unexpected \"*\" in table options");
}

/* MySQL 8's mysqldump spelling (written by hand in its style: no MySQL
 * server here): version comments of 8.0, expressions in parentheses of
 * their own, INVISIBLE in a comment. The same model as a plain file. */
static void test_mysql8_dump_style(void **state)
{
	(void)state;
	assert_same(
	    "/*!50503 SET character_set_client = utf8mb4 */;\n"
	    "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `app` /*!40100 DEFAULT "
	    "CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 "
	    "DEFAULT ENCRYPTION='N' */;\nUSE `app`;\n"
	    "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n"
	    "  `u` varchar(36) DEFAULT (uuid()),\n"
	    "  `h` int DEFAULT NULL /*!80023 INVISIBLE */,\n"
	    "  `c` int GENERATED ALWAYS AS ((`id` * 2)) VIRTUAL,\n"
	    "  PRIMARY KEY (`id`),\n"
	    "  KEY `functional_index` (((`id` + 1))),\n"
	    "  CONSTRAINT `t_chk_1` CHECK ((`id` > 0))\n"
	    ") ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 "
	    "COLLATE=utf8mb4_0900_ai_ci;\n"
	    "ALTER IGNORE TABLE t ADD COLUMN z int;\n",
	    "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, u varchar(36) "
	    "DEFAULT uuid(), h int INVISIBLE, c int AS (id*2), KEY ((id + 1)),"
	    " CONSTRAINT t_chk_1 CHECK (id > 0), z int) ENGINE=InnoDB "
	    "COLLATE utf8mb4_0900_ai_ci;");
}

/* MariaDB's IF [NOT] EXISTS on ALTER TABLE's parts and CREATE INDEX. */
static void test_if_not_exists_forms(void **state)
{
	(void)state;
	model *m = parse_ok(
	    "CREATE TABLE t (a int, KEY ka (a));"
	    "ALTER TABLE t ADD COLUMN IF NOT EXISTS a bigint NOT NULL FIRST,"
	    " ADD COLUMN IF NOT EXISTS b int AFTER a,"
	    " DROP COLUMN IF EXISTS nope, DROP INDEX IF EXISTS nope;"
	    "CREATE INDEX IF NOT EXISTS ka ON t (b);"
	    "CREATE INDEX IF NOT EXISTS kb ON t (b);");
	assert_string_equal(column(m, "t", "a")->type, "int");
	assert_string_equal(table(m, "t")->columns[1].name, "b");
	assert_string_equal(index_named(m, "ka")->definition,
			    "CREATE INDEX `ka` ON `t` (`a`)");
	assert_non_null(index_named(m, "kb"));
	model_free(m);
	assert_err("CREATE TABLE t (a int);\nALTER TABLE t ADD a int;",
		   "bad.sql:2:19: column \"a\" of table \"t\" is added twice");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_comments_and_exec_comments),
	    cmocka_unit_test(test_delimiter_routines),
	    cmocka_unit_test(test_views),
	    cmocka_unit_test(test_alter_columns),
	    cmocka_unit_test(test_alter_keys),
	    cmocka_unit_test(test_drop_column_leaves_keys),
	    cmocka_unit_test(test_rename_and_drop),
	    cmocka_unit_test(test_databases),
	    cmocka_unit_test(test_skipped_statements),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_equivalent_spellings),
	    cmocka_unit_test(test_quoting_and_literals),
	    cmocka_unit_test(test_expression_spelling),
	    cmocka_unit_test(test_default_padding),
	    cmocka_unit_test(test_column_charset_means_its_default),
	    cmocka_unit_test(test_dump_trigger_in_exec_comments),
	    cmocka_unit_test(test_routines_replace_and_drop),
	    cmocka_unit_test(test_routine_and_view_forms),
	    cmocka_unit_test(test_create_variants),
	    cmocka_unit_test(test_drop_foreign_key_column_refused),
	    cmocka_unit_test(test_error_positions_in_comments),
	    cmocka_unit_test(test_mysql8_dump_style),
	    cmocka_unit_test(test_if_not_exists_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
