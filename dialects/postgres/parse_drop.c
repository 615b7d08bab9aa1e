/*
 * DROP and ALTER TYPE ... ADD VALUE: schema files often start with
 * "DROP TABLE IF EXISTS" and grow enums in place, so these change the
 * model instead of being ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

/* Remove the first item of `arr` whose schema and name match. */
#define REMOVE_NAMED(arr, n, sch, nm, found)                                   \
	do {                                                                   \
		for (int i_ = 0; i_ < (n); i_++)                               \
			if (!strcmp((arr)[i_].schema, (sch)) &&                \
			    !strcmp((arr)[i_].name, (nm))) {                   \
				PP_REMOVE_AT(arr, n, i_);                      \
				(found) = true;                                \
				break;                                         \
			}                                                      \
	} while (0)

/* A table's dependants go with it (DROP ... CASCADE or not: a file
 * that drops a table means to lose its indexes, triggers, policies). */
static void drop_table(model *m, const char *schema, const char *name)
{
	for (int i = m->nindexes - 1; i >= 0; i--)
		if (!strcmp(m->indexes[i].schema, schema) &&
		    !strcmp(m->indexes[i].table, name))
			PP_REMOVE_AT(m->indexes, m->nindexes, i);
	for (int i = m->nstatistics - 1; i >= 0; i--)
		if (!strcmp(m->statistics[i].table_schema, schema) &&
		    !strcmp(m->statistics[i].table, name))
			PP_REMOVE_AT(m->statistics, m->nstatistics, i);
	for (int i = m->ntriggers - 1; i >= 0; i--)
		if (!strcmp(m->triggers[i].schema, schema) &&
		    !strcmp(m->triggers[i].table, name))
			PP_REMOVE_AT(m->triggers, m->ntriggers, i);
	for (int i = m->npolicies - 1; i >= 0; i--)
		if (!strcmp(m->policies[i].schema, schema) &&
		    !strcmp(m->policies[i].table, name))
			PP_REMOVE_AT(m->policies, m->npolicies, i);
	for (int i = m->nsequences - 1; i >= 0; i--)
		if (m->sequences[i].owner.schema &&
		    !strcmp(m->sequences[i].owner.schema, schema) &&
		    !strcmp(m->sequences[i].owner.name, name))
			PP_REMOVE_AT(m->sequences, m->nsequences, i);
}

/* A dropped routine or type takes its privileges with it (the implicit
 * PUBLIC one included), so that one made again starts afresh. */
static void drop_grants(pp_ctx *c, char kind, const char *schema,
			const char *name)
{
	model *m = c->m;
	for (int i = m->ngrants - 1; i >= 0; i--)
		if (m->grants[i].objkind == kind &&
		    !strcmp(m->grants[i].schema, schema) &&
		    !strcmp(m->grants[i].name, name)) {
			PP_REMOVE_AT(m->grants, m->ngrants, i);
			pp_names_grants_stale(c);
		}
}

static bool drop_one(pp_ctx *c, int type, const pnode *o)
{
	model *m = c->m;
	const char *schema = NULL, *name = NULL;
	bool found = false;
	switch (type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR:
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPCLASS:
	case PG_QUERY__OBJECT_TYPE__OBJECT_OPFAMILY:
		return pp_drop_oper(c, type, o);
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		name = pp_sval(o);
		for (int i = 0; name && i < m->nschemas; i++)
			if (!strcmp(m->schemas[i].name, name)) {
				PP_REMOVE_AT(m->schemas, m->nschemas, i);
				return true;
			}
		return false;
	case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
		name = pp_sval(o);
		for (int i = 0; name && i < m->nextensions; i++)
			if (!strcmp(m->extensions[i].name, name)) {
				PP_REMOVE_AT(m->extensions, m->nextensions, i);
				return true;
			}
		return false;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		if (o->node_case != NC(TYPE_NAME) ||
		    pp_qualname(o->type_name->names, o->type_name->n_names,
				&schema, &name))
			return false;
		REMOVE_NAMED(m->enums, m->nenums, schema, name, found);
		REMOVE_NAMED(m->domains, m->ndomains, schema, name, found);
		REMOVE_NAMED(m->composites, m->ncomposites, schema, name,
			     found);
		REMOVE_NAMED(m->ranges, m->nranges, schema, name, found);
		if (found)
			drop_grants(c, 'T', schema, name);
		return found;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE: {
		const PgQuery__ObjectWithArgs *f = o->object_with_args;
		if (o->node_case != NC(OBJECT_WITH_ARGS) ||
		    pp_qualname(f->objname, f->n_objname, &schema, &name))
			return false;
		strbuf args = STRBUF_INIT;
		for (size_t i = 0; i < f->n_objargs; i++) {
			if (i)
				strbuf_adds(&args, ", ");
			pp_type_name_nomod(&args, f->objargs[i]->type_name);
		}
		for (int i = m->nfunctions - 1; i >= 0; i--)
			if (!strcmp(m->functions[i].schema, schema) &&
			    !strcmp(m->functions[i].name, name) &&
			    (f->args_unspecified ||
			     !strcmp(m->functions[i].identity_args,
				     strbuf_str(&args)))) {
				drop_grants(c, 'f', schema,
					    arena_sprintf(
						&m->arena, "%s(%s)", name,
						m->functions[i].identity_args));
				PP_REMOVE_AT(m->functions, m->nfunctions, i);
				found = true;
			}
		strbuf_release(&args);
		return found;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_CAST:
		return pp_drop_cast(c, o);
	case PG_QUERY__OBJECT_TYPE__OBJECT_TSDICTIONARY:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TSCONFIGURATION:
		return pp_drop_ts(c, type, o);
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY: {
		if (o->node_case != NC(LIST) || o->list->n_items < 2)
			return false;
		size_t n = o->list->n_items;
		const char *obj = pp_sval(o->list->items[n - 1]);
		if (pp_qualname(o->list->items, n - 1, &schema, &name) || !obj)
			return false;
		if (type == PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER) {
			for (int i = 0; i < m->ntriggers; i++)
				if (!strcmp(m->triggers[i].schema, schema) &&
				    !strcmp(m->triggers[i].table, name) &&
				    !strcmp(m->triggers[i].name, obj)) {
					PP_REMOVE_AT(m->triggers, m->ntriggers,
						     i);
					return true;
				}
		} else {
			for (int i = 0; i < m->npolicies; i++)
				if (!strcmp(m->policies[i].schema, schema) &&
				    !strcmp(m->policies[i].table, name) &&
				    !strcmp(m->policies[i].name, obj)) {
					PP_REMOVE_AT(m->policies, m->npolicies,
						     i);
					return true;
				}
		}
		return false;
	}
	default:
		break;
	}
	/* Relations: a list of names. */
	if (o->node_case != NC(LIST) ||
	    pp_qualname(o->list->items, o->list->n_items, &schema, &name))
		return false;
	switch (type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		drop_table(m, schema, name);
		REMOVE_NAMED(m->tables, m->ntables, schema, name, found);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		drop_table(m, schema, name);
		REMOVE_NAMED(m->views, m->nviews, schema, name, found);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		REMOVE_NAMED(m->indexes, m->nindexes, schema, name, found);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		REMOVE_NAMED(m->sequences, m->nsequences, schema, name, found);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLLATION:
		REMOVE_NAMED(m->collations, m->ncollations, schema, name,
			     found);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_STATISTIC_EXT:
		REMOVE_NAMED(m->statistics, m->nstatistics, schema, name,
			     found);
		break;
	default:
		pp_warn(c, "DROP of this kind of object is not part of the "
			   "schema model; ignored");
		return true;
	}
	return found;
}

/* How many items the arrays behind the parser's name maps hold. */
static long named_items(const model *m)
{
	return (long)m->ntables + m->nindexes + m->nsequences + m->nviews +
	       m->ncomposites + m->ndomains;
}

int pp_drop(pp_ctx *c, const PgQuery__DropStmt *s)
{
	for (size_t i = 0; i < s->n_objects; i++) {
		long before = named_items(c->m);
		bool found = drop_one(c, s->remove_type, s->objects[i]);
		/* Items left the arrays the name maps index (a table's
		 * indexes and sequences go with it even when the table
		 * itself was not found): rebuild those maps before they
		 * are used again. */
		if (named_items(c->m) != before)
			pp_names_stale(c);
		if (!found && !s->missing_ok)
			return pp_fail(c,
				       "DROP of an object this file does not "
				       "define");
	}
	return 0;
}

int pp_alter_enum(pp_ctx *c, const PgQuery__AlterEnumStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->type_name, s->n_type_name, &schema, &name))
		return pp_fail(c, "unusable type name in ALTER TYPE");
	m_enum *en = NULL;
	for (int i = 0; i < c->m->nenums; i++)
		if (!strcmp(c->m->enums[i].schema, schema) &&
		    !strcmp(c->m->enums[i].name, name))
			en = &c->m->enums[i];
	if (!en)
		return pp_fail(c, "ALTER TYPE on unknown enum \"%s.%s\"",
			       schema, name);
	if (PP_STR(s->old_val)) {
		/* RENAME VALUE old TO new */
		for (int i = 0; i < en->nlabels; i++)
			if (!strcmp(en->labels[i], s->old_val))
				en->labels[i] = model_str(c->m, s->new_val);
		return 0;
	}
	for (int i = 0; i < en->nlabels; i++)
		if (!strcmp(en->labels[i], s->new_val)) {
			if (s->skip_if_new_val_exists)
				return 0;
			return pp_fail(c, "enum label \"%s\" already exists",
				       s->new_val);
		}
	/* ADD VALUE [BEFORE | AFTER neighbour]: append, then move into
	 * place. */
	int at = en->nlabels;
	for (int i = 0; PP_STR(s->new_val_neighbor) && i < en->nlabels; i++)
		if (!strcmp(en->labels[i], s->new_val_neighbor))
			at = s->new_val_is_after ? i + 1 : i;
	ARENA_PUSH(&c->m->arena, en->labels, en->nlabels, en->clabels);
	memmove(&en->labels[at + 1], &en->labels[at],
		sizeof(char *) * (size_t)(en->nlabels - 1 - at));
	en->labels[at] = model_str(c->m, s->new_val);
	return 0;
}
