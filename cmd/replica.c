/*
 * git schemig replica: a masked, production-shaped copy of an
 * environment's database, for dry runs (replica/replica.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../replica/replica.h"
#include "cmd.h"

static const char replica_usage[] =
    "git schemig replica [--env <name>] [--into <url>|dev] [--sample <pct>] "
    "[--refresh]\n"
    "\n"
    "Copies the environment's schema and rows into another database, "
    "masking\n"
    "the columns .schemig.yml's mask: rules name and those that look like\n"
    "personal data, while the rows stream from the source. --sample keeps "
    "that\n"
    "percent of each table's rows, plus the rows they reference. The copy\n"
    "is filled in one transaction: interrupted, it leaves nothing behind.\n"
    "--into defaults to the environment's replica: setting; dev is a\n"
    "throwaway database that goes when the command ends.\n";

typedef struct replica_cli {
	const char *env, *into, *sample, *format, *dev_url;
	bool refresh;
} replica_cli;

/* "10", "10%" or "2.5" is not accepted: whole percents, 1 to 100. */
static int parse_pct(const char *s, int *out, error *e)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end == '%')
		end++;
	if (!*s || *end || v < 1 || v > 100)
		return error_set(e, EXIT_USAGE,
				 "--sample: expected a whole percent from 1 "
				 "to 100, not '%s'",
				 s);
	*out = (int)v;
	return 0;
}

/* Where the copy goes when --into is not given: the environment's
 * replica setting. */
static int default_into(const config_env *env, const char **into, error *e)
{
	if (env->replica_provision) {
		*into = env->replica_into ? env->replica_into : "dev";
		return 0;
	}
	if (env->replica) {
		*into = env->replica;
		return 0;
	}
	return error_set(e, EXIT_USAGE,
			 "replica: environment '%s' has no replica setting; "
			 "give --into <url> or --into dev",
			 env->name);
}

int cmd_replica_make(cmd_ctx *ctx, const source_ctx *sc, const config_env *env,
		     const char *into, int sample_pct, bool refresh,
		     replica_copy **copy, json_t **summary, error *e)
{
	char *url = NULL;
	if (source_resolve_url(env->url, &url, e) < 0)
		return -1;
	replica_opts ro = {
	    .sc = sc,
	    .cfg = ctx->cfg,
	    .env = env->name,
	    .source_url = url,
	    .into = into,
	    .sample_pct = sample_pct,
	    .refresh = refresh,
	    .progress = isatty(2),
	};
	int ret = replica_make(&ro, copy, summary, e);
	free(url);
	return ret;
}

static int run_replica(cmd_ctx *ctx, const replica_cli *o, error *e)
{
	const dialect *d;
	const config_env *env;
	const char *into = o->into, *name = o->env;
	char *dev_url = NULL;
	replica_copy *copy = NULL;
	json_t *summary = NULL;
	int pct = 100, ret = -1;

	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, e)))
		return -1;
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		return error_set(e, EXIT_USAGE,
				 "--format: expected text or json");
	if (!name && ctx->cfg->nenvs == 1)
		name = ctx->cfg->envs[0].name;
	if (!name)
		return error_set(e, EXIT_USAGE,
				 "replica: --env is required (%s defines %d "
				 "environments)",
				 ctx->cfg->path ? ctx->cfg->path
						: CONFIG_FILENAME,
				 ctx->cfg->nenvs);
	if (!(env = config_find_env(ctx->cfg, name)))
		return error_set(
		    e, EXIT_USAGE, "replica: no environment '%s' in %s", name,
		    ctx->cfg->path ? ctx->cfg->path : CONFIG_FILENAME);
	if (o->sample && parse_pct(o->sample, &pct, e) < 0)
		return -1;
	if (!into && default_into(env, &into, e) < 0)
		return -1;
	if (!o->sample && env->replica_provision && env->replica_sample)
		pct = env->replica_sample;
	if (cmd_dev_url(ctx, o->dev_url, &dev_url, e) < 0)
		return -1;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	if (cmd_replica_make(ctx, &sc, env, into, pct, o->refresh, &copy,
			     &summary, e) < 0)
		goto out;
	if (!strcmp(o->format, "json")) {
		char *s = json_dumps(summary, JSON_SORT_KEYS | JSON_INDENT(1));
		printf("%s\n", s);
		free(s);
	} else {
		strbuf out = STRBUF_INIT;
		replica_format_text(summary, &out);
		if (!strcmp(into, "dev"))
			strbuf_adds(&out, "\nThe copy was on a throwaway "
					  "database and is gone; --into <url> "
					  "keeps one.\n");
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
		strbuf_release(&out);
	}
	ret = EXIT_OK;
out:
	replica_copy_release(copy);
	json_decref(summary);
	free(dev_url);
	return ret;
}

int cmd_replica(cmd_ctx *ctx, int argc, const char **argv)
{
	replica_cli o = {.format = "text"};
	const cmd_option opts[] = {
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "the environment whose database is copied"),
	    OPT_STRING(0, "into", &o.into, "<url>|dev",
		       "where the copy goes (default: the environment's "
		       "replica)"),
	    OPT_STRING(0, "sample", &o.sample, "<pct>",
		       "keep this percent of each table's rows (default 100)"),
	    OPT_BOOL(0, "refresh", &o.refresh,
		     "replace a copy schemig made there before"),
	    OPT_STRING(0, "format", &o.format, "text|json",
		       "what stdout shows (default text)"),
	    OPT_STRING(0, "dev-url", &o.dev_url, "<url>",
		       "the scratch server --into dev uses"),
	    OPT_END(),
	};
	error e = ERROR_INIT;
	argc = cmd_parse_options(argc, argv, opts, replica_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], replica_usage, opts);
	int code = run_replica(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
