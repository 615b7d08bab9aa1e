/*
 * Routines with a SQL-standard body (BEGIN ATOMIC, RETURN): the server
 * parses the body at creation and records what it reads, so unlike a
 * string body (made in phase 23 with check_function_bodies off) such a
 * routine must be made after the relations and routines it reads,
 * dropped before them, and step aside while a column it reads goes or
 * changes type (the brackets of diff_internal.h, as for views).
 */
#include <string.h>

#include "diff_internal.h"

/* Phases never go past this depth of calls: a cycle of calls cannot be
 * made by any server, so the bound only stops a loop. */
enum { MAX_CALL_DEPTH = 16 };

static int create_phase(diff_ctx *c, const m_function *fn, int phase, int depth)
{
	for (int i = 0; i < fn->nrel_deps; i++) {
		const m_ref *r = &fn->rel_deps[i];
		int p = diff_find_view(c->to, r->schema, r->name)
			    ? PH_VIEW
			    : PH_FUNCTION_LATE;
		if (p > phase)
			phase = p;
	}
	if (depth >= MAX_CALL_DEPTH)
		return phase;
	/* A routine it calls that is made later pulls it along. */
	const model *m = c->to;
	for (int d = 0; d < fn->ndeps; d++)
		for (int i = 0; i < m->nfunctions; i++) {
			const m_function *g = &m->functions[i];
			if (g != fn && g->sql_body &&
			    !diff_cmp_qualified(g->schema, g->name,
						fn->deps[d].schema,
						fn->deps[d].name))
				phase = create_phase(c, g, phase, depth + 1);
		}
	return phase;
}

int diff_fn_create_phase(diff_ctx *c, const m_function *fn, int phase)
{
	return create_phase(c, fn, phase, 0);
}

void diff_fn_create_needs(diff_ctx *c, diff_item *it, const m_function *fn)
{
	for (int i = 0; i < fn->nrel_deps; i++)
		diff_need(c, it,
			  diff_key(c, "rel", fn->rel_deps[i].schema,
				   fn->rel_deps[i].name));
}

int diff_fn_anchors(diff_ctx *c, const m_function *fn, const char ***anchors,
		    bool *hard)
{
	int n = 0, cap = 0;
	*anchors = NULL;
	*hard = false;
	for (int i = 0; i < fn->nrel_deps; i++) {
		const m_ref *r = &fn->rel_deps[i];
		/* A relation that goes or is made again takes the routine
		 * with it: drop it early, make it in its phase. */
		if ((!model_find_table(c->to, r->schema, r->name) &&
		     !diff_find_view(c->to, r->schema, r->name)) ||
		    diff_set_has(&c->recreated,
				 diff_key(c, "rel", r->schema, r->name)))
			*hard = true;
	}
	for (int i = 0; i < fn->ncolumn_deps; i++) {
		const char *anchor;
		if (diff_colref_anchor(c, &fn->column_deps[i], &anchor))
			*hard = true;
		else if (anchor)
			*ARENA_PUSH(&c->arena, *anchors, n, cap) = anchor;
	}
	return n;
}

int diff_fn_drop_phase(diff_ctx *c, const m_function *fn, int phase)
{
	if (!fn->sql_body || !fn->nrel_deps)
		return phase;
	/* Before the views (phase 12) and tables (70) it reads; before a
	 * column it reads goes or changes type (30). */
	for (int i = 0; i < fn->nrel_deps; i++)
		if (diff_find_view(c->from, fn->rel_deps[i].schema,
				   fn->rel_deps[i].name))
			return PH_DROP_VIEW;
	const char **anchors;
	bool hard;
	if (diff_fn_anchors(c, fn, &anchors, &hard) || hard)
		return phase < PH_DROP_FUNCTION_EARLY ? phase
						      : PH_DROP_FUNCTION_EARLY;
	return phase < PH_DROP_TABLE ? phase : PH_DROP_TABLE;
}

void diff_fn_drop_provides(diff_ctx *c, diff_item *it, const m_function *fn)
{
	for (int i = 0; i < fn->nrel_deps; i++)
		diff_provide(c, it,
			     diff_key(c, "predroprel", fn->rel_deps[i].schema,
				      fn->rel_deps[i].name));
}
