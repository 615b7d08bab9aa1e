/*
 * Schemas, extensions, functions, triggers and policies.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"
#include "function.h"

static const char *sql_of(strbuf *sb)
{
	return strbuf_str(sb);
}

int diff_schemas(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	strbuf sb = STRBUF_INIT;
	/* "public" exists in every database: never create or drop it. */
	MERGE_WALK(
	    f->nschemas, t->nschemas,
	    diff_strcmp(f->schemas[i_].name, t->schemas[j_].name),
	    {
		    const m_schema *s = &f->schemas[i_];
		    if (strcmp(s->name, "public")) {
			    strbuf_reset(&sb);
			    strbuf_adds(&sb, "DROP SCHEMA ");
			    pg_quote_ident(&sb, s->name);
			    diff_item *it = diff_on(
				diff_emit(c, PH_DROP_SCHEMA, CHANGE_DROP_SCHEMA,
					  diff_qname(c, NULL, s->name),
					  sql_of(&sb)),
				0, NULL, NULL, s->name, NULL);
			    diff_need(c, it,
				      diff_key(c, "predrop", NULL, s->name));
		    }
	    },
	    {
		    const m_schema *s = &t->schemas[j_];
		    const char *q = diff_qname(c, NULL, s->name);
		    if (strcmp(s->name, "public")) {
			    strbuf_reset(&sb);
			    strbuf_addf(&sb, "CREATE SCHEMA %s", q);
			    diff_item *it = diff_on(
				diff_emit(c, PH_SCHEMA, CHANGE_CREATE_SCHEMA, q,
					  sql_of(&sb)),
				0, NULL, NULL, s->name, NULL);
			    diff_provide(c, it,
					 diff_key(c, "schema", NULL, s->name));
		    }
		    diff_on(diff_comment(
				c, arena_sprintf(&c->arena, "SCHEMA %s", q), q,
				NULL, s->comment),
			    CHANGE_OBJ_SCHEMA, NULL, NULL, s->name, NULL);
	    },
	    {
		    const char *q = diff_qname(c, NULL, t->schemas[j_].name);
		    diff_on(diff_comment(
				c, arena_sprintf(&c->arena, "SCHEMA %s", q), q,
				f->schemas[i_].comment, t->schemas[j_].comment),
			    CHANGE_OBJ_SCHEMA, NULL, NULL, t->schemas[j_].name,
			    NULL);
	    });

	MERGE_WALK(
	    f->nextensions, t->nextensions,
	    diff_strcmp(f->extensions[i_].name, t->extensions[j_].name),
	    {
		    const m_extension *x = &f->extensions[i_];
		    strbuf_reset(&sb);
		    strbuf_adds(&sb, "DROP EXTENSION ");
		    pg_quote_ident(&sb, x->name);
		    diff_item *it = diff_on(
			diff_emit(c, PH_DROP_SCHEMA, PGC_DROP_EXTENSION,
				  diff_qname(c, NULL, x->name), sql_of(&sb)),
			0, NULL, NULL, x->name, NULL);
		    diff_provide(c, it,
				 diff_key(c, "predrop", NULL, x->schema));
	    },
	    {
		    const m_extension *x = &t->extensions[j_];
		    strbuf_reset(&sb);
		    strbuf_adds(&sb, "CREATE EXTENSION IF NOT EXISTS ");
		    pg_quote_ident(&sb, x->name);
		    if (x->schema) {
			    strbuf_adds(&sb, " WITH SCHEMA ");
			    pg_quote_ident(&sb, x->schema);
		    }
		    diff_item *it = diff_on(
			diff_emit(c, PH_SCHEMA, PGC_CREATE_EXTENSION,
				  diff_qname(c, NULL, x->name), sql_of(&sb)),
			0, NULL, NULL, x->name, NULL);
		    diff_need(c, it, diff_key(c, "schema", NULL, x->schema));
	    },
	    {
		    const m_extension *x = &t->extensions[j_];
		    if (x->schema &&
			!diff_streq(f->extensions[i_].schema, x->schema)) {
			    strbuf_reset(&sb);
			    strbuf_adds(&sb, "ALTER EXTENSION ");
			    pg_quote_ident(&sb, x->name);
			    strbuf_adds(&sb, " SET SCHEMA ");
			    pg_quote_ident(&sb, x->schema);
			    diff_item *it = diff_on(
				diff_emit(c, PH_SCHEMA, PGC_ALTER_EXTENSION,
					  diff_qname(c, NULL, x->name),
					  sql_of(&sb)),
				0, NULL, NULL, x->name, NULL);
			    diff_need(c, it,
				      diff_key(c, "schema", NULL, x->schema));
		    }
	    });
	strbuf_release(&sb);
	return 0;
}

static int cmp_fn(const m_function *a, const m_function *b)
{
	int r = diff_cmp_qualified(a->schema, a->name, b->schema, b->name);
	return r ? r : diff_strcmp(a->identity_args, b->identity_args);
}

/* "schema.name(args)" for DROP / COMMENT / GRANT; an aggregate without
 * arguments is name(*). */
/* What goes between the parentheses of a routine's name: what DROP and
 * COMMENT take (diff_stmt.obj.sub as well). */
static const char *fn_args(const m_function *fn)
{
	const char *args = fn->signature       ? fn->signature
			   : fn->identity_args ? fn->identity_args
					       : "";
	return fn->kind == 'a' && !*args ? "*" : args;
}

static const char *fn_target(diff_ctx *c, const m_function *fn)
{
	strbuf sb = STRBUF_INIT;
	pg_quote_qualified(&sb, fn->schema, fn->name);
	strbuf_addf(&sb, "(%s)", fn_args(fn));
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* The word DROP and COMMENT take: DROP ROUTINE cannot name an
 * ordered-set aggregate's arguments. */
static const char *fn_word(const m_function *fn)
{
	return fn->kind == 'a' ? "AGGREGATE" : "ROUTINE";
}

static diff_item *fn_create(diff_ctx *c, const m_function *fn, int kind)
{
	const char *target = fn_target(c, fn);
	/* A table's row type exists only once the table does; so do the
	 * support functions of an aggregate that use it. */
	bool rowtype =
	    diff_mentions_table(c, c->to, fn->result) ||
	    diff_mentions_table(c, c->to, fn->identity_args) ||
	    (fn->kind == 'a' && diff_mentions_table(c, c->to, fn->definition));
	int phase = diff_fn_create_phase(
	    c, fn, rowtype ? PH_FUNCTION_LATE : PH_FUNCTION);
	diff_item *it = diff_on(
	    diff_emit(c, phase, kind, target,
		      diff_trim_sql(c, fn->definition ? fn->definition : "")),
	    0, fn->schema, NULL, fn->name, fn_args(fn));
	diff_fn_create_needs(c, it, fn);
	diff_provide(
	    c, it, diff_key3(c, "fn", fn->schema, fn->name, fn->identity_args));
	diff_provide(c, it, diff_key(c, "fnname", fn->schema, fn->name));
	/* An aggregate comes after its support functions. */
	for (int d = 0; d < fn->ndeps; d++)
		diff_need(c, it,
			  diff_key(c, "fnname", fn->deps[d].schema,
				   fn->deps[d].name));
	/* SQL bodies may name tables that are created later (phase 30):
	 * like pg_dump, turn body checking off for the script. */
	if (!c->any_function) {
		c->any_function = true;
		diff_emit(c, PH_FUNCTION_SETUP, PGC_SET_OPTION, NULL,
			  "SET check_function_bodies = false");
	}
	return it;
}

static diff_item *fn_drop(diff_ctx *c, const m_function *fn, int phase)
{
	const char *target = fn_target(c, fn);
	diff_item *it = diff_on(
	    diff_emit(
		c, diff_fn_drop_phase(c, fn, phase),
		fn->kind == 'a' ? PGC_DROP_AGGREGATE : CHANGE_DROP_FUNCTION,
		target,
		arena_sprintf(&c->arena, "DROP %s %s", fn_word(fn), target)),
	    0, fn->schema, NULL, fn->name, fn_args(fn));
	diff_fn_drop_provides(c, it, fn);
	/* A range type dropped in this phase goes between the functions
	 * that take it (first) and its subtype_diff function (last). */
	diff_need(
	    c, it,
	    diff_key3(c, "fnuser", fn->schema, fn->name, fn->identity_args));
	/* Aggregates go before the support functions they use. */
	diff_need(c, it, diff_key(c, "fnnameuser", fn->schema, fn->name));
	for (int d = 0; d < fn->ndeps; d++)
		diff_provide(c, it,
			     diff_key(c, "fnnameuser", fn->deps[d].schema,
				      fn->deps[d].name));
	const char *p = fn->identity_args;
	while (p && *p) {
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *s, *name;
		if (diff_type_ref(c, arena_strndup(&c->arena, p, n), &s, &name))
			diff_provide(c, it,
				     diff_key(c, "predroptype", s, name));
		p = end ? end + 2 : NULL;
	}
	return it;
}

/* True when `text` names one of the enums that are rebuilt: a function
 * using one must go before the old type is renamed aside. */
static bool mentions_rebuilt(const diff_ctx *c, const char *text)
{
	for (int i = 0; text && i < c->nrebuilt; i++) {
		size_t n = strlen(c->rebuilt[i]);
		for (const char *p = strstr(text, c->rebuilt[i]); p;
		     p = strstr(p + 1, c->rebuilt[i])) {
			char after = p[n];
			if (!(after == '_' || (after >= 'a' && after <= 'z') ||
			      (after >= '0' && after <= '9')))
				return true;
		}
	}
	return false;
}

static bool fn_uses_rebuilt(const diff_ctx *c, const m_function *fn)
{
	return mentions_rebuilt(c, fn->identity_args) ||
	       mentions_rebuilt(c, fn->result) ||
	       mentions_rebuilt(c, fn->definition);
}

/* A function taking or returning the row type of a table that is
 * dropped must go before the table. */
static bool fn_uses_rowtype(diff_ctx *c, const m_function *fn)
{
	return diff_mentions_table(c, c->from, fn->result) ||
	       diff_mentions_table(c, c->from, fn->identity_args);
}

static void fn_comment(diff_ctx *c, const m_function *fn, const char *old)
{
	const char *target = fn_target(c, fn);
	diff_on(diff_comment(
		    c, arena_sprintf(&c->arena, "%s %s", fn_word(fn), target),
		    target, old, fn->comment),
		CHANGE_OBJ_FUNCTION, fn->schema, NULL, fn->name, fn_args(fn));
}

/* Drop and create again: what reads it (views, other aggregates) learns
 * of it through the recreated marks. */
static int fn_recreate(diff_ctx *c, const m_function *a, const m_function *b,
		       const char *const *anchors, int nanchors, error *e)
{
	/* What calls it in a table steps aside first. */
	if (diff_fn_users(c, a, b, e))
		return -1;
	diff_item *drop = fn_drop(c, a, PH_DROP_FUNCTION_EARLY);
	diff_set_add(c, &c->recreated,
		     diff_key3(c, "fn", a->schema, a->name, a->identity_args));
	*ARENA_PUSH(&c->arena, c->refns, c->nrefns, c->crefns) = a->name;
	diff_set_add(c, &c->recreated,
		     diff_key(c, "fnname", a->schema, a->name));
	diff_item *create = fn_create(c, b, CHANGE_CREATE_FUNCTION);
	if (nanchors) {
		diff_bracket(c, drop, DIFF_BEFORE, anchors, nanchors);
		diff_bracket(c, create, DIFF_AFTER, anchors, nanchors);
	}
	return 0;
}

static int fn_changed(diff_ctx *c, const m_function *a, const m_function *b,
		      error *e)
{
	const char *old_comment = a->comment;
	/* A SQL-standard body pins the columns it reads: it steps aside
	 * right around their change, or early when what it reads goes. */
	const char **anchors;
	bool hard;
	int pinned = diff_fn_anchors(c, a, &anchors, &hard);
	if (hard || pinned) {
		if (fn_recreate(c, a, b, anchors, hard ? 0 : pinned, e))
			return -1;
		fn_comment(c, b, NULL);
		return 0;
	}
	if (diff_fn_uncomparable(c, a, b)) {
		fn_comment(c, b, old_comment);
		return 0;
	}
	if (!pg_fn_same(a, b) || fn_uses_rebuilt(c, a)) {
		/* CREATE OR REPLACE cannot change the result type, parameter
		 * names or defaults, or turn a function into a procedure. */
		if (!diff_streq(a->result, b->result) ||
		    !pg_fn_same_header(a, b) || a->kind != b->kind ||
		    fn_uses_rebuilt(c, a)) {
			if (fn_recreate(c, a, b, NULL, 0, e))
				return -1;
			old_comment = NULL;
		} else {
			fn_create(c, b, CHANGE_REPLACE_FUNCTION);
		}
	}
	fn_comment(c, b, old_comment);
	return 0;
}

/* An aggregate is replaced in place (CREATE OR REPLACE AGGREGATE) unless
 * its kind, arguments or result change, or a support function it uses
 * is dropped and created again, which needs the aggregate out of the
 * way first. */
static int agg_changed(diff_ctx *c, const m_function *a, const m_function *b,
		       error *e)
{
	bool dep_gone = false;
	for (int d = 0; d < a->ndeps && !dep_gone; d++)
		dep_gone = diff_set_has(
		    &c->recreated,
		    diff_key(c, "fnname", a->deps[d].schema, a->deps[d].name));
	bool same = diff_streq(a->definition, b->definition);
	if (a->kind != b->kind || dep_gone || fn_uses_rebuilt(c, a) ||
	    (!same && (!diff_streq(a->result, b->result) || !b->result ||
		       !pg_fn_same_header(a, b)))) {
		if (fn_recreate(c, a, b, NULL, 0, e))
			return -1;
		fn_comment(c, b, NULL);
		return 0;
	}
	if (!same)
		fn_create(c, b, PGC_REPLACE_AGGREGATE);
	fn_comment(c, b, a->comment);
	return 0;
}

/* Functions first, then aggregates: an aggregate must know which of its
 * support functions are re-created. A routine that is an aggregate on
 * either side belongs to the second pass. Aggregates always drop early
 * (phase 13): only views read them, and those are dropped before. */
int diff_functions(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	int rc = 0;
	for (int pass = 0; pass < 2; pass++) {
#define IN_PASS(fn) (((fn)->kind == 'a') == (pass == 1))
		MERGE_WALK(
		    f->nfunctions, t->nfunctions,
		    cmp_fn(&f->functions[i_], &t->functions[j_]),
		    {
			    const m_function *a = &f->functions[i_];
			    if (IN_PASS(a))
				    fn_drop(c, a,
					    a->kind == 'a' ||
						    fn_uses_rebuilt(c, a) ||
						    fn_uses_rowtype(c, a)
						? PH_DROP_FUNCTION_EARLY
						: PH_DROP_SEQUENCE);
		    },
		    {
			    const m_function *b = &t->functions[j_];
			    if (IN_PASS(b)) {
				    fn_create(c, b, CHANGE_CREATE_FUNCTION);
				    fn_comment(c, b, NULL);
			    }
		    },
		    {
			    const m_function *a = &f->functions[i_];
			    const m_function *b = &t->functions[j_];
			    bool agg = a->kind == 'a' || b->kind == 'a';
			    if (agg == (pass == 1) && !rc)
				    rc = agg ? agg_changed(c, a, b, e)
					     : fn_changed(c, a, b, e);
		    });
#undef IN_PASS
	}
	return rc;
}

static bool rel_exists(const model *m, const char *schema, const char *name)
{
	return model_find_table(m, schema, name) ||
	       diff_find_view(m, schema, name);
}

static int cmp_on_table(const char *s1, const char *t1, const char *n1,
			const char *s2, const char *t2, const char *n2)
{
	int r = diff_cmp_qualified(s1, t1, s2, t2);
	return r ? r : diff_strcmp(n1, n2);
}

static diff_item *trigger_drop(diff_ctx *c, const m_trigger *tg)
{
	const char *rel = diff_qname(c, tg->schema, tg->table);
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "DROP TRIGGER ");
	pg_quote_ident(&sb, tg->name);
	strbuf_addf(&sb, " ON %s", rel);
	diff_item *it =
	    diff_on(diff_emit(c, PH_DROP_TRIGGER, CHANGE_DROP_TRIGGER,
			      diff_qname3(c, tg->schema, tg->table, tg->name),
			      strbuf_str(&sb)),
		    0, tg->schema, tg->table, tg->name, NULL);
	strbuf_release(&sb);
	return it;
}

static void trigger_enable(diff_ctx *c, const m_trigger *tg)
{
	const char *how = tg->enabled == 'D'   ? "DISABLE"
			  : tg->enabled == 'R' ? "ENABLE REPLICA"
			  : tg->enabled == 'A' ? "ENABLE ALWAYS"
					       : "ENABLE";
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "ALTER TABLE %s %s TRIGGER ",
		    diff_qname(c, tg->schema, tg->table), how);
	pg_quote_ident(&sb, tg->name);
	diff_on(diff_emit(c, PH_TRIGGER, PGC_ALTER_TRIGGER,
			  diff_qname3(c, tg->schema, tg->table, tg->name),
			  strbuf_str(&sb)),
		0, tg->schema, tg->table, tg->name, NULL);
	strbuf_release(&sb);
}

static void trigger_comment(diff_ctx *c, const m_trigger *tg, const char *old)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "TRIGGER ");
	pg_quote_ident(&sb, tg->name);
	strbuf_addf(&sb, " ON %s", diff_qname(c, tg->schema, tg->table));
	diff_on(diff_comment(c, arena_strdup(&c->arena, strbuf_str(&sb)),
			     diff_qname3(c, tg->schema, tg->table, tg->name),
			     old, tg->comment),
		CHANGE_OBJ_TRIGGER, tg->schema, tg->table, tg->name, NULL);
	strbuf_release(&sb);
}

static diff_item *trigger_create(diff_ctx *c, const m_trigger *tg)
{
	diff_item *it =
	    diff_on(diff_emit(c, PH_TRIGGER, CHANGE_CREATE_TRIGGER,
			      diff_qname3(c, tg->schema, tg->table, tg->name),
			      diff_trim_sql(c, tg->definition)),
		    0, tg->schema, tg->table, tg->name, NULL);
	if (tg->enabled && tg->enabled != 'O')
		trigger_enable(c, tg);
	trigger_comment(c, tg, NULL);
	return it;
}

int diff_triggers(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->ntriggers, t->ntriggers,
	    cmp_on_table(f->triggers[i_].schema, f->triggers[i_].table,
			 f->triggers[i_].name, t->triggers[j_].schema,
			 t->triggers[j_].table, t->triggers[j_].name),
	    {
		    const m_trigger *tg = &f->triggers[i_];
		    /* A trigger goes with its dropped or re-created
		     * table or view. */
		    if (rel_exists(t, tg->schema, tg->table) &&
			!diff_set_has(
			    &c->recreated,
			    diff_key(c, "rel", tg->schema, tg->table)))
			    trigger_drop(c, tg);
	    },
	    trigger_create(c, &t->triggers[j_]),
	    {
		    const m_trigger *a = &f->triggers[i_];
		    const m_trigger *b = &t->triggers[j_];
		    bool rel_gone = diff_set_has(
			&c->recreated, diff_key(c, "rel", a->schema, a->table));
		    bool fn_gone = diff_set_has(
			&c->recreated, diff_key(c, "fnname", a->function.schema,
						a->function.name));
		    /* The columns of its WHEN clause and UPDATE OF pin it:
		     * changing one needs the trigger out of the way, only
		     * around that change (diff_deps.c). */
		    const char **anchors;
		    int pinned = diff_trigger_anchors(c, a, &anchors);
		    /* Naming a rebuilt enum: made again after the new type
		     * exists (around its columns when it is pinned). */
		    bool enum_gone =
			!pinned &&
			diff_uses_rebuilt(c, 't', a->schema, a->table, a->name);
		    if (rel_gone || fn_gone || enum_gone ||
			!diff_streq(a->definition, b->definition)) {
			    if (!rel_gone)
				    trigger_drop(c, a);
			    trigger_create(c, b);
		    } else if (pinned) {
			    diff_bracket(c, trigger_drop(c, a), DIFF_BEFORE,
					 anchors, pinned);
			    diff_bracket(c, trigger_create(c, b), DIFF_AFTER,
					 anchors, pinned);
		    } else {
			    if (a->enabled != b->enabled)
				    trigger_enable(c, b);
			    trigger_comment(c, b, a->comment);
		    }
	    });
	return 0;
}

static void policy_roles(strbuf *sb, const m_policy *p)
{
	if (!p->nroles) {
		strbuf_adds(sb, "PUBLIC");
		return;
	}
	for (int i = 0; i < p->nroles; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		if (!strcmp(p->roles[i], "public"))
			strbuf_adds(sb, "PUBLIC");
		else
			pg_quote_ident(sb, p->roles[i]);
	}
}

static diff_item *policy_drop(diff_ctx *c, const m_policy *p)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "DROP POLICY ");
	pg_quote_ident(&sb, p->name);
	strbuf_addf(&sb, " ON %s", diff_qname(c, p->schema, p->table));
	diff_item *it =
	    diff_on(diff_emit(c, PH_DROP_TRIGGER, PGC_DROP_POLICY,
			      diff_qname3(c, p->schema, p->table, p->name),
			      strbuf_str(&sb)),
		    0, p->schema, p->table, p->name, NULL);
	strbuf_release(&sb);
	return it;
}

static void policy_comment(diff_ctx *c, const m_policy *p, const char *old)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "POLICY ");
	pg_quote_ident(&sb, p->name);
	strbuf_addf(&sb, " ON %s", diff_qname(c, p->schema, p->table));
	diff_on(diff_comment(c, arena_strdup(&c->arena, strbuf_str(&sb)),
			     diff_qname3(c, p->schema, p->table, p->name), old,
			     p->comment),
		PGO_POLICY, p->schema, p->table, p->name, NULL);
	strbuf_release(&sb);
}

static diff_item *policy_create(diff_ctx *c, const m_policy *p)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "CREATE POLICY ");
	pg_quote_ident(&sb, p->name);
	strbuf_addf(&sb, " ON %s AS %s FOR %s TO ",
		    diff_qname(c, p->schema, p->table),
		    p->permissive ? "PERMISSIVE" : "RESTRICTIVE",
		    p->command ? p->command : "ALL");
	policy_roles(&sb, p);
	if (p->using_expr)
		strbuf_addf(&sb, " USING (%s)", p->using_expr);
	if (p->check_expr)
		strbuf_addf(&sb, " WITH CHECK (%s)", p->check_expr);
	diff_item *it =
	    diff_on(diff_emit(c, PH_TRIGGER, PGC_CREATE_POLICY,
			      diff_qname3(c, p->schema, p->table, p->name),
			      strbuf_str(&sb)),
		    0, p->schema, p->table, p->name, NULL);
	strbuf_release(&sb);
	policy_comment(c, p, NULL);
	return it;
}

static bool same_roles(const m_policy *a, const m_policy *b)
{
	if (a->nroles != b->nroles)
		return false;
	for (int i = 0; i < a->nroles; i++)
		if (strcmp(a->roles[i], b->roles[i]))
			return false;
	return true;
}

int diff_policies(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->npolicies, t->npolicies,
	    cmp_on_table(f->policies[i_].schema, f->policies[i_].table,
			 f->policies[i_].name, t->policies[j_].schema,
			 t->policies[j_].table, t->policies[j_].name),
	    {
		    const m_policy *p = &f->policies[i_];
		    if (model_find_table(t, p->schema, p->table))
			    policy_drop(c, p);
	    },
	    policy_create(c, &t->policies[j_]),
	    {
		    const m_policy *a = &f->policies[i_];
		    const m_policy *b = &t->policies[j_];
		    /* A policy pins the columns its clauses read: it steps
		     * aside only around the change of one of them, in the
		     * same transaction (diff_deps.c), so that no statement
		     * runs without it. ALTER POLICY cannot change the kind
		     * or command, nor remove a clause. */
		    diff_anchors pinned = {0};
		    bool hard = false;
		    diff_colref_anchors(c, a->column_deps, a->ncolumn_deps,
					&pinned, &hard);
		    /* One that names a rebuilt enum is made again after the
		     * new type exists: around its columns, or at its phases
		     * when it reads none that change. */
		    hard |=
			!pinned.nkeys &&
			diff_uses_rebuilt(c, 'p', a->schema, a->table, a->name);
		    bool recreate = hard || a->permissive != b->permissive ||
				    !diff_streq(a->command, b->command) ||
				    (a->using_expr && !b->using_expr) ||
				    (a->check_expr && !b->check_expr);
		    if (recreate) {
			    policy_drop(c, a);
			    policy_create(c, b);
		    } else if (pinned.nkeys) {
			    diff_bracket(c, policy_drop(c, a), DIFF_BEFORE,
					 pinned.keys, pinned.nkeys);
			    diff_bracket(c, policy_create(c, b), DIFF_AFTER,
					 pinned.keys, pinned.nkeys);
			    recreate = true;
		    } else if (!same_roles(a, b) ||
			       !diff_streq(a->using_expr, b->using_expr) ||
			       !diff_streq(a->check_expr, b->check_expr)) {
			    strbuf sb = STRBUF_INIT;
			    strbuf_adds(&sb, "ALTER POLICY ");
			    pg_quote_ident(&sb, b->name);
			    strbuf_addf(&sb, " ON %s TO ",
					diff_qname(c, b->schema, b->table));
			    policy_roles(&sb, b);
			    if (b->using_expr &&
				!diff_streq(a->using_expr, b->using_expr))
				    strbuf_addf(&sb, " USING (%s)",
						b->using_expr);
			    if (b->check_expr &&
				!diff_streq(a->check_expr, b->check_expr))
				    strbuf_addf(&sb, " WITH CHECK (%s)",
						b->check_expr);
			    diff_on(diff_emit(c, PH_TRIGGER, PGC_ALTER_POLICY,
					      diff_qname3(c, b->schema,
							  b->table, b->name),
					      strbuf_str(&sb)),
				    0, b->schema, b->table, b->name, NULL);
			    strbuf_release(&sb);
		    }
		    if (!recreate)
			    policy_comment(c, b, a->comment);
	    });
	return 0;
}
