/*
 * CREATE TABLE: columns, serial expansion and constraints, with the
 * server's implicit names and pg_get_constraintdef() spelling.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

char *pp_seq_regclass(pp_ctx *c, const char *schema, const char *name)
{
	/* A regclass constant prints qualified under the empty
	 * search_path introspection uses. */
	strbuf q = STRBUF_INIT, sb = STRBUF_INIT;
	pp_visible_name(&q, schema, name);
	strbuf_adds(&sb, "nextval(");
	pg_quote_literal_std(&sb, strbuf_str(&q));
	strbuf_adds(&sb, "::regclass)");
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&q);
	strbuf_release(&sb);
	return r;
}

/* serial: an owned sequence named by ChooseRelationName(table, column,
 * "seq"), a nextval() default and NOT NULL. */
static void expand_serial(pp_ctx *c, m_table *t, m_column *col, int bytes)
{
	char *name =
	    pp_choose_name(c, t->schema, t->name, col->name, "seq", true);
	m_sequence *s = model_add_sequence(c->m);
	s->schema = t->schema;
	s->name = name;
	s->type = model_str(c->m, col->type);
	s->start = 1;
	s->increment = 1;
	s->min = 1;
	s->max = bytes == 8 ? INT64_MAX : bytes == 4 ? INT32_MAX : INT16_MAX;
	s->cache = 1;
	s->owner.schema = t->schema;
	s->owner.name = t->name;
	s->owner_column = col->name;
	col->default_expr = pp_seq_regclass(c, s->schema, s->name);
	col->not_null = true;
}

static void push_con(pp_con **cons, int *n, int *cap,
		     const PgQuery__Constraint *k, const char *column)
{
	ALLOC_GROW(*cons, *n + 1, *cap);
	pp_con *p = &(*cons)[(*n)++];
	p->k = k;
	p->column = column;
	p->deferrable = k->deferrable;
	p->deferred = k->initdeferred;
	p->not_valid = false; /* the server checks a new column's rows */
}

int pp_add_column(pp_ctx *c, m_table *t, const PgQuery__ColumnDef *cd,
		  pp_con **cons, int *ncons, int *ccons)
{
	if (model_table_find_column(t, cd->colname))
		return pp_fail(c, "column \"%s\" specified more than once",
			       cd->colname);
	m_column *col = model_table_add_column(c->m, t);
	col->name = model_str(c->m, cd->colname);
	int serial = 0;
	strbuf type = STRBUF_INIT;
	if (cd->type_name)
		pp_type_name(&type, cd->type_name, &serial);
	col->type = model_str(c->m, strbuf_str(&type));
	strbuf_release(&type);
	col->collation = pp_collation(c, cd->coll_clause);
	col->not_null = cd->is_not_null;
	if (serial)
		expand_serial(c, t, col, serial);
	pp_env env = {t, NULL};
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const pnode *n = cd->constraints[i];
		if (n->node_case != NC(CONSTRAINT))
			continue;
		const PgQuery__Constraint *k = n->constraint;
		switch (k->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
			col->not_null = false;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			col->not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			col->default_expr =
			    pp_expr(c, k->raw_expr, col->type, &env);
			pp_note_type_uses(c, k->raw_expr, NULL, 'd', t->schema,
					  t->name, col->name);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			col->identity = k->generated_when && *k->generated_when
					    ? k->generated_when[0]
					    : 'a';
			col->identity_options = pp_identity_options(
			    c, col->type, k->options, k->n_options);
			col->not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			col->generated_expr =
			    pp_expr(c, k->raw_expr, NULL, &env);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE:
			/* These qualify the constraint before them. */
			if (*ncons) {
				pp_con *p = &(*cons)[*ncons - 1];
				if (k->contype ==
				    PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE)
					p->deferrable = true;
				else if (
				    k->contype ==
				    PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE)
					p->deferrable = false;
				else
					p->deferred =
					    k->contype ==
					    PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED;
				if (p->deferred)
					p->deferrable = true;
			}
			break;
		default:
			push_con(cons, ncons, ccons, k, col->name);
		}
	}
	return 0;
}

void pp_quoted_list(strbuf *sb, char **names, int n)
{
	strbuf_addch(sb, '(');
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		pg_quote_ident(sb, names[i]);
	}
	strbuf_addch(sb, ')');
}

static void node_names(strbuf *sb, pnode **names, size_t n)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		pg_quote_ident(sb, pp_sval(names[i]));
	}
	strbuf_addch(sb, ')');
}

void pp_deferrable_suffix(strbuf *sb, const pp_con *p)
{
	if (p->deferrable)
		strbuf_adds(sb, " DEFERRABLE");
	if (p->deferred)
		strbuf_adds(sb, " INITIALLY DEFERRED");
}

static const char *fk_action(const char *a)
{
	switch (a && *a ? *a : 'a') {
	case 'r':
		return "RESTRICT";
	case 'c':
		return "CASCADE";
	case 'n':
		return "SET NULL";
	case 'd':
		return "SET DEFAULT";
	default:
		return NULL;
	}
}

m_constraint *pp_new_con(pp_ctx *c, m_table *t, const char *name)
{
	if (model_table_find_constraint(t, name)) {
		pp_fail(c,
			"constraint \"%s\" for relation \"%s\" already exists",
			name, t->name);
		return NULL;
	}
	m_constraint *k = model_table_add_constraint(c->m, t);
	k->name = model_str(c->m, name);
	return k;
}

static int add_check(pp_ctx *c, m_table *t, const pp_con *p)
{
	const char *name = p->k->conname;
	if (!name || !*name) {
		/* One distinct column: t_col_check, else t_check (as
		 * AddRelationNewConstraints decides). */
		const char *first = NULL;
		int count = 0;
		pp_column_refs(p->k->raw_expr, &first, &count);
		name =
		    pp_choose_name(c, t->schema, t->name,
				   count == 1 ? first : NULL, "check", false);
	}
	m_constraint *k = pp_new_con(c, t, name);
	if (!k)
		return -1;
	k->kind = M_CON_CHECK;
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "CHECK (");
	pp_env env = {t, NULL};
	pp_expr_env(&sb, p->k->raw_expr, &env);
	strbuf_addch(&sb, ')');
	if (p->k->is_no_inherit)
		strbuf_adds(&sb, " NO INHERIT");
	k->not_valid = p->not_valid;
	k->definition = model_str(c->m, strbuf_str(&sb));
	pp_note_type_uses(c, p->k->raw_expr, t, 'c', t->schema, t->name,
			  k->name);
	strbuf_release(&sb);
	return 0;
}

/* The definition of a primary key / unique / exclusion constraint and
 * its key columns (for the implicit name and the model). */
static void index_con_def(strbuf *sb, m_table *t, const pp_con *p, char kind,
			  char ***cols, size_t *ncols)
{
	const PgQuery__Constraint *src = p->k;
	size_t cap = 0;
	if (kind == 'x') {
		strbuf_addf(sb, "EXCLUDE USING %s (",
			    PP_STR(src->access_method) ? src->access_method
						       : "btree");
		for (size_t i = 0; i < src->n_exclusions; i++) {
			const PgQuery__List *pair = src->exclusions[i]->list;
			const PgQuery__IndexElem *el =
			    pair->items[0]->index_elem;
			const PgQuery__List *op = pair->items[1]->list;
			pp_env env = {t, NULL};
			if (i)
				strbuf_adds(sb, ", ");
			pp_index_elems(sb, pair->items, 1, &env);
			strbuf_addf(sb, " WITH %s",
				    pp_sval(op->items[op->n_items - 1]));
			const char *s = PP_STR(el->name);
			if (!s)
				s = pp_index_colname(el->expr);
			ALLOC_GROW(*cols, *ncols + 1, cap);
			(*cols)[(*ncols)++] = (char *)(s ? s : "expr");
		}
		strbuf_addch(sb, ')');
	} else {
		strbuf_adds(sb, kind == 'p' ? "PRIMARY KEY " : "UNIQUE ");
		if (src->nulls_not_distinct)
			strbuf_adds(sb, "NULLS NOT DISTINCT ");
		if (!src->n_keys && p->column) {
			ALLOC_GROW(*cols, *ncols + 1, cap);
			(*cols)[(*ncols)++] = (char *)p->column;
		}
		for (size_t i = 0; i < src->n_keys; i++) {
			ALLOC_GROW(*cols, *ncols + 1, cap);
			(*cols)[(*ncols)++] = (char *)pp_sval(src->keys[i]);
		}
		pp_quoted_list(sb, *cols, (int)*ncols);
	}
	if (src->n_including) {
		strbuf_adds(sb, " INCLUDE ");
		node_names(sb, src->including, src->n_including);
	}
	if (kind == 'x' && src->where_clause) {
		pp_env env = {t, NULL};
		strbuf_adds(sb, " WHERE (");
		pp_expr_env(sb, src->where_clause, &env);
		strbuf_addch(sb, ')');
	}
	pp_deferrable_suffix(sb, p);
}

/* What follows the constraint keyword, to spot repeated keys. */
static const char *key_part(const char *def)
{
	if (!strncmp(def, "PRIMARY KEY ", 12))
		return def + 12;
	if (!strncmp(def, "UNIQUE ", 7))
		return def + 7;
	return def;
}

/* `first`: the first constraint this statement added. The server drops
 * an index constraint that repeats an earlier one of the same statement
 * (UNIQUE PRIMARY KEY, UNIQUE (a), UNIQUE (a)). */
static int add_index_con(pp_ctx *c, m_table *t, const pp_con *p, int first)
{
	const PgQuery__Constraint *src = p->k;
	char kind = src->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ? 'p'
		    : src->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE
			? 'u'
			: 'x';
	if (kind != 'x' && PP_STR(src->indexname))
		return pp_add_using_index(c, t, p, kind);
	strbuf sb = STRBUF_INIT;
	char **cols = NULL;
	size_t ncols = 0;
	index_con_def(&sb, t, p, kind, &cols, &ncols);
	for (int i = first; kind != 'p' && i < t->nconstraints; i++) {
		const m_constraint *o = &t->constraints[i];
		if (strchr("pux", o->kind) &&
		    !strcmp(key_part(o->definition),
			    key_part(strbuf_str(&sb)))) {
			strbuf_release(&sb);
			free(cols);
			return 0;
		}
	}
	const char *name = PP_STR(src->conname);
	if (!name && kind == 'p') {
		name =
		    pp_choose_name(c, t->schema, t->name, NULL, "pkey", true);
	} else if (!name) {
		/* Key columns, then INCLUDE columns, as
		 * ChooseIndexColumnNames sees them. */
		size_t n = ncols, cap = ncols;
		for (size_t i = 0; i < src->n_including; i++) {
			ALLOC_GROW(cols, n + 1, cap);
			cols[n++] = (char *)pp_sval(src->including[i]);
		}
		char *add = pp_name_addition(cols, (int)n);
		name = pp_choose_name(c, t->schema, t->name, add,
				      kind == 'u' ? "key" : "excl", true);
		free(add);
	}
	m_constraint *k = pp_new_con(c, t, name);
	if (!k) {
		strbuf_release(&sb);
		free(cols);
		return -1;
	}
	k->kind = kind;
	k->deferrable = p->deferrable;
	k->deferred = p->deferred;
	for (size_t i = 0; i < ncols; i++)
		*ARENA_PUSH(&c->m->arena, k->columns, k->ncolumns,
			    k->ccolumns) = model_str(c->m, cols[i]);
	free(cols);
	k->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	/* A primary key makes its columns NOT NULL. */
	for (int i = 0; kind == 'p' && i < k->ncolumns; i++) {
		m_column *col = model_table_find_column(t, k->columns[i]);
		if (col)
			col->not_null = true;
	}
	return 0;
}

static int add_fk(pp_ctx *c, m_table *t, const pp_con *p)
{
	const PgQuery__Constraint *src = p->k;
	/* Remember the constrained columns before any other push moves
	 * the table's constraint array. */
	char **cols = NULL;
	size_t n = 0, cap = 0;
	if (!src->n_fk_attrs && p->column) {
		ALLOC_GROW(cols, n + 1, cap);
		cols[n++] = (char *)p->column;
	}
	for (size_t i = 0; i < src->n_fk_attrs; i++) {
		ALLOC_GROW(cols, n + 1, cap);
		cols[n++] = (char *)pp_sval(src->fk_attrs[i]);
	}
	const char *name = src->conname;
	if (!name || !*name) {
		char *add = pp_name_addition(cols, (int)n);
		name =
		    pp_choose_name(c, t->schema, t->name, add, "fkey", false);
		free(add);
	}
	m_constraint *k = pp_new_con(c, t, name);
	if (!k) {
		free(cols);
		return -1;
	}
	k->kind = M_CON_FOREIGN;
	k->deferrable = p->deferrable;
	k->deferred = p->deferred;
	for (size_t i = 0; i < n; i++)
		*ARENA_PUSH(&c->m->arena, k->columns, k->ncolumns,
			    k->ccolumns) = model_str(c->m, cols[i]);
	free(cols);
	k->ref.schema = model_str(c->m, pp_rv_schema(src->pktable));
	k->ref.name = model_str(c->m, src->pktable->relname);
	for (size_t i = 0; i < src->n_pk_attrs; i++)
		*ARENA_PUSH(&c->m->arena, k->ref_columns, k->nref_columns,
			    k->cref_columns) =
		    model_str(c->m, pp_sval(src->pk_attrs[i]));
	if (!src->n_pk_attrs) {
		/* REFERENCES t alone means t's primary key. */
		const m_table *rt =
		    pp_lookup_table(c, k->ref.schema, k->ref.name);
		for (int i = 0; rt && i < rt->nconstraints; i++) {
			const m_constraint *pk = &rt->constraints[i];
			if (pk->kind != M_CON_PRIMARY)
				continue;
			for (int j = 0; j < pk->ncolumns; j++)
				*ARENA_PUSH(&c->m->arena, k->ref_columns,
					    k->nref_columns, k->cref_columns) =
				    pk->columns[j];
		}
		if (!k->nref_columns)
			pp_warn(c,
				"foreign key \"%s\": no primary key known for "
				"%s.%s; referenced columns left empty",
				k->name, k->ref.schema, k->ref.name);
	}
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "FOREIGN KEY ");
	pp_quoted_list(&sb, k->columns, k->ncolumns);
	strbuf_adds(&sb, " REFERENCES ");
	pp_visible_name(&sb, k->ref.schema, k->ref.name);
	pp_quoted_list(&sb, k->ref_columns, k->nref_columns);
	if (src->fk_matchtype && src->fk_matchtype[0] == 'f')
		strbuf_adds(&sb, " MATCH FULL");
	const char *upd = fk_action(src->fk_upd_action);
	const char *del = fk_action(src->fk_del_action);
	if (upd)
		strbuf_addf(&sb, " ON UPDATE %s", upd);
	if (del) {
		strbuf_addf(&sb, " ON DELETE %s", del);
		if (src->n_fk_del_set_cols) {
			strbuf_addch(&sb, ' ');
			node_names(&sb, src->fk_del_set_cols,
				   src->n_fk_del_set_cols);
		}
	}
	pp_deferrable_suffix(&sb, p);
	k->not_valid = p->not_valid;
	k->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

int pp_add_constraints(pp_ctx *c, m_table *t, pp_con *cons, int ncons)
{
	/* The server names checks while creating the table, then the
	 * primary key's index, the other index-backed constraints, and
	 * foreign keys last; implicit names depend on that order. */
	int first = t->nconstraints;
	for (int pass = 0; pass < 4; pass++) {
		for (int i = 0; i < ncons; i++) {
			int ty = cons[i].k->contype;
			int r = 0;
			if (pass == 0 &&
			    ty == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)
				r = add_check(c, t, &cons[i]);
			else if (pass == 1 &&
				 ty == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
				r = add_index_con(c, t, &cons[i], first);
			else if (pass == 2 &&
				 (ty == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
				  ty ==
				      PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION))
				r = add_index_con(c, t, &cons[i], first);
			else if (pass == 3 &&
				 ty == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
				r = add_fk(c, t, &cons[i]);
			if (r)
				return -1;
		}
	}
	return 0;
}

/* "RANGE (created_at)" as pg_get_partkeydef prints it. */
static void partition_key(strbuf *sb, const PgQuery__PartitionSpec *ps,
			  const pp_env *env)
{
	for (const char *p = ps->strategy; p && *p; p++)
		strbuf_addch(sb, (*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
	strbuf_adds(sb, " (");
	for (size_t i = 0; i < ps->n_part_params; i++) {
		const PgQuery__PartitionElem *el =
		    ps->part_params[i]->partition_elem;
		if (i)
			strbuf_adds(sb, ", ");
		pp_key_element(sb, el->name, el->expr, env);
	}
	strbuf_addch(sb, ')');
}

/* The type of key column `i` of a partitioned table ("RANGE (a, b)"),
 * or NULL for an expression or an unknown table. */
static const char *key_type(const m_table *parent, size_t i)
{
	const char *p = parent && parent->partition_key
			    ? strchr(parent->partition_key, '(')
			    : NULL;
	if (!p)
		return NULL;
	for (p++; i; p++) {
		if (!*p || *p == '(')
			return NULL; /* past an expression: give up */
		if (*p == ',')
			i--;
	}
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, ",)");
	if (!n || *p == '"')
		return NULL;
	char *name = strndup(p, n);
	const m_column *col = model_table_find_column(parent, name);
	free(name);
	return col ? col->type : NULL;
}

/* Bound values print as the key type's output: ('2024-01-01'), (1),
 * MINVALUE; a timestamp in full, one with a time zone in UTC. */
static void bound_values(strbuf *sb, pnode **v, size_t n, const m_table *parent)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < n; i++) {
		const pnode *x = v[i];
		if (i)
			strbuf_adds(sb, ", ");
		if (x->node_case == NC(A_CONST) &&
		    x->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
			const char *type = key_type(parent, i);
			const char *val = x->a_const->sval->sval;
			strbuf ts = STRBUF_INIT;
			bool stamp = type && !strncmp(type, "timestamp", 9) &&
				     strstr(type, " with") &&
				     pp_timestamp_literal(
					 &ts, val, !strstr(type, "without"));
			pg_quote_literal_std(sb, stamp ? strbuf_str(&ts) : val);
			strbuf_release(&ts);
		} else if (x->node_case == NC(COLUMN_REF)) {
			const char *s = pp_sval(x->column_ref->fields[0]);
			for (; s && *s; s++)
				strbuf_addch(sb, (*s >= 'a' && *s <= 'z')
						     ? *s - 32
						     : *s);
		} else {
			pp_expr_sb(sb, x);
		}
	}
	strbuf_addch(sb, ')');
}

char *pp_partition_bound(pp_ctx *c, const PgQuery__PartitionBoundSpec *b,
			 const m_table *parent)
{
	strbuf sb = STRBUF_INIT;
	if (b->is_default) {
		strbuf_adds(&sb, "DEFAULT");
	} else if (b->strategy && b->strategy[0] == 'h') {
		strbuf_addf(&sb, "FOR VALUES WITH (modulus %d, remainder %d)",
			    b->modulus, b->remainder);
	} else if (b->n_listdatums) {
		strbuf_adds(&sb, "FOR VALUES IN ");
		bound_values(&sb, b->listdatums, b->n_listdatums, NULL);
	} else {
		strbuf_adds(&sb, "FOR VALUES FROM ");
		bound_values(&sb, b->lowerdatums, b->n_lowerdatums, parent);
		strbuf_adds(&sb, " TO ");
		bound_values(&sb, b->upperdatums, b->n_upperdatums, parent);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* An option's value as the server stores it in reloptions. */
static void option_value(strbuf *sb, const pnode *a)
{
	if (!a)
		strbuf_adds(sb, "true");
	else if (a->node_case == NC(STRING))
		strbuf_adds(sb, a->string->sval);
	else if (a->node_case == NC(INTEGER))
		strbuf_addf(sb, "%d", a->integer->ival);
	else if (a->node_case == NC(FLOAT))
		strbuf_adds(sb, a->float_->fval);
	else if (a->node_case == NC(BOOLEAN))
		strbuf_adds(sb, a->boolean->boolval ? "true" : "false");
	else if (a->node_case == NC(TYPE_NAME))
		pp_type_name(sb, a->type_name, NULL);
	else
		pp_expr_sb(sb, a);
}

char *pp_reloptions(pp_ctx *c, pnode **opts, size_t n)
{
	if (!n)
		return NULL;
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__DefElem *d = opts[i]->def_elem;
		if (i)
			strbuf_adds(&sb, ", ");
		if (PP_STR(d->defnamespace))
			strbuf_addf(&sb, "%s.", d->defnamespace);
		strbuf_adds(&sb, d->defname);
		strbuf_addch(&sb, '=');
		option_value(&sb, d->arg);
	}
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

void pp_index_options(strbuf *sb, pnode **opts, size_t n)
{
	strbuf v = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__DefElem *d = opts[i]->def_elem;
		strbuf_addf(sb, "%s%s=", i ? ", " : "", d->defname);
		strbuf_reset(&v);
		option_value(&v, d->arg);
		/* flatten_reloptions(): a value that quote_identifier()
		 * leaves alone is printed bare, any other quoted. */
		if (pg_ident_is_plain(strbuf_str(&v)))
			strbuf_adds(sb, strbuf_str(&v));
		else
			pg_quote_literal_std(sb, strbuf_str(&v));
	}
	strbuf_release(&v);
}

int pp_create_table(pp_ctx *c, const PgQuery__CreateStmt *s)
{
	const PgQuery__RangeVar *rv = s->relation;
	const char *schema = pp_rv_schema(rv);
	if (rv->relpersistence && rv->relpersistence[0] == 't') {
		pp_warn(c,
			"temporary table \"%s\" is not part of the schema "
			"model; ignored",
			rv->relname);
		return 0;
	}
	if (pp_find_table(c, rv)) {
		if (s->if_not_exists)
			return 0;
		return pp_fail(c, "relation \"%s.%s\" already exists", schema,
			       rv->relname);
	}
	m_table *t = model_add_table(c->m);
	t->schema = model_str(c->m, schema);
	t->name = model_str(c->m, rv->relname);
	t->kind = s->partspec ? 'p' : 'r';
	t->unlogged = rv->relpersistence && rv->relpersistence[0] == 'u';
	t->options = pp_reloptions(c, s->options, s->n_options);
	if (s->partspec) {
		strbuf sb = STRBUF_INIT;
		/* Columns come later in the statement; the key's
		 * expressions are printed without their types. */
		partition_key(&sb, s->partspec, NULL);
		t->partition_key = model_str(c->m, strbuf_str(&sb));
		strbuf_release(&sb);
	}
	if (s->of_typename)
		pp_warn(c,
			"typed table \"%s\" (OF type) is modelled as a plain "
			"table",
			t->name);
	for (size_t i = 0; i < s->n_inh_relations; i++) {
		const PgQuery__RangeVar *p = s->inh_relations[i]->range_var;
		m_ref *r = ARENA_PUSH(&c->m->arena, t->inherits, t->ninherits,
				      t->cinherits);
		r->schema = model_str(c->m, pp_rv_schema(p));
		r->name = model_str(c->m, p->relname);
	}
	if (s->partbound && t->ninherits) {
		/* PARTITION OF parent: a partition, not an heir. */
		t->parent = t->inherits[0];
		t->ninherits = 0;
		t->partition_bound = pp_partition_bound(
		    c, s->partbound,
		    pp_lookup_table(c, t->parent.schema, t->parent.name));
	}
	pp_con *cons = NULL;
	int ncons = 0, ccons = 0, ret = 0;
	for (size_t i = 0; i < s->n_table_elts && !ret; i++) {
		const pnode *n = s->table_elts[i];
		if (n->node_case == NC(COLUMN_DEF)) {
			/* A partition's column entries only add
			 * constraints to the parent's columns. */
			ret = pp_add_column(c, t, n->column_def, &cons, &ncons,
					    &ccons);
		} else if (n->node_case == NC(CONSTRAINT)) {
			ALLOC_GROW(cons, ncons + 1, ccons);
			pp_con *p = &cons[ncons++];
			p->k = n->constraint;
			p->column = NULL;
			p->deferrable = n->constraint->deferrable;
			p->deferred = n->constraint->initdeferred;
			p->not_valid = false; /* see pp_con */
		} else {
			pp_warn(c,
				"LIKE in CREATE TABLE \"%s\" is not expanded",
				t->name);
		}
	}
	if (!ret)
		ret = pp_add_constraints(c, t, cons, ncons);
	free(cons);
	/* Partitions carry no columns of their own in the model. */
	while (t->parent.schema && t->ncolumns)
		PP_REMOVE_AT(t->columns, t->ncolumns, t->ncolumns - 1);
	return ret;
}
