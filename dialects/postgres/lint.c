/*
 * pg_lint: hazards in hand-written PostgreSQL migrations, read through
 * libpg_query's protobuf tree (no server). This file holds the rule
 * catalogue, the statement loop with its context (explicit transactions,
 * lock_timeout, tables created earlier) and the statements that are not
 * ALTER TABLE; lint_rules.c and lint_columns.c hold the rest.
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

/* ---- statements other than ALTER TABLE ------------------------------ */

/* The form to run instead, for a statement that only lacks its
 * CONCURRENTLY flag; `flag` is set while deparsing. */
static void concurrent_form(strbuf *sb, const pnode *stmt,
			    protobuf_c_boolean *flag)
{
	protobuf_c_boolean saved = *flag;
	*flag = 1;
	size_t start = sb->len;
	pl_add_stmt(sb, stmt);
	*flag = saved;
	/* The deparser spells out the default method; users do not. */
	char *u = strstr(sb->buf + start, " USING btree (");
	if (u)
		memmove(u, u + 12, strlen(u + 12) + 1), sb->len -= 12;
}

static void lock_timeout_check(pl_ctx *c, const char *what, const char *obj)
{
	if (pl_has_lock_timeout(c))
		return;
	pl_report(c, R_REQUIRE_LOCK_TIMEOUT, -1,
		  c->in_txn ? "SET LOCAL lock_timeout = '2s';  -- right after "
			      "BEGIN, then retry on timeout"
			    : "SET lock_timeout = '2s';  -- before the "
			      "statement, then retry on timeout",
		  "%s on %s runs without lock_timeout: while it waits for its "
		  "lock, every other query on the table queues behind it",
		  what, obj);
}

static void in_txn_check(pl_ctx *c, const char *what)
{
	if (!c->in_txn)
		return;
	char sugg[128];
	snprintf(sugg, sizeof(sugg),
		 "move the statement after COMMIT (line %d's transaction)",
		 c->txn_line);
	pl_report(c, R_CONCURRENTLY_IN_TRANSACTION, -1, sugg,
		  "%s cannot run inside a transaction block (BEGIN on line "
		  "%d): the statement fails",
		  what, c->txn_line);
}

static void lint_index(pl_ctx *c, const pnode *n)
{
	PgQuery__IndexStmt *s = n->index_stmt;
	strbuf obj = STRBUF_INIT, sugg = STRBUF_INIT;
	pl_key(&obj, s->relation, NULL);
	bool is_new = pl_table_is_new(c, s->relation);
	if (is_new && PP_STR(s->idxname)) {
		strbuf k = STRBUF_INIT;
		pg_quote_qualified(&k, pp_rv_schema(s->relation), s->idxname);
		strmap_put_int(&c->st->new_indexes, k.buf, 1);
		strbuf_release(&k);
	}
	if (s->concurrent) {
		in_txn_check(c, "CREATE INDEX CONCURRENTLY");
	} else if (!is_new) {
		concurrent_form(&sugg, n, &s->concurrent);
		strbuf_adds(&sugg, "  -- outside a transaction block");
		pl_report(c, R_CONCURRENT_INDEX_CREATION, -1, sugg.buf,
			  "CREATE %sINDEX on %s blocks writes to the table for "
			  "the whole build",
			  s->unique ? "UNIQUE " : "", obj.buf);
		lock_timeout_check(c, "CREATE INDEX", obj.buf);
	}
	strbuf_release(&obj);
	strbuf_release(&sugg);
}

static void drop_tables(pl_ctx *c, const PgQuery__DropStmt *s)
{
	for (size_t i = 0; i < s->n_objects; i++) {
		const pnode *o = s->objects[i];
		if (o->node_case != NC(LIST))
			continue;
		const char *schema, *name;
		if (pp_qualname(o->list->items, o->list->n_items, &schema,
				&name) < 0)
			continue;
		strbuf k = STRBUF_INIT;
		pg_quote_qualified(&k, schema, name);
		intptr_t file_no;
		bool known = strmap_get_int(&c->st->tables, k.buf, &file_no);
		bool is_new =
		    known && (c->r->one_migration || file_no == c->st->file_no);
		strmap_remove(&c->st->tables, k.buf);
		if (!is_new) {
			pl_report(c, R_BAN_DROP_TABLE, -1,
				  "stop using the table in the deployed code "
				  "first, keep a backup, and drop it in a "
				  "later release",
				  "DROP TABLE %s deletes its data for good",
				  k.buf);
			lock_timeout_check(c, "DROP TABLE", k.buf);
		}
		strbuf_release(&k);
	}
}

static void drop_indexes(pl_ctx *c, const pnode *n)
{
	PgQuery__DropStmt *s = n->drop_stmt;
	if (s->concurrent) {
		in_txn_check(c, "DROP INDEX CONCURRENTLY");
		return;
	}
	for (size_t i = 0; i < s->n_objects; i++) {
		const pnode *o = s->objects[i];
		const char *schema, *name;
		if (o->node_case != NC(LIST) ||
		    pp_qualname(o->list->items, o->list->n_items, &schema,
				&name) < 0)
			continue;
		strbuf k = STRBUF_INIT, sugg = STRBUF_INIT;
		pg_quote_qualified(&k, schema, name);
		if (!strmap_contains(&c->st->new_indexes, k.buf)) {
			concurrent_form(&sugg, n, &s->concurrent);
			strbuf_adds(&sugg, "  -- outside a transaction block");
			pl_report(c, R_CONCURRENT_INDEX_DELETION, -1, sugg.buf,
				  "DROP INDEX %s takes ACCESS EXCLUSIVE on its "
				  "table: reads and writes wait",
				  k.buf);
			lock_timeout_check(c, "DROP INDEX", k.buf);
		}
		strbuf_release(&k);
		strbuf_release(&sugg);
		/* One finding per statement is enough. */
		break;
	}
}

static void lint_rename(pl_ctx *c, const PgQuery__RenameStmt *s)
{
	if (!s->relation)
		return;
	strbuf obj = STRBUF_INIT, sugg = STRBUF_INIT;
	pl_key(&obj, s->relation, NULL);
	bool is_new = pl_table_is_new(c, s->relation);
	if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		if (is_new) {
			/* The new table keeps being new under its new name. */
			strbuf k = STRBUF_INIT;
			pg_quote_qualified(&k, pp_rv_schema(s->relation),
					   s->newname);
			strmap_put_int(&c->st->tables, k.buf, c->st->file_no);
			strbuf_release(&k);
		} else {
			strbuf_adds(&sugg, "keep the old name working while "
					   "the deployed code uses it: ");
			pnode wrap = PG_QUERY__NODE__INIT;
			wrap.node_case = NC(RENAME_STMT);
			wrap.rename_stmt = (PgQuery__RenameStmt *)s;
			pl_add_stmt(&sugg, &wrap);
			strbuf_addf(&sugg, " CREATE VIEW ");
			pl_written(&sugg, s->relation);
			strbuf_adds(&sugg, " AS SELECT * FROM ");
			pg_quote_qualified(
			    &sugg, PP_STR(s->relation->schemaname), s->newname);
			strbuf_adds(&sugg, ";  -- drop the view once no "
					   "code uses the old name");
			pl_report(c, R_RENAMING_TABLE, -1, sugg.buf,
				  "renaming table %s to %s breaks the deployed "
				  "code that still uses the old name",
				  obj.buf, s->newname);
			lock_timeout_check(c, "ALTER TABLE ... RENAME",
					   obj.buf);
		}
	} else if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
		   !is_new) {
		pl_report(c, R_RENAMING_COLUMN, -1,
			  "add the new column, write both, backfill, switch "
			  "reads, then drop the old column in a later release",
			  "renaming column %s.%s to %s breaks the deployed "
			  "code that still uses the old name",
			  obj.buf, s->subname, s->newname);
		lock_timeout_check(c, "ALTER TABLE ... RENAME COLUMN", obj.buf);
	}
	strbuf_release(&obj);
	strbuf_release(&sugg);
}

/* VACUUM (FULL) / VACUUM FULL; ANALYZE and plain VACUUM are harmless. */
static void lint_vacuum(pl_ctx *c, const PgQuery__VacuumStmt *s)
{
	bool full = false;
	for (size_t i = 0; i < s->n_options; i++) {
		const pnode *o = s->options[i];
		if (o->node_case == NC(DEF_ELEM) &&
		    !strcmp(o->def_elem->defname, "full"))
			full = true;
	}
	if (full && s->is_vacuumcmd)
		pl_report(c, R_REWRITE_COMMANDS, -1,
			  "use pg_repack (or plain VACUUM, which takes no "
			  "blocking lock)",
			  "VACUUM FULL rewrites each table under ACCESS "
			  "EXCLUSIVE: reads and writes wait until it ends");
}

static void lint_reindex(pl_ctx *c, const pnode *n)
{
	const PgQuery__ReindexStmt *s = n->reindex_stmt;
	for (size_t i = 0; i < s->n_params; i++) {
		const pnode *o = s->params[i];
		if (o->node_case == NC(DEF_ELEM) &&
		    !strcmp(o->def_elem->defname, "concurrently")) {
			in_txn_check(c, "REINDEX CONCURRENTLY");
			return;
		}
	}
	const char *target = s->relation       ? s->relation->relname
			     : PP_STR(s->name) ? s->name
					       : "?";
	strbuf sugg = STRBUF_INIT;
	/* REINDEX (CONCURRENTLY) needs PostgreSQL 12. */
	if (c->r->min_version >= 12) {
		char *d = pp_deparse_stmt(n);
		if (d && !strncmp(d, "REINDEX ", 8))
			strbuf_addf(&sugg, "REINDEX (CONCURRENTLY) %s;", d + 8);
		else
			strbuf_adds(&sugg, "REINDEX (CONCURRENTLY) ...;");
		free(d);
		strbuf_adds(&sugg, "  -- outside a transaction block");
	} else {
		strbuf_adds(&sugg, "CREATE INDEX CONCURRENTLY a copy, then "
				   "drop the old index");
	}
	pl_report(c, R_REWRITE_COMMANDS, -1, sugg.buf,
		  "REINDEX of %s without CONCURRENTLY blocks writes (and "
		  "reads using the index) while it rebuilds",
		  target);
	strbuf_release(&sugg);
}

static void lint_enum(pl_ctx *c, const PgQuery__AlterEnumStmt *s)
{
	if (!PP_STR(s->new_val) || PP_STR(s->old_val) || !c->in_txn)
		return;
	strbuf name = STRBUF_INIT;
	for (size_t i = 0; i < s->n_type_name; i++) {
		if (i)
			strbuf_addch(&name, '.');
		const char *p = pp_sval(s->type_name[i]);
		pg_quote_ident(&name, p ? p : "?");
	}
	if (c->r->min_version < 12)
		pl_report(c, R_ENUM_VALUE_IN_TRANSACTION, -1,
			  "run ALTER TYPE ... ADD VALUE outside BEGIN/COMMIT",
			  "ALTER TYPE %s ADD VALUE '%s' fails inside a "
			  "transaction block before PostgreSQL 12",
			  name.buf, s->new_val);
	else
		pl_report_level(c, R_ENUM_VALUE_IN_TRANSACTION, LINT_WARNING,
				-1,
				"commit before using the new value, or add it "
				"in a migration of its own",
				"the value '%s' added to %s cannot be used "
				"before this transaction commits",
				s->new_val, name.buf);
	strbuf_release(&name);
}

/* SET [LOCAL] lock_timeout: '0' (or DEFAULT/RESET) means none. */
static void lint_set(pl_ctx *c, const PgQuery__VariableSetStmt *s)
{
	bool all = s->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL;
	if (!all && (!s->name || strcmp(s->name, "lock_timeout")))
		return;
	bool on = false;
	if (s->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE &&
	    s->n_args == 1 && s->args[0]->node_case == NC(A_CONST)) {
		const PgQuery__AConst *k = s->args[0]->a_const;
		if (k->val_case == PG_QUERY__A__CONST__VAL_IVAL)
			on = k->ival->ival != 0;
		else if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			on = strtol(k->sval->sval, NULL, 10) != 0;
		else
			on = true;
	}
	/* SET LOCAL outside a transaction block does nothing. */
	if (s->is_local)
		c->lock_timeout_local = on && c->in_txn;
	else
		c->lock_timeout = on;
}

static void lint_transaction(pl_ctx *c, const PgQuery__TransactionStmt *s)
{
	switch (s->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
		if (!c->in_txn) {
			int col;
			pl_position(c, c->stmt_off, &c->txn_line, &col);
		}
		c->in_txn = true;
		break;
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
		if (!s->chain) {
			c->in_txn = false;
			c->lock_timeout_local = false;
		}
		break;
	default:
		break;
	}
}

static void lint_stmt(pl_ctx *c, pnode *n)
{
	switch (n->node_case) {
	case NC(CREATE_STMT):
		pl_create_table(c, n->create_stmt);
		break;
	case NC(CREATE_TABLE_AS_STMT):
		if (n->create_table_as_stmt->into &&
		    n->create_table_as_stmt->into->rel) {
			strbuf k = STRBUF_INIT;
			pl_key(&k, n->create_table_as_stmt->into->rel, NULL);
			strmap_put_int(&c->st->tables, k.buf, c->st->file_no);
			strbuf_release(&k);
		}
		break;
	case NC(ALTER_TABLE_STMT):
		if (n->alter_table_stmt->objtype ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			pl_alter_table(c, n->alter_table_stmt);
		break;
	case NC(INDEX_STMT):
		lint_index(c, n);
		break;
	case NC(DROP_STMT):
		if (n->drop_stmt->remove_type ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
			drop_tables(c, n->drop_stmt);
		else if (n->drop_stmt->remove_type ==
			 PG_QUERY__OBJECT_TYPE__OBJECT_INDEX)
			drop_indexes(c, n);
		break;
	case NC(RENAME_STMT):
		lint_rename(c, n->rename_stmt);
		break;
	case NC(TRUNCATE_STMT): {
		const PgQuery__TruncateStmt *s = n->truncate_stmt;
		strbuf obj = STRBUF_INIT;
		for (size_t i = 0; i < s->n_relations; i++) {
			const pnode *rel = s->relations[i];
			if (rel->node_case != NC(RANGE_VAR) ||
			    pl_table_is_new(c, rel->range_var))
				continue;
			if (obj.len)
				strbuf_adds(&obj, ", ");
			pl_key(&obj, rel->range_var, NULL);
		}
		if (obj.len) {
			pl_report(c, R_BAN_TRUNCATE, -1,
				  "delete the rows you mean to in batches "
				  "(DELETE ... WHERE ... LIMIT via a key "
				  "range), or keep the data",
				  "TRUNCATE %s deletes every row for good, "
				  "under ACCESS EXCLUSIVE",
				  obj.buf);
			lock_timeout_check(c, "TRUNCATE", obj.buf);
		}
		strbuf_release(&obj);
		break;
	}
	case NC(DROPDB_STMT):
		pl_report(c, R_BAN_DROP_DATABASE, -1,
			  "drop databases by hand, never from a migration",
			  "DROP DATABASE %s deletes a whole database",
			  n->dropdb_stmt->dbname);
		break;
	case NC(VACUUM_STMT):
		lint_vacuum(c, n->vacuum_stmt);
		break;
	case NC(CLUSTER_STMT):
		pl_report(c, R_REWRITE_COMMANDS, -1,
			  "use pg_repack to reorder the table online",
			  "CLUSTER%s%s rewrites the table under ACCESS "
			  "EXCLUSIVE: reads and writes wait until it ends",
			  n->cluster_stmt->relation ? " " : "",
			  n->cluster_stmt->relation
			      ? n->cluster_stmt->relation->relname
			      : "");
		break;
	case NC(REINDEX_STMT):
		lint_reindex(c, n);
		break;
	case NC(ALTER_ENUM_STMT):
		lint_enum(c, n->alter_enum_stmt);
		break;
	case NC(CREATE_TRIG_STMT): {
		const PgQuery__RangeVar *rv = n->create_trig_stmt->relation;
		if (rv && !pl_table_is_new(c, rv)) {
			strbuf obj = STRBUF_INIT;
			pl_key(&obj, rv, NULL);
			lock_timeout_check(c, "CREATE TRIGGER", obj.buf);
			strbuf_release(&obj);
		}
		break;
	}
	case NC(VARIABLE_SET_STMT):
		lint_set(c, n->variable_set_stmt);
		break;
	case NC(TRANSACTION_STMT):
		lint_transaction(c, n->transaction_stmt);
		break;
	default:
		break;
	}
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
		lint_stmt(c, rs->stmt);
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
