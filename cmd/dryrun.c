/*
 * git schemig dry-run: run a plan on a throwaway server or a copy of the
 * database, measure each step, and prove the plan and its rollback.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../exec/dryrun.h"
#include "../plan/plan.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char dryrun_usage[] =
    "git schemig dry-run [--plan <file>] --on <url>|dev [--report <file>]\n"
    "                        [--format text|json] [--from <source>]\n"
    "                        [--to <source>] [--env <name>]\n"
    "\n"
    "--on dev loads --from (a DDL file) into a throwaway server first;\n"
    "--on <url> is a replica or staging copy, never an environment named\n"
    "production. --from and --to also give the leftover diffs shown when\n"
    "a proof fails.";

typedef struct dryrun_cli {
	const char *plan, *on, *report, *format, *from, *to, *env, *dev_url;
} dryrun_cli;

static void on_signal(int sig)
{
	(void)sig;
	dryrun_interrupt();
}

/* Production is never a place to rehearse: refuse --on when it is the
 * URL of the environment named "production". */
static int refuse_production(const config *cfg, const char *on_url, error *e)
{
	const config_env *env = config_find_env(cfg, "production");
	if (!env || !env->url)
		return 0;
	char *url = NULL;
	error ignore = ERROR_INIT;
	bool same = !strcmp(env->url, on_url);
	if (!same && source_resolve_url(env->url, &url, &ignore) == 0)
		same = !strcmp(url, on_url);
	free(url);
	error_clear(&ignore);
	if (same)
		return error_set(e, EXIT_USAGE,
				 "--on is the production environment: a dry "
				 "run executes the plan; use a replica or a "
				 "staging copy");
	return 0;
}

/* The same server, another database: swap the path of the dev URL. */
static char *url_for_db(const char *base, const char *db)
{
	const char *p = strstr(base, "@/postgres?");
	strbuf sb = STRBUF_INIT;
	if (!p) {
		strbuf_addf(&sb, "%s dbname=%s", base, db);
	} else {
		strbuf_add(&sb, base, (size_t)(p - base) + 2);
		strbuf_adds(&sb, db);
		strbuf_adds(&sb, p + strlen("@/postgres"));
	}
	return strbuf_detach(&sb);
}

static int run_dry(cmd_ctx *ctx, const dryrun_cli *o, error *e)
{
	plan p;
	json_t *report = NULL;
	char *to = NULL, *dev_url = NULL, *on_url = NULL, *on_label = NULL,
	     *db_url = NULL;
	const char *from = o->from;
	strbuf out = STRBUF_INIT;
	int ret = -1;
	bool on_dev = !strcmp(o->on, "dev");
	const dialect *d = NULL;

	plan_init(&p);
	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, e)))
		goto out;
	if (strcmp(o->format, "text") && strcmp(o->format, "json")) {
		error_set(e, EXIT_USAGE, "--format: expected text or json");
		goto out;
	}
	if (!on_dev) {
		if (source_resolve_url(o->on, &on_url, e) < 0 ||
		    refuse_production(ctx->cfg, on_url, e) < 0 ||
		    refuse_production(ctx->cfg, o->on, e) < 0)
			goto out;
	} else if (!from) {
		error_set(e, EXIT_USAGE,
			  "--on dev needs --from: the source schema (a DDL "
			  "file) to load before running the plan");
		goto out;
	}
	if (!o->plan && !from &&
	    cmd_default_from(ctx->cfg, o->env, &from, e) < 0)
		goto out;
	if (!o->plan)
		to = o->to ? xstrdup(o->to) : cmd_default_to(ctx);
	else if (o->to)
		to = xstrdup(o->to);
	if (cmd_dev_url(ctx, o->dev_url, &dev_url, e) < 0)
		goto out;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	sc.normalise = true;
	if (o->plan ? cmd_read_plan(o->plan, &p, e) < 0
		    : cmd_plan_make(&sc, from, to, NULL, &p, e) < 0)
		goto out;

	if (on_dev) {
		/* A fresh database on the throwaway cluster, holding the
		 * plan's source schema. */
		strbuf text = STRBUF_INIT;
		const char *path = !strncmp(from, "file:", 5) ? from + 5 : from;
		if (!ctx->src.dev && devserver_start(&ctx->src.dev, e) < 0)
			goto out;
		if (strbuf_read_file(&text, path) < 0) {
			error_set(e, EXIT_USAGE,
				  "--on dev: --from must be a DDL file: %s: %s",
				  path, strerror(errno));
			strbuf_release(&text);
			goto out;
		}
		db_url =
		    url_for_db(devserver_url(ctx->src.dev), "schemig_dry_run");
		int r = d->exec_script(devserver_url(ctx->src.dev),
				       "CREATE DATABASE schemig_dry_run",
				       "dry-run", e);
		if (!r)
			r = (d->load_script ? d->load_script : d->exec_script)(
			    db_url, strbuf_str(&text), path, e);
		strbuf_release(&text);
		if (r < 0)
			goto out;
		on_label = xstrdup("dev");
	} else {
		on_label = source_spec_redact(d, o->on);
	}

	dryrun_opts dro = {
	    .sc = &sc,
	    .url = on_dev ? db_url : on_url,
	    .on = on_label,
	    .from = from,
	    .to = to,
	    .progress = isatty(2),
	};
	/* An interruption cancels the running statement; the steps done so
	 * far are rolled back before the command ends. */
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	int r = dryrun_run(&p, &dro, &report, e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r < 0)
		goto out;

	if (o->report) {
		char *s = json_dumps(report, JSON_SORT_KEYS | JSON_INDENT(1));
		FILE *f = fopen(o->report, "w");
		bool bad = !f || fprintf(f, "%s\n", s) < 0;
		if (f && fclose(f))
			bad = true;
		free(s);
		if (bad) {
			error_set(e, EXIT_USAGE, "%s: cannot write the report",
				  o->report);
			goto out;
		}
	}
	if (!strcmp(o->format, "json")) {
		char *s = json_dumps(report, JSON_SORT_KEYS | JSON_INDENT(1));
		printf("%s\n", s);
		free(s);
	} else {
		dryrun_format_text(report, &out);
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	}
	ret =
	    json_is_true(json_object_get(report, "ok")) ? EXIT_OK : EXIT_FOUND;
out:
	if (on_dev && ctx->src.dev && db_url) {
		error ignore = ERROR_INIT;
		d->exec_script(devserver_url(ctx->src.dev),
			       "DROP DATABASE IF EXISTS schemig_dry_run",
			       "dry-run", &ignore);
		error_clear(&ignore);
	}
	json_decref(report);
	plan_release(&p);
	strbuf_release(&out);
	free(to);
	free(dev_url);
	free(on_url);
	free(on_label);
	free(db_url);
	return ret;
}

int cmd_dry_run(cmd_ctx *ctx, int argc, const char **argv)
{
	dryrun_cli o = {.format = "text"};
	const cmd_option opts[] = {
	    OPT_STRING(0, "plan", &o.plan, "<file>",
		       "the plan file (default: plan now, from --from to "
		       "--to)"),
	    OPT_STRING(0, "on", &o.on, "<url>|dev",
		       "where to run it: a replica or staging copy, or dev"),
	    OPT_STRING(0, "report", &o.report, "<file>",
		       "write the measurements and proofs as JSON"),
	    OPT_STRING(0, "format", &o.format, "text|json",
		       "what stdout shows (default text)"),
	    OPT_STRING(0, "from", &o.from, "<source>",
		       "the source schema (--on dev loads it; leftover diff)"),
	    OPT_STRING(0, "to", &o.to, "<source>",
		       "the desired schema (leftover diff)"),
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "without --plan: environment whose url is --from's "
		       "default"),
	    OPT_STRING(0, "dev-url", &o.dev_url, "<url>",
		       "scratch server for normalising DDL text"),
	    OPT_END(),
	};
	error e = ERROR_INIT;
	argc = cmd_parse_options(argc, argv, opts, dryrun_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc || !o.on) {
		fprintf(stderr, argc ? "error: unexpected argument\n"
				     : "error: --on is required\n");
		cmd_usage(dryrun_usage, opts, true);
		return EXIT_USAGE;
	}
	int code = run_dry(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
