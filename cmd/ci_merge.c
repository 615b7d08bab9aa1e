/*
 * git schemig ci merge: what a merge-to-main job runs. Apply the schema
 * file's change on the environment's database (cmd_apply_run: it must be
 * the committed, reviewed one), then post the outcome on the merged pull
 * request, in the comment `ci pr` wrote, when asked to and a token is
 * there, keeping the plan that comment named for the reviews'
 * approvals (exec/apply_approvals.c).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../exec/apply.h"
#include "../plan/plan.h"
#include "../report/report.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char *outcome_title(int code)
{
	switch (code) {
	case EXIT_OK:
		return "applied";
	case EXIT_FOUND:
		return "NOT applied (refused, or failed and rolled back to the "
		       "source)";
	case EXIT_DB:
		return "ESCALATED: the database is neither at the source nor "
		       "at the target";
	default:
		return "NOT applied (error)";
	}
}

/* The comment: the outcome and the journal's record of the apply above
 * the plan that ran, and, hidden, the plan the pull request's report
 * named before (`reviewed`, or NULL): its reviews approved that one
 * only, and a later apply must not take the plan that ran, now in the
 * comment, for it (report_comment_names_plan). */
static void render(const cmd_ctx *ctx, const ci_merge_opts *o, const plan *p,
		   int code, const char *why, const char *reviewed, strbuf *md)
{
	const config_env *env =
	    o->env ? config_find_env(ctx->cfg, o->env)
		   : (ctx->cfg->nenvs == 1 ? &ctx->cfg->envs[0] : NULL);
	report_input in = {.plan = p, .env = env ? env->name : NULL};
	strbuf body = STRBUF_INIT;
	report_render_comment(&in, "", &body);
	/* The marker line comes first, so the comment is the same one. */
	const char *nl = strchr(strbuf_str(&body), '\n');
	size_t head = nl ? (size_t)(nl - body.buf) + 1 : 0;
	strbuf_add(md, body.buf, head);
	if (reviewed)
		strbuf_addf(md, REPORT_REVIEWED "%s -->\n", reviewed);
	strbuf_addf(md, REPORT_MERGED "%s on `%s`\n\n", outcome_title(code),
		    env ? env->name : "the database");
	if (why)
		strbuf_addf(md, "Error: %s\n\n", why);
	if (o->journal && o->journal->len)
		strbuf_addf(md, "```\n%s```\n\n", o->journal->buf);
	strbuf_adds(md, body.buf + head);
	strbuf_release(&body);
}

/* The journal's record of the newest apply, as text. */
static void newest_apply(cmd_ctx *ctx, const char *env_name, strbuf *out)
{
	const char *spec;
	char *url = NULL;
	json_t *h = NULL;
	error e = ERROR_INIT;
	const dialect *d = cmd_pick_dialect(ctx->cfg->dialect, &e);
	if (d && cmd_default_from(ctx->cfg, env_name, &spec, &e) == 0 &&
	    source_resolve_url(spec, &url, &e) == 0 &&
	    apply_history(d, url, &h, &e) == 0 && json_array_size(h)) {
		json_t *one = json_array();
		json_array_append(one, json_array_get(h, 0));
		apply_format_history(one, out);
		json_decref(one);
	}
	error_clear(&e);
	json_decref(h);
	free(url);
}

int cmd_ci_merge(cmd_ctx *ctx, const ci_merge_opts *o, error *e)
{
	cmd_apply_opts ao;
	plan p;
	strbuf md = STRBUF_INIT, journal = STRBUF_INIT;
	plan_init(&p);
	cmd_apply_opts_init(&ao);
	ao.env = o->env;
	ao.pr = o->pr;
	ao.llm = o->llm;
	if (o->wait)
		ao.wait = o->wait;
	int code = cmd_apply_run(ctx, &ao, &p, e);
	const char *token =
	    o->post ? getenv(strcmp(o->post, "github") ? "GITLAB_TOKEN"
						       : "GITHUB_TOKEN")
		    : NULL;
	if (o->post && ctx->cfg && (!token || !*token)) {
		fprintf(stderr, "ci merge: no token: the outcome is not "
				"posted\n");
	} else if (o->post && ctx->cfg) {
		ci_merge_opts with = *o;
		char *reviewed = NULL;
		error pe = ERROR_INIT;
		newest_apply(ctx, o->env, &journal);
		with.journal = &journal;
		/* Read before the comment is replaced; without it the
		 * comment carries no plan for approvals, which is safe. */
		if (report_reviewed_plan(o->post, o->pr, &reviewed, &pe) < 0)
			fprintf(stderr,
				"ci merge: the reviewed plan is not known: "
				"%s\n",
				pe.msg);
		error_clear(&pe);
		render(ctx, &with, &p, code < 0 ? -1 : code,
		       code < 0 ? e->msg : NULL, reviewed, &md);
		free(reviewed);
		report_post_opts po = {.pr = o->pr};
		curl_global_init(CURL_GLOBAL_DEFAULT);
		int r = !strcmp(o->post, "github")
			    ? report_post_github(md.buf, &po, &pe)
			    : report_post_gitlab(md.buf, &po, &pe);
		curl_global_cleanup();
		if (r < 0)
			fprintf(stderr,
				"ci merge: the outcome was not posted: "
				"%s\n",
				pe.msg);
		error_clear(&pe);
	}
	plan_release(&p);
	strbuf_release(&md);
	strbuf_release(&journal);
	return code;
}
