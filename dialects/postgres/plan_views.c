/*
 * Views and policies made again without a window.
 *
 * A view whose own definition changes (or that calls a routine made
 * again) is dropped in the differ's phase of drops and made again in its
 * phase of views, with every other change in between: backfills, index
 * builds, each its own transaction. For that whole time the deployed
 * code's queries on the view fail. The brackets of plan_group.c only
 * cover objects that step aside for a column change and otherwise stay
 * as they are.
 *
 * Here the drop moves forward to the first step that needs the object
 * gone (a change of a column, relation or routine the old definition
 * reads), the creation moves back to right after the last step that
 * must come first (one that the old definition blocks, or that makes
 * what the new definition reads), and when the steps in between are
 * brief and transactional everything becomes one step: one transaction
 * in which the old object goes and the new one comes, so no query finds
 * it missing. Every other step runs with one of the two in place. A view
 * that reads another one that is made again (two stacked views) goes
 * with it, in the same step.
 *
 * What this cannot merge (a backfill or a concurrent index build between
 * two changes the object needs out of the way) is still narrowed to
 * those steps, and the verdict names the window that remains (plan.c).
 *
 * The step drops the objects dependents first, as the differ does, so a
 * query on one of them waits for the step (lock_timeout bounds the
 * step's own waits). One statement that reads two of them at once may
 * take their locks in the other order: PostgreSQL then ends one of the
 * two as a deadlock, and a transactional step ended so leaves nothing
 * behind.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "pg.h"
#include "plan_internal.h"

static plan_step *at(pgp_ctx *c, int n)
{
	return &c->p->steps[n - 1];
}

static bool is(const plan_step *s, const char *kind)
{
	return !strcmp(s->kind, kind);
}

static bool kind_in(const plan_step *s, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (is(s, *kinds))
			return true;
	return false;
}

/* What an object of a cluster reads, in one model. */
typedef struct reads {
	bool present;
	const m_ref *deps; /* relations and routines (views) */
	int ndeps;
	const m_colref *cols;
	int ncols;
	const char *table;   /* a policy's own table, quoted; else NULL */
	const char *text[2]; /* the query, or USING and WITH CHECK */
} reads;

/* One view or policy dropped and made again. */
typedef struct member {
	int drop, create; /* step numbers */
	bool matview;
	reads old, new;
} member;

static bool is_drop(const plan_step *s)
{
	return is(s, "drop_view") || is(s, "drop_policy");
}

static bool is_create(const plan_step *s)
{
	return is(s, "create_view") || is(s, "create_materialized_view") ||
	       is(s, "create_policy");
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

/* The reads of the view or policy named `object` in model `m`. */
static reads reads_of(pgp_ctx *c, const model *m, const char *object,
		      bool policy, bool *matview)
{
	reads r = {0};
	if (!policy) {
		for (int i = 0; i < m->nviews; i++) {
			const m_view *v = &m->views[i];
			if (strcmp(pgp_qname(c, v->schema, v->name), object))
				continue;
			r.present = true;
			r.deps = v->deps;
			r.ndeps = v->ndeps;
			r.cols = v->column_deps;
			r.ncols = v->ncolumn_deps;
			r.text[0] = v->definition;
			if (matview)
				*matview = v->materialized;
			return r;
		}
		return r;
	}
	for (int i = 0; i < m->npolicies; i++) {
		const m_policy *p = &m->policies[i];
		const char *qt = pgp_qname(c, p->schema, p->table);
		if (strcmp(pgp_sprintf(c, "%s.%s", qt, pgp_ident(c, p->name)),
			   object))
			continue;
		r.present = true;
		r.cols = p->column_deps;
		r.ncols = p->ncolumn_deps;
		r.table = qt;
		r.text[0] = p->using_expr;
		r.text[1] = p->check_expr;
		return r;
	}
	return r;
}

/* Is `name` in `text` as a whole word (any case)? A false positive only
 * keeps a step on the safe side. */
static bool mentions(const char *text, const char *name)
{
	size_t l = strlen(name);
	if (!text || !l)
		return false;
	for (const char *p = strcasestr(text, name); p;
	     p = strcasestr(p + 1, name)) {
		bool left = p == text ||
			    !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool right = !(isalnum((unsigned char)p[l]) || p[l] == '_');
		if (left && right)
			return true;
	}
	return false;
}

/* The last name of a qualified object, unquoted ("public.f(integer)" ->
 * "f"). */
static const char *last_name(pgp_ctx *c, const char *object)
{
	const char *end = strchr(object, '(');
	size_t l = end ? (size_t)(end - object) : strlen(object);
	const char *dot = NULL;
	bool quoted = false;
	for (size_t i = 0; i < l; i++) {
		if (object[i] == '"')
			quoted = !quoted;
		else if (object[i] == '.' && !quoted)
			dot = object + i;
	}
	const char *s = dot ? dot + 1 : object;
	size_t n = (size_t)(object + l - s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	return pgp_sprintf(c, "%.*s", (int)n, s);
}

/* Relation `qrel` (quoted) is one that `r` reads. */
static bool reads_relation(pgp_ctx *c, const reads *r, const char *qrel)
{
	if (!qrel)
		return false;
	if (r->table && !strcmp(r->table, qrel))
		return true;
	for (int k = 0; k < r->ndeps; k++)
		if (!strcmp(pgp_qname(c, r->deps[k].schema, r->deps[k].name),
			    qrel))
			return true;
	for (int k = 0; k < r->ncols; k++)
		if (!strcmp(pgp_qname(c, r->cols[k].schema, r->cols[k].table),
			    qrel))
			return true;
	return false;
}

/* Column `qcol` (quoted) of relation `qrel` is one that `r` reads. */
static bool reads_column(pgp_ctx *c, const reads *r, const char *qrel,
			 const char *qcol)
{
	for (int k = 0; k < r->ncols; k++) {
		const m_colref *x = &r->cols[k];
		if (strcmp(pgp_qname(c, x->schema, x->table), qrel))
			continue;
		if (!strcmp(x->column, "*") ||
		    !strcmp(pgp_ident(c, x->column), qcol))
			return true;
	}
	return false;
}

/* Kinds that never need a reader of the table out of the way, nor make
 * what one reads (a new column is looked at separately). */
static bool never_in_the_way(const plan_step *s)
{
	static const char *const kinds[] = {
	    "comment",
	    "grant",
	    "revoke",
	    "create_index",
	    "create_index_concurrently",
	    "create_unique_index_concurrently",
	    "drop_index",
	    "drop_index_concurrently",
	    "drop_invalid_index",
	    "rename_index",
	    "add_constraint_using_index",
	    "add_foreign_key_not_valid",
	    "validate_constraint",
	    "swap_constraint",
	    "add_check_not_valid",
	    "drop_check",
	    "add_constraint",
	    "set_not_null",
	    "drop_not_null",
	    "set_default",
	    "drop_default",
	    "backfill",
	    "add_shadow_column",
	    "create_sync_trigger",
	    "create_trigger",
	    "drop_trigger",
	    "alter_trigger",
	    "set_statistics",
	    /* An online rebuild's steps around its swap (the swap itself
	     * needs the readers of the table made again). */
	    "rebuild_prepare",
	    "rebuild_copy",
	    "rebuild_drop_old",
	    NULL,
	};
	return kind_in(s, kinds);
}

static bool adds_column(const plan_step *s)
{
	return is(s, "add_column") || is(s, "add_column_nullable");
}

/* The name a "DROP <what> [IF EXISTS] name" statement drops, unquoted,
 * without schema or arguments. */
static const char *dropped_name(pgp_ctx *c, const char *stmt)
{
	const char *p = stmt;
	if (!strncmp(p, "IF EXISTS ", 10))
		p += 10;
	size_t l = strcspn(p, " (;\n");
	return last_name(c, pgp_sprintf(c, "%.*s", (int)l, p));
}

/*
 * Does a statement of `sql` need an object reading `r` out of the way?
 * A step merged from several (plan_group.c, retypes with their
 * defaults) is named after one of them, so its kind and object do not
 * tell: a routine, type, table or view it drops or alters that `r` reads
 * or names, or a column `r` reads that it drops or retypes. Drops of
 * indexes, constraints, triggers and defaults never are.
 */
static bool sql_in_the_way(pgp_ctx *c, const char *sql, const reads *r)
{
	static const char *const drops[] = {
	    "DROP FUNCTION ", "DROP PROCEDURE ", "DROP AGGREGATE ",
	    "DROP ROUTINE ",  "DROP TYPE ",	 "DROP DOMAIN ",
	    "DROP TABLE ",    "DROP VIEW ",	 "DROP MATERIALIZED VIEW ",
	    "DROP OPERATOR ", "ALTER TYPE ",	 NULL,
	};
	for (const char *p = sql; p && *p;) {
		const char *end = strstr(p, ";\n");
		size_t l = end ? (size_t)(end - p) : strlen(p);
		const char *stmt = pgp_sprintf(c, "%.*s", (int)l, p);
		p = end ? end + 2 : NULL;
		while (isspace((unsigned char)*stmt))
			stmt++;
		for (int k = 0; drops[k]; k++) {
			size_t kl = strlen(drops[k]);
			if (strncmp(stmt, drops[k], kl))
				continue;
			const char *name = dropped_name(c, stmt + kl);
			for (int j = 0; j < r->ndeps; j++)
				if (!strcmp(r->deps[j].name, name))
					return true;
			if (mentions(r->text[0], name) ||
			    mentions(r->text[1], name))
				return true;
		}
		if (strncmp(stmt, "ALTER TABLE ", 12) ||
		    (!strstr(stmt, " DROP COLUMN ") && !strstr(stmt, " TYPE ")))
			continue;
		for (int j = 0; j < r->ncols; j++)
			if (mentions(stmt, r->cols[j].table) &&
			    (!strcmp(r->cols[j].column, "*") ||
			     mentions(stmt, r->cols[j].column)))
				return true;
	}
	return false;
}

/*
 * How step `s` relates to an object reading `r`: `gone` when it cannot
 * run while the object exists (it retypes or drops a column, relation or
 * routine the object reads), `first` when it must run before the object
 * is made (that, or it makes a column the object reads). Conservative:
 * a step of unknown kind on a relation the object reads counts as both.
 */
static void relate(pgp_ctx *c, const plan_step *s, const reads *r, bool *gone,
		   bool *first)
{
	*gone = *first = false;
	if (!r->present)
		return;
	if (sql_in_the_way(c, s->forward, r)) {
		*gone = *first = true;
		return;
	}
	if (never_in_the_way(s))
		return;
	const char *t = s->table;
	size_t tl = t ? strlen(t) : 0;
	if (t && reads_relation(c, r, t) && !strncmp(s->object, t, tl) &&
	    s->object[tl] == '.') {
		/* A step on one column of the table. */
		bool col = reads_column(c, r, t, s->object + tl + 1);
		if (adds_column(s)) {
			*first = col;
			return;
		}
		/* A view grouping by a primary key may select other
		 * columns of the table through it: it pins the key. */
		*gone = *first = col || (is(s, "drop_constraint") &&
					 mentions(r->text[0], "GROUP BY"));
		return;
	}
	if (t && reads_relation(c, r, t)) {
		*gone = *first = !adds_column(s);
		return;
	}
	/* A relation or routine it reads, by name: dropped, made, renamed. */
	const char *name = last_name(c, s->object);
	for (int k = 0; k < r->ndeps; k++) {
		const char *q =
		    pgp_qname(c, r->deps[k].schema, r->deps[k].name);
		size_t l = strlen(q);
		if (!strncmp(s->object, q, l) &&
		    (!s->object[l] || s->object[l] == '(')) {
			*gone = *first = true;
			return;
		}
	}
	/* Anything else named in its text (a type, a routine the query
	 * calls): on the safe side. Steps on other tables are not. */
	if (!t && (mentions(r->text[0], name) || mentions(r->text[1], name)))
		*gone = *first = true;
}

/* Step `s` is about `obj` ("s.v", "s.v.col") or on it (an index of a
 * materialized view). */
static bool about_object(const plan_step *s, const char *obj)
{
	size_t l = strlen(obj);
	return (!strncmp(s->object, obj, l) &&
		(!s->object[l] || s->object[l] == '.')) ||
	       (s->table && !strcmp(s->table, obj));
}

/* What may finish an object made in a cluster: its comments, grants,
 * the indexes of a materialized view. */
static bool finishes(pgp_ctx *c, const plan_step *s, const member *m, int nm)
{
	static const char *const kinds[] = {"comment", "grant", "revoke",
					    "create_index", NULL};
	if (!kind_in(s, kinds))
		return false;
	for (int k = 0; k < nm; k++)
		if (about_object(s, at(c, m[k].create)->object))
			return true;
	return false;
}

/* Steps that may share the transaction of the drops and creations: brief
 * (no scan under the strong lock unless the object must wait for it
 * anyway) and transactional. */
static bool brief(const plan_step *s, bool related)
{
	return s->transactional && (related || (!s->scans && !s->rewrites));
}

/* The cluster that starts with drop step `d`: the objects dropped after
 * it and made again before the last creation. 0 members when a creation
 * of an object not in it lies inside (it could read one of them). */
static int cluster(pgp_ctx *c, int d, member **out, int *hi)
{
	int nm = 0, cap = 4;
	member *m = xcalloc((size_t)cap, sizeof(*m));
	*hi = create_of(c, d);
	for (int n = d; *hi && n <= *hi; n++) {
		const plan_step *s = at(c, n);
		if (is_drop(s)) {
			int e = create_of(c, n);
			if (!e)
				continue;
			if (nm == cap)
				m = xrealloc(m,
					     (size_t)(cap *= 2) * sizeof(*m));
			bool policy = is(s, "drop_policy");
			memset(&m[nm], 0, sizeof(m[nm]));
			m[nm].drop = n;
			m[nm].create = e;
			m[nm].old =
			    reads_of(c, c->from, s->object, policy, NULL);
			m[nm].new = reads_of(c, c->to, s->object, policy,
					     &m[nm].matview);
			nm++;
			if (e > *hi)
				*hi = e;
		}
	}
	/* What cannot be placed safely: an object not found in both models
	 * (its reads are unknown), a step about a member before its creation
	 * (it may need the old one, which now goes earlier). */
	for (int k = 0; k < nm; k++)
		if (!m[k].old.present || !m[k].new.present)
			nm = 0;
	for (int n = d; *hi && n <= *hi; n++) {
		bool mine = false, about = false;
		for (int k = 0; k < nm; k++) {
			mine |= m[k].create == n || m[k].drop == n;
			about |=
			    n < m[k].create &&
			    about_object(at(c, n), at(c, m[k].drop)->object);
		}
		if (!mine &&
		    (is_create(at(c, n)) || is_drop(at(c, n)) || about))
			nm = 0;
	}
	if (!nm) {
		free(m);
		*out = NULL;
		return 0;
	}
	*out = m;
	return nm;
}

/* The time readers of the materialized views of a cluster wait while
 * they are filled: a scan of each table they read. -1 when unknown. */
static long long fill_ms(pgp_ctx *c, const member *m, int nm)
{
	long long ms = 0;
	for (int k = 0; k < nm; k++)
		for (int j = 0; m[k].matview && j < m[k].new.ndeps; j++) {
			const char *q = pgp_qname(c, m[k].new.deps[j].schema,
						  m[k].new.deps[j].name);
			/* Routines and views read have no size of their
			 * own. */
			if (!pgp_table_stats(c, q) && !pgp_table_is_new(c, q)) {
				if (!c->have_stats)
					return -1;
				continue;
			}
			long long e = pgp_est_ms(c, q, 1);
			if (e < 0)
				return -1;
			ms += e;
		}
	return ms;
}

/*
 * Close the window of the cluster starting at drop step `d`. True when
 * steps were merged. The steps d..hi are put in the order: what runs
 * with the old objects in place, the drops, the steps that need them
 * gone, the creations and what finishes them, what runs with the new
 * objects in place; the middle three become one step when they can.
 */
static bool close_gap(pgp_ctx *c, int d)
{
	member *m;
	int hi;
	int nm = cluster(c, d, &m, &hi);
	if (!nm)
		return false;
	/* Extend to the comments, grants and indexes right after. */
	while (hi < c->p->nsteps && finishes(c, at(c, hi + 1), m, nm))
		hi++;
	int k = hi - d + 1;
	/* 0 other, 1 drop, 2 create, 3 finisher; then gone/first. */
	char *role = xcalloc((size_t)k, 1);
	bool *gone = xcalloc((size_t)k, sizeof(bool));
	bool *first = xcalloc((size_t)k, sizeof(bool));
	int lo = 0, last = 0;
	for (int n = d; n <= hi; n++) {
		const plan_step *s = at(c, n);
		for (int j = 0; j < nm; j++) {
			if (m[j].drop == n)
				role[n - d] = 1;
			if (m[j].create == n)
				role[n - d] = 2;
		}
		if (!role[n - d] && finishes(c, s, m, nm)) {
			/* After the creation of what it finishes. */
			bool after = false;
			for (int j = 0; j < nm; j++)
				after |= m[j].create < n;
			if (after)
				role[n - d] = 3;
		}
		if (role[n - d])
			continue;
		/* Gone: the old object is in its way. First: the new
		 * one is in its way, or needs it. */
		for (int j = 0; j < nm; j++) {
			bool g, f;
			relate(c, s, &m[j].old, &g, &f);
			gone[n - d] |= g;
			relate(c, s, &m[j].new, &g, &f);
			first[n - d] |= g || f;
		}
		if (gone[n - d] && !lo)
			lo = n;
		if (gone[n - d] || first[n - d])
			last = n;
	}
	/* No step needs them gone: the swap goes after the last step that
	 * must come first, or where the first drop was. */
	if (!lo)
		lo = last ? last + 1 : d;
	if (last < lo)
		last = lo - 1;
	bool merge = true;
	for (int n = lo; n <= last; n++)
		if (!role[n - d] &&
		    !brief(at(c, n), gone[n - d] || first[n - d]))
			merge = false;
	for (int n = d; n <= hi; n++)
		if (role[n - d] && !at(c, n)->transactional)
			merge = false;

	int *order = xmalloc((size_t)k * sizeof(int)), o = 0;
	for (int n = d; n < lo && n <= hi; n++)
		if (!role[n - d])
			order[o++] = n;
	int from = d + o;
	for (int n = d; n <= hi; n++)
		if (role[n - d] == 1)
			order[o++] = n;
	int lead = 0, create = 0;
	for (int n = lo; n <= last; n++)
		if (!role[n - d]) {
			order[o++] = n;
			if (!lead)
				lead = d + o - 1;
		}
	for (int n = d; n <= hi; n++)
		if (role[n - d] >= 2) {
			order[o++] = n;
			/* With no change in between: named after the (last)
			 * creation, not what finishes it. */
			if (role[n - d] == 2 && !lead)
				create = d + o - 1;
		}
	int to = d + o - 1;
	for (int n = last + 1; n <= hi; n++)
		if (!role[n - d])
			order[o++] = n;
	/* Named before the steps move. */
	strbuf names = STRBUF_INIT;
	for (int j = 0; j < nm; j++)
		strbuf_addf(&names, "%s%s %s", j ? ", " : "",
			    is(at(c, m[j].drop), "drop_policy") ? "policy"
			    : m[j].matview ? "materialized view"
					   : "view",
			    at(c, m[j].drop)->object);
	bool moved = false, changed = false;
	for (int i = 0; i < k; i++)
		moved |= order[i] != d + i;
	if (moved)
		pgp_reorder_steps(c, d, hi, order);
	if (merge && to > from) {
		long long fill = fill_ms(c, m, nm);
		bool mat = false, views = false;
		for (int j = 0; j < nm; j++)
			mat |= m[j].matview, views |= !m[j].old.table;
		/* Named after the change the objects step aside for, or
		 * after the (last) creation. */
		pgp_merge_steps(c, from, to,
				lead	 ? lead
				: create ? create
					 : to);
		plan_step *s = at(c, from);
		s->note = plan_str(
		    c->p,
		    pgp_sprintf(
			c,
			"%s%s%s %s dropped and made again in this one "
			"transaction: %s",
			s->note ? s->note : "", s->note ? "; " : "",
			strbuf_str(&names), nm > 1 ? "are" : "is",
			mat ? "readers of a materialized view wait while "
			      "it is filled again (one run of its query, "
			      "counted in the lock estimate); no query finds "
			      "one missing"
			: views && nm > 1 ? "no query finds them missing"
			: views		  ? "no query finds it missing"
			: nm > 1	  ? "no statement runs without them"
					  : "no statement runs without it"));
		if (mat) {
			s->scans = true;
			if (fill < 0 || s->est_lock_ms < 0)
				s->est_lock_ms = -1;
			else
				s->est_lock_ms += fill;
		}
		changed = true;
	}
	strbuf_release(&names);
	free(order);
	free(role);
	free(gone);
	free(first);
	free(m);
	return changed;
}

void pgp_close_view_gaps(pgp_ctx *c)
{
	/* A merge removes steps, so this ends; a drop only moved later is
	 * met again and then stays where it is. */
	for (int n = 1; n <= c->p->nsteps; n++)
		if (is_drop(at(c, n)) && close_gap(c, n))
			n = 0; /* numbers changed: start again */
}
