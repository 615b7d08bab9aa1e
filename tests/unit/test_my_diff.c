/* The MySQL differ (dialects/mysql/diff.c) on models built by hand: the
 * statements, their order (foreign keys dropped first and added last,
 * tables dropped after the keys that name them), columns added in the
 * target's place and moved to its order, and nothing for equal models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/mysql/mysql.h"

/* A table of the URL's database ("") from "name type[!],..." where '!'
 * is NOT NULL. */
static m_table *tbl(model *m, const char *name, const char *cols)
{
	m_table *t = model_add_table(m);
	t->schema = model_str(m, "");
	t->name = model_str(m, name);
	t->kind = 'r';
	t->engine = model_str(m, "InnoDB");
	char *list = strdup(cols);
	for (char *save, *c = strtok_r(list, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		m_column *x = model_table_add_column(m, t);
		char *sp = strchr(c, ' ');
		*sp = '\0';
		x->name = model_str(m, c);
		size_t l = strlen(sp + 1);
		x->not_null = sp[l] == '!';
		if (x->not_null)
			sp[l] = '\0';
		x->type = model_str(m, sp + 1);
	}
	free(list);
	return t;
}

static void con(model *m, m_table *t, char kind, const char *name,
		const char *def)
{
	m_constraint *k = model_table_add_constraint(m, t);
	k->kind = kind;
	k->name = model_str(m, name);
	k->definition = model_str(m, def);
}

static void idx(model *m, const char *table, const char *name, const char *def)
{
	m_index *x = model_add_index(m);
	x->schema = model_str(m, "");
	x->table = model_str(m, table);
	x->name = model_str(m, name);
	x->definition = model_str(m, def);
}

/* The diff's script; the caller frees it. */
static char *diff_sql(model *a, model *b)
{
	model_sort(a);
	model_sort(b);
	diff_result r;
	diff_result_init(&r);
	error e = ERROR_INIT;
	assert_int_equal(my_diff_models(a, b, &r, &e), 0);
	strbuf sb = STRBUF_INIT;
	diff_result_format_sql(&r, &sb);
	diff_result_release(&r);
	return strbuf_detach(&sb);
}

static void test_equal_models(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	for (int i = 0; i < 2; i++) {
		model *m = i ? b : a;
		m_table *t = tbl(m, "users", "id int!,email varchar(100)!");
		con(m, t, M_CON_PRIMARY, "PRIMARY", "PRIMARY KEY (`id`)");
		idx(m, "users", "email",
		    "CREATE UNIQUE INDEX `email` ON `users` (`email`)");
	}
	char *sql = diff_sql(a, b);
	assert_string_equal(sql, "");
	free(sql);
	model_free(a);
	model_free(b);
}

/* A file that names no charset or collation for its table means the
 * database's: its columns compare as the live table's (no MODIFY COLUMN
 * either way; from the file, the table's options are said, which
 * changes nothing); naming another charset changes table and columns. */
static void test_unnamed_defaults(void **state)
{
	(void)state;
	model *live = model_new(), *file = model_new();
	m_table *t = tbl(live, "t", "id int!,name varchar(20)!");
	t->charset = model_str(live, "utf8mb4");
	t->collation = model_str(live, "utf8mb4_general_ci");
	m_table *f = tbl(file, "t", "id int!,name varchar(20)!");
	f->engine = NULL;
	char *sql = diff_sql(live, file);
	assert_string_equal(sql, "");
	free(sql);
	sql = diff_sql(file, live);
	assert_null(strstr(sql, "MODIFY COLUMN"));
	free(sql);
	f->charset = model_str(file, "latin1");
	sql = diff_sql(live, file);
	assert_non_null(strstr(sql, "DEFAULT CHARSET=latin1"));
	assert_non_null(strstr(sql, "MODIFY COLUMN `name` varchar(20)"));
	free(sql);
	model_free(live);
	model_free(file);
}

static void test_new_table(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	m_table *t = tbl(b, "users", "id int unsigned!,email varchar(100)!");
	t->columns[0].auto_increment = true;
	t->columns[1].comment = model_str(b, "it's theirs");
	t->charset = model_str(b, "utf8mb4");
	con(b, t, M_CON_PRIMARY, "PRIMARY", "PRIMARY KEY (`id`)");
	idx(b, "users", "email",
	    "CREATE UNIQUE INDEX `email` ON `users` (`email`)");
	char *sql = diff_sql(a, b);
	assert_string_equal(
	    sql, "CREATE TABLE `users` (\n"
		 "  `id` int unsigned NOT NULL AUTO_INCREMENT,\n"
		 "  `email` varchar(100) NOT NULL COMMENT 'it''s theirs',\n"
		 "  PRIMARY KEY (`id`),\n"
		 "  UNIQUE KEY `email` (`email`)\n"
		 ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n");
	free(sql);
	model_free(a);
	model_free(b);
}

static void test_columns(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	tbl(a, "t", "id int!,old text,b int,c int");
	/* b widened, old dropped, x added after id, c before b. */
	m_table *t = tbl(b, "t", "id int!,x date,c int,b bigint");
	t->columns[1].default_expr = model_str(b, "'2024-01-01'");
	char *sql = diff_sql(a, b);
	assert_string_equal(
	    sql, "ALTER TABLE `t` ADD COLUMN `x` date NULL DEFAULT "
		 "'2024-01-01' AFTER `id`;\n"
		 "ALTER TABLE `t` MODIFY COLUMN `b` bigint NULL;\n"
		 "ALTER TABLE `t` DROP COLUMN `old`;\n"
		 "ALTER TABLE `t` MODIFY COLUMN `c` int NULL AFTER `x`;\n");
	free(sql);
	model_free(a);
	model_free(b);
}

static void test_keys_order(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	m_table *p = tbl(a, "parent", "id int!");
	con(a, p, M_CON_PRIMARY, "PRIMARY", "PRIMARY KEY (`id`)");
	m_table *c = tbl(a, "child", "id int!,pid int");
	con(a, c, M_CON_FOREIGN, "child_ibfk_1",
	    "FOREIGN KEY (`pid`) REFERENCES `parent` (`id`)");
	idx(a, "child", "pid", "CREATE INDEX `pid` ON `child` (`pid`)");
	tbl(a, "gone", "id int!");
	/* The key gets ON DELETE CASCADE; the index a second column. */
	p = tbl(b, "parent", "id int!");
	con(b, p, M_CON_PRIMARY, "PRIMARY", "PRIMARY KEY (`id`)");
	c = tbl(b, "child", "id int!,pid int");
	con(b, c, M_CON_FOREIGN, "child_ibfk_1",
	    "FOREIGN KEY (`pid`) REFERENCES `parent` (`id`) ON DELETE "
	    "CASCADE");
	con(b, c, M_CON_CHECK, "CONSTRAINT_1", "CHECK (`id` > 0)");
	idx(b, "child", "pid", "CREATE INDEX `pid` ON `child` (`pid`,`id`)");
	char *sql = diff_sql(a, b);
	assert_string_equal(
	    sql, "ALTER TABLE `child` DROP FOREIGN KEY `child_ibfk_1`;\n"
		 "ALTER TABLE `child` DROP INDEX `pid`;\n"
		 "CREATE INDEX `pid` ON `child` (`pid`,`id`);\n"
		 "ALTER TABLE `child` ADD CONSTRAINT `CONSTRAINT_1` CHECK "
		 "(`id` > 0);\n"
		 "ALTER TABLE `child` ADD CONSTRAINT `child_ibfk_1` FOREIGN "
		 "KEY (`pid`) REFERENCES `parent` (`id`) ON DELETE CASCADE;\n"
		 "DROP TABLE `gone`;\n");
	free(sql);
	model_free(a);
	model_free(b);
}

static void test_options_and_kinds(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	tbl(a, "t", "id int!");
	m_table *t = tbl(b, "t", "id int!");
	t->collation = model_str(b, "utf8mb4_bin");
	t->charset = model_str(b, "utf8mb4");
	t->comment = model_str(b, "kept");
	model_sort(a);
	model_sort(b);
	diff_result r;
	diff_result_init(&r);
	error e = ERROR_INIT;
	assert_int_equal(my_diff_models(a, b, &r, &e), 0);
	assert_int_equal(r.nstmts, 1);
	assert_string_equal(r.stmts[0].kind, "alter_table_options");
	assert_string_equal(r.stmts[0].object, "`t`");
	assert_string_equal(r.stmts[0].sql,
			    "ALTER TABLE `t` DEFAULT CHARSET=utf8mb4 "
			    "COLLATE=utf8mb4_bin COMMENT='kept'");
	assert_int_equal(r.stmts[0].obj.kind, CHANGE_OBJ_TABLE);
	assert_false(r.stmts[0].transactional);
	diff_result_release(&r);
	model_free(a);
	model_free(b);
}

/* Triggers and routines: dropped first when they go or change, made
 * last; a body with ';' marked for the client's DELIMITER. */
static void test_triggers_and_routines(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	tbl(a, "t", "id int!");
	tbl(b, "t", "id int!");
	m_trigger *tg = model_add_trigger(a);
	tg->schema = model_str(a, "");
	tg->table = model_str(a, "t");
	tg->name = model_str(a, "tr");
	tg->definition = model_str(a, "CREATE TRIGGER `tr` BEFORE INSERT ON "
				      "`t` FOR EACH ROW SET NEW.id = 1");
	tg = model_add_trigger(b);
	tg->schema = model_str(b, "");
	tg->table = model_str(b, "t");
	tg->name = model_str(b, "tr");
	tg->definition = model_str(b, "CREATE TRIGGER `tr` BEFORE INSERT ON "
				      "`t` FOR EACH ROW BEGIN SET NEW.id = 2; "
				      "END");
	m_function *f = model_add_function(a);
	f->schema = model_str(a, "");
	f->name = model_str(a, "gone");
	f->kind = 'p';
	f->definition = model_str(a, "CREATE PROCEDURE `gone`() SELECT 1");
	f = model_add_function(b);
	f->schema = model_str(b, "");
	f->name = model_str(b, "f");
	f->kind = 'f';
	f->definition =
	    model_str(b, "CREATE FUNCTION `f`() RETURNS int RETURN 1");
	char *sql = diff_sql(a, b);
	assert_string_equal(sql, "DROP TRIGGER `tr`;\n"
				 "DROP PROCEDURE `gone`;\n"
				 "CREATE FUNCTION `f`() RETURNS int RETURN 1;\n"
				 "DELIMITER ;;\n"
				 "CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR "
				 "EACH ROW BEGIN SET NEW.id = 2; END;;\n"
				 "DELIMITER ;\n");
	free(sql);
	model_free(a);
	model_free(b);
}

/* Partitioning: appended RANGE partitions are added, anything else
 * repartitions, none removes it; a view's options are a change. */
static void test_partitioning_and_view_options(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	const char *r2 = "PARTITION BY RANGE (`id`) (PARTITION `p0` VALUES "
			 "LESS THAN (10),PARTITION `p1` VALUES LESS THAN (20))";
	const char *r3 = "PARTITION BY RANGE (`id`) (PARTITION `p0` VALUES "
			 "LESS THAN (10),PARTITION `p1` VALUES LESS THAN "
			 "(20),PARTITION `p2` VALUES LESS THAN MAXVALUE)";
	tbl(a, "r", "id int!")->partitioning = model_str(a, r2);
	tbl(b, "r", "id int!")->partitioning = model_str(b, r3);
	tbl(a, "h", "id int!");
	tbl(b, "h", "id int!")->partitioning =
	    model_str(b, "PARTITION BY HASH (`id`) PARTITIONS 4");
	tbl(a, "x", "id int!")->partitioning = model_str(a, r2);
	tbl(b, "x", "id int!");
	for (int i = 0; i < 2; i++) {
		model *m = i ? b : a;
		m_view *v = model_add_view(m);
		v->schema = model_str(m, "");
		v->name = model_str(m, "v");
		v->definition = model_str(m, "select 1 AS `a`");
		v->options = i ? model_str(m, "SQL SECURITY INVOKER") : NULL;
	}
	char *sql = diff_sql(a, b);
	assert_string_equal(
	    sql, "ALTER TABLE `x` REMOVE PARTITIONING;\n"
		 "ALTER TABLE `h` PARTITION BY HASH (`id`) PARTITIONS 4;\n"
		 "ALTER TABLE `r` ADD PARTITION (PARTITION `p2` VALUES LESS "
		 "THAN MAXVALUE);\n"
		 "CREATE OR REPLACE SQL SECURITY INVOKER VIEW `v` AS select 1 "
		 "AS `a`;\n");
	free(sql);
	model_free(a);
	model_free(b);
}

/* An AUTO_INCREMENT column takes its key in the same ALTER, both ways;
 * a foreign key over a retyped column is dropped and added again. */
static void test_autoinc_key_and_retyped_fk(void **state)
{
	(void)state;
	model *a = model_new(), *b = model_new();
	tbl(a, "t", "name varchar(5)!");
	m_table *t = tbl(b, "t", "id int!,name varchar(5)!");
	t->columns[0].auto_increment = true;
	m_constraint *pk = model_table_add_constraint(b, t);
	pk->kind = M_CON_PRIMARY;
	pk->name = model_str(b, "PRIMARY");
	pk->definition = model_str(b, "PRIMARY KEY (`id`)");
	*ARENA_PUSH(&b->arena, pk->columns, pk->ncolumns, pk->ccolumns) =
	    model_str(b, "id");
	char *sql = diff_sql(a, b);
	assert_string_equal(sql, "ALTER TABLE `t` ADD COLUMN `id` int NOT NULL "
				 "AUTO_INCREMENT FIRST, ADD PRIMARY KEY "
				 "(`id`);\n");
	free(sql);
	sql = diff_sql(b, a);
	assert_string_equal(sql, "ALTER TABLE `t` MODIFY COLUMN `id` int NOT "
				 "NULL, DROP PRIMARY KEY;\n"
				 "ALTER TABLE `t` DROP COLUMN `id`;\n");
	free(sql);
	model_free(a);
	model_free(b);

	a = model_new();
	b = model_new();
	for (int i = 0; i < 2; i++) {
		model *m = i ? b : a;
		tbl(m, "p", i ? "id bigint!" : "id int!");
		m_table *c = tbl(m, "c", i ? "p_id bigint" : "p_id int");
		m_constraint *k = model_table_add_constraint(m, c);
		k->kind = M_CON_FOREIGN;
		k->name = model_str(m, "c_p");
		k->definition =
		    model_str(m, "FOREIGN KEY (`p_id`) REFERENCES `p` (`id`)");
		*ARENA_PUSH(&m->arena, k->columns, k->ncolumns, k->ccolumns) =
		    model_str(m, "p_id");
		k->ref.schema = model_str(m, "");
		k->ref.name = model_str(m, "p");
		*ARENA_PUSH(&m->arena, k->ref_columns, k->nref_columns,
			    k->cref_columns) = model_str(m, "id");
	}
	sql = diff_sql(a, b);
	assert_string_equal(sql,
			    "ALTER TABLE `c` DROP FOREIGN KEY `c_p`;\n"
			    "ALTER TABLE `c` MODIFY COLUMN `p_id` bigint "
			    "NULL;\n"
			    "ALTER TABLE `p` MODIFY COLUMN `id` bigint NOT "
			    "NULL;\n"
			    "ALTER TABLE `c` ADD CONSTRAINT `c_p` FOREIGN "
			    "KEY (`p_id`) REFERENCES `p` (`id`);\n");
	free(sql);
	model_free(a);
	model_free(b);
}

static void test_quoting(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	my_quote_ident(&sb, "we`ird");
	strbuf_addch(&sb, ' ');
	my_quote_literal(&sb, "o'k");
	strbuf_addch(&sb, ' ');
	my_quote_literal(&sb, "a\\b");
	strbuf_addch(&sb, ' ');
	my_qname(&sb, "other", "t");
	strbuf_addch(&sb, ' ');
	/* A COMMENT takes no hex literal. */
	my_quote_text(&sb, "it's a\\b");
	assert_string_equal(strbuf_str(&sb), "`we``ird` 'o''k' X'615C62' "
					     "`other`.`t` 'it''s a\\\\b'");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equal_models),
	    cmocka_unit_test(test_unnamed_defaults),
	    cmocka_unit_test(test_new_table),
	    cmocka_unit_test(test_columns),
	    cmocka_unit_test(test_keys_order),
	    cmocka_unit_test(test_options_and_kinds),
	    cmocka_unit_test(test_triggers_and_routines),
	    cmocka_unit_test(test_partitioning_and_view_options),
	    cmocka_unit_test(test_autoinc_key_and_retyped_fk),
	    cmocka_unit_test(test_quoting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
