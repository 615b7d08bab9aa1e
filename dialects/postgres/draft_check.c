/*
 * What a drafted step touches (dialect->draft_statements, for draft/):
 * each statement of a model's step, parsed by libpg_query, with the
 * relations and other named objects it names. draft/ compares those
 * with the change set; this file only reads, it decides nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"

/*
 * Statement kinds whose every named object this file finds: relations
 * through any RangeVar below them (pp_walk sees every field), plus the
 * names they make or drop that are not RangeVars (an index's name, a
 * drop's list, a rename's new name). Anything else (DO blocks,
 * functions, SET, BEGIN) is reported with known = false: draft/
 * refuses what it cannot see into.
 */
static const char *const known_kinds[] = {
    "index_stmt",      "alter_table_stmt", "drop_stmt",
    "rename_stmt",     "create_stmt",	   "update_stmt",
    "comment_stmt",    "view_stmt",	   "create_seq_stmt",
    "alter_seq_stmt",  "create_trig_stmt", "grant_stmt",
    "alter_enum_stmt", "create_enum_stmt", "create_table_as_stmt",
    "delete_stmt",     "insert_stmt",
};

typedef struct found {
	json_t *objects;
} found;

static void add_name(found *f, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_ident(&sb, schema && *schema ? schema : "public");
	strbuf_addch(&sb, '.');
	pg_quote_ident(&sb, name);
	/* Each object once. */
	size_t i;
	json_t *v;
	bool seen = false;
	json_array_foreach(f->objects, i, v)
	{
		seen |= !strcmp(json_string_value(v), strbuf_str(&sb));
	}
	if (!seen)
		json_array_append_new(f->objects, json_string(strbuf_str(&sb)));
	strbuf_release(&sb);
}

static void collect_rangevar(const ProtobufCMessage *msg, void *data)
{
	if (msg->descriptor != &pg_query__range_var__descriptor)
		return;
	const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)msg;
	if (rv->relname && *rv->relname)
		add_name(data, pp_rv_schema(rv), rv->relname);
}

/* A DROP's object: a list of names (schema.name or name); a type's
 * TypeName; a schema's bare String. */
static void add_drop_object(found *f, const pnode *o)
{
	const char *schema = NULL, *name = NULL;
	if (o->node_case == PG_QUERY__NODE__NODE_LIST &&
	    pp_qualname(o->list->items, o->list->n_items, &schema, &name) == 0)
		add_name(f, schema, name);
	else if (o->node_case == PG_QUERY__NODE__NODE_TYPE_NAME &&
		 pp_qualname(o->type_name->names, o->type_name->n_names,
			     &schema, &name) == 0)
		add_name(f, schema, name);
	else if (pp_sval(o))
		add_name(f, pp_sval(o), pp_sval(o));
}

static void collect_named(const pnode *stmt, found *f)
{
	switch (stmt->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT: {
		const PgQuery__IndexStmt *s = stmt->index_stmt;
		if (s->idxname && *s->idxname && s->relation)
			add_name(f, pp_rv_schema(s->relation), s->idxname);
		break;
	}
	case PG_QUERY__NODE__NODE_DROP_STMT:
		for (size_t i = 0; i < stmt->drop_stmt->n_objects; i++)
			add_drop_object(f, stmt->drop_stmt->objects[i]);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *s = stmt->rename_stmt;
		/* A relation renamed: its new name is an object too; a column
		 * or constraint renamed stays on its relation. */
		if (s->relation && s->newname &&
		    (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
		     s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ||
		     s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
		     s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE))
			add_name(f, pp_rv_schema(s->relation), s->newname);
		else if (s->object)
			add_drop_object(f, s->object);
		break;
	}
	case PG_QUERY__NODE__NODE_COMMENT_STMT: {
		/* A column's comment names [schema.]table.column: its table
		 * is the object. */
		const PgQuery__CommentStmt *s = stmt->comment_stmt;
		const char *schema = NULL, *name = NULL;
		if (!s->object)
			break;
		if (s->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
		    s->object->node_case == PG_QUERY__NODE__NODE_LIST &&
		    s->object->list->n_items > 1 &&
		    pp_qualname(s->object->list->items,
				s->object->list->n_items - 1, &schema,
				&name) == 0)
			add_name(f, schema, name);
		else
			add_drop_object(f, s->object);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
		pnode **names =
		    stmt->node_case == PG_QUERY__NODE__NODE_CREATE_ENUM_STMT
			? stmt->create_enum_stmt->type_name
			: stmt->alter_enum_stmt->type_name;
		size_t n =
		    stmt->node_case == PG_QUERY__NODE__NODE_CREATE_ENUM_STMT
			? stmt->create_enum_stmt->n_type_name
			: stmt->alter_enum_stmt->n_type_name;
		const char *schema = NULL, *name = NULL;
		if (pp_qualname(names, n, &schema, &name) == 0)
			add_name(f, schema, name);
		break;
	}
	default:
		break;
	}
}

static int statements_of(const PgQuery__ParseResult *tree, arena *a, void *arg,
			 error *e)
{
	(void)a;
	(void)e;
	json_t *out = arg;
	for (size_t i = 0; i < tree->n_stmts; i++) {
		const PgQuery__RawStmt *rs = tree->stmts[i];
		const pnode *stmt = rs->stmt;
		if (!stmt)
			continue;
		const ProtobufCFieldDescriptor *fd =
		    protobuf_c_message_descriptor_get_field(
			&pg_query__node__descriptor, (unsigned)stmt->node_case);
		const char *kind = fd ? fd->name : "?";
		bool known = false;
		for (size_t k = 0;
		     k < sizeof(known_kinds) / sizeof(known_kinds[0]); k++)
			known |= !strcmp(kind, known_kinds[k]);
		found f = {json_array()};
		pp_walk(&stmt->base, collect_rangevar, &f);
		collect_named(stmt, &f);
		json_array_append_new(out, json_pack("{s:s, s:b, s:o}", "kind",
						     kind, "known", known,
						     "objects", f.objects));
	}
	return 0;
}

int pg_draft_statements(const char *sql, const char *filename, json_t **out,
			error *e)
{
	json_t *arr = json_array();
	if (pg_parse_tree(sql, filename, statements_of, arr, e) < 0) {
		json_decref(arr);
		return -1;
	}
	*out = arr;
	return 0;
}
