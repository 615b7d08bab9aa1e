/*
 * ALTER TABLE, CREATE INDEX and sequences: the statements pg_dump uses to
 * finish what CREATE TABLE started.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "identity.h"
#include "parse_internal.h"
#include "pg.h"

void pp_index_elems(strbuf *sb, pnode **elems, size_t n, const pp_env *env)
{
	for (size_t i = 0; i < n; i++) {
		const PgQuery__IndexElem *el = elems[i]->index_elem;
		if (i)
			strbuf_adds(sb, ", ");
		pp_key_element(sb, el->name, el->expr, env);
		if (el->n_collation) {
			const char *sch = NULL, *nm = NULL;
			if (pp_qualname(el->collation, el->n_collation, &sch,
					&nm) == 0) {
				strbuf_adds(sb, " COLLATE ");
				pp_visible_name(
				    sb, el->n_collation > 1 ? sch : NULL, nm);
			}
		}
		if (el->n_opclass) {
			strbuf_addch(sb, ' ');
			const char *sch = NULL, *nm = NULL;
			if (pp_qualname(el->opclass, el->n_opclass, &sch,
					&nm) == 0)
				pp_visible_name(
				    sb, el->n_opclass > 1 ? sch : NULL, nm);
		}
		bool desc = el->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		if (desc)
			strbuf_adds(sb, " DESC");
		if (desc && el->nulls_ordering ==
				PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST)
			strbuf_adds(sb, " NULLS LAST");
		if (!desc && el->nulls_ordering ==
				 PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST)
			strbuf_adds(sb, " NULLS FIRST");
	}
}

char *pp_index_addition(pnode **elems, size_t n, pnode **incl, size_t nincl)
{
	/* ChooseIndexColumnNames: the column name, the expression's
	 * name or "expr", numbered when repeated. */
	size_t total = n + nincl;
	char **names = xcalloc(total ? total : 1, sizeof(char *));
	for (size_t i = 0; i < total; i++) {
		const PgQuery__IndexElem *el =
		    (i < n ? elems[i] : incl[i - n])->index_elem;
		const char *orig = PP_STR(el->indexcolname);
		if (!orig)
			orig = PP_STR(el->name);
		if (!orig)
			orig = pp_index_colname(el->expr);
		if (!orig)
			orig = "expr";
		char *cur = xstrdup(orig);
		for (int k = 1;; k++) {
			bool clash = false;
			for (size_t j = 0; j < i; j++)
				if (!strcmp(names[j], cur))
					clash = true;
			if (!clash)
				break;
			free(cur);
			strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s%d", orig, k);
			cur = strbuf_detach(&sb);
		}
		names[i] = cur;
	}
	char *r = pp_name_addition(names, (int)total);
	for (size_t i = 0; i < total; i++)
		free(names[i]);
	free(names);
	return r;
}

int pp_create_index(pp_ctx *c, const PgQuery__IndexStmt *s)
{
	const PgQuery__RangeVar *rv = s->relation;
	const m_table *t = pp_find_table(c, rv);
	const char *schema = pp_rv_schema(rv);
	if (!t && !pp_lookup_view(c, schema, rv->relname))
		return pp_fail(c, "CREATE INDEX on unknown table \"%s.%s\"",
			       schema, rv->relname);
	const char *name = s->idxname;
	if (!name || !*name) {
		char *add = pp_index_addition(
		    s->index_params, s->n_index_params,
		    s->index_including_params, s->n_index_including_params);
		name = pp_choose_name(c, schema, rv->relname, add, "idx", true);
		free(add);
	} else if (pp_lookup_index(c, schema, name)) {
		if (s->if_not_exists)
			return 0;
		return pp_fail(c, "relation \"%s\" already exists", name);
	}
	m_index *x = model_add_index(c->m);
	x->schema = model_str(c->m, schema);
	x->table = model_str(c->m, rv->relname);
	x->name = model_str(c->m, name);
	x->unique = s->unique;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "CREATE %sINDEX ", s->unique ? "UNIQUE " : "");
	pg_quote_ident(&sb, name);
	/* "ON ONLY" on a partitioned table (pg_dump's form) leaves the
	 * partitions there are without the index until each one's is
	 * attached: kept until then (pp_names_only_finish), as the live
	 * side reads an index still INVALID; a model means the index on
	 * every partition. */
	bool only = t && t->kind == 'p' && !rv->inh;
	strbuf_adds(&sb, only ? " ON ONLY " : " ON ");
	pg_quote_qualified(&sb, schema, rv->relname);
	strbuf_addf(&sb, " USING %s (",
		    s->access_method && *s->access_method ? s->access_method
							  : "btree");
	pp_env env = {t, NULL};
	pp_index_elems(&sb, s->index_params, s->n_index_params, &env);
	strbuf_addch(&sb, ')');
	if (s->n_index_including_params) {
		strbuf_adds(&sb, " INCLUDE (");
		pp_index_elems(&sb, s->index_including_params,
			       s->n_index_including_params, &env);
		strbuf_addch(&sb, ')');
	}
	if (s->nulls_not_distinct)
		strbuf_adds(&sb, " NULLS NOT DISTINCT");
	if (s->n_options) {
		strbuf_adds(&sb, " WITH (");
		pp_index_options(&sb, s->options, s->n_options);
		strbuf_addch(&sb, ')');
	}
	if (s->where_clause) {
		/* Operators come out parenthesised, a bare boolean
		 * column does not: "WHERE (a > 0)", "WHERE active". */
		strbuf_adds(&sb, " WHERE ");
		pp_expr_env(&sb, s->where_clause, &env);
	}
	x->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	if (only)
		pp_names_only_index(c, x, t);
	/* Expressions and the predicate (a plain column needs nothing: the
	 * server rebuilds the index on the converted column itself). */
	for (size_t i = 0; i < s->n_index_params; i++)
		if (s->index_params[i]->node_case == NC(INDEX_ELEM))
			pp_note_type_uses(c,
					  s->index_params[i]->index_elem->expr,
					  t, 'i', x->schema, x->table, x->name);
	pp_note_type_uses(c, s->where_clause, t, 'i', x->schema, x->table,
			  x->name);
	return 0;
}

static int64_t def_int(const pnode *a, int64_t dflt)
{
	if (!a)
		return dflt;
	if (a->node_case == NC(INTEGER))
		return a->integer->ival;
	if (a->node_case == NC(FLOAT))
		return strtoll(a->float_->fval, NULL, 10);
	return dflt;
}

static void type_limits(const char *type, int64_t *lo, int64_t *hi)
{
	if (!strcmp(type, "integer")) {
		*lo = INT32_MIN;
		*hi = INT32_MAX;
	} else if (!strcmp(type, "smallint")) {
		*lo = INT16_MIN;
		*hi = INT16_MAX;
	} else {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
	}
}

/* OWNED BY [[catalog.]schema.]table.column (or NONE). The column must
 * be one the file creates, as on the server: an owner the model does
 * not hold would be released and set again by every diff. A catalog
 * part is ignored, as everywhere in the parser. */
static int seq_owned_by(pp_ctx *c, m_sequence *q, const pnode *arg)
{
	if (!arg || arg->node_case != NC(LIST))
		return 0;
	const PgQuery__List *l = arg->list;
	if (l->n_items == 1) {
		q->owner.schema = q->owner.name = q->owner_column = NULL;
		return 0;
	}
	strbuf full = STRBUF_INIT;
	for (size_t i = 0; i < l->n_items; i++) {
		if (i)
			strbuf_addch(&full, '.');
		pg_quote_ident(
		    &full, pp_sval(l->items[i]) ? pp_sval(l->items[i]) : "?");
	}
	const char *col = pp_sval(l->items[l->n_items - 1]);
	const char *tbl = pp_sval(l->items[l->n_items - 2]);
	const char *sch =
	    l->n_items >= 3 ? pp_sval(l->items[l->n_items - 3]) : q->schema;
	const m_table *t = l->n_items <= 4 && col && tbl && sch
			       ? pp_lookup_table(c, sch, tbl)
			       : NULL;
	int ret = 0;
	if (l->n_items > 4 || !col || !tbl || !sch)
		ret = pp_fail(c,
			      "sequence \"%s\": OWNED BY %s is not a "
			      "[schema.]table.column name",
			      q->name, strbuf_str(&full));
	else if (!t || !model_table_find_column(t, col))
		ret = pp_fail(c,
			      "sequence \"%s\": OWNED BY %s names a column "
			      "the file does not create",
			      q->name, strbuf_str(&full));
	else if (strcmp(sch, q->schema))
		ret = pp_fail(c,
			      "sequence \"%s.%s\": OWNED BY %s is in another "
			      "schema (the server requires the same one)",
			      q->schema, q->name, strbuf_str(&full));
	strbuf_release(&full);
	if (ret)
		return ret;
	q->owner.schema = model_str(c->m, sch);
	q->owner.name = model_str(c->m, tbl);
	q->owner_column = model_str(c->m, col);
	return 0;
}

/* Apply sequence options; `create` fills in the defaults afterwards.
 * Fails only on an OWNED BY the file cannot resolve. */
static int seq_options(pp_ctx *c, m_sequence *q, pnode **opts, size_t n,
		       bool create)
{
	bool has_min = false, has_max = false, has_start = false;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__DefElem *d = opts[i]->def_elem;
		const char *k = d->defname;
		if (!strcmp(k, "as") && d->arg &&
		    d->arg->node_case == NC(TYPE_NAME)) {
			q->type = pp_type_str(c, d->arg->type_name);
		} else if (!strcmp(k, "increment")) {
			q->increment = def_int(d->arg, 1);
		} else if (!strcmp(k, "start")) {
			q->start = def_int(d->arg, 1);
			has_start = true;
		} else if (!strcmp(k, "minvalue")) {
			has_min = d->arg != NULL;
			if (d->arg)
				q->min = def_int(d->arg, 1);
		} else if (!strcmp(k, "maxvalue")) {
			has_max = d->arg != NULL;
			if (d->arg)
				q->max = def_int(d->arg, 1);
		} else if (!strcmp(k, "cache")) {
			q->cache = def_int(d->arg, 1);
		} else if (!strcmp(k, "cycle")) {
			q->cycle = !d->arg || def_int(d->arg, 1) != 0 ||
				   (d->arg->node_case == NC(BOOLEAN) &&
				    d->arg->boolean->boolval);
			if (d->arg && d->arg->node_case == NC(BOOLEAN))
				q->cycle = d->arg->boolean->boolval;
		} else if (!strcmp(k, "owned_by") && q->name) {
			/* An identity column's options have no sequence
			 * name: the column owns it. */
			if (seq_owned_by(c, q, d->arg))
				return -1;
		}
	}
	if (!create)
		return 0;
	/* The server's defaults (DefineSequence / init_params). */
	int64_t lo, hi;
	type_limits(q->type, &lo, &hi);
	if (!has_min)
		q->min = q->increment > 0 ? 1 : lo;
	if (!has_max)
		q->max = q->increment > 0 ? hi : -1;
	if (!has_start)
		q->start = q->increment > 0 ? q->min : q->max;
	return 0;
}

char *pp_identity_options(pp_ctx *c, const char *type, pnode **opts, size_t n)
{
	/* The identity sequence takes the column's type; its options are
	 * CREATE SEQUENCE's (SEQUENCE NAME is not part of the model). */
	m_sequence q = {0};
	q.type = (char *)type;
	q.increment = 1;
	q.cache = 1;
	(void)seq_options(c, &q, opts, n, true);
	return pg_identity_canon(c->m, type, &q);
}

/* ALTER COLUMN ... SET GENERATED ... SET INCREMENT BY ...: the options
 * change the identity sequence as ALTER SEQUENCE would (RESTART is a
 * value, not schema). */
static void set_identity(pp_ctx *c, m_column *col, const pnode *def)
{
	if (!col->identity || !def || def->node_case != NC(LIST))
		return;
	const PgQuery__List *l = def->list;
	for (size_t i = 0; i < l->n_items; i++) {
		const PgQuery__DefElem *d = l->items[i]->def_elem;
		if (l->items[i]->node_case == NC(DEF_ELEM) &&
		    !strcmp(d->defname, "generated") && d->arg &&
		    d->arg->node_case == NC(INTEGER))
			col->identity = (char)d->arg->integer->ival;
	}
	m_sequence q = {0};
	pg_identity_values(col->type, col->identity_options, &q);
	q.type = col->type;
	(void)seq_options(c, &q, l->items, l->n_items, false);
	col->identity_options = pg_identity_canon(c->m, col->type, &q);
}

int pp_create_seq(pp_ctx *c, const PgQuery__CreateSeqStmt *s)
{
	const char *schema = pp_rv_schema(s->sequence);
	if (pp_lookup_seq(c, schema, s->sequence->relname)) {
		if (s->if_not_exists)
			return 0;
		return pp_fail(c, "relation \"%s\" already exists",
			       s->sequence->relname);
	}
	m_sequence *q = model_add_sequence(c->m);
	q->schema = model_str(c->m, schema);
	q->name = model_str(c->m, s->sequence->relname);
	q->type = model_str(c->m, "bigint");
	q->increment = 1;
	q->cache = 1;
	return seq_options(c, q, s->options, s->n_options, true);
}

int pp_alter_seq(pp_ctx *c, const PgQuery__AlterSeqStmt *s)
{
	const char *schema = pp_rv_schema(s->sequence);
	m_sequence *q = pp_lookup_seq(c, schema, s->sequence->relname);
	if (!q) {
		if (s->missing_ok)
			return 0;
		return pp_fail(c,
			       "ALTER SEQUENCE on unknown sequence \"%s.%s\"",
			       schema, s->sequence->relname);
	}
	return seq_options(c, q, s->options, s->n_options, false);
}

static void drop_column(m_table *t, const char *name)
{
	for (int i = 0; i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, name)) {
			PP_REMOVE_AT(t->columns, t->ncolumns, i);
			return;
		}
}

static void drop_constraint(pp_ctx *c, m_table *t, const char *name)
{
	for (int i = 0; i < t->nconstraints; i++)
		if (!strcmp(t->constraints[i].name, name)) {
			pp_names_forget_constraint(c, t, i);
			PP_REMOVE_AT(t->constraints, t->nconstraints, i);
			return;
		}
}

static void set_trigger_enabled(pp_ctx *c, const m_table *t, const char *name,
				char state)
{
	for (int i = 0; i < c->m->ntriggers; i++) {
		m_trigger *g = &c->m->triggers[i];
		if (!strcmp(g->schema, t->schema) &&
		    !strcmp(g->table, t->name) &&
		    (!name || !strcmp(g->name, name)))
			g->enabled = state;
	}
}

/* ATTACH PARTITION: the named table becomes a partition of `t`. */
static int attach_partition(pp_ctx *c, m_table *t,
			    const PgQuery__PartitionCmd *pc)
{
	m_table *p = pp_find_table(c, pc->name);
	if (!p)
		return pp_fail(c, "ATTACH PARTITION of unknown table \"%s.%s\"",
			       pp_rv_schema(pc->name), pc->name->relname);
	p->parent.schema = t->schema;
	p->parent.name = t->name;
	p->partition_bound = pp_partition_bound(c, pc->bound, t);
	/* pg_dump spells partitions out with their columns and the
	 * parent's checks; attaching merges those into the parent's, and
	 * the model keeps them on the parent only. */
	while (p->ncolumns)
		PP_REMOVE_AT(p->columns, p->ncolumns, p->ncolumns - 1);
	for (int i = p->nconstraints - 1; i >= 0; i--) {
		const m_constraint *k = &p->constraints[i];
		const m_constraint *pk =
		    model_table_find_constraint(t, k->name);
		if (k->kind == M_CON_CHECK && pk && pk->kind == M_CON_CHECK &&
		    !strcmp(pk->definition, k->definition))
			drop_constraint(c, p, k->name);
	}
	return 0;
}

/* REPLICA IDENTITY DEFAULT | FULL | NOTHING | USING INDEX name. */
static int replica_identity(pp_ctx *c, m_table *t,
			    const PgQuery__AlterTableCmd *cmd)
{
	if (!cmd->def || cmd->def->node_case != NC(REPLICA_IDENTITY_STMT))
		return 0;
	const PgQuery__ReplicaIdentityStmt *ri =
	    cmd->def->replica_identity_stmt;
	char kind = ri->identity_type ? ri->identity_type[0] : 'd';
	t->replica_identity = kind == 'd' ? 0 : kind;
	t->replica_index = NULL;
	if (kind == 'i') {
		if (!ri->name || !*ri->name)
			return pp_fail(c,
				       "REPLICA IDENTITY USING INDEX on "
				       "\"%s.%s\" names no index",
				       t->schema, t->name);
		t->replica_index = model_str(c->m, ri->name);
	}
	return 0;
}

static int alter_cmd(pp_ctx *c, m_table *t, const PgQuery__AlterTableCmd *cmd)
{
	m_column *col =
	    cmd->name ? model_table_find_column(t, cmd->name) : NULL;
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
		pp_con *cons = NULL;
		int n = 0, cap = 0, r = 0;
		if (cmd->def->node_case == NC(COLUMN_DEF)) {
			if (cmd->missing_ok &&
			    model_table_find_column(
				t, cmd->def->column_def->colname))
				return 0;
			r = pp_add_column(c, t, cmd->def->column_def, &cons, &n,
					  &cap);
		} else {
			ALLOC_GROW(cons, 1, cap);
			cons[0].k = cmd->def->constraint;
			cons[0].column = NULL;
			cons[0].deferrable = cons[0].k->deferrable;
			cons[0].deferred = cons[0].k->initdeferred;
			cons[0].not_valid = cons[0].k->skip_validation;
			n = 1;
		}
		if (!r)
			r = pp_add_constraints(c, t, cons, n);
		free(cons);
		return r;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		drop_column(t, cmd->name);
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		drop_constraint(c, t, cmd->name);
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		if (!col)
			return pp_fail(c,
				       "column \"%s\" of relation \"%s.%s\" "
				       "does not exist",
				       cmd->name, t->schema, t->name);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
		t->rls_enabled = true;
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
		t->rls_enabled = false;
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
		t->rls_forced = true;
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
		t->rls_forced = false;
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		return attach_partition(c, t, cmd->def->partition_cmd);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
		if (cmd->def && cmd->def->node_case == NC(LIST))
			t->options = pp_reloptions(c, cmd->def->list->items,
						   cmd->def->list->n_items);
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		t->unlogged =
		    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged;
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
		set_trigger_enabled(c, t, cmd->name, 'O');
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
		set_trigger_enabled(c, t, cmd->name, 'A');
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
		set_trigger_enabled(c, t, cmd->name, 'R');
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
		set_trigger_enabled(c, t, cmd->name, 'D');
		return 0;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
		return pp_alter_column_settings(c, t, cmd);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
		return replica_identity(c, t, cmd);
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
		/* Physical or ownership details the model does not hold. */
		return 0;
	default:
		pp_warn(c,
			"ALTER TABLE subcommand %d on \"%s.%s\" is not part "
			"of the schema model; ignored",
			(int)cmd->subtype, t->schema, t->name);
		return 0;
	}
	/* Column changes. */
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault: {
		pp_env env = {t, NULL};
		col->default_expr =
		    cmd->def ? pp_expr(c, cmd->def, col->type, &env) : NULL;
		pp_note_type_uses(c, cmd->def, NULL, 'd', t->schema, t->name,
				  col->name);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		col->not_null = true;
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
		col->not_null = false;
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity: {
		const PgQuery__Constraint *k = cmd->def->constraint;
		col->identity = k->generated_when && *k->generated_when
				    ? k->generated_when[0]
				    : 'a';
		col->identity_options =
		    pp_identity_options(c, col->type, k->options, k->n_options);
		col->not_null = true;
		col->default_expr = NULL;
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
		col->identity = 0;
		col->identity_options = NULL;
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
		set_identity(c, col, cmd->def);
		break;
	default: /* AT_AlterColumnType */
		/* The server gives the column the COLLATE clause's collation,
		 * or else the new type's default: the old one never stays. */
		if (cmd->def && cmd->def->node_case == NC(COLUMN_DEF) &&
		    cmd->def->column_def->type_name) {
			col->type =
			    pp_type_str(c, cmd->def->column_def->type_name);
			col->collation =
			    pp_collation(c, cmd->def->column_def->coll_clause);
		}
		break;
	}
	return 0;
}

/* ALTER INDEX parent_idx ATTACH PARTITION child_idx (pg_dump): the
 * partition's index or constraint now comes from the parent, and the
 * model lists only what a table defines itself. */
static void attach_index(pp_ctx *c, const PgQuery__RangeVar *parent,
			 const PgQuery__RangeVar *rv)
{
	const char *schema = pp_rv_schema(rv);
	model *m = c->m;
	const m_index *x = pp_lookup_index(c, schema, rv->relname);
	if (x) {
		int i = (int)(x - m->indexes);
		pp_names_only_attached(c, pp_rv_schema(parent), parent->relname,
				       x->schema, x->table);
		pp_names_forget_index(c, i);
		PP_REMOVE_AT(m->indexes, m->nindexes, i);
		return;
	}
	for (int i = 0; i < m->ntables; i++) {
		m_table *t = &m->tables[i];
		if (t->parent.schema && !strcmp(t->schema, schema) &&
		    model_table_find_constraint(t, rv->relname)) {
			drop_constraint(c, t, rv->relname);
			return;
		}
	}
}

static bool only_owner(const PgQuery__AlterTableStmt *s)
{
	for (size_t i = 0; i < s->n_cmds; i++)
		if (s->cmds[i]->alter_table_cmd->subtype !=
		    PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
			return false;
	return true;
}

int pp_alter_table(pp_ctx *c, const PgQuery__AlterTableStmt *s)
{
	/* pg_dump's "ALTER TABLE seq OWNER TO" and the like: ownership is
	 * not modelled, whatever the relation is. */
	if (only_owner(s))
		return 0;
	if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
		for (size_t i = 0; i < s->n_cmds; i++) {
			const PgQuery__AlterTableCmd *cmd =
			    s->cmds[i]->alter_table_cmd;
			if (cmd->subtype ==
			    PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition)
				attach_index(c, s->relation,
					     cmd->def->partition_cmd->name);
			else if (cmd->subtype ==
				 PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics)
				pp_alter_index_stattarget(c, s->relation, cmd);
		}
		return 0;
	}
	if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		pp_warn(c,
			"ALTER of \"%s\" (not a table) is not part of the "
			"schema model; ignored",
			s->relation->relname);
		return 0;
	}
	m_table *t = pp_find_table(c, s->relation);
	if (!t) {
		if (s->missing_ok)
			return 0;
		/* ALTER TABLE also reaches views and sequences. */
		const char *sch = pp_rv_schema(s->relation);
		if (pp_lookup_view(c, sch, s->relation->relname)) {
			pp_warn(c,
				"ALTER TABLE on view \"%s.%s\" is not part of "
				"the schema model; ignored",
				sch, s->relation->relname);
			return 0;
		}
		return pp_fail(c, "ALTER TABLE on unknown table \"%s.%s\"",
			       pp_rv_schema(s->relation), s->relation->relname);
	}
	for (size_t i = 0; i < s->n_cmds; i++)
		if (alter_cmd(c, t, s->cmds[i]->alter_table_cmd))
			return -1;
	return 0;
}
