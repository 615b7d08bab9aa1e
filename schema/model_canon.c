/*
 * The canonical serialisation of a model: what a schema fingerprint
 * hashes (model_canonical in model.h).
 *
 * Every record is one line: a tag, then fields separated by a space.
 * A string field is written as its length, a colon and its bytes
 * ("6:orders"), NULL as "-", so no content can be mistaken for a
 * separator; booleans are "0"/"1", numbers decimal, single characters
 * as the number of their byte. Arrays come in model_sort's order,
 * except where order is part of the schema (enum labels, composite
 * attributes, inheritance parents) and table columns, which the differ
 * matches by name: they are written sorted by name, so that expand and
 * contract (which moves a column to the end) and its rollback leave the
 * fingerprint unchanged.
 *
 * Only what the differ compares is written. Dependency facts (deps,
 * column_deps, users, type_uses), fields derived from a definition that
 * is written anyway (a constraint's columns, an index's uniqueness, a
 * trigger's function), warnings and where the model came from are left
 * out: they describe how an object was read, not what it is, and differ
 * between a live database and its DDL file.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"

static void put_str(strbuf *out, const char *s)
{
	strbuf_addch(out, ' ');
	if (!s) {
		strbuf_addch(out, '-');
		return;
	}
	strbuf_addf(out, "%zu:", strlen(s));
	strbuf_adds(out, s);
}

static void put_int(strbuf *out, long long v)
{
	strbuf_addf(out, " %lld", v);
}

static void put_bool(strbuf *out, bool b)
{
	strbuf_adds(out, b ? " 1" : " 0");
}

static void put_char(strbuf *out, char c)
{
	put_int(out, (unsigned char)c);
}

static void begin(strbuf *out, const char *tag)
{
	strbuf_adds(out, tag);
}

static void end(strbuf *out)
{
	strbuf_addch(out, '\n');
}

static void put_ref(strbuf *out, const m_ref *r)
{
	put_str(out, r->schema);
	put_str(out, r->name);
}

static void put_strs(strbuf *out, char *const *v, int n)
{
	put_int(out, n);
	for (int i = 0; i < n; i++)
		put_str(out, v[i]);
}

static void put_column(strbuf *out, const char *tag, const m_column *c)
{
	begin(out, tag);
	put_str(out, c->name);
	put_str(out, c->type);
	put_str(out, c->collation);
	put_str(out, c->default_expr);
	put_str(out, c->generated_expr);
	put_char(out, c->identity);
	put_str(out, c->identity_options);
	put_bool(out, c->not_null);
	put_str(out, c->comment);
	put_str(out, c->stattarget);
	put_char(out, c->storage);
	put_str(out, c->options);
	/* MySQL's attributes only when set: a PostgreSQL schema keeps the
	 * fingerprint it had before the model knew them. */
	if (c->auto_increment || c->on_update || c->charset || c->invisible ||
	    c->gen_virtual) {
		put_bool(out, c->auto_increment);
		put_str(out, c->on_update);
		put_str(out, c->charset);
		put_bool(out, c->invisible);
		put_bool(out, c->gen_virtual);
	}
	end(out);
}

static void put_constraint(strbuf *out, const char *tag, const m_constraint *c)
{
	begin(out, tag);
	put_str(out, c->name);
	put_char(out, c->kind);
	put_str(out, c->definition);
	put_bool(out, c->deferrable);
	put_bool(out, c->deferred);
	put_bool(out, c->not_valid);
	put_str(out, c->comment);
	end(out);
}

static int cmp_column(const void *a, const void *b)
{
	const m_column *x = *(const m_column *const *)a;
	const m_column *y = *(const m_column *const *)b;
	return strcmp(x->name, y->name);
}

static void put_table(strbuf *out, const m_table *t)
{
	begin(out, "table");
	put_str(out, t->schema);
	put_str(out, t->name);
	put_char(out, t->kind);
	put_bool(out, t->unlogged);
	put_str(out, t->partition_key);
	put_ref(out, &t->parent);
	put_str(out, t->partition_bound);
	put_int(out, t->ninherits);
	for (int i = 0; i < t->ninherits; i++)
		put_ref(out, &t->inherits[i]);
	put_str(out, t->options);
	put_bool(out, t->rls_enabled);
	put_bool(out, t->rls_forced);
	put_str(out, t->comment);
	/* Only when not DEFAULT: a schema without it keeps the fingerprint
	 * it had before the model knew REPLICA IDENTITY. */
	if (t->replica_identity) {
		put_char(out, t->replica_identity);
		put_str(out, t->replica_index);
	}
	if (t->engine || t->charset || t->collation || t->row_format ||
	    t->partitioning) {
		put_str(out, t->engine);
		put_str(out, t->charset);
		put_str(out, t->collation);
		put_str(out, t->row_format);
		put_str(out, t->partitioning);
	}
	end(out);

	const m_column **cols = xcalloc(t->ncolumns + 1, sizeof(*cols));
	for (int i = 0; i < t->ncolumns; i++)
		cols[i] = &t->columns[i];
	if (t->ncolumns)
		qsort(cols, t->ncolumns, sizeof(*cols), cmp_column);
	for (int i = 0; i < t->ncolumns; i++)
		put_column(out, " column", cols[i]);
	free(cols);
	for (int i = 0; i < t->nconstraints; i++)
		put_constraint(out, " constraint", &t->constraints[i]);
}

static void put_opmembers(strbuf *out, const m_opmember *v, int n)
{
	for (int i = 0; i < n; i++) {
		begin(out, " member");
		put_char(out, v[i].kind);
		put_int(out, v[i].number);
		put_str(out, v[i].text);
		end(out);
	}
}

static void put_function(strbuf *out, const m_function *f)
{
	begin(out, "function");
	put_str(out, f->schema);
	put_str(out, f->name);
	put_char(out, f->kind);
	put_str(out, f->identity_args);
	/* As pg_fn_same compares: the parts when both sides have them (the
	 * definition is spelled differently by the parser and the server),
	 * the definition otherwise (aggregates; a SQL-standard body). */
	if (f->attributes) {
		put_str(out, f->signature);
		put_str(out, f->arg_defaults);
		put_str(out, f->result);
		put_str(out, f->attributes);
		put_str(out, f->body ? f->body : f->definition);
	} else {
		put_str(out, f->definition);
	}
	put_str(out, f->comment);
	end(out);
}

static void put_types(strbuf *out, const model *m)
{
	for (int i = 0; i < m->nenums; i++) {
		const m_enum *x = &m->enums[i];
		begin(out, "enum");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_strs(out, x->labels, x->nlabels);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->ndomains; i++) {
		const m_domain *x = &m->domains[i];
		begin(out, "domain");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->base_type);
		put_str(out, x->collation);
		put_str(out, x->default_expr);
		put_bool(out, x->not_null);
		put_str(out, x->comment);
		end(out);
		for (int j = 0; j < x->nchecks; j++)
			put_constraint(out, " check", &x->checks[j]);
	}
	for (int i = 0; i < m->ncomposites; i++) {
		const m_composite *x = &m->composites[i];
		begin(out, "composite");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_int(out, x->nattrs);
		for (int j = 0; j < x->nattrs; j++) {
			put_str(out, x->attrs[j].name);
			put_str(out, x->attrs[j].type);
			put_str(out, x->attrs[j].collation);
		}
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->nranges; i++) {
		const m_range *x = &m->ranges[i];
		begin(out, "range");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->subtype);
		put_str(out, x->subtype_opclass);
		put_str(out, x->collation);
		put_str(out, x->canonical);
		put_str(out, x->subtype_diff);
		put_str(out, x->multirange);
		put_str(out, x->comment);
		end(out);
	}
}

static void put_namespaces(strbuf *out, const model *m)
{
	for (int i = 0; i < m->nschemas; i++) {
		begin(out, "schema");
		put_str(out, m->schemas[i].name);
		put_str(out, m->schemas[i].comment);
		end(out);
	}
	for (int i = 0; i < m->nextensions; i++) {
		begin(out, "extension");
		put_str(out, m->extensions[i].name);
		put_str(out, m->extensions[i].schema);
		end(out);
	}
	for (int i = 0; i < m->ncollations; i++) {
		const m_collation *x = &m->collations[i];
		begin(out, "collation");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->definition);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->ncasts; i++) {
		const m_cast *x = &m->casts[i];
		begin(out, "cast");
		put_str(out, x->source);
		put_str(out, x->target);
		put_str(out, x->definition);
		put_str(out, x->comment);
		end(out);
	}
}

static void put_textsearch(strbuf *out, const model *m)
{
	for (int i = 0; i < m->nts_dicts; i++) {
		const m_ts_dict *x = &m->ts_dicts[i];
		begin(out, "ts_dict");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->template_name);
		put_str(out, x->options);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->nts_configs; i++) {
		const m_ts_config *x = &m->ts_configs[i];
		begin(out, "ts_config");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->parser);
		put_int(out, x->nmappings);
		for (int j = 0; j < x->nmappings; j++) {
			put_str(out, x->mappings[j].token);
			put_str(out, x->mappings[j].dicts);
		}
		put_str(out, x->comment);
		end(out);
	}
}

static void put_operators(strbuf *out, const model *m)
{
	for (int i = 0; i < m->noperators; i++) {
		const m_operator *x = &m->operators[i];
		begin(out, "operator");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->left);
		put_str(out, x->right);
		put_str(out, x->definition);
		put_str(out, x->restrict_fn);
		put_str(out, x->join_fn);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->nopfamilies; i++) {
		const m_opfamily *x = &m->opfamilies[i];
		begin(out, "opfamily");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->method);
		put_str(out, x->comment);
		end(out);
		put_opmembers(out, x->members, x->nmembers);
	}
	for (int i = 0; i < m->nopclasses; i++) {
		const m_opclass *x = &m->opclasses[i];
		begin(out, "opclass");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->method);
		put_str(out, x->family_schema);
		put_str(out, x->family);
		put_str(out, x->definition);
		put_str(out, x->comment);
		end(out);
	}
}

static void put_sequences(strbuf *out, const model *m)
{
	for (int i = 0; i < m->nsequences; i++) {
		const m_sequence *x = &m->sequences[i];
		begin(out, "sequence");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->type);
		put_int(out, x->start);
		put_int(out, x->increment);
		put_int(out, x->min);
		put_int(out, x->max);
		put_int(out, x->cache);
		put_bool(out, x->cycle);
		put_ref(out, &x->owner);
		put_str(out, x->owner_column);
		put_str(out, x->comment);
		end(out);
	}
}

static void put_relations(strbuf *out, const model *m)
{
	for (int i = 0; i < m->ntables; i++)
		put_table(out, &m->tables[i]);
	for (int i = 0; i < m->nindexes; i++) {
		const m_index *x = &m->indexes[i];
		begin(out, "index");
		put_str(out, x->schema);
		put_str(out, x->table);
		put_str(out, x->name);
		put_str(out, x->definition);
		put_str(out, x->comment);
		put_str(out, x->stattargets);
		end(out);
	}
	for (int i = 0; i < m->nstatistics; i++) {
		const m_statistics *x = &m->statistics[i];
		begin(out, "statistics");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->definition);
		put_str(out, x->stattarget);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->nviews; i++) {
		const m_view *x = &m->views[i];
		begin(out, "view");
		put_str(out, x->schema);
		put_str(out, x->name);
		put_bool(out, x->materialized);
		put_str(out, x->definition);
		put_str(out, x->options);
		put_str(out, x->check_option);
		put_strs(out, x->column_comments, x->ncolumn_comments);
		put_str(out, x->comment);
		end(out);
	}
}

static void put_code(strbuf *out, const model *m)
{
	for (int i = 0; i < m->nfunctions; i++)
		put_function(out, &m->functions[i]);
	for (int i = 0; i < m->ntriggers; i++) {
		const m_trigger *x = &m->triggers[i];
		begin(out, "trigger");
		put_str(out, x->schema);
		put_str(out, x->table);
		put_str(out, x->name);
		put_str(out, x->definition);
		put_char(out, x->enabled);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->npolicies; i++) {
		const m_policy *x = &m->policies[i];
		begin(out, "policy");
		put_str(out, x->schema);
		put_str(out, x->table);
		put_str(out, x->name);
		put_bool(out, x->permissive);
		put_str(out, x->command);
		put_strs(out, x->roles, x->nroles);
		put_str(out, x->using_expr);
		put_str(out, x->check_expr);
		put_str(out, x->comment);
		end(out);
	}
	for (int i = 0; i < m->ngrants; i++) {
		const m_grant *x = &m->grants[i];
		begin(out, "grant");
		put_char(out, x->objkind);
		put_str(out, x->schema);
		put_str(out, x->name);
		put_str(out, x->column);
		put_str(out, x->grantee);
		put_str(out, x->privilege);
		put_bool(out, x->grantable);
		end(out);
	}
}

void model_canonical(const model *m, strbuf *out)
{
	strbuf_addf(out, "schemig-model %d\n", MODEL_CANONICAL_VERSION);
	put_namespaces(out, m);
	put_textsearch(out, m);
	put_operators(out, m);
	put_types(out, m);
	put_sequences(out, m);
	put_relations(out, m);
	put_code(out, m);
}
