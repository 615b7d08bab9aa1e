/*
 * git schemig apply, history and rollback: a plan executed for good on
 * an environment's database (exec/apply.h), the journal read back, and
 * the last applied plan undone.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../emitters/emit.h"
#include "../exec/apply.h"
#include "../exec/dryrun.h"
#include "../git/gitsrc.h"
#include "../llm/llm.h"
#include "../plan/plan.h"
#include "../report/report.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char apply_usage[] =
    "git schemig apply --env <name> [--plan <file>] [--wait <seconds>]\n"
    "                  [--dry-run <file>] [--llm]\n"
    "\n"
    "Without --plan, plans from the environment's database to the schema\n"
    "file and runs that plan only when a committed migration holds the\n"
    "same change (the one `ci pr` checked). Running it again after an\n"
    "interruption resumes the unfinished apply.";

static const char history_usage[] =
    "git schemig history --env <name> [--format text|json]";

static const char promote_usage[] =
    "git schemig promote --from <env> --to <env> [--wait <seconds>]\n"
    "\n"
    "Applies on --to the change the schema file needs, only when --from's\n"
    "journal holds a successful apply of the same change (equal\n"
    "fingerprints and statements; row estimates do not count).";

static const char approve_usage[] =
    "git schemig approve --env <name> --plan <id> [--comment <text>]\n"
    "\n"
    "Records, in the environment's journal, your approval of a plan that\n"
    "leaves the policy's limits. You are the database role you log in as\n"
    "(the environment's url: point its variable at your own login); in\n"
    "GitHub Actions, GITHUB_ACTOR once the job's token confirms it.";

static const char rollback_usage[] =
    "git schemig rollback --env <name> [--wait <seconds>] [--llm]\n"
    "\n"
    "Runs the recorded rollback of the last applied plan, journalled,\n"
    "and proves the database is back at that plan's source.";

static void on_signal(int sig)
{
	(void)sig;
	apply_interrupt();
}

static const char *first_env(const char *const *names)
{
	for (; *names; names++) {
		const char *v = getenv(*names);
		if (v && *v)
			return v;
	}
	return NULL;
}

/* A committed migration's header, read back. */
typedef struct committed {
	char *path; /* relative to the migrations directory */
	emit_header_info h;
} committed;

static void committed_free(committed *c, int n)
{
	for (int i = 0; i < n; i++) {
		free(c[i].path);
		emit_header_info_release(&c[i].h);
	}
	free(c);
}

/* Every file of the migrations directory (and versions/) whose header
 * names a plan, sorted by name. */
static committed *list_committed(const char *dir, int *n)
{
	committed *out = NULL;
	int cap = 0;
	*n = 0;
	for (int pass = 0; pass < 2; pass++) {
		strbuf sub = STRBUF_INIT, path = STRBUF_INIT,
		       text = STRBUF_INIT;
		strbuf_addf(&sub, pass ? "%s/versions" : "%s", dir);
		struct dirent **ents = NULL;
		int k = scandir(sub.buf, &ents, NULL, alphasort);
		for (int i = 0; i < k; i++) {
			emit_header_info h = {0};
			strbuf_reset(&path);
			strbuf_reset(&text);
			strbuf_addf(&path, "%s/%s", sub.buf, ents[i]->d_name);
			struct stat st;
			/* Regular files only: a symbolic link could point
			 * out of the repository. */
			if (ents[i]->d_name[0] != '.' &&
			    lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
			    strbuf_read_file(&text, path.buf) == 0 &&
			    text.buf && emit_read_header(text.buf, &h) == 0) {
				if (*n == cap)
					out = xrealloc(
					    out,
					    (size_t)(cap = cap ? 2 * cap : 8) *
						sizeof(*out));
				strbuf rel = STRBUF_INIT;
				strbuf_addf(&rel, "%s%s",
					    pass ? "versions/" : "",
					    ents[i]->d_name);
				out[*n].path = strbuf_detach(&rel);
				out[(*n)++].h = h;
			} else {
				emit_header_info_release(&h);
			}
			free(ents[i]);
		}
		free(ents);
		strbuf_release(&sub);
		strbuf_release(&path);
		strbuf_release(&text);
	}
	return out;
}

/* What the framework records, bound for apply. */
typedef struct record_arg {
	const emitter *em;
	const char *dir;
	char **files;
	int nfiles;
} record_arg;

static int record_framework(void *arg, const dialect *d, long long ms,
			    strbuf *sql, error *e)
{
	record_arg *r = arg;
	return r->em->record_applied(r->dir, (const char *const *)r->files,
				     r->nfiles, d, ms, sql, e);
}

/*
 * Is the change of `p` committed? Its files are kept in `ra` (for the
 * framework's history). Otherwise say what was reviewed and what would
 * run.
 */
static bool reviewed(const cmd_ctx *ctx, const plan *p, const char *dir,
		     record_arg *ra, bool must)
{
	char change[65];
	error e = ERROR_INIT;
	if (plan_change_id(p, change, &e) < 0 ||
	    (!ra->nfiles && emit_files_of_change(dir, change, &ra->files,
						 &ra->nfiles, &e) < 0)) {
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
		return false;
	}
	int n = 0;
	committed *all = ra->nfiles || !must ? NULL : list_committed(dir, &n);
	if (!ra->nfiles && must) {
		fprintf(stderr,
			"schemig: apply: refused: no committed migration holds "
			"the change this database needs.\n  would run: change "
			"%.12s, plan %.12s, %d step%s, %s -> %s\n",
			change, p->id, p->nsteps, p->nsteps == 1 ? "" : "s",
			p->source_fp ? p->source_fp : "?",
			p->target_fp ? p->target_fp : "?");
		if (!n)
			fprintf(stderr,
				"  reviewed: nothing (no migration "
				"generated by git schemig is "
				"committed in %s)\n",
				ctx->cfg->migrations_dir);
		for (int i = 0; i < n; i++)
			fprintf(stderr,
				"  reviewed: %s/%s: change %.12s, plan %.12s\n",
				ctx->cfg->migrations_dir, all[i].path,
				all[i].h.change_id ? all[i].h.change_id : "?",
				all[i].h.plan_id);
		fprintf(stderr,
			"  (the database may have changed since the review, "
			"or the migration was not regenerated: run `git "
			"schemig generate` and commit it)\n");
	}
	committed_free(all, n);
	return ra->nfiles > 0;
}

/*
 * A dry run's report of `p` (dry-run --format json), from `what`: its
 * measured figures stand in for the plan's estimates at the policy's
 * gate, so it must be this plan's, not one made before the database or
 * the schema file changed. Stolen: *out or freed.
 */
static int check_dry_run(json_t *j, const char *what, const plan *p,
			 json_t **out, error *e)
{
	*out = NULL;
	if (report_check_dry_run(j, what, e) < 0) {
		json_decref(j);
		return -1;
	}
	const char *id = json_string_value(json_object_get(j, "plan_id"));
	if (strcmp(id, p->id)) {
		error_set(e, EXIT_USAGE,
			  "%s is the dry run of plan %.12s, not of the plan to "
			  "apply (%.12s); dry-run this plan (git schemig plan, "
			  "then dry-run --plan) and pass that report",
			  what, id, p->id);
		json_decref(j);
		return -1;
	}
	*out = j;
	return 0;
}

static int load_dry_run(const char *path, const plan *p, json_t **out, error *e)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	*out = NULL;
	if (!j)
		return error_set(e, EXIT_USAGE, "--dry-run: %s:%d:%d: %s", path,
				 je.line, je.column, je.text);
	if (check_dry_run(j, path, p, out, e) < 0) {
		error_prefix(e, "--dry-run");
		return -1;
	}
	return 0;
}

/*
 * Without --dry-run, the report the environment's replica keeps for this
 * plan (dry-run --on the replica records it), when there is one. Anyone
 * who can write that copy could write its journal too: its figures only
 * ever raise the plan's estimates (apply_opts.dry_run_raises_only).
 * A replica that cannot be read is said and passed over.
 */
static int replica_dry_run(const config_env *env, const dialect *d,
			   const plan *p, json_t **out, error *e)
{
	char *url = NULL;
	json_t *j = NULL;
	error re = ERROR_INIT;
	*out = NULL;
	/* A copy schemig keeps (`replica: {provision: schemig, into: URL,
	 * keep: true}`) is read like one someone else keeps. */
	const char *spec =
	    !env	   ? NULL
	    : env->replica ? env->replica
	    : env->replica_into && strcmp(env->replica_into, "dev")
		? env->replica_into
		: NULL;
	if (!spec)
		return 0;
	int r = source_resolve_url(spec, &url, &re);
	if (r == 0)
		r = dryrun_recorded(d, url, p->id, &j, &re);
	free(url);
	if (r < 0) {
		fprintf(stderr,
			"schemig: apply: the dry run kept by the replica (%s) "
			"cannot be read: %s; the plan's estimates stand\n",
			spec, re.msg);
		error_clear(&re);
		return 0;
	}
	if (r == 0)
		return 0;
	strbuf what = STRBUF_INIT;
	strbuf_addf(&what, "the dry run in %s's journal", spec);
	r = check_dry_run(j, what.buf, p, out, e);
	strbuf_release(&what);
	return r < 0 ? -1 : 1;
}

void cmd_apply_opts_init(cmd_apply_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->wait = "0";
}

/*
 * Approvals from the platform: only inside its CI (GITHUB_ACTIONS,
 * GITLAB_CI), whose environment says where the API is and holds the
 * token; the pull request is --pr, else the one the CI names. Nothing
 * of .schemig.yml or the plan chooses where to ask.
 */
static void bind_platform(const cmd_apply_opts *o, apply_opts *ao, char pr[32])
{
	const char *gh = getenv("GITHUB_ACTIONS");
	const char *gl = getenv("GITLAB_CI");
	const char *iid = getenv("CI_MERGE_REQUEST_IID");
	pr[0] = '\0';
	if (gh && !strcmp(gh, "true")) {
		ao->approvals_platform = "github";
		if (o->pr)
			snprintf(pr, 32, "%s", o->pr);
		else
			report_github_event_pr(pr);
	} else if (gl && !strcmp(gl, "true")) {
		ao->approvals_platform = "gitlab";
		snprintf(pr, 32, "%s", o->pr ? o->pr : iid ? iid : "");
	}
	ao->approvals_pr = *pr ? pr : NULL;
}

/* The environment apply runs on: --env, or the only one there is. */
static const config_env *bound_env(const cmd_ctx *ctx, const cmd_apply_opts *o)
{
	return o->env ? config_find_env(ctx->cfg, o->env)
		      : (ctx->cfg->nenvs == 1 ? &ctx->cfg->envs[0] : NULL);
}

/* Fill `ao` from the configuration and the CI's environment. */
static int bind_opts(cmd_ctx *ctx, const cmd_apply_opts *o, apply_opts *ao,
		     const source_ctx *sc, char **url, char **webhook,
		     char **audit, char **admin, char *commit, char pr[32],
		     error *e)
{
	const char *spec;
	char *end;
	apply_opts_init(ao);
	if (cmd_default_from(ctx->cfg, o->env, &spec, e) < 0 ||
	    source_resolve_url(spec, url, e) < 0)
		return -1;
	ao->wait_s = (int)strtol(o->wait, &end, 10);
	if (*end || ao->wait_s < 0)
		return error_set(e, EXIT_USAGE,
				 "--wait: expected seconds, got '%s'", o->wait);
	if (o->retries) {
		ao->max_retries = (int)strtol(o->retries, &end, 10);
		if (*end || ao->max_retries < 0 || ao->max_retries > 100)
			return error_set(e, EXIT_USAGE,
					 "--retries: expected 0 to 100, got "
					 "'%s'",
					 o->retries);
	}
	/* audit.webhook is env:NAME (config.c): a variable that is not set
	 * only means no escalation is posted, which must not stop an
	 * apply. */
	if (ctx->cfg->audit_webhook) {
		const char *v = getenv(ctx->cfg->audit_webhook + 4);
		if (v && *v)
			*webhook = xstrdup(v);
		else
			fprintf(stderr,
				"schemig: audit.webhook: %s is not set: "
				"escalations are not posted\n",
				ctx->cfg->audit_webhook + 4);
	}
	*audit = ctx->cfg->audit_file ? xstrdup(ctx->cfg->audit_file)
				      : xstrdup(".schemig/audit.jsonl");
	static const char *const commits[] = {"GITHUB_SHA", "CI_COMMIT_SHA",
					      NULL};
	static const char *const actors[] = {"GITHUB_ACTOR",
					     "GITLAB_USER_LOGIN", "USER", NULL};
	static const char *const prs[] = {"CI_MERGE_REQUEST_IID", NULL};
	const char *c = first_env(commits);
	error ig = ERROR_INIT;
	if (c)
		snprintf(commit, 41, "%s", c);
	else if (ctx->in_repo && gitsrc_head(ctx->root, commit, &ig) < 0)
		commit[0] = '\0';
	error_clear(&ig);
	ao->sc = sc;
	ao->url = *url;
	const config_env *env = bound_env(ctx, o);
	ao->policy = env && env->has_policy ? &env->policy : NULL;
	/* With a credential block the steps run as a one-shot login, or
	 * not at all: a missing admin URL is an error, not a fallback. */
	if (env && env->cred_admin_url) {
		if (source_resolve_url(env->cred_admin_url, admin, e) < 0) {
			error_prefix(e, "environments.%s.credential.admin_url",
				     env->name);
			return -1;
		}
		ao->cred_admin_url = *admin;
		ao->cred_ttl_minutes = env->cred_ttl_minutes;
	}
	ao->cfg = ctx->cfg;
	ao->promote_from = o->promote_from;
	ao->env = o->env
		      ? o->env
		      : (ctx->cfg->nenvs == 1 ? ctx->cfg->envs[0].name : NULL);
	ao->commit = *commit ? commit : NULL;
	ao->actor = o->actor ? o->actor : first_env(actors);
	ao->pull_request = o->pr ? o->pr : first_env(prs);
	ao->audit_file = *audit;
	ao->webhook = *webhook;
	ao->progress = isatty(2);
	bind_platform(o, ao, pr);
	return 0;
}

/*
 * --llm, or llm.enabled: the configured model is asked for advice if
 * the apply escalates (exec/apply_advice.c). Without either, nothing is
 * sent to any model. `lo` is the caller's, released by it.
 */
static int bind_llm(const cmd_ctx *ctx, const cmd_apply_opts *o, llm_opts *lo,
		    apply_opts *ao, error *e)
{
	if (!o->llm && !ctx->cfg->llm_enabled)
		return 0;
	if (llm_opts_from_config(ctx->cfg, lo, e) < 0)
		return -1;
	ao->llm = lo;
	return 0;
}

int cmd_apply_run(cmd_ctx *ctx, const cmd_apply_opts *o, plan *p, error *e)
{
	char *url = NULL, *admin = NULL, *webhook = NULL, *audit = NULL,
	     *to = NULL, *dev_url = NULL, commit[41] = "", pr[32];
	record_arg ra = {0};
	strbuf dir = STRBUF_INIT;
	apply_opts ao;
	llm_opts lo = {0};
	json_t *dry = NULL;
	int ret = -1;
	const dialect *d;
	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, e)) ||
	    cmd_dev_url(ctx, NULL, &dev_url, e) < 0)
		goto out;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	sc.normalise = true;
	to = cmd_default_to(ctx);
	if (bind_opts(ctx, o, &ao, &sc, &url, &webhook, &audit, &admin, commit,
		      pr, e) < 0 ||
	    bind_llm(ctx, o, &lo, &ao, e) < 0)
		goto out;
	ao.to = to;
	strbuf_addf(&dir, "%s/%s", ctx->root, ctx->cfg->migrations_dir);
	ra.em = emitter_find(ctx->cfg->migrations_format);
	ra.dir = dir.buf;

	int r = 0;
	if (o->plan) {
		if (cmd_read_plan(o->plan, d, p, e) < 0)
			goto out;
	} else if ((r = apply_unfinished(&ao, p, e)) < 0) {
		goto out;
	} else if (r == 1) {
		fprintf(stderr,
			"schemig: apply: resuming the unfinished "
			"apply of plan %.12s\n",
			p->id);
	} else {
		const char *spec;
		if (cmd_default_from(ctx->cfg, o->env, &spec, e) < 0 ||
		    cmd_plan_make(&sc, spec, to, NULL, p, e) < 0)
			goto out;
		if (p->nsteps && !reviewed(ctx, p, dir.buf, &ra, true)) {
			ret = EXIT_FOUND;
			goto out;
		}
		/* The live rows reject a step: running it would only
		 * start a remediation. */
		if (p->will_fail) {
			for (int i = 0; i < p->nchecks; i++)
				if (p->checks[i].failing > 0)
					fprintf(stderr,
						"schemig: apply: step %d: "
						"%s\n",
						p->checks[i].step,
						p->checks[i].message);
			fprintf(stderr, "schemig: apply: refused: the data "
					"would make the plan fail\n");
			ret = EXIT_FOUND;
			goto out;
		}
	}
	if (o->dry_run && load_dry_run(o->dry_run, p, &dry, e) < 0)
		goto out;
	if (!o->dry_run) {
		int got = replica_dry_run(bound_env(ctx, o), d, p, &dry, e);
		if (got < 0)
			goto out;
		ao.dry_run_raises_only = got == 1;
	}
	ao.dry_run = dry;
	if (!ra.nfiles)
		reviewed(ctx, p, dir.buf, &ra, false);
	if (ra.em && ra.em->record_applied && ra.nfiles) {
		ao.record = record_framework;
		ao.record_arg = &ra;
	}
	cmd_signals sigs;
	cmd_catch_signals(on_signal, &sigs);
	ret = apply_run(p, &ao, e);
	cmd_restore_signals(&sigs);
out:
	llm_opts_release(&lo);
	json_decref(dry);
	emit_files_free(ra.files, ra.nfiles);
	strbuf_release(&dir);
	free(url);
	free(webhook);
	free(audit);
	free(admin);
	free(to);
	free(dev_url);
	return ret;
}

static const cmd_option *apply_options(cmd_apply_opts *o, bool with_plan)
{
	static cmd_option opts[10];
	int i = 0;
	opts[i++] = (cmd_option)OPT_STRING('e', "env", &o->env, "<name>",
					   "the environment whose database "
					   "changes");
	if (with_plan)
		opts[i++] = (cmd_option)OPT_STRING(
		    0, "plan", &o->plan, "<file>",
		    "the plan to run (default: plan now, and require its "
		    "committed migration)");
	if (with_plan)
		opts[i++] = (cmd_option)OPT_STRING(
		    0, "dry-run", &o->dry_run, "<file>",
		    "the dry run's report of this plan (dry-run --format "
		    "json): its figures, not the estimates, meet the "
		    "policy's limits");
	opts[i++] = (cmd_option)OPT_STRING(
	    0, "wait", &o->wait, "<seconds>",
	    "wait for another apply's lock this long (default 0)");
	opts[i++] = (cmd_option)OPT_STRING(
	    0, "retries", &o->retries, "<n>",
	    "retry a step whose lock is not granted n times (default 5)");
	opts[i++] = (cmd_option)OPT_STRING(0, "actor", &o->actor, "<name>",
					   "who applies (default: from CI)");
	opts[i++] = (cmd_option)OPT_STRING(
	    0, "pr", &o->pr, "<number>",
	    "the pull request merged (default: from CI)");
	opts[i++] = (cmd_option)OPT_BOOL(
	    0, "llm", &o->llm,
	    "on an escalation, ask the configured model for advice (added to "
	    "the trace; never run)");
	opts[i++] = (cmd_option)OPT_END();
	return opts;
}

int cmd_apply(cmd_ctx *ctx, int argc, const char **argv)
{
	cmd_apply_opts o;
	plan p;
	error e = ERROR_INIT;
	cmd_apply_opts_init(&o);
	const cmd_option *opts = apply_options(&o, true);
	argc = cmd_parse_options(argc, argv, opts, apply_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n", argv[0]);
		cmd_usage(apply_usage, opts, true);
		return EXIT_USAGE;
	}
	plan_init(&p);
	int code = cmd_apply_run(ctx, &o, &p, &e);
	plan_release(&p);
	return code < 0 ? cmd_error(&e) : code;
}

int cmd_promote(cmd_ctx *ctx, int argc, const char **argv)
{
	cmd_apply_opts o;
	plan p;
	const char *from = NULL, *to = NULL;
	error e = ERROR_INIT;
	cmd_apply_opts_init(&o);
	const cmd_option opts[] = {
	    OPT_STRING(0, "from", &from, "<env>",
		       "the environment that applied the change first"),
	    OPT_STRING(0, "to", &to, "<env>", "the environment to apply on"),
	    OPT_STRING(0, "wait", &o.wait, "<seconds>",
		       "wait for another apply's lock this long (default 0)"),
	    OPT_STRING(0, "actor", &o.actor, "<name>",
		       "who applies (default: from CI)"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, promote_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc || !from || !to) {
		fprintf(stderr, "error: %s\n",
			argc ? "unexpected argument"
			     : "--from and --to are required");
		cmd_usage(promote_usage, opts, true);
		return EXIT_USAGE;
	}
	o.env = to;
	o.promote_from = from;
	plan_init(&p);
	int code = cmd_apply_run(ctx, &o, &p, &e);
	plan_release(&p);
	return code < 0 ? cmd_error(&e) : code;
}

int cmd_rollback(cmd_ctx *ctx, int argc, const char **argv)
{
	cmd_apply_opts o;
	error e = ERROR_INIT;
	char *url = NULL, *admin = NULL, *webhook = NULL, *audit = NULL,
	     *to = NULL, *dev_url = NULL, commit[41] = "", pr[32];
	apply_opts ao;
	llm_opts lo = {0};
	int code = -1;
	const dialect *d;
	cmd_apply_opts_init(&o);
	const cmd_option *opts = apply_options(&o, false);
	argc = cmd_parse_options(argc, argv, opts, rollback_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc) {
		fprintf(stderr, "error: unexpected argument '%s'\n", argv[0]);
		return EXIT_USAGE;
	}
	if (cmd_ctx_load_config(ctx, &e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, &e)) ||
	    cmd_dev_url(ctx, NULL, &dev_url, &e) < 0)
		goto out;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	sc.normalise = true;
	to = cmd_default_to(ctx);
	if (bind_opts(ctx, &o, &ao, &sc, &url, &webhook, &audit, &admin, commit,
		      pr, &e) < 0 ||
	    bind_llm(ctx, &o, &lo, &ao, &e) < 0)
		goto out;
	ao.to = to;
	cmd_signals sigs;
	cmd_catch_signals(on_signal, &sigs);
	code = apply_rollback_last(&ao, &e);
	cmd_restore_signals(&sigs);
out:
	llm_opts_release(&lo);
	free(url);
	free(webhook);
	free(audit);
	free(admin);
	free(to);
	free(dev_url);
	return code < 0 ? cmd_error(&e) : code;
}

int cmd_approve(cmd_ctx *ctx, int argc, const char **argv)
{
	const char *env = NULL, *id = NULL, *comment = NULL, *spec;
	const char *gh = getenv("GITHUB_ACTIONS");
	char *url = NULL, *who = NULL, *login = NULL;
	error e = ERROR_INIT;
	int code = -1;
	const dialect *d;
	const cmd_option opts[] = {
	    OPT_STRING('e', "env", &env, "<name>", "the environment"),
	    OPT_STRING(0, "plan", &id, "<id>", "the plan's id"),
	    OPT_STRING(0, "comment", &comment, "<text>",
		       "why (kept with the approval)"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, approve_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc || !id) {
		fprintf(stderr, "error: %s\n",
			argc ? "unexpected argument" : "--plan is required");
		cmd_usage(approve_usage, opts, true);
		return EXIT_USAGE;
	}
	/* In GitHub Actions the database login is the job's, shared by
	 * everyone who can start it: the person is GITHUB_ACTOR, and only
	 * once the job's token confirms it (report_github_actor). */
	if (gh && !strcmp(gh, "true") && report_github_actor(&login, &e) < 0)
		goto out;
	if (cmd_ctx_load_config(ctx, &e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, &e)) ||
	    cmd_default_from(ctx->cfg, env, &spec, &e) < 0 ||
	    source_resolve_url(spec, &url, &e) < 0 ||
	    apply_approve(d, url, id, comment, login, &who, &e) < 0)
		goto out;
	printf("approved plan %.12s as %s\n", id, who ? who : "?");
	code = EXIT_OK;
out:
	free(url);
	free(who);
	free(login);
	return code < 0 ? cmd_error(&e) : code;
}

int cmd_history(cmd_ctx *ctx, int argc, const char **argv)
{
	const char *env, *format;
	char *url = NULL;
	json_t *h = NULL;
	strbuf out = STRBUF_INIT;
	error e = ERROR_INIT;
	int code = -1;
	const dialect *d;
	int r = cmd_parse_env_format(argc, argv, history_usage, &env, &format);
	if (r >= 0)
		return r;
	if (cmd_env_url(ctx, env, &d, &url, &e) < 0 ||
	    apply_history(d, url, &h, &e) < 0)
		goto out;
	if (!strcmp(format, "json")) {
		char *s = json_dumps(h, JSON_SORT_KEYS | JSON_INDENT(1));
		printf("%s\n", s);
		free(s);
	} else {
		apply_format_history(h, &out);
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	}
	code = EXIT_OK;
out:
	json_decref(h);
	strbuf_release(&out);
	free(url);
	return code < 0 ? cmd_error(&e) : code;
}
