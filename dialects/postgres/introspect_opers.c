/*
 * Introspection of operators, operator families and operator classes:
 * the catalog rows (catalog_opers.c) written into the canonical
 * statements of opclass.h, as the parser writes them.
 */
#include "pg.h"

#include <string.h>

#include "catalog.h"
#include "opclass.h"

/* The user arrays of one row (OPUSERS in catalog_opers.c). */
static void read_users(model *m, const PGresult *r, int i, m_opuser **users,
		       int *n, int *cap)
{
	static const char *const cols[] = {"user_kinds", "user_schemas",
					   "user_tables", "user_names"};
	char **v[4] = {NULL};
	int nv[4] = {0}, cv[4] = {0};
	for (int k = 0; k < 4; k++)
		pg_res_text_array(m, pg_res_val(r, i, pg_res_col(r, cols[k])),
				  &v[k], &nv[k], &cv[k]);
	for (int k = 0; k < nv[0] && k < nv[1] && k < nv[2] && k < nv[3]; k++) {
		m_opuser *u = ARENA_PUSH(&m->arena, *users, *n, *cap);
		u->kind = v[0][k][0];
		u->schema = *v[1][k] ? v[1][k] : NULL;
		u->table = *v[2][k] ? v[2][k] : NULL;
		u->name = v[3][k];
	}
}

static void add_dep(model *m, m_operator *o, const PGresult *r, int i,
		    const char *schema_col, const char *name_col)
{
	const char *schema = pg_res_val(r, i, pg_res_col(r, schema_col));
	const char *name = pg_res_val(r, i, pg_res_col(r, name_col));
	if (!schema || !name || !strcmp(schema, "pg_catalog"))
		return;
	m_ref *d = ARENA_PUSH(&m->arena, o->deps, o->ndeps, o->cdeps);
	d->schema = model_str(m, schema);
	d->name = model_str(m, name);
}

static void build_operators(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_left = pg_res_col(r, "lefttype"),
	    c_right = pg_res_col(r, "righttype"),
	    c_fn = pg_res_col(r, "function"),
	    c_com = pg_res_col(r, "commutator"),
	    c_neg = pg_res_col(r, "negator"),
	    c_merges = pg_res_col(r, "merges"),
	    c_hashes = pg_res_col(r, "hashes"),
	    c_rest = pg_res_col(r, "restrict_fn"),
	    c_join = pg_res_col(r, "join_fn"),
	    c_comment = pg_res_col(r, "comment");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		pg_oper_parts p = {.schema = pg_res_val(r, i, c_schema),
				   .name = pg_res_val(r, i, c_name),
				   .left = pg_res_val(r, i, c_left),
				   .right = pg_res_val(r, i, c_right),
				   .function = pg_res_val(r, i, c_fn),
				   .commutator = pg_res_val(r, i, c_com),
				   .negator = pg_res_val(r, i, c_neg),
				   .merges = pg_res_bool(r, i, c_merges),
				   .hashes = pg_res_bool(r, i, c_hashes)};
		strbuf_reset(&sb);
		pg_operator_definition(&sb, &p);
		m_operator *o = model_add_operator(m);
		o->schema = pg_res_str(m, r, i, c_schema);
		o->name = pg_res_str(m, r, i, c_name);
		o->left = pg_res_str(m, r, i, c_left);
		o->right = pg_res_str(m, r, i, c_right);
		o->definition = model_str(m, strbuf_str(&sb));
		o->restrict_fn = pg_res_str(m, r, i, c_rest);
		o->join_fn = pg_res_str(m, r, i, c_join);
		o->comment = pg_res_str(m, r, i, c_comment);
		add_dep(m, o, r, i, "function_schema", "function_name");
		add_dep(m, o, r, i, "restrict_schema", "restrict_name");
		add_dep(m, o, r, i, "join_schema", "join_name");
		read_users(m, r, i, &o->users, &o->nusers, &o->cusers);
	}
	strbuf_release(&sb);
}

static void build_families(model *m, PGresult *r, pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_method = pg_res_col(r, "method"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_opfamily *f = model_add_opfamily(m);
		f->schema = pg_res_str(m, r, i, c_schema);
		f->name = pg_res_str(m, r, i, c_name);
		f->method = pg_res_str(m, r, i, c_method);
		f->comment = pg_res_str(m, r, i, c_comment);
		read_users(m, r, i, &f->users, &f->nusers, &f->cusers);
		pg_oid_map_add(map, pg_res_oid(r, i, c_oid),
			       m->nopfamilies - 1);
	}
	pg_oid_map_sort(map);
}

static void build_classes(model *m, PGresult *r, pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_method = pg_res_col(r, "method"),
	    c_fschema = pg_res_col(r, "family_schema"),
	    c_family = pg_res_col(r, "family"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_opclass *k = model_add_opclass(m);
		k->schema = pg_res_str(m, r, i, c_schema);
		k->name = pg_res_str(m, r, i, c_name);
		k->method = pg_res_str(m, r, i, c_method);
		k->family_schema = pg_res_str(m, r, i, c_fschema);
		k->family = pg_res_str(m, r, i, c_family);
		k->comment = pg_res_str(m, r, i, c_comment);
		read_users(m, r, i, &k->users, &k->nusers, &k->cusers);
		pg_oid_map_add(map, pg_res_oid(r, i, c_oid), m->nopclasses - 1);
	}
	pg_oid_map_sort(map);
}

/* Members go to their class or family; then each class's statement is
 * written from its sorted members. */
static void build_members(model *m, PGresult *r, const pg_oid_map *classes,
			  const pg_oid_map *families)
{
	int c_owner = pg_res_col(r, "owner"),
	    c_in_class = pg_res_col(r, "in_class"),
	    c_kind = pg_res_col(r, "kind"), c_num = pg_res_col(r, "number"),
	    c_left = pg_res_col(r, "lefttype"),
	    c_right = pg_res_col(r, "righttype"),
	    c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_args = pg_res_col(r, "args"),
	    c_order = pg_res_col(r, "order_family");
	for (int i = 0; i < PQntuples(r); i++) {
		unsigned int owner = pg_res_oid(r, i, c_owner);
		m_opmember *mb;
		if (pg_res_bool(r, i, c_in_class)) {
			int k = pg_oid_map_find(classes, owner);
			if (k < 0)
				continue;
			m_opclass *o = &m->opclasses[k];
			mb = ARENA_PUSH(&m->arena, o->members, o->nmembers,
					o->cmembers);
		} else {
			int k = pg_oid_map_find(families, owner);
			if (k < 0)
				continue;
			m_opfamily *o = &m->opfamilies[k];
			mb = ARENA_PUSH(&m->arena, o->members, o->nmembers,
					o->cmembers);
		}
		mb->kind = *pg_res_val(r, i, c_kind);
		mb->number = (int)pg_res_int(r, i, c_num);
		mb->left = pg_res_str(m, r, i, c_left);
		mb->right = pg_res_str(m, r, i, c_right);
		mb->schema = pg_res_str(m, r, i, c_schema);
		mb->name = pg_res_str(m, r, i, c_name);
		pg_opmember_text(m, mb, pg_res_val(r, i, c_args),
				 pg_res_val(r, i, c_order));
	}
}

void pg_build_opers(model *m, pg_catalog *cat)
{
	build_operators(m, cat->res[PGQ_OPERATORS]);
	pg_oid_map families = {0}, classes = {0};
	build_families(m, cat->res[PGQ_OPFAMILIES], &families);
	build_classes(m, cat->res[PGQ_OPCLASSES], &classes);
	build_members(m, cat->res[PGQ_OPMEMBERS], &classes, &families);
	pg_oid_map_release(&families);
	pg_oid_map_release(&classes);

	PGresult *r = cat->res[PGQ_OPCLASSES];
	int c_default = pg_res_col(r, "is_default"),
	    c_type = pg_res_col(r, "type"),
	    c_storage = pg_res_col(r, "storage");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < m->nopfamilies; i++)
		pg_opmembers_sort(m->opfamilies[i].members,
				  m->opfamilies[i].nmembers);
	/* The classes were added in row order: row i is class i. */
	for (int i = 0; i < m->nopclasses; i++) {
		m_opclass *k = &m->opclasses[i];
		pg_opmembers_sort(k->members, k->nmembers);
		strbuf_reset(&sb);
		pg_opclass_definition(&sb, k, pg_res_bool(r, i, c_default),
				      pg_res_val(r, i, c_type),
				      pg_res_val(r, i, c_storage));
		k->definition = model_str(m, strbuf_str(&sb));
	}
	strbuf_release(&sb);
}
