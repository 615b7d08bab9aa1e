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
 *    "int", "bigint" (int(11), integer, int4 all "int"; bool and boolean
 *    "tinyint"); then " unsigned", then " zerofill" (which implies
 *    unsigned): "int unsigned zerofill";
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

#include "../../schema/model.h"
#include "../../util/error.h"
#include "../../util/strbuf.h"

/* `ident` in backticks, a backtick doubled. */
void my_quote_ident(strbuf *sb, const char *ident);
/* `s` as a single-quoted string literal: quote and backslash doubled
 * (safe whatever sql_mode's NO_BACKSLASH_ESCAPES says). */
void my_quote_literal(strbuf *sb, const char *s);

/*
 * Parse MySQL/MariaDB DDL (a hand-written file or mysqldump /
 * mariadb-dump output) into `m`, in the canonical forms above. Errors
 * name filename:line:column.
 */
int my_parse(model *m, const char *sql, const char *filename, error *e);

#endif
