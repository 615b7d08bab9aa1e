/*
 * Operators, operator families and operator classes.
 *
 * They are made after the functions and types they use (phase 23, and
 * in dependency order inside it: functions, operators, families,
 * classes, members added to families) and before the indexes,
 * constraints, defaults and views that use them. One dropped for good
 * goes at phase 71, after the tables and views that used it and before
 * its functions; classes and family members before their operators.
 *
 * Only an operator's RESTRICT and JOIN estimators change in place (ALTER
 * OPERATOR ... SET); any other change, and any change of a class, drops
 * the object and makes it again. DROP is RESTRICT on the server: what
 * uses the object (pg_depend, read with the live side) must be out of
 * the way first. Indexes, table constraints and views are rebuilt around
 * it (marks in c->recreated that diff_indexes.c, diff_tables.c and
 * diff_views.c honour); anything else (a column default, a domain
 * check, an aggregate's sort operator) makes the differ refuse, naming
 * it.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"
#include "opclass.h"

static const char *op_sig(diff_ctx *c, const char *schema, const char *name,
			  const char *left, const char *right)
{
	strbuf sb = STRBUF_INIT;
	pg_operator_signature(&sb, schema, name, left, right);
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* An operator's argument types as data (diff_stmt.obj.sub). */
static const char *op_args(diff_ctx *c, const m_operator *o)
{
	return arena_sprintf(&c->arena, "%s, %s", o->left ? o->left : "NONE",
			     o->right ? o->right : "NONE");
}

/* One operator's ordering key: its symbol and argument types. */
static const char *op_key(diff_ctx *c, const char *prefix, const char *schema,
			  const char *name, const char *left, const char *right)
{
	return diff_key3(c, prefix, schema, name,
			 arena_sprintf(&c->arena, "%s\x1f%s", left ? left : "",
				       right ? right : ""));
}

static const char *opc_target(diff_ctx *c, const char *schema, const char *name,
			      const char *method)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, schema, name);
	strbuf_adds(&sb, " USING ");
	pg_quote_ident(&sb, method);
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

static const char *fam_key(diff_ctx *c, const char *prefix, const char *schema,
			   const char *name, const char *method)
{
	return diff_key3(c, prefix, schema, name, method);
}

static bool user_schema(const char *schema)
{
	return schema && strcmp(schema, "pg_catalog");
}

/* A member's operator or function: made first, dropped after. */
static void member_needs(diff_ctx *c, diff_item *it, const m_opmember *mb,
			 bool drop)
{
	if (!user_schema(mb->schema))
		return;
	if (mb->kind == 'o') {
		const char *k = op_key(c, "operuser", mb->schema, mb->name,
				       mb->left, mb->right);
		if (drop)
			diff_provide(c, it, k);
		else
			diff_need(c, it,
				  op_key(c, "oper", mb->schema, mb->name,
					 mb->left, mb->right));
	} else if (drop) {
		diff_provide(c, it,
			     diff_key(c, "fnnameuser", mb->schema, mb->name));
	} else {
		diff_need(c, it, diff_key(c, "fnname", mb->schema, mb->name));
	}
}

/* Did the member's operator or function go away to be made again? */
static bool member_recreated(diff_ctx *c, const m_opmember *mb)
{
	if (mb->kind == 'o')
		return diff_set_has(&c->recreated,
				    op_key(c, "oper", mb->schema, mb->name,
					   mb->left, mb->right));
	return diff_set_has(&c->recreated,
			    diff_key(c, "fnname", mb->schema, mb->name));
}

/* What uses a re-created object steps aside around it; what the differ
 * cannot rebuild makes it refuse. */
static int rebuild_users(diff_ctx *c, const char *what, const m_opuser *u,
			 int n, error *e)
{
	for (int i = 0; i < n; i++) {
		switch (u[i].kind) {
		case 'i':
			diff_set_add(c, &c->recreated,
				     diff_key(c, "rebuild_index", u[i].schema,
					      u[i].name));
			break;
		case 'c':
			diff_set_add(c, &c->recreated,
				     diff_key3(c, "rebuild_con", u[i].schema,
					       u[i].table, u[i].name));
			break;
		case 'v':
			diff_set_add(c, &c->recreated,
				     diff_key(c, "rebuild_view", u[i].schema,
					      u[i].name));
			break;
		default:
			return error_set(
			    e, EXIT_USAGE,
			    "%s must be dropped and created again, but %s "
			    "depends on it and cannot be rebuilt around it; "
			    "change or drop that first, in a migration of "
			    "its own",
			    what, u[i].name);
		}
	}
	return 0;
}

/* ---- operators ---- */

static void oper_create(diff_ctx *c, const m_operator *o)
{
	const char *sig = op_sig(c, o->schema, o->name, o->left, o->right);
	strbuf sb = STRBUF_INIT;
	size_t n = strlen(o->definition);
	/* The estimators go inside the parentheses that close it. */
	strbuf_add(&sb, o->definition, n ? n - 1 : 0);
	if (o->restrict_fn)
		strbuf_addf(&sb, ", RESTRICT = %s", o->restrict_fn);
	if (o->join_fn)
		strbuf_addf(&sb, ", JOIN = %s", o->join_fn);
	strbuf_addch(&sb, ')');
	diff_item *it = diff_on(diff_emit(c, PH_FUNCTION, PGC_CREATE_OPERATOR,
					  sig, strbuf_str(&sb)),
				0, o->schema, NULL, o->name, op_args(c, o));
	strbuf_release(&sb);
	diff_provide(c, it,
		     op_key(c, "oper", o->schema, o->name, o->left, o->right));
	diff_need(c, it, diff_key(c, "schema", NULL, o->schema));
	for (int d = 0; d < o->ndeps; d++)
		diff_need(
		    c, it,
		    diff_key(c, "fnname", o->deps[d].schema, o->deps[d].name));
}

static diff_item *oper_drop(diff_ctx *c, const m_operator *o, int phase)
{
	const char *sig = op_sig(c, o->schema, o->name, o->left, o->right);
	diff_item *it = diff_on(
	    diff_emit(c, phase, PGC_DROP_OPERATOR, sig,
		      arena_sprintf(&c->arena, "DROP OPERATOR %s", sig)),
	    0, o->schema, NULL, o->name, op_args(c, o));
	it->destructive = true;
	diff_need(c, it,
		  op_key(c, "operuser", o->schema, o->name, o->left, o->right));
	for (int d = 0; d < o->ndeps; d++)
		diff_provide(c, it,
			     diff_key(c, "fnnameuser", o->deps[d].schema,
				      o->deps[d].name));
	return it;
}

/* A COMMUTATOR or NEGATOR the file never defined is a shell the server
 * made (no object of the model): it pins the operator's types, so it
 * goes with the operator unless an operator that stays still names it.
 * Appends ", schema.name(left, right)" to `sb` for such a shell. */
static void add_shell(diff_ctx *c, strbuf *sb, const m_operator *o,
		      const char *clause, const char *left, const char *right)
{
	const char *p = strstr(o->definition, clause);
	if (!p)
		return;
	p += strlen(clause);
	const char *end = strchr(p, ')');
	const char *dot = end ? memchr(p, '.', (size_t)(end - p)) : NULL;
	if (!dot)
		return;
	const char *ref =
	    arena_strndup(&c->arena, p - strlen("OPERATOR("),
			  (size_t)(end - p) + strlen("OPERATOR()"));
	const char *name =
	    arena_strndup(&c->arena, dot + 1, (size_t)(end - dot - 1));
	for (int i = 0; i < c->to->noperators; i++)
		if (strstr(c->to->operators[i].definition, ref))
			return;
	for (int i = 0; i < c->from->noperators; i++) {
		const m_operator *x = &c->from->operators[i];
		if (!strcmp(x->name, name) && diff_streq(x->left, left) &&
		    diff_streq(x->right, right))
			return;
	}
	strbuf_addf(sb, ", %.*s", (int)(dot - p + 1), p);
	pg_operator_signature(sb, NULL, name, left, right);
}

/* Dropped for good, with the shells only it named: one statement, so
 * that the plan's rollback of its creation finds it whole. IF EXISTS:
 * two operators may name the same shell. */
static void oper_drop_for_good(diff_ctx *c, const m_operator *o)
{
	strbuf shells = STRBUF_INIT;
	add_shell(c, &shells, o, ", COMMUTATOR = OPERATOR(", o->right, o->left);
	add_shell(c, &shells, o, ", NEGATOR = OPERATOR(", o->left, o->right);
	diff_item *it = oper_drop(c, o, PH_DROP_SEQUENCE);
	if (shells.len)
		it->sql = arena_sprintf(
		    &c->arena, "DROP OPERATOR IF EXISTS %s%s",
		    it->sql + strlen("DROP OPERATOR "), strbuf_str(&shells));
	strbuf_release(&shells);
}

static void oper_comment(diff_ctx *c, const m_operator *o, const char *old)
{
	const char *sig = op_sig(c, o->schema, o->name, o->left, o->right);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "OPERATOR %s", sig),
			     sig, old, o->comment),
		PGO_OPERATOR, o->schema, NULL, o->name, op_args(c, o));
}

/* The estimators, in place: NONE takes one away. */
static void oper_set_estimators(diff_ctx *c, const m_operator *o)
{
	const char *sig = op_sig(c, o->schema, o->name, o->left, o->right);
	diff_on(diff_emit(
		    c, PH_FUNCTION, PGC_ALTER_OPERATOR, sig,
		    arena_sprintf(&c->arena,
				  "ALTER OPERATOR %s SET (RESTRICT = %s, "
				  "JOIN = %s)",
				  sig, o->restrict_fn ? o->restrict_fn : "NONE",
				  o->join_fn ? o->join_fn : "NONE")),
		0, o->schema, NULL, o->name, op_args(c, o));
}

static bool oper_deps_recreated(diff_ctx *c, const m_operator *o)
{
	for (int d = 0; d < o->ndeps; d++)
		if (diff_set_has(&c->recreated,
				 diff_key(c, "fnname", o->deps[d].schema,
					  o->deps[d].name)))
			return true;
	return false;
}

static int oper_changed(diff_ctx *c, const m_operator *a, const m_operator *b,
			error *e)
{
	bool fn_gone = oper_deps_recreated(c, a);
	if (fn_gone || !diff_streq(a->definition, b->definition)) {
		const char *sig =
		    op_sig(c, a->schema, a->name, a->left, a->right);
		diff_set_add(
		    c, &c->recreated,
		    op_key(c, "oper", a->schema, a->name, a->left, a->right));
		if (rebuild_users(c,
				  arena_sprintf(&c->arena, "operator %s", sig),
				  a->users, a->nusers, e))
			return -1;
		/* A function dropped early (phase 13) needs its operator
		 * gone before it. */
		oper_drop(c, a,
			  fn_gone ? PH_DROP_FUNCTION_EARLY : PH_DROP_OPERATOR);
		oper_create(c, b);
		oper_comment(c, b, NULL);
		return 0;
	}
	if (!diff_streq(a->restrict_fn, b->restrict_fn) ||
	    !diff_streq(a->join_fn, b->join_fn))
		oper_set_estimators(c, b);
	oper_comment(c, b, a->comment);
	return 0;
}

static int cmp_oper(const m_operator *x, const m_operator *y)
{
	int r = diff_cmp_qualified(x->schema, x->name, y->schema, y->name);
	if (!r)
		r = diff_cmp_qualified(x->left, x->right, y->left, y->right);
	return r;
}

/* ---- families ---- */

static void fam_members(diff_ctx *c, const m_opfamily *f, const m_opmember *mb,
			int n, bool add)
{
	if (!n)
		return;
	const char *t = opc_target(c, f->schema, f->name, f->method);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER OPERATOR FAMILY %s %s ", t,
		    add ? "ADD" : "DROP");
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		if (add)
			strbuf_adds(&sb, mb[i].text);
		else
			strbuf_addf(&sb, "%s %d (%s, %s)",
				    mb[i].kind == 'o' ? "OPERATOR" : "FUNCTION",
				    mb[i].number, mb[i].left, mb[i].right);
	}
	diff_item *it =
	    diff_on(diff_emit(c, add ? PH_FUNCTION : PH_DROP_OPERATOR,
			      PGC_ALTER_OPERATOR_FAMILY, t, strbuf_str(&sb)),
		    0, f->schema, NULL, f->name, f->method);
	strbuf_release(&sb);
	diff_need(c, it, fam_key(c, "opfamily", f->schema, f->name, f->method));
	for (int i = 0; i < n; i++)
		member_needs(c, it, &mb[i], !add);
}

static void fam_create(diff_ctx *c, const m_opfamily *f)
{
	const char *t = opc_target(c, f->schema, f->name, f->method);
	diff_item *it = diff_on(
	    diff_emit(c, PH_FUNCTION, PGC_CREATE_OPERATOR_FAMILY, t,
		      arena_sprintf(&c->arena, "CREATE OPERATOR FAMILY %s", t)),
	    0, f->schema, NULL, f->name, f->method);
	diff_provide(c, it,
		     fam_key(c, "opfamily", f->schema, f->name, f->method));
	diff_need(c, it, diff_key(c, "schema", NULL, f->schema));
	fam_members(c, f, f->members, f->nmembers, true);
	diff_on(diff_comment(c,
			     arena_sprintf(&c->arena, "OPERATOR FAMILY %s", t),
			     t, NULL, f->comment),
		PGO_OPFAMILY, f->schema, NULL, f->name, f->method);
}

/* DROP OPERATOR FAMILY takes its classes and members with it. */
static void fam_drop(diff_ctx *c, const m_opfamily *f)
{
	const char *t = opc_target(c, f->schema, f->name, f->method);
	diff_item *it = diff_on(
	    diff_emit(c, PH_DROP_SEQUENCE, PGC_DROP_OPERATOR_FAMILY, t,
		      arena_sprintf(&c->arena, "DROP OPERATOR FAMILY %s", t)),
	    0, f->schema, NULL, f->name, f->method);
	it->destructive = true;
	diff_need(c, it, fam_key(c, "opfuser", f->schema, f->name, f->method));
	for (int i = 0; i < f->nmembers; i++)
		member_needs(c, it, &f->members[i], true);
}

static bool has_member(diff_ctx *c, const m_opfamily *f, const m_opmember *mb)
{
	for (int i = 0; i < f->nmembers; i++)
		if (!strcmp(f->members[i].text, mb->text))
			return !member_recreated(c, &f->members[i]);
	return false;
}

/* Members by their text: gone ones dropped, new ones added; one whose
 * operator or function is made again goes and comes back with it. */
static void fam_changed(diff_ctx *c, const m_opfamily *a, const m_opfamily *b)
{
	m_opmember *gone = NULL, *added = NULL;
	int ngone = 0, cgone = 0, nadded = 0, cadded = 0;
	for (int i = 0; i < a->nmembers; i++)
		if (member_recreated(c, &a->members[i]) ||
		    !has_member(c, b, &a->members[i]))
			*ARENA_PUSH(&c->arena, gone, ngone, cgone) =
			    a->members[i];
	for (int j = 0; j < b->nmembers; j++)
		if (!has_member(c, a, &b->members[j]))
			*ARENA_PUSH(&c->arena, added, nadded, cadded) =
			    b->members[j];
	fam_members(c, a, gone, ngone, false);
	fam_members(c, b, added, nadded, true);
	const char *t = opc_target(c, b->schema, b->name, b->method);
	diff_on(diff_comment(c,
			     arena_sprintf(&c->arena, "OPERATOR FAMILY %s", t),
			     t, a->comment, b->comment),
		PGO_OPFAMILY, b->schema, NULL, b->name, b->method);
}

static int cmp_fam(const m_opfamily *x, const m_opfamily *y)
{
	int r = diff_cmp_qualified(x->schema, x->name, y->schema, y->name);
	return r ? r : diff_strcmp(x->method, y->method);
}

/* ---- classes ---- */

static void opc_create(diff_ctx *c, const m_opclass *k)
{
	const char *t = opc_target(c, k->schema, k->name, k->method);
	diff_item *it =
	    diff_on(diff_emit(c, PH_FUNCTION, PGC_CREATE_OPERATOR_CLASS, t,
			      k->definition),
		    0, k->schema, NULL, k->name, k->method);
	diff_need(
	    c, it,
	    fam_key(c, "opfamily", k->family_schema, k->family, k->method));
	diff_need(c, it, diff_key(c, "schema", NULL, k->schema));
	for (int i = 0; i < k->nmembers; i++)
		member_needs(c, it, &k->members[i], false);
	diff_on(diff_comment(c,
			     arena_sprintf(&c->arena, "OPERATOR CLASS %s", t),
			     t, NULL, k->comment),
		PGO_OPCLASS, k->schema, NULL, k->name, k->method);
}

static void opc_drop(diff_ctx *c, const m_opclass *k, int phase)
{
	const char *t = opc_target(c, k->schema, k->name, k->method);
	diff_item *it = diff_on(
	    diff_emit(c, phase, PGC_DROP_OPERATOR_CLASS, t,
		      arena_sprintf(&c->arena, "DROP OPERATOR CLASS %s", t)),
	    0, k->schema, NULL, k->name, k->method);
	it->destructive = true;
	diff_provide(
	    c, it,
	    fam_key(c, "opfuser", k->family_schema, k->family, k->method));
	for (int i = 0; i < k->nmembers; i++)
		member_needs(c, it, &k->members[i], true);
}

static int opc_changed(diff_ctx *c, const m_opclass *a, const m_opclass *b,
		       error *e)
{
	bool member_gone = false;
	for (int i = 0; i < a->nmembers && !member_gone; i++)
		member_gone = member_recreated(c, &a->members[i]);
	const char *t = opc_target(c, b->schema, b->name, b->method);
	if (!member_gone && diff_streq(a->definition, b->definition)) {
		diff_on(diff_comment(
			    c, arena_sprintf(&c->arena, "OPERATOR CLASS %s", t),
			    t, a->comment, b->comment),
			PGO_OPCLASS, b->schema, NULL, b->name, b->method);
		return 0;
	}
	if (rebuild_users(c, arena_sprintf(&c->arena, "operator class %s", t),
			  a->users, a->nusers, e))
		return -1;
	opc_drop(c, a, PH_DROP_OPERATOR);
	opc_create(c, b);
	return 0;
}

static int cmp_opc(const m_opclass *x, const m_opclass *y)
{
	int r = diff_cmp_qualified(x->schema, x->name, y->schema, y->name);
	return r ? r : diff_strcmp(x->method, y->method);
}

int diff_operators(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	int rc = 0;
	MERGE_WALK(
	    f->noperators, t->noperators,
	    cmp_oper(&f->operators[i_], &t->operators[j_]),
	    oper_drop_for_good(c, &f->operators[i_]),
	    {
		    oper_create(c, &t->operators[j_]);
		    oper_comment(c, &t->operators[j_], NULL);
	    },
	    {
		    if (!rc && oper_changed(c, &f->operators[i_],
					    &t->operators[j_], e))
			    rc = -1;
	    });
	if (rc)
		return rc;
	/* Classes before families: a family's members come back with the
	 * operators the classes re-create. */
	MERGE_WALK(f->nopclasses, t->nopclasses,
		   cmp_opc(&f->opclasses[i_], &t->opclasses[j_]),
		   opc_drop(c, &f->opclasses[i_], PH_DROP_SEQUENCE),
		   opc_create(c, &t->opclasses[j_]), {
			   if (!rc && opc_changed(c, &f->opclasses[i_],
						  &t->opclasses[j_], e))
				   rc = -1;
		   });
	if (rc)
		return rc;
	MERGE_WALK(f->nopfamilies, t->nopfamilies,
		   cmp_fam(&f->opfamilies[i_], &t->opfamilies[j_]),
		   fam_drop(c, &f->opfamilies[i_]),
		   fam_create(c, &t->opfamilies[j_]),
		   fam_changed(c, &f->opfamilies[i_], &t->opfamilies[j_]));
	return 0;
}
