/*
 * Internals of my_lint (dialects/mysql/lint*.c): the rule catalogue's
 * indexes, the state remembered from file to file and one file's walk,
 * which reads the statements with the dialect's own parser (lex.c and
 * the parse*.c helpers) and never runs SQL.
 */
#ifndef SCHEMIG_MY_LINT_INTERNAL_H
#define SCHEMIG_MY_LINT_INTERNAL_H

#include "../../lint/lint.h"
#include "../../util/strmap.h"
#include "parse_internal.h"

/* Rule catalogue indexes (my_lint_rules[] in lint.c). */
enum ml_rule {
	ML_REQUIRE_ALGORITHM_LOCK,
	ML_COPYING_TYPE_CHANGE,
	ML_ADDING_FOREIGN_KEY,
	ML_BAN_DROP_COLUMN,
	ML_BAN_DROP_TABLE,
	ML_AUTO_INCREMENT_EXHAUSTION,
	ML_RENAMING_COLUMN,
	ML_RENAMING_TABLE,
	ML_ADDING_REQUIRED_FIELD,
	ML_ADDING_UNIQUE_KEY,
	ML_REBUILD_COMMANDS,
	ML_LOCK_BLOCKS_WRITES,
	ML_REQUIRE_LOCK_WAIT_TIMEOUT,
	ML_BAN_TRUNCATE,
	ML_BAN_DROP_DATABASE,
};

extern const lint_rule my_lint_rules[];

/* Remembered across files (lint_result.state). Keys: a table as
 * my_qname writes it ("`t`", "`db`.`t`"); a column is the table's key,
 * a dot and the column's name in lower case (MySQL compares column
 * names without case). */
typedef struct ml_state {
	strmap tables;	 /* created in the files -> file number */
	strmap coltypes; /* column -> malloc'd "MB:NN:type"
			    ("4:1:varchar(20)"): the bytes per character of
			    its charset, 1 when NOT NULL, the type */
	int file_no;	 /* 1-based number of the current file */
} ml_state;

/* One file's walk: the parser's context over the file's tokens. */
typedef struct ml_ctx {
	my_ctx p;
	lint_result *r;
	ml_state *st;
	bool lock_wait_timeout; /* SET [SESSION] lock_wait_timeout = n */
	bool fk_checks_off;	/* SET [SESSION] foreign_key_checks = 0 */
} ml_ctx;

/* lint.c */
void ml_report(ml_ctx *c, enum ml_rule rule, enum lint_level level,
	       const my_tok *at, const char *suggestion, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The key (and the name in messages) of a table. */
void ml_table_key(strbuf *sb, const char *schema, const char *name);
void ml_column_key(strbuf *sb, const char *schema, const char *table,
		   const char *column);
/* Created earlier in this file (or in any earlier file with
 * one_migration): it holds no rows, and nobody else uses it yet. */
bool ml_table_is_new(ml_ctx *c, const char *schema, const char *name);
/* Remember a column's type and the bytes per character its charset
 * takes (ml_charset_mb), or forget it. */
void ml_set_coltype(ml_ctx *c, const char *schema, const char *table,
		    const m_column *col, int mb);
void ml_forget_column(ml_ctx *c, const char *schema, const char *table,
		      const char *column);
/* Move a table's entries (the table and its columns) to a new name. */
void ml_rename_table(ml_ctx *c, const char *schema, const char *name,
		     const char *nschema, const char *nname);
/* An AUTO_INCREMENT column of a small integer type. */
void ml_auto_increment(ml_ctx *c, const my_tok *at, const char *table_key,
		       const m_column *col);
/* The statement from token `from` to its end, as written. */
void ml_stmt_text(ml_ctx *c, int from, strbuf *sb);
/* require_lock_wait_timeout for a statement locking `obj`. */
void ml_lock_wait_check(ml_ctx *c, const my_tok *at, const char *what,
			const char *obj);

/* lint_alter.c */
/* ALTER [ONLINE] TABLE: `online` (MariaDB) is LOCK=NONE. */
int ml_alter_table(ml_ctx *c, int start, bool online);
/* Why changing a column from `old` ("MB:NN:type") to `type` copies the
 * table, or NULL when the server changes it in place. */
const char *ml_copy_reason(const char *old, const char *type, int mb,
			   strbuf *why);
/* Bytes per character of a charset (or a collation's charset); 4, as
 * utf8mb4, when unknown. */
int ml_charset_mb(const char *charset, const char *collation);

#endif
