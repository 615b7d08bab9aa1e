/*
 * Introspection of types (enums, domains, composites) and sequences.
 */
#include "pg.h"

#include <string.h>

#include "catalog.h"

/* Rows of one enum or composite are adjacent: a new owner starts
 * whenever the oid changes. */
static void build_enums(model *m, PGresult *r)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_label = pg_res_col(r, "label"),
	    c_comment = pg_res_col(r, "comment");
	unsigned int prev = 0;
	m_enum *en = NULL;
	for (int i = 0; i < PQntuples(r); i++) {
		unsigned int oid = pg_res_oid(r, i, c_oid);
		if (!en || oid != prev) {
			en = model_add_enum(m);
			en->schema = pg_res_str(m, r, i, c_schema);
			en->name = pg_res_str(m, r, i, c_name);
			en->comment = pg_res_str(m, r, i, c_comment);
			prev = oid;
		}
		if (pg_res_val(r, i, c_label))
			*ARENA_PUSH(&m->arena, en->labels, en->nlabels,
				    en->clabels) = pg_res_str(m, r, i, c_label);
	}
}

static void build_domains(model *m, PGresult *r, PGresult *checks)
{
	pg_oid_map map = {0};
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_base = pg_res_col(r, "base_type"),
	    c_coll = pg_res_col(r, "collation"),
	    c_def = pg_res_col(r, "default_expr"),
	    c_nn = pg_res_col(r, "not_null"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_domain *d = model_add_domain(m);
		d->schema = pg_res_str(m, r, i, c_schema);
		d->name = pg_res_str(m, r, i, c_name);
		d->base_type = pg_res_str(m, r, i, c_base);
		d->collation = pg_res_str(m, r, i, c_coll);
		d->default_expr = pg_res_str(m, r, i, c_def);
		d->not_null = pg_res_bool(r, i, c_nn);
		d->comment = pg_res_str(m, r, i, c_comment);
		pg_oid_map_add(&map, pg_res_oid(r, i, c_oid), m->ndomains - 1);
	}
	pg_oid_map_sort(&map);

	c_oid = pg_res_col(checks, "oid");
	c_name = pg_res_col(checks, "name");
	int c_defn = pg_res_col(checks, "definition");
	c_comment = pg_res_col(checks, "comment");
	for (int i = 0; i < PQntuples(checks); i++) {
		int idx = pg_oid_map_find(&map, pg_res_oid(checks, i, c_oid));
		if (idx < 0)
			continue;
		m_domain *d = &m->domains[idx];
		m_constraint *c =
		    ARENA_PUSH(&m->arena, d->checks, d->nchecks, d->cchecks);
		c->name = pg_res_str(m, checks, i, c_name);
		c->kind = M_CON_CHECK;
		c->definition = pg_res_str(m, checks, i, c_defn);
		c->comment = pg_res_str(m, checks, i, c_comment);
	}
	pg_oid_map_release(&map);
}

static void build_composites(model *m, PGresult *r)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_attr = pg_res_col(r, "attr"),
	    c_type = pg_res_col(r, "type"), c_coll = pg_res_col(r, "collation"),
	    c_comment = pg_res_col(r, "comment"),
	    c_acomment = pg_res_col(r, "attr_comment");
	unsigned int prev = 0;
	m_composite *ct = NULL;
	for (int i = 0; i < PQntuples(r); i++) {
		unsigned int oid = pg_res_oid(r, i, c_oid);
		if (!ct || oid != prev) {
			ct = model_add_composite(m);
			ct->schema = pg_res_str(m, r, i, c_schema);
			ct->name = pg_res_str(m, r, i, c_name);
			ct->comment = pg_res_str(m, r, i, c_comment);
			prev = oid;
		}
		if (!pg_res_val(r, i, c_attr))
			continue;
		m_column *a =
		    ARENA_PUSH(&m->arena, ct->attrs, ct->nattrs, ct->cattrs);
		a->name = pg_res_str(m, r, i, c_attr);
		a->type = pg_res_str(m, r, i, c_type);
		a->collation = pg_res_str(m, r, i, c_coll);
		a->comment = pg_res_str(m, r, i, c_acomment);
	}
}

static void build_ranges(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_sub = pg_res_col(r, "subtype"),
	    c_opc = pg_res_col(r, "subtype_opclass"),
	    c_coll = pg_res_col(r, "collation"),
	    c_canon = pg_res_col(r, "canonical"),
	    c_diff = pg_res_col(r, "subtype_diff"),
	    c_multi = pg_res_col(r, "multirange"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_range *g = model_add_range(m);
		g->schema = pg_res_str(m, r, i, c_schema);
		g->name = pg_res_str(m, r, i, c_name);
		g->subtype = pg_res_str(m, r, i, c_sub);
		g->subtype_opclass = pg_res_str(m, r, i, c_opc);
		g->collation = pg_res_str(m, r, i, c_coll);
		g->canonical = pg_res_str(m, r, i, c_canon);
		g->subtype_diff = pg_res_str(m, r, i, c_diff);
		g->multirange = pg_res_str(m, r, i, c_multi);
		g->comment = pg_res_str(m, r, i, c_comment);
	}
}

static void build_sequences(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_type = pg_res_col(r, "type"), c_start = pg_res_col(r, "seqstart"),
	    c_inc = pg_res_col(r, "seqincrement"),
	    c_min = pg_res_col(r, "seqmin"), c_max = pg_res_col(r, "seqmax"),
	    c_cache = pg_res_col(r, "seqcache"),
	    c_cycle = pg_res_col(r, "seqcycle"),
	    c_oschema = pg_res_col(r, "owner_schema"),
	    c_otable = pg_res_col(r, "owner_table"),
	    c_ocol = pg_res_col(r, "owner_column"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_sequence *s = model_add_sequence(m);
		s->schema = pg_res_str(m, r, i, c_schema);
		s->name = pg_res_str(m, r, i, c_name);
		s->type = pg_res_str(m, r, i, c_type);
		s->start = pg_res_int(r, i, c_start);
		s->increment = pg_res_int(r, i, c_inc);
		s->min = pg_res_int(r, i, c_min);
		s->max = pg_res_int(r, i, c_max);
		s->cache = pg_res_int(r, i, c_cache);
		s->cycle = pg_res_bool(r, i, c_cycle);
		s->owner.schema = pg_res_str(m, r, i, c_oschema);
		s->owner.name = pg_res_str(m, r, i, c_otable);
		s->owner_column = pg_res_str(m, r, i, c_ocol);
		s->comment = pg_res_str(m, r, i, c_comment);
	}
}

void pg_build_types(model *m, pg_catalog *cat)
{
	build_enums(m, cat->res[PGQ_ENUMS]);
	build_domains(m, cat->res[PGQ_DOMAINS], cat->res[PGQ_DOMAIN_CHECKS]);
	build_composites(m, cat->res[PGQ_COMPOSITES]);
	build_ranges(m, cat->res[PGQ_RANGES]);
	build_sequences(m, cat->res[PGQ_SEQUENCES]);
}
