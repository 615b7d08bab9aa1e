/*
 * git schemig diff: the statements that turn --from into --to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../dialects/dialect.h"
#include "../schema/diff.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char diff_usage[] =
    "git schemig diff [--from <source>] [--to <source>] [--env <name>]\n"
    "                        [--dialect postgres] [--format sql|json|text]\n"
    "                        [--exit-code] [--dev-url <url> | --parse]\n"
    "                        [--strict-column-order]";

typedef struct diff_opts {
	const char *from, *to, *env, *dialect, *format, *dev_url;
	bool exit_code, parse_only, strict_column_order;
} diff_opts;

int cmd_env_url(cmd_ctx *ctx, const char *env_name, const dialect **d,
		char **url, error *e)
{
	const char *spec;
	*url = NULL;
	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(*d = cmd_pick_dialect(ctx->cfg->dialect, e)) ||
	    cmd_default_from(ctx->cfg, env_name, &spec, e) < 0)
		return -1;
	return source_resolve_url(spec, url, e);
}

/* --from's default: the url of the chosen environment (--env, or the
 * only one there is). */
int cmd_default_from(const config *cfg, const char *env_name, const char **from,
		     error *e)
{
	if (env_name) {
		const config_env *env = config_find_env(cfg, env_name);
		if (env) {
			*from = env->url;
			return 0;
		}
	} else if (cfg->nenvs == 1) {
		*from = cfg->envs[0].url;
		return 0;
	}
	if (!cfg->nenvs && !cfg->path)
		return error_set(e, EXIT_USAGE,
				 "no --from given, and there is no "
				 "%s with environments to default to",
				 CONFIG_FILENAME);
	if (!cfg->nenvs)
		return error_set(e, EXIT_USAGE,
				 "no --from given, and %s defines no "
				 "environments",
				 cfg->path);

	strbuf names = STRBUF_INIT;
	for (int i = 0; i < cfg->nenvs; i++)
		strbuf_addf(&names, "%s%s", i ? ", " : "", cfg->envs[i].name);
	if (env_name)
		error_set(e, EXIT_USAGE,
			  "unknown environment '%s' (configured: %s)", env_name,
			  names.buf);
	else
		error_set(e, EXIT_USAGE,
			  "several environments are configured (%s): choose "
			  "one with --env, or give --from",
			  names.buf);
	strbuf_release(&names);
	return -1;
}

/* --to's default: the configured schema file, which is relative to the
 * repository root rather than to the current directory. */
char *cmd_default_to(const cmd_ctx *ctx)
{
	const char *schema = ctx->cfg->schema;
	strbuf sb = STRBUF_INIT;
	char *cwd = getcwd(NULL, 0);
	if (schema[0] == '/' || (cwd && !strcmp(cwd, ctx->root)))
		strbuf_adds(&sb, schema);
	else
		strbuf_addf(&sb, "%s/%s", ctx->root, schema);
	free(cwd);
	return strbuf_detach(&sb);
}

const dialect *cmd_pick_dialect(const char *name, error *e)
{
	const dialect *d = dialect_find(name);
	if (d)
		return d;
	if (dialect_planned(name))
		error_set(e, EXIT_USAGE, "dialect %s is not supported yet",
			  name);
	else
		error_set(e, EXIT_USAGE, "unknown dialect '%s'", name);
	return NULL;
}

void cmd_print_warnings(const model *m)
{
	for (int i = 0; i < m->nwarnings; i++)
		warn("%s", m->warnings[i].message);
}

/* Whatever a model could not represent was not compared: the diff
 * result carries it, so that --exit-code cannot call the sides equal. */
static void note_uncompared(diff_result *res, const model *m)
{
	for (int i = 0; m && i < m->nwarnings; i++)
		if (!m->warnings[i].note)
			diff_result_add_uncompared(res, m->warnings[i].message);
}

static int print_result(const diff_result *r, const char *format, error *e)
{
	strbuf out = STRBUF_INIT;
	if (!strcmp(format, "json")) {
		if (diff_result_format_json(r, &out, e) < 0) {
			strbuf_release(&out);
			return -1;
		}
	} else if (!strcmp(format, "text")) {
		diff_result_format_text(r, &out);
	} else if (r->nstmts) {
		/* A comment is harmless to psql; no output at all when
		 * there is nothing to do keeps `diff | psql` a no-op. */
		strbuf_addf(&out, "-- schemig diff: %d statement%s\n",
			    r->nstmts, r->nstmts == 1 ? "" : "s");
		diff_result_format_sql(r, &out);
	}
	fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	strbuf_release(&out);
	return 0;
}

/*
 * A live database against DDL text is compared exactly by loading the
 * text into a scratch database, which costs as much as creating the whole
 * schema. The parser spells almost everything the way the server does, so
 * the parsed text is compared first: when that finds no difference at
 * all, the scratch load could not find one either, and the common CI
 * question "is the database still what the file says?" costs one
 * introspection and one parse. Otherwise the text is loaded on the
 * scratch server and compared again, with the live side read only once.
 * The parser's warnings are printed either way, since the scratch route
 * executes the file and so cannot name what it leaves out.
 */
/* The scratch server: --dev-url, dev.url, then SCHEMIG_DEV_URL. Each
 * may be env:NAME, like any URL in the configuration. */
int cmd_dev_url(const cmd_ctx *ctx, const char *opt, char **url, error *e)
{
	const char *spec = opt ? opt : ctx->cfg->dev_url;
	*url = NULL;
	if (!spec)
		spec = getenv("SCHEMIG_DEV_URL");
	if (spec && *spec && source_resolve_url(spec, url, e) < 0) {
		error_prefix(e, "scratch server");
		return -1;
	}
	return 0;
}

static int diff_live_text(const source_ctx *sc, const char *from,
			  const char *to, bool from_live, bool strict,
			  diff_result *res, error *e)
{
	const char *live = from_live ? from : to, *text = from_live ? to : from;
	model *ml = NULL, *parsed = NULL, *exact = NULL;
	source_ctx pc = *sc;
	char **path = NULL;
	int ret = -1;

	/* Unqualified names in the file mean the live side's search path:
	 * only the server can place them (the parser knows public alone),
	 * so the fast parsed comparison (and the partial load, which starts
	 * from it) is skipped and the whole file loaded. */
	if (source_search_path(sc, live, &path, e) < 0)
		goto out;
	if (path)
		pc.search_path = (const char *const *)path;
	pc.normalise =
	    !source_search_path_is_default(pc.search_path) && !pc.parse_only;
	if (pc.normalise ? source_load(sc, live, &ml, e) < 0 ||
			       source_load(&pc, text, &parsed, e) < 0
			 : source_load_live_parsed(&pc, live, text, true, &ml,
						   &parsed, e) < 0)
		goto out;
	cmd_print_warnings(ml);
	cmd_print_warnings(parsed);
	ml->strict_column_order = parsed->strict_column_order = strict;
	if (sc->dialect->diff(from_live ? ml : parsed, from_live ? parsed : ml,
			      res, e) < 0)
		goto out;
	if (!pc.normalise && diff_result_differs(res)) {
		/* Something differs, perhaps only in spelling (or could
		 * not be compared in the parser's spelling): decide on the
		 * server's spelling, loading only what differs when that
		 * can be done, else the whole text. */
		pc.normalise = true;
		int part =
		    source_normalise_part(&pc, text, ml, parsed, res, &exact);
		diff_result_release(res);
		diff_result_init(res);
		if (part && source_load(&pc, text, &exact, e) < 0)
			goto out;
		exact->strict_column_order = strict;
		if (sc->dialect->diff(from_live ? ml : exact,
				      from_live ? exact : ml, res, e) < 0)
			goto out;
	}
	/* The file's own lines (file:line) name what it holds that was not
	 * compared; the scratch copy would only repeat them. */
	note_uncompared(res, ml);
	note_uncompared(res, parsed);
	ret = 0;
out:
	model_free(ml);
	model_free(parsed);
	model_free(exact);
	dialect_free_names(path);
	return ret;
}

static int run_diff(cmd_ctx *ctx, const diff_opts *o, error *e)
{
	const char *from = o->from;
	char *to = o->to ? xstrdup(o->to) : NULL, *dev_url = NULL;
	model *mfrom = NULL, *mto = NULL;
	diff_result res;
	int ret = -1;

	diff_result_init(&res);
	if (cmd_ctx_load_config(ctx, e) < 0)
		goto out;
	const dialect *d =
	    cmd_pick_dialect(o->dialect ? o->dialect : ctx->cfg->dialect, e);
	if (!d)
		goto out;
	if (!from && cmd_default_from(ctx->cfg, o->env, &from, e) < 0)
		goto out;
	if (!to)
		to = cmd_default_to(ctx);

	if (cmd_dev_url(ctx, o->dev_url, &dev_url, e) < 0)
		goto out;

	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	/* An explicit --dev-url asks for canonical spelling even when both
	 * sides are DDL text. */
	sc.normalise = o->dev_url != NULL;
	sc.parse_only = o->parse_only;
	enum source_kind kf, kt;
	if (source_kind_of(from, &kf, e) < 0 || source_kind_of(to, &kt, e) < 0)
		goto out;
	if (kf != kt && !sc.parse_only && !sc.normalise) {
		if (diff_live_text(&sc, from, to, kf == SOURCE_LIVE,
				   o->strict_column_order, &res, e) < 0)
			goto out;
	} else {
		if (source_load_pair(&sc, from, to, &mfrom, &mto, e) < 0)
			goto out;
		cmd_print_warnings(mfrom);
		cmd_print_warnings(mto);
		mto->strict_column_order = o->strict_column_order;
		if (d->diff(mfrom, mto, &res, e) < 0)
			goto out;
		/* What the differ could not compare (--parse: view
		 * queries) is named once; the sources' warnings were. */
		for (int i = 0; i < res.nuncompared; i++)
			fprintf(stderr, "note: %s\n", res.uncompared[i]);
		note_uncompared(&res, mfrom);
		note_uncompared(&res, mto);
	}
	if (print_result(&res, o->format, e) < 0)
		goto out;
	ret = o->exit_code && diff_result_differs(&res) ? EXIT_FOUND : EXIT_OK;
out:
	diff_result_release(&res);
	model_free(mfrom);
	model_free(mto);
	free(to);
	free(dev_url);
	return ret;
}

int cmd_diff(cmd_ctx *ctx, int argc, const char **argv)
{
	diff_opts o = {.format = "sql"};
	const cmd_option opts[] = {
	    OPT_STRING(0, "from", &o.from, "<source>",
		       "current schema (default: the environment's url)"),
	    OPT_STRING(0, "to", &o.to, "<source>",
		       "desired schema (default: the schema file)"),
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "environment whose url is --from's default"),
	    OPT_STRING(0, "dialect", &o.dialect, "<name>",
		       "database dialect (default: from config)"),
	    OPT_STRING('f', "format", &o.format, "<fmt>",
		       "sql (default), json or text"),
	    OPT_BOOL(0, "exit-code", &o.exit_code,
		     "exit with 1 when there are differences"),
	    OPT_STRING(0, "dev-url", &o.dev_url, "<url>",
		       "scratch server for normalising DDL text"),
	    OPT_BOOL(0, "strict-column-order", &o.strict_column_order,
		     "rebuild a table whose columns the target lists in "
		     "another order (a table copy); otherwise the order is "
		     "no difference"),
	    OPT_BOOL(0, "parse", &o.parse_only,
		     "read DDL text with the parser only, even against a "
		     "live database (faster; no scratch server)"),
	    OPT_END(),
	};
	error e = ERROR_INIT;

	argc = cmd_parse_options(argc, argv, opts, diff_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], diff_usage, opts);
	if (strcmp(o.format, "sql") && strcmp(o.format, "json") &&
	    strcmp(o.format, "text")) {
		fprintf(stderr,
			"error: unknown format '%s' (use sql, json or text)\n",
			o.format);
		return EXIT_USAGE;
	}
	int code = run_diff(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
