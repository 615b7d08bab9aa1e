/*
 * Casts. A cast cannot be altered: a changed one is dropped and made
 * again. That is safe while expressions use it: the server binds a
 * default, check, index or view to the cast's function (or to a
 * relabelling or an I/O conversion), never to the pg_cast row, so DROP
 * CAST succeeds and they keep working unchanged (and keep calling the
 * function they were made with).
 *
 * Made after the types and functions it uses (phase 23; 31 when a
 * table's row type is involved), before the tables, defaults, checks
 * and views that may be written with it; dropped early (phase 13),
 * before the function it calls and its types go.
 */
#include "pg.h"

#include <string.h>

#include "cast.h"
#include "diff_internal.h"

static const char *cast_name(diff_ctx *c, const m_cast *k)
{
	strbuf sb = STRBUF_INIT;
	pg_cast_target(&sb, k->source, k->target);
	const char *s = arena_strdup(&c->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return s;
}

/* The user function a cast calls, or NULL. */
static const char *fn_key(diff_ctx *c, const char *prefix, const m_cast *k)
{
	if (!k->function.schema || !strcmp(k->function.schema, "pg_catalog"))
		return NULL;
	return diff_key3(c, prefix, k->function.schema, k->function.name,
			 k->function_args);
}

static void cast_drop(diff_ctx *c, const m_cast *k)
{
	const char *q = cast_name(c, k);
	diff_item *it =
	    diff_on(diff_emit(c, PH_DROP_FUNCTION_EARLY, PGC_DROP_CAST, q,
			      arena_sprintf(&c->arena, "DROP CAST %s", q)),
		    0, NULL, NULL, k->source, k->target);
	/* Before its function, should that go in the same phase. */
	const char *user = fn_key(c, "fnuser", k);
	if (user)
		diff_provide(c, it, user);
}

static void cast_create(diff_ctx *c, const m_cast *k, const char *old_comment)
{
	const char *q = cast_name(c, k);
	bool rowtype = diff_mentions_table(c, c->to, k->source) ||
		       diff_mentions_table(c, c->to, k->target) ||
		       diff_mentions_table(c, c->to, k->function_args);
	diff_item *it =
	    diff_on(diff_emit(c, rowtype ? PH_FUNCTION_LATE : PH_FUNCTION,
			      PGC_CREATE_CAST, q, k->definition),
		    0, NULL, NULL, k->source, k->target);
	const char *fn = fn_key(c, "fn", k);
	if (fn)
		diff_need(c, it, fn);
	diff_on(diff_comment(c, arena_sprintf(&c->arena, "CAST %s", q), q,
			     old_comment, k->comment),
		PGO_CAST, NULL, NULL, k->source, k->target);
}

/* "public.mood" or "public.mood[]" names an enum that is rebuilt. */
static bool names_rebuilt(const diff_ctx *c, const char *type)
{
	for (int i = 0; i < c->nrebuilt; i++) {
		size_t n = strlen(c->rebuilt[i]);
		if (!strncmp(type, c->rebuilt[i], n) &&
		    (!type[n] || !strcmp(type + n, "[]")))
			return true;
	}
	return false;
}

/* The cast pins what it uses: a function dropped and made again, or an
 * enum rebuilt under a new oid, needs it out of the way and back. */
static bool pinned(diff_ctx *c, const m_cast *a)
{
	const char *fn = fn_key(c, "fn", a);
	return (fn && diff_set_has(&c->recreated, fn)) ||
	       names_rebuilt(c, a->source) || names_rebuilt(c, a->target);
}

int diff_casts(diff_ctx *c, error *e)
{
	(void)e;
	const model *f = c->from, *t = c->to;
	MERGE_WALK(
	    f->ncasts, t->ncasts,
	    diff_cmp_qualified(f->casts[i_].source, f->casts[i_].target,
			       t->casts[j_].source, t->casts[j_].target),
	    cast_drop(c, &f->casts[i_]), cast_create(c, &t->casts[j_], NULL), {
		    const m_cast *x = &f->casts[i_];
		    const m_cast *y = &t->casts[j_];
		    if (!diff_streq(x->definition, y->definition) ||
			pinned(c, x)) {
			    cast_drop(c, x);
			    cast_create(c, y, NULL);
		    } else {
			    const char *q = cast_name(c, y);
			    diff_on(diff_comment(
					c,
					arena_sprintf(&c->arena, "CAST %s", q),
					q, x->comment, y->comment),
				    PGO_CAST, NULL, NULL, y->source, y->target);
		    }
	    });
	return 0;
}
