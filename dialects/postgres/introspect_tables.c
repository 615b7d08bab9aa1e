/*
 * Introspection of tables: columns, inheritance, constraints, indexes.
 */
#include "pg.h"

#include <string.h>

#include "catalog.h"
#include "identity.h"

static void add_tables(model *m, PGresult *r, pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_kind = pg_res_col(r, "kind"),
	    c_unlogged = pg_res_col(r, "unlogged"),
	    c_pkey = pg_res_col(r, "partition_key"),
	    c_pschema = pg_res_col(r, "parent_schema"),
	    c_pname = pg_res_col(r, "parent_name"),
	    c_bound = pg_res_col(r, "partition_bound"),
	    c_options = pg_res_col(r, "options"),
	    c_rls = pg_res_col(r, "rls_enabled"),
	    c_force = pg_res_col(r, "rls_forced"),
	    c_ri = pg_res_col(r, "replica_identity"),
	    c_rindex = pg_res_col(r, "replica_index"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_table *t = model_add_table(m);
		t->schema = pg_res_str(m, r, i, c_schema);
		t->name = pg_res_str(m, r, i, c_name);
		t->kind = *pg_res_val(r, i, c_kind);
		t->unlogged = pg_res_bool(r, i, c_unlogged);
		t->partition_key = pg_res_str(m, r, i, c_pkey);
		t->parent.schema = pg_res_str(m, r, i, c_pschema);
		t->parent.name = pg_res_str(m, r, i, c_pname);
		t->partition_bound = pg_res_str(m, r, i, c_bound);
		t->options = pg_res_str(m, r, i, c_options);
		t->rls_enabled = pg_res_bool(r, i, c_rls);
		t->rls_forced = pg_res_bool(r, i, c_force);
		const char *ri = pg_res_val(r, i, c_ri);
		t->replica_identity = ri && *ri != 'd' ? *ri : 0;
		t->replica_index = pg_res_str(m, r, i, c_rindex);
		/* USING INDEX whose index was dropped: the server logs no
		 * old row values, as for NOTHING (and pg_dump writes
		 * neither). */
		if (t->replica_identity == 'i' && !t->replica_index)
			t->replica_identity = 'n';
		if (t->replica_identity != 'i')
			t->replica_index = NULL;
		t->comment = pg_res_str(m, r, i, c_comment);
		pg_oid_map_add(map, pg_res_oid(r, i, c_oid), m->ntables - 1);
	}
	pg_oid_map_sort(map);
}

static void add_inherits(model *m, PGresult *r, const pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name");
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_table *t = &m->tables[idx];
		m_ref *p = ARENA_PUSH(&m->arena, t->inherits, t->ninherits,
				      t->cinherits);
		p->schema = pg_res_str(m, r, i, c_schema);
		p->name = pg_res_str(m, r, i, c_name);
	}
}

static void add_columns(model *m, PGresult *r, const pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_name = pg_res_col(r, "name"),
	    c_type = pg_res_col(r, "type"), c_coll = pg_res_col(r, "collation"),
	    c_def = pg_res_col(r, "default_expr"),
	    c_gen = pg_res_col(r, "generated_expr"),
	    c_ident = pg_res_col(r, "identity"),
	    c_nn = pg_res_col(r, "not_null"),
	    c_comment = pg_res_col(r, "comment"),
	    c_sstart = pg_res_col(r, "seqstart"),
	    c_sinc = pg_res_col(r, "seqincrement"),
	    c_smin = pg_res_col(r, "seqmin"), c_smax = pg_res_col(r, "seqmax"),
	    c_scache = pg_res_col(r, "seqcache"),
	    c_scycle = pg_res_col(r, "seqcycle"),
	    c_stat = pg_res_col(r, "stattarget"),
	    c_storage = pg_res_col(r, "storage"),
	    c_tstorage = pg_res_col(r, "type_storage"),
	    c_opts = pg_res_col(r, "options");
	unsigned int prev = 0;
	int idx = -1;
	for (int i = 0; i < PQntuples(r); i++) {
		/* Rows come grouped by table: look the owner up once. */
		unsigned int oid = pg_res_oid(r, i, c_oid);
		if (i == 0 || oid != prev)
			idx = pg_oid_map_find(map, oid);
		prev = oid;
		if (idx < 0)
			continue;
		m_column *c = model_table_add_column(m, &m->tables[idx]);
		const char *ident = pg_res_val(r, i, c_ident);
		c->name = pg_res_str(m, r, i, c_name);
		c->type = pg_res_str(m, r, i, c_type);
		c->collation = pg_res_str(m, r, i, c_coll);
		c->default_expr = pg_res_str(m, r, i, c_def);
		c->generated_expr = pg_res_str(m, r, i, c_gen);
		c->identity = ident && *ident ? *ident : 0;
		if (c->identity) {
			m_sequence q = {0};
			q.start = pg_res_int(r, i, c_sstart);
			q.increment = pg_res_int(r, i, c_sinc);
			q.min = pg_res_int(r, i, c_smin);
			q.max = pg_res_int(r, i, c_smax);
			q.cache = pg_res_int(r, i, c_scache);
			q.cycle = pg_res_bool(r, i, c_scycle);
			c->identity_options = pg_identity_canon(m, c->type, &q);
		}
		c->not_null = pg_res_bool(r, i, c_nn);
		c->comment = pg_res_str(m, r, i, c_comment);
		c->stattarget = pg_res_str(m, r, i, c_stat);
		const char *st = pg_res_val(r, i, c_storage);
		const char *ts = pg_res_val(r, i, c_tstorage);
		c->storage = st ? *st : 0;
		c->type_storage = ts ? *ts : 0;
		c->options = pg_res_str(m, r, i, c_opts);
	}
}

static void add_constraints(model *m, PGresult *r, const pg_oid_map *map)
{
	int c_oid = pg_res_col(r, "oid"), c_name = pg_res_col(r, "name"),
	    c_kind = pg_res_col(r, "kind"),
	    c_defn = pg_res_col(r, "definition"),
	    c_cols = pg_res_col(r, "columns"),
	    c_rschema = pg_res_col(r, "ref_schema"),
	    c_rname = pg_res_col(r, "ref_name"),
	    c_rcols = pg_res_col(r, "ref_columns"),
	    c_deferrable = pg_res_col(r, "deferrable"),
	    c_deferred = pg_res_col(r, "deferred"),
	    c_not_valid = pg_res_col(r, "not_valid"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		int idx = pg_oid_map_find(map, pg_res_oid(r, i, c_oid));
		if (idx < 0)
			continue;
		m_constraint *c =
		    model_table_add_constraint(m, &m->tables[idx]);
		c->name = pg_res_str(m, r, i, c_name);
		c->kind = *pg_res_val(r, i, c_kind);
		c->definition = pg_res_str(m, r, i, c_defn);
		pg_res_text_array(m, pg_res_val(r, i, c_cols), &c->columns,
				  &c->ncolumns, &c->ccolumns);
		if (c->kind == M_CON_FOREIGN) {
			c->ref.schema = pg_res_str(m, r, i, c_rschema);
			c->ref.name = pg_res_str(m, r, i, c_rname);
			pg_res_text_array(m, pg_res_val(r, i, c_rcols),
					  &c->ref_columns, &c->nref_columns,
					  &c->cref_columns);
		}
		c->deferrable = pg_res_bool(r, i, c_deferrable);
		c->deferred = pg_res_bool(r, i, c_deferred);
		/* The flag, not the definition, says NOT VALID (model.h). */
		c->not_valid = pg_res_bool(r, i, c_not_valid);
		size_t len = strlen(c->definition);
		if (c->not_valid && len > 10 &&
		    !strcmp(c->definition + len - 10, " NOT VALID"))
			c->definition[len - 10] = '\0';
		c->comment = pg_res_str(m, r, i, c_comment);
	}
}

/*
 * pg_get_indexdef() prints an index on a partitioned table as
 * "... ON ONLY tbl ...", the form pg_dump uses before attaching the
 * partitions' indexes one by one. Replaying it would leave the index
 * invalid; the plain form builds it on every partition, which is what
 * a schema file means. One whose partitions' indexes are not all
 * attached yet (INVALID) keeps "ON ONLY": it is not on every partition,
 * and the differ completes it.
 */
static char *index_definition(model *m, const char *def, bool partitioned)
{
	const char *only = partitioned ? strstr(def, " ON ONLY ") : NULL;
	if (!only)
		return model_str(m, def);
	return arena_sprintf(&m->arena, "%.*s ON %s", (int)(only - def), def,
			     only + strlen(" ON ONLY "));
}

static void add_indexes(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"),
	    c_table = pg_res_col(r, "table"), c_name = pg_res_col(r, "name"),
	    c_defn = pg_res_col(r, "definition"),
	    c_part = pg_res_col(r, "partitioned"),
	    c_unique = pg_res_col(r, "unique"),
	    c_comment = pg_res_col(r, "comment"),
	    c_valid = pg_res_col(r, "valid"),
	    c_complete = pg_res_col(r, "complete"),
	    c_stat = pg_res_col(r, "stattargets");
	for (int i = 0; i < PQntuples(r); i++) {
		/* An INVALID index serves no query and enforces nothing: it
		 * is as good as missing, and a plan rebuilds it. */
		if (!pg_res_bool(r, i, c_valid)) {
			model_add_note(m,
				       "index %s.%s is INVALID (left by a "
				       "failed CREATE INDEX CONCURRENTLY?): "
				       "treated as missing",
				       pg_res_val(r, i, c_schema),
				       pg_res_val(r, i, c_name));
			continue;
		}
		m_index *x = model_add_index(m);
		x->schema = pg_res_str(m, r, i, c_schema);
		x->table = pg_res_str(m, r, i, c_table);
		x->name = pg_res_str(m, r, i, c_name);
		x->definition = index_definition(
		    m, pg_res_val(r, i, c_defn),
		    pg_res_bool(r, i, c_part) && pg_res_bool(r, i, c_complete));
		x->unique = pg_res_bool(r, i, c_unique);
		x->comment = pg_res_str(m, r, i, c_comment);
		x->stattargets = pg_res_str(m, r, i, c_stat);
	}
}

void pg_build_tables(model *m, pg_catalog *cat)
{
	pg_oid_map map = {0};
	add_tables(m, cat->res[PGQ_TABLES], &map);
	add_inherits(m, cat->res[PGQ_INHERITS], &map);
	add_columns(m, cat->res[PGQ_COLUMNS], &map);
	add_constraints(m, cat->res[PGQ_CONSTRAINTS], &map);
	add_indexes(m, cat->res[PGQ_INDEXES]);
	pg_oid_map_release(&map);
}
