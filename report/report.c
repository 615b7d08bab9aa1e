/*
 * Rendering of a report: the plan's steps with the dry run's
 * measurements beside them, compared with the environment's policy.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../exec/dryrun.h"
#include "../source/source.h"
#include "../util/xalloc.h"

/* The dry run's entry for step n, or NULL. */
static const json_t *dry_step(const json_t *dry, int n)
{
	const json_t *steps = dry ? json_object_get(dry, "steps") : NULL;
	size_t i;
	const json_t *s;
	json_array_foreach(steps, i, s)
	{
		if (json_integer_value(json_object_get(s, "n")) == n)
			return s;
	}
	return NULL;
}

/* A number of the dry run's step, or -1 when absent or null. */
static double dry_num(const json_t *s, const char *key)
{
	const json_t *v = s ? json_object_get(s, key) : NULL;
	return json_is_number(v) ? json_number_value(v) : -1;
}

int report_check_dry_run(const json_t *dry, const char *filename, error *e)
{
	static const char *nums[] = {"wall_ms", "lock_held_ms", "rows"};
	if (!json_is_object(dry))
		return error_set(e, EXIT_USAGE, "%s: expected a JSON object",
				 filename);
	if (!json_is_integer(json_object_get(dry, "format")) ||
	    json_integer_value(json_object_get(dry, "format")) != 1)
		return error_set(e, EXIT_USAGE,
				 "%s: format: expected 1 (a dry-run report)",
				 filename);
	if (!json_is_string(json_object_get(dry, "plan_id")))
		return error_set(e, EXIT_USAGE,
				 "%s: plan_id: expected a string", filename);
	if (!json_is_boolean(json_object_get(dry, "ok")))
		return error_set(e, EXIT_USAGE, "%s: ok: expected a boolean",
				 filename);
	const json_t *steps = json_object_get(dry, "steps");
	if (!json_is_array(steps))
		return error_set(e, EXIT_USAGE, "%s: steps: expected an array",
				 filename);
	size_t i;
	const json_t *s;
	json_array_foreach(steps, i, s)
	{
		if (!json_is_integer(json_object_get(s, "n")))
			return error_set(
			    e, EXIT_USAGE,
			    "%s: steps[%zu].n: expected an integer", filename,
			    i);
		for (size_t k = 0; k < sizeof(nums) / sizeof(*nums); k++) {
			const json_t *v = json_object_get(s, nums[k]);
			if (v && !json_is_number(v) && !json_is_null(v))
				return error_set(e, EXIT_USAGE,
						 "%s: steps[%zu].%s: expected "
						 "a number",
						 filename, i, nums[k]);
		}
	}
	return 0;
}

static bool denied(const config_policy *pol, const char *name)
{
	for (int i = 0; pol && name && i < pol->ndeny; i++)
		if (!strcmp(pol->deny[i], name))
			return true;
	return false;
}

/* Why step s falls outside the policy, appended to `why` ("; "
 * separated); returns whether it does. The measured lock time counts
 * when there is one, the estimate otherwise. */
static bool step_violations(const report_input *in, const plan_step *s,
			    strbuf *why)
{
	const config_policy *pol = in->policy;
	size_t start = why->len;
	if (!pol)
		return false;
	const json_t *d = dry_step(in->dry_run, s->n);
	double lock = dry_num(d, "lock_held_ms");
	if (lock < 0)
		lock = (double)s->est_lock_ms;
	const char *sep = "";
	if (pol->max_lock_ms >= 0 && lock > (double)pol->max_lock_ms) {
		strbuf_addf(why, "lock %.0f ms > max_lock_ms %lld", lock,
			    pol->max_lock_ms);
		sep = "; ";
	}
	/* max_rows bounds the rows a step reads or writes: only scans,
	 * rewrites, index builds and backfills go through the table. */
	unsigned touches =
	    HZ_TABLE_SCAN | HZ_TABLE_REWRITE | HZ_INDEX_BUILD | HZ_BACKFILL;
	if (pol->max_rows >= 0 && (s->hazards & touches) &&
	    s->est_rows > pol->max_rows) {
		strbuf_addf(why, "%s%lld rows > max_rows %lld", sep,
			    s->est_rows, pol->max_rows);
		sep = "; ";
	}
	if (denied(pol, s->kind)) {
		strbuf_addf(why, "%s%s denied", sep, s->kind);
		sep = "; ";
	}
	for (int h = 0; h < PLAN_HAZARD_COUNT; h++)
		if ((s->hazards & (1u << h)) &&
		    denied(pol, plan_hazard_name(h))) {
			strbuf_addf(why, "%s%s denied", sep,
				    plan_hazard_name(h));
			sep = "; ";
		}
	return why->len > start;
}

/*
 * Text from the plan (object names, reasons, messages) comes from the
 * branch under review: it goes through the one Markdown escaper
 * (strbuf_add_markdown), so that it cannot open a link, an image, raw
 * HTML, an entity, emphasis, code or a mention, or split a table cell.
 */
static void md_text(strbuf *out, const char *s)
{
	strbuf_add_markdown(out, s);
}

/* A table cell: one line of escaped text. */
static void md_cell(strbuf *out, const char *s)
{
	strbuf_addch(out, ' ');
	md_text(out, s);
	strbuf_adds(out, " |");
}

/* `decimals` 0 for the plan's whole estimates, 1 for measurements. */
static void md_num_cell(strbuf *out, double v, int decimals)
{
	char buf[64];
	if (v < 0)
		snprintf(buf, sizeof(buf), "?");
	else
		snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	md_cell(out, buf);
}

/* A fence longer than any backtick run in `text`, so SQL holding
 * backticks cannot close it early. */
static void md_fenced(strbuf *out, const char *lang, const char *text)
{
	size_t run = 0, longest = 0;
	for (const char *c = text; *c; c++) {
		run = *c == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t n = longest < 3 ? 3 : longest + 1;
	for (size_t i = 0; i < n; i++)
		strbuf_addch(out, '`');
	strbuf_addf(out, "%s\n%s", lang, text);
	if (!*text || text[strlen(text) - 1] != '\n')
		strbuf_addch(out, '\n');
	for (size_t i = 0; i < n; i++)
		strbuf_addch(out, '`');
	strbuf_adds(out, "\n\n");
}

static bool policy_exceeded(const report_input *in)
{
	strbuf why = STRBUF_INIT;
	bool bad = false;
	for (int i = 0; i < in->plan->nsteps; i++)
		bad |= step_violations(in, &in->plan->steps[i], &why);
	strbuf_release(&why);
	return bad;
}

/* The first thing a reviewer reads: the worst of dry run, data checks,
 * policy and compatibility. */
static const char *verdict(const report_input *in)
{
	const plan *p = in->plan;
	const json_t *d = in->dry_run;
	if (d && !json_is_true(json_object_get(d, "ok")))
		return "BLOCKED: the dry run failed";
	if (p->will_fail)
		return "BLOCKED: a data check found rows the migration rejects";
	if (policy_exceeded(in))
		return "BLOCKED: exceeds the environment's policy";
	if (!p->compatible)
		return "CAUTION: not backwards compatible with the deployed "
		       "code";
	return "SAFE: backwards compatible";
}

/* The dry run's error, first line only: the rest of a server message
 * (DETAIL) may quote row values, which a report never shows. */
static void add_first_line(strbuf *out, const char *s)
{
	const char *nl = s ? strchr(s, '\n') : NULL;
	char *line = nl ? xstrndup(s, (size_t)(nl - s)) : NULL;
	md_text(out, line ? line : s);
	free(line);
}

static void md_policy(const report_input *in, strbuf *out)
{
	strbuf why = STRBUF_INIT;
	if (!in->policy) {
		strbuf_adds(out, "Policy: none (no --env with a policy)\n\n");
		return;
	}
	for (int i = 0; i < in->plan->nsteps; i++) {
		size_t before = why.len;
		if (before)
			strbuf_adds(&why, "; ");
		strbuf_addf(&why, "step %d: ", in->plan->steps[i].n);
		if (!step_violations(in, &in->plan->steps[i], &why))
			strbuf_setlen(&why, before);
	}
	strbuf_addf(out, "Policy (%s): ", in->env ? in->env : "?");
	if (why.len)
		strbuf_addf(out, "**exceeds**: %s\n\n", why.buf);
	else
		strbuf_adds(out, "within limits\n\n");
	if (in->policy->approvals > 0)
		strbuf_addf(out, "Approvals required: %d\n\n",
			    in->policy->approvals);
	strbuf_release(&why);
}

/* Where the dry run ran, as the report may show it: the dry-run file is
 * input like any other, and a URL in it goes through the dialect's
 * redactor again (it is idempotent). */
static char *dry_run_on(const plan *p, const json_t *d)
{
	const char *on = json_string_value(json_object_get(d, "on"));
	const dialect *dl = dialect_find(p->dialect);
	if (!dl) /* a plan of a dialect this build does not know */
		dl = dialect_find(NULL);
	return on ? source_spec_redact(dl, on) : xstrdup("?");
}

static void md_dry_run(const plan *p, const json_t *d, strbuf *out)
{
	const json_t *proof = json_object_get(d, "proof");
	char *on = dry_run_on(p, d);
	strbuf_addf(out, "Dry run on %s", on);
	dryrun_replica_phrase(d, out);
	strbuf_addf(out, " at %s: %s",
		    json_string_value(json_object_get(d, "started_at"))
			? json_string_value(json_object_get(d, "started_at"))
			: "?",
		    json_is_true(json_object_get(d, "ok")) ? "ok" : "FAILED");
	free(on);
	if (json_is_string(json_object_get(d, "error"))) {
		strbuf_adds(out, " (");
		add_first_line(out,
			       json_string_value(json_object_get(d, "error")));
		strbuf_addch(out, ')');
	}
	strbuf_adds(out, "\n\n");
	if (json_is_object(proof))
		strbuf_addf(
		    out,
		    "- forward leaves no difference with the target: %s\n"
		    "- rollback leaves no difference with the source: %s\n\n",
		    json_is_true(json_object_get(proof, "forward_empty"))
			? "yes"
			: "**no**",
		    json_is_true(json_object_get(proof, "rollback_empty"))
			? "yes"
			: "**no**");
}

/*
 * What a model drafted (plan --llm and friends): its summary, the steps
 * it wrote with their explanations, the renames it recognised, or why
 * its draft was not used. All of it is model output, and the model read
 * the branch under review: every word goes through md_text.
 */
static void md_draft(const plan *p, strbuf *out)
{
	const plan_draft *d = p->draft;
	strbuf_adds(out, "### Drafted by a model\n\n");
	if (!d->accepted) {
		strbuf_adds(out, "The model's draft was not used: ");
		add_first_line(out, d->reason ? d->reason : "no reason given");
		strbuf_adds(out, ". The engine's plan stands (");
		md_text(out, d->by ? d->by : "?");
		strbuf_adds(out, ").\n\n");
		return;
	}
	strbuf_adds(out, "Drafted by ");
	md_text(out, d->by ? d->by : "?");
	strbuf_adds(out, ", proven on a throwaway copy (the target reached, "
			 "the rollback back to the source).\n\n");
	if (d->summary && *d->summary) {
		strbuf_adds(out, "The model's summary: ");
		md_text(out, d->summary);
		strbuf_adds(out, "\n\n");
	}
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		if (!s->drafted_by || !strcmp(s->drafted_by, "engine"))
			continue;
		strbuf_addf(out, "- step %d (", s->n);
		md_text(out, s->drafted_by);
		strbuf_adds(out, "): ");
		md_text(out, s->note ? s->note : "");
		strbuf_addch(out, '\n');
	}
	for (int i = 0; i < d->nrenames; i++) {
		strbuf_adds(out, "- rename recognised: ");
		md_text(out, d->renames[i].from);
		strbuf_adds(out, " -> ");
		md_text(out, d->renames[i].to);
		strbuf_adds(out, ": ");
		md_text(out, d->renames[i].reason);
		strbuf_addch(out, '\n');
	}
	strbuf_addch(out, '\n');
}

void report_render_markdown(const report_input *in, strbuf *out)
{
	const plan *p = in->plan;
	strbuf why = STRBUF_INIT, sql = STRBUF_INIT;

	strbuf_addf(out, "%s\n## git schemig: migration report\n\n",
		    REPORT_MARKER);
	strbuf_addf(out, "**%s**\n\n", verdict(in));
	for (int i = 0; i < p->nreasons; i++) {
		strbuf_adds(out, "- ");
		add_first_line(out, p->reasons[i].reason);
		strbuf_addf(out, " (step %d)\n", p->reasons[i].step);
	}
	if (p->nreasons)
		strbuf_addch(out, '\n');
	md_policy(in, out);
	if (in->dry_run)
		md_dry_run(p, in->dry_run, out);

	if (!p->nsteps)
		strbuf_adds(out, "No changes.\n\n");
	else
		strbuf_adds(out,
			    "| # | step | object | lock | rows | est. lock "
			    "ms | lock held ms | wall ms | projected ms "
			    "| policy |\n"
			    "|---:|---|---|---|---:|---:|---:|---:|---:|"
			    "---|\n");
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		const json_t *d = dry_step(in->dry_run, s->n);
		strbuf_addf(out, "| %d |", s->n);
		md_cell(out, s->kind);
		md_cell(out, s->object);
		md_cell(out, s->lock);
		md_num_cell(out, (double)s->est_rows, 0);
		md_num_cell(out, (double)s->est_lock_ms, 0);
		md_num_cell(out, dry_num(d, "lock_held_ms"), 1);
		md_num_cell(out, dry_num(d, "wall_ms"), 1);
		md_num_cell(out, dry_num(d, "projected_ms"), 1);
		strbuf_reset(&why);
		if (!in->policy)
			md_cell(out, "");
		else if (step_violations(in, s, &why))
			md_cell(out, why.buf);
		else
			md_cell(out, "ok");
		strbuf_addch(out, '\n');
	}
	if (p->nsteps)
		strbuf_addch(out, '\n');

	bool any = false;
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		if (!s->hazards)
			continue;
		if (!any)
			strbuf_adds(out, "### Hazards\n\n");
		any = true;
		strbuf_addf(out, "- step %d:", s->n);
		for (int h = 0; h < PLAN_HAZARD_COUNT; h++)
			if (s->hazards & (1u << h))
				strbuf_addf(
				    out, " `%s`%s", plan_hazard_name(h),
				    denied(in->policy, plan_hazard_name(h))
					? " (denied)"
					: "");
		strbuf_addch(out, '\n');
	}
	if (any)
		strbuf_addch(out, '\n');
	if (p->draft)
		md_draft(p, out);

	if (p->nsteps) {
		strbuf_adds(out, "### Rollback\n\n");
		if (in->no_rollback_sql) {
			strbuf_adds(out, "Too long for a comment: "
					 "`git schemig plan --plan FILE "
					 "--format sql --rollback` prints "
					 "it.\n\n");
		} else {
			plan_format_sql_body(p, true, &sql);
			md_fenced(out, "sql", sql.buf ? sql.buf : "");
		}
	}
	strbuf_addf(out, "Plan `%s`  \nsource `%s`  \ntarget `%s`\n", p->id,
		    p->source_fp ? p->source_fp : "?",
		    p->target_fp ? p->target_fp : "?");
	strbuf_release(&why);
	strbuf_release(&sql);
}

void report_render_comment(const report_input *in, const char *tail,
			   strbuf *out)
{
	static const char note[] =
	    "\n_This report was trimmed to fit a comment; `git schemig "
	    "plan` shows every step._\n";
	size_t tlen = tail ? strlen(tail) : 0, start = out->len;
	report_render_markdown(in, out);
	if (out->len - start + tlen > REPORT_MAX_COMMENT) {
		report_input lean = *in;
		lean.no_rollback_sql = true;
		strbuf_setlen(out, start);
		report_render_markdown(&lean, out);
	}
	if (out->len - start + tlen > REPORT_MAX_COMMENT) {
		/* Cut at a line so that no row or UTF-8 sequence is split;
		 * the blank line before the note ends an open table. */
		size_t fixed = tlen + sizeof(note) - 1;
		size_t room =
		    fixed < REPORT_MAX_COMMENT ? REPORT_MAX_COMMENT - fixed : 0;
		size_t cut = start + room;
		while (cut > start && out->buf[cut - 1] != '\n')
			cut--;
		strbuf_setlen(out, cut);
		strbuf_adds(out, note);
	}
	if (tail)
		strbuf_adds(out, tail);
}

static json_t *num_or_null(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static json_t *json_step(const report_input *in, const plan_step *s)
{
	const json_t *d = dry_step(in->dry_run, s->n);
	json_t *hz = json_array();
	strbuf why = STRBUF_INIT;
	for (int h = 0; h < PLAN_HAZARD_COUNT; h++)
		if (s->hazards & (1u << h))
			json_array_append_new(hz,
					      json_string(plan_hazard_name(h)));
	bool bad = step_violations(in, s, &why);
	json_t *o = json_pack(
	    "{s:i,s:s?,s:s?,s:s?,s:s?,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:s?}",
	    "n", s->n, "kind", s->kind, "object", s->object, "table", s->table,
	    "lock", s->lock, "est_rows", (json_int_t)s->est_rows, "est_lock_ms",
	    (json_int_t)s->est_lock_ms, "hazards", hz, "lock_held_ms",
	    num_or_null(dry_num(d, "lock_held_ms")), "wall_ms",
	    num_or_null(dry_num(d, "wall_ms")), "projected_ms",
	    num_or_null(dry_num(d, "projected_ms")), "rows_measured",
	    num_or_null(dry_num(d, "rows")), "within_policy", !bad,
	    "policy_violations", bad ? why.buf : NULL);
	strbuf_release(&why);
	/* Who wrote the step, and the model's explanation of it. */
	json_object_set_new(o, "drafted_by",
			    s->drafted_by ? json_string(s->drafted_by)
					  : json_null());
	json_object_set_new(o, "note",
			    s->note ? json_string(s->note) : json_null());
	return o;
}

/* The draft record as the report's JSON has it; null without one. */
static json_t *json_draft(const plan_draft *d)
{
	if (!d)
		return json_null();
	json_t *renames = json_array();
	for (int i = 0; i < d->nrenames; i++)
		json_array_append_new(renames,
				      json_pack("{s:s?,s:s?,s:s?}", "from",
						d->renames[i].from, "to",
						d->renames[i].to, "reason",
						d->renames[i].reason));
	return json_pack("{s:s?,s:b,s:s?,s:s?,s:o}", "by", d->by, "accepted",
			 d->accepted, "summary", d->summary, "reason",
			 d->reason, "renames", renames);
}

int report_render_json(const report_input *in, strbuf *out, error *e)
{
	const plan *p = in->plan;
	json_t *steps = json_array(), *reasons = json_array();
	bool within = true;
	for (int i = 0; i < p->nsteps; i++) {
		json_t *s = json_step(in, &p->steps[i]);
		within &= json_is_true(json_object_get(s, "within_policy"));
		json_array_append_new(steps, s);
	}
	for (int i = 0; i < p->nreasons; i++)
		json_array_append_new(reasons,
				      json_pack("{s:i,s:s?,s:s?}", "step",
						p->reasons[i].step, "object",
						p->reasons[i].object, "reason",
						p->reasons[i].reason));
	const json_t *d = in->dry_run;
	json_t *pol = json_null();
	if (in->policy) {
		json_t *deny = json_array();
		for (int i = 0; i < in->policy->ndeny; i++)
			json_array_append_new(deny,
					      json_string(in->policy->deny[i]));
		pol = json_pack("{s:I,s:I,s:i,s:o}", "max_lock_ms",
				(json_int_t)in->policy->max_lock_ms, "max_rows",
				(json_int_t)in->policy->max_rows, "approvals",
				in->policy->approvals, "deny", deny);
	}
	json_t *root = json_pack(
	    "{s:i,s:s,s:s?,s:s?,s:s,s:b,s:b,s:o,s:o,s:s?,s:o,s:o,s:o}",
	    "format", 1, "plan_id", p->id, "source_fp", p->source_fp,
	    "target_fp", p->target_fp, "verdict", verdict(in), "compatible",
	    p->compatible, "will_fail", p->will_fail, "reasons", reasons,
	    "steps", steps, "env", in->env, "within_policy",
	    in->policy ? json_boolean(within) : json_null(), "dry_run_ok",
	    d ? json_boolean(json_is_true(json_object_get(d, "ok")))
	      : json_null(),
	    "policy", pol);
	if (!root)
		return error_set(e, EXIT_USAGE, "report: cannot build JSON");
	json_object_set_new(root, "draft", json_draft(p->draft));
	char *text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) |
					  JSON_REAL_PRECISION(10));
	json_decref(root);
	if (!text)
		return error_set(e, EXIT_USAGE, "report: cannot write JSON");
	strbuf_adds(out, text);
	strbuf_addch(out, '\n');
	free(text);
	return 0;
}
