/*
 * SQL-standard function bodies: BEGIN ATOMIC ... END and RETURN expr.
 *
 * Unlike a string body ($$ ... $$), the server parses such a body when
 * the function is made and records in pg_depend what it reads: the
 * relations, their columns and the functions it calls. The file side
 * collects the same from the parse tree (a superset for columns, as for
 * views), and prints BEGIN ATOMIC itself: libpg_query's deparser cannot.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"
#include "pg.h"

typedef struct calls_state {
	pp_ctx *c;
	m_function *f;
} calls_state;

/* A call of a function the file made before (the server would refuse a
 * body calling one it does not know): a dependency for ordering. */
static void collect_call(const ProtobufCMessage *msg, void *data)
{
	calls_state *st = data;
	if (msg->descriptor != &pg_query__func_call__descriptor)
		return;
	const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)msg;
	const char *schema, *name;
	if (pp_qualname(fc->funcname, fc->n_funcname, &schema, &name))
		return;
	const model *m = st->c->m;
	bool known = false;
	for (int i = 0; i < m->nfunctions && !known; i++)
		known = m->functions[i].schema &&
			!strcmp(m->functions[i].schema, schema) &&
			!strcmp(m->functions[i].name, name);
	for (int i = 0; known && i < st->f->ndeps; i++)
		if (!strcmp(st->f->deps[i].schema, schema) &&
		    !strcmp(st->f->deps[i].name, name))
			known = false;
	if (!known)
		return;
	m_ref *r = ARENA_PUSH(&st->c->m->arena, st->f->deps, st->f->ndeps,
			      st->f->cdeps);
	r->schema = model_str(st->c->m, schema);
	r->name = model_str(st->c->m, name);
}

void pp_sql_body_deps(pp_ctx *c, pnode *body, m_function *f)
{
	f->sql_body = true;
	pp_reads r = {&f->rel_deps,    &f->nrel_deps,	 &f->crel_deps,
		      &f->column_deps, &f->ncolumn_deps, &f->ccolumn_deps};
	pp_collect_deps(c, body, &r);
	pp_collect_column_deps(c, body, &r);
	calls_state st = {c, f};
	pp_walk(&body->base, collect_call, &st);
}

char *pp_atomic_body(const pnode *body)
{
	/* The grammar wraps the statement list in a one-item list. */
	if (!body || body->node_case != NC(LIST))
		return NULL;
	const PgQuery__List *outer = body->list;
	const PgQuery__List *stmts =
	    outer->n_items == 1 && outer->items[0]->node_case == NC(LIST)
		? outer->items[0]->list
		: outer;
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "BEGIN ATOMIC\n");
	for (size_t i = 0; i < stmts->n_items; i++) {
		char *s = pp_deparse_stmt(stmts->items[i]);
		if (!s) {
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_addf(&sb, " %s;\n", s);
		free(s);
	}
	strbuf_adds(&sb, "END");
	return strbuf_detach(&sb);
}
