/*
 * CREATE OPERATOR, CREATE OPERATOR CLASS, CREATE / ALTER OPERATOR FAMILY,
 * ALTER OPERATOR ... SET, and COMMENT ON and DROP of the three, in the
 * canonical form opclass.h writes, so that a file compared with a file
 * needs no server.
 *
 * Names resolve as the rest of the parser resolves them: unqualified
 * functions are the file's own in public when it defines one, else
 * built-in; types as format_type() spells them. An unqualified operator
 * is pg_catalog's when it is a built-in comparison over built-in types
 * (the server searches pg_catalog first), else the file's own in public.
 */
#include <string.h>
#include <strings.h>

#include "opclass.h"
#include "parse_internal.h"
#include "pg.h"

static m_operator *find_oper(model *m, const char *schema, const char *name,
			     const char *left, const char *right)
{
	for (int i = 0; i < m->noperators; i++) {
		m_operator *o = &m->operators[i];
		if (!strcmp(o->schema, schema) && !strcmp(o->name, name) &&
		    !strcmp(o->left ? o->left : "", left ? left : "") &&
		    !strcmp(o->right ? o->right : "", right ? right : ""))
			return o;
	}
	return NULL;
}

static m_opfamily *find_family(model *m, const char *schema, const char *name,
			       const char *method)
{
	for (int i = 0; i < m->nopfamilies; i++) {
		m_opfamily *f = &m->opfamilies[i];
		if (!strcmp(f->schema, schema) && !strcmp(f->name, name) &&
		    !strcmp(f->method, method))
			return f;
	}
	return NULL;
}

static int find_class(model *m, const char *schema, const char *name,
		      const char *method)
{
	for (int i = 0; i < m->nopclasses; i++) {
		m_opclass *k = &m->opclasses[i];
		if (!strcmp(k->schema, schema) && !strcmp(k->name, name) &&
		    !strcmp(k->method, method))
			return i;
	}
	return -1;
}

/* A type as format_type(oid, NULL) prints it. */
static const char *type_name_of(pp_ctx *c, const PgQuery__TypeName *tn)
{
	if (!tn)
		return NULL;
	strbuf sb = STRBUF_INIT;
	pp_type_name_nomod(&sb, tn);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* The same from a node; NULL for NONE. */
static const char *type_of(pp_ctx *c, const pnode *n)
{
	return n && n->node_case == NC(TYPE_NAME)
		   ? type_name_of(c, n->type_name)
		   : NULL;
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static bool catalog_type(const char *t)
{
	return t && !strchr(t, '.');
}

/* The schema of an operator written unqualified, or NULL when neither
 * rule finds it. */
static const char *oper_schema(pp_ctx *c, const char *name, const char *left,
			       const char *right)
{
	static const char *const builtin[] = {"=",  "<>", "<", ">",
					      "<=", ">=", NULL};
	for (int i = 0; builtin[i]; i++)
		if (!strcmp(name, builtin[i]) &&
		    (!left || catalog_type(left)) && catalog_type(right))
			return "pg_catalog";
	if (find_oper(c->m, "public", name, left, right))
		return "public";
	return NULL;
}

/* An operator name list: the symbol and its schema (NULL: unqualified). */
static int oper_name(pnode **items, size_t n, const char **schema,
		     const char **name)
{
	*schema = n >= 2 ? pp_sval(items[n - 2]) : NULL;
	*name = n ? pp_sval(items[n - 1]) : NULL;
	return *name ? 0 : -1;
}

/* A function name list as pp_resolve_ref() resolves one: schema NULL
 * for a built-in. */
static int fn_name(pp_ctx *c, pnode **items, size_t n, const char **schema,
		   const char **name)
{
	if (!n)
		return -1;
	pnode list = PG_QUERY__NODE__INIT;
	PgQuery__List l = PG_QUERY__LIST__INIT;
	l.items = items;
	l.n_items = n;
	list.node_case = NC(LIST);
	list.list = &l;
	return pp_resolve_ref(c, &list, true, schema, name);
}

char *pp_operator_ref(pp_ctx *c, const char *schema, const char *name)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "OPERATOR(");
	pg_quote_ident(&sb, schema);
	strbuf_addf(&sb, ".%s)", name);
	char *s = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* ---- CREATE OPERATOR ---- */

static bool def_true(const pnode *arg)
{
	if (!arg)
		return true;
	if (arg->node_case == NC(BOOLEAN))
		return arg->boolean->boolval;
	if (arg->node_case == NC(STRING))
		return strcasecmp(arg->string->sval, "false") &&
		       strcasecmp(arg->string->sval, "off");
	return true;
}

/* FUNCTION, RESTRICT, JOIN: regproc's spelling; a user one is also a
 * dependency. NONE (a keyword the grammar hands over as a string) is
 * no function. */
static const char *def_fn(pp_ctx *c, m_operator *o, const pnode *arg)
{
	const char *schema, *name;
	if (!arg || (arg->node_case == NC(STRING) &&
		     !strcasecmp(arg->string->sval, "none")))
		return NULL;
	if (pp_resolve_ref(c, arg, true, &schema, &name))
		return NULL;
	if (schema && strcmp(schema, "pg_catalog") && o) {
		m_ref *d =
		    ARENA_PUSH(&c->m->arena, o->deps, o->ndeps, o->cdeps);
		d->schema = model_str(c->m, schema);
		d->name = model_str(c->m, name);
	}
	return pp_visible_ref(c, arg, true);
}

/* COMMUTATOR / NEGATOR: "OPERATOR(schema.op)". An unqualified one the
 * file does not define is made (as a shell) in public. */
static const char *def_oper(pp_ctx *c, const m_operator *self, const pnode *arg,
			    bool commutator)
{
	if (!arg || arg->node_case != NC(LIST))
		return NULL;
	const char *schema, *name;
	if (oper_name(arg->list->items, arg->list->n_items, &schema, &name))
		return NULL;
	const char *l = commutator ? self->right : self->left;
	const char *r = commutator ? self->left : self->right;
	if (!schema)
		schema = !strcmp(name, self->name) && same_str(l, self->left) &&
				 same_str(r, self->right)
			     ? self->schema
			     : oper_schema(c, name, l, r);
	return pp_operator_ref(c, schema ? schema : "public", name);
}

int pp_create_operator(pp_ctx *c, const PgQuery__DefineStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->defnames, s->n_defnames, &schema, &name))
		return pp_fail(c, "unusable name in CREATE OPERATOR");
	m_operator *o = model_add_operator(c->m);
	o->schema = model_str(c->m, schema);
	o->name = model_str(c->m, name);
	const pnode *fn = NULL, *com = NULL, *neg = NULL;
	bool merges = false, hashes = false;
	for (size_t i = 0; i < s->n_definition; i++) {
		const PgQuery__DefElem *d = s->definition[i]->def_elem;
		if (!d)
			continue;
		const char *k = d->defname;
		if (!strcmp(k, "function") || !strcmp(k, "procedure"))
			fn = d->arg;
		else if (!strcmp(k, "leftarg"))
			o->left = (char *)type_of(c, d->arg);
		else if (!strcmp(k, "rightarg"))
			o->right = (char *)type_of(c, d->arg);
		else if (!strcmp(k, "commutator"))
			com = d->arg;
		else if (!strcmp(k, "negator"))
			neg = d->arg;
		else if (!strcmp(k, "merges"))
			merges = def_true(d->arg);
		else if (!strcmp(k, "hashes"))
			hashes = def_true(d->arg);
		else if (!strcmp(k, "restrict"))
			o->restrict_fn = (char *)def_fn(c, o, d->arg);
		else if (!strcmp(k, "join"))
			o->join_fn = (char *)def_fn(c, o, d->arg);
	}
	if (!fn)
		return pp_fail(c, "operator function must be specified");
	pg_oper_parts p = {.schema = o->schema,
			   .name = o->name,
			   .left = o->left,
			   .right = o->right,
			   .function = def_fn(c, o, fn),
			   .merges = merges,
			   .hashes = hashes};
	p.commutator = def_oper(c, o, com, true);
	p.negator = def_oper(c, o, neg, false);
	strbuf sb = STRBUF_INIT;
	pg_operator_definition(&sb, &p);
	o->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

/* ---- members ---- */

/* The member types the server assigns when none are written: a btree
 * comparison function's argument types (in_range: the first and third),
 * a hash function's argument type, otherwise the class's type. */
static void default_types(pp_ctx *c, m_opmember *mb, const char *method,
			  const PgQuery__ObjectWithArgs *fn, const char *type)
{
	const char *a0 =
	    fn && fn->n_objargs > 0 ? type_of(c, fn->objargs[0]) : NULL;
	const char *a1 =
	    fn && fn->n_objargs > 1 ? type_of(c, fn->objargs[1]) : NULL;
	const char *a2 =
	    fn && fn->n_objargs > 2 ? type_of(c, fn->objargs[2]) : NULL;
	if (!strcmp(method, "btree") && mb->number == 1 && a0 && a1) {
		mb->left = (char *)a0;
		mb->right = (char *)a1;
	} else if (!strcmp(method, "btree") && mb->number == 3 && a0 && a2) {
		mb->left = (char *)a0;
		mb->right = (char *)a2;
	} else if (!strcmp(method, "hash") && a0) {
		mb->left = mb->right = (char *)a0;
	} else {
		mb->left = mb->right = (char *)type;
	}
}

/* The sort family of FOR ORDER BY: the file's btree family in public
 * when it defines one, else the built-in one. */
static const char *order_family(pp_ctx *c, pnode **items, size_t n)
{
	const char *schema, *name;
	if (pp_qualname(items, n, &schema, &name))
		return NULL;
	if (n == 1 && !find_family(c->m, "public", name, "btree"))
		schema = "pg_catalog";
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	char *r = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return r;
}

/* One OPERATOR or FUNCTION item into `mb`; -1 when it is unusable.
 * `type` is the class's type (NULL in ALTER OPERATOR FAMILY). */
static int read_member(pp_ctx *c, const PgQuery__CreateOpClassItem *it,
		       const char *method, const char *type, m_opmember *mb)
{
	const PgQuery__ObjectWithArgs *ow = it->name;
	if (!ow)
		return -1;
	mb->number = it->number;
	const char *schema, *name;
	if (it->itemtype == 1) {
		mb->kind = 'o';
		if (oper_name(ow->objname, ow->n_objname, &schema, &name))
			return -1;
		if (ow->n_objargs == 2) {
			mb->left = (char *)type_of(c, ow->objargs[0]);
			mb->right = (char *)type_of(c, ow->objargs[1]);
		} else {
			mb->left = mb->right = (char *)type;
		}
		if (!schema)
			schema = oper_schema(c, name, mb->left, mb->right);
		mb->schema = model_str(c->m, schema ? schema : "pg_catalog");
		mb->name = model_str(c->m, name);
		pg_opmember_text(
		    c->m, mb, NULL,
		    it->n_order_family
			? order_family(c, it->order_family, it->n_order_family)
			: NULL);
		return 0;
	}
	mb->kind = 'f';
	if (fn_name(c, ow->objname, ow->n_objname, &schema, &name))
		return -1;
	mb->schema = schema ? model_str(c->m, schema) : NULL;
	mb->name = model_str(c->m, name);
	if (it->n_class_args == 2) {
		mb->left = (char *)type_of(c, it->class_args[0]);
		mb->right = (char *)type_of(c, it->class_args[1]);
	} else {
		default_types(c, mb, method, ow, type);
	}
	strbuf args = STRBUF_INIT;
	for (size_t i = 0; i < ow->n_objargs; i++) {
		const char *t = type_of(c, ow->objargs[i]);
		strbuf_addf(&args, "%s%s", i ? ", " : "", t ? t : "");
	}
	pg_opmember_text(c->m, mb, strbuf_str(&args), NULL);
	strbuf_release(&args);
	return 0;
}

static m_opfamily *add_family(pp_ctx *c, const char *schema, const char *name,
			      const char *method)
{
	m_opfamily *f = find_family(c->m, schema, name, method);
	if (f)
		return f;
	f = model_add_opfamily(c->m);
	f->schema = model_str(c->m, schema);
	f->name = model_str(c->m, name);
	f->method = model_str(c->m, method);
	return f;
}

static void family_add_member(pp_ctx *c, m_opfamily *f, const m_opmember *mb)
{
	*ARENA_PUSH(&c->m->arena, f->members, f->nmembers, f->cmembers) = *mb;
	pg_opmembers_sort(f->members, f->nmembers);
}

/* ---- CREATE OPERATOR CLASS / FAMILY ---- */

int pp_create_opclass(pp_ctx *c, const PgQuery__CreateOpClassStmt *s)
{
	const char *schema, *name, *fschema, *fname;
	if (pp_qualname(s->opclassname, s->n_opclassname, &schema, &name) ||
	    !PP_STR(s->amname) || !s->datatype)
		return pp_fail(c, "unusable CREATE OPERATOR CLASS");
	const char *method = s->amname;
	if (find_class(c->m, schema, name, method) >= 0)
		return pp_fail(c,
			       "operator class \"%s\" for access method \"%s\" "
			       "already exists",
			       name, method);
	/* Without FAMILY, the family of the class's name, made when
	 * missing. */
	if (!s->n_opfamilyname) {
		fschema = schema;
		fname = name;
	} else if (pp_qualname(s->opfamilyname, s->n_opfamilyname, &fschema,
			       &fname)) {
		return pp_fail(c, "unusable FAMILY in CREATE OPERATOR CLASS");
	}
	m_opfamily *fam = add_family(c, fschema, fname, method);
	/* The family may move when the class is added: keep its key. */
	const char *fam_schema = fam->schema, *fam_name = fam->name;
	const char *type = type_name_of(c, s->datatype);
	m_opclass *k = model_add_opclass(c->m);
	k->schema = model_str(c->m, schema);
	k->name = model_str(c->m, name);
	k->method = model_str(c->m, method);
	k->family_schema = (char *)fam_schema;
	k->family = (char *)fam_name;
	const char *storage = NULL;
	bool soft_rule = !strcmp(method, "btree") || !strcmp(method, "hash");
	for (size_t i = 0; i < s->n_items; i++) {
		const PgQuery__CreateOpClassItem *it =
		    s->items[i]->create_op_class_item;
		if (!it)
			continue;
		if (it->itemtype == 3) {
			storage = type_name_of(c, it->storedtype);
			continue;
		}
		m_opmember mb = {0};
		if (read_member(c, it, method, type, &mb))
			return pp_fail(c, "unusable item in CREATE OPERATOR "
					  "CLASS");
		/* btree and hash make cross-type members the family's
		 * (a soft dependency), as the server records them. */
		if (soft_rule &&
		    (!same_str(mb.left, type) || !same_str(mb.right, type))) {
			family_add_member(
			    c, find_family(c->m, fam_schema, fam_name, method),
			    &mb);
			continue;
		}
		*ARENA_PUSH(&c->m->arena, k->members, k->nmembers,
			    k->cmembers) = mb;
	}
	/* The server drops a STORAGE that is the type itself. */
	if (same_str(storage, type))
		storage = NULL;
	pg_opmembers_sort(k->members, k->nmembers);
	strbuf sb = STRBUF_INIT;
	pg_opclass_definition(&sb, k, s->is_default, type, storage);
	k->definition = model_str(c->m, strbuf_str(&sb));
	strbuf_release(&sb);
	return 0;
}

int pp_create_opfamily(pp_ctx *c, const PgQuery__CreateOpFamilyStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->opfamilyname, s->n_opfamilyname, &schema, &name) ||
	    !PP_STR(s->amname))
		return pp_fail(c, "unusable CREATE OPERATOR FAMILY");
	if (find_family(c->m, schema, name, s->amname))
		return pp_fail(
		    c,
		    "operator family \"%s\" for access method \"%s\" "
		    "already exists",
		    name, s->amname);
	add_family(c, schema, name, s->amname);
	return 0;
}

int pp_alter_opfamily(pp_ctx *c, const PgQuery__AlterOpFamilyStmt *s)
{
	const char *schema, *name;
	if (pp_qualname(s->opfamilyname, s->n_opfamilyname, &schema, &name) ||
	    !PP_STR(s->amname))
		return pp_fail(c, "unusable ALTER OPERATOR FAMILY");
	m_opfamily *f = find_family(c->m, schema, name, s->amname);
	if (!f) {
		pp_warn(c, "ALTER OPERATOR FAMILY of a family this file does "
			   "not define; ignored");
		return 0;
	}
	for (size_t i = 0; i < s->n_items; i++) {
		const PgQuery__CreateOpClassItem *it =
		    s->items[i]->create_op_class_item;
		if (!it)
			continue;
		if (!s->is_drop) {
			m_opmember mb = {0};
			if (read_member(c, it, s->amname, NULL, &mb))
				return pp_fail(c, "unusable item in ALTER "
						  "OPERATOR FAMILY");
			family_add_member(c, f, &mb);
			continue;
		}
		if (it->n_class_args != 2)
			continue;
		const char *l = type_of(c, it->class_args[0]);
		const char *r = type_of(c, it->class_args[1]);
		char kind = it->itemtype == 1 ? 'o' : 'f';
		for (int j = 0; j < f->nmembers; j++)
			if (f->members[j].kind == kind &&
			    f->members[j].number == it->number &&
			    same_str(f->members[j].left, l) &&
			    same_str(f->members[j].right, r)) {
				PP_REMOVE_AT(f->members, f->nmembers, j);
				break;
			}
	}
	return 0;
}

/* ---- ALTER OPERATOR, COMMENT, DROP ---- */

/* The operator an ObjectWithArgs names: "public.<~ (text, text)". */
static m_operator *lookup_oper(pp_ctx *c, const PgQuery__ObjectWithArgs *ow)
{
	const char *schema, *name;
	if (!ow || ow->n_objargs != 2 ||
	    oper_name(ow->objname, ow->n_objname, &schema, &name))
		return NULL;
	const char *l = type_of(c, ow->objargs[0]);
	const char *r = type_of(c, ow->objargs[1]);
	return find_oper(c->m, schema ? schema : "public", name, l, r);
}

int pp_alter_operator(pp_ctx *c, const PgQuery__AlterOperatorStmt *s)
{
	m_operator *o = lookup_oper(c, s->opername);
	if (!o) {
		pp_warn(c, "ALTER OPERATOR of an operator this file does not "
			   "define; ignored");
		return 0;
	}
	for (size_t i = 0; i < s->n_options; i++) {
		const PgQuery__DefElem *d = s->options[i]->def_elem;
		if (!d)
			continue;
		/* These estimators are no dependencies the ordering needs:
		 * the operator exists already. */
		if (!strcmp(d->defname, "restrict"))
			o->restrict_fn = (char *)def_fn(c, NULL, d->arg);
		else if (!strcmp(d->defname, "join"))
			o->join_fn = (char *)def_fn(c, NULL, d->arg);
		else
			pp_warn(c,
				"ALTER OPERATOR ... SET (%s) is not part "
				"of the schema model; ignored",
				d->defname);
	}
	return 0;
}

/* CLASS and FAMILY names come as a list: the access method, then the
 * qualified name. */
static int method_name(const pnode *o, const char **method, const char **schema,
		       const char **name)
{
	if (!o || o->node_case != NC(LIST) || o->list->n_items < 2)
		return -1;
	*method = pp_sval(o->list->items[0]);
	if (!*method)
		return -1;
	return pp_qualname(o->list->items + 1, o->list->n_items - 1, schema,
			   name);
}

int pp_comment_oper(pp_ctx *c, int objtype, const pnode *o, const char *text)
{
	const char *method, *schema, *name;
	char **slot = NULL;
	if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR) {
		m_operator *op = o && o->node_case == NC(OBJECT_WITH_ARGS)
				     ? lookup_oper(c, o->object_with_args)
				     : NULL;
		slot = op ? &op->comment : NULL;
	} else if (!method_name(o, &method, &schema, &name)) {
		if (objtype == PG_QUERY__OBJECT_TYPE__OBJECT_OPFAMILY) {
			m_opfamily *f = find_family(c->m, schema, name, method);
			slot = f ? &f->comment : NULL;
		} else {
			int k = find_class(c->m, schema, name, method);
			slot = k >= 0 ? &c->m->opclasses[k].comment : NULL;
		}
	}
	if (!slot)
		return -1;
	*slot = text ? model_str(c->m, text) : NULL;
	return 0;
}

bool pp_drop_oper(pp_ctx *c, int type, const pnode *o)
{
	model *m = c->m;
	const char *method, *schema, *name;
	if (type == PG_QUERY__OBJECT_TYPE__OBJECT_OPERATOR) {
		m_operator *op = o && o->node_case == NC(OBJECT_WITH_ARGS)
				     ? lookup_oper(c, o->object_with_args)
				     : NULL;
		if (!op)
			return false;
		PP_REMOVE_AT(m->operators, m->noperators, op - m->operators);
		return true;
	}
	if (method_name(o, &method, &schema, &name))
		return false;
	if (type == PG_QUERY__OBJECT_TYPE__OBJECT_OPCLASS) {
		int k = find_class(m, schema, name, method);
		if (k < 0)
			return false;
		PP_REMOVE_AT(m->opclasses, m->nopclasses, k);
		return true;
	}
	m_opfamily *f = find_family(m, schema, name, method);
	if (!f)
		return false;
	/* A family takes its classes with it. */
	for (int k = m->nopclasses - 1; k >= 0; k--)
		if (!strcmp(m->opclasses[k].family_schema, schema) &&
		    !strcmp(m->opclasses[k].family, name) &&
		    !strcmp(m->opclasses[k].method, method))
			PP_REMOVE_AT(m->opclasses, m->nopclasses, k);
	PP_REMOVE_AT(m->opfamilies, m->nopfamilies, f - m->opfamilies);
	return true;
}
