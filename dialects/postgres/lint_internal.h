/*
 * Internals of pg_lint: the state carried from statement to statement
 * and from file to file, shared by dialects/postgres/lint*.c only.
 */
#ifndef SCHEMIG_PG_LINT_INTERNAL_H
#define SCHEMIG_PG_LINT_INTERNAL_H

#include "../../lint/lint.h"
#include "parse_internal.h"

/* Rule catalogue indexes (pg_lint_rules[] in lint.c). */
enum pl_rule {
	R_CONCURRENT_INDEX_CREATION,
	R_CONCURRENT_INDEX_DELETION,
	R_CONCURRENTLY_IN_TRANSACTION,
	R_CONSTRAINT_MISSING_NOT_VALID,
	R_DISALLOWED_UNIQUE_CONSTRAINT,
	R_ADDING_NOT_NULL_FIELD,
	R_ADDING_REQUIRED_FIELD,
	R_ADDING_FIELD_WITH_VOLATILE_DEFAULT,
	R_CHANGING_COLUMN_TYPE,
	R_RENAMING_COLUMN,
	R_RENAMING_TABLE,
	R_BAN_DROP_COLUMN,
	R_BAN_DROP_TABLE,
	R_BAN_TRUNCATE,
	R_BAN_DROP_DATABASE,
	R_REQUIRE_LOCK_TIMEOUT,
	R_PREFER_BIGINT_OVER_INT,
	R_PREFER_IDENTITY,
	R_PREFER_TEXT_FIELD,
	R_PREFER_TIMESTAMPTZ,
	R_BAN_CHAR_FIELD,
	R_REWRITE_COMMANDS,
	R_ENUM_VALUE_IN_TRANSACTION,
	R_ADD_COLUMN_WITH_DEFAULT_OLD_PG,
};

/* Remembered across files (lint_result.state). Keys are
 * "schema.table", "schema.table.column", "schema.index". */
typedef struct pl_state {
	strmap tables;	    /* created in the files -> file number */
	strmap coltypes;    /* column -> malloc'd "varchar(20)" */
	strmap notnull_ok;  /* a validated CHECK (col IS NOT NULL) exists */
	strmap pending;	    /* "schema.table.conname" -> malloc'd column of
			       a NOT VALID CHECK (col IS NOT NULL) */
	strmap new_indexes; /* indexes built on new tables -> 1 */
	int file_no;	    /* 1-based number of the current file */
} pl_state;

/* One file's walk. */
typedef struct pl_ctx {
	lint_result *r;
	pl_state *st;
	const char *sql;
	const char *file;
	int stmt_off; /* byte offset of the current statement's first token */
	int stmt_len; /* its length, up to (not including) the ';' */
	bool in_txn;  /* inside an explicit BEGIN ... COMMIT */
	int txn_line;
	bool lock_timeout;	 /* SET lock_timeout (session) */
	bool lock_timeout_local; /* SET LOCAL in the current transaction */
	/* Cache for offset -> line/column: statements come in order. */
	int pos_off, pos_line, pos_col;
} pl_ctx;

extern const lint_rule pg_lint_rules[];

/* lint.c */
void pl_position(pl_ctx *c, int off, int *line, int *col);
/* A finding at byte offset `off` (< 0: the statement's start). */
void pl_report(pl_ctx *c, enum pl_rule rule, int off, const char *suggestion,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with a level other than the rule's. */
void pl_report_level(pl_ctx *c, enum pl_rule rule, enum lint_level level,
		     int off, const char *suggestion, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* "public.orders": key for the state maps and the name in messages. */
void pl_key(strbuf *sb, const PgQuery__RangeVar *rv, const char *column);
/* The name as written ("orders", "app.orders"), quoted as needed. */
void pl_written(strbuf *sb, const PgQuery__RangeVar *rv);
/* Created earlier in this file (or in any earlier file with
 * one_migration): it holds no rows, and nobody else uses it yet. */
bool pl_table_is_new(pl_ctx *c, const PgQuery__RangeVar *rv);
/* The lock_timeout the statement runs under. */
bool pl_has_lock_timeout(const pl_ctx *c);
/* Deparse a statement node and append it with a ';'. */
void pl_add_stmt(strbuf *sb, const pnode *stmt);
/* A type as "name(mods)", last name component only: "varchar(20)". */
void pl_type_key(strbuf *sb, const PgQuery__TypeName *tn);

/* lint_rules.c: statements that change tables. */
/* The ALTER TABLE `s` with only `cmd`, deparsed, ending in ';'. */
void pl_one_cmd(strbuf *sb, const PgQuery__AlterTableStmt *s,
		PgQuery__AlterTableCmd *cmd);
void pl_create_table(pl_ctx *c, const PgQuery__CreateStmt *s);
/* lint_stmts.c: the rules of one statement (any kind). */
void pl_stmt(pl_ctx *c, pnode *n);
void pl_alter_table(pl_ctx *c, PgQuery__AlterTableStmt *s);
/* lint_columns.c: column rules shared by CREATE TABLE and ADD COLUMN. */
void pl_column_style(pl_ctx *c, const PgQuery__ColumnDef *cd);
void pl_add_column(pl_ctx *c, PgQuery__AlterTableStmt *s,
		   PgQuery__AlterTableCmd *cmd);
void pl_alter_type(pl_ctx *c, const PgQuery__AlterTableStmt *s,
		   const PgQuery__AlterTableCmd *cmd);
/* True when the expression calls a function that is volatile. */
bool pl_is_volatile(const pnode *expr, const char **fname);

#endif
