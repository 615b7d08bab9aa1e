/*
 * pg_lint's rules for CREATE TABLE and ALTER TABLE: constraints, NOT
 * NULL, dropped columns, rewriting subcommands and the lock the whole
 * statement takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "lint_internal.h"
#include "pg.h"

/* Record a new table and its column types; style rules on its columns. */
void pl_create_table(pl_ctx *c, const PgQuery__CreateStmt *s)
{
	strbuf k = STRBUF_INIT;
	pl_key(&k, s->relation, NULL);
	strmap_put_int(&c->st->tables, k.buf, c->st->file_no);
	for (size_t i = 0; i < s->n_table_elts; i++) {
		const pnode *el = s->table_elts[i];
		if (el->node_case != NC(COLUMN_DEF))
			continue;
		const PgQuery__ColumnDef *cd = el->column_def;
		if (cd->type_name) {
			strbuf key = STRBUF_INIT, t = STRBUF_INIT;
			pl_key(&key, s->relation, cd->colname);
			pl_type_key(&t, cd->type_name);
			free(strmap_get(&c->st->coltypes, key.buf));
			strmap_put(&c->st->coltypes, key.buf,
				   strbuf_detach(&t));
			strbuf_release(&key);
		}
		pl_column_style(c, cd);
	}
	strbuf_release(&k);
}

/* The one column named by a "col IS NOT NULL" check, or NULL. */
static const char *not_null_check_column(const pnode *expr)
{
	if (!expr || expr->node_case != NC(NULL_TEST) ||
	    expr->null_test->nulltesttype !=
		PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL)
		return NULL;
	const pnode *arg = expr->null_test->arg;
	if (!arg || arg->node_case != NC(COLUMN_REF) ||
	    arg->column_ref->n_fields != 1)
		return NULL;
	return pp_sval(arg->column_ref->fields[0]);
}

/* Remember a CHECK (col IS NOT NULL): validated now, or by a later
 * VALIDATE CONSTRAINT, it lets SET NOT NULL skip its scan. */
static void note_not_null_check(pl_ctx *c, const PgQuery__RangeVar *rv,
				const PgQuery__Constraint *k)
{
	const char *col = not_null_check_column(k->raw_expr);
	if (!col)
		return;
	strbuf key = STRBUF_INIT;
	if (!k->skip_validation) {
		pl_key(&key, rv, col);
		strmap_put_int(&c->st->notnull_ok, key.buf, 1);
	} else if (PP_STR(k->conname)) {
		pl_key(&key, rv, k->conname);
		free(strmap_get(&c->st->pending, key.buf));
		strmap_put(&c->st->pending, key.buf, xstrdup(col));
	}
	strbuf_release(&key);
}

static void validate_constraint(pl_ctx *c, const PgQuery__RangeVar *rv,
				const char *conname)
{
	strbuf key = STRBUF_INIT;
	pl_key(&key, rv, conname);
	char *col = strmap_get(&c->st->pending, key.buf);
	if (col) {
		strbuf_reset(&key);
		pl_key(&key, rv, col);
		strmap_put_int(&c->st->notnull_ok, key.buf, 1);
	}
	strbuf_release(&key);
}

/* Column names of a key list, joined with `sep`. */
static void key_columns(strbuf *sb, pnode **keys, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = pp_sval(keys[i]);
		if (i)
			strbuf_adds(sb, sep);
		if (!strcmp(sep, "_"))
			strbuf_adds(sb, k ? k : "expr");
		else
			pg_quote_ident(sb, k ? k : "?");
	}
}

/* The statement `s` with only `cmd`, deparsed, ending in ';'. */
void pl_one_cmd(strbuf *sb, const PgQuery__AlterTableStmt *s,
		PgQuery__AlterTableCmd *cmd)
{
	PgQuery__AlterTableStmt copy = *s;
	/* Wrappers need their protobuf descriptors: the deparser packs. */
	pnode cn = PG_QUERY__NODE__INIT, stmt = PG_QUERY__NODE__INIT;
	cn.node_case = NC(ALTER_TABLE_CMD);
	cn.alter_table_cmd = cmd;
	pnode *cmds[1] = {&cn};
	copy.cmds = cmds;
	copy.n_cmds = 1;
	stmt.node_case = NC(ALTER_TABLE_STMT);
	stmt.alter_table_stmt = &copy;
	pl_add_stmt(sb, &stmt);
}

/* ADD FOREIGN KEY / CHECK without NOT VALID: add it NOT VALID, then
 * VALIDATE, which only takes SHARE UPDATE EXCLUSIVE while it scans. */
static void missing_not_valid(pl_ctx *c, const PgQuery__AlterTableStmt *s,
			      PgQuery__AlterTableCmd *cmd,
			      PgQuery__Constraint *k, const char *obj)
{
	bool fk = k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN;
	strbuf name = STRBUF_INIT, sugg = STRBUF_INIT, ref = STRBUF_INIT;
	if (PP_STR(k->conname)) {
		strbuf_adds(&name, k->conname);
	} else {
		/* The server's own choice of name, near enough. */
		strbuf_addf(&name, "%s_", s->relation->relname);
		if (fk)
			key_columns(&name, k->fk_attrs, k->n_fk_attrs, "_");
		strbuf_adds(&name, fk ? "_fkey" : "check");
	}
	char *saved_name = k->conname;
	protobuf_c_boolean saved_skip = k->skip_validation,
			   saved_valid = k->initially_valid;
	k->conname = name.buf;
	k->skip_validation = 1;
	k->initially_valid = 0;
	pl_one_cmd(&sugg, s, cmd);
	k->conname = saved_name;
	k->skip_validation = saved_skip;
	k->initially_valid = saved_valid;
	strbuf_adds(&sugg, "\nALTER TABLE ");
	pl_written(&sugg, s->relation);
	strbuf_adds(&sugg, " VALIDATE CONSTRAINT ");
	pg_quote_ident(&sugg, name.buf);
	strbuf_adds(&sugg, ";  -- in a later transaction");
	if (fk && k->pktable) {
		pl_key(&ref, k->pktable, NULL);
		pl_report(c, R_CONSTRAINT_MISSING_NOT_VALID, k->location,
			  sugg.buf,
			  "ADD FOREIGN KEY on %s checks every row while "
			  "holding SHARE ROW EXCLUSIVE on %s and %s: writes to "
			  "both wait",
			  obj, obj, ref.buf);
	} else {
		pl_report(c, R_CONSTRAINT_MISSING_NOT_VALID, k->location,
			  sugg.buf,
			  "ADD CHECK on %s scans the whole table under ACCESS "
			  "EXCLUSIVE: reads and writes wait",
			  obj);
	}
	strbuf_release(&name);
	strbuf_release(&sugg);
	strbuf_release(&ref);
}

/* ADD UNIQUE / PRIMARY KEY: build the index concurrently first. */
static void unique_constraint(pl_ctx *c, const PgQuery__AlterTableStmt *s,
			      const PgQuery__Constraint *k, const char *obj)
{
	bool pk = k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
	strbuf name = STRBUF_INIT, sugg = STRBUF_INIT;
	if (PP_STR(k->conname)) {
		strbuf_adds(&name, k->conname);
	} else if (pk) {
		strbuf_addf(&name, "%s_pkey", s->relation->relname);
	} else {
		strbuf_addf(&name, "%s_", s->relation->relname);
		key_columns(&name, k->keys, k->n_keys, "_");
		strbuf_adds(&name, "_key");
	}
	strbuf_adds(&sugg, "CREATE UNIQUE INDEX CONCURRENTLY ");
	pg_quote_ident(&sugg, name.buf);
	strbuf_adds(&sugg, " ON ");
	pl_written(&sugg, s->relation);
	strbuf_adds(&sugg, " (");
	key_columns(&sugg, k->keys, k->n_keys, ", ");
	strbuf_adds(&sugg, ");  -- outside a transaction block\nALTER TABLE ");
	pl_written(&sugg, s->relation);
	strbuf_adds(&sugg, " ADD CONSTRAINT ");
	pg_quote_ident(&sugg, name.buf);
	strbuf_addf(&sugg, " %s USING INDEX ", pk ? "PRIMARY KEY" : "UNIQUE");
	pg_quote_ident(&sugg, name.buf);
	strbuf_addch(&sugg, ';');
	pl_report(c, R_DISALLOWED_UNIQUE_CONSTRAINT, k->location, sugg.buf,
		  "ADD %s on %s builds its index under ACCESS EXCLUSIVE: "
		  "reads and writes wait for the whole build",
		  pk ? "PRIMARY KEY" : "UNIQUE", obj);
	strbuf_release(&name);
	strbuf_release(&sugg);
}

static void add_constraint(pl_ctx *c, const PgQuery__AlterTableStmt *s,
			   PgQuery__AlterTableCmd *cmd, bool is_new,
			   const char *obj)
{
	if (!cmd->def || cmd->def->node_case != NC(CONSTRAINT))
		return;
	PgQuery__Constraint *k = cmd->def->constraint;
	switch (k->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		note_not_null_check(c, s->relation, k);
		/* fall through */
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		if (!is_new && !k->skip_validation)
			missing_not_valid(c, s, cmd, k, obj);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		if (!is_new && !PP_STR(k->indexname))
			unique_constraint(c, s, k, obj);
		break;
	default:
		break;
	}
}

static void set_not_null(pl_ctx *c, const PgQuery__AlterTableStmt *s,
			 const PgQuery__AlterTableCmd *cmd, const char *obj)
{
	strbuf key = STRBUF_INIT, sugg = STRBUF_INIT, cn = STRBUF_INIT,
	       t = STRBUF_INIT, col = STRBUF_INIT;
	pl_key(&key, s->relation, cmd->name);
	/* PostgreSQL 12+ skips the scan when a validated CHECK proves it. */
	if (c->r->min_version >= 12 &&
	    strmap_contains(&c->st->notnull_ok, key.buf))
		goto out;
	pl_written(&t, s->relation);
	pg_quote_ident(&col, cmd->name);
	strbuf_addf(&cn, "%s_%s_not_null", s->relation->relname, cmd->name);
	strbuf_addf(&sugg, "ALTER TABLE %s ADD CONSTRAINT ", t.buf);
	pg_quote_ident(&sugg, cn.buf);
	strbuf_addf(&sugg, " CHECK (%s IS NOT NULL) NOT VALID;\n", col.buf);
	strbuf_addf(&sugg, "ALTER TABLE %s VALIDATE CONSTRAINT ", t.buf);
	pg_quote_ident(&sugg, cn.buf);
	strbuf_addf(&sugg, ";  -- no blocking lock while it scans\n");
	strbuf_addf(&sugg, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;%s\n",
		    t.buf, col.buf,
		    c->r->min_version >= 12
			? "  -- no scan: the valid CHECK proves it"
			: "  -- still scans before PostgreSQL 12");
	strbuf_addf(&sugg, "ALTER TABLE %s DROP CONSTRAINT ", t.buf);
	pg_quote_ident(&sugg, cn.buf);
	strbuf_addch(&sugg, ';');
	pl_report(c, R_ADDING_NOT_NULL_FIELD, -1, sugg.buf,
		  "SET NOT NULL on %s.%s scans the whole table under ACCESS "
		  "EXCLUSIVE: reads and writes wait",
		  obj, col.buf);
out:
	strbuf_release(&key);
	strbuf_release(&sugg);
	strbuf_release(&cn);
	strbuf_release(&t);
	strbuf_release(&col);
}

static void drop_column(pl_ctx *c, const PgQuery__AlterTableCmd *cmd,
			const char *obj)
{
	pl_report(c, R_BAN_DROP_COLUMN, -1,
		  "stop reading and writing the column in the deployed code "
		  "first, then drop it in a later release",
		  "DROP COLUMN %s.%s deletes its data, and the deployed code "
		  "may still use it",
		  obj, cmd->name);
}

static void rewrite_cmd(pl_ctx *c, const PgQuery__AlterTableCmd *cmd,
			const char *obj)
{
	const char *what = "SET TABLESPACE";
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		what = "SET LOGGED";
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		what = "SET UNLOGGED";
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		what = "SET ACCESS METHOD";
		break;
	default:
		break;
	}
	pl_report(c, R_REWRITE_COMMANDS, -1,
		  "copy the data online (pg_repack, or a new table filled in "
		  "batches) instead",
		  "ALTER TABLE %s %s rewrites the table under ACCESS "
		  "EXCLUSIVE: reads and writes wait until it ends",
		  obj, what);
}

/* Subcommands that take less than SHARE ROW EXCLUSIVE: they block no
 * reads or writes, so they need no lock_timeout. */
static bool weak_lock(const PgQuery__AlterTableCmd *cmd)
{
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
		return true;
	default:
		return false;
	}
}

void pl_alter_table(pl_ctx *c, PgQuery__AlterTableStmt *s)
{
	if (!s->relation)
		return;
	bool is_new = pl_table_is_new(c, s->relation), strong = false;
	strbuf obj = STRBUF_INIT;
	pl_key(&obj, s->relation, NULL);
	for (size_t i = 0; i < s->n_cmds; i++) {
		if (s->cmds[i]->node_case != NC(ALTER_TABLE_CMD))
			continue;
		PgQuery__AlterTableCmd *cmd = s->cmds[i]->alter_table_cmd;
		strong = strong || !weak_lock(cmd);
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
			add_constraint(c, s, cmd, is_new, obj.buf);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			if (PP_STR(cmd->name))
				validate_constraint(c, s->relation, cmd->name);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			if (!is_new && PP_STR(cmd->name))
				set_not_null(c, s, cmd, obj.buf);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
			pl_add_column(c, s, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			pl_alter_type(c, s, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
			if (!is_new && PP_STR(cmd->name))
				drop_column(c, cmd, obj.buf);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
			if (!is_new)
				rewrite_cmd(c, cmd, obj.buf);
			break;
		default:
			break;
		}
	}
	/* One lock for the whole statement: its strongest. */
	if (strong && !is_new && !pl_has_lock_timeout(c))
		pl_report(c, R_REQUIRE_LOCK_TIMEOUT, -1,
			  c->in_txn ? "SET LOCAL lock_timeout = '2s';  -- "
				      "right after BEGIN, then retry on "
				      "timeout"
				    : "SET lock_timeout = '2s';  -- before "
				      "the statement, then retry on timeout",
			  "ALTER TABLE on %s runs without lock_timeout: while "
			  "it waits for its lock, every other query on the "
			  "table queues behind it",
			  obj.buf);
	strbuf_release(&obj);
}
