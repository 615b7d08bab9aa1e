/*
 * git schemig ci pr: what the GitHub Action and the GitLab template run on
 * a pull request: plan from the environment's database to the schema
 * file, check that the committed migrations are the ones that schema
 * implies, dry-run the plan on the environment's replica (when it has
 * one), report, and post the report on the pull request.
 * `ci merge` (cmd/ci_merge.c) is what runs after the merge: apply.
 */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../emitters/emit.h"
#include "../exec/dryrun.h"
#include "../plan/plan.h"
#include "../replica/replica.h"
#include "../report/report.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char ci_usage[] =
    "git schemig ci pr [--env <name>] [--from <source>] [--to <source>]\n"
    "                        [--post github|gitlab] [--pr <number>]\n"
    "                        [--report-out <file>] [--fail-on-breaking]\n"
    "                        [--llm [--no-cache]]\n"
    "git schemig ci merge [--env <name>] [--post github|gitlab] [--pr "
    "<number>]\n"
    "                        [--wait <seconds>] [--llm]";

typedef struct ci_opts {
	const char *env, *from, *to, *post, *pr, *report_out;
	bool fail_on_breaking, llm, no_cache;
} ci_opts;

/*
 * Is `path` inside the repository? A symbolic link (or the migrations
 * directory itself) pointing elsewhere could make the check read any
 * file of the runner: such a path is ignored, with a warning.
 */
static bool inside_repo(const char *root_real, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(root_real);
	bool in = real && !strncmp(real, root_real, n) &&
		  (real[n] == '/' || real[n] == '\0');
	if (!in)
		warn("ci pr: %s leads out of the repository: ignored", path);
	free(real);
	return in;
}

/* Read a regular file of the repository (following a symbolic link
 * only within it); -1 when it is missing, not regular or outside. */
static int read_repo_file(const char *root_real, const char *path, strbuf *out)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISLNK(st.st_mode) &&
	    (!inside_repo(root_real, path) || stat(path, &st) < 0))
		return -1;
	if (!S_ISREG(st.st_mode))
		return -1;
	return strbuf_read_file(out, path);
}

/*
 * Render the migration of `p` as `generate` wrote it, under the name and
 * at the time its header `h` says, and compare every file with what
 * `dir` holds. Returns true when all are equal; otherwise *why says
 * which differs.
 */
static bool same_as_generated(const cmd_ctx *ctx, const char *root_real,
			      const char *dir, const plan *p,
			      const emit_header_info *h, strbuf *why)
{
	const emitter *em = emitter_find(ctx->cfg->migrations_format);
	emit_set files;
	error e = ERROR_INIT;
	strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	bool same = false;
	emit_set_init(&files);
	emit_ctx ec = {
	    .plan = p,
	    .dir = dir,
	    .root = ctx->root,
	    .name = h->name,
	    .now = h->when,
	    .regenerate = p->id,
	};
	if (!em || !h->name || em->generate(&ec, &files, &e) < 0) {
		strbuf_addf(why, "cannot render it again: %s",
			    e.msg ? e.msg : "no name and time in its header");
		goto out;
	}
	for (int i = 0; i < files.nfiles; i++) {
		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_addf(&path, "%s/%s", dir, files.files[i].path);
		if (read_repo_file(root_real, path.buf, &text) < 0 ||
		    strcmp(strbuf_str(&text), files.files[i].content)) {
			strbuf_addf(why,
				    "`%s/%s` is not what `git schemig "
				    "generate` writes for this plan",
				    ctx->cfg->migrations_dir,
				    files.files[i].path);
			goto out;
		}
	}
	same = files.nfiles > 0;
out:
	error_clear(&e);
	emit_set_release(&files);
	strbuf_release(&path);
	strbuf_release(&text);
	return same;
}

/*
 * The committed migrations match the schema file when the migrations
 * directory (or its versions/) holds a file whose header names this
 * plan's id, and every file `generate` renders for the plan, under that
 * header's name and time, is committed byte for byte. A file that only
 * quotes the fingerprints, or names the plan above other SQL, is not
 * it. The branch under review wrote all of this: nothing outside the
 * repository is read. *which gets the file; *why what is wrong.
 */
static bool migrations_committed(const cmd_ctx *ctx, const plan *p,
				 char **which, strbuf *why)
{
	strbuf dir = STRBUF_INIT, sub = STRBUF_INIT, text = STRBUF_INIT,
	       path = STRBUF_INIT;
	char *root_real = realpath(ctx->root, NULL);
	bool ok = false;
	strbuf_addf(&dir, "%s/%s", ctx->root, ctx->cfg->migrations_dir);
	if (!root_real || access(dir.buf, F_OK) ||
	    !inside_repo(root_real, dir.buf))
		goto out;
	for (int pass = 0; pass < 2 && !ok; pass++) {
		strbuf_reset(&sub);
		strbuf_addf(&sub, pass ? "%s/versions" : "%s", dir.buf);
		DIR *d = opendir(sub.buf);
		struct dirent *de;
		while (d && !ok && (de = readdir(d))) {
			emit_header_info h = {0};
			if (de->d_name[0] == '.')
				continue;
			strbuf_reset(&path);
			strbuf_reset(&text);
			strbuf_addf(&path, "%s/%s", sub.buf, de->d_name);
			if (read_repo_file(root_real, path.buf, &text) == 0 &&
			    text.buf && emit_read_header(text.buf, &h) == 0 &&
			    !strcmp(h.plan_id, p->id)) {
				strbuf_reset(why);
				ok = same_as_generated(ctx, root_real, dir.buf,
						       p, &h, why);
				free(*which);
				*which = xstrdup(path.buf);
			}
			emit_header_info_release(&h);
		}
		if (d)
			closedir(d);
	}
out:
	free(root_real);
	strbuf_release(&dir);
	strbuf_release(&sub);
	strbuf_release(&text);
	strbuf_release(&path);
	return ok;
}

/* `from` when it names a database (env:NAME or a URL), else NULL. */
static const char *live_source(const char *from)
{
	enum source_kind kind;
	error ignore = ERROR_INIT;
	bool live = strcmp(from, "dev") &&
		    source_kind_of(from, &kind, &ignore) == 0 &&
		    kind == SOURCE_LIVE;
	error_clear(&ignore);
	return live ? from : NULL;
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

/* The dry run itself, on `url` (shown as `shown`). */
static int ci_dry_run_on(cmd_ctx *ctx, const source_ctx *sc, const plan *p,
			 const char *url, const char *shown, const char *from,
			 const char *to, json_t **dry, error *e)
{
	/* The branch under review wrote where the replica is: the guard in
	 * dryrun_run refuses it when it is any environment's database or
	 * the plan's source, by server identity. */
	dryrun_opts dopts = {
	    .sc = sc,
	    .url = url,
	    .on = shown,
	    .to = to,
	    .progress = false,
	    .cfg = ctx->cfg,
	    .source_url = live_source(from),
	};
	return dryrun_run(p, &dopts, dry, e);
}

/*
 * `replica: schemig`: copy the environment's database (masked, sampled
 * as configured) into dev or the configured database, dry-run there, and
 * drop the copy unless `keep`. A job that cannot read the environment's
 * database says so below the report and runs no dry run.
 */
static int ci_provisioned_dry_run(cmd_ctx *ctx, const dialect *d,
				  const source_ctx *sc, const config_env *env,
				  const plan *p, const char *from,
				  const char *to, json_t **dry, strbuf *note,
				  error *e)
{
	const char *into = env->replica_into ? env->replica_into : "dev";
	char *src = NULL, *shown = NULL;
	replica_copy *copy = NULL;
	json_t *summary = NULL;
	error ignore = ERROR_INIT;
	int ret = -1;

	if (source_resolve_url(env->url, &src, &ignore) < 0) {
		strbuf_addf(note,
			    "\nDry run: not run (this job cannot read %s's "
			    "database to make its replica: %s).\n",
			    env->name, ignore.msg);
		error_clear(&ignore);
		return 0;
	}
	free(src);
	fprintf(stderr, "ci pr: making %s's replica (%d %%) in %s\n", env->name,
		env->replica_sample ? env->replica_sample : 100, into);
	if (cmd_replica_make(ctx, sc, env, into,
			     env->replica_sample ? env->replica_sample : 100,
			     true, &copy, &summary, e) < 0)
		goto out;
	strbuf_addf(
	    note,
	    "\nReplica: made by schemig from %s's database, %lld rows, "
	    "%zu columns masked, %zu warnings.\n",
	    env->name,
	    (long long)json_integer_value(json_object_get(summary, "rows")),
	    json_array_size(json_object_get(summary, "masked")),
	    json_array_size(json_object_get(summary, "warnings")));
	shown =
	    strcmp(into, "dev") ? source_spec_redact(d, into) : xstrdup("dev");
	fprintf(stderr, "ci pr: dry run on %s's replica\n", env->name);
	ret = ci_dry_run_on(ctx, sc, p, replica_copy_url(copy), shown, from, to,
			    dry, e);
	/* A kept copy keeps the report too, where apply's gate looks. */
	if (!ret && env->replica_keep && strcmp(into, "dev") &&
	    json_is_true(json_object_get(*dry, "ok")) &&
	    dryrun_record(d, replica_copy_url(copy), *dry, &ignore) < 0) {
		fprintf(stderr,
			"ci pr: the report was not kept in the replica's "
			"journal: %s\n",
			ignore.msg);
		error_clear(&ignore);
	}
	if (!env->replica_keep && strcmp(into, "dev") && d->replica_drop) {
		if (d->replica_drop(replica_copy_url(copy), &ignore) < 0)
			fprintf(stderr,
				"ci pr: the replica was not dropped: %s\n",
				ignore.msg);
		error_clear(&ignore);
	}
out:
	replica_copy_release(copy);
	json_decref(summary);
	free(shown);
	return ret;
}

/*
 * The dry run of `ci pr`: on the environment's replica, the copy that
 * holds data. Running the plan on the primary is apply's business, never
 * a check's. *dry stays NULL when there is no replica or nothing to run.
 */
static int ci_dry_run(cmd_ctx *ctx, const dialect *d, const source_ctx *sc,
		      const config_env *env, const plan *p, const char *from,
		      const char *to, json_t **dry, strbuf *note, error *e)
{
	char *replica = NULL, *replica_shown = NULL;
	int ret = 0;
	*dry = NULL;
	if (!env || !p->nsteps)
		return 0;
	if (env->replica_provision)
		return ci_provisioned_dry_run(ctx, d, sc, env, p, from, to, dry,
					      note, e);
	if (!env->replica)
		return 0;
	if (source_resolve_url(env->replica, &replica, e) < 0)
		return -1;
	replica_shown = source_spec_redact(d, env->replica);
	fprintf(stderr, "ci pr: dry run on %s's replica\n", env->name);
	ret =
	    ci_dry_run_on(ctx, sc, p, replica, replica_shown, from, to, dry, e);
	free(replica);
	free(replica_shown);
	return ret;
}

/* What ci pr adds below the report: the dry run's absence and whether
 * the migrations are committed. */
static void ci_tail(const cmd_ctx *ctx, const plan *p, const config_env *env,
		    bool ran_dry, bool stale, const char *which,
		    const strbuf *why, strbuf *tail)
{
	if (!ran_dry && p->nsteps && !(env && env->replica_provision))
		strbuf_addf(tail, "\nDry run: not run (no `replica` configured "
				  "for this environment).\n");
	if (stale)
		strbuf_addf(tail,
			    "\n**Migrations: not committed.** %s%s%s; run "
			    "`git schemig generate%s%s` and commit what it "
			    "writes, so that reviewers see the migration in "
			    "the diff.\n",
			    why->len
				? "The migration for this change differs "
				  "from the plan (delete its files first): "
				: "No file under `",
			    why->len ? why->buf : ctx->cfg->migrations_dir,
			    why->len ? "" : "/` was generated for this change",
			    env ? " --env " : "", env ? env->name : "");
	else if (p->nsteps)
		strbuf_addf(tail, "\nMigrations: committed (`%s`).\n",
			    which ? which + strlen(ctx->root) + 1 : "?");
}

/* The comment, within the API's limit as `report --post` makes it: to a
 * file and to the pull or merge request. */
static int ci_publish(const ci_opts *o, const strbuf *md, error *e)
{
	report_post_opts po = {.pr = o->pr};
	if (o->report_out && write_text(o->report_out, md, e) < 0)
		return -1;
	if (!o->post)
		return 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int ret = 0;
	if (!strcmp(o->post, "github"))
		ret = report_post_github(md->buf, &po, e);
	else if (!strcmp(o->post, "gitlab"))
		ret = report_post_gitlab(md->buf, &po, e);
	curl_global_cleanup();
	return ret;
}

/* EXIT_FOUND, with the reason on stderr, when the pull request needs
 * work; EXIT_OK otherwise. */
static int ci_verdict(const ci_opts *o, const plan *p, bool stale,
		      bool dry_failed)
{
	int ret = EXIT_OK;
	if (stale) {
		fprintf(stderr, "ci pr: the committed migrations do not match "
				"the schema file\n");
		ret = EXIT_FOUND;
	}
	if (dry_failed) {
		fprintf(stderr, "ci pr: the dry run failed\n");
		ret = EXIT_FOUND;
	}
	if (o->fail_on_breaking && (!p->compatible || p->will_fail)) {
		fprintf(stderr, "ci pr: the plan is not backwards compatible "
				"or a data check fails\n");
		ret = EXIT_FOUND;
	}
	return ret;
}

static int ci_pr(cmd_ctx *ctx, const ci_opts *o, error *e)
{
	const char *from = o->from;
	char *to = o->to ? xstrdup(o->to) : NULL, *dev_url = NULL,
	     *which = NULL;
	plan p;
	strbuf md = STRBUF_INIT, why = STRBUF_INIT, tail = STRBUF_INIT;
	json_t *dry = NULL;
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
	cmd_llm l = {.llm = o->llm,
		     .no_cache = o->no_cache,
		     .env = o->env,
		     .what = "ci pr --llm"};
	if (cmd_plan_make_drafted(ctx, &sc, from, to, NULL, &l, &p, e) < 0)
		goto out;

	bool stale =
	    p.nsteps > 0 && !migrations_committed(ctx, &p, &which, &why);
	const config_env *env =
	    o->env ? config_find_env(ctx->cfg, o->env)
		   : (ctx->cfg->nenvs == 1 ? &ctx->cfg->envs[0] : NULL);
	if (ci_dry_run(ctx, d, &sc, env, &p, from, to, &dry, &tail, e) < 0)
		goto out;
	bool dry_failed = dry && !json_is_true(json_object_get(dry, "ok"));
	report_input in = {
	    .plan = &p,
	    .dry_run = dry,
	    .policy = env && env->has_policy ? &env->policy : NULL,
	    .env = env ? env->name : NULL,
	};
	ci_tail(ctx, &p, env, dry != NULL, stale, which, &why, &tail);
	report_render_markdown(&in, &md);
	strbuf_adds(&md, strbuf_str(&tail));
	fwrite(md.buf ? md.buf : "", 1, md.len, stdout);
	strbuf_reset(&md);
	report_render_comment(&in, strbuf_str(&tail), &md);
	if (ci_publish(o, &md, e) < 0)
		goto out;
	ret = ci_verdict(o, &p, stale, dry_failed);
out:
	json_decref(dry);
	plan_release(&p);
	strbuf_release(&md);
	strbuf_release(&tail);
	free(to);
	free(dev_url);
	free(which);
	strbuf_release(&why);
	return ret;
}

int cmd_ci(cmd_ctx *ctx, int argc, const char **argv)
{
	ci_opts o = {0};
	const char *wait = NULL;
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
	    OPT_STRING(0, "wait", &wait, "<seconds>",
		       "ci merge: wait for another apply this long"),
	    OPT_BOOL(0, "llm", &o.llm,
		     "ci pr: let the configured model draft the plan; only a "
		     "draft proven on a throwaway copy is used; ci merge: "
		     "its advice on an escalation (never run)"),
	    OPT_BOOL(0, "no-cache", &o.no_cache,
		     "with --llm: ask the model again, not its cached answer"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, ci_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	bool merge = argc == 1 && !strcmp(argv[0], "merge");
	if (argc != 1 || (strcmp(argv[0], "pr") && !merge)) {
		fprintf(stderr, "error: expected 'ci pr' or 'ci merge'\n");
		cmd_usage(ci_usage, opts, true);
		return EXIT_USAGE;
	}
	if (o.post && strcmp(o.post, "github") && strcmp(o.post, "gitlab")) {
		fprintf(stderr, "error: --post: use github or gitlab\n");
		return EXIT_USAGE;
	}
	if (merge && (o.from || o.to || o.report_out || o.fail_on_breaking ||
		      o.no_cache)) {
		fprintf(stderr, "error: ci merge takes --env, --post, --pr, "
				"--wait and --llm only\n");
		return EXIT_USAGE;
	}
	if (o.no_cache && !o.llm) {
		fprintf(stderr, "error: --no-cache goes with --llm\n");
		return EXIT_USAGE;
	}
	if (!merge && wait) {
		fprintf(stderr, "error: --wait is for ci merge\n");
		return EXIT_USAGE;
	}
	error e = ERROR_INIT;
	ci_merge_opts mo = {.env = o.env,
			    .post = o.post,
			    .pr = o.pr,
			    .wait = wait,
			    .llm = o.llm};
	int code = merge ? cmd_ci_merge(ctx, &mo, &e) : ci_pr(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
