/* Renderings of a plan: the readable summary, the pull-request comment
 * (markdown) and the psql script (forward or rollback). */
#include "plan.h"

#include "../dialects/dialect.h"

#include <stdio.h>
#include <string.h>

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* Text that goes on one line (a comment, a list item): the one comment
 * escaper, so that it cannot end the line or the comment early. */
static void add_oneline(strbuf *out, const char *s)
{
	strbuf_add_comment(out, s);
}

static void add_hazards(strbuf *out, unsigned hazards)
{
	const char *sep = "";
	for (int i = 0; i < PLAN_HAZARD_COUNT; i++)
		if (hazards & (1u << i)) {
			strbuf_addf(out, "%s%s", sep, plan_hazard_name(i));
			sep = ", ";
		}
}

/* What a check asks, for a check the run did not describe itself. */
static void add_check_subject(strbuf *out, const plan_check *c)
{
	const char *kind = plan_check_kind_name(c->kind);
	strbuf_addf(out, "%s on %s%s%s", kind ? kind : "?",
		    c->schema ? c->schema : "", c->schema ? "." : "",
		    str_or(c->table, "?"));
	if (c->ncolumns) {
		strbuf_adds(out, " (");
		for (int i = 0; i < c->ncolumns; i++)
			strbuf_addf(out, "%s%s", i ? ", " : "", c->columns[i]);
		strbuf_addch(out, ')');
	}
}

/* "will fail" / "checked" / "not checked" and what the check said. */
static const char *check_status(const plan_check *c)
{
	if (!c->ran)
		return "not checked";
	return c->failing > 0 ? "will fail" : "checked";
}

/* The check's own message already starts with "will fail:", "ok:" or
 * "not checked:"; without one, the status and what was checked. */
static void add_check_line(strbuf *out, const plan_check *c)
{
	/* The subject holds raw names: the whole line goes through the
	 * escaper, whichever way it was made. */
	strbuf line = STRBUF_INIT;
	if (c->message && *c->message) {
		strbuf_adds(&line, c->message);
	} else {
		strbuf_addf(&line, "%s: ", check_status(c));
		add_check_subject(&line, c);
	}
	add_oneline(out, strbuf_str(&line));
	strbuf_release(&line);
	strbuf_addf(out, " (step %d)", c->step);
}

static int digits_of(int n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Was the step written by a model (anything but the engine)? Its kind,
 * object and note are then the model's words. */
static bool drafted(const plan_step *s)
{
	return s->drafted_by && strcmp(s->drafted_by, "engine");
}

/* The draft record, for people: who drafted, and the model's summary
 * and renames, or why its draft was not used. */
static void add_draft_text(strbuf *out, const plan_draft *d)
{
	strbuf_adds(out, "Drafted by ");
	add_oneline(out, str_or(d->by, "a model"));
	strbuf_adds(out, d->accepted ? ": proven and used\n"
				     : ": the model's draft was not used: ");
	if (!d->accepted) {
		add_oneline(out, str_or(d->reason, "no reason given"));
		strbuf_addch(out, '\n');
	}
	if (d->summary && *d->summary) {
		strbuf_adds(out, "  summary: ");
		add_oneline(out, d->summary);
		strbuf_addch(out, '\n');
	}
	for (int i = 0; i < d->nrenames; i++) {
		strbuf_adds(out, "  rename ");
		add_oneline(out, str_or(d->renames[i].from, "?"));
		strbuf_adds(out, " -> ");
		add_oneline(out, str_or(d->renames[i].to, "?"));
		strbuf_adds(out, ": ");
		add_oneline(out, str_or(d->renames[i].reason, ""));
		strbuf_addch(out, '\n');
	}
}

void plan_format_text(const plan *p, strbuf *out)
{
	strbuf_addf(out, "Plan %.12s: %d step%s (",
		    *p->id ? p->id : "(unfinished)", p->nsteps,
		    p->nsteps == 1 ? "" : "s");
	add_oneline(out, str_or(p->source, "?"));
	strbuf_adds(out, " -> ");
	add_oneline(out, str_or(p->target, "?"));
	strbuf_adds(out, ")\n");
	strbuf_addf(out, "Backwards compatible: %s\n",
		    p->compatible ? "YES" : "NO");
	for (int i = 0; i < p->nreasons; i++) {
		strbuf_adds(out, "  - ");
		add_oneline(out, p->reasons[i].reason);
		strbuf_addf(out, " (step %d)\n", p->reasons[i].step);
	}
	for (int i = 0; i < p->nchecks; i++) {
		strbuf_adds(out, "  ");
		add_check_line(out, &p->checks[i]);
		strbuf_addch(out, '\n');
	}
	if (p->draft)
		add_draft_text(out, p->draft);
	if (!p->nsteps) {
		strbuf_adds(out, "No changes.\n");
		return;
	}

	/* Columns aligned on the widest kind and object, so that a long
	 * plan reads as a table. */
	int wn = digits_of(p->nsteps), wk = 0, wo = 0;
	for (int i = 0; i < p->nsteps; i++) {
		int k = (int)strlen(str_or(p->steps[i].kind, "?"));
		int o = (int)strlen(str_or(p->steps[i].object, "-"));
		wk = k > wk ? k : wk;
		wo = o > wo ? o : wo;
	}
	strbuf_addch(out, '\n');
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		/* Kinds and objects hold names: one line each, always. */
		strbuf kind = STRBUF_INIT, obj = STRBUF_INIT;
		add_oneline(&kind, str_or(s->kind, "?"));
		add_oneline(&obj, str_or(s->object, "-"));
		strbuf_addf(out, "  %*d. %-*s  %-*s  [%s", wn, s->n, wk,
			    kind.buf, wo, obj.buf, str_or(s->lock, "none"));
		strbuf_release(&kind);
		strbuf_release(&obj);
		if (s->rewrites)
			strbuf_adds(out, ", rewrite");
		else if (s->scans)
			strbuf_adds(out, ", scan");
		if (s->est_rows >= 0) {
			strbuf_adds(out, ", ~");
			strbuf_add_count(out, s->est_rows);
			strbuf_adds(out, s->est_rows == 1 ? " row" : " rows");
		}
		if (s->est_lock_ms >= 0) {
			strbuf_adds(out, ", lock ~");
			strbuf_add_count(out, s->est_lock_ms);
			strbuf_adds(out, " ms");
		}
		if (s->batch_size > 0) {
			strbuf_adds(out, ", batches of ");
			strbuf_add_count(out, s->batch_size);
		}
		/* Outside a transaction, a guarded step is safe to run
		 * again: the executor asks the server first. */
		if (s->guard)
			strbuf_adds(out, ", guarded");
		strbuf_addch(out, ']');
		if (s->hazards) {
			strbuf_adds(out, " hazards: ");
			add_hazards(out, s->hazards);
		}
		if (drafted(s)) {
			/* A plan file may name anyone here: one line. */
			strbuf_adds(out, " (drafted by ");
			add_oneline(out, s->drafted_by);
			strbuf_addch(out, ')');
		}
		strbuf_addch(out, '\n');
		if (s->note && *s->note) {
			strbuf_addf(out, "  %*s  ", wn, "");
			add_oneline(out, s->note);
			strbuf_addch(out, '\n');
		}
	}
}

/* Markdown */

/* A table cell: "|" would end the cell and a newline the row. */
static void md_cell(strbuf *out, const char *s)
{
	strbuf_adds(out, " ");
	for (; s && *s; s++) {
		if (*s == '|')
			strbuf_adds(out, "\\|");
		else if (*s == '\n' || *s == '\r')
			strbuf_addch(out, ' ');
		else
			strbuf_addch(out, *s);
	}
	strbuf_adds(out, " |");
}

/* Inside <summary>, HTML is live. */
static void html_text(strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			strbuf_adds(out, "&lt;");
			break;
		case '>':
			strbuf_adds(out, "&gt;");
			break;
		case '&':
			strbuf_adds(out, "&amp;");
			break;
		case '\n':
			strbuf_addch(out, ' ');
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
}

/* A table cell of a model's words: the one Markdown escaper, which
 * also keeps "|" and newlines from ending the cell or the row. */
static void md_model_cell(strbuf *out, const char *s)
{
	strbuf_addch(out, ' ');
	strbuf_add_markdown(out, s);
	strbuf_adds(out, " |");
}

/*
 * A model's words inside <summary>: that line is an HTML block, where
 * Markdown escapes are not read, so the HTML escaper; and inside <code>,
 * where the platforms link no mention, issue reference or URL.
 */
static void html_model_code(strbuf *out, const char *s)
{
	strbuf_adds(out, "<code>");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		/* Any line ending (CR too) could end the HTML block, and
		 * what followed it would be read as Markdown. */
		if (c < 0x20 || c == 0x7f)
			strbuf_addch(out, ' ');
		else if (c == '<')
			strbuf_adds(out, "&lt;");
		else if (c == '>')
			strbuf_adds(out, "&gt;");
		else if (c == '&')
			strbuf_adds(out, "&amp;");
		else
			strbuf_addch(out, (char)c);
	}
	strbuf_adds(out, "</code>");
}

/*
 * The draft record (plan --llm): who drafted, whether its proven draft
 * was used or why not, the model's summary, the renames it recognised
 * and each step it wrote with its explanation. Every word of it is the
 * model's, and the model read the branch under review: all of it goes
 * through the Markdown escaper, as in the review report.
 */
static void md_draft(const plan *p, strbuf *out)
{
	const plan_draft *d = p->draft;
	strbuf_adds(out, "### Drafted by a model\n\n");
	strbuf_adds(out, "Drafted by ");
	strbuf_add_markdown(out, str_or(d->by, "a model"));
	if (d->accepted) {
		strbuf_adds(out, ": proven and used.\n\n");
	} else {
		strbuf_adds(out, ": the model's draft was not used: ");
		strbuf_add_markdown(out, str_or(d->reason, "no reason given"));
		strbuf_adds(out, ". The engine's plan stands.\n\n");
	}
	if (d->summary && *d->summary) {
		strbuf_adds(out, "The model's summary: ");
		strbuf_add_markdown(out, d->summary);
		strbuf_adds(out, "\n\n");
	}
	for (int i = 0; i < d->nrenames; i++) {
		strbuf_adds(out, "- rename ");
		strbuf_add_markdown(out, str_or(d->renames[i].from, "?"));
		strbuf_adds(out, " -> ");
		strbuf_add_markdown(out, str_or(d->renames[i].to, "?"));
		strbuf_adds(out, ": ");
		strbuf_add_markdown(out, str_or(d->renames[i].reason, ""));
		strbuf_addch(out, '\n');
	}
	bool any = d->nrenames > 0;
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		if (!drafted(s))
			continue;
		strbuf_addf(out, "- step %d drafted by ", s->n);
		strbuf_add_markdown(out, s->drafted_by);
		strbuf_adds(out, ": ");
		strbuf_add_markdown(out, str_or(s->note, "no explanation"));
		strbuf_addch(out, '\n');
		any = true;
	}
	if (any)
		strbuf_addch(out, '\n');
}

/* A fenced block whose fence is longer than any backtick run inside
 * the SQL, so that a ``` in a string or comment cannot close it. */
static void md_fence(strbuf *out, const char *sql)
{
	int longest = 0, run = 0;
	for (const char *c = sql; c && *c; c++) {
		run = *c == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	int n = longest >= 3 ? longest + 1 : 3;
	for (int i = 0; i < n; i++)
		strbuf_addch(out, '`');
	strbuf_adds(out, "sql\n");
	strbuf_adds(out, sql ? sql : "");
	if (sql && *sql && sql[strlen(sql) - 1] != '\n')
		strbuf_addch(out, '\n');
	for (int i = 0; i < n; i++)
		strbuf_addch(out, '`');
	strbuf_addch(out, '\n');
}

void plan_format_markdown(const plan *p, strbuf *out)
{
	strbuf_addf(out, "**Backwards compatible: %s**\n\n",
		    p->compatible ? "YES" : "NO");
	for (int i = 0; i < p->nreasons; i++) {
		strbuf_adds(out, "- ");
		add_oneline(out, p->reasons[i].reason);
		strbuf_addf(out, " (step %d)\n", p->reasons[i].step);
	}
	if (p->nreasons)
		strbuf_addch(out, '\n');
	if (p->nchecks) {
		strbuf_adds(out, "Data checks:\n\n");
		for (int i = 0; i < p->nchecks; i++) {
			const plan_check *c = &p->checks[i];
			bool bad = c->ran && c->failing > 0;
			strbuf_addf(out, "- %s", bad ? "**" : "");
			add_check_line(out, c);
			if (bad)
				strbuf_adds(out, "**");
			strbuf_addch(out, '\n');
		}
		strbuf_addch(out, '\n');
	}

	if (p->draft)
		md_draft(p, out);

	if (!p->nsteps) {
		strbuf_adds(out, "No changes.\n\n");
	} else {
		strbuf_adds(out, "| # | step | object | lock | rewrite/scan | "
				 "est. rows | est. lock | hazards |\n"
				 "|---:|---|---|---|---|---:|---:|---|\n");
	}
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		strbuf num = STRBUF_INIT;
		strbuf_addf(out, "| %d |", s->n);
		if (drafted(s)) {
			md_model_cell(out, s->kind);
			md_model_cell(out, s->object);
		} else {
			md_cell(out, s->kind);
			md_cell(out, s->object);
		}
		md_cell(out, str_or(s->lock, "none"));
		md_cell(out, s->rewrites ? "rewrite" : s->scans ? "scan" : "");
		if (s->est_rows >= 0)
			strbuf_add_count(&num, s->est_rows);
		md_cell(out, strbuf_str(&num));
		strbuf_reset(&num);
		if (s->est_lock_ms >= 0) {
			strbuf_add_count(&num, s->est_lock_ms);
			strbuf_adds(&num, " ms");
		}
		md_cell(out, strbuf_str(&num));
		strbuf_reset(&num);
		add_hazards(&num, s->hazards);
		md_cell(out, strbuf_str(&num));
		strbuf_release(&num);
		strbuf_addch(out, '\n');
	}
	if (p->nsteps)
		strbuf_addch(out, '\n');

	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		strbuf_addf(out, "<details><summary>Step %d: ", s->n);
		if (drafted(s)) {
			html_model_code(out, s->kind);
			strbuf_adds(out, " ");
			html_model_code(out, s->object);
		} else {
			html_text(out, s->kind);
			strbuf_adds(out, " ");
			html_text(out, s->object);
		}
		strbuf_adds(out, "</summary>\n\n");
		if (drafted(s)) {
			strbuf_adds(out, "Drafted by ");
			strbuf_add_markdown(out, s->drafted_by);
			strbuf_adds(out, ": ");
			strbuf_add_markdown(out,
					    str_or(s->note, "no explanation"));
			strbuf_adds(out, "\n\n");
		} else if (s->note && *s->note) {
			add_oneline(out, s->note);
			strbuf_adds(out, "\n\n");
		}
		strbuf_addf(out, "Forward%s:\n\n",
			    s->transactional ? "" : " (outside a transaction)");
		md_fence(out, s->forward);
		if (s->rollback) {
			strbuf_addf(out, "\nRollback%s:\n\n",
				    s->rollback_transactional
					? ""
					: " (outside a transaction)");
			md_fence(out, s->rollback);
		} else {
			strbuf_adds(out, "\nNo rollback: ");
			add_oneline(out, str_or(s->no_rollback, "none given"));
			strbuf_addch(out, '\n');
		}
		strbuf_adds(out, "\n</details>\n\n");
	}

	strbuf_addf(out, "Plan id: `%s`  \n", *p->id ? p->id : "(unfinished)");
	strbuf_adds(out, "Source: ");
	add_oneline(out, str_or(p->source, "?"));
	strbuf_addf(out, " (`%s`)  \n", str_or(p->source_fp, "no fingerprint"));
	strbuf_adds(out, "Target: ");
	add_oneline(out, str_or(p->target, "?"));
	strbuf_addf(out, " (`%s`)\n", str_or(p->target_fp, "no fingerprint"));
}

/* SQL script */

static void sql_body(strbuf *out, const char *sql)
{
	strbuf_adds(out, sql ? sql : "");
	if (sql && *sql && sql[strlen(sql) - 1] != '\n')
		strbuf_addch(out, '\n');
}

int plan_step_envelope(const plan *p, const plan_step *s, bool rollback,
		       dialect_envelope *out, error *e)
{
	const dialect *d = dialect_find(p->dialect);
	if (!d)
		d = dialect_find(NULL);
	return d->step_envelope(&p->settings, s, rollback, out, e);
}

void plan_format_envelope(const dialect_envelope *env,
			  const char *before_commit, strbuf *out)
{
	if (env->transaction)
		strbuf_addf(out, "%s;\n", env->begin);
	for (int i = 0; i < env->nbefore; i++)
		strbuf_addf(out, "%s;\n", env->before[i]);
	if (env->fence_end && env->body) {
		/* The body's own ";" would end it early in the client: it
		 * ends with the fence's terminator instead. */
		size_t n = strlen(env->body);
		while (n && strchr(" \t\r\n;", env->body[n - 1]))
			n--;
		strbuf_addf(out, "%s\n%.*s%s\n%s\n", env->fence_open, (int)n,
			    env->body, env->fence_end, env->fence_close);
	} else {
		sql_body(out, env->body);
	}
	for (int i = 0; i < env->nafter; i++)
		strbuf_addf(out, "%s;\n", env->after[i]);
	if (before_commit)
		strbuf_adds(out, before_commit);
	if (env->transaction)
		strbuf_addf(out, "%s;\n", env->commit);
}

void plan_format_finish(const dialect_envelope *env, strbuf *out)
{
	for (int i = 0; i < env->nfinish; i++)
		strbuf_addf(out, "%s;\n", env->finish[i]);
}

/* One step in its dialect's envelope. The statements a script runs at
 * its end are kept in *finish (static text of the dialect). */
static void sql_step(const plan *p, const plan_step *s, bool rollback,
		     dialect_envelope *finish, strbuf *out)
{
	dialect_envelope env;
	error e = ERROR_INIT;
	strbuf_addf(out, "\n-- step %d: ", s->n);
	add_oneline(out, s->kind);
	strbuf_addch(out, ' ');
	add_oneline(out, s->object);
	if (drafted(s)) {
		strbuf_adds(out, " (drafted by ");
		add_oneline(out, s->drafted_by);
		strbuf_addch(out, ')');
	}
	strbuf_addch(out, '\n');
	if (s->note && *s->note) {
		strbuf_adds(out, "-- ");
		add_oneline(out, s->note);
		strbuf_addch(out, '\n');
	}
	if (plan_step_envelope(p, s, rollback, &env, &e) < 0) {
		/* A step the dialect cannot run stays visible, as a
		 * comment, rather than silently dropped. */
		strbuf_adds(out, "-- cannot run: ");
		add_oneline(out, e.msg ? e.msg : "?");
		strbuf_addch(out, '\n');
	} else {
		plan_format_envelope(&env, NULL, out);
		if (env.nfinish) {
			finish->finish = env.finish;
			finish->nfinish = env.nfinish;
		}
	}
	dialect_envelope_release(&env);
	error_clear(&e);
}

void plan_format_sql(const plan *p, bool rollback, strbuf *out)
{
	strbuf_addf(out, "-- git schemig plan %s%s\n",
		    *p->id ? p->id : "(unfinished)",
		    rollback ? " (rollback, steps in reverse order)" : "");
	strbuf_adds(out, "-- source: ");
	add_oneline(out, str_or(p->source, "?"));
	if (p->source_fp)
		strbuf_addf(out, " (%s)", p->source_fp);
	strbuf_adds(out, "\n-- target: ");
	add_oneline(out, str_or(p->target, "?"));
	if (p->target_fp)
		strbuf_addf(out, " (%s)", p->target_fp);
	strbuf_addf(out, "\n-- Backwards compatible: %s\n",
		    p->compatible ? "YES" : "NO");
	for (int i = 0; i < p->nreasons; i++) {
		strbuf_adds(out, "--   - ");
		add_oneline(out, p->reasons[i].reason);
		strbuf_addf(out, " (step %d)\n", p->reasons[i].step);
	}
	for (int i = 0; i < p->nchecks; i++) {
		const plan_check *c = &p->checks[i];
		if (!c->ran || c->failing <= 0)
			continue;
		strbuf_adds(out, "-- ");
		add_check_line(out, c);
		strbuf_addch(out, '\n');
	}

	plan_format_sql_body(p, rollback, out);
}

void plan_format_sql_body(const plan *p, bool rollback, strbuf *out)
{
	dialect_envelope finish = {0};

	for (int k = 0; k < p->nsteps; k++) {
		const plan_step *s =
		    &p->steps[rollback ? p->nsteps - 1 - k : k];
		if (!rollback || s->rollback) {
			sql_step(p, s, rollback, &finish, out);
		} else {
			strbuf_addf(out, "\n-- step %d: no rollback: ", s->n);
			add_oneline(out, str_or(s->no_rollback, "none given"));
			strbuf_addch(out, '\n');
		}
	}
	if (finish.nfinish) {
		strbuf_addch(out, '\n');
		plan_format_finish(&finish, out);
	}
}
