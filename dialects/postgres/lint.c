/*
 * pg_lint: hazards in hand-written PostgreSQL migrations, read through
 * libpg_query's protobuf tree (no server). This file holds the rule
 * catalogue, findings and positions, the state remembered across files
 * and the statement loop; lint_stmts.c holds the statements that are not
 * ALTER TABLE, lint_rules.c and lint_columns.c the rest.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../plan/plan.h"
#include "../../util/xalloc.h"
#include "lint_internal.h"
#include "parse_tree.h"
#include "pg.h"

#define AE HZ_ACCESS_EXCLUSIVE_LOCK
const lint_rule pg_lint_rules[] = {
    [R_CONCURRENT_INDEX_CREATION] =
	{"require_concurrent_index_creation", LINT_ERROR,
	 HZ_BLOCKS_WRITES | HZ_INDEX_BUILD,
	 "CREATE INDEX on an existing table without CONCURRENTLY blocks "
	 "writes for the whole build"},
    [R_CONCURRENT_INDEX_DELETION] =
	{"require_concurrent_index_deletion", LINT_ERROR, AE,
	 "DROP INDEX without CONCURRENTLY locks the table against reads and "
	 "writes"},
    [R_CONCURRENTLY_IN_TRANSACTION] =
	{"concurrently_in_transaction", LINT_ERROR, HZ_NOT_TRANSACTIONAL,
	 "CONCURRENTLY inside BEGIN ... COMMIT fails"},
    [R_CONSTRAINT_MISSING_NOT_VALID] =
	{"constraint_missing_not_valid", LINT_ERROR,
	 AE | HZ_BLOCKS_WRITES | HZ_TABLE_SCAN,
	 "ADD FOREIGN KEY / CHECK without NOT VALID scans the table under a "
	 "lock (a foreign key locks both tables against writes)"},
    [R_DISALLOWED_UNIQUE_CONSTRAINT] =
	{"disallowed_unique_constraint", LINT_ERROR, AE | HZ_INDEX_BUILD,
	 "ADD UNIQUE / PRIMARY KEY builds its index under ACCESS EXCLUSIVE; "
	 "build it concurrently and add the constraint USING INDEX"},
    [R_ADDING_NOT_NULL_FIELD] =
	{"adding_not_null_field", LINT_ERROR, AE | HZ_TABLE_SCAN,
	 "SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a "
	 "validated CHECK (col IS NOT NULL) exists"},
    [R_ADDING_REQUIRED_FIELD] =
	{"adding_required_field", LINT_ERROR, AE | HZ_BREAKS_OLD_CODE,
	 "ADD COLUMN ... NOT NULL without DEFAULT fails on a table with rows "
	 "and breaks inserts of the deployed code"},
    [R_ADDING_FIELD_WITH_VOLATILE_DEFAULT] =
	{"adding_field_with_volatile_default", LINT_ERROR,
	 AE | HZ_TABLE_REWRITE,
	 "ADD COLUMN with a volatile default, serial, identity or stored "
	 "generated column rewrites the table"},
    [R_CHANGING_COLUMN_TYPE] =
	{"changing_column_type", LINT_ERROR, AE | HZ_TABLE_REWRITE,
	 "ALTER COLUMN TYPE rewrites the table and its indexes unless the "
	 "change is binary-coercible"},
    [R_RENAMING_COLUMN] = {"renaming_column", LINT_ERROR, HZ_BREAKS_OLD_CODE,
			   "RENAME COLUMN breaks the deployed code that uses "
			   "the old name"},
    [R_RENAMING_TABLE] = {"renaming_table", LINT_ERROR, HZ_BREAKS_OLD_CODE,
			  "RENAME TO breaks the deployed code that uses the "
			  "old name"},
    [R_BAN_DROP_COLUMN] = {"ban_drop_column", LINT_ERROR,
			   HZ_DELETES_DATA | HZ_IRREVERSIBLE |
			       HZ_BREAKS_OLD_CODE,
			   "DROP COLUMN deletes data and breaks code that "
			   "still reads the column"},
    [R_BAN_DROP_TABLE] = {"ban_drop_table", LINT_ERROR,
			  HZ_DELETES_DATA | HZ_IRREVERSIBLE |
			      HZ_BREAKS_OLD_CODE,
			  "DROP TABLE deletes data"},
    [R_BAN_TRUNCATE] = {"ban_truncate", LINT_ERROR,
			HZ_DELETES_DATA | HZ_IRREVERSIBLE | AE,
			"TRUNCATE deletes every row"},
    [R_BAN_DROP_DATABASE] = {"ban_drop_database", LINT_ERROR,
			     HZ_DELETES_DATA | HZ_IRREVERSIBLE,
			     "DROP DATABASE deletes a whole database"},
    [R_REQUIRE_LOCK_TIMEOUT] =
	{"require_lock_timeout", LINT_WARNING, AE | HZ_BLOCKS_WRITES,
	 "a statement locking an existing table runs without lock_timeout: "
	 "while it waits, every later query waits behind it"},
    [R_PREFER_BIGINT_OVER_INT] = {"prefer_bigint_over_int", LINT_WARNING, 0,
				  "integer / smallint (and serial) columns "
				  "can run out of values; use bigint"},
    [R_PREFER_IDENTITY] = {"prefer_identity", LINT_WARNING, 0,
			   "serial types: prefer GENERATED ... AS IDENTITY"},
    [R_PREFER_TEXT_FIELD] = {"prefer_text_field", LINT_WARNING, 0,
			     "varchar(n): changing n later can rewrite the "
			     "table; prefer text with a CHECK"},
    [R_PREFER_TIMESTAMPTZ] = {"prefer_timestamptz", LINT_WARNING, 0,
			      "timestamp without time zone: prefer "
			      "timestamptz"},
    [R_BAN_CHAR_FIELD] = {"ban_char_field", LINT_WARNING, 0,
			  "char(n) pads with blanks; use text or varchar"},
    [R_REWRITE_COMMANDS] =
	{"rewrite_commands", LINT_ERROR, AE | HZ_TABLE_REWRITE,
	 "VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY, SET "
	 "TABLESPACE / LOGGED / UNLOGGED / ACCESS METHOD rewrite under "
	 "ACCESS EXCLUSIVE"},
    [R_ENUM_VALUE_IN_TRANSACTION] =
	{"enum_value_in_transaction", LINT_ERROR, HZ_NOT_TRANSACTIONAL,
	 "ALTER TYPE ... ADD VALUE inside a transaction fails before "
	 "PostgreSQL 12, and the value is unusable until COMMIT after"},
    [R_ADD_COLUMN_WITH_DEFAULT_OLD_PG] =
	{"add_column_with_default_old_pg", LINT_ERROR, AE | HZ_TABLE_REWRITE,
	 "before PostgreSQL 11, ADD COLUMN with any DEFAULT rewrites the "
	 "table"},
    {NULL, LINT_WARNING, 0, NULL},
};
#undef AE

/* ---- positions and reports ------------------------------------------ */

void pl_position(pl_ctx *c, int off, int *line, int *col)
{
	if (off < c->pos_off) {
		c->pos_off = 0;
		c->pos_line = 1;
		c->pos_col = 1;
	}
	int i = c->pos_off;
	for (; i < off && c->sql[i]; i++) {
		if (c->sql[i] == '\n') {
			c->pos_line++;
			c->pos_col = 1;
		} else if (((unsigned char)c->sql[i] & 0xC0) != 0x80) {
			/* Columns count characters, like the server. */
			c->pos_col++;
		}
	}
	c->pos_off = i;
	*line = c->pos_line;
	*col = c->pos_col;
}

static void report_v(pl_ctx *c, enum pl_rule rule, enum lint_level level,
		     int off, const char *suggestion, const char *fmt,
		     va_list ap)
{
	int line, col;
	/* A location before the statement (0 for "absent") is no use. */
	if (off < c->stmt_off)
		off = c->stmt_off;
	pl_position(c, off, &line, &col);
	strbuf msg = STRBUF_INIT;
	strbuf_vaddf(&msg, fmt, ap);
	lint_add(c->r, &pg_lint_rules[rule], level, c->file, line, col,
		 suggestion, "%s", msg.buf);
	strbuf_release(&msg);
}

void pl_report(pl_ctx *c, enum pl_rule rule, int off, const char *suggestion,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(c, rule, pg_lint_rules[rule].level, off, suggestion, fmt, ap);
	va_end(ap);
}

void pl_report_level(pl_ctx *c, enum pl_rule rule, enum lint_level level,
		     int off, const char *suggestion, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report_v(c, rule, level, off, suggestion, fmt, ap);
	va_end(ap);
}

/* ---- names and state ------------------------------------------------ */

void pl_key(strbuf *sb, const PgQuery__RangeVar *rv, const char *column)
{
	pg_quote_qualified(sb, pp_rv_schema(rv), rv->relname);
	if (column) {
		strbuf_addch(sb, '.');
		pg_quote_ident(sb, column);
	}
}

void pl_written(strbuf *sb, const PgQuery__RangeVar *rv)
{
	pg_quote_qualified(sb, PP_STR(rv->schemaname), rv->relname);
}

bool pl_table_is_new(pl_ctx *c, const PgQuery__RangeVar *rv)
{
	strbuf k = STRBUF_INIT;
	intptr_t file_no = 0;
	pl_key(&k, rv, NULL);
	bool found = strmap_get_int(&c->st->tables, k.buf, &file_no);
	strbuf_release(&k);
	return found && (c->r->one_migration || file_no == c->st->file_no);
}

bool pl_has_lock_timeout(const pl_ctx *c)
{
	return c->lock_timeout || (c->in_txn && c->lock_timeout_local);
}

void pl_add_stmt(strbuf *sb, const pnode *stmt)
{
	char *s = pp_deparse_stmt(stmt);
	strbuf_adds(sb, s ? s : "?");
	strbuf_addch(sb, ';');
	free(s);
}

void pl_type_key(strbuf *sb, const PgQuery__TypeName *tn)
{
	const char *name =
	    tn->n_names ? pp_sval(tn->names[tn->n_names - 1]) : NULL;
	strbuf_adds(sb, name ? name : "?");
	if (tn->n_typmods) {
		strbuf_addch(sb, '(');
		for (size_t i = 0; i < tn->n_typmods; i++) {
			const pnode *m = tn->typmods[i];
			if (i)
				strbuf_addch(sb, ',');
			if (m->node_case == NC(A_CONST) &&
			    m->a_const->val_case ==
				PG_QUERY__A__CONST__VAL_IVAL)
				strbuf_addf(sb, "%d", m->a_const->ival->ival);
			else
				strbuf_addch(sb, '?');
		}
		strbuf_addch(sb, ')');
	}
	if (tn->n_array_bounds)
		strbuf_adds(sb, "[]");
}

static void free_values(strmap *m)
{
	size_t pos = 0;
	strmap_entry *en;
	while ((en = strmap_next(m, &pos)))
		free(en->value);
	strmap_release(m);
}

static void state_free(void *p)
{
	pl_state *st = p;
	strmap_release(&st->tables);
	free_values(&st->coltypes);
	strmap_release(&st->notnull_ok);
	free_values(&st->pending);
	strmap_release(&st->new_indexes);
	free(st);
}

/* ---- the loop ------------------------------------------------------- */

/* Runs on pg_parse_tree's thread: every walk over the tree must. */
static int lint_stmts(const PgQuery__ParseResult *tree, arena *tree_arena,
		      void *arg, error *e)
{
	(void)tree_arena;
	(void)e;
	pl_ctx *c = arg;
	for (size_t i = 0; i < tree->n_stmts; i++) {
		const PgQuery__RawStmt *rs = tree->stmts[i];
		if (!rs->stmt)
			continue;
		c->stmt_off = pp_skip_space(c->sql, rs->stmt_location);
		c->stmt_len = rs->stmt_len;
		pl_stmt(c, rs->stmt);
	}
	return 0;
}

int pg_lint(const char *sql, const char *filename, lint_result *out, error *e)
{
	if (!out->state) {
		out->state = xcalloc(1, sizeof(pl_state));
		out->state_free = state_free;
	}
	pl_state *st = out->state;
	st->file_no++;
	out->nfiles++;

	/* psql meta-commands (\set, \connect) are not SQL; blanking them
	 * keeps every offset, so positions stay right. */
	char *text = pg_blank_meta_commands(sql);
	pl_ctx c = {.r = out,
		    .st = st,
		    .sql = text,
		    .file = filename ? filename : "<input>",
		    .pos_line = 1,
		    .pos_col = 1};
	int ret = pg_parse_tree(text, c.file, lint_stmts, &c, e);
	free(text);
	return ret;
}
