/*
 * The kinds of change of the PostgreSQL differ: names, default objects,
 * and finding a change's object in a model (diff_stmt.before/after).
 */
#include "change.h"

#include <string.h>

#include "diff_internal.h"

static const struct {
	const char *name;
	int object, verb, undo;
} pg_kinds[] = {
#define PG_CHANGE_ROW_(id, nm, objkind, vb, un)                                \
	[id - CHANGE_DIALECT_BASE] = {nm, objkind, vb, un},
    PG_CHANGE_KINDS(PG_CHANGE_ROW_)
#undef PG_CHANGE_ROW_
};

static bool is_pg_kind(int kind)
{
	return kind >= CHANGE_DIALECT_BASE && kind < PGC_END_;
}

const char *pg_change_kind_name(int kind)
{
	if (is_pg_kind(kind))
		return pg_kinds[kind - CHANGE_DIALECT_BASE].name;
	return change_kind_name(kind);
}

int pg_change_verb(int kind)
{
	if (is_pg_kind(kind))
		return pg_kinds[kind - CHANGE_DIALECT_BASE].verb;
	return change_kind_verb(kind);
}

int pg_change_undo(int kind)
{
	if (is_pg_kind(kind))
		return pg_kinds[kind - CHANGE_DIALECT_BASE].undo;
	return change_kind_undo(kind);
}

int pg_change_object_kind(int kind)
{
	if (is_pg_kind(kind))
		return pg_kinds[kind - CHANGE_DIALECT_BASE].object;
	switch (kind) {
	case CHANGE_CREATE_SCHEMA:
	case CHANGE_DROP_SCHEMA:
		return CHANGE_OBJ_SCHEMA;
	case CHANGE_CREATE_TABLE:
	case CHANGE_DROP_TABLE:
		return CHANGE_OBJ_TABLE;
	case CHANGE_ADD_COLUMN:
	case CHANGE_DROP_COLUMN:
	case CHANGE_ALTER_COLUMN_TYPE:
	case CHANGE_SET_DEFAULT:
	case CHANGE_DROP_DEFAULT:
	case CHANGE_SET_NOT_NULL:
	case CHANGE_DROP_NOT_NULL:
		return CHANGE_OBJ_COLUMN;
	case CHANGE_ADD_CONSTRAINT:
	case CHANGE_DROP_CONSTRAINT:
	case CHANGE_VALIDATE_CONSTRAINT:
		return CHANGE_OBJ_CONSTRAINT;
	case CHANGE_CREATE_INDEX:
	case CHANGE_DROP_INDEX:
		return CHANGE_OBJ_INDEX;
	case CHANGE_CREATE_VIEW:
	case CHANGE_DROP_VIEW:
		return CHANGE_OBJ_VIEW;
	case CHANGE_CREATE_FUNCTION:
	case CHANGE_REPLACE_FUNCTION:
	case CHANGE_DROP_FUNCTION:
		return CHANGE_OBJ_FUNCTION;
	case CHANGE_CREATE_TRIGGER:
	case CHANGE_DROP_TRIGGER:
		return CHANGE_OBJ_TRIGGER;
	case CHANGE_CREATE_SEQUENCE:
	case CHANGE_DROP_SEQUENCE:
	case CHANGE_ALTER_SEQUENCE:
		return CHANGE_OBJ_SEQUENCE;
	default:
		/* grant, revoke, comment: about whatever the differ says. */
		return CHANGE_OBJ_NONE;
	}
}

/* A routine's `sub` is what its name's parentheses hold: the identity
 * arguments, the signature with argument names, or "*" for an aggregate
 * of no arguments (diff_objects.c). */
static const m_function *find_function(const model *m, const change_object *o)
{
	for (int i = 0; i < m->nfunctions; i++) {
		const m_function *f = &m->functions[i];
		if (diff_strcmp(f->schema, o->schema) ||
		    diff_strcmp(f->name, o->name))
			continue;
		bool none = !f->identity_args || !*f->identity_args;
		if (!diff_strcmp(f->identity_args, o->sub) ||
		    (f->signature && !diff_strcmp(f->signature, o->sub)) ||
		    (none && o->sub &&
		     (!*o->sub || (f->kind == 'a' && !strcmp(o->sub, "*")))))
			return f;
	}
	return NULL;
}

static const m_column *find_column(const m_column *cols, int n,
				   const char *name)
{
	for (int i = 0; i < n; i++)
		if (!diff_strcmp(cols[i].name, name))
			return &cols[i];
	return NULL;
}

static const m_constraint *find_constraint(const m_constraint *cons, int n,
					   const char *name)
{
	for (int i = 0; i < n; i++)
		if (!diff_strcmp(cons[i].name, name))
			return &cons[i];
	return NULL;
}

/* Triggers and policies are named per table. */
#define FIND_ON_TABLE(fn, type, field)                                         \
	static const type *fn(const model *m, const change_object *o)          \
	{                                                                      \
		for (int i = 0; i < m->n##field; i++) {                        \
			const type *x = &m->field[i];                          \
			if (!diff_strcmp(x->schema, o->schema) &&              \
			    !diff_strcmp(x->table, o->table) &&                \
			    !diff_strcmp(x->name, o->name))                    \
				return x;                                      \
		}                                                              \
		return NULL;                                                   \
	}

FIND_ON_TABLE(find_trigger, m_trigger, triggers)
FIND_ON_TABLE(find_policy, m_policy, policies)

static const m_schema *find_schema(const model *m, const char *name)
{
	for (int i = 0; i < m->nschemas; i++)
		if (!diff_strcmp(m->schemas[i].name, name))
			return &m->schemas[i];
	return NULL;
}

change_side pg_change_find(const model *m, const change_object *o)
{
	change_side s = {NULL, NULL};
	/* The table a column, constraint, index, trigger or policy belongs
	 * to, whether or not the object itself is there. */
	const m_table *t = NULL;
	if (o->table &&
	    (o->kind == CHANGE_OBJ_COLUMN || o->kind == CHANGE_OBJ_CONSTRAINT ||
	     o->kind == CHANGE_OBJ_INDEX || o->kind == CHANGE_OBJ_TRIGGER ||
	     o->kind == PGO_POLICY))
		s.parent = t = model_find_table(m, o->schema, o->table);
	switch (o->kind) {
	case CHANGE_OBJ_SCHEMA:
		s.obj = find_schema(m, o->name);
		break;
	case CHANGE_OBJ_TABLE:
		s.obj = model_find_table(m, o->schema, o->name);
		break;
	case CHANGE_OBJ_COLUMN:
		s.obj =
		    t ? find_column(t->columns, t->ncolumns, o->name) : NULL;
		break;
	case CHANGE_OBJ_CONSTRAINT:
		s.obj = t ? find_constraint(t->constraints, t->nconstraints,
					    o->name)
			  : NULL;
		break;
	case CHANGE_OBJ_INDEX:
		s.obj = diff_find_index(m, o->schema, o->name);
		break;
	case CHANGE_OBJ_VIEW:
		s.obj = diff_find_view(m, o->schema, o->name);
		break;
	case CHANGE_OBJ_FUNCTION:
		s.obj = find_function(m, o);
		break;
	case CHANGE_OBJ_TRIGGER:
		s.obj = find_trigger(m, o);
		break;
	case CHANGE_OBJ_SEQUENCE:
		s.obj = diff_find_sequence(m, o->schema, o->name);
		break;
	case PGO_POLICY:
		s.obj = find_policy(m, o);
		break;
	case PGO_ENUM:
		s.obj = diff_find_enum(m, o->schema, o->name);
		break;
	case PGO_DOMAIN:
		s.obj = diff_find_domain(m, o->schema, o->name);
		break;
	case PGO_DOMAIN_CONSTRAINT: {
		const m_domain *d = diff_find_domain(m, o->schema, o->table);
		s.parent = d;
		s.obj =
		    d ? find_constraint(d->checks, d->nchecks, o->name) : NULL;
		break;
	}
	case PGO_COMPOSITE:
		s.obj = diff_find_composite(m, o->schema, o->name);
		break;
	case PGO_ATTRIBUTE: {
		const m_composite *ct =
		    diff_find_composite(m, o->schema, o->table);
		s.parent = ct;
		s.obj = ct ? find_column(ct->attrs, ct->nattrs, o->name) : NULL;
		break;
	}
	case PGO_RANGE:
		s.obj = diff_find_range(m, o->schema, o->name);
		break;
	default:
		break;
	}
	return s;
}
