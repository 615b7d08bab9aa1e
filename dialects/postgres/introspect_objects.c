/*
 * Introspection of collations, statistics objects, views, routines, triggers,
 * policies and privileges.
 */
#include "pg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "catalog.h"
#include "collation.h"
#include "function.h"

/* pg_get_viewdef() starts with a space and ends with ';'; the model
 * holds the bare query. */
static char *trimmed(model *m, const char *s, bool strip_semicolon)
{
	size_t len;
	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (strip_semicolon && len && s[len - 1] == ';') {
		len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
	}
	return arena_strndup(&m->arena, s, len);
}

/* Dependency rows (schema, name, column) come sorted by owner, then
 * relation, then column: row `i`'s relation is new when it differs from
 * the last one in `deps`. */
static void rel_dep(model *m, const PGresult *r, int i, m_ref **deps, int *n,
		    int *cap)
{
	const char *schema = pg_res_val(r, i, pg_res_col(r, "schema"));
	const char *name = pg_res_val(r, i, pg_res_col(r, "name"));
	const m_ref *last = *n ? &(*deps)[*n - 1] : NULL;
	if (last && !strcmp(last->schema, schema) && !strcmp(last->name, name))
		return;
	m_ref *d = ARENA_PUSH(&m->arena, *deps, *n, *cap);
	d->schema = model_str(m, schema);
	d->name = model_str(m, name);
}

/* Row `i`'s column of relation `rel`, into `cr`. */
static void col_dep(model *m, const PGresult *r, int i, const m_ref *rel,
		    m_colref *cr)
{
	cr->schema = rel->schema;
	cr->table = rel->name;
	cr->column = pg_res_str(m, r, i, pg_res_col(r, "column"));
}

static void build_views(model *m, pg_catalog *cat)
{
	PGresult *r = cat->res[PGQ_VIEWS];
	pg_oid_map map = {0};
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"),
	    c_mat = pg_res_col(r, "materialized"),
	    c_defn = pg_res_col(r, "definition"),
	    c_opts = pg_res_col(r, "options"),
	    c_check = pg_res_col(r, "check_option"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_view *v = model_add_view(m);
		v->schema = pg_res_str(m, r, i, c_schema);
		v->name = pg_res_str(m, r, i, c_name);
		v->materialized = pg_res_bool(r, i, c_mat);
		v->definition = trimmed(m, pg_res_val(r, i, c_defn), true);
		v->options = pg_res_str(m, r, i, c_opts);
		v->check_option = pg_res_str(m, r, i, c_check);
		v->comment = pg_res_str(m, r, i, c_comment);
		pg_oid_map_add(&map, pg_res_oid(r, i, c_oid), m->nviews - 1);
	}
	pg_oid_map_sort(&map);

	r = cat->res[PGQ_VIEW_COLUMNS];
	c_oid = pg_res_col(r, "oid");
	c_name = pg_res_col(r, "name");
	c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(&map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_view *v = &m->views[idx];
		*ARENA_PUSH(&m->arena, v->column_comments, v->ncolumn_comments,
			    v->ccolumn_comments) =
		    arena_sprintf(&m->arena, "%s\t%s", pg_res_val(r, i, c_name),
				  pg_res_val(r, i, c_comment));
	}

	r = cat->res[PGQ_VIEW_DEPS];
	c_oid = pg_res_col(r, "oid");
	int c_col = pg_res_col(r, "column");
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(&map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_view *v = &m->views[idx];
		rel_dep(m, r, i, &v->deps, &v->ndeps, &v->cdeps);
		if (pg_res_val(r, i, c_col))
			col_dep(m, r, i, &v->deps[v->ndeps - 1],
				ARENA_PUSH(&m->arena, v->column_deps,
					   v->ncolumn_deps, v->ccolumn_deps));
	}
	pg_oid_map_release(&map);
}

/* The parts of function.h, from the same row (not for aggregates:
 * their definition is written from their parts already). */
static void function_parts(model *m, PGresult *r, int i, m_function *f)
{
	char **sets = NULL;
	int nsets = 0, csets = 0;
	pg_res_text_array(m, pg_res_val(r, i, pg_res_col(r, "sets")), &sets,
			  &nsets, &csets);
	const char *vol = pg_res_val(r, i, pg_res_col(r, "volatility")),
		   *par = pg_res_val(r, i, pg_res_col(r, "parallel"));
	pg_fn_attrs a = {
	    .language = pg_res_val(r, i, pg_res_col(r, "language")),
	    .volatility = vol ? *vol : 'v',
	    .parallel = par ? *par : 'u',
	    .strict = pg_res_bool(r, i, pg_res_col(r, "strict")),
	    .security_definer = pg_res_bool(r, i, pg_res_col(r, "secdef")),
	    .leakproof = pg_res_bool(r, i, pg_res_col(r, "leakproof")),
	    .returns_set = pg_res_bool(r, i, pg_res_col(r, "retset")),
	    .cost = strtod(pg_res_val(r, i, pg_res_col(r, "cost")), NULL),
	    .rows = strtod(pg_res_val(r, i, pg_res_col(r, "rows")), NULL),
	    .support = pg_res_val(r, i, pg_res_col(r, "support")),
	    .transforms = pg_res_val(r, i, pg_res_col(r, "transforms")),
	    .module = pg_res_val(r, i, pg_res_col(r, "module")),
	    .sets = (const char *const *)sets,
	    .nsets = nsets};
	strbuf sb = STRBUF_INIT;
	pg_fn_attributes(&sb, &a);
	f->attributes = model_str(m, strbuf_str(&sb));
	strbuf_release(&sb);
	f->arg_defaults = pg_res_str(m, r, i, pg_res_col(r, "arg_defaults"));
	f->body = pg_res_str(m, r, i, pg_res_col(r, "body"));
}

static void build_functions(model *m, PGresult *r, pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_kind = pg_res_col(r, "kind"),
	    c_args = pg_res_col(r, "identity_args"),
	    c_sig = pg_res_col(r, "signature"),
	    c_defn = pg_res_col(r, "definition"),
	    c_result = pg_res_col(r, "result"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_function *f = model_add_function(m);
		f->schema = pg_res_str(m, r, i, c_schema);
		f->name = pg_res_str(m, r, i, c_name);
		f->kind = *pg_res_val(r, i, c_kind);
		f->identity_args = pg_res_str(m, r, i, c_args);
		f->signature = pg_res_str(m, r, i, c_sig);
		f->definition = trimmed(m, pg_res_val(r, i, c_defn), false);
		f->result = pg_res_str(m, r, i, c_result);
		f->comment = pg_res_str(m, r, i, c_comment);
		if (f->kind != 'a')
			function_parts(m, r, i, f);
		pg_oid_map_add(map, pg_res_oid(r, i, c_oid), m->nfunctions - 1);
	}
	pg_oid_map_sort(map);
}

/* What SQL-standard bodies read (q_function_deps): rows sorted by
 * routine, kind, then name, so a relation is new when it differs from
 * the last one recorded. */
static void build_function_deps(model *m, PGresult *r, const pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_kind = pg_res_col(r, "kind"),
	    c_col = pg_res_col(r, "column");
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_function *f = &m->functions[idx];
		f->sql_body = true;
		char kind = *pg_res_val(r, i, c_kind);
		if (kind == 'b')
			continue;
		if (kind == 'f') {
			rel_dep(m, r, i, &f->deps, &f->ndeps, &f->cdeps);
			continue;
		}
		rel_dep(m, r, i, &f->rel_deps, &f->nrel_deps, &f->crel_deps);
		if (pg_res_val(r, i, c_col))
			col_dep(m, r, i, &f->rel_deps[f->nrel_deps - 1],
				ARENA_PUSH(&m->arena, f->column_deps,
					   f->ncolumn_deps, f->ccolumn_deps));
	}
}

static void row_char(const PGresult *r, int i, int col, char *out)
{
	const char *v = pg_res_val(r, i, col);
	*out = v ? *v : 0;
}

/* Aggregates come with the functions (pg_proc) but without a
 * definition: it is written here from their pg_aggregate row. */
static void build_aggregates(model *m, PGresult *r, const pg_oid_map *map)
{
	static const char *const cols[] = {
	    "args",	    "sfunc",	 "stype",	"sspace",
	    "initcond",	    "finalfunc", "combinefunc", "serialfunc",
	    "deserialfunc", "msfunc",	 "minvfunc",	"mstype",
	    "msspace",	    "minitcond", "mfinalfunc",	"sortop"};
	enum { NCOLS = sizeof(cols) / sizeof(*cols) };
	int c[NCOLS];
	for (int k = 0; k < NCOLS; k++)
		c[k] = pg_res_col(r, cols[k]);
	int c_oid = pg_res_col(r, "oid"), c_kind = pg_res_col(r, "kind"),
	    c_fextra = pg_res_col(r, "finalextra"),
	    c_fmod = pg_res_col(r, "finalmodify"),
	    c_mextra = pg_res_col(r, "mfinalextra"),
	    c_mmod = pg_res_col(r, "mfinalmodify"),
	    c_par = pg_res_col(r, "parallel"),
	    c_dschemas = pg_res_col(r, "dep_schemas"),
	    c_dnames = pg_res_col(r, "dep_names");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_function *f = &m->functions[idx];
		const char *v[NCOLS];
		for (int k = 0; k < NCOLS; k++)
			v[k] = pg_res_val(r, i, c[k]);
		pg_agg_parts a = {.schema = f->schema,
				  .name = f->name,
				  .args = v[0],
				  .sfunc = v[1],
				  .stype = v[2],
				  .sspace = v[3],
				  .initcond = v[4],
				  .finalfunc = v[5],
				  .combinefunc = v[6],
				  .serialfunc = v[7],
				  .deserialfunc = v[8],
				  .msfunc = v[9],
				  .minvfunc = v[10],
				  .mstype = v[11],
				  .msspace = v[12],
				  .minitcond = v[13],
				  .mfinalfunc = v[14],
				  .sortop = v[15],
				  .finalextra = pg_res_bool(r, i, c_fextra),
				  .mfinalextra = pg_res_bool(r, i, c_mextra)};
		row_char(r, i, c_kind, &a.kind);
		row_char(r, i, c_fmod, &a.finalmodify);
		row_char(r, i, c_mmod, &a.mfinalmodify);
		row_char(r, i, c_par, &a.parallel);
		strbuf_reset(&sb);
		pg_aggregate_definition(&sb, &a);
		f->definition = model_str(m, strbuf_str(&sb));
		char **schemas = NULL, **names = NULL;
		int ns = 0, nn = 0, cs = 0, cn = 0;
		pg_res_text_array(m, pg_res_val(r, i, c_dschemas), &schemas,
				  &ns, &cs);
		pg_res_text_array(m, pg_res_val(r, i, c_dnames), &names, &nn,
				  &cn);
		for (int k = 0; k < ns && k < nn; k++) {
			m_ref *d =
			    ARENA_PUSH(&m->arena, f->deps, f->ndeps, f->cdeps);
			d->schema = schemas[k];
			d->name = names[k];
		}
	}
	strbuf_release(&sb);
}

static void build_triggers(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"),
	    c_table = pg_res_col(r, "table"), c_name = pg_res_col(r, "name"),
	    c_defn = pg_res_col(r, "definition"),
	    c_fschema = pg_res_col(r, "function_schema"),
	    c_fname = pg_res_col(r, "function_name"),
	    c_enabled = pg_res_col(r, "enabled"),
	    c_comment = pg_res_col(r, "comment"),
	    c_columns = pg_res_col(r, "columns");
	for (int i = 0; i < PQntuples(r); i++) {
		m_trigger *t = model_add_trigger(m);
		pg_res_text_array(m, pg_res_val(r, i, c_columns), &t->columns,
				  &t->ncolumns, &t->ccolumns);
		t->schema = pg_res_str(m, r, i, c_schema);
		t->table = pg_res_str(m, r, i, c_table);
		t->name = pg_res_str(m, r, i, c_name);
		t->definition = pg_res_str(m, r, i, c_defn);
		t->function.schema = pg_res_str(m, r, i, c_fschema);
		t->function.name = pg_res_str(m, r, i, c_fname);
		t->enabled = *pg_res_val(r, i, c_enabled);
		t->comment = pg_res_str(m, r, i, c_comment);
	}
}

static const char *policy_command(char polcmd)
{
	switch (polcmd) {
	case 'r':
		return "SELECT";
	case 'a':
		return "INSERT";
	case 'w':
		return "UPDATE";
	case 'd':
		return "DELETE";
	default:
		return "ALL";
	}
}

static void build_policies(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"),
	    c_table = pg_res_col(r, "table"), c_name = pg_res_col(r, "name"),
	    c_perm = pg_res_col(r, "permissive"),
	    c_cmd = pg_res_col(r, "command"), c_roles = pg_res_col(r, "roles"),
	    c_using = pg_res_col(r, "using_expr"),
	    c_check = pg_res_col(r, "check_expr"),
	    c_comment = pg_res_col(r, "comment"),
	    c_dschemas = pg_res_col(r, "dep_schemas"),
	    c_dtables = pg_res_col(r, "dep_tables"),
	    c_dcols = pg_res_col(r, "dep_columns");
	for (int i = 0; i < PQntuples(r); i++) {
		m_policy *p = model_add_policy(m);
		p->schema = pg_res_str(m, r, i, c_schema);
		p->table = pg_res_str(m, r, i, c_table);
		p->name = pg_res_str(m, r, i, c_name);
		p->permissive = pg_res_bool(r, i, c_perm);
		p->command =
		    model_str(m, policy_command(*pg_res_val(r, i, c_cmd)));
		pg_res_text_array(m, pg_res_val(r, i, c_roles), &p->roles,
				  &p->nroles, &p->croles);
		p->using_expr = pg_res_str(m, r, i, c_using);
		p->check_expr = pg_res_str(m, r, i, c_check);
		p->comment = pg_res_str(m, r, i, c_comment);
		char **schemas = NULL, **tables = NULL, **cols = NULL;
		int ns = 0, nt = 0, nc = 0, cs = 0, ct = 0, cc = 0;
		pg_res_text_array(m, pg_res_val(r, i, c_dschemas), &schemas,
				  &ns, &cs);
		pg_res_text_array(m, pg_res_val(r, i, c_dtables), &tables, &nt,
				  &ct);
		pg_res_text_array(m, pg_res_val(r, i, c_dcols), &cols, &nc,
				  &cc);
		for (int k = 0; k < ns && k < nt && k < nc; k++) {
			m_colref *d =
			    ARENA_PUSH(&m->arena, p->column_deps,
				       p->ncolumn_deps, p->ccolumn_deps);
			d->schema = schemas[k];
			d->table = tables[k];
			d->column = cols[k];
		}
	}
}

static void build_type_uses(model *m, PGresult *r)
{
	int c_kind = pg_res_col(r, "kind"), c_schema = pg_res_col(r, "schema"),
	    c_table = pg_res_col(r, "table"), c_name = pg_res_col(r, "name"),
	    c_tschema = pg_res_col(r, "type_schema"),
	    c_tname = pg_res_col(r, "type_name");
	for (int i = 0; i < PQntuples(r); i++) {
		m_typeuse *u = ARENA_PUSH(&m->arena, m->type_uses,
					  m->ntype_uses, m->ctype_uses);
		u->kind = *pg_res_val(r, i, c_kind);
		u->schema = pg_res_str(m, r, i, c_schema);
		u->table = pg_res_str(m, r, i, c_table);
		u->name = pg_res_str(m, r, i, c_name);
		u->type.schema = pg_res_str(m, r, i, c_tschema);
		u->type.name = pg_res_str(m, r, i, c_tname);
	}
}

static void build_grants(model *m, PGresult *r)
{
	int c_kind = pg_res_col(r, "kind"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_col = pg_res_col(r, "column"),
	    c_grantee = pg_res_col(r, "grantee"),
	    c_priv = pg_res_col(r, "privilege"),
	    c_grantable = pg_res_col(r, "grantable");
	for (int i = 0; i < PQntuples(r); i++) {
		m_grant *g = model_add_grant(m);
		g->objkind = *pg_res_val(r, i, c_kind);
		g->schema = pg_res_str(m, r, i, c_schema);
		g->name = pg_res_str(m, r, i, c_name);
		g->column = pg_res_str(m, r, i, c_col);
		g->grantee = pg_res_str(m, r, i, c_grantee);
		g->privilege = pg_res_str(m, r, i, c_priv);
		g->grantable = pg_res_bool(r, i, c_grantable);
	}
}

static void build_collations(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_prov = pg_res_col(r, "provider"),
	    c_det = pg_res_col(r, "deterministic"),
	    c_collate = pg_res_col(r, "collate"),
	    c_ctype = pg_res_col(r, "ctype"),
	    c_locale = pg_res_col(r, "locale"),
	    c_rules = pg_res_col(r, "rules"),
	    c_comment = pg_res_col(r, "comment");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		pg_coll_parts p = {.schema = pg_res_val(r, i, c_schema),
				   .name = pg_res_val(r, i, c_name),
				   .deterministic = pg_res_bool(r, i, c_det),
				   .collate = pg_res_val(r, i, c_collate),
				   .ctype = pg_res_val(r, i, c_ctype),
				   .locale = pg_res_val(r, i, c_locale),
				   .rules = pg_res_val(r, i, c_rules)};
		row_char(r, i, c_prov, &p.provider);
		strbuf_reset(&sb);
		pg_collation_definition(&sb, &p);
		m_collation *k = model_add_collation(m);
		k->schema = pg_res_str(m, r, i, c_schema);
		k->name = pg_res_str(m, r, i, c_name);
		k->definition = model_str(m, strbuf_str(&sb));
		k->comment = pg_res_str(m, r, i, c_comment);
	}
	strbuf_release(&sb);
}

static void build_statistics(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_tschema = pg_res_col(r, "table_schema"),
	    c_table = pg_res_col(r, "table"),
	    c_defn = pg_res_col(r, "definition"),
	    c_target = pg_res_col(r, "stattarget"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_statistics *x = model_add_statistics(m);
		x->schema = pg_res_str(m, r, i, c_schema);
		x->name = pg_res_str(m, r, i, c_name);
		x->table_schema = pg_res_str(m, r, i, c_tschema);
		x->table = pg_res_str(m, r, i, c_table);
		x->definition = pg_res_str(m, r, i, c_defn);
		x->stattarget = pg_res_str(m, r, i, c_target);
		x->comment = pg_res_str(m, r, i, c_comment);
	}
}

void pg_build_objects(model *m, pg_catalog *cat)
{
	build_collations(m, cat->res[PGQ_COLLATIONS]);
	build_statistics(m, cat->res[PGQ_STATISTICS]);
	build_views(m, cat);
	pg_oid_map fns = {0};
	build_functions(m, cat->res[PGQ_FUNCTIONS], &fns);
	build_function_deps(m, cat->res[PGQ_FUNCTION_DEPS], &fns);
	build_aggregates(m, cat->res[PGQ_AGGREGATES], &fns);
	pg_oid_map_release(&fns);
	build_triggers(m, cat->res[PGQ_TRIGGERS]);
	build_policies(m, cat->res[PGQ_POLICIES]);
	build_type_uses(m, cat->res[PGQ_TYPE_USES]);
	build_grants(m, cat->res[PGQ_GRANTS]);
}
