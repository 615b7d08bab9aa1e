/*
 * git schemig ci pr: what the GitHub Action and the GitLab template run on
 * a pull request: plan from the environment's database to the schema
 * file, check that the committed migrations are the ones that schema
 * implies, dry-run the plan on the environment's replica (when it has
 * one), report, and post the report on the pull request.
 * (`ci merge` comes with the apply stage and is not listed until then.)
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emitters/emit.h"
#include "../exec/dryrun.h"
#include "../plan/plan.h"
#include "../report/report.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char ci_usage[] =
    "git schemig ci pr [--env <name>] [--from <source>] [--to <source>]\n"
    "                        [--post github|gitlab] [--pr <number>]\n"
    "                        [--report-out <file>] [--fail-on-breaking]";

typedef struct ci_opts {
	const char *env, *from, *to, *post, *pr, *report_out;
	bool fail_on_breaking;
} ci_opts;

/* Does the file at `path` hold `needle`? */
static bool file_has(const char *path, const char *needle)
{
	strbuf sb = STRBUF_INIT;
	bool has = strbuf_read_file(&sb, path) == 0 && sb.buf &&
		   strstr(sb.buf, needle);
	strbuf_release(&sb);
	return has;
}

/*
 * The committed migrations match the schema file when one of them was
 * generated from this source to this target: its header carries both
 * fingerprints (the plan id also covers settings, which may differ).
 */
static bool migrations_committed(const cmd_ctx *ctx, const plan *p,
				 char **which)
{
	strbuf dir = STRBUF_INIT, versions = STRBUF_INIT;
	strbuf_addf(&dir, "%s/%s", ctx->root, ctx->cfg->migrations_dir);
	strbuf_addf(&versions, "%s/versions", dir.buf);
	char *path = NULL;
	bool ok = false;
	if (emit_find_plan(dir.buf, p->target_fp, &path) ||
	    emit_find_plan(versions.buf, p->target_fp, &path))
		ok = file_has(path, p->source_fp);
	*which = path;
	strbuf_release(&dir);
	strbuf_release(&versions);
	return ok;
}

static int write_text(const char *path, const strbuf *sb, error *e)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(sb->buf ? sb->buf : "", 1, sb->len, f) != sb->len ||
	    fclose(f) != 0)
		return error_set(e, EXIT_USAGE, "%s: %s", path,
				 strerror(errno));
	return 0;
}

static int ci_pr(cmd_ctx *ctx, const ci_opts *o, error *e)
{
	const char *from = o->from;
	char *to = o->to ? xstrdup(o->to) : NULL, *dev_url = NULL,
	     *which = NULL;
	plan p;
	strbuf md = STRBUF_INIT;
	int ret = -1;
	plan_init(&p);
	if (cmd_ctx_load_config(ctx, e) < 0)
		goto out;
	const dialect *d = cmd_pick_dialect(ctx->cfg->dialect, e);
	if (!d)
		goto out;
	if (!from && cmd_default_from(ctx->cfg, o->env, &from, e) < 0)
		goto out;
	if (!to)
		to = cmd_default_to(ctx);
	if (cmd_dev_url(ctx, NULL, &dev_url, e) < 0)
		goto out;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	char *shown = o->env ? xstrdup(o->env) : source_spec_redact(d, from);
	fprintf(stderr, "ci pr: planning %s -> %s\n", shown, ctx->cfg->schema);
	free(shown);
	if (cmd_plan_make(&sc, from, to, NULL, &p, e) < 0)
		goto out;

	bool stale = p.nsteps > 0 && !migrations_committed(ctx, &p, &which);
	const config_env *env =
	    o->env ? config_find_env(ctx->cfg, o->env)
		   : (ctx->cfg->nenvs == 1 ? &ctx->cfg->envs[0] : NULL);
	/* The dry run needs a copy holding data: the replica. Running the
	 * plan on the primary is apply's business, never a check's. */
	json_t *dry = NULL;
	bool dry_failed = false;
	char *replica = NULL, *replica_shown = NULL;
	if (env && env->replica && p.nsteps) {
		if (source_resolve_url(env->replica, &replica, e) < 0)
			goto out;
		replica_shown = source_spec_redact(d, env->replica);
		dryrun_opts dopts = {
		    .sc = &sc,
		    .url = replica,
		    .on = replica_shown,
		    .to = to,
		    .progress = false,
		};
		fprintf(stderr, "ci pr: dry run on %s's replica\n", env->name);
		if (dryrun_run(&p, &dopts, &dry, e) < 0) {
			free(replica);
			free(replica_shown);
			goto out;
		}
		dry_failed = !json_is_true(json_object_get(dry, "ok"));
	}
	free(replica);
	free(replica_shown);
	report_input in = {
	    .plan = &p,
	    .dry_run = dry,
	    .policy = env && env->has_policy ? &env->policy : NULL,
	    .env = env ? env->name : NULL,
	};
	report_render_markdown(&in, &md);
	json_decref(dry);
	if (!dry && p.nsteps)
		strbuf_addf(&md, "\nDry run: not run (no `replica` configured "
				 "for this environment).\n");
	if (stale)
		strbuf_addf(&md,
			    "\n**Migrations: not committed.** No file under "
			    "`%s/` was generated for this change; run `git "
			    "schemig generate%s%s` and commit what it writes, "
			    "so that reviewers see the migration in the "
			    "diff.\n",
			    ctx->cfg->migrations_dir, env ? " --env " : "",
			    env ? env->name : "");
	else if (p.nsteps)
		strbuf_addf(&md, "\nMigrations: committed (`%s`).\n",
			    which ? which + strlen(ctx->root) + 1 : "?");
	fwrite(md.buf ? md.buf : "", 1, md.len, stdout);
	if (o->report_out && write_text(o->report_out, &md, e) < 0)
		goto out;

	report_post_opts po = {.pr = o->pr};
	if (o->post)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	if (o->post && !strcmp(o->post, "github") &&
	    report_post_github(md.buf, &po, e) < 0)
		goto out;
	if (o->post && !strcmp(o->post, "gitlab") &&
	    report_post_gitlab(md.buf, &po, e) < 0)
		goto out;

	ret = EXIT_OK;
	if (stale) {
		fprintf(stderr, "ci pr: the committed migrations do not match "
				"the schema file\n");
		ret = EXIT_FOUND;
	}
	if (dry_failed) {
		fprintf(stderr, "ci pr: the dry run failed\n");
		ret = EXIT_FOUND;
	}
	if (o->fail_on_breaking && (!p.compatible || p.will_fail)) {
		fprintf(stderr, "ci pr: the plan is not backwards compatible "
				"or a data check fails\n");
		ret = EXIT_FOUND;
	}
out:
	if (o->post)
		curl_global_cleanup();
	plan_release(&p);
	strbuf_release(&md);
	free(to);
	free(dev_url);
	free(which);
	return ret;
}

int cmd_ci(cmd_ctx *ctx, int argc, const char **argv)
{
	ci_opts o = {0};
	const cmd_option opts[] = {
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "environment whose database is the source (and whose "
		       "policy the report checks)"),
	    OPT_STRING(0, "from", &o.from, "<source>",
		       "the current schema (default: the environment's url)"),
	    OPT_STRING(0, "to", &o.to, "<source>",
		       "the desired schema (default: the schema file)"),
	    OPT_STRING(0, "post", &o.post, "<where>",
		       "post the report: github or gitlab"),
	    OPT_STRING(0, "pr", &o.pr, "<number>",
		       "the pull or merge request (default: from CI)"),
	    OPT_STRING(0, "report-out", &o.report_out, "<file>",
		       "also write the markdown report there"),
	    OPT_BOOL(0, "fail-on-breaking", &o.fail_on_breaking,
		     "exit 1 when the plan is not backwards compatible"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, ci_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc != 1 || strcmp(argv[0], "pr")) {
		fprintf(stderr, "error: %s\n",
			argc && !strcmp(argv[0], "merge")
			    ? "'ci merge' arrives with the apply stage"
			    : "expected 'ci pr'");
		cmd_usage(ci_usage, opts, true);
		return EXIT_USAGE;
	}
	if (o.post && strcmp(o.post, "github") && strcmp(o.post, "gitlab")) {
		fprintf(stderr, "error: --post: use github or gitlab\n");
		return EXIT_USAGE;
	}
	error e = ERROR_INIT;
	int code = ci_pr(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
