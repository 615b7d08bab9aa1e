/*
 * The lint rules of the statements that are not ALTER TABLE (lint.c
 * runs the loop, lint_columns.c and lint_rules.c hold ALTER TABLE's):
 * indexes, drops, renames, TRUNCATE, VACUUM FULL, CLUSTER, REINDEX, enum
 * changes, triggers, and the transaction and lock_timeout state that
 * later statements are judged by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../plan/plan.h"
#include "../../util/xalloc.h"
#include "lint_internal.h"
#include "parse_tree.h"
#include "pg.h"

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

/* A table made by CREATE TABLE AS is new: what follows on it is safe. */
static void lint_create_table_as(pl_ctx *c, const PgQuery__CreateTableAsStmt *s)
{
	if (s->into && s->into->rel) {
		strbuf k = STRBUF_INIT;
		pl_key(&k, s->into->rel, NULL);
		strmap_put_int(&c->st->tables, k.buf, c->st->file_no);
		strbuf_release(&k);
	}
}

static void lint_truncate(pl_ctx *c, const PgQuery__TruncateStmt *s)
{
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
}

/* CREATE TRIGGER takes SHARE ROW EXCLUSIVE on a table that exists. */
static void lint_trigger(pl_ctx *c, const PgQuery__RangeVar *rv)
{
	if (rv && !pl_table_is_new(c, rv)) {
		strbuf obj = STRBUF_INIT;
		pl_key(&obj, rv, NULL);
		lock_timeout_check(c, "CREATE TRIGGER", obj.buf);
		strbuf_release(&obj);
	}
}

/* The rules of one statement. */
void pl_stmt(pl_ctx *c, pnode *n)
{
	switch (n->node_case) {
	case NC(CREATE_STMT):
		pl_create_table(c, n->create_stmt);
		break;
	case NC(CREATE_TABLE_AS_STMT):
		lint_create_table_as(c, n->create_table_as_stmt);
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
	case NC(TRUNCATE_STMT):
		lint_truncate(c, n->truncate_stmt);
		break;
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
	case NC(CREATE_TRIG_STMT):
		lint_trigger(c, n->create_trig_stmt->relation);
		break;
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
