/*
 * Introspection of casts and of text search dictionaries and
 * configurations.
 */
#include "pg.h"

#include <string.h>

#include "cast.h"
#include "catalog.h"
#include "textsearch.h"

static void build_casts(model *m, PGresult *r)
{
	int c_source = pg_res_col(r, "source"),
	    c_target = pg_res_col(r, "target"),
	    c_method = pg_res_col(r, "method"),
	    c_context = pg_res_col(r, "context"),
	    c_fn_schema = pg_res_col(r, "fn_schema"),
	    c_fn_name = pg_res_col(r, "fn_name"),
	    c_fn_args = pg_res_col(r, "fn_args"),
	    c_comment = pg_res_col(r, "comment");
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		const char *method = pg_res_val(r, i, c_method),
			   *context = pg_res_val(r, i, c_context);
		pg_cast_parts p = {.source = pg_res_val(r, i, c_source),
				   .target = pg_res_val(r, i, c_target),
				   .method = method ? *method : 'f',
				   .context = context ? *context : 'e',
				   .fn_schema = pg_res_val(r, i, c_fn_schema),
				   .fn_name = pg_res_val(r, i, c_fn_name),
				   .fn_args = pg_res_val(r, i, c_fn_args)};
		strbuf_reset(&sb);
		pg_cast_definition(&sb, &p);
		m_cast *k = model_add_cast(m);
		k->source = pg_res_str(m, r, i, c_source);
		k->target = pg_res_str(m, r, i, c_target);
		k->definition = model_str(m, strbuf_str(&sb));
		if (p.method == 'f') {
			k->function.schema = pg_res_str(m, r, i, c_fn_schema);
			k->function.name = pg_res_str(m, r, i, c_fn_name);
			k->function_args = pg_res_str(m, r, i, c_fn_args);
		}
		k->comment = pg_res_str(m, r, i, c_comment);
	}
	strbuf_release(&sb);
}

static void build_dicts(model *m, PGresult *r)
{
	int c_schema = pg_res_col(r, "schema"), c_name = pg_res_col(r, "name"),
	    c_template = pg_res_col(r, "template"),
	    c_options = pg_res_col(r, "options"),
	    c_comment = pg_res_col(r, "comment");
	for (int i = 0; i < PQntuples(r); i++) {
		m_ts_dict *d = model_add_ts_dict(m);
		d->schema = pg_res_str(m, r, i, c_schema);
		d->name = pg_res_str(m, r, i, c_name);
		d->template_name = pg_res_str(m, r, i, c_template);
		d->options = pg_res_str(m, r, i, c_options);
		d->comment = pg_res_str(m, r, i, c_comment);
	}
}

/* Rows come by configuration oid, one per mapped token type. */
static void build_configs(model *m, PGresult *r)
{
	int c_oid = pg_res_col(r, "oid"), c_schema = pg_res_col(r, "schema"),
	    c_name = pg_res_col(r, "name"), c_parser = pg_res_col(r, "parser"),
	    c_token = pg_res_col(r, "token"), c_dicts = pg_res_col(r, "dicts"),
	    c_comment = pg_res_col(r, "comment");
	m_ts_config *cfg = NULL;
	unsigned int last = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		unsigned int oid = pg_res_oid(r, i, c_oid);
		if (!cfg || oid != last) {
			cfg = model_add_ts_config(m);
			cfg->schema = pg_res_str(m, r, i, c_schema);
			cfg->name = pg_res_str(m, r, i, c_name);
			cfg->parser = pg_res_str(m, r, i, c_parser);
			cfg->comment = pg_res_str(m, r, i, c_comment);
			last = oid;
		}
		if (!pg_res_val(r, i, c_token))
			continue;
		m_ts_map *map = ARENA_PUSH(&m->arena, cfg->mappings,
					   cfg->nmappings, cfg->cmappings);
		map->token = pg_res_str(m, r, i, c_token);
		map->dicts = pg_res_str(m, r, i, c_dicts);
	}
}

void pg_build_textsearch(model *m, pg_catalog *cat)
{
	build_casts(m, cat->res[PGQ_CASTS]);
	build_dicts(m, cat->res[PGQ_TS_DICTS]);
	build_configs(m, cat->res[PGQ_TS_CONFIGS]);
}
