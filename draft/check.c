/*
 * The static checks of a drafted plan, before it is run anywhere: each
 * statement parses (the dialect's parser) and touches only objects of
 * the change set; no step takes a stronger lock, as the dialect's linter
 * classifies it, than the engine's step on the same table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../lint/lint.h"
#include "../util/strmap.h"
#include "../util/xalloc.h"
#include "draft_internal.h"

int draft_lock_rank(const char *lock)
{
	if (!lock || !strcmp(lock, "none"))
		return 0;
	if (!strcmp(lock, "ACCESS SHARE") || !strcmp(lock, "ROW SHARE") ||
	    !strcmp(lock, "ROW EXCLUSIVE") ||
	    !strcmp(lock, "SHARE UPDATE EXCLUSIVE"))
		return 1;
	if (!strcmp(lock, "SHARE") || !strcmp(lock, "SHARE ROW EXCLUSIVE") ||
	    !strcmp(lock, "EXCLUSIVE"))
		return 2;
	return 3;
}

static const char *rank_name(int rank)
{
	return rank >= 3   ? "a lock that blocks reads and writes"
	       : rank == 2 ? "a lock that blocks writes"
			   : "a lock that lets writes go on";
}

int draft_answer_check(const json_t *answer, error *e)
{
	const json_t *steps = json_object_get(answer, "steps");
	if (!json_is_array(steps) || !json_array_size(steps))
		return error_set(e, EXIT_DB, "the answer has no steps");
	size_t i;
	const json_t *s;
	json_array_foreach(steps, i, s)
	{
		const char *f =
		    json_string_value(json_object_get(s, "forward"));
		if (!f || !*f)
			return error_set(e, EXIT_DB,
					 "step %zu has no forward SQL", i + 1);
		if (!json_is_boolean(json_object_get(s, "transactional")))
			return error_set(e, EXIT_DB,
					 "step %zu: transactional is not a "
					 "boolean",
					 i + 1);
	}
	return 0;
}

/* The answer against draft_answer_schema's subset of JSON Schema
 * (draft_answer_shape). */
static int shape_check(const json_t *schema, const json_t *v, const char *at,
		       strbuf *why)
{
	const json_t *types = json_object_get(schema, "type");
	/* A choice of types (a sample's value: text or null). */
	if (json_is_array(types)) {
		size_t i;
		const json_t *t;
		json_array_foreach(types, i, t)
		{
			const char *n = json_string_value(t);
			if ((!strcmp(n, "string") && json_is_string(v)) ||
			    (!strcmp(n, "null") && json_is_null(v)))
				return 0;
		}
		return strbuf_addf(why, "%s has the wrong type", at), 1;
	}
	const char *type = json_string_value(types);
	if (!strcmp(type, "string") && !json_is_string(v))
		return strbuf_addf(why, "%s is not a string", at), 1;
	if (!strcmp(type, "integer") && !json_is_integer(v))
		return strbuf_addf(why, "%s is not an integer", at), 1;
	if (!strcmp(type, "boolean") && !json_is_boolean(v))
		return strbuf_addf(why, "%s is not a boolean", at), 1;
	if (!strcmp(type, "array")) {
		if (!json_is_array(v))
			return strbuf_addf(why, "%s is not an array", at), 1;
		size_t i;
		const json_t *x;
		json_array_foreach(v, i, x)
		{
			strbuf sub = STRBUF_INIT;
			strbuf_addf(&sub, "%s[%zu]", at, i);
			int r = shape_check(json_object_get(schema, "items"), x,
					    strbuf_str(&sub), why);
			strbuf_release(&sub);
			if (r)
				return r;
		}
	}
	if (!strcmp(type, "object")) {
		if (!json_is_object(v))
			return strbuf_addf(why, "%s is not an object", at), 1;
		const json_t *props = json_object_get(schema, "properties");
		const char *k;
		const json_t *x;
		json_object_foreach((json_t *)v, k, x)
		{
			if (!json_object_get(props, k))
				return strbuf_addf(why, "%s has no field %s",
						   at, k),
				       1;
		}
		json_object_foreach((json_t *)props, k, x)
		{
			strbuf sub = STRBUF_INIT;
			strbuf_addf(&sub, "%s.%s", at, k);
			const json_t *f = json_object_get(v, k);
			int r = f ? shape_check(x, f, strbuf_str(&sub), why)
				  : (strbuf_addf(why, "%s is missing",
						 strbuf_str(&sub)),
				     1);
			strbuf_release(&sub);
			if (r)
				return r;
		}
	}
	return 0;
}

int draft_answer_shape(const json_t *answer, strbuf *why)
{
	json_t *schema = draft_answer_schema();
	int r = shape_check(schema, answer, "the answer", why);
	json_decref(schema);
	return r;
}

/* The change set: every object the engine's steps and the diff name. */
static void change_set(const plan *p, const diff_result *diff, strmap *set)
{
	for (int i = 0; i < p->nsteps; i++) {
		if (p->steps[i].object)
			strmap_put(set, p->steps[i].object, (void *)1);
		if (p->steps[i].table)
			strmap_put(set, p->steps[i].table, (void *)1);
	}
	for (int i = 0; i < diff->nstmts; i++)
		if (diff->stmts[i].object)
			strmap_put(set, diff->stmts[i].object, (void *)1);
}

/*
 * Parse one side (forward or rollback) of drafted step `n` and check
 * its objects; the objects go into `touched` (a JSON array). 0 or 1
 * (failure in `why`).
 */
/* What the forward statements of a draft do beyond the schema: the
 * tables whose rows they write, and those they rename in. */
typedef struct draft_effects {
	strmap writes, renames;
} draft_effects;

static bool is_kind(const char *kind, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (!strcmp(kind, *kinds))
			return true;
	return false;
}

static int check_sql(const dialect *d, const strmap *set, int n,
		     const char *side, const char *sql, json_t *touched,
		     draft_effects *fx, strbuf *why)
{
	static const char *const writes[] = {"update_stmt", "insert_stmt",
					     "delete_stmt", NULL};
	static const char *const renames[] = {"rename_stmt", NULL};
	char name[64];
	json_t *stmts = NULL;
	error pe = ERROR_INIT;
	snprintf(name, sizeof(name), "step %d %s", n, side);
	if (d->draft_statements(sql, name, &stmts, &pe) < 0) {
		strbuf_addf(why, "%s does not parse: %s", name, pe.msg);
		error_clear(&pe);
		return 1;
	}
	int bad = 0;
	size_t i, j;
	json_t *st, *o;
	json_array_foreach(stmts, i, st)
	{
		const char *kind =
		    json_string_value(json_object_get(st, "kind"));
		if (!json_is_true(json_object_get(st, "known"))) {
			strbuf_addf(why,
				    "%s: a %s is not accepted in a draft "
				    "(what it touches cannot be checked)",
				    name, kind);
			bad = 1;
			break;
		}
		json_array_foreach(json_object_get(st, "objects"), j, o)
		{
			const char *obj = json_string_value(o);
			if (!strmap_get(set, obj)) {
				strbuf_addf(why,
					    "%s: a %s on %s, which is not part "
					    "of this change",
					    name, kind, obj);
				bad = 1;
				break;
			}
			json_array_append(touched, o);
			if (fx && is_kind(kind, writes))
				strmap_put(&fx->writes, obj, (void *)1);
			if (fx && is_kind(kind, renames))
				strmap_put(&fx->renames, obj, (void *)1);
		}
		if (bad)
			break;
	}
	json_decref(stmts);
	return bad;
}

/* The strongest lock the linter sees in `sql` (draft_lock_rank's
 * scale), and the finding that says so in *what (malloc'd). */
static int linted_rank(const dialect *d, const char *sql, char **what)
{
	lint_result lr;
	error le = ERROR_INIT;
	int rank = 0;
	lint_result_init(&lr);
	*what = NULL;
	/* Parsing was checked already; a lint failure counts as unknown,
	 * the strongest. */
	if (!d->lint || d->lint(sql, "draft", &lr, &le) < 0) {
		error_clear(&le);
		lint_result_release(&lr);
		return 3;
	}
	for (int i = 0; i < lr.n; i++) {
		int r = lr.items[i].hazards & HZ_ACCESS_EXCLUSIVE_LOCK ? 3
			: lr.items[i].hazards & HZ_BLOCKS_WRITES       ? 2
								       : 0;
		if (r > rank) {
			rank = r;
			free(*what);
			*what = xstrdup(lr.items[i].message);
		}
	}
	lint_result_release(&lr);
	return rank;
}

/* The engine's steps on what drafted step touches: their strongest
 * lock, and the first one's estimates and lock name. -1 when none. */
static int engine_rank(const plan *p, const json_t *touched,
		       const plan_step **match)
{
	int rank = -1;
	*match = NULL;
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		size_t k;
		json_t *o;
		json_array_foreach(touched, k, o)
		{
			const char *obj = json_string_value(o);
			if ((s->table && !strcmp(s->table, obj)) ||
			    (s->object && !strcmp(s->object, obj))) {
				int r = draft_lock_rank(s->lock);
				if (!*match)
					*match = s;
				if (r > rank)
					rank = r;
				break;
			}
		}
	}
	return rank;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The table part of a column's name ("public.users.name"). */
static char *table_of(const char *column)
{
	const char *dot = strrchr(column, '.');
	return dot ? xstrndup(column, (size_t)(dot - column)) : xstrdup("");
}

static bool has_sample(const json_t *samples, const char *table)
{
	size_t i;
	const json_t *x;
	json_array_foreach(samples, i, x)
	{
		if (!strcmp(jstr(x, "table"), table))
			return true;
	}
	return false;
}

/*
 * Data and renames are proven on rows: every table a step writes rows
 * of, and every table of a declared rename, needs a sample row (the
 * model's own example, never anyone's data) that the proof puts in the
 * copy and follows through the plan; a declared rename must also be
 * made by a rename, not by a drop and an add. A sample may name any
 * table of the source (a parent row a foreign key needs): it only ever
 * goes into the throwaway copy. 0, or 1 with the first failure.
 */
static int check_samples(const json_t *answer, draft_effects *fx, strbuf *why)
{
	const json_t *samples = json_object_get(answer, "samples");
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(answer, "renames"), i, x)
	{
		char *t = table_of(jstr(x, "from"));
		int bad = 1;
		if (!strmap_get(&fx->renames, t))
			strbuf_addf(why,
				    "the rename of %s to %s is declared, but "
				    "no step renames anything in %s",
				    jstr(x, "from"), jstr(x, "to"), t);
		else if (!has_sample(samples, t))
			strbuf_addf(why,
				    "the rename of %s to %s has no sample row "
				    "of %s to prove that the data stays",
				    jstr(x, "from"), jstr(x, "to"), t);
		else
			bad = 0;
		free(t);
		if (bad)
			return 1;
	}
	size_t pos = 0;
	const strmap_entry *w;
	while ((w = strmap_next(&fx->writes, &pos))) {
		const char *t = w->key;
		if (!has_sample(samples, t))
			return strbuf_addf(why,
					   "a step writes rows of %s (a data "
					   "migration) but no sample row of "
					   "%s shows what it does",
					   t, t),
			       1;
	}
	return 0;
}

int draft_build(const draft_run *r, const plan *p, const json_t *answer,
		const char *drafted_by, plan *dp, strbuf *why, error *e)
{
	const dialect *d = r->o->sc->dialect;
	const diff_result *diff = &r->diff;
	draft_effects fx;
	strmap set;
	int bad = 0;
	error ce = ERROR_INIT;
	if (!d->draft_statements)
		return error_set(e, EXIT_USAGE,
				 "dialect %s cannot check a drafted plan",
				 d->name);
	if (draft_answer_check(answer, &ce) < 0) {
		strbuf_adds(why, ce.msg);
		error_clear(&ce);
		return 1;
	}
	strmap_init(&set);
	strmap_init(&fx.writes);
	strmap_init(&fx.renames);
	change_set(p, diff, &set);

	/* The engine's header: the same source, target and settings, so the
	 * proof compares with the same fingerprints. */
	dp->dialect = plan_str(dp, p->dialect);
	dp->source = plan_str(dp, p->source);
	dp->target = plan_str(dp, p->target);
	dp->source_fp = plan_str(dp, p->source_fp);
	dp->target_fp = plan_str(dp, p->target_fp);
	dp->settings = p->settings;

	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(answer, "steps"), i, s)
	{
		int n = (int)i + 1;
		const char *fwd = jstr(s, "forward"), *rb = jstr(s, "rollback");
		json_t *touched = json_array();
		if (check_sql(d, &set, n, "forward", fwd, touched, &fx, why) ||
		    (*rb && check_sql(d, &set, n, "rollback", rb, touched, NULL,
				      why))) {
			json_decref(touched);
			bad = 1;
			break;
		}
		/* Lock: never stronger than the engine's step on the same
		 * table (v1: no exception). A step on nothing the engine
		 * touches is held to the engine's weakest use: none. */
		const plan_step *m;
		char *what = NULL;
		int er = engine_rank(p, touched, &m);
		int dr = linted_rank(d, fwd, &what);
		json_decref(touched);
		if (dr > (er < 0 ? 1 : er)) {
			strbuf_addf(why,
				    "step %d (%s) takes %s (%s) where the "
				    "engine's step takes %s",
				    n, jstr(s, "object"), rank_name(dr),
				    what ? what : "the linter's finding",
				    m ? m->lock : "none");
			free(what);
			bad = 1;
			break;
		}
		free(what);

		plan_step *ps =
		    plan_add_step(dp, jstr(s, "kind"), jstr(s, "object"),
				  m ? m->table : NULL, fwd);
		if (*rb)
			plan_step_set_rollback(dp, ps, rb);
		else
			plan_step_set_no_rollback(dp, ps,
						  "the model drafted none");
		ps->transactional =
		    json_is_true(json_object_get(s, "transactional"));
		ps->rollback_transactional = ps->transactional;
		/* What apply and the guardrails read: the engine's figures
		 * for the same table, and a lock at least as strong as the
		 * linter saw. */
		ps->lock =
		    plan_str(dp, m && draft_lock_rank(m->lock) >= dr ? m->lock
				 : dr >= 3 ? "ACCESS EXCLUSIVE"
				 : dr == 2 ? "SHARE"
					   : "SHARE UPDATE EXCLUSIVE");
		if (m) {
			ps->est_rows = m->est_rows;
			ps->est_lock_ms = m->est_lock_ms;
			ps->rewrites = m->rewrites;
			ps->scans = m->scans;
		}
		if (!ps->transactional)
			ps->hazards |= HZ_NOT_TRANSACTIONAL;
		if (!*rb)
			ps->hazards |= HZ_IRREVERSIBLE;
		ps->drafted_by = plan_str(dp, drafted_by);
		/* The model's batch size, for a backfill only: the team's
		 * traffic may want smaller batches than the engine's. */
		json_int_t bs =
		    json_integer_value(json_object_get(s, "batch_size"));
		if (bs && (bs < DRAFT_MIN_BATCH || bs > DRAFT_MAX_BATCH)) {
			strbuf_addf(why,
				    "step %d: batch_size %lld is outside %d to "
				    "%d (0: the engine's choice)",
				    n, (long long)bs, DRAFT_MIN_BATCH,
				    DRAFT_MAX_BATCH);
			bad = 1;
			break;
		}
		ps->batch_size = (int)bs;
		/* A data migration in one UPDATE runs as the engine's
		 * batched backfill, committing batch by batch. */
		int bf = d->draft_backfill && r->from
			     ? d->draft_backfill(r->from, dp, ps, e)
			     : 0;
		if (bf < 0) {
			bad = -1;
			break;
		}
		if (!bf)
			ps->batch_size = 0;
		const char *x = jstr(s, "explanation");
		if (*x)
			ps->note = plan_str(dp, x);
	}
	if (!bad)
		bad = check_samples(answer, &fx, why);
	strmap_release(&set);
	strmap_release(&fx.writes);
	strmap_release(&fx.renames);
	return bad;
}
