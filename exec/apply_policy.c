/*
 * The guardrails a new apply passes before its first statement
 * (apply_internal.h): the environment's policy refuses denied step kinds
 * and hazards and starts only inside its window, and the environments
 * named in require_before (or promote's --from) must have applied the
 * same change already, by their own journals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

static bool listed(const config_policy *pol, const char *name)
{
	for (int i = 0; i < pol->ndeny; i++)
		if (!strcmp(pol->deny[i], name))
			return true;
	return false;
}

/* The first step whose kind or a hazard the policy denies. */
static int denied_step(const plan *p, const config_policy *pol,
		       const char **rule)
{
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		if (listed(pol, s->kind)) {
			*rule = s->kind;
			return i + 1;
		}
		for (int h = 0; h < PLAN_HAZARD_COUNT; h++)
			if ((s->hazards & (1u << h)) &&
			    listed(pol, plan_hazard_name(h))) {
				*rule = plan_hazard_name(h);
				return i + 1;
			}
	}
	return 0;
}

/* Does the journal at `url` hold an apply of change `change` that
 * finished applied? */
static int applied_there(const apply_state *st, const char *url,
			 const char *change, error *e)
{
	dialect_conn *c = NULL;
	json_t *all = NULL;
	int found = -1;
	if (st->d->session_connect(url, &c, e) < 0 ||
	    st->d->journal_read(c, NULL, true, &all, e) < 0)
		goto out;
	found = 0;
	size_t i;
	json_t *a;
	json_array_foreach(all, i, a)
	{
		const char *out =
		    json_string_value(json_object_get(a, "outcome"));
		const char *dir =
		    json_string_value(json_object_get(a, "direction"));
		const char *pj = json_string_value(json_object_get(a, "plan"));
		if (!out || !dir || !pj || strcmp(out, APPLY_APPLIED) ||
		    strcmp(dir, "apply"))
			continue;
		plan q;
		char id[65];
		error ie = ERROR_INIT;
		plan_init(&q);
		if (plan_from_json(&q, pj, "journal", false, &ie) == 0 &&
		    plan_change_id(&q, id, &ie) == 0 && !strcmp(id, change))
			found = 1;
		error_clear(&ie);
		plan_release(&q);
		if (found)
			break;
	}
out:
	json_decref(all);
	st->d->session_close(c);
	return found;
}

/* Every environment that must come first has applied this change. */
static int before_envs(apply_state *st, error *e)
{
	const apply_opts *o = st->o;
	const config_policy *pol = o->policy;
	char change[65];
	int n = pol ? pol->nrequire_before : 0;
	if ((!n && !o->promote_from) || !o->cfg)
		return 1;
	if (plan_change_id(st->p, change, e) < 0)
		return -1;
	for (int i = -1; i < n; i++) {
		const char *name =
		    i < 0 ? o->promote_from : pol->require_before[i];
		if (!name)
			continue;
		const config_env *env = config_find_env(o->cfg, name);
		char *url = NULL;
		if (!env)
			return error_set(e, EXIT_USAGE,
					 "environment '%s' (that must apply "
					 "first) is not in the configuration",
					 name);
		if (source_resolve_url(env->url, &url, e) < 0)
			return -1;
		int r = applied_there(st, url, change, e);
		free(url);
		if (r < 0) {
			error_prefix(e, "environment %s", name);
			return -1;
		}
		if (!r) {
			fprintf(stderr,
				"schemig: apply: refused: change %.12s has no "
				"successful apply in %s's journal; apply it "
				"there first (git schemig apply --env %s)\n",
				change, name, name);
			apply_event(st, "policy_refused",
				    json_pack("{s:s, s:s}", "rule",
					      "require_before", "env", name),
				    NULL);
			return 0;
		}
		apply_event(
		    st, "promoted_from",
		    json_pack("{s:s, s:s}", "env", name, "change", change),
		    NULL);
	}
	return 1;
}

int apply_policy_check(apply_state *st, error *e)
{
	const config_policy *pol = st->o->policy;
	const char *rule = NULL;
	int n = pol ? denied_step(st->p, pol, &rule) : 0;
	if (n) {
		const plan_step *s = &st->p->steps[n - 1];
		fprintf(stderr,
			"schemig: apply: refused: step %d (%s %s) is denied "
			"by the policy of %s (deny: %s)\n",
			n, s->kind, s->object ? s->object : "", st->o->env,
			rule);
		apply_event(st, "policy_refused",
			    json_pack("{s:s, s:i, s:s}", "rule", "deny", "step",
				      n, "denied", rule),
			    NULL);
		return 0;
	}
	if (pol && pol->window) {
		config_window w;
		long long next = -1;
		if (config_window_parse(pol->window, &w, e) < 0)
			return -1;
		if (!config_window_open(&w, (long long)time(NULL), &next)) {
			char when[64] = "?";
			time_t t = (time_t)next;
			struct tm tm;
			if (next >= 0 && gmtime_r(&t, &tm))
				strftime(when, sizeof(when),
					 "%Y-%m-%d %H:%M UTC", &tm);
			fprintf(stderr,
				"schemig: apply: refused: outside the window "
				"of %s (%s); it opens next at %s\n",
				st->o->env, pol->window, when);
			apply_event(st, "policy_refused",
				    json_pack("{s:s, s:s}", "rule", "window",
					      "next_opening", when),
				    NULL);
			return 0;
		}
	}
	return before_envs(st, e);
}

/* Step n of the dry run's report (apply_opts.dry_run) when it ran
 * there, or NULL. */
static const json_t *dry_step(const json_t *dry, int n)
{
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(dry, "steps"), i, s)
	{
		if (json_integer_value(json_object_get(s, "n")) == n)
			return json_is_true(json_object_get(s, "ok")) ? s
								      : NULL;
	}
	return NULL;
}

/* A figure of the dry run's step, -1 when absent or null. */
static double dry_num(const json_t *s, const char *key)
{
	const json_t *v = json_object_get(s, key);
	return json_is_number(v) ? json_number_value(v) : -1;
}

/*
 * Why step `s` leaves the policy's limits, by the best figure there is:
 * the dry run's (its lock time scaled to the production table's size
 * as its wall time was, when it gives that projection; the rows it
 * went through), else the plan's estimates. Empty when it does not;
 * st->over says which limits it passes.
 */
static void over_limits(apply_state *st, const config_policy *pol,
			const plan_step *s, strbuf *why)
{
	bool counts = s->scans || s->rewrites || s->backfill;
	long long rows = s->est_rows;
	double lock = (double)s->est_lock_ms;
	const char *lock_is = "is estimated at", *lock_in = "", *rows_in = "";
	const json_t *d = dry_step(st->o->dry_run, s->n);
	if (d) {
		double held = dry_num(d, "lock_held_ms"),
		       wall = dry_num(d, "wall_ms"),
		       proj = dry_num(d, "projected_ms"),
		       r = dry_num(d, "rows");
		bool raise = st->o->dry_run_raises_only;
		if (held >= 0 && proj >= 0 && wall > 0)
			held = held * proj / wall;
		if (held >= 0 && (!raise || held > lock)) {
			lock = held;
			lock_is = proj >= 0 && wall > 0 ? "is projected at"
							: "was held";
			lock_in = proj >= 0 && wall > 0 ? " from the dry run"
							: " in the dry run";
		}
		if (r >= 0 && (!raise || (long long)r > rows)) {
			rows = (long long)r;
			rows_in = " in the dry run";
		}
	}
	/* No estimate (a table never analyzed): the rows it has now are
	 * the best figure there is. */
	if (counts && rows < 0 && s->table && pol->max_rows >= 0)
		rows = st->d->session_count_rows(st->jr, s->table);
	if (pol->max_lock_ms >= 0 && lock > (double)pol->max_lock_ms) {
		strbuf_addf(why, "its lock %s %.0f ms%s (max_lock_ms %lld)",
			    lock_is, lock, lock_in, pol->max_lock_ms);
		st->over |= APPLY_LIMIT_LOCK;
	}
	if (pol->max_rows >= 0 && counts && rows > pol->max_rows) {
		strbuf_addf(why,
			    "%sit goes through %lld rows%s (max_rows %lld)",
			    why->len ? "; " : "", rows, rows_in, pol->max_rows);
		st->over |= APPLY_LIMIT_ROWS;
	}
}

int apply_policy_gate(apply_state *st, int n, error *e)
{
	const config_policy *pol = st->o->policy;
	const plan_step *s = &st->p->steps[n - 1];
	strbuf why = STRBUF_INIT;
	json_t *who = NULL;
	int ret = 1;
	if (!pol || !st->d->journal_approvals)
		return 1;
	over_limits(st, pol, s, &why);
	if (!why.len)
		goto out;
	/* Past the limits, people decide: at least one approval, more
	 * when the policy asks for more. */
	int need = pol->approvals > 0 ? pol->approvals : 1;
	if (apply_approvals_collect(st, &who, e) < 0) {
		ret = -1;
		goto out;
	}
	int have = (int)json_array_size(who);
	if (have >= need) {
		apply_event(st, "approved",
			    json_pack("{s:i, s:s, s:O}", "step", n, "why",
				      why.buf, "approvals", who),
			    NULL);
		goto out;
	}
	json_t *k = apply_step_key(st, n, false);
	json_object_set_new(k, "kind", json_string(s->kind));
	json_object_set_new(k, "status", json_string("paused"));
	json_object_set_new(k, "message", json_string(why.buf));
	if (apply_journal(st, JOURNAL_STEP_START, k, e) < 0 ||
	    apply_journal_end(st, APPLY_PAUSED, NULL, e) < 0) {
		ret = -1;
		goto out;
	}
	fprintf(stderr,
		"schemig: apply: paused before step %d (%s %s): %s. It needs "
		"%d approval%s of plan %s (%d so far): `git schemig approve "
		"--env %s --plan %s`, then run apply again.\n",
		n, s->kind, s->object ? s->object : "", why.buf, need,
		need == 1 ? "" : "s", st->p->id, have,
		st->o->env ? st->o->env : "E", st->p->id);
	apply_event(st, "paused",
		    json_pack("{s:i, s:s, s:i, s:i}", "step", n, "why", why.buf,
			      "approvals", have, "needed", need),
		    NULL);
	ret = 0;
out:
	json_decref(who);
	strbuf_release(&why);
	return ret;
}
