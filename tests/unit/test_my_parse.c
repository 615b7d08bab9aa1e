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
#include <unistd.h>

#include "dialects/mysql/mysql.h"
#include "my_parse_util.h"

/* ---- types ------------------------------------------------------------ */

static void test_integer_types(void **state)
{
	(void)state;
	assert_type("int(11)", "int");
	assert_type("INTEGER", "int");
	assert_type("int4", "int");
	assert_type("bool", "tinyint(1)");
	assert_type("BOOLEAN", "tinyint(1)");
	assert_type("tinyint(1)", "tinyint(1)");
	assert_type("tinyint(4)", "tinyint");
	assert_type("smallint(6) unsigned", "smallint unsigned");
	assert_type("mediumint", "mediumint");
	assert_type("bigint(20) UNSIGNED", "bigint unsigned");
	assert_type("int zerofill", "int(10) unsigned zerofill");
	assert_type("int(5) unsigned zerofill", "int(5) unsigned zerofill");
	assert_type("tinyint zerofill", "tinyint(3) unsigned zerofill");
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

/* Defaults whose stored form differs from the written one (SHOW CREATE
 * TABLE on MariaDB 10.11 of the same columns). */
static void test_defaults_as_stored(void **state)
{
	(void)state;
	assert_default("decimal(4,1) default '2.25'", "2.3");
	assert_default("decimal(4,1) default -2.25", "-2.3");
	assert_default("decimal(6,3) default -1.2", "-1.200");
	assert_default("decimal(5,2) default 99.995", "100.00");
	assert_default("decimal(5,0) default 0.4", "0");
	assert_default("double default -0.0", "0");
	assert_default("float default 1e3", "1000");
	assert_default("double default 1.50e2", "150");
	assert_default("float default .5", "0.5");
	assert_default("year default '2024'", "2024");
	assert_default("int default 007", "7");
	assert_default("int unsigned default '+12'", "12");
	assert_default("bit(8) default 0x0F", "b'1111'");
	assert_default("date default 0", "'0000-00-00'");
	assert_default("set('a','b','c') default 'c,a'", "'a,c'");
	assert_default("set('a','b') default ''", "''");
	assert_default("bigint default -9223372036854775808",
		       "-9223372036854775808");
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
	/* A charset alone means its default collation (MariaDB 10.11),
	 * kept as the charset, as the introspection keeps it. */
	assert_null(column(m, "t", "a")->collation);
	assert_string_equal(column(m, "t", "a")->charset, "latin1");
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
	/* The comment is part of the definition, as introspected. */
	assert_string_equal(index_named(m, "ix")->definition,
			    "CREATE INDEX `ix` ON `t` (`a` DESC,`b`) COMMENT "
			    "'hi'");
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

/* ---- a real dump ------------------------------------------------------ */

/* A fixture from the repository's root, or, when the program runs from
 * elsewhere, from its place in build/test/unit/. */
static char *read_fixture(const char *name)
{
	strbuf sb = STRBUF_INIT;
	char path[4096], exe[2048];
	snprintf(path, sizeof(path), "tests/fixtures/mysql/%s", name);
	if (strbuf_read_file(&sb, path) == 0)
		return strbuf_detach(&sb);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/../../../tests/fixtures/mysql/%s", exe,
		 name);
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
			    "select `o`.`id` AS `id`,`o`.`total` AS `total` "
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

/* ---- errors ----------------------------------------------------------- */

/* ---- equal models for equivalent spellings --------------------------- */

/* A second schema with routines, triggers, generated columns, FULLTEXT,
 * ALTER TABLE and CREATE INDEX after the tables: the file that made it
 * (library.sql) and MariaDB 10.11's dump of the result give one model. */
static void test_library_dump_equals_its_source(void **state)
{
	(void)state;
	char *src = read_fixture("library.sql");
	char *dump = read_fixture("dump_library.sql");
	char *a = canon(src), *b = canon(dump);
	assert_string_equal(a, b);
	model *m = parse_ok(dump);
	assert_int_equal(m->ntables, 4);
	assert_int_equal(m->nfunctions, 2);
	assert_int_equal(m->ntriggers, 1);
	assert_string_equal(column(m, "loans", "due_at")->generated_expr,
			    "`out_at` + interval 14 day");
	assert_null(column(m, "books", "isbn")->collation);
	assert_string_equal(column(m, "books", "isbn")->charset, "ascii");
	assert_string_equal(con(m, "loans", "loans_ibfk_1")->definition,
			    "FOREIGN KEY (`book_id`) REFERENCES `books` "
			    "(`book_id`)");
	model_free(m);
	free(a);
	free(b);
	free(src);
	free(dump);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integer_types),
	    cmocka_unit_test(test_numeric_types),
	    cmocka_unit_test(test_string_and_time_types),
	    cmocka_unit_test(test_serial),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_defaults_as_stored),
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
	    cmocka_unit_test(test_mariadb_dump),
	    cmocka_unit_test(test_dump_equals_hand_written),
	    cmocka_unit_test(test_library_dump_equals_its_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
