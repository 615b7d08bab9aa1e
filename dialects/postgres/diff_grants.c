/*
 * Privileges: one GRANT or REVOKE per m_grant row that differs. An object
 * that is dropped and created again has lost its privileges, so every
 * desired row for it is granted again.  Routines and types carry their
 * implicit EXECUTE / USAGE to PUBLIC as a row: one made by the migration
 * has it already, and loses it by a REVOKE when the desired side lacks it.
 */
#include "pg.h"

#include <string.h>

#include "diff_internal.h"

static int cmp_grant(const m_grant *x, const m_grant *y)
{
	int r = x->objkind - y->objkind;
	if (!r)
		r = diff_cmp_qualified(x->schema, x->name, y->schema, y->name);
	if (!r)
		r = diff_strcmp(x->column, y->column);
	if (!r)
		r = diff_strcmp(x->grantee, y->grantee);
	if (!r)
		r = diff_strcmp(x->privilege, y->privilege);
	return r;
}

/* Privilege names are keywords: accept only letters and spaces so that a
 * schema file cannot smuggle SQL through them. */
static bool privilege_ok(const char *p)
{
	if (!p || !*p)
		return false;
	for (; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == ' '))
			return false;
	return true;
}

/* The function name without its "(arg types)", and the types. */
static void split_fn(diff_ctx *c, const char *name, const char **fname,
		     const char **args)
{
	const char *paren = strchr(name, '(');
	if (!paren) {
		*fname = name;
		*args = "";
		return;
	}
	*fname = arena_strndup(&c->arena, name, (size_t)(paren - name));
	size_t n = strlen(paren + 1);
	if (n && paren[n] == ')')
		n--;
	*args = arena_strndup(&c->arena, paren + 1, n);
}

static const char *grant_target(diff_ctx *c, const m_grant *g)
{
	strbuf sb = STRBUF_INIT;
	switch (g->objkind) {
	case 'S':
		strbuf_adds(&sb, "SEQUENCE ");
		break;
	case 'n':
		strbuf_adds(&sb, "SCHEMA ");
		break;
	case 'f':
		strbuf_adds(&sb, "ROUTINE ");
		break;
	case 'T':
		strbuf_adds(&sb, "TYPE ");
		break;
	default:
		strbuf_adds(&sb, "TABLE ");
	}
	if (g->objkind == 'f') {
		const char *fname, *args;
		split_fn(c, g->name, &fname, &args);
		pg_quote_qualified(&sb, g->schema, fname);
		strbuf_addf(&sb, "(%s)", args);
	} else {
		pg_quote_qualified(&sb, g->objkind == 'n' ? NULL : g->schema,
				   g->name);
	}
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

static const char *grant_object(diff_ctx *c, const m_grant *g)
{
	const char *t = grant_target(c, g);
	const char *sp = strchr(t, ' ');
	return sp ? sp + 1 : t;
}

/* What a grant is about, as data (diff_stmt.obj): privileges of a
 * relation ('r') are a table's or a view's. */
static void grant_on(diff_ctx *c, diff_item *it, const m_grant *g)
{
	const char *fname, *args;
	switch (g->objkind) {
	case 'n':
		diff_on(it, CHANGE_OBJ_SCHEMA, NULL, NULL, g->name, NULL);
		break;
	case 'S':
		diff_on(it, CHANGE_OBJ_SEQUENCE, g->schema, NULL, g->name,
			NULL);
		break;
	case 'f':
		split_fn(c, g->name, &fname, &args);
		diff_on(it, CHANGE_OBJ_FUNCTION, g->schema, NULL, fname, args);
		break;
	case 'T':
		diff_on(it, 0, g->schema, NULL, g->name, NULL);
		break;
	default:
		diff_on(it,
			model_find_table(c->from, g->schema, g->name) ||
				model_find_table(c->to, g->schema, g->name)
			    ? CHANGE_OBJ_TABLE
			    : CHANGE_OBJ_VIEW,
			g->schema, NULL, g->name, NULL);
	}
}

/* NULL is the pseudo-role PUBLIC; any name, "PUBLIC" too, is a role and
 * quoted as one (TO "PUBLIC" grants to that role only). */
static void grantee(strbuf *sb, const char *who)
{
	if (!who)
		strbuf_adds(sb, "PUBLIC");
	else
		pg_quote_ident(sb, who);
}

/* GRANT (revoke false) or REVOKE; `option_only` for the grant option. */
static void grant_emit(diff_ctx *c, const m_grant *g, bool revoke,
		       bool option_only)
{
	strbuf sb = STRBUF_INIT;
	if (revoke)
		strbuf_addf(&sb, "REVOKE %s%s",
			    option_only ? "GRANT OPTION FOR " : "",
			    g->privilege);
	else
		strbuf_addf(&sb, "GRANT %s", g->privilege);
	if (g->column) {
		strbuf_adds(&sb, " (");
		pg_quote_ident(&sb, g->column);
		strbuf_addch(&sb, ')');
	}
	strbuf_addf(&sb, " ON %s %s ", grant_target(c, g),
		    revoke ? "FROM" : "TO");
	grantee(&sb, g->grantee);
	if (!revoke && g->grantable)
		strbuf_adds(&sb, " WITH GRANT OPTION");
	grant_on(c,
		 diff_emit(c, PH_GRANT, revoke ? CHANGE_REVOKE : CHANGE_GRANT,
			   grant_object(c, g), strbuf_str(&sb)),
		 g);
	strbuf_release(&sb);
}

/* Still there after the migration, and not made anew. */
/* Does `m` define the object of grant g? (No schema holds "public"
 * when it is left as the server made it.) */
static bool object_defined(diff_ctx *c, const model *m, const m_grant *g)
{
	switch (g->objkind) {
	case 'n':
		return diff_has_schema(m, g->name) ||
		       !strcmp(g->name, "public");
	case 'S':
		return diff_find_sequence(m, g->schema, g->name) != NULL;
	case 'T':
		return diff_has_type(m, g->schema, g->name);
	case 'f': {
		const char *fname, *args;
		split_fn(c, g->name, &fname, &args);
		return diff_find_function(m, g->schema, fname, args) != NULL;
	}
	default:
		return model_find_table(m, g->schema, g->name) ||
		       diff_find_view(m, g->schema, g->name);
	}
}

static bool object_recreated(diff_ctx *c, const m_grant *g)
{
	switch (g->objkind) {
	case 'n':
	case 'S':
		return false;
	case 'T':
		return diff_set_has(&c->recreated,
				    diff_key(c, "type", g->schema, g->name));
	case 'f': {
		const char *fname, *args;
		split_fn(c, g->name, &fname, &args);
		return diff_set_has(&c->recreated,
				    diff_key(c, "fnname", g->schema, fname));
	}
	default:
		return diff_set_has(&c->recreated,
				    diff_key(c, "rel", g->schema, g->name));
	}
}

/* The object is in the desired schema and the migration leaves it be. */
static bool object_stays(diff_ctx *c, const m_grant *g)
{
	return object_defined(c, c->to, g) && !object_recreated(c, g);
}

/* EXECUTE on a routine or USAGE on a type to PUBLIC: what PostgreSQL
 * gives without any GRANT, so the model holds it as a grant row. */
static bool is_default(const m_grant *g)
{
	return !g->grantee && !g->column && !g->grantable &&
	       ((g->objkind == 'f' && !strcmp(g->privilege, "EXECUTE")) ||
		(g->objkind == 'T' && !strcmp(g->privilege, "USAGE")));
}

/* Made by the migration (new, or dropped and created again): it starts
 * with the default privileges only. */
static bool object_new(diff_ctx *c, const m_grant *g)
{
	if (g->objkind == 'T')
		return !diff_has_type(c->from, g->schema, g->name) ||
		       diff_set_has(&c->recreated,
				    diff_key(c, "type", g->schema, g->name));
	if (g->objkind == 'f') {
		const char *fname, *args;
		split_fn(c, g->name, &fname, &args);
		return !diff_find_function(c->from, g->schema, fname, args) ||
		       diff_set_has(&c->recreated,
				    diff_key(c, "fnname", g->schema, fname));
	}
	return false;
}

/* A routine or type made by the migration whose desired privileges lack
 * the default one: REVOKE it after the CREATE. */
static void revoke_default(diff_ctx *c, char kind, const char *schema,
			   const char *name)
{
	const model *t = c->to;
	m_grant g = {.objkind = kind,
		     .schema = (char *)schema,
		     .name = (char *)name,
		     .grantee = NULL, /* PUBLIC */
		     .privilege = kind == 'f' ? "EXECUTE" : "USAGE"};
	if (!object_new(c, &g))
		return;
	for (int i = 0; i < t->ngrants; i++)
		if (!cmp_grant(&t->grants[i], &g))
			return;
	grant_emit(c, &g, true, false);
}

static void revoke_defaults(diff_ctx *c)
{
	const model *t = c->to;
	for (int i = 0; i < t->nfunctions; i++) {
		const m_function *f = &t->functions[i];
		revoke_default(c, 'f', f->schema,
			       arena_sprintf(&c->arena, "%s(%s)", f->name,
					     f->identity_args));
	}
	for (int i = 0; i < t->nenums; i++)
		revoke_default(c, 'T', t->enums[i].schema, t->enums[i].name);
	for (int i = 0; i < t->ndomains; i++)
		revoke_default(c, 'T', t->domains[i].schema,
			       t->domains[i].name);
	for (int i = 0; i < t->ncomposites; i++)
		revoke_default(c, 'T', t->composites[i].schema,
			       t->composites[i].name);
}

int diff_grants(diff_ctx *c, error *e)
{
	const model *f = c->from, *t = c->to;
	for (int pass = 0; pass < 2; pass++) {
		const model *m = pass ? t : f;
		for (int i = 0; i < m->ngrants; i++)
			if (!privilege_ok(m->grants[i].privilege))
				return error_set(e, EXIT_USAGE,
						 "grant on %s: unexpected "
						 "privilege \"%s\"",
						 m->grants[i].name,
						 m->grants[i].privilege);
	}
	MERGE_WALK(
	    f->ngrants, t->ngrants, cmp_grant(&f->grants[i_], &t->grants[j_]),
	    {
		    if (object_stays(c, &f->grants[i_]))
			    grant_emit(c, &f->grants[i_], true, false);
	    },
	    {
		    const m_grant *b = &t->grants[j_];
		    if (!is_default(b) || !object_new(c, b))
			    grant_emit(c, b, false, false);
	    },
	    {
		    const m_grant *a = &f->grants[i_];
		    const m_grant *b = &t->grants[j_];
		    /* An object neither schema defines (a table an
		     * extension made, say) is left as it is: its grants
		     * hold on both sides. */
		    bool known = object_defined(c, c->from, a) ||
				 object_defined(c, c->to, b);
		    if (known && !object_stays(c, a)) {
			    if (!is_default(b) || !object_new(c, b))
				    grant_emit(c, b, false, false);
		    } else if (b->grantable && !a->grantable)
			    grant_emit(c, b, false, false);
		    else if (a->grantable && !b->grantable)
			    grant_emit(c, a, true, true);
	    });
	revoke_defaults(c);
	return 0;
}
