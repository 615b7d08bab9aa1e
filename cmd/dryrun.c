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
    "--on <url> is a replica or staging copy, never the database of an\n"
    "environment (compared by server identity). --from and --to also give\n"
    "the leftover diffs shown when a proof fails.";

typedef struct dryrun_cli {
	const char *plan, *on, *report, *format, *from, *to, *env, *dev_url;
} dryrun_cli;

static void on_signal(int sig)
{
	(void)sig;
	dryrun_interrupt();
}

static int run_dry(cmd_ctx *ctx, const dryrun_cli *o, error *e)
{
	plan p;
	json_t *report = NULL;
	char *to = NULL, *dev_url = NULL, *on_url = NULL, *on_label = NULL,
	     *db_url = NULL;
	source_sandbox *sandbox = NULL;
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
		/* Whether --on is an environment's database is dryrun_run's
		 * first check (dryrun_guard), by the server's identity. */
		if (source_resolve_url(o->on, &on_url, e) < 0)
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
	if (o->plan ? cmd_read_plan(o->plan, d, &p, e) < 0
		    : cmd_plan_make(&sc, from, to, NULL, &p, e) < 0)
		goto out;

	if (on_dev) {
		/* A fresh database on the throwaway cluster, holding the
		 * plan's source schema. --from may come from a branch under
		 * review: it is loaded, and the plan then runs, as the
		 * non-superuser loader role, never as the cluster's superuser.
		 */
		source_ctx own = sc;
		own.dev_url = NULL;
		if (source_sandbox_load(&own, from, &sandbox, e) < 0) {
			error_prefix(e, "--on dev");
			goto out;
		}
		db_url = xstrdup(source_sandbox_url(sandbox));
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
	    /* A step line on a terminal; also for `git schemig mcp`, whose
	     * child this is: it forwards them as progress notifications. */
	    .progress = isatty(2) || getenv("SCHEMIG_PROGRESS"),
	    .cfg = ctx->cfg,
	};
	/* An interruption cancels the running statement; the steps done so
	 * far are rolled back before the command ends. */
	cmd_signals sigs;
	cmd_catch_signals(on_signal, &sigs);
	int r = dryrun_run(&p, &dro, &report, e);
	cmd_restore_signals(&sigs);
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
	/* A replica keeps the report of a dry run that held in its own
	 * journal, for the gate of the apply on its environment; the
	 * throwaway dev copy has no one to keep it for. */
	if (!on_dev && json_is_true(json_object_get(report, "ok"))) {
		error re = ERROR_INIT;
		if (dryrun_record(d, on_url, report, &re) < 0)
			fprintf(stderr,
				"schemig: dry-run: the report was not kept in "
				"the journal of %s: %s\n",
				on_label, re.msg);
		error_clear(&re);
	}
	ret =
	    json_is_true(json_object_get(report, "ok")) ? EXIT_OK : EXIT_FOUND;
out:
	source_sandbox_drop(sandbox);
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
