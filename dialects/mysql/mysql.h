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
 *    " zerofill" (which implies unsigned): "int unsigned zerofill";
 *  - "decimal(p,s)" (numeric, dec, fixed; decimal alone is
 *    "decimal(10,0)", decimal(p) is "decimal(p,0)"), "float", "double"
 *    (real, double precision), "float(p)" as the server keeps it: p <= 24
 *    "float", else "double"; " unsigned" as for integers;
 *  - "char(n)" (char alone "char(1)"), "varchar(n)", "binary(n)",
 *    "varbinary(n)", "tinytext", "text", "mediumtext", "longtext", the
 *    blobs likewise, "bit(n)" (bit alone "bit(1)"), "year";
 *  - "date", "time", "datetime", "timestamp", with the fraction digits
 *    when not 0: "datetime(3)";
 *  - "enum('a','b')" and "set('a','b')": values in single quotes, a
 *    quote doubled, no spaces;
 *  - "json"; anything else lower-cased as written.
 *
 * Columns: m_column.collation holds a COLLATE (lower case) only when it
 * differs from the table's default collation; m_column.charset likewise
 * for CHARACTER SET (a collation implies its charset: only the collation
 * is kept then). default_expr: NULL for none and for DEFAULT NULL; a
 * string literal as a single-quoted literal ('abc', '' for empty); a
 * number as the digits the server keeps for the type ('5' on an int
 * column is "5"); current_timestamp, now(), localtime and their
 * spellings as "current_timestamp()" or "current_timestamp(n)"; any
 * other expression in parentheses as the server prints it. on_update
 * as the CURRENT_TIMESTAMP default. AUTO_INCREMENT sets auto_increment
 * (and NOT NULL, as the server does).
 *
 * Tables: engine, charset and collation as SHOW CREATE TABLE shows them
 * ("InnoDB", "utf8mb4", "utf8mb4_general_ci"); the table's AUTO_INCREMENT
 * counter is data, not schema, and is not kept.
 *
 * Keys: the primary key is a constraint (M_CON_PRIMARY, name "PRIMARY",
 * definition "PRIMARY KEY (`a`,`b`)"); unique, plain, FULLTEXT and
 * SPATIAL keys are indexes (m_index), definition
 * "CREATE [UNIQUE |FULLTEXT |SPATIAL ]INDEX `name` ON `table` (`a`,`b`(10)
 * DESC)" (the table unqualified when its schema is ""), an unnamed key named as
 * the server names it (its first column, then _2, _3... on a clash). Foreign
 * keys are constraints: "FOREIGN KEY (`a`) REFERENCES `t` (`id`) ON DELETE
 * CASCADE" (actions only when not RESTRICT / NO ACTION), with the index the
 * server adds for them when none fits listed as an index. CHECK constraints:
 * "CHECK (expr)" as the server prints the expression.
 */
#ifndef SCHEMIG_MYSQL_H
#define SCHEMIG_MYSQL_H

#include "../../schema/diff.h"
#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"

/* `ident` in backticks, a backtick doubled. */
void my_quote_ident(strbuf *sb, const char *ident);
/* `s` as a single-quoted string literal: quote and backslash doubled
 * (safe whatever sql_mode's NO_BACKSLASH_ESCAPES says). */
void my_quote_literal(strbuf *sb, const char *s);

/* MySQL's own kinds of change (after schema/diff.h's neutral ones). */
enum my_change_kind {
	MYC_MODIFY_COLUMN = CHANGE_DIALECT_BASE, /* MODIFY COLUMN: type,
						    null, default, ... */
	MYC_MOVE_COLUMN,	 /* MODIFY COLUMN ... AFTER: the order */
	MYC_ALTER_TABLE_OPTIONS, /* ENGINE, charset, row format, comment */
};

/* Stable names of every kind, neutral or MySQL's; NULL for none. */
const char *my_change_kind_name(int kind);
/* What diff_stmt.before/after point at for a kind. */
int my_change_object_kind(int kind);

/* render.c: DDL text from the model. */
void my_qname(strbuf *sb, const char *schema, const char *name);
void my_column_sql(strbuf *sb, const m_column *c);
/* The same, with CHARACTER SET `charset` and COLLATE `collation` said
 * for a textual column that has neither of its own (NULL: not said): a
 * column changed before its table's default changes, which it must end
 * up with. */
void my_column_sql_in(strbuf *sb, const m_column *c, const char *charset,
		      const char *collation);
/* A type that has a character set and a collation ("varchar(10)"). */
bool my_type_has_collation(const char *type);
void my_constraint_sql(strbuf *sb, const m_constraint *k);
void my_table_options_sql(strbuf *sb, const m_table *t);
void my_table_create_sql(strbuf *sb, const model *m, const m_table *t);

/* diff.c: the statements that turn `from` into `to`. */
/* "ALTER TABLE t ENGINE=..." for the options of table b that differ
 * from a's, appended to `out`; 0 (nothing appended) when none do. */
int my_table_options_change_sql(strbuf *out, const m_table *a,
				const m_table *b);
int my_diff_models(const model *from, const model *to, diff_result *out,
		   error *e);

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

#endif
