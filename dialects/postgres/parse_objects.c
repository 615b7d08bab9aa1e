/*
 * Objects other than tables: schemas, extensions, types, domains, views,
 * functions, triggers and policies.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "pg.h"

int pp_create_schema(pp_ctx *c, const PgQuery__CreateSchemaStmt *s)
{
	/* Every database has public; a model leaves it implicit. */
	if (!strcmp(s->schemaname, "public"))
		return 0;
	for (int i = 0; i < c->m->nschemas; i++)
		if (!strcmp(c->m->schemas[i].name, s->schemaname)) {
			if (s->if_not_exists)
				return 0;
			return pp_fail(c, "schema \"%s\" already exists",
				       s->schemaname);
		}
	m_schema *sc = model_add_schema(c->m);
	sc->name = model_str(c->m, s->schemaname);
	if (s->n_schema_elts)
		pp_warn(c,
			"objects created inside CREATE SCHEMA \"%s\" are "
			"not read; create them with their own statements",
			s->schemaname);
	return 0;
}

int pp_create_extension(pp_ctx *c, const PgQuery__CreateExtensionStmt *s)
{
	for (int i = 0; i < c->m->nextensions; i++)
		if (!strcmp(c->m->extensions[i].name, s->extname))
			return 0;
	m_extension *x = model_add_extension(c->m);
	x->name = model_str(c->m, s->extname);
	x->schema = model_str(c->m, "public");
	for (size_t i = 0; i < s->n_options; i++) {
		const PgQuery__DefElem *d = s->options[i]->def_elem;
		if (!strcmp(d->defname, "schema") && pp_sval(d->arg))
			x->schema = model_str(c->m, pp_sval(d->arg));
	}
	return 0;
}

int pp_create_enum(pp_ctx *c, const PgQuery__CreateEnumStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->type_name, s->n_type_name, &schema, &name))
		return pp_fail(c, "unusable type name in CREATE TYPE");
	m_enum *en = model_add_enum(c->m);
	en->schema = model_str(c->m, schema);
	en->name = model_str(c->m, name);
	for (size_t i = 0; i < s->n_vals; i++)
		*ARENA_PUSH(&c->m->arena, en->labels, en->nlabels,
			    en->clabels) = model_str(c->m, pp_sval(s->vals[i]));
	pp_grant_default(c, 'T', en->schema, en->name);
	return 0;
}

int pp_create_composite(pp_ctx *c, const PgQuery__CompositeTypeStmt *s)
{
	m_composite *t = model_add_composite(c->m);
	t->schema = model_str(c->m, pp_rv_schema(s->typevar));
	t->name = model_str(c->m, s->typevar->relname);
	pp_grant_default(c, 'T', t->schema, t->name);
	for (size_t i = 0; i < s->n_coldeflist; i++) {
		const PgQuery__ColumnDef *cd = s->coldeflist[i]->column_def;
		m_column *a =
		    ARENA_PUSH(&c->m->arena, t->attrs, t->nattrs, t->cattrs);
		a->name = model_str(c->m, cd->colname);
		a->type = pp_type_str(c, cd->type_name);
		a->collation = pp_collation(c, cd->coll_clause);
	}
	return 0;
}

int pp_create_domain(pp_ctx *c, const PgQuery__CreateDomainStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->domainname, s->n_domainname, &schema, &name))
		return pp_fail(c, "unusable domain name");
	m_domain *d = model_add_domain(c->m);
	d->schema = model_str(c->m, schema);
	d->name = model_str(c->m, name);
	pp_grant_default(c, 'T', d->schema, d->name);
	d->base_type = pp_type_str(c, s->type_name);
	d->collation = pp_collation(c, s->coll_clause);
	for (size_t i = 0; i < s->n_constraints; i++) {
		const PgQuery__Constraint *k = s->constraints[i]->constraint;
		switch (k->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			d->not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
			d->not_null = false;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			d->default_expr =
			    pp_expr(c, k->raw_expr, d->base_type, NULL);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
			const char *cn =
			    k->conname && *k->conname
				? k->conname
				: pp_choose_name(c, d->schema, d->name, NULL,
						 "check", false);
			strbuf sb = STRBUF_INIT;
			strbuf_adds(&sb, "CHECK (");
			pp_env env = {NULL, d->base_type};
			pp_expr_env(&sb, k->raw_expr, &env);
			strbuf_addch(&sb, ')');
			m_constraint *mc = ARENA_PUSH(&c->m->arena, d->checks,
						      d->nchecks, d->cchecks);
			mc->name = model_str(c->m, cn);
			mc->kind = M_CON_CHECK;
			mc->definition = model_str(c->m, strbuf_str(&sb));
			strbuf_release(&sb);
			break;
		}
		default:
			pp_warn(c, "domain \"%s\": constraint kind %d ignored",
				d->name, (int)k->contype);
		}
	}
	return 0;
}

static m_view *new_view(pp_ctx *c, const PgQuery__RangeVar *rv, bool replace)
{
	const char *schema = pp_rv_schema(rv);
	m_view *v = pp_lookup_view(c, schema, rv->relname);
	if (v) {
		if (!replace) {
			pp_fail(c, "relation \"%s.%s\" already exists", schema,
				rv->relname);
			return NULL;
		}
		memset(v, 0, sizeof(*v));
		v->schema = model_str(c->m, schema);
		v->name = model_str(c->m, rv->relname);
		return v;
	}
	v = model_add_view(c->m);
	v->schema = model_str(c->m, schema);
	v->name = model_str(c->m, rv->relname);
	return v;
}

static int view_body(pp_ctx *c, m_view *v, pnode *query)
{
	pp_reads r = {&v->deps,	       &v->ndeps,	 &v->cdeps,
		      &v->column_deps, &v->ncolumn_deps, &v->ccolumn_deps};
	pp_collect_deps(c, query, &r);
	pp_collect_column_deps(c, query, &r);
	pp_note_type_uses(c, query, NULL, 'v', v->schema, v->name, NULL);
	char *def = pp_deparse_stmt(query);
	if (!def)
		return pp_fail(c, "cannot deparse the query of view \"%s\"",
			       v->name);
	v->definition = model_str(c->m, def);
	free(def);
	return 0;
}

int pp_create_view(pp_ctx *c, const PgQuery__ViewStmt *s)
{
	m_view *v = new_view(c, s->view, s->replace);
	if (!v)
		return -1;
	if (s->with_check_option ==
	    PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION)
		v->check_option = model_str(c->m, "local");
	else if (s->with_check_option ==
		 PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION)
		v->check_option = model_str(c->m, "cascaded");
	/* WITH (check_option=...) is the same as WITH ... CHECK OPTION;
	 * the other options are reloptions. */
	pnode **rest = xcalloc(s->n_options + 1, sizeof(pnode *));
	size_t nrest = 0;
	for (size_t i = 0; i < s->n_options; i++) {
		const PgQuery__DefElem *d = s->options[i]->def_elem;
		if (!strcmp(d->defname, "check_option") && pp_sval(d->arg))
			v->check_option = model_str(c->m, pp_sval(d->arg));
		else
			rest[nrest++] = s->options[i];
	}
	v->options = pp_reloptions(c, rest, nrest);
	free(rest);
	return view_body(c, v, s->query);
}

int pp_create_matview(pp_ctx *c, const PgQuery__CreateTableAsStmt *s)
{
	m_view *v = new_view(c, s->into->rel, false);
	if (!v)
		return -1;
	v->materialized = true;
	v->options = pp_reloptions(c, s->into->options, s->into->n_options);
	return view_body(c, v, s->query);
}

static bool is_input_mode(int mode)
{
	return mode != PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT &&
	       mode != PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE;
}

static int cmp_defelem(const void *a, const void *b)
{
	const PgQuery__DefElem *x = (*(pnode *const *)a)->def_elem;
	const PgQuery__DefElem *y = (*(pnode *const *)b)->def_elem;
	return strcmp(x->defname, y->defname);
}

/* Argument and result types respelled the way pg_dump writes them, so
 * that int4 / integer and mood / public.mood deparse alike: internal
 * names get pg_catalog, other unqualified non-builtin names public. The
 * copies live in `keep` (freed by the caller). */
typedef struct respelled {
	PgQuery__FunctionParameter par;
	PgQuery__TypeName tn;
	PgQuery__String s1, s2;
	pnode n1, n2, wrap;
	pnode *names[2];
} respelled;

static PgQuery__TypeName *respell(const PgQuery__TypeName *tn, respelled *r)
{
	static const char *const internal[] = {
	    "bool",   "int2",	"int4",	       "int8",	 "float4",
	    "float8", "varbit", "timestamptz", "timetz", NULL};
	if (!tn || !tn->n_names || !pp_sval(tn->names[tn->n_names - 1]))
		return (PgQuery__TypeName *)tn;
	/* Function types carry no modifier: varchar(10) is varchar. */
	r->tn = *tn;
	r->tn.n_typmods = 0;
	if (tn->n_names != 1)
		return &r->tn;
	const char *name = pp_sval(tn->names[0]);
	const char *schema = NULL;
	for (int i = 0; internal[i] && !schema; i++)
		if (!strcmp(name, internal[i]))
			schema = "pg_catalog";
	if (!schema) {
		strbuf t = STRBUF_INIT;
		PgQuery__TypeName bare = *tn;
		bare.n_array_bounds = 0;
		bare.n_typmods = 0;
		bare.setof = 0;
		pp_type_name(&t, &bare, NULL);
		/* pp_type_name qualifies exactly the non-builtin names. */
		if (!strncmp(strbuf_str(&t), "public.", 7))
			schema = "public";
		strbuf_release(&t);
	}
	if (!schema)
		return &r->tn;
	r->s1 = (PgQuery__String)PG_QUERY__STRING__INIT;
	r->s2 = (PgQuery__String)PG_QUERY__STRING__INIT;
	r->n1 = (pnode)PG_QUERY__NODE__INIT;
	r->n2 = (pnode)PG_QUERY__NODE__INIT;
	r->s1.sval = (char *)schema;
	r->s2.sval = (char *)name;
	r->n1.node_case = r->n2.node_case = NC(STRING);
	r->n1.string = &r->s1;
	r->n2.string = &r->s2;
	r->names[0] = &r->n1;
	r->names[1] = &r->n2;
	r->tn.n_names = 2;
	r->tn.names = r->names;
	return &r->tn;
}

/* CREATE OR REPLACE text from the deparser, with the name qualified and
 * the options (LANGUAGE, AS, volatility...) in one order, so that the
 * spellings of pg_dump and of a hand-written file agree. */
static char *function_definition(const pnode *n, const char *schema,
				 const char *name)
{
	PgQuery__CreateFunctionStmt f = *n->create_function_stmt;
	PgQuery__String s1 = PG_QUERY__STRING__INIT,
			s2 = PG_QUERY__STRING__INIT;
	pnode n1 = PG_QUERY__NODE__INIT, n2 = PG_QUERY__NODE__INIT;
	s1.sval = (char *)schema;
	s2.sval = (char *)name;
	n1.node_case = n2.node_case = NC(STRING);
	n1.string = &s1;
	n2.string = &s2;
	pnode *names[2] = {&n1, &n2};
	f.replace = 1;
	/* pg_dump always writes RETURNS: the one OUT argument's type, or
	 * record for several. */
	PgQuery__String rs = PG_QUERY__STRING__INIT;
	pnode rn = PG_QUERY__NODE__INIT;
	pnode *rnames[1] = {&rn};
	PgQuery__TypeName record = PG_QUERY__TYPE_NAME__INIT;
	if (!f.return_type && !f.is_procedure) {
		const PgQuery__TypeName *one = NULL;
		int nout = 0;
		for (size_t i = 0; i < f.n_parameters; i++) {
			const PgQuery__FunctionParameter *p =
			    f.parameters[i]->function_parameter;
			if (p->mode ==
				PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT ||
			    p->mode ==
				PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT) {
				one = p->arg_type;
				nout++;
			}
		}
		if (nout == 1) {
			f.return_type = (PgQuery__TypeName *)one;
		} else if (nout > 1) {
			rs.sval = (char *)"record";
			rn.node_case = NC(STRING);
			rn.string = &rs;
			record.n_names = 1;
			record.names = rnames;
			record.typemod = -1;
			f.return_type = &record;
		}
	}
	f.n_funcname = 2;
	f.funcname = names;
	pnode **opts = xcalloc(f.n_options + 1, sizeof(pnode *));
	if (f.n_options)
		memcpy(opts, f.options, f.n_options * sizeof(pnode *));
	qsort(opts, f.n_options, sizeof(pnode *), cmp_defelem);
	f.options = opts;
	/* One respelled copy per parameter (and one for the result). */
	respelled *keep = xcalloc(f.n_parameters + 1, sizeof(respelled));
	pnode **params = xcalloc(f.n_parameters + 1, sizeof(pnode *));
	for (size_t i = 0; i < f.n_parameters; i++) {
		respelled *r = &keep[i];
		r->par = *f.parameters[i]->function_parameter;
		r->par.arg_type = respell(r->par.arg_type, r);
		r->wrap = *f.parameters[i];
		r->wrap.function_parameter = &r->par;
		params[i] = &r->wrap;
	}
	f.parameters = params;
	f.return_type = respell(f.return_type, &keep[f.n_parameters]);
	/* The deparser cannot print BEGIN ATOMIC: the header comes from
	 * it, the body from its statements one by one. */
	char *atomic = NULL;
	if (f.sql_body && f.sql_body->node_case == NC(LIST)) {
		atomic = pp_atomic_body(f.sql_body);
		f.sql_body = NULL;
	}
	pnode wrap = *n;
	wrap.create_function_stmt = &f;
	char *def = pp_deparse_stmt(&wrap);
	if (def && atomic) {
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s\n%s", def, atomic);
		free(def);
		def = strbuf_detach(&sb);
	} else if (!atomic && n->create_function_stmt->sql_body &&
		   n->create_function_stmt->sql_body->node_case == NC(LIST)) {
		free(def);
		def = NULL;
	}
	free(atomic);
	free(opts);
	free(params);
	free(keep);
	return def;
}

int pp_create_function(pp_ctx *c, const pnode *n)
{
	const PgQuery__CreateFunctionStmt *s = n->create_function_stmt;
	const char *schema, *name;
	if (pp_qualname(s->funcname, s->n_funcname, &schema, &name))
		return pp_fail(c, "unusable function name");
	strbuf ids = STRBUF_INIT, sig = STRBUF_INIT, res = STRBUF_INIT,
	       tbl = STRBUF_INIT, out1 = STRBUF_INIT;
	int nout = 0;
	for (size_t i = 0; i < s->n_parameters; i++) {
		const PgQuery__FunctionParameter *p =
		    s->parameters[i]->function_parameter;
		strbuf type = STRBUF_INIT;
		pp_type_name_nomod(&type, p->arg_type);
		if (is_input_mode(p->mode)) {
			if (ids.len)
				strbuf_adds(&ids, ", ");
			strbuf_adds(&ids, strbuf_str(&type));
		}
		/* pg_get_function_identity_arguments lists OUT arguments
		 * too, but not those of RETURNS TABLE. */
		if (p->mode !=
		    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE) {
			if (sig.len)
				strbuf_adds(&sig, ", ");
			/* Procedures spell every mode out, IN included. */
			if (s->is_procedure &&
			    (p->mode ==
				 PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_IN ||
			     p->mode ==
				 PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_DEFAULT))
				strbuf_adds(&sig, "IN ");
			else if (
			    p->mode ==
			    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT)
				strbuf_adds(&sig, "INOUT ");
			else if (
			    p->mode ==
			    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT)
				strbuf_adds(&sig, "OUT ");
			else if (
			    p->mode ==
			    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_VARIADIC)
				strbuf_adds(&sig, "VARIADIC ");
			if (p->name && *p->name) {
				pg_quote_ident(&sig, p->name);
				strbuf_addch(&sig, ' ');
			}
			strbuf_adds(&sig, strbuf_str(&type));
		}
		if (p->mode ==
		    PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE) {
			strbuf_adds(&tbl, tbl.len ? ", " : "TABLE(");
			if (PP_STR(p->name))
				pg_quote_ident(&tbl, p->name);
			strbuf_addf(&tbl, " %s", strbuf_str(&type));
		}
		if (p->mode ==
			PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT ||
		    p->mode ==
			PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_INOUT) {
			nout++;
			strbuf_reset(&out1);
			strbuf_adds(&out1, strbuf_str(&type));
		}
		strbuf_release(&type);
	}
	if (tbl.len) {
		strbuf_addch(&tbl, ')');
		strbuf_adds(&res, strbuf_str(&tbl));
	} else if (s->return_type) {
		pp_type_name_nomod(&res, s->return_type);
	} else if (nout == 1) {
		strbuf_adds(&res, strbuf_str(&out1));
	} else if (nout > 1) {
		strbuf_adds(&res, "record");
	}

	m_function *f = NULL;
	for (int i = 0; i < c->m->nfunctions; i++) {
		m_function *g = &c->m->functions[i];
		if (!strcmp(g->schema, schema) && !strcmp(g->name, name) &&
		    !strcmp(g->identity_args, strbuf_str(&ids)))
			f = g;
	}
	int ret = 0;
	if (f && !s->replace) {
		ret = pp_fail(c, "function %s.%s(%s) already exists", schema,
			      name, strbuf_str(&ids));
		goto out;
	}
	if (!f) {
		/* CREATE OR REPLACE keeps the privileges of the old one. */
		f = model_add_function(c->m);
		pp_grant_default(c, 'f', schema,
				 arena_sprintf(&c->m->arena, "%s(%s)", name,
					       strbuf_str(&ids)));
	}
	memset(f, 0, sizeof(*f));
	f->schema = model_str(c->m, schema);
	f->name = model_str(c->m, name);
	f->kind = s->is_procedure ? 'p' : 'f';
	for (size_t i = 0; i < s->n_options; i++)
		if (s->options[i]->node_case == NC(DEF_ELEM) &&
		    !strcmp(s->options[i]->def_elem->defname, "window"))
			f->kind = 'w';
	f->identity_args = model_str(c->m, strbuf_str(&ids));
	f->signature = model_str(c->m, strbuf_str(&sig));
	f->result = s->is_procedure ? NULL : model_str(c->m, strbuf_str(&res));
	/* Before the definition is printed: the relations the body reads
	 * are qualified in the tree as they are collected. */
	if (s->sql_body)
		pp_sql_body_deps(c, s->sql_body, f);
	char *def = function_definition(n, schema, name);
	if (!def) {
		ret = pp_fail(c, "cannot deparse function %s.%s", schema, name);
		goto out;
	}
	f->definition = model_str(c->m, def);
	free(def);
	pp_function_parts(c, s, f);
out:
	strbuf_release(&ids);
	strbuf_release(&sig);
	strbuf_release(&res);
	strbuf_release(&tbl);
	strbuf_release(&out1);
	return ret;
}

#define TRIGGER_TYPE_ROW      1
#define TRIGGER_TYPE_BEFORE   2
#define TRIGGER_TYPE_INSERT   4
#define TRIGGER_TYPE_DELETE   8
#define TRIGGER_TYPE_UPDATE   16
#define TRIGGER_TYPE_TRUNCATE 32
#define TRIGGER_TYPE_INSTEAD  64

/* The pg_get_triggerdef() text, built from the statement's parts. */
static void trigger_definition(strbuf *sb, const PgQuery__CreateTrigStmt *s,
			       const char *fschema, const char *fname,
			       const pp_env *env)
{
	strbuf_addf(sb, "CREATE %sTRIGGER ",
		    s->isconstraint ? "CONSTRAINT " : "");
	pg_quote_ident(sb, s->trigname);
	strbuf_adds(sb, s->timing & TRIGGER_TYPE_BEFORE	   ? " BEFORE"
			: s->timing & TRIGGER_TYPE_INSTEAD ? " INSTEAD OF"
							   : " AFTER");
	bool any = false;
	static const struct {
		int bit;
		const char *word;
	} ev[] = {{TRIGGER_TYPE_INSERT, "INSERT"},
		  {TRIGGER_TYPE_DELETE, "DELETE"},
		  {TRIGGER_TYPE_UPDATE, "UPDATE"},
		  {TRIGGER_TYPE_TRUNCATE, "TRUNCATE"}};
	for (size_t i = 0; i < sizeof(ev) / sizeof(*ev); i++) {
		if (!(s->events & ev[i].bit))
			continue;
		strbuf_addf(sb, "%s%s", any ? " OR " : " ", ev[i].word);
		any = true;
		if (ev[i].bit == TRIGGER_TYPE_UPDATE && s->n_columns) {
			strbuf_adds(sb, " OF ");
			for (size_t k = 0; k < s->n_columns; k++) {
				if (k)
					strbuf_adds(sb, ", ");
				pg_quote_ident(sb, pp_sval(s->columns[k]));
			}
		}
	}
	strbuf_adds(sb, " ON ");
	pg_quote_qualified(sb, pp_rv_schema(s->relation), s->relation->relname);
	strbuf_addch(sb, ' ');
	if (s->isconstraint) {
		if (s->constrrel) {
			strbuf_adds(sb, "FROM ");
			pg_quote_qualified(sb, pp_rv_schema(s->constrrel),
					   s->constrrel->relname);
			strbuf_addch(sb, ' ');
		}
		strbuf_adds(sb,
			    s->deferrable ? "DEFERRABLE " : "NOT DEFERRABLE ");
		strbuf_adds(sb, s->initdeferred ? "INITIALLY DEFERRED "
						: "INITIALLY IMMEDIATE ");
	}
	if (s->n_transition_rels) {
		strbuf_adds(sb, "REFERENCING ");
		for (size_t i = 0; i < s->n_transition_rels; i++) {
			const PgQuery__TriggerTransition *tt =
			    s->transition_rels[i]->trigger_transition;
			strbuf_addf(sb, "%s TABLE AS ",
				    tt->is_new ? "NEW" : "OLD");
			pg_quote_ident(sb, tt->name);
			strbuf_addch(sb, ' ');
		}
	}
	strbuf_adds(sb, s->row ? "FOR EACH ROW " : "FOR EACH STATEMENT ");
	if (s->when_clause) {
		/* pg_get_triggerdef adds its own parentheses around the
		 * already parenthesised condition: WHEN ((a > 0)). NEW.x
		 * and OLD.x have the types of the table's columns. */
		strbuf_adds(sb, "WHEN (");
		pp_expr_env(sb, s->when_clause, env);
		strbuf_adds(sb, ") ");
	}
	strbuf_adds(sb, "EXECUTE FUNCTION ");
	pp_visible_name(sb, fschema, fname);
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < s->n_args; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		const pnode *a = s->args[i];
		if (a->node_case == NC(STRING))
			pg_quote_literal_std(sb, a->string->sval);
		else if (a->node_case == NC(INTEGER))
			strbuf_addf(sb, "'%d'", a->integer->ival);
		else if (a->node_case == NC(FLOAT))
			strbuf_addf(sb, "'%s'", a->float_->fval);
		else
			pp_expr_sb(sb, a);
	}
	strbuf_addch(sb, ')');
}

int pp_create_trigger(pp_ctx *c, const PgQuery__CreateTrigStmt *s)
{
	const char *fschema, *fname;
	if (pp_qualname(s->funcname, s->n_funcname, &fschema, &fname))
		return pp_fail(c, "unusable trigger function name");
	const char *schema = pp_rv_schema(s->relation);
	m_trigger *g = NULL;
	for (int i = 0; i < c->m->ntriggers; i++) {
		m_trigger *x = &c->m->triggers[i];
		if (!strcmp(x->schema, schema) &&
		    !strcmp(x->table, s->relation->relname) &&
		    !strcmp(x->name, s->trigname))
			g = x;
	}
	if (g && !s->replace)
		return pp_fail(c,
			       "trigger \"%s\" for relation \"%s\" already "
			       "exists",
			       s->trigname, s->relation->relname);
	if (!g)
		g = model_add_trigger(c->m);
	memset(g, 0, sizeof(*g));
	g->schema = model_str(c->m, schema);
	g->table = model_str(c->m, s->relation->relname);
	g->name = model_str(c->m, s->trigname);
	g->function.schema = model_str(c->m, fschema);
	g->function.name = model_str(c->m, fname);
	g->enabled = 'O';
	pp_trigger_columns(c, s, g);
	pp_note_type_uses(c, s->when_clause, NULL, 't', g->schema, g->table,
			  g->name);
	strbuf sb = STRBUF_INIT;
	pp_env env = {pp_lookup_table(c, schema, s->relation->relname), NULL};
	trigger_definition(&sb, s, fschema, fname, &env);
	g->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pp_create_policy(pp_ctx *c, const PgQuery__CreatePolicyStmt *s)
{
	m_policy *p = model_add_policy(c->m);
	p->schema = model_str(c->m, pp_rv_schema(s->table));
	p->table = model_str(c->m, s->table->relname);
	p->name = model_str(c->m, s->policy_name);
	p->permissive = s->permissive;
	strbuf cmd = STRBUF_INIT;
	for (const char *q = PP_STR(s->cmd_name) ? s->cmd_name : "all"; *q; q++)
		strbuf_addch(&cmd, (*q >= 'a' && *q <= 'z') ? *q - 32 : *q);
	p->command = model_str(c->m, strbuf_str(&cmd));
	strbuf_release(&cmd);
	for (size_t i = 0; i < s->n_roles; i++) {
		const PgQuery__RoleSpec *r = s->roles[i]->role_spec;
		const char *name =
		    r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC
			? "public"
		    : r->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING
			? r->rolename
		    : r->roletype ==
			    PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER
			? "session_user"
			: "current_user";
		*ARENA_PUSH(&c->m->arena, p->roles, p->nroles, p->croles) =
		    model_str(c->m, name);
	}
	if (!p->nroles)
		*ARENA_PUSH(&c->m->arena, p->roles, p->nroles, p->croles) =
		    model_str(c->m, "public");
	qsort(p->roles, (size_t)p->nroles, sizeof(char *), cmp_str_ptr);
	pp_env env = {pp_find_table(c, s->table), NULL};
	if (s->qual)
		p->using_expr = pp_expr(c, s->qual, NULL, &env);
	if (s->with_check)
		p->check_expr = pp_expr(c, s->with_check, NULL, &env);
	pp_policy_column_deps(c, s->qual, p);
	pp_policy_column_deps(c, s->with_check, p);
	pp_note_type_uses(c, s->qual, NULL, 'p', p->schema, p->table, p->name);
	pp_note_type_uses(c, s->with_check, NULL, 'p', p->schema, p->table,
			  p->name);
	return 0;
}
