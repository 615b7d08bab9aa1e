/*
 * The order a schema file's statements are loaded in (pg_load_order).
 *
 * A schema file is declarative: its author may define a table after the
 * foreign key that references it, a view before the table it reads, a
 * default calling a function defined further down. The server runs
 * statements in the order it gets them, so a scratch load would fail
 * with "does not exist". Here every statement is read from the parse
 * tree for what it defines (schemas, relations and types, functions) and
 * what it names (relations, types, functions called in expressions,
 * the schemas of qualified names, the objects of COMMENT, GRANT, ALTER),
 * and the statements are ordered topologically, keeping file order
 * wherever the dependencies allow: a file already in order is loaded
 * exactly as written.
 *
 * A statement that names a table before the file makes it means the
 * table as the file leaves it: it also follows the later ALTER TABLEs
 * that add columns or keys to it (a foreign key needs the key), unless
 * that would make a cycle.
 *
 * Names are matched as the server would see them after the parser
 * (unquoted names folded), by name, with the schema when both sides say
 * one: an unqualified name matches a definition in any schema. That is a
 * superset of the real dependencies, which can only hold a statement
 * back, never move one ahead of what it needs.
 *
 * What is not ordered, on purpose:
 *   - statements that change the session or run code (SET, SELECT
 *     set_config(...), DO, CALL, transaction control) stay where they
 *     are, and nothing moves across them: what follows a SET
 *     search_path must still see it;
 *   - a cycle (two CREATE TABLEs whose inline foreign keys name each
 *     other) cannot be ordered: its statements stay in file order and
 *     the server's error stands, with its file:line;
 *   - PL/pgSQL bodies are not read (the server does not check them at
 *     CREATE FUNCTION); the string bodies of LANGUAGE sql functions are,
 *     since check_function_bodies (on by default, and the load leaves it
 *     so) makes the server analyse them at creation, as it does the
 *     SQL-standard bodies (BEGIN ATOMIC, RETURN), which are in the tree;
 *     not after the file turns the check off, as pg_dump's files do;
 *   - what an extension creates is unknown here: a type or function of
 *     an extension is found only when CREATE EXTENSION comes first;
 *   - one file is ordered at a time: a directory's files still load in
 *     name order.
 *
 * The loader (conn.c) sends the statements one by one in this order
 * from the text as it is, so an error still names the statement's own
 * file:line:column.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/arena.h"
#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "load_order.h"
#include "parse_internal.h"
#include "parse_tree.h"
#include "pg.h"
static const char *node_str(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING
		   ? n->string->sval
		   : NULL;
}

/* schema.name from the last two items of a list of String nodes (a
 * leading catalog is ignored); `drop` items are left off the end first.
 * False when the list holds anything else. */
static bool list_qualname(PgQuery__Node *const *items, size_t n, size_t drop,
			  const char **schema, const char **name)
{
	if (n <= drop)
		return false;
	n -= drop;
	for (size_t i = 0; i < n; i++)
		if (!node_str(items[i]))
			return false;
	*name = node_str(items[n - 1]);
	*schema = n >= 2 ? node_str(items[n - 2]) : NULL;
	return true;
}

static void add_name(lo_ctx *c, bool def, int ns, const char *schema,
		     const char *name)
{
	if (!name || !*name)
		return;
	lo_stmt *s = &c->st[c->cur];
	lo_name *x = def ? ARENA_PUSH(&c->a, s->defs, s->ndefs, s->cdefs)
			 : ARENA_PUSH(&c->a, s->refs, s->nrefs, s->crefs);
	x->ns = ns;
	x->schema = schema && *schema ? arena_strdup(&c->a, schema) : NULL;
	x->name = arena_strdup(&c->a, name);
	/* A qualified name needs its schema first. */
	if (ns != NS_SCHEMA && x->schema)
		add_name(c, false, NS_SCHEMA, NULL, x->schema);
}

static void add_ref(lo_ctx *c, int ns, const char *schema, const char *name)
{
	/* The system catalogs are never the file's. */
	if (schema && !strcmp(schema, "pg_catalog"))
		return;
	add_name(c, false, ns, schema, name);
}

static void add_list_ref(lo_ctx *c, int ns, PgQuery__Node *const *items,
			 size_t n, size_t drop)
{
	const char *schema, *name;
	if (list_qualname(items, n, drop, &schema, &name))
		add_ref(c, ns, schema, name);
}

/*
 * A relation named in a string, as regclass reads it ('s.seq',
 * '"Mixed".seq'): unquoted parts folded to lower case, quoted ones kept.
 */
static void add_regclass_ref(lo_ctx *c, const char *text)
{
	strbuf part[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	int k = 0;
	bool ok = true;
	for (const char *p = text; *p && ok;) {
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				strbuf_addch(&part[k], *p);
			}
			ok = *p == '"';
			if (ok)
				p++;
		} else {
			for (; *p && *p != '.' && *p != '"'; p++)
				strbuf_addch(&part[k], *p >= 'A' && *p <= 'Z'
							   ? (char)(*p + 32)
							   : *p);
		}
		if (*p == '.') {
			p++;
			ok = ++k < 3;
		} else if (*p) {
			ok = false;
		}
	}
	if (ok && part[k].len)
		add_ref(c, NS_REL, k ? part[k - 1].buf : NULL, part[k].buf);
	for (int i = 0; i < 3; i++)
		strbuf_release(&part[i]);
}

/* Object kinds whose names are relations or types. */
static bool rel_kind(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		return true;
	default:
		return false;
	}
}

/* Object kinds named "table.part" (a column, a constraint, a trigger,
 * ...): the relation is the name without its last item. */
static bool sub_kind(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
	case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
		return true;
	default:
		return false;
	}
}

/*
 * The object of COMMENT ON, GRANT, ALTER ... OWNER, RENAME, SET SCHEMA
 * or DROP, when it is a list of names or a schema's name (typed names
 * and functions with arguments are TypeName and ObjectWithArgs nodes,
 * which the walk finds on its own). `def`: recorded as defined (a drop)
 * rather than named.
 */
static void object_name(lo_ctx *c, bool def, PgQuery__ObjectType t,
			const PgQuery__Node *obj)
{
	const char *schema, *name;
	if (!obj)
		return;
	if (t == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA && node_str(obj)) {
		add_name(c, def, NS_SCHEMA, NULL, node_str(obj));
	} else if (obj->node_case == PG_QUERY__NODE__NODE_LIST &&
		   (rel_kind(t) || sub_kind(t))) {
		if (list_qualname(obj->list->items, obj->list->n_items,
				  sub_kind(t) ? 1 : 0, &schema, &name) &&
		    !(schema && !strcmp(schema, "pg_catalog")))
			add_name(c, def && !sub_kind(t), NS_REL, schema, name);
	} else if (def && obj->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
		const PgQuery__TypeName *tn = obj->type_name;
		if (list_qualname(tn->names, tn->n_names, 0, &schema, &name))
			add_name(c, true, NS_REL, schema, name);
	} else if (def &&
		   obj->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS) {
		const PgQuery__ObjectWithArgs *o = obj->object_with_args;
		if (list_qualname(o->objname, o->n_objname, 0, &schema, &name))
			add_name(c, true, NS_FUNC, schema, name);
	}
}

/* nextval('seq'), currval, setval: the sequence is named in a string. */
static void sequence_call(lo_ctx *c, const PgQuery__FuncCall *fc)
{
	const char *schema, *name;
	if (!list_qualname(fc->funcname, fc->n_funcname, 0, &schema, &name) ||
	    (strcmp(name, "nextval") && strcmp(name, "currval") &&
	     strcmp(name, "setval")) ||
	    !fc->n_args ||
	    fc->args[0]->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return;
	const PgQuery__AConst *k = fc->args[0]->a_const;
	if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		add_regclass_ref(c, k->sval->sval);
}

/* 'name'::regclass: a relation named in a string. */
static void regclass_cast(lo_ctx *c, const PgQuery__TypeCast *tc)
{
	const char *schema, *name;
	if (!tc->type_name || !tc->arg ||
	    !list_qualname(tc->type_name->names, tc->type_name->n_names, 0,
			   &schema, &name) ||
	    strcmp(name, "regclass") ||
	    tc->arg->node_case != PG_QUERY__NODE__NODE_A_CONST ||
	    tc->arg->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
		return;
	add_regclass_ref(c, tc->arg->a_const->sval->sval);
}

/* The DefElems whose value is a name: OWNED BY table.column, the
 * support functions of CREATE AGGREGATE. */
static void def_elem(lo_ctx *c, const PgQuery__DefElem *d)
{
	static const char *const funcs[] = {
	    "sfunc",  "finalfunc", "combinefunc", "serialfunc", "deserialfunc",
	    "msfunc", "minvfunc",  "mfinalfunc",  NULL};
	if (!d->defname || !d->arg)
		return;
	if (!strcmp(d->defname, "owned_by") &&
	    d->arg->node_case == PG_QUERY__NODE__NODE_LIST) {
		add_list_ref(c, NS_REL, d->arg->list->items,
			     d->arg->list->n_items, 1);
		return;
	}
	if (d->arg->node_case != PG_QUERY__NODE__NODE_TYPE_NAME)
		return;
	for (int i = 0; funcs[i]; i++)
		if (!strcmp(d->defname, funcs[i]))
			add_list_ref(c, NS_FUNC, d->arg->type_name->names,
				     d->arg->type_name->n_names, 0);
}

/* pp_walk's callback: every name a statement mentions. */
static void collect_ref(const ProtobufCMessage *msg, void *data)
{
	lo_ctx *c = data;
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	if (d == &pg_query__range_var__descriptor) {
		const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)msg;
		add_ref(c, NS_REL, rv->schemaname, rv->relname);
	} else if (d == &pg_query__type_name__descriptor) {
		const PgQuery__TypeName *tn = (const PgQuery__TypeName *)msg;
		add_list_ref(c, NS_REL, tn->names, tn->n_names, 0);
	} else if (d == &pg_query__func_call__descriptor) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)msg;
		add_list_ref(c, NS_FUNC, fc->funcname, fc->n_funcname, 0);
		sequence_call(c, fc);
	} else if (d == &pg_query__type_cast__descriptor) {
		regclass_cast(c, (const PgQuery__TypeCast *)msg);
	} else if (d == &pg_query__object_with_args__descriptor) {
		const PgQuery__ObjectWithArgs *o =
		    (const PgQuery__ObjectWithArgs *)msg;
		add_list_ref(c, NS_FUNC, o->objname, o->n_objname, 0);
	} else if (d == &pg_query__create_trig_stmt__descriptor) {
		const PgQuery__CreateTrigStmt *t =
		    (const PgQuery__CreateTrigStmt *)msg;
		add_list_ref(c, NS_FUNC, t->funcname, t->n_funcname, 0);
	} else if (d == &pg_query__def_elem__descriptor) {
		def_elem(c, (const PgQuery__DefElem *)msg);
	} else if (d == &pg_query__comment_stmt__descriptor) {
		const PgQuery__CommentStmt *s =
		    (const PgQuery__CommentStmt *)msg;
		object_name(c, false, s->objtype, s->object);
	} else if (d == &pg_query__alter_owner_stmt__descriptor) {
		const PgQuery__AlterOwnerStmt *s =
		    (const PgQuery__AlterOwnerStmt *)msg;
		object_name(c, false, s->object_type, s->object);
	} else if (d == &pg_query__alter_object_schema_stmt__descriptor) {
		const PgQuery__AlterObjectSchemaStmt *s =
		    (const PgQuery__AlterObjectSchemaStmt *)msg;
		object_name(c, false, s->object_type, s->object);
		add_ref(c, NS_SCHEMA, NULL, s->newschema);
	} else if (d == &pg_query__rename_stmt__descriptor) {
		const PgQuery__RenameStmt *s = (const PgQuery__RenameStmt *)msg;
		object_name(c, false, s->rename_type, s->object);
	} else if (d == &pg_query__grant_stmt__descriptor) {
		const PgQuery__GrantStmt *s = (const PgQuery__GrantStmt *)msg;
		bool in_schema =
		    s->targtype ==
		    PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA;
		for (size_t i = 0; i < s->n_objects; i++)
			object_name(c, false,
				    in_schema
					? PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA
					: s->objtype,
				    s->objects[i]);
	} else if (d == &pg_query__alter_enum_stmt__descriptor) {
		const PgQuery__AlterEnumStmt *s =
		    (const PgQuery__AlterEnumStmt *)msg;
		add_list_ref(c, NS_REL, s->type_name, s->n_type_name, 0);
	} else if (d == &pg_query__alter_domain_stmt__descriptor) {
		const PgQuery__AlterDomainStmt *s =
		    (const PgQuery__AlterDomainStmt *)msg;
		add_list_ref(c, NS_REL, s->type_name, s->n_type_name, 0);
	} else if (d == &pg_query__create_extension_stmt__descriptor) {
		const PgQuery__CreateExtensionStmt *s =
		    (const PgQuery__CreateExtensionStmt *)msg;
		for (size_t i = 0; i < s->n_options; i++) {
			const PgQuery__Node *o = s->options[i];
			if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
			    !strcmp(o->def_elem->defname, "schema"))
				add_ref(c, NS_SCHEMA, NULL,
					node_str(o->def_elem->arg));
		}
	}
}

static void def_rangevar(lo_ctx *c, const PgQuery__RangeVar *rv,
			 const char *schema)
{
	if (rv)
		add_name(c, true, NS_REL,
			 rv->schemaname ? rv->schemaname : schema, rv->relname);
}

static void def_list(lo_ctx *c, int ns, PgQuery__Node *const *items, size_t n,
		     const char *schema)
{
	const char *s, *name;
	if (list_qualname(items, n, 0, &s, &name))
		add_name(c, true, ns, s ? s : schema, name);
}

/* serial columns make a sequence <table>_<column>_seq. */
static void def_serials(lo_ctx *c, const PgQuery__CreateStmt *cs,
			const char *schema)
{
	for (size_t i = 0; cs->relation && i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		if (e->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF ||
		    !e->column_def->type_name || !e->column_def->colname)
			continue;
		const PgQuery__TypeName *tn = e->column_def->type_name;
		const char *ts, *tname;
		if (!list_qualname(tn->names, tn->n_names, 0, &ts, &tname) ||
		    ts || !strstr(tname, "serial"))
			continue;
		char *seq =
		    arena_sprintf(&c->a, "%s_%s_seq", cs->relation->relname,
				  e->column_def->colname);
		add_name(c, true, NS_REL,
			 cs->relation->schemaname ? cs->relation->schemaname
						  : schema,
			 seq);
	}
}

/* The LANGUAGE sql string body of a function, kept to be read after the
 * file (a body of another language is not checked at creation). */
static void keep_sql_body(lo_ctx *c, const PgQuery__CreateFunctionStmt *f)
{
	const char *lang = NULL, *body = NULL;
	/* pg_dump turns the check off: its functions come before the
	 * tables their bodies read. */
	if (f->sql_body || c->bodies_unchecked)
		return;
	for (size_t i = 0; i < f->n_options; i++) {
		const PgQuery__Node *o = f->options[i];
		if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM ||
		    !o->def_elem->arg)
			continue;
		const PgQuery__DefElem *d = o->def_elem;
		if (!strcmp(d->defname, "language"))
			lang = node_str(d->arg);
		else if (!strcmp(d->defname, "as") &&
			 d->arg->node_case == PG_QUERY__NODE__NODE_LIST &&
			 d->arg->list->n_items == 1)
			body = node_str(d->arg->list->items[0]);
	}
	if (!lang || strcmp(lang, "sql") || !body)
		return;
	lo_body *b = ARENA_PUSH(&c->a, c->bodies, c->nbodies, c->cbodies);
	b->stmt = c->cur;
	b->text = arena_strdup(&c->a, body);
}

/*
 * ALTER TABLE t ADD COLUMN, ADD PRIMARY KEY, ADD UNIQUE: a statement that
 * names t before t is made means t as the file leaves it, with these
 * columns and keys (a foreign key needs the key it references), so it
 * should follow them too (see load_order_sort.c).
 */
static void collect_shapes(lo_ctx *c, const PgQuery__AlterTableStmt *a)
{
	bool shapes = false;
	if (!a->relation || a->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < a->n_cmds; i++) {
		const PgQuery__Node *n = a->cmds[i];
		if (n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		const PgQuery__AlterTableCmd *cmd = n->alter_table_cmd;
		const PgQuery__Node *def = cmd->def;
		if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn)
			shapes = true;
		else if (cmd->subtype ==
			     PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
			 def &&
			 def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
			 (def->constraint->contype ==
			      PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
			  def->constraint->contype ==
			      PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE))
			shapes = true;
	}
	if (!shapes)
		return;
	lo_stmt *s = &c->st[c->cur];
	lo_name *x = ARENA_PUSH(&c->a, s->shapes, s->nshapes, s->cshapes);
	x->ns = NS_REL;
	x->schema = arena_strdup(&c->a, a->relation->schemaname);
	x->name = arena_strdup(&c->a, a->relation->relname);
}

/* What a statement defines; `schema` is the one of an enclosing CREATE
 * SCHEMA (NULL outside). */
static void collect_defs(lo_ctx *c, const PgQuery__Node *n, const char *schema)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
		const PgQuery__CreateSchemaStmt *s = n->create_schema_stmt;
		add_name(c, true, NS_SCHEMA, NULL, s->schemaname);
		for (size_t i = 0; i < s->n_schema_elts; i++)
			collect_defs(c, s->schema_elts[i], s->schemaname);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		def_rangevar(c, n->create_stmt->relation, schema);
		def_serials(c, n->create_stmt, schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
		if (n->create_foreign_table_stmt->base_stmt)
			def_rangevar(
			    c,
			    n->create_foreign_table_stmt->base_stmt->relation,
			    schema);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		def_rangevar(c, n->view_stmt->view, schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into)
			def_rangevar(c, n->create_table_as_stmt->into->rel,
				     schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		def_rangevar(c, n->create_seq_stmt->sequence, schema);
		break;
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
		def_rangevar(c, n->composite_type_stmt->typevar, schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
		def_list(c, NS_REL, n->create_enum_stmt->type_name,
			 n->create_enum_stmt->n_type_name, schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
		def_list(c, NS_REL, n->create_range_stmt->type_name,
			 n->create_range_stmt->n_type_name, schema);
		break;
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
		def_list(c, NS_REL, n->create_domain_stmt->domainname,
			 n->create_domain_stmt->n_domainname, schema);
		break;
	case PG_QUERY__NODE__NODE_DEFINE_STMT: {
		const PgQuery__DefineStmt *s = n->define_stmt;
		if (s->kind == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE)
			def_list(c, NS_REL, s->defnames, s->n_defnames, schema);
		else if (s->kind == PG_QUERY__OBJECT_TYPE__OBJECT_AGGREGATE)
			def_list(c, NS_FUNC, s->defnames, s->n_defnames,
				 schema);
		break;
	}
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->idxname && n->index_stmt->relation)
			add_name(c, true, NS_REL,
				 n->index_stmt->relation->schemaname
				     ? n->index_stmt->relation->schemaname
				     : schema,
				 n->index_stmt->idxname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		def_list(c, NS_FUNC, n->create_function_stmt->funcname,
			 n->create_function_stmt->n_funcname, schema);
		keep_sql_body(c, n->create_function_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		/* The new name is defined where the old one was. */
		const PgQuery__RenameStmt *s = n->rename_stmt;
		const char *os = NULL, *on;
		if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA)
			add_name(c, true, NS_SCHEMA, NULL, s->newname);
		else if (s->relation && rel_kind(s->rename_type))
			add_name(c, true, NS_REL, s->relation->schemaname,
				 s->newname);
		else if (s->object &&
			 s->object->node_case == PG_QUERY__NODE__NODE_LIST &&
			 rel_kind(s->rename_type) &&
			 list_qualname(s->object->list->items,
				       s->object->list->n_items, 0, &os, &on))
			add_name(c, true, NS_REL, os, s->newname);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		collect_shapes(c, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT: {
		const PgQuery__AlterObjectSchemaStmt *s =
		    n->alter_object_schema_stmt;
		if (s->relation)
			add_name(c, true, NS_REL, s->newschema,
				 s->relation->relname);
		break;
	}
	default:
		break;
	}
}

/* Statements that change the session or run code: they keep their
 * place, and nothing is moved across them. */
static bool is_barrier(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
	case PG_QUERY__NODE__NODE_SELECT_STMT:
	case PG_QUERY__NODE__NODE_DO_STMT:
	case PG_QUERY__NODE__NODE_CALL_STMT:
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
	case PG_QUERY__NODE__NODE_COPY_STMT:
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
	case PG_QUERY__NODE__NODE_LOCK_STMT:
	case PG_QUERY__NODE__NODE_EXECUTE_STMT:
	case PG_QUERY__NODE__NODE_PREPARE_STMT:
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
		return true;
	default:
		return false;
	}
}

/* A DROP: what it drops is recorded as its definitions (a later CREATE of
 * the same name stays after it); nothing in it is a reference. */
static void collect_drop(lo_ctx *c, const PgQuery__DropStmt *d)
{
	c->st[c->cur].drops = true;
	for (size_t i = 0; i < d->n_objects; i++)
		object_name(c, true, d->remove_type, d->objects[i]);
}

/* A boolean setting's value as the server reads it (off, false, no, 0,
 * and their prefixes): 0, 1, or -1 when it is no constant. */
static int const_bool(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return -1;
	const PgQuery__AConst *k = n->a_const;
	if (k->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return k->ival->ival != 0;
	if (k->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
		return k->boolval->boolval;
	if (k->val_case != PG_QUERY__A__CONST__VAL_SVAL)
		return -1;
	const char *v = k->sval->sval;
	static const char *const off[] = {"off", "false", "no", "0",
					  "f",	 "n",	  NULL};
	for (int i = 0; off[i]; i++)
		if (!strcasecmp(v, off[i]))
			return 0;
	return 1;
}

/*
 * What a statement sets check_function_bodies to: SET (RESET: on), or
 * pg_dump's SELECT pg_catalog.set_config('check_function_bodies',
 * 'false', false). -1 when it sets nothing of the kind.
 */
static int sets_body_check(const PgQuery__Node *n)
{
	if (n->node_case == PG_QUERY__NODE__NODE_VARIABLE_SET_STMT) {
		const PgQuery__VariableSetStmt *v = n->variable_set_stmt;
		if (!v->name || strcmp(v->name, "check_function_bodies"))
			return -1;
		if (v->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE &&
		    v->n_args)
			return const_bool(v->args[0]);
		return 1;
	}
	if (n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return -1;
	const PgQuery__SelectStmt *sel = n->select_stmt;
	int value = -1;
	for (size_t i = 0; i < sel->n_target_list; i++) {
		const PgQuery__Node *t = sel->target_list[i];
		const char *schema, *name;
		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET ||
		    !t->res_target->val ||
		    t->res_target->val->node_case !=
			PG_QUERY__NODE__NODE_FUNC_CALL)
			continue;
		const PgQuery__FuncCall *fc = t->res_target->val->func_call;
		if (!list_qualname(fc->funcname, fc->n_funcname, 0, &schema,
				   &name) ||
		    strcmp(name, "set_config") || fc->n_args < 2 ||
		    fc->args[0]->node_case != PG_QUERY__NODE__NODE_A_CONST ||
		    fc->args[0]->a_const->val_case !=
			PG_QUERY__A__CONST__VAL_SVAL ||
		    strcmp(fc->args[0]->a_const->sval->sval,
			   "check_function_bodies"))
			continue;
		value = const_bool(fc->args[1]);
	}
	return value;
}

/* What every statement of the tree defines and names. */
static void read_stmt(lo_ctx *c, int i, const PgQuery__RawStmt *raw)
{
	c->cur = i;
	if (!raw || !raw->stmt)
		return;
	if (is_barrier(raw->stmt)) {
		int check = sets_body_check(raw->stmt);
		c->st[i].barrier = true;
		if (check >= 0)
			c->bodies_unchecked = !check;
	} else if (raw->stmt->node_case == PG_QUERY__NODE__NODE_DROP_STMT) {
		collect_drop(c, raw->stmt->drop_stmt);
	} else {
		collect_defs(c, raw->stmt, NULL);
		pp_walk(&raw->stmt->base, collect_ref, c);
	}
}

/* A LANGUAGE sql body's own statements: all they name is the
 * function's. */
static int read_body(const PgQuery__ParseResult *tree, arena *tree_arena,
		     void *arg, error *e)
{
	(void)tree_arena;
	(void)e;
	for (size_t i = 0; i < tree->n_stmts; i++)
		if (tree->stmts[i]->stmt)
			pp_walk(&tree->stmts[i]->stmt->base, collect_ref, arg);
	return 0;
}
/* The order of c's statements, read already; c's arena freed. */
static int *order_of(lo_ctx *c, bool *cycle)
{
	/* A body that does not parse names nothing: the server reports it
	 * when the function is made. */
	for (int b = 0; b < c->nbodies; b++) {
		error e = ERROR_INIT;
		c->cur = c->bodies[b].stmt;
		pg_parse_tree(c->bodies[b].text, NULL, read_body, c, &e);
		error_clear(&e);
	}
	int *order = lo_sort(c);
	if (cycle)
		*cycle = c->hard_cycle;
	arena_free(&c->a);
	return order;
}

int *pg_load_order_tree(const PgQuery__ParseResult *tree, bool *cycle)
{
	if (cycle)
		*cycle = false;
	if (tree->n_stmts < 2 || tree->n_stmts > INT_MAX / 2)
		return NULL;
	lo_ctx c = {.a = ARENA_INIT, .n = (int)tree->n_stmts};
	c.st = arena_alloc(&c.a, tree->n_stmts * sizeof(*c.st));
	for (size_t i = 0; i < tree->n_stmts; i++)
		read_stmt(&c, (int)i, tree->stmts[i]);
	return order_of(&c, cycle);
}

int *pg_load_order_list(const pg_stmt_list *l, bool *cycle)
{
	size_t n = pg_stmt_list_count(l);
	if (cycle)
		*cycle = false;
	if (n < 2 || n > INT_MAX / 2)
		return NULL;
	lo_ctx c = {.a = ARENA_INIT, .n = (int)n};
	c.st = arena_alloc(&c.a, n * sizeof(*c.st));
	/* One statement's tree at a time: what the order needs of it is
	 * copied into c's arena (names only, never a location). */
	for (size_t i = 0; i < n; i++) {
		arena t = ARENA_INIT;
		read_stmt(&c, (int)i, pg_stmt_list_peek(l, i, &t));
		arena_free(&t);
	}
	return order_of(&c, cycle);
}

typedef struct split_job {
	int n;
	const int *locs;
	int *order;
} split_job;

/* Runs on pg_parse_tree's thread. The split and the parse come from the
 * same parser; should they ever disagree, the file order stands. */
static int order_split(const PgQuery__ParseResult *tree, arena *tree_arena,
		       void *arg, error *e)
{
	split_job *j = arg;
	(void)tree_arena;
	(void)e;
	if ((int)tree->n_stmts != j->n)
		return 0;
	for (int i = 0; i < j->n; i++)
		if (tree->stmts[i]->stmt_location != j->locs[i])
			return 0;
	j->order = pg_load_order_tree(tree, NULL);
	return 0;
}

int *pg_load_order(const char *sql, int n, const int *locs)
{
	split_job j = {n, locs, NULL};
	/* What does not parse is loaded in file order: the server then
	 * reports the error with its position, as before. */
	error e = ERROR_INIT;
	if (n >= 2)
		pg_parse_tree(sql, NULL, order_split, &j, &e);
	error_clear(&e);
	return j.order;
}
