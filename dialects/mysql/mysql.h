/*
 * MySQL 8 and MariaDB 10.6+ (dialects/mysql/): the entry points the
 * dialect table names, and the canonical forms the parser and the
 * introspection both produce, so that equal schemas give equal models.
 *
 * Names. A MySQL schema is a database. The objects of the database a
 * URL names, and the unqualified objects of a file, have the schema ""
 * (empty, never NULL): a plan made against `shop` runs as well against
 * `shop_staging`. An object qualified with another database keeps that
 * database's name. Names are kept as written (case preserved); the
 * dialect quotes them with backticks.
 *
 * Types (m_column.type), lower case, one space between words:
 *  - integers without display width: "tinyint", "smallint", "mediumint",
 *    "int", "bigint" (int(11), integer, int4 all "int"), except
 *    "tinyint(1)", which clients read as a boolean and MySQL 8 keeps
 *    (bool and boolean are "tinyint(1)"); then " unsigned", then
 *    " zerofill" (which implies unsigned), which keeps the display
 *    width, the server's default when none is written:
 *    "int(10) unsigned zerofill";
 *  - "decimal(p,s)" (numeric, dec, fixed; decimal alone is
 *    "decimal(10,0)", decimal(p) is "decimal(p,0)"), "float", "double"
 *    (real, double precision), "float(p)" as the server keeps it: p <= 24
 *    "float", else "double"; " unsigned" as for integers;
 *  - "char(n)" (char alone "char(1)"), "varchar(n)", "binary(n)",
 *    "varbinary(n)", "tinytext", "text", "mediumtext", "longtext", the
 *    blobs likewise, "bit(n)" (bit alone "bit(1)"), "year" (MariaDB
 *    prints year(4));
 *  - "date", "time", "datetime", "timestamp", with the fraction digits
 *    when not 0: "datetime(3)";
 *  - "enum('a','b')" and "set('a','b')": values in single quotes, a
 *    quote doubled, no spaces;
 *  - "json"; anything else lower-cased as written.
 *
 * Columns: m_column.collation and m_column.charset are both NULL when
 * the column's collation is the table's default collation. Otherwise,
 * when the column's collation is its charset's default collation (what
 * CHARACTER SET x alone gives, e.g. latin1_swedish_ci), only charset is
 * kept ("latin1"), even when it is the table's charset (a utf8mb4_bin
 * table's column declared CHARACTER SET utf8mb4 gets utf8mb4_general_ci
 * on MariaDB 10.11); any other collation is kept as the collation alone
 * (it names its charset). default_expr: NULL for none and for DEFAULT
 * NULL; a string literal single-quoted as SHOW CREATE TABLE prints it: a
 * quote doubled, a backslash as \\, a newline \n, a carriage return \r,
 * Ctrl-Z \Z, anything else (tab included) as is ('abc', '' for empty);
 * a number as the digits the server keeps for the type ('5' on an int
 * column is "5", 1.5 on a decimal(6,2) column "1.50", TRUE is "1"); a bit
 * literal as b'101'; a binary string's default as a string literal when
 * its bytes are printable ASCII, else in hex, X'00ff';
 * current_timestamp, now(), localtime and their
 * spellings as "current_timestamp()" or "current_timestamp(n)"; any
 * other expression in parentheses as the server prints it, one pair
 * only: "(1 + 2)", "(rand())". on_update as the CURRENT_TIMESTAMP
 * default. AUTO_INCREMENT sets auto_increment (and NOT NULL, as the
 * server does). A generated column has generated_expr (the expression
 * as INFORMATION_SCHEMA prints it, no outer parentheses on MariaDB:
 * "`a` * 2"), gen_virtual for VIRTUAL, and no default. MariaDB's JSON
 * (stored as longtext utf8mb4_bin with a CHECK json_valid(`col`) named
 * after the column) reads as type "json", without that collation and
 * without that CHECK, as MySQL's native JSON.
 *
 * Tables: engine, charset and collation as SHOW CREATE TABLE shows them
 * ("InnoDB", "utf8mb4", "utf8mb4_general_ci"); row_format only when
 * declared and not DEFAULT, upper case ("COMPACT"); key_block_size
 * when declared and not 0 ("8"); the table's
 * AUTO_INCREMENT counter is data, not schema, and is not kept.
 * partitioning: "PARTITION BY RANGE (`id`) (PARTITION `p0` VALUES LESS
 * THAN (10),PARTITION `p1` VALUES LESS THAN MAXVALUE)" (LIST: "VALUES IN
 * (1,2)"; RANGE COLUMNS / LIST COLUMNS the same with the column list);
 * HASH and KEY (LINEAR too) by count: "PARTITION BY HASH (`id`)
 * PARTITIONS 4"; subpartitions "SUBPARTITION BY HASH (`a`)
 * SUBPARTITIONS 2" after the key, before the list; the expression as
 * INFORMATION_SCHEMA.PARTITIONS prints it.
 *
 * Keys: the primary key is a constraint (M_CON_PRIMARY, name "PRIMARY",
 * definition "PRIMARY KEY (`a`,`b`)"); unique, plain, FULLTEXT and
 * SPATIAL keys are indexes (m_index), definition
 * "CREATE [UNIQUE |FULLTEXT |SPATIAL ]INDEX `name` ON `table` (`a`,`b`(10)
 * DESC)" (the table unqualified when its schema is ""; " IGNORED"
 * (MariaDB) or " INVISIBLE" (MySQL) after it for a key the optimizer must
 * not use, then " COMMENT 'text'" for a key's comment; a functional part,
 * MySQL 8, as "(expr)"; a SPATIAL part never has a length, though MariaDB
 * reports SUB_PART 32), an unnamed key named as the server names it (its
 * first column, then _2, _3... on a clash). Foreign keys are constraints:
 * "FOREIGN KEY (`a`) REFERENCES `t` (`id`) ON DELETE CASCADE ON UPDATE
 * SET NULL" (ON DELETE before ON UPDATE; actions only when not RESTRICT /
 * NO ACTION; the referenced table qualified, `db`.`t`, only in another
 * database, when m_constraint.ref.schema names it), an unnamed one named
 * as the server names it (table_ibfk_1, _2...), with the index the server
 * adds for them when none fits listed as an index (named as the
 * constraint when that was named, else after its first column). CHECK
 * constraints: "CHECK (expr)" as INFORMATION_SCHEMA.CHECK_CONSTRAINTS
 * prints the expression (MariaDB "`a` > 0", MySQL 8 "(`a` > 0)", so
 * "CHECK ((`a` > 0))" there), " NOT ENFORCED" after it on MySQL when so;
 * an unnamed one named as the server names it: MariaDB a column-level
 * CHECK after its column (and m_constraint.columns lists that column:
 * it is written in the column's definition, which a MODIFY COLUMN
 * replaces, and DROP CONSTRAINT cannot drop it), a table-level one
 * CONSTRAINT_1, _2... (per table); MySQL table_chk_1, _2....
 *
 * Views: definition is the query as INFORMATION_SCHEMA.VIEWS prints it,
 * with the view's own database's qualification (`db`.) taken out (names
 * of other databases stay); check_option "local" / "cascaded" / NULL;
 * options the non-default ones, "ALGORITHM=MERGE SQL SECURITY INVOKER"
 * (ALGORITHM only on MariaDB, which shows it). Triggers: "CREATE TRIGGER
 * `tr` BEFORE INSERT ON `t` FOR EACH ROW [FOLLOWS `other` ]body", FOLLOWS
 * naming the trigger of the same timing and event that fires just
 * before; the body as written; enabled 0. Routines (m_function): the key
 * is name and kind ('f' function, 'p' procedure), identity_args "";
 * signature "`a` int, `b` varchar(5)" (procedures "IN `a` int, OUT `b`
 * int"), types canonical; result the canonical return type; attributes
 * the non-default ones in this order: "DETERMINISTIC", the data access
 * other than CONTAINS SQL ("READS SQL DATA"), "SQL SECURITY INVOKER",
 * "COMMENT 'text'"; body ROUTINE_DEFINITION verbatim; definition
 * "CREATE FUNCTION `f`(signature) RETURNS type[ attributes] body". The
 * DEFINER of views, triggers and routines is not kept.
 */
#ifndef SCHEMIG_MYSQL_H
#define SCHEMIG_MYSQL_H

#include "../../lint/lint.h"
#include "../../schema/diff.h"
#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"

/* `ident` in backticks, a backtick doubled. */
void my_quote_ident(strbuf *sb, const char *ident);
/* `s` as a single-quoted string literal: quote and backslash doubled
 * (safe whatever sql_mode's NO_BACKSLASH_ESCAPES says). */
void my_quote_literal(strbuf *sb, const char *s);
/* `s` as a text literal for a COMMENT (which cannot be hex) or a
 * default: quote doubled, a backslash escaped (the default sql_mode's
 * reading). */
void my_quote_text(strbuf *sb, const char *s);

/* MySQL's own kinds of change (after schema/diff.h's neutral ones). */
enum my_change_kind {
	MYC_MODIFY_COLUMN = CHANGE_DIALECT_BASE, /* MODIFY COLUMN: type,
						    null, default, ... */
	MYC_MOVE_COLUMN,	 /* MODIFY COLUMN ... AFTER: the order */
	MYC_ALTER_TABLE_OPTIONS, /* ENGINE, charset, row format, comment */
	MYC_ALTER_PARTITIONING,	 /* PARTITION BY / ADD PARTITION / REMOVE
				    PARTITIONING */
};

/* Stable names of every kind, neutral or MySQL's; NULL for none. */
const char *my_change_kind_name(int kind);
/* What diff_stmt.before/after point at for a kind. */
int my_change_object_kind(int kind);

/* render.c: DDL text from the model. */
void my_qname(strbuf *sb, const char *schema, const char *name);
void my_column_sql(strbuf *sb, const m_column *c);
/* Column `col`'s own CHECK in table t (MariaDB's column-level one), or
 * NULL. */
const m_constraint *my_column_check(const m_table *t, const char *col);
/* The same, with CHARACTER SET `charset` and COLLATE `collation` said
 * for a textual column that has neither of its own (NULL: not said): a
 * column changed before its table's default changes, which it must end
 * up with. */
void my_column_sql_in(strbuf *sb, const m_column *c, const char *charset,
		      const char *collation);
/* A type that has a character set and a collation ("varchar(10)"). */
bool my_type_has_collation(const char *type);
void my_constraint_sql(strbuf *sb, const m_constraint *k);
/* An index as a CREATE TABLE or ADD element: "UNIQUE KEY `i` (`a`)". */
void my_index_element_sql(strbuf *sb, const m_index *x);
void my_table_options_sql(strbuf *sb, const m_table *t);
void my_table_create_sql(strbuf *sb, const model *m, const m_table *t);
/* "CREATE [OR REPLACE ][ALGORITHM=.. SQL SECURITY ..] VIEW `v` AS ..." */
void my_view_create_sql(strbuf *sb, const m_view *v, bool replace);
/* DROP FUNCTION / PROCEDURE / TRIGGER for the object. */
void my_routine_drop_sql(strbuf *sb, const m_function *f);
void my_trigger_drop_sql(strbuf *sb, const m_trigger *t);

/* diff.c: the statements that turn `from` into `to`. */
/* "ALTER TABLE t ENGINE=..." for the options of table b that differ
 * from a's, appended to `out`; 0 (nothing appended) when none do. */
int my_table_options_change_sql(strbuf *out, const m_table *a,
				const m_table *b);
int my_diff_models(const model *from, const model *to, diff_result *out,
		   error *e);
/* "ALTER TABLE t PARTITION BY ..." (or ADD PARTITION, REMOVE
 * PARTITIONING) taking a's partitioning to b's, appended to `out`; 0
 * (nothing appended) when they are the same. */
int my_partitioning_change_sql(strbuf *out, const m_table *a, const m_table *b);

/* Read the live schema of the URL's database (mysql:// or mariadb://,
 * see conn.h) into `m`, in the canonical forms above, sorted. */
int my_introspect(model *m, const char *url, error *e);

/* Canonical spellings (canon.c), for the introspection and the parser:
 * a column type as written or as COLUMN_TYPE prints it ("INT(11)
 * UNSIGNED" -> "int unsigned"); a string as a default's literal; a
 * default as COLUMN_DEFAULT prints it (`mariadb`: MariaDB's SQL form;
 * else MySQL's bare value, `expression` when EXTRA says
 * DEFAULT_GENERATED), for a column of canonical `type`. Nothing is
 * added for no default and DEFAULT NULL. */
void my_canon_type(strbuf *out, const char *type);
/* A binary string type (binary, varbinary, the blobs). */
bool my_type_is_binary(const char *type);
/* A binary string's value as a default's literal: 'abc' when every byte
 * is printable ASCII, else X'0a00ff' (as MariaDB prints a BLOB's). */
void my_canon_bytes(strbuf *out, const char *bytes, size_t n);
/* The display width the server gives a ZEROFILL integer type without
 * one ("int": 10); 0 for a type that is not an integer. */
int my_zerofill_width(const char *int_type);
void my_canon_string(strbuf *out, const char *s);
void my_canon_default(strbuf *out, const char *value, const char *type,
		      bool mariadb, bool expression);

/* plan.c: the plan (dialect->plan) and a step's envelope. */
struct plan;
struct plan_settings;
struct plan_step;
struct dialect_envelope;
int my_plan(model *from, const model *to, const char *from_url, struct plan *p,
	    error *e);
/* plan_checks.c: run the plan's data checks on the live source. */
int my_plan_check_data(const char *url, struct plan *p, error *e);
int my_step_envelope(const struct plan_settings *st, const struct plan_step *s,
		     bool rollback, struct dialect_envelope *out, error *e);

/* lint.c: hazards in a hand-written migration (dialect->lint), read
 * with the parser's lexer and helpers; never runs SQL. Errors name
 * filename:line:column. */
int my_lint(const char *sql, const char *filename, lint_result *out, error *e);
extern const lint_rule my_lint_rules[];

/*
 * Parse MySQL/MariaDB DDL (a hand-written file or mysqldump /
 * mariadb-dump output) into `m`, in the canonical forms above. Errors
 * name filename:line:column.
 */
int my_parse(model *m, const char *sql, const char *filename, error *e);

/* view_deps.c: fill each view's deps (m_view.deps) with the tables
 * and views of its database that its query names. */
void my_view_deps(model *m);

/* split.c: where each statement of a script is: bytes [start, end) of
 * the text, without its delimiter, and the line it starts on. */
typedef struct my_span {
	size_t start, end;
	int line;
} my_span;
/* The statements of `sql` in *out (caller frees), *n of them; a text
 * the lexer refuses fails with "filename:line:column: message". */
int my_split(const char *sql, const char *filename, my_span **out, int *n,
	     error *e);

#endif
