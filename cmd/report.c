/*
 * git schemig report: the plan and its dry run for reviewers, in
 * Markdown or JSON, optionally posted on the pull or merge request.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../plan/plan.h"
#include "../report/report.h"
#include "../util/strbuf.h"
#include "cmd.h"

static const char report_usage[] =
    "git schemig report --plan <file> [--dry-run <file>] [--env <name>]\n"
    "                          [--format markdown|json] [--post "
    "github|gitlab]\n"
    "                          [--pr <number>]";

typedef struct report_opts {
	const char *plan, *dry_run, *format, *post, *env, *pr;
} report_opts;

static int load_dry_run(const char *path, json_t **out, error *e)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	if (!j)
		return error_set(e, EXIT_USAGE, "%s:%d:%d: %s", path, je.line,
				 je.column, je.text);
	if (report_check_dry_run(j, path, e) < 0) {
		json_decref(j);
		return -1;
	}
	*out = j;
	return 0;
}

static int run_report(cmd_ctx *ctx, const report_opts *o, error *e)
{
	strbuf text = STRBUF_INIT, out = STRBUF_INIT, md = STRBUF_INIT;
	json_t *dry = NULL;
	plan p;
	int ret = -1;
	report_input in = {&p, NULL, NULL, o->env, false};

	plan_init(&p);
	if (strbuf_read_file(&text, o->plan) < 0) {
		error_set(e, EXIT_USAGE, "%s: %s", o->plan, strerror(errno));
		goto out;
	}
	if (plan_from_json(&p, strbuf_str(&text), o->plan, false, e) < 0)
		goto out;
	if (o->dry_run) {
		if (load_dry_run(o->dry_run, &dry, e) < 0)
			goto out;
		const char *id =
		    json_string_value(json_object_get(dry, "plan_id"));
		if (strcmp(id, p.id)) {
			error_set(e, EXIT_USAGE,
				  "%s: a dry run of plan %.12s, not of %s "
				  "(plan %.12s)",
				  o->dry_run, id, o->plan, p.id);
			goto out;
		}
		in.dry_run = dry;
	}
	if (o->env) {
		if (cmd_ctx_load_config(ctx, e) < 0)
			goto out;
		const config_env *env = config_find_env(ctx->cfg, o->env);
		if (!env) {
			error_set(e, EXIT_USAGE,
				  "--env: no environment '%s' in "
				  "the configuration",
				  o->env);
			goto out;
		}
		if (env->has_policy)
			in.policy = &env->policy;
	}

	if (!strcmp(o->format, "json")) {
		if (report_render_json(&in, &out, e) < 0)
			goto out;
	} else {
		report_render_markdown(&in, &out);
	}
	fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	fflush(stdout);

	if (o->post) {
		report_post_opts po = {o->pr};
		/* A comment over the API's limit is refused outright. */
		report_render_comment(&in, NULL, &md);
		curl_global_init(CURL_GLOBAL_DEFAULT);
		int rc = !strcmp(o->post, "github")
			     ? report_post_github(md.buf, &po, e)
			     : report_post_gitlab(md.buf, &po, e);
		curl_global_cleanup();
		if (rc < 0)
			goto out;
	}
	ret = EXIT_OK;
out:
	json_decref(dry);
	plan_release(&p);
	strbuf_release(&text);
	strbuf_release(&out);
	strbuf_release(&md);
	return ret;
}

int cmd_report(cmd_ctx *ctx, int argc, const char **argv)
{
	report_opts o = {.format = "markdown"};
	const cmd_option opts[] = {
	    OPT_STRING(0, "plan", &o.plan, "<file>", "the plan file"),
	    OPT_STRING(0, "dry-run", &o.dry_run, "<file>",
		       "the dry run's report file (dry-run --report)"),
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "compare with this environment's policy"),
	    OPT_STRING('f', "format", &o.format, "<fmt>",
		       "markdown (default) or json"),
	    OPT_STRING(0, "post", &o.post, "<where>",
		       "also post the Markdown on the pull request (github) "
		       "or merge request (gitlab)"),
	    OPT_STRING(0, "pr", &o.pr, "<number>",
		       "pull / merge request number (default: from CI)"),
	    OPT_END(),
	};
	error e = ERROR_INIT;

	argc = cmd_parse_options(argc, argv, opts, report_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], report_usage, opts);
	if (!o.plan) {
		fprintf(stderr, "error: --plan <file> is required\n");
		return EXIT_USAGE;
	}
	if (strcmp(o.format, "markdown") && strcmp(o.format, "json")) {
		fprintf(stderr,
			"error: unknown format '%s' (use markdown or json)\n",
			o.format);
		return EXIT_USAGE;
	}
	if (o.post && strcmp(o.post, "github") && strcmp(o.post, "gitlab")) {
		fprintf(stderr,
			"error: --post: unknown '%s' (use github or gitlab)\n",
			o.post);
		return EXIT_USAGE;
	}
	/* The number goes into an API path: digits only. */
	if (o.pr && (!*o.pr || strspn(o.pr, "0123456789") != strlen(o.pr))) {
		fprintf(stderr, "error: --pr: expected a number, got '%s'\n",
			o.pr);
		return EXIT_USAGE;
	}
	int code = run_report(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
