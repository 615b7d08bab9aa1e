/*
 * Steps that must share one transaction.
 *
 * Every step is its own transaction, so an object dropped in one step and
 * made again in a later one is missing in between: a trigger misses the
 * rows written meanwhile (counters, audit rows, denormalised columns go
 * silently wrong), a view fails the queries on it, without a policy the
 * rows it lets through are hidden and the writes it allows fail. The differ
 * puts the drop and the creation of a trigger or view that only steps aside for
 * a column change right around that change (diff_internal.h, "Brackets"); here
 * such a region becomes one step when it can run as one transaction. Drops that
 * lead a region are first moved past the steps that do not need the object gone
 * (the expand half of expand and contract: shadow column, sync trigger,
 * backfill, validation), so that only the brief swap shares their transaction.
 * What cannot be grouped stays as it was, and the verdict names the window
 * (plan.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "plan_internal.h"

static plan_step *at(pgp_ctx *c, int n)
{
	return &c->p->steps[n - 1];
}

static bool is(const plan_step *s, const char *kind)
{
	return !strcmp(s->kind, kind);
}

static int lock_rank(const char *lock)
{
	static const char *const order[] = {
	    "none",
	    "ACCESS SHARE",
	    "ROW SHARE",
	    "ROW EXCLUSIVE",
	    "SHARE UPDATE EXCLUSIVE",
	    "SHARE",
	    "SHARE ROW EXCLUSIVE",
	    "EXCLUSIVE",
	    "ACCESS EXCLUSIVE",
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (lock && !strcmp(lock, order[i]))
			return (int)i;
	return 0;
}

/* Renumber what points at steps after a change of the step list:
 * `map[old - 1]` is the new number of step `old`. */
static void renumber(pgp_ctx *c, const int *map, int nold)
{
	plan *p = c->p;
	for (int k = 0; k < p->nreasons; k++)
		if (p->reasons[k].step >= 1 && p->reasons[k].step <= nold)
			p->reasons[k].step = map[p->reasons[k].step - 1];
	for (int k = 0; k < p->nchecks; k++)
		if (p->checks[k].step >= 1 && p->checks[k].step <= nold)
			p->checks[k].step = map[p->checks[k].step - 1];
	for (int n = 1; n <= p->nsteps; n++)
		at(c, n)->n = n;
}

void pgp_merge_steps(pgp_ctx *c, int first, int last, int lead)
{
	plan *p = c->p;
	if (last <= first)
		return;
	plan_step *m = at(c, first);
	const plan_step *ld = at(c, lead);
	strbuf fwd = STRBUF_INIT, rb = STRBUF_INIT;
	bool tx = true, rtx = true;
	unsigned hz = 0;
	bool rewrites = false, scans = false;
	long long lock_ms = -1;
	char *lock = ld->lock;
	for (int n = first; n <= last; n++) {
		const plan_step *s = at(c, n);
		strbuf_adds(&fwd, s->forward);
		tx &= s->transactional;
		hz |= s->hazards;
		rewrites |= s->rewrites;
		/* A materialized view is filled as it is made: a scan, so
		 * the step gets no statement_timeout. */
		scans |= s->scans || is(s, "create_materialized_view");
		if (s->est_lock_ms > lock_ms)
			lock_ms = s->est_lock_ms;
		if (lock_rank(s->lock) > lock_rank(lock))
			lock = s->lock;
	}
	/* Undone in the reverse order. */
	for (int n = last; n >= first; n--)
		if (at(c, n)->rollback) {
			strbuf_adds(&rb, at(c, n)->rollback);
			rtx &= at(c, n)->rollback_transactional;
		}
	m->kind = ld->kind;
	m->object = ld->object;
	m->table = ld->table;
	m->note = ld->note;
	m->est_rows = ld->est_rows;
	m->lock = lock;
	m->hazards = hz;
	m->rewrites = rewrites;
	m->scans = scans;
	m->est_lock_ms = lock_ms;
	m->forward = plan_str(p, strbuf_str(&fwd));
	m->transactional = tx;
	if (rb.len) {
		plan_step_set_rollback(p, m, strbuf_str(&rb));
		m->rollback_transactional = rtx;
	}
	strbuf_release(&fwd);
	strbuf_release(&rb);

	int nold = p->nsteps, gone = last - first;
	int *map = xmalloc((size_t)nold * sizeof(int));
	for (int n = 1; n <= nold; n++)
		map[n - 1] = n <= first ? n : n <= last ? first : n - gone;
	memmove(at(c, first + 1), at(c, last + 1),
		(size_t)(nold - last) * sizeof(plan_step));
	/* The freed slots are reused by the next plan_add_step, which
	 * does not clear them. */
	memset(at(c, nold - gone + 1), 0, (size_t)gone * sizeof(plan_step));
	p->nsteps = nold - gone;
	renumber(c, map, nold);
	free(map);
}

void pgp_reorder_steps(pgp_ctx *c, int lo, int hi, const int *order)
{
	plan *p = c->p;
	int k = hi - lo + 1;
	plan_step *tmp = xmalloc((size_t)k * sizeof(plan_step));
	int *map = xmalloc((size_t)p->nsteps * sizeof(int));
	for (int n = 1; n <= p->nsteps; n++)
		map[n - 1] = n;
	for (int i = 0; i < k; i++) {
		tmp[i] = *at(c, order[i]);
		map[order[i] - 1] = lo + i;
	}
	memcpy(at(c, lo), tmp, (size_t)k * sizeof(plan_step));
	renumber(c, map, p->nsteps);
	free(map);
	free(tmp);
}

/* Routines too: one with a SQL-standard body steps aside around a change
 * of a column it reads, and one made again must not be missing for its
 * callers between two steps. */
static bool is_drop(const plan_step *s)
{
	return is(s, "drop_trigger") || is(s, "drop_view") ||
	       is(s, "drop_policy") || is(s, "drop_function");
}

static bool is_create(const plan_step *s)
{
	return is(s, "create_trigger") || is(s, "create_view") ||
	       is(s, "create_materialized_view") || is(s, "create_policy") ||
	       is(s, "create_function");
}

/* The step after drop step `d` that makes its object again, or 0. */
static int create_of(pgp_ctx *c, int d)
{
	for (int n = d + 1; n <= c->p->nsteps; n++)
		if (is_create(at(c, n)) &&
		    !strcmp(at(c, n)->object, at(c, d)->object))
			return n;
	return 0;
}

/* The drop step before `n` of the object created at step `n`, or 0. */
static int drop_of(pgp_ctx *c, int n)
{
	for (int d = n - 1; d >= 1; d--)
		if (is_drop(at(c, d)) &&
		    !strcmp(at(c, d)->object, at(c, n)->object))
			return d;
	return 0;
}

/* What may finish an object made in a region: its comments, grants,
 * ALTER TRIGGER, the indexes of a materialized view. */
static bool finishes(const plan_step *s)
{
	return is(s, "comment") || is(s, "grant") || is(s, "alter_trigger") ||
	       is(s, "create_index");
}

/* True when step `s` finishes an object made in steps lo..hi: about it
 * ("s.v", "s.v.col") or on it (an index of the materialized view). */
static bool finishes_one(pgp_ctx *c, const plan_step *s, int lo, int hi)
{
	if (!finishes(s))
		return false;
	for (int n = lo; n <= hi; n++) {
		const char *obj = at(c, n)->object;
		size_t l = strlen(obj);
		if (is_create(at(c, n)) &&
		    ((!strncmp(s->object, obj, l) &&
		      (!s->object[l] || s->object[l] == '.')) ||
		     (s->table && !strcmp(s->table, obj))))
			return true;
	}
	return false;
}

static bool kind_in(const plan_step *s, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (is(s, *kinds))
			return true;
	return false;
}

/* Steps that can run while a trigger or view that reads the changed
 * column is still there: the drops leading a region move past them. */
static bool harmless_before(const plan_step *s)
{
	static const char *const kinds[] = {
	    "add_shadow_column",
	    "create_sync_trigger",
	    "backfill",
	    "add_check_not_valid",
	    "validate_constraint",
	    "create_index_concurrently",
	    "create_unique_index_concurrently",
	    "drop_invalid_index",
	    "add_column_nullable",
	    "set_default",
	    NULL,
	};
	return kind_in(s, kinds);
}

/* Steps after the change that the trigger or view need not wait for:
 * the creations ending a region move before them. */
static bool harmless_after(const plan_step *s)
{
	static const char *const kinds[] = {
	    "add_check_not_valid",
	    "validate_constraint",
	    "set_not_null",
	    "drop_check",
	    "create_index_concurrently",
	    "create_unique_index_concurrently",
	    "drop_invalid_index",
	    "add_constraint_using_index",
	    "backfill",
	    NULL,
	};
	return kind_in(s, kinds);
}

/* Brief statements on one column (or the change itself): what may share
 * the transaction of the drops and creations around them. A scan or an
 * index build holding their locks would not be brief. */
static bool column_change(const plan_step *s)
{
	static const char *const kinds[] = {
	    "alter_column_type", "drop_column",		 "swap_column",
	    "rename_aside",	 "drop_default",	 "set_default",
	    "drop_not_null",	 "drop_identity",	 "add_identity",
	    "set_identity",	 "set_identity_options", "drop_expression",
	    "add_column",	 "add_column_nullable",	 NULL,
	};
	return kind_in(s, kinds);
}

/*
 * The region of drop step `d`: from it to the creation of every object
 * dropped inside, and the steps that finish those right after. 0 when
 * the region is not closed or holds a step that is none of: a drop or
 * creation of a trigger or view, what finishes one, a step on a table.
 */
static int region_end(pgp_ctx *c, int d)
{
	int hi = create_of(c, d);
	if (!hi)
		return 0;
	for (int n = d; n <= hi; n++) {
		const plan_step *s = at(c, n);
		if (is_drop(s)) {
			int e = create_of(c, n);
			if (!e)
				return 0;
			if (e > hi)
				hi = e;
		} else if (is_create(s)) {
			if (drop_of(c, n) < d)
				return 0;
		} else if (!finishes(s) && !s->table) {
			return 0;
		}
	}
	while (hi < c->p->nsteps && finishes_one(c, at(c, hi + 1), d, hi))
		hi++;
	return hi;
}

/*
 * Group the region that starts with drop step `d`; true when the plan
 * changed. Its steps go in the order: what runs before the drops, the
 * drops, the change, the creations and what finishes them, what runs
 * after; the middle three become one step when every one of them is
 * transactional and the change is made of brief column statements.
 */
static bool group_region(pgp_ctx *c, int d)
{
	int hi = region_end(c, d);
	if (!hi)
		return false;
	int p0 = d, p1 = hi;
	while (p0 <= hi && (is_drop(at(c, p0)) || harmless_before(at(c, p0))))
		p0++;
	while (p1 >= p0 && (is_create(at(c, p1)) || finishes(at(c, p1)) ||
			    harmless_after(at(c, p1))))
		p1--;
	for (int n = p0; n <= p1; n++) {
		const plan_step *s = at(c, n);
		if (!s->transactional || !(is_drop(s) || is_create(s) ||
					   finishes(s) || column_change(s)))
			return false;
	}
	int k = hi - d + 1, o = 0;
	int *order = xmalloc((size_t)k * sizeof(int));
	for (int n = d; n < p0; n++)
		if (!is_drop(at(c, n)))
			order[o++] = n;
	int first = d + o;
	for (int n = d; n < p0; n++)
		if (is_drop(at(c, n)))
			order[o++] = n;
	for (int n = p0; n <= p1; n++)
		order[o++] = n;
	int lead = p0 <= p1 ? d + o - (p1 - p0 + 1) : 0;
	for (int n = p1 + 1; n <= hi; n++)
		if (!harmless_after(at(c, n)))
			order[o++] = n;
	int last = d + o - 1;
	for (int n = p1 + 1; n <= hi; n++)
		if (harmless_after(at(c, n)))
			order[o++] = n;
	bool ok = true;
	for (int i = first - d; i <= last - d; i++)
		ok &= at(c, order[i])->transactional;
	if (ok)
		pgp_reorder_steps(c, d, hi, order);
	free(order);
	if (!ok || last == first)
		return false;
	/* The merged step is named after the change (or the creation). */
	pgp_merge_steps(c, first, last, lead ? lead : last);
	return true;
}

void pgp_group_brackets(pgp_ctx *c)
{
	for (int n = 1; n <= c->p->nsteps; n++)
		if (is_drop(at(c, n)) && group_region(c, n))
			n = 0; /* numbers changed: start again */
}
