/*
 * MySQL / MariaDB introspection against a real server: the server comes
 * from SCHEMIG_TEST_MY_URL (tests/run.sh starts a throwaway MariaDB and
 * sets it; without it every test here is skipped, saying so). Each test
 * makes a database of its own through the dialect's connection helper,
 * runs DDL, introspects and checks the model field by field against the
 * canonical forms of dialects/mysql/mysql.h. Also: no error ever shows
 * the password. (The URL and the canonical spellings without a server:
 * test_my_canon.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/conn.h"
#include "dialects/mysql/mysql.h"
#include "util/strbuf.h"

/* The harness's server URL, or skip the test. */
static const char *base_url(void)
{
	const char *url = getenv("SCHEMIG_TEST_MY_URL");
	if (!url || !*url) {
		print_message(
		    "skipped: SCHEMIG_TEST_MY_URL not set (tests/run.sh "
		    "starts a MariaDB and sets it)\n");
		skip();
	}
	return url;
}

/* The base URL with its path replaced by /db (malloc'd). */
static char *url_with_db(const char *base, const char *db)
{
	const char *p = strstr(base, "://") + 3;
	const char *path = p + strcspn(p, "/?");
	const char *query = strchr(path, '?');
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, base, (size_t)(path - base));
	strbuf_addf(&sb, "/%s%s", db, query ? query : "");
	return strbuf_detach(&sb);
}

static void exec_ok(const char *url, const char *sql)
{
	MYSQL *c = NULL;
	error e = ERROR_INIT;
	if (my_connect_script(url, &c, &e) < 0 ||
	    my_exec(c, sql, "test DDL", &e) < 0) {
		char msg[2048];
		snprintf(msg, sizeof(msg), "%s", e.msg ? e.msg : "?");
		error_clear(&e);
		if (c)
			mysql_close(c);
		fail_msg("%s", msg);
	}
	mysql_close(c);
}

/* A fresh database `name` on the server, loaded with `ddl`, and its
 * introspected model. */
static model *load(const char *name, const char *ddl)
{
	const char *base = base_url();
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "DROP DATABASE IF EXISTS ");
	my_quote_ident(&sb, name);
	strbuf_adds(&sb, "; CREATE DATABASE ");
	my_quote_ident(&sb, name);
	strbuf_adds(&sb, " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
	exec_ok(base, strbuf_str(&sb));
	strbuf_release(&sb);
	char *url = url_with_db(base, name);
	exec_ok(url, ddl);
	model *m = model_new();
	error e = ERROR_INIT;
	if (my_introspect(m, url, &e) < 0) {
		char msg[2048];
		snprintf(msg, sizeof(msg), "%s", e.msg);
		error_clear(&e);
		free(url);
		model_free(m);
		fail_msg("introspect: %s", msg);
	}
	free(url);
	return m;
}

static void drop(const char *name)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "DROP DATABASE IF EXISTS ");
	my_quote_ident(&sb, name);
	exec_ok(base_url(), strbuf_str(&sb));
	strbuf_release(&sb);
}

static const m_table *table(const model *m, const char *name)
{
	const m_table *t = model_find_table(m, "", name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

static const m_column *column(const model *m, const char *tbl, const char *name)
{
	const m_column *c = model_table_find_column(table(m, tbl), name);
	if (!c)
		fail_msg("no column %s.%s", tbl, name);
	return c;
}

static const m_index *index_named(const model *m, const char *tbl,
				  const char *name)
{
	for (int i = 0; i < m->nindexes; i++)
		if (!strcmp(m->indexes[i].table, tbl) &&
		    !strcmp(m->indexes[i].name, name))
			return &m->indexes[i];
	fail_msg("no index %s on %s", name, tbl);
	return NULL;
}

static const m_constraint *constraint(const model *m, const char *tbl,
				      const char *name)
{
	const m_constraint *k =
	    model_table_find_constraint(table(m, tbl), name);
	if (!k)
		fail_msg("no constraint %s on %s", name, tbl);
	return k;
}

#define TYPE(m, t, c, want) assert_string_equal(column(m, t, c)->type, want)
#define DEFAULT(m, t, c, want)                                                 \
	do {                                                                   \
		const char *d_ = column(m, t, c)->default_expr;                \
		if (want)                                                      \
			assert_string_equal(d_ ? d_ : "(none)",                \
					    want ? want : "");                 \
		else                                                           \
			assert_null(d_);                                       \
	} while (0)

static void test_types(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_types",
	    "CREATE TABLE t (a TINYINT, b SMALLINT(6), c MEDIUMINT, d INT(11), "
	    "e INTEGER, f BIGINT(20), g TINYINT(1), h BOOL, i INT UNSIGNED, "
	    "j INT(5) ZEROFILL, k DECIMAL, l NUMERIC(12,3), m DECIMAL(7), n "
	    "FLOAT, o FLOAT(30), p DOUBLE, q REAL, r DOUBLE PRECISION, s "
	    "CHAR, t CHAR(3), u VARCHAR(20), v BINARY(4), w VARBINARY(8), x "
	    "TINYTEXT, y TEXT, z MEDIUMTEXT, aa LONGTEXT, ab BLOB, ac "
	    "LONGBLOB, ad BIT, ae BIT(8), af YEAR, ag DATE, ah TIME, ai "
	    "TIME(2), aj DATETIME, ak DATETIME(6), al TIMESTAMP NULL, am "
	    "ENUM('x','y''z'), an SET('a','b'), ao FLOAT UNSIGNED)");
	const char *const want[][2] = {
	    {"a", "tinyint"},
	    {"b", "smallint"},
	    {"c", "mediumint"},
	    {"d", "int"},
	    {"e", "int"},
	    {"f", "bigint"},
	    {"g", "tinyint(1)"},
	    {"h", "tinyint(1)"},
	    {"i", "int unsigned"},
	    {"j", "int(5) unsigned zerofill"},
	    {"k", "decimal(10,0)"},
	    {"l", "decimal(12,3)"},
	    {"m", "decimal(7,0)"},
	    {"n", "float"},
	    {"o", "double"},
	    {"p", "double"},
	    {"q", "double"},
	    {"r", "double"},
	    {"s", "char(1)"},
	    {"t", "char(3)"},
	    {"u", "varchar(20)"},
	    {"v", "binary(4)"},
	    {"w", "varbinary(8)"},
	    {"x", "tinytext"},
	    {"y", "text"},
	    {"z", "mediumtext"},
	    {"aa", "longtext"},
	    {"ab", "blob"},
	    {"ac", "longblob"},
	    {"ad", "bit(1)"},
	    {"ae", "bit(8)"},
	    {"af", "year"},
	    {"ag", "date"},
	    {"ah", "time"},
	    {"ai", "time(2)"},
	    {"aj", "datetime"},
	    {"ak", "datetime(6)"},
	    {"al", "timestamp"},
	    {"am", "enum('x','y''z')"},
	    {"an", "set('a','b')"},
	    {"ao", "float unsigned"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const m_column *c = column(m, "t", want[i][0]);
		if (strcmp(c->type, want[i][1]))
			fail_msg("column %s: type \"%s\", want \"%s\"",
				 want[i][0], c->type, want[i][1]);
	}
	assert_int_equal(table(m, "t")->ncolumns, 41);
	/* The columns keep the table's order. */
	assert_string_equal(table(m, "t")->columns[0].name, "a");
	assert_string_equal(table(m, "t")->columns[40].name, "ao");
	model_free(m);
	drop("schemig_t_types");
}

static void test_defaults(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_defaults",
	    "CREATE TABLE t (a INT DEFAULT 5, b INT DEFAULT '7', c VARCHAR(10) "
	    "DEFAULT 'it''s', d VARCHAR(10) DEFAULT 'a\\\\b', e VARCHAR(10) "
	    "DEFAULT '', f INT DEFAULT NULL, g INT, h INT NOT NULL, i "
	    "DECIMAL(6,2) DEFAULT 1.5, j DATE DEFAULT '2020-01-02', k "
	    "TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, l DATETIME(3) DEFAULT "
	    "NOW(3), m DATETIME DEFAULT LOCALTIME, n INT DEFAULT (1 + 2), o "
	    "DOUBLE DEFAULT (RAND()), p BIT(3) DEFAULT b'101', q "
	    "ENUM('x','y') DEFAULT 'y', r FLOAT DEFAULT -2.5, s VARCHAR(10) "
	    "DEFAULT 'NULL', t TINYINT(1) DEFAULT TRUE, u TEXT DEFAULT 'txt', "
	    "v VARCHAR(10) DEFAULT 'line\\nnext')");
	DEFAULT(m, "t", "a", "5");
	DEFAULT(m, "t", "b", "7");
	DEFAULT(m, "t", "c", "'it''s'");
	DEFAULT(m, "t", "d", "'a\\\\b'");
	DEFAULT(m, "t", "e", "''");
	DEFAULT(m, "t", "f", NULL);
	DEFAULT(m, "t", "g", NULL);
	DEFAULT(m, "t", "h", NULL);
	assert_true(column(m, "t", "h")->not_null);
	assert_false(column(m, "t", "g")->not_null);
	DEFAULT(m, "t", "i", "1.50");
	DEFAULT(m, "t", "j", "'2020-01-02'");
	DEFAULT(m, "t", "k", "current_timestamp()");
	DEFAULT(m, "t", "l", "current_timestamp(3)");
	DEFAULT(m, "t", "m", "current_timestamp()");
	DEFAULT(m, "t", "n", "(1 + 2)");
	DEFAULT(m, "t", "o", "(rand())");
	DEFAULT(m, "t", "p", "b'101'");
	DEFAULT(m, "t", "q", "'y'");
	DEFAULT(m, "t", "r", "-2.5");
	DEFAULT(m, "t", "s", "'NULL'");
	DEFAULT(m, "t", "t", "1");
	DEFAULT(m, "t", "u", "'txt'");
	DEFAULT(m, "t", "v", "'line\\nnext'");
	model_free(m);
	drop("schemig_t_defaults");
}

static void test_attributes(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_attrs",
	    "CREATE TABLE t (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
	    "upd TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
	    "CURRENT_TIMESTAMP, upd3 DATETIME(3) DEFAULT NULL ON UPDATE "
	    "NOW(3), secret INT INVISIBLE DEFAULT 0, base INT, twice INT AS "
	    "(base * 2) VIRTUAL, kept INT GENERATED ALWAYS AS (base + 1) "
	    "STORED, note "
	    "VARCHAR(5) COMMENT 'a ''note''') ENGINE=InnoDB "
	    "ROW_FORMAT=COMPACT COMMENT='the table' AUTO_INCREMENT=100; "
	    "CREATE TABLE plain (a INT) ENGINE=MyISAM; "
	    "CREATE TABLE parts (id INT NOT NULL) PARTITION BY RANGE (id) "
	    "(PARTITION p0 VALUES LESS THAN (10), PARTITION pmax VALUES LESS "
	    "THAN MAXVALUE); "
	    "CREATE TABLE hashed (id INT NOT NULL) PARTITION BY HASH (id) "
	    "PARTITIONS 3");
	const m_column *c = column(m, "t", "id");
	assert_true(c->auto_increment);
	assert_true(c->not_null);
	assert_string_equal(c->type, "bigint unsigned");
	assert_null(c->default_expr);
	c = column(m, "t", "upd");
	assert_string_equal(c->on_update, "current_timestamp()");
	assert_string_equal(c->default_expr, "current_timestamp()");
	assert_true(c->not_null);
	c = column(m, "t", "upd3");
	assert_string_equal(c->on_update, "current_timestamp(3)");
	assert_null(c->default_expr);
	c = column(m, "t", "secret");
	assert_true(c->invisible);
	assert_string_equal(c->default_expr, "0");
	c = column(m, "t", "twice");
	assert_string_equal(c->generated_expr, "`base` * 2");
	assert_true(c->gen_virtual);
	assert_null(c->default_expr);
	c = column(m, "t", "kept");
	assert_string_equal(c->generated_expr, "`base` + 1");
	assert_false(c->gen_virtual);
	assert_false(column(m, "t", "note")->invisible);
	assert_string_equal(column(m, "t", "note")->comment, "a 'note'");
	assert_null(column(m, "t", "secret")->comment);

	const m_table *t = table(m, "t");
	assert_string_equal(t->engine, "InnoDB");
	assert_string_equal(t->row_format, "COMPACT");
	assert_string_equal(t->comment, "the table");
	assert_string_equal(t->schema, "");
	assert_null(t->partitioning);
	assert_string_equal(table(m, "plain")->engine, "MyISAM");
	assert_null(table(m, "plain")->row_format);
	assert_null(table(m, "plain")->comment);
	assert_string_equal(table(m, "parts")->partitioning,
			    "PARTITION BY RANGE (`id`) (PARTITION `p0` VALUES "
			    "LESS THAN (10),PARTITION `pmax` VALUES LESS THAN "
			    "MAXVALUE)");
	assert_string_equal(table(m, "hashed")->partitioning,
			    "PARTITION BY HASH (`id`) PARTITIONS 3");
	model_free(m);
	drop("schemig_t_attrs");
}

static void test_charsets(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_cs",
	    "CREATE TABLE inherit (a VARCHAR(5), b VARCHAR(5) CHARACTER SET "
	    "utf8mb4, c VARCHAR(5) COLLATE utf8mb4_general_ci, d VARCHAR(5) "
	    "COLLATE utf8mb4_bin, e VARCHAR(5) CHARACTER SET latin1, f "
	    "VARCHAR(5) CHARACTER SET latin1 COLLATE latin1_bin, g "
	    "ENUM('a') COLLATE utf8mb4_bin, h INT, i VARBINARY(5)); "
	    "CREATE TABLE lat (a VARCHAR(5), b VARCHAR(5) CHARACTER SET "
	    "utf8mb4) DEFAULT CHARSET=latin1; "
	    "CREATE TABLE bin (a TEXT, b TEXT COLLATE utf8mb4_general_ci) "
	    "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
	const m_table *t = table(m, "inherit");
	assert_string_equal(t->charset, "utf8mb4");
	assert_string_equal(t->collation, "utf8mb4_general_ci");
	for (const char *n = "abchi"; *n; n++) {
		char name[2] = {*n, 0};
		const m_column *c = column(m, "inherit", name);
		if (c->charset || c->collation)
			fail_msg("column %s: charset %s collation %s", name,
				 c->charset ? c->charset : "-",
				 c->collation ? c->collation : "-");
	}
	assert_string_equal(column(m, "inherit", "d")->collation,
			    "utf8mb4_bin");
	assert_null(column(m, "inherit", "d")->charset);
	assert_string_equal(column(m, "inherit", "e")->charset, "latin1");
	assert_null(column(m, "inherit", "e")->collation);
	assert_string_equal(column(m, "inherit", "f")->collation, "latin1_bin");
	assert_null(column(m, "inherit", "f")->charset);
	assert_string_equal(column(m, "inherit", "g")->collation,
			    "utf8mb4_bin");

	t = table(m, "lat");
	assert_string_equal(t->charset, "latin1");
	assert_string_equal(t->collation, "latin1_swedish_ci");
	assert_null(column(m, "lat", "a")->charset);
	assert_null(column(m, "lat", "a")->collation);
	assert_string_equal(column(m, "lat", "b")->charset, "utf8mb4");
	assert_null(column(m, "lat", "b")->collation);

	t = table(m, "bin");
	assert_string_equal(t->collation, "utf8mb4_bin");
	assert_null(column(m, "bin", "a")->collation);
	/* The charset's default collation, not the table's: the charset. */
	assert_string_equal(column(m, "bin", "b")->charset, "utf8mb4");
	assert_null(column(m, "bin", "b")->collation);
	model_free(m);
	drop("schemig_t_cs");
}

static void test_keys(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_keys",
	    "CREATE TABLE p (a INT, b VARCHAR(40), c TEXT, g POINT NOT NULL, "
	    "d INT, PRIMARY KEY (a, b), UNIQUE (b), UNIQUE KEY named_u (d, "
	    "a), KEY (b(10) DESC, d), INDEX ix_d (d) COMMENT 'by d', "
	    "FULLTEXT KEY (c), SPATIAL INDEX (g), KEY (b)) ENGINE=InnoDB; "
	    "CREATE INDEX later ON p (d DESC, a); "
	    "CREATE INDEX unused ON p (d) IGNORED; "
	    "CREATE TABLE one (id INT PRIMARY KEY); "
	    "CREATE TABLE ch (id INT AUTO_INCREMENT, pa INT, pb VARCHAR(40), "
	    "o INT, x INT, PRIMARY KEY (id), "
	    "FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE ON "
	    "UPDATE SET NULL, CONSTRAINT fk_one FOREIGN KEY (o) REFERENCES "
	    "one (id) ON DELETE RESTRICT ON UPDATE NO ACTION, KEY kx (x), "
	    "CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES one (id) ON DELETE "
	    "SET NULL)");
	const m_constraint *pk = constraint(m, "p", "PRIMARY");
	assert_int_equal(pk->kind, M_CON_PRIMARY);
	assert_string_equal(pk->definition, "PRIMARY KEY (`a`,`b`)");
	assert_int_equal(pk->ncolumns, 2);
	assert_string_equal(pk->columns[1], "b");
	assert_string_equal(constraint(m, "one", "PRIMARY")->definition,
			    "PRIMARY KEY (`id`)");

	const m_index *ix = index_named(m, "p", "b");
	assert_true(ix->unique);
	assert_string_equal(ix->definition,
			    "CREATE UNIQUE INDEX `b` ON `p` (`b`)");
	assert_string_equal(ix->schema, "");
	assert_string_equal(index_named(m, "p", "named_u")->definition,
			    "CREATE UNIQUE INDEX `named_u` ON `p` (`d`,`a`)");
	/* Unnamed keys take their first column's name, then _2, _3. */
	ix = index_named(m, "p", "b_2");
	assert_false(ix->unique);
	assert_string_equal(ix->definition,
			    "CREATE INDEX `b_2` ON `p` (`b`(10) DESC,`d`)");
	assert_string_equal(index_named(m, "p", "b_3")->definition,
			    "CREATE INDEX `b_3` ON `p` (`b`)");
	ix = index_named(m, "p", "ix_d");
	assert_string_equal(ix->comment, "by d");
	assert_string_equal(index_named(m, "p", "c")->definition,
			    "CREATE FULLTEXT INDEX `c` ON `p` (`c`)");
	assert_string_equal(index_named(m, "p", "g")->definition,
			    "CREATE SPATIAL INDEX `g` ON `p` (`g`)");
	assert_string_equal(index_named(m, "p", "later")->definition,
			    "CREATE INDEX `later` ON `p` (`d` DESC,`a`)");
	assert_string_equal(index_named(m, "p", "unused")->definition,
			    "CREATE INDEX `unused` ON `p` (`d`) IGNORED");

	/* Foreign keys: the server's names, actions other than the
	 * default, and the index the server adds for each (named as the
	 * constraint when it names one, else after the first column). */
	const m_constraint *fk = constraint(m, "ch", "ch_ibfk_1");
	assert_int_equal(fk->kind, M_CON_FOREIGN);
	assert_string_equal(fk->definition,
			    "FOREIGN KEY (`pa`,`pb`) REFERENCES `p` (`a`,`b`) "
			    "ON DELETE CASCADE ON UPDATE SET NULL");
	assert_string_equal(fk->ref.schema, "");
	assert_string_equal(fk->ref.name, "p");
	assert_int_equal(fk->ncolumns, 2);
	assert_int_equal(fk->nref_columns, 2);
	assert_string_equal(fk->ref_columns[1], "b");
	fk = constraint(m, "ch", "fk_one");
	assert_string_equal(fk->definition,
			    "FOREIGN KEY (`o`) REFERENCES `one` (`id`)");
	assert_string_equal(constraint(m, "ch", "fk_x")->definition,
			    "FOREIGN KEY (`x`) REFERENCES `one` (`id`) ON "
			    "DELETE SET NULL");
	assert_string_equal(index_named(m, "ch", "pa")->definition,
			    "CREATE INDEX `pa` ON `ch` (`pa`,`pb`)");
	assert_string_equal(index_named(m, "ch", "fk_one")->definition,
			    "CREATE INDEX `fk_one` ON `ch` (`o`)");
	/* An existing key serves fk_x: no index of its own. */
	assert_string_equal(index_named(m, "ch", "kx")->definition,
			    "CREATE INDEX `kx` ON `ch` (`x`)");
	for (int i = 0; i < m->nindexes; i++)
		assert_string_not_equal(m->indexes[i].name, "fk_x");
	model_free(m);
	drop("schemig_t_keys");
}

static void test_cross_database_fk(void **state)
{
	(void)state;
	exec_ok(base_url(), "DROP DATABASE IF EXISTS schemig_t_other; "
			    "CREATE DATABASE schemig_t_other; "
			    "CREATE TABLE schemig_t_other.ref (id INT PRIMARY "
			    "KEY)");
	model *m = load("schemig_t_xfk",
			"CREATE TABLE t (r INT, FOREIGN KEY (r) REFERENCES "
			"schemig_t_other.ref (id))");
	const m_constraint *fk = constraint(m, "t", "t_ibfk_1");
	assert_string_equal(fk->definition, "FOREIGN KEY (`r`) REFERENCES "
					    "`schemig_t_other`.`ref` (`id`)");
	assert_string_equal(fk->ref.schema, "schemig_t_other");
	assert_int_equal(m->ntables, 1);
	model_free(m);
	drop("schemig_t_xfk");
	drop("schemig_t_other");
}

static void test_checks_and_json(void **state)
{
	(void)state;
	model *m = load("schemig_t_checks",
			"CREATE TABLE t (a INT CHECK (a > 0), b INT, doc JSON, "
			"doc2 JSON NOT NULL DEFAULT '{}', txt LONGTEXT, "
			"CONSTRAINT b_small CHECK (b < 100), CHECK (a <> b)); "
			"CREATE TABLE u (a INT, CHECK (a > 1))");
	const m_table *t = table(m, "t");
	/* The column-level check is named after its column; an unnamed
	 * table-level one CONSTRAINT_n, per table. */
	const m_constraint *k = constraint(m, "t", "a");
	assert_int_equal(k->kind, M_CON_CHECK);
	assert_string_equal(k->definition, "CHECK (`a` > 0)");
	assert_string_equal(constraint(m, "t", "b_small")->definition,
			    "CHECK (`b` < 100)");
	assert_string_equal(constraint(m, "t", "CONSTRAINT_1")->definition,
			    "CHECK (`a` <> `b`)");
	assert_string_equal(constraint(m, "u", "CONSTRAINT_1")->definition,
			    "CHECK (`a` > 1)");
	/* JSON: type json, no json_valid check, no utf8mb4_bin. */
	const m_column *c = column(m, "t", "doc");
	assert_string_equal(c->type, "json");
	assert_null(c->collation);
	assert_null(c->charset);
	assert_null(model_table_find_constraint(t, "doc"));
	assert_string_equal(column(m, "t", "doc2")->type, "json");
	assert_string_equal(column(m, "t", "doc2")->default_expr, "'{}'");
	assert_true(column(m, "t", "doc2")->not_null);
	assert_string_equal(column(m, "t", "txt")->type, "longtext");
	assert_int_equal(t->nconstraints, 3);
	model_free(m);
	drop("schemig_t_checks");
}

static void test_views_triggers_routines(void **state)
{
	(void)state;
	model *m = load(
	    "schemig_t_objs",
	    "CREATE TABLE t (id INT PRIMARY KEY, n VARCHAR(10), seen INT); "
	    "CREATE VIEW v AS SELECT id, n FROM t WHERE n <> 'x.`y`' AND id > "
	    "1; "
	    "CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW w AS SELECT id "
	    "FROM v WITH LOCAL CHECK OPTION; "
	    "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET "
	    "NEW.seen = 1; "
	    "CREATE TRIGGER t_bi2 BEFORE INSERT ON t FOR EACH ROW SET "
	    "NEW.seen = NEW.seen + 1; "
	    "CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW BEGIN END; "
	    "CREATE FUNCTION f(a INT(11), b VARCHAR(5)) RETURNS INT(11) "
	    "DETERMINISTIC COMMENT 'adds' RETURN a + 1; "
	    "CREATE PROCEDURE pr(IN a INT, OUT b INT) READS SQL DATA SQL "
	    "SECURITY INVOKER BEGIN SELECT a INTO b; END");
	assert_int_equal(m->nviews, 2);
	const m_view *v = &m->views[0];
	assert_string_equal(v->name, "v");
	assert_string_equal(v->schema, "");
	/* The database's own qualification is gone, a string keeps its
	 * backticks. */
	assert_string_equal(v->definition,
			    "select `t`.`id` AS `id`,`t`.`n` AS `n` from `t` "
			    "where `t`.`n` <> 'x.`y`' and `t`.`id` > 1");
	assert_null(v->check_option);
	assert_null(v->options);
	v = &m->views[1];
	assert_string_equal(v->name, "w");
	assert_string_equal(v->check_option, "local");
	assert_string_equal(v->options, "ALGORITHM=MERGE SQL SECURITY INVOKER");
	assert_string_equal(v->definition, "select `v`.`id` AS `id` from `v`");

	assert_int_equal(m->ntriggers, 3);
	for (int i = 0; i < m->ntriggers; i++) {
		const m_trigger *tg = &m->triggers[i];
		assert_string_equal(tg->table, "t");
		assert_string_equal(tg->schema, "");
		if (!strcmp(tg->name, "t_bi"))
			assert_string_equal(
			    tg->definition,
			    "CREATE TRIGGER `t_bi` BEFORE INSERT "
			    "ON `t` FOR EACH ROW SET NEW.seen "
			    "= 1");
		else if (!strcmp(tg->name, "t_bi2"))
			assert_string_equal(
			    tg->definition,
			    "CREATE TRIGGER `t_bi2` BEFORE "
			    "INSERT ON `t` FOR EACH ROW FOLLOWS "
			    "`t_bi` SET NEW.seen = NEW.seen + "
			    "1");
		else
			assert_string_equal(
			    tg->definition,
			    "CREATE TRIGGER `t_au` AFTER UPDATE "
			    "ON `t` FOR EACH ROW BEGIN END");
	}

	assert_int_equal(m->nfunctions, 2);
	const m_function *f = &m->functions[0];
	assert_string_equal(f->name, "f");
	assert_int_equal(f->kind, 'f');
	assert_string_equal(f->identity_args, "");
	assert_string_equal(f->signature, "`a` int, `b` varchar(5)");
	assert_string_equal(f->result, "int");
	assert_string_equal(f->attributes, "DETERMINISTIC COMMENT 'adds'");
	assert_string_equal(f->body, "RETURN a + 1");
	assert_string_equal(f->comment, "adds");
	assert_string_equal(f->definition,
			    "CREATE FUNCTION `f`(`a` int, `b` varchar(5)) "
			    "RETURNS int DETERMINISTIC COMMENT 'adds' RETURN "
			    "a + 1");
	f = &m->functions[1];
	assert_string_equal(f->name, "pr");
	assert_int_equal(f->kind, 'p');
	assert_null(f->result);
	assert_string_equal(f->definition,
			    "CREATE PROCEDURE `pr`(IN `a` int, OUT `b` int) "
			    "READS SQL DATA SQL SECURITY INVOKER BEGIN SELECT "
			    "a INTO b; END");
	model_free(m);
	drop("schemig_t_objs");
}

/* What the model cannot hold is said, not dropped silently. */
static void test_unsupported_warned(void **state)
{
	(void)state;
	model *m =
	    load("schemig_t_warn", "CREATE SEQUENCE s; CREATE TABLE t (a INT)");
	assert_int_equal(m->ntables, 1);
	assert_int_equal(m->nwarnings, 1);
	assert_non_null(strstr(m->warnings[0].message, "sequence `s`"));
	model_free(m);
	drop("schemig_t_warn");
}

/* Names that need quoting, the database's own among them: the view's
 * query loses exactly the database's qualification. */
static void test_odd_names(void **state)
{
	(void)state;
	const char *db = "schemig_t_Odd`db";
	model *m = load(db, "CREATE TABLE `Mixed``Case` (`sp ace` INT, "
			    "`x` INT, UNIQUE KEY (`sp ace`), CONSTRAINT "
			    "`my``fk` FOREIGN KEY (`x`) REFERENCES "
			    "`Mixed``Case` (`sp ace`)); "
			    "CREATE VIEW `v``w` AS SELECT `sp ace` AS "
			    "`schemig_t_Odd``db` FROM `Mixed``Case`; "
			    "CREATE TABLE K (a INT, b INT, KEY kk (a, b)); "
			    "CREATE TABLE k (a INT, b INT, KEY kk (b, a))");
	const m_table *t = table(m, "Mixed`Case");
	assert_string_equal(t->columns[0].name, "sp ace");
	assert_string_equal(index_named(m, "Mixed`Case", "sp ace")->definition,
			    "CREATE UNIQUE INDEX `sp ace` ON `Mixed``Case` "
			    "(`sp ace`)");
	assert_string_equal(constraint(m, "Mixed`Case", "my`fk")->definition,
			    "FOREIGN KEY (`x`) REFERENCES `Mixed``Case` "
			    "(`sp ace`)");
	/* Tables whose names differ only in case keep their own keys. */
	assert_string_equal(index_named(m, "K", "kk")->definition,
			    "CREATE INDEX `kk` ON `K` (`a`,`b`)");
	assert_string_equal(index_named(m, "k", "kk")->definition,
			    "CREATE INDEX `kk` ON `k` (`b`,`a`)");
	assert_int_equal(m->nviews, 1);
	assert_string_equal(m->views[0].name, "v`w");
	assert_string_equal(m->views[0].definition,
			    "select `Mixed``Case`.`sp ace` AS "
			    "`schemig_t_Odd``db` from `Mixed``Case`");
	model_free(m);
	drop(db);
}

static void test_empty_database(void **state)
{
	(void)state;
	model *m = load("schemig_t_empty", "DO 1");
	assert_true(m->introspected);
	assert_int_equal(m->ntables, 0);
	assert_int_equal(m->nwarnings, 0);
	assert_int_equal(m->nviews + m->nindexes + m->nfunctions, 0);
	model_free(m);
	drop("schemig_t_empty");
}

/* No error ever shows the password: a wrong one, an unreachable socket,
 * a database that does not exist, a URL without a database. */
/* A text of two statements is refused on schemig's own connections:
 * nothing built from a schema file can smuggle a second one. */
static void test_one_statement_per_call(void **state)
{
	(void)state;
	const char *base = getenv("SCHEMIG_TEST_MY_URL");
	if (!base || !*base)
		skip();
	MYSQL *c = NULL;
	error e = ERROR_INIT;
	assert_int_equal(my_connect(base, &c, &e), 0);
	assert_int_equal(my_exec(c, "SELECT 1; SELECT 2", "two", &e), -1);
	assert_non_null(e.msg);
	error_clear(&e);
	assert_int_equal(my_exec(c, "SELECT 1", "one", &e), 0);
	mysql_close(c);
}

static void test_password_never_shown(void **state)
{
	(void)state;
	const char *base = base_url();
	exec_ok(base,
		"CREATE USER IF NOT EXISTS 'schemig_pw'@'localhost' "
		"IDENTIFIED BY 'right-pass'; "
		"DROP DATABASE IF EXISTS schemig_t_pw; "
		"CREATE DATABASE schemig_t_pw; "
		"GRANT ALL ON schemig_t_pw.* TO 'schemig_pw'@'localhost'");
	const char *socket = strstr(base, "socket=");
	assert_non_null(socket);
	socket += strlen("socket=");
	const char *const urls[] = {
	    "mysql://schemig_pw:Wr0ng%%2Dpass@localhost/schemig_t_pw?socket=%s",
	    "mysql://schemig_pw:Wr0ng-pass@localhost/"
	    "schemig_t_pw?socket=%s.nope",
	    "mariadb://schemig_pw:Wr0ng-pass@localhost/no_such_db?socket=%s",
	};
	for (size_t i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		char url[1024];
		snprintf(url, sizeof(url), urls[i], socket);
		model *m = model_new();
		error e = ERROR_INIT;
		assert_int_equal(my_introspect(m, url, &e), -1);
		assert_int_equal(e.code, EXIT_DB);
		if (strstr(e.msg, "Wr0ng"))
			fail_msg("password in message: %s", e.msg);
		assert_non_null(strstr(e.msg, "schemig_pw@"));
		error_clear(&e);
		model_free(m);
	}
	/* The right password works. */
	char url[1024];
	snprintf(
	    url, sizeof(url),
	    "mysql://schemig_pw:right-pass@localhost/schemig_t_pw?socket=%s",
	    socket);
	model *m = model_new();
	error e = ERROR_INIT;
	if (my_introspect(m, url, &e) < 0)
		fail_msg("%s", e.msg);
	model_free(m);
	/* No database in the URL: said so, the password starred. */
	snprintf(url, sizeof(url),
		 "mysql://schemig_pw:right-pass@localhost/?socket=%s", socket);
	m = model_new();
	assert_int_equal(my_introspect(m, url, &e), -1);
	assert_non_null(strstr(e.msg, "names no database"));
	assert_null(strstr(e.msg, "right-pass"));
	assert_non_null(strstr(e.msg, "***"));
	error_clear(&e);
	model_free(m);
	drop("schemig_t_pw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_attributes),
	    cmocka_unit_test(test_charsets),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_cross_database_fk),
	    cmocka_unit_test(test_checks_and_json),
	    cmocka_unit_test(test_views_triggers_routines),
	    cmocka_unit_test(test_odd_names),
	    cmocka_unit_test(test_unsupported_warned),
	    cmocka_unit_test(test_empty_database),
	    cmocka_unit_test(test_password_never_shown),
	    cmocka_unit_test(test_one_statement_per_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
