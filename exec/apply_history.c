/*
 * The journal read back (git schemig history) and the rollback of the
 * last applied plan (git schemig rollback), under apply's rules.
 */
#include <stdio.h>
#include <string.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

void apply_format_history(const json_t *h, strbuf *out)
{
	size_t i, j;
	json_t *a, *s;
	if (!json_array_size(h)) {
		strbuf_adds(out, "no apply in the journal\n");
		return;
	}
	json_array_foreach(h, i, a)
	{
		strbuf_addf(out, "%s %.12s  plan %.12s  %s  %s\n",
			    !strcmp(str(a, "direction"), "rollback")
				? "rollback"
				: "apply   ",
			    str(a, "id"), str(a, "plan_id"), str(a, "outcome"),
			    str(a, "env"));
		strbuf_addf(out,
			    "  by %s, commit %.12s%s%s, started %s, "
			    "finished %s\n",
			    *str(a, "actor") ? str(a, "actor") : "?",
			    *str(a, "commit") ? str(a, "commit") : "?",
			    *str(a, "pull_request") ? ", pull request " : "",
			    str(a, "pull_request"), str(a, "started"),
			    *str(a, "finished") ? str(a, "finished") : "-");
		if (*str(a, "credential"))
			strbuf_addf(out, "  steps ran as one-shot login %s\n",
				    str(a, "credential"));
		json_array_foreach(json_object_get(a, "steps"), j, s)
		{
			json_t *rows = json_object_get(s, "rows");
			strbuf_addf(
			    out, "  %-8s %3lld  %-7s %-28s %s", str(s, "phase"),
			    (long long)json_integer_value(
				json_object_get(s, "n")),
			    str(s, "status"), str(s, "kind"), str(s, "object"));
			if (json_is_integer(rows))
				strbuf_addf(
				    out, "  rows %lld",
				    (long long)json_integer_value(rows));
			json_int_t at =
			    json_integer_value(json_object_get(s, "attempts"));
			if (at > 1)
				strbuf_addf(out, "  attempts %lld",
					    (long long)at);
			if (*str(s, "sqlstate"))
				strbuf_addf(out, "  %s %s", str(s, "sqlstate"),
					    str(s, "message"));
			strbuf_addch(out, '\n');
		}
	}
}

/* The newest apply of direction "apply" that was applied, unless a
 * rollback of it finished since: then NULL and *undone. */
static json_t *last_applied(json_t *all, bool *undone)
{
	size_t i;
	json_t *a;
	*undone = false;
	json_array_foreach(all, i, a)
	{
		if (!strcmp(str(a, "outcome"), APPLY_APPLIED) &&
		    !strcmp(str(a, "direction"), "rollback")) {
			*undone = true;
			return NULL;
		}
		if (!strcmp(str(a, "outcome"), APPLY_APPLIED) &&
		    !strcmp(str(a, "direction"), "apply"))
			return a;
	}
	return NULL;
}

/* The rollbacks, last step first; then the proof. */
static int undo_all(apply_state *st)
{
	const plan *p = st->p;
	error e = ERROR_INIT;
	for (int n = p->nsteps; n >= 1; n--) {
		const plan_step *s = &p->steps[n - 1];
		if (!s->rollback || st->marks[n].undone)
			continue;
		if (apply_step(st, n, true) < 0)
			return apply_escalate(st, "a rollback step failed");
		json_array_append_new(st->rolled_back, json_integer(n));
	}
	int back = apply_live_is(st, p->source_fp, &e);
	if (back != 1) {
		if (back < 0)
			fprintf(stderr, "schemig: rollback: %s\n", e.msg);
		error_clear(&e);
		return apply_escalate(st, "the rollback ran but the schema is "
					  "not the plan's source");
	}
	if (apply_journal_end(st, APPLY_APPLIED, NULL, &e) < 0) {
		fprintf(stderr, "schemig: rollback: %s\n", e.msg);
		error_clear(&e);
	}
	apply_event(st, "completed",
		    json_pack("{s:O}", "rolled_back", st->rolled_back), NULL);
	printf("rolled back plan %.12s: the database is at its source again "
	       "(fingerprint proven)\n",
	       p->id);
	return EXIT_OK;
}

/* Find what to roll back (or resume) in the journal: 1 and `p` filled,
 * else the exit code (said on stderr). */
static int pick(json_t *all, plan *p, const char **rollback_of, json_t **resume,
		error *e)
{
	json_t *u = apply_find_unfinished(all);
	json_t *a = u;
	bool undone;
	*resume = NULL;
	if (u && strcmp(str(u, "direction"), "rollback")) {
		fprintf(stderr,
			"schemig: rollback: refused: apply %s is "
			"unfinished; run `git schemig apply` to "
			"resume it first\n",
			str(u, "id"));
		return EXIT_FOUND;
	}
	if (u) {
		*resume = u;
	} else if (!(a = last_applied(all, &undone))) {
		fprintf(stderr, "schemig: rollback: nothing to roll back%s\n",
			undone ? ": the last applied plan was rolled back "
				 "already"
			       : ": no plan was applied");
		return EXIT_FOUND;
	}
	*rollback_of = u ? str(u, "rollback_of") : str(a, "id");
	if (plan_from_json(p, str(a, "plan"), "the journal's plan", false, e) <
	    0)
		return -1;
	return 1;
}

int apply_rollback_last(const apply_opts *o, error *e)
{
	apply_state st;
	plan p;
	json_t *all = NULL, *resume = NULL;
	const char *of = NULL;
	int ret = -1;
	plan_init(&p);
	memset(&st, 0, sizeof(st));
	exec_interrupt_clear();
	/* The plan comes from the journal: open the state once it is in. */
	apply_state probe;
	if (apply_state_open(&probe, o, &p, e) < 0) {
		apply_state_release(&probe);
		goto out_plan;
	}
	int lock = apply_take_lock(&probe, e);
	if (lock <= 0) {
		ret = lock < 0 ? -1 : EXIT_FOUND;
		apply_state_release(&probe);
		goto out_plan;
	}
	if (apply_journal_all(&probe, &all, e) < 0 ||
	    (ret = pick(all, &p, &of, &resume, e)) != 1) {
		apply_state_release(&probe);
		goto out_plan;
	}
	ret = -1;
	/* The lock's session moves to the state of the plan found. */
	if (apply_state_open(&st, o, &p, e) < 0) {
		apply_state_release(&probe);
		goto out;
	}
	st.jr = probe.jr;
	probe.jr = NULL;
	apply_state_release(&probe);
	st.rollback_run = true;
	if (resume) {
		if (apply_check_unfinished(&st, resume, e) <= 0)
			goto out;
		apply_event(&st, "resumed", NULL, "resuming the rollback");
	} else {
		char *fp = NULL;
		if (apply_new_id(st.id, e) < 0 ||
		    apply_live_model(&st, &st.before, &fp, e) < 0)
			goto out;
		bool at = p.target_fp && !strcmp(fp, p.target_fp);
		if (!at) {
			fprintf(stderr,
				"schemig: rollback: refused: the database is "
				"not at the target of plan %.12s (live %s, "
				"target %s): it changed since\n",
				p.id, fp, p.target_fp ? p.target_fp : "?");
			free(fp);
			ret = EXIT_FOUND;
			goto out;
		}
		free(fp);
		if (apply_journal_start(&st, of, e) < 0)
			goto out;
		apply_event(&st, "rollback_loaded",
			    json_pack("{s:s}", "rollback_of", of), NULL);
	}
	if (apply_open_exec(&st, e) < 0)
		goto out;
	ret = undo_all(&st);
out:
	apply_state_release(&st);
out_plan:
	json_decref(all);
	plan_release(&p);
	return ret;
}
