/*
 * GRANT / REVOKE (one m_grant per object, privilege and grantee) and
 * COMMENT ON.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* What ALL expands to, per object kind, as aclexplode() lists it. */
static const char *const all_table[] = {"INSERT",  "SELECT",   "UPDATE",
					"DELETE",  "TRUNCATE", "REFERENCES",
					"TRIGGER", NULL};
static const char *const all_sequence[] = {"USAGE", "SELECT", "UPDATE", NULL};
static const char *const all_schema[] = {"USAGE", "CREATE", NULL};
static const char *const all_function[] = {"EXECUTE", NULL};
static const char *const all_type[] = {"USAGE", NULL};

static char grant_kind(int objtype, const char *const **all)
{
	switch (objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		*all = all_table;
		return 'r';
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		*all = all_sequence;
		return 'S';
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		*all = all_schema;
		return 'n';
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE:
		*all = all_function;
		return 'f';
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		*all = all_type;
		return 'T';
	default:
		return 0;
	}
}

/* Argument types of an ObjectWithArgs, canonical, comma-space. */
static void func_args(strbuf *sb, const PgQuery__ObjectWithArgs *o)
{
	for (size_t i = 0; i < o->n_objargs; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		pp_type_name_nomod(sb, o->objargs[i]->type_name);
	}
}

/* The grant's object as schema + name; functions "name(args)". */
static int grant_object(pp_ctx *c, char kind, const pnode *o,
			const char **schema, char **name)
{
	const char *nm = NULL;
	strbuf sb = STRBUF_INIT;
	*schema = NULL;
	if (o->node_case == NC(RANGE_VAR)) {
		*schema = pp_rv_schema(o->range_var);
		nm = o->range_var->relname;
	} else if (o->node_case == NC(STRING)) {
		nm = o->string->sval;
	} else if (o->node_case == NC(LIST)) {
		if (pp_qualname(o->list->items, o->list->n_items, schema, &nm))
			return -1;
	} else if (o->node_case == NC(TYPE_NAME)) {
		const PgQuery__TypeName *tn = o->type_name;
		if (pp_qualname(tn->names, tn->n_names, schema, &nm))
			return -1;
	} else if (o->node_case == NC(OBJECT_WITH_ARGS)) {
		const PgQuery__ObjectWithArgs *f = o->object_with_args;
		if (pp_qualname(f->objname, f->n_objname, schema, &nm))
			return -1;
		strbuf_addf(&sb, "%s(", nm);
		func_args(&sb, f);
		strbuf_addch(&sb, ')');
		if (f->args_unspecified) {
			/* GRANT ON FUNCTION f: take the one function of that
			 * name the model knows. */
			for (int i = 0; i < c->m->nfunctions; i++) {
				const m_function *fn = &c->m->functions[i];
				if (!strcmp(fn->schema, *schema) &&
				    !strcmp(fn->name, nm)) {
					strbuf_reset(&sb);
					strbuf_addf(&sb, "%s(%s)", nm,
						    fn->identity_args);
				}
			}
		}
		nm = NULL;
	} else {
		return -1;
	}
	if (nm)
		strbuf_adds(&sb, nm);
	if (kind == 'n')
		*schema = NULL;
	*name = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

static void apply_one(pp_ctx *c, const PgQuery__GrantStmt *s, char kind,
		      const char *schema, const char *name, const char *column,
		      const char *grantee, const char *priv)
{
	int i = pp_lookup_grant(c, kind, schema, name, column, grantee, priv);
	if (i >= 0) {
		m_grant *g = &c->m->grants[i];
		if (s->is_grant) {
			g->grantable |= s->grant_option;
		} else if (s->grant_option) {
			g->grantable = false; /* REVOKE GRANT OPTION FOR */
		} else {
			PP_REMOVE_AT(c->m->grants, c->m->ngrants, i);
			pp_names_grants_stale(c);
		}
		return;
	}
	if (!s->is_grant)
		return;
	m_grant *g = model_add_grant(c->m);
	g->objkind = kind;
	g->schema = schema ? model_str(c->m, schema) : NULL;
	g->name = model_str(c->m, name);
	g->column = column ? model_str(c->m, column) : NULL;
	g->grantee = model_str(c->m, grantee); /* NULL stays NULL: PUBLIC */
	g->privilege = model_str(c->m, priv);
	g->grantable = s->grant_option;
}

/*
 * A new routine or type can be used by everyone: PostgreSQL gives EXECUTE
 * or USAGE to PUBLIC without any GRANT.  The model holds that default as
 * a grant (as the live side reports it), so a later REVOKE removes it.
 */
void pp_grant_default(pp_ctx *c, char kind, const char *schema,
		      const char *name)
{
	const char *priv = kind == 'f' ? "EXECUTE" : "USAGE";
	if (pp_lookup_grant(c, kind, schema, name, NULL, NULL, priv) >= 0)
		return;
	m_grant *g = model_add_grant(c->m);
	g->objkind = kind;
	g->schema = model_str(c->m, schema);
	g->name = model_str(c->m, name);
	g->grantee = NULL; /* PUBLIC */
	g->privilege = model_str(c->m, priv);
}

/* Every privilege of `s` on one object, for every grantee. */
static void grant_on(pp_ctx *c, const PgQuery__GrantStmt *s, char kind,
		     const char *const *all, const char *schema,
		     const char *name)
{
	for (size_t r = 0; r < s->n_grantees; r++) {
		const PgQuery__RoleSpec *rs = s->grantees[r]->role_spec;
		/* The pseudo-role (TO PUBLIC, TO public) is NULL; "PUBLIC"
		 * quoted is a role of that name (ROLESPEC_CSTRING). */
		const char *grantee =
		    rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC
			? NULL
		    : rs->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING
			? rs->rolename
			: "CURRENT_USER";
		if (!s->n_privileges) {
			for (int p = 0; all[p]; p++)
				apply_one(c, s, kind, schema, name, NULL,
					  grantee, all[p]);
			continue;
		}
		for (size_t p = 0; p < s->n_privileges; p++) {
			const PgQuery__AccessPriv *ap =
			    s->privileges[p]->access_priv;
			char priv[64];
			size_t k = 0;
			for (const char *q = ap->priv_name;
			     q && *q && k < sizeof(priv) - 1; q++)
				priv[k++] =
				    (*q >= 'a' && *q <= 'z') ? *q - 32 : *q;
			priv[k] = 0;
			if (!PP_STR(ap->priv_name)) {
				/* ALL (col, ...) */
				for (int a = 0; all[a]; a++)
					for (size_t cc = 0; cc < ap->n_cols;
					     cc++)
						apply_one(c, s, kind, schema,
							  name,
							  pp_sval(ap->cols[cc]),
							  grantee, all[a]);
				continue;
			}
			if (!ap->n_cols)
				apply_one(c, s, kind, schema, name, NULL,
					  grantee, priv);
			for (size_t cc = 0; cc < ap->n_cols; cc++)
				apply_one(c, s, kind, schema, name,
					  pp_sval(ap->cols[cc]), grantee, priv);
		}
	}
}

/* ALL TABLES / SEQUENCES / FUNCTIONS IN SCHEMA: the objects that exist
 * at this point of the file, as the server sees them at that moment. */
static void grant_in_schema(pp_ctx *c, const PgQuery__GrantStmt *s, char kind,
			    const char *const *all, const char *schema)
{
	model *m = c->m;
	if (!schema)
		return;
	if (kind == 'r') {
		for (int i = 0; i < m->ntables; i++)
			if (!strcmp(m->tables[i].schema, schema))
				grant_on(c, s, kind, all, schema,
					 m->tables[i].name);
		for (int i = 0; i < m->nviews; i++)
			if (!strcmp(m->views[i].schema, schema))
				grant_on(c, s, kind, all, schema,
					 m->views[i].name);
	} else if (kind == 'S') {
		for (int i = 0; i < m->nsequences; i++)
			if (!strcmp(m->sequences[i].schema, schema))
				grant_on(c, s, kind, all, schema,
					 m->sequences[i].name);
	} else if (kind == 'f') {
		bool procs =
		    s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION;
		bool funcs =
		    s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE;
		for (int i = 0; i < m->nfunctions; i++) {
			const m_function *f = &m->functions[i];
			if (strcmp(f->schema, schema) ||
			    !(f->kind == 'p' ? procs : funcs))
				continue;
			char *n = arena_sprintf(&m->arena, "%s(%s)", f->name,
						f->identity_args);
			grant_on(c, s, kind, all, schema, n);
		}
	}
}

int pp_grant(pp_ctx *c, const PgQuery__GrantStmt *s)
{
	const char *const *all = NULL;
	char kind = grant_kind(s->objtype, &all);
	bool in_schema = s->targtype ==
			 PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA;
	if (!kind ||
	    (!in_schema &&
	     s->targtype != PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_OBJECT)) {
		pp_warn(c,
			"%s on this kind of object is not part of the "
			"schema model; ignored",
			s->is_grant ? "GRANT" : "REVOKE");
		return 0;
	}
	for (size_t o = 0; o < s->n_objects; o++) {
		const char *schema;
		char *name;
		if (in_schema) {
			grant_in_schema(c, s, kind, all,
					pp_sval(s->objects[o]));
			continue;
		}
		if (grant_object(c, kind, s->objects[o], &schema, &name))
			return pp_fail(c, "unusable object name in %s",
				       s->is_grant ? "GRANT" : "REVOKE");
		grant_on(c, s, kind, all, schema, name);
	}
	return 0;
}

/* Relation-like name lists: [schema,] name [, sub]. */
static int split_list(const pnode *o, int extra, const char **schema,
		      const char **name, const char **sub)
{
	if (!o || o->node_case != NC(LIST))
		return -1;
	size_t n = o->list->n_items;
	pnode **it = o->list->items;
	if (n < (size_t)(1 + extra))
		return -1;
	*sub = extra ? pp_sval(it[n - 1]) : NULL;
	return pp_qualname(it, n - (size_t)extra, schema, name);
}

#define SET_COMMENT(obj) (obj)->comment = text ? model_str(c->m, text) : NULL

static int comment_type(pp_ctx *c, const char *schema, const char *name,
			const char *text)
{
	for (int i = 0; i < c->m->nenums; i++)
		if (!strcmp(c->m->enums[i].schema, schema) &&
		    !strcmp(c->m->enums[i].name, name)) {
			SET_COMMENT(&c->m->enums[i]);
			return 0;
		}
	for (int i = 0; i < c->m->ndomains; i++)
		if (!strcmp(c->m->domains[i].schema, schema) &&
		    !strcmp(c->m->domains[i].name, name)) {
			SET_COMMENT(&c->m->domains[i]);
			return 0;
		}
	for (int i = 0; i < c->m->ncomposites; i++)
		if (!strcmp(c->m->composites[i].schema, schema) &&
		    !strcmp(c->m->composites[i].name, name)) {
			SET_COMMENT(&c->m->composites[i]);
			return 0;
		}
	for (int i = 0; i < c->m->nranges; i++)
		if (!strcmp(c->m->ranges[i].schema, schema) &&
		    !strcmp(c->m->ranges[i].name, name)) {
			SET_COMMENT(&c->m->ranges[i]);
			return 0;
		}
	return -1;
}

static int comment_column(pp_ctx *c, const char *schema, const char *rel,
			  const char *col, const char *text)
{
	m_table *t = pp_lookup_table(c, schema, rel);
	if (t) {
		m_column *mc = model_table_find_column(t, col);
		if (!mc)
			return -1;
		SET_COMMENT(mc);
		return 0;
	}
	/* A composite type's attributes are columns too. */
	for (int i = 0; i < c->m->ncomposites; i++) {
		m_composite *ct = &c->m->composites[i];
		if (strcmp(ct->schema, schema) || strcmp(ct->name, rel))
			continue;
		for (int j = 0; j < ct->nattrs; j++)
			if (!strcmp(ct->attrs[j].name, col)) {
				SET_COMMENT(&ct->attrs[j]);
				return 0;
			}
		return -1;
	}
	m_view *v = pp_lookup_view(c, schema, rel);
	if (!v)
		return -1;
	/* View columns: "col\tcomment" entries, one per column. */
	size_t len = strlen(col);
	for (int i = 0; i < v->ncolumn_comments; i++)
		if (!strncmp(v->column_comments[i], col, len) &&
		    v->column_comments[i][len] == '\t') {
			PP_REMOVE_AT(v->column_comments, v->ncolumn_comments,
				     i);
			break;
		}
	if (text)
		*ARENA_PUSH(&c->m->arena, v->column_comments,
			    v->ncolumn_comments, v->ccolumn_comments) =
		    arena_sprintf(&c->m->arena, "%s\t%s", col, text);
	return 0;
}

static int comment_function(pp_ctx *c, const PgQuery__ObjectWithArgs *o,
			    const char *text)
{
	const char *schema, *name;
	if (pp_qualname(o->objname, o->n_objname, &schema, &name))
		return -1;
	strbuf args = STRBUF_INIT;
	func_args(&args, o);
	int ret = -1;
	for (int i = 0; i < c->m->nfunctions; i++) {
		m_function *f = &c->m->functions[i];
		if (!strcmp(f->schema, schema) && !strcmp(f->name, name) &&
		    (o->args_unspecified ||
		     !strcmp(f->identity_args, strbuf_str(&args)))) {
			SET_COMMENT(f);
			ret = 0;
		}
	}
	strbuf_release(&args);
	return ret;
}

static int comment_relation(pp_ctx *c, int objtype, const pnode *o,
			    const char *text)
{
	const char *schema = NULL, *name = NULL, *sub = NULL;
	if (split_list(o, 0, &schema, &name, &sub))
		return -1;
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		m_table *t = pp_lookup_table(c, schema, name);
		if (!t)
			return -1;
		SET_COMMENT(t);
		return 0;
	}
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
		m_index *x = pp_lookup_index(c, schema, name);
		if (!x)
			return -1;
		SET_COMMENT(x);
		return 0;
	}
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE) {
		m_sequence *q = pp_lookup_seq(c, schema, name);
		if (!q)
			return -1;
		SET_COMMENT(q);
		return 0;
	}
	m_view *v = pp_lookup_view(c, schema, name);
	if (!v)
		return -1;
	SET_COMMENT(v);
	return 0;
}

int pp_comment(pp_ctx *c, const PgQuery__CommentStmt *s)
{
	const char *text = PP_STR(s->comment);
	const char *schema = NULL, *name = NULL, *sub = NULL;
	const pnode *o = s->object;
	int r = -1;
	switch (s->objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		r = comment_relation(c, s->objtype, o, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		if (!split_list(o, 1, &schema, &name, &sub))
			r = comment_column(c, schema, name, sub, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		name = pp_sval(o);
		for (int i = 0; name && i < c->m->nschemas; i++)
			if (!strcmp(c->m->schemas[i].name, name)) {
				SET_COMMENT(&c->m->schemas[i]);
				r = 0;
			}
		/* pg_dump comments on the public schema it never creates. */
		if (r && name && !strcmp(name, "public"))
			r = 0;
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		if (o && o->node_case == NC(TYPE_NAME) &&
		    !pp_qualname(o->type_name->names, o->type_name->n_names,
				 &schema, &name))
			r = comment_type(c, schema, name, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE:
		if (o && o->node_case == NC(OBJECT_WITH_ARGS))
			r = comment_function(c, o->object_with_args, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		if (!split_list(o, 1, &schema, &name, &sub)) {
			m_table *t = pp_lookup_table(c, schema, name);
			m_constraint *k =
			    t ? model_table_find_constraint(t, sub) : NULL;
			if (k) {
				SET_COMMENT(k);
				r = 0;
			}
		}
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLLATION: {
		m_collation *k = NULL;
		if (o && o->node_case == NC(LIST) &&
		    !pp_qualname(o->list->items, o->list->n_items, &schema,
				 &name))
			k = pp_find_collation(c->m, schema, name);
		if (k) {
			SET_COMMENT(k);
			r = 0;
		}
		break;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_STATISTIC_EXT:
		r = pp_comment_stats(c, o, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_CAST:
		r = pp_comment_cast(c, o, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TSCONFIGURATION:
		r = pp_comment_ts(c, s->objtype, o, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR:
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPCLASS:
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPFAMILY:
		r = pp_comment_oper(c, s->objtype, o, text);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		if (split_list(o, 1, &schema, &name, &sub))
			break;
		for (int i = 0; i < c->m->ntriggers; i++) {
			m_trigger *g = &c->m->triggers[i];
			if (!strcmp(g->schema, schema) &&
			    !strcmp(g->table, name) && !strcmp(g->name, sub)) {
				SET_COMMENT(g);
				r = 0;
			}
		}
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		if (split_list(o, 1, &schema, &name, &sub))
			break;
		for (int i = 0; i < c->m->npolicies; i++) {
			m_policy *p = &c->m->policies[i];
			if (!strcmp(p->schema, schema) &&
			    !strcmp(p->table, name) && !strcmp(p->name, sub)) {
				SET_COMMENT(p);
				r = 0;
			}
		}
		break;
	default:
		pp_warn(c, "COMMENT on this kind of object is not part of the "
			   "schema model; ignored");
		return 0;
	}
	if (r)
		pp_warn(c, "COMMENT on an object this file does not define; "
			   "ignored");
	return 0;
}
