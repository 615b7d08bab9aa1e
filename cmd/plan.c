/*
 * git schemig plan: the safe, reviewable way from --from to --to.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../dialects/dialect.h"
#include "../draft/draft.h"
#include "../plan/plan.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char plan_usage[] =
    "git schemig plan [--from <source>] [--to <source>] [--env <name>]\n"
    "       git schemig plan --plan <file> [--format ...] [--rollback]\n"
    "                        [--out <file>] [--format text|json|markdown|sql]\n"
    "                        [--rollback] [--lock-timeout <ms>]\n"
    "                        [--statement-timeout <ms>] [--batch-size <n>]\n"
    "                        [--batch-pause <ms>] [--allow-rewrite]\n"
    "                        [--defer-drops] [--rename <renames>]\n"
    "                        [--strict-column-order]\n"
    "                        [--rebuild-online-ms <ms>]\n"
    "                        [--no-data-checks]\n"
    "                        [--server-version <n>] [--fail-on-breaking]\n"
    "                        [--dev-url <url>] [--llm [--no-cache]]";

typedef struct plan_opts {
	const char *from, *to, *env, *dialect, *format, *out, *dev_url, *plan;
	const char *lock_timeout, *statement_timeout, *batch_size, *batch_pause,
	    *server_version, *rename, *rebuild_online;
	bool rollback, allow_rewrite, defer_drops, no_data_checks,
	    fail_on_breaking, llm, no_cache, strict_column_order;
} plan_opts;

/* An option holding a whole number in [min, max]; unset leaves *out. */
static int int_option(const char *name, const char *value, long min, long max,
		      int *out, error *e)
{
	if (!value)
		return 0;
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max)
		return error_set(e, EXIT_USAGE,
				 "--%s: expected a whole number from %ld to "
				 "%ld, got '%s'",
				 name, min, max, value);
	*out = (int)v;
	return 0;
}

static int settings_from_options(const plan_opts *o, plan_settings *s, error *e)
{
	if (int_option("lock-timeout", o->lock_timeout, 1, 3600000,
		       &s->lock_timeout_ms, e) ||
	    int_option("statement-timeout", o->statement_timeout, 0, INT_MAX,
		       &s->statement_timeout_ms, e) ||
	    int_option("batch-size", o->batch_size, 1, 100000000,
		       &s->batch_size, e) ||
	    int_option("batch-pause", o->batch_pause, 0, 600000,
		       &s->batch_pause_ms, e) ||
	    int_option("server-version", o->server_version, 90600, 999999,
		       &s->server_version, e) ||
	    int_option("rebuild-online-ms", o->rebuild_online, 0, INT_MAX,
		       &s->rebuild_online_ms, e))
		return -1;
	s->allow_rewrite = o->allow_rewrite;
	s->defer_drops = o->defer_drops;
	s->strict_column_order = o->strict_column_order;
	s->data_checks = !o->no_data_checks;
	return 0;
}

/*
 * --rename "[schema.]table.column=new,[schema.]table=new,...": a column
 * when the name has three parts, or two whose first is a table with that
 * column; otherwise a table ("public" when no schema is given). Checked
 * against the source model, so a typo is an error, not a silent drop.
 */
static int parse_renames(const char *spec, const model *from, plan *p, error *e)
{
	char *copy = xstrdup(spec), *save = NULL;
	int ret = 0;
	for (char *item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		char *parts[3] = {NULL, NULL, NULL};
		int n = 0;
		if (!eq || !eq[1] || eq == item) {
			ret = error_set(e, EXIT_USAGE,
					"--rename: '%s': expected "
					"[schema.]table[.column]=new_name",
					item);
			break;
		}
		*eq = '\0';
		for (char *s2 = NULL, *part = strtok_r(item, ".", &s2); part;
		     part = strtok_r(NULL, ".", &s2))
			if (n < 3)
				parts[n++] = part;
			else
				n = 4;
		if (n > 3) {
			ret = error_set(e, EXIT_USAGE,
					"--rename: '%s': too many dots", item);
			break;
		}
		const char *schema = "public", *table = parts[0],
			   *column = NULL;
		if (n == 3) {
			schema = parts[0];
			table = parts[1];
			column = parts[2];
		} else if (n == 2) {
			const m_table *t =
			    model_find_table(from, "public", parts[0]);
			/* A table renamed by an earlier item counts by its
			 * new name. */
			bool renamed = false;
			for (int i = 0; i < p->nrenames; i++)
				renamed |=
				    !p->renames[i].column &&
				    !strcmp(p->renames[i].schema, "public") &&
				    !strcmp(p->renames[i].new_name, parts[0]);
			if (renamed ||
			    (t && model_table_find_column(t, parts[1]))) {
				column = parts[1];
			} else {
				schema = parts[0];
				table = parts[1];
			}
		}
		plan_add_rename(p, schema, table, column, eq + 1);
	}
	free(copy);
	return ret;
}

static int write_file(const char *path, const strbuf *sb, error *e)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return error_set(e, EXIT_USAGE, "%s: %s", path,
				 strerror(errno));
	size_t n = fwrite(sb->buf ? sb->buf : "", 1, sb->len, f);
	if (fclose(f) != 0 || n != sb->len)
		return error_set(e, EXIT_USAGE, "%s: write failed", path);
	return 0;
}

static int render(const plan *p, const plan_opts *o, strbuf *out, error *e)
{
	if (!strcmp(o->format, "json"))
		return plan_to_json(p, out, e);
	if (!strcmp(o->format, "markdown"))
		plan_format_markdown(p, out);
	else if (!strcmp(o->format, "sql"))
		plan_format_sql(p, o->rollback, out);
	else
		plan_format_text(p, out);
	return 0;
}

/* With `dr` (plan --llm): the model drafts from the engine's plan, with
 * the models still at hand (draft/). */
static int plan_make(const source_ctx *sc, const char *from, const char *to,
		     const char *renames, draft_opts *dr, draft_outcome *dout,
		     plan *p, error *e)
{
	const dialect *d = sc->dialect;
	char *from_url = NULL, *src_spec = NULL, *dst_spec = NULL;
	model *mfrom = NULL, *mto = NULL;
	int ret = -1;
	enum source_kind kf;

	if (!d->plan)
		return error_set(e, EXIT_USAGE, "dialect %s cannot plan yet",
				 d->name);
	if (source_kind_of(from, &kf, e) < 0)
		goto out;
	/* Statistics and data checks need the live source itself; "dev" is
	 * an empty server, with nothing to measure. */
	if (kf == SOURCE_LIVE && strcmp(from, "dev") &&
	    source_resolve_url(from, &from_url, e) < 0)
		goto out;
	if (source_load_pair(sc, from, to, &mfrom, &mto, e) < 0)
		goto out;
	cmd_print_warnings(mfrom);
	cmd_print_warnings(mto);

	if (renames && parse_renames(renames, mfrom, p, e) < 0)
		goto out;
	src_spec = source_spec_redact(d, from);
	dst_spec = source_spec_redact(d, to);
	p->dialect = plan_str(p, d->name);
	p->source = plan_str(p, src_spec);
	p->target = plan_str(p, dst_spec);
	if (plan_fingerprint(d, mfrom, &p->arena, &p->source_fp, e) < 0 ||
	    plan_fingerprint(d, mto, &p->arena, &p->target_fp, e) < 0)
		goto out;
	mto->strict_column_order = p->settings.strict_column_order;
	if (d->plan(mfrom, mto, from_url, p, e) < 0)
		goto out;
	if (from_url && p->settings.data_checks && p->nchecks &&
	    d->plan_check_data && d->plan_check_data(from_url, p, e) < 0)
		goto out;
	if (plan_finish(p, e) < 0)
		goto out;
	if (dr) {
		dr->from = from;
		dr->from_url = from_url;
		if (draft_plan(dr, mfrom, mto, p, dout, e) < 0)
			goto out;
	}
	ret = 0;
out:
	model_free(mfrom);
	model_free(mto);
	free(from_url);
	free(src_spec);
	free(dst_spec);
	return ret;
}

int cmd_plan_make(const source_ctx *sc, const char *from, const char *to,
		  const char *renames, plan *p, error *e)
{
	return plan_make(sc, from, to, renames, NULL, NULL, p, e);
}

int cmd_plan_make_drafted(cmd_ctx *ctx, const source_ctx *sc, const char *from,
			  const char *to, const char *renames, const cmd_llm *l,
			  plan *p, error *e)
{
	llm_opts lo = {0};
	draft_outcome dout = {0};
	int ret;
	/* Nothing is sent to any model unless asked: --llm, or
	 * llm.enabled in the configuration. */
	if (!l->llm && !ctx->cfg->llm_enabled)
		return plan_make(sc, from, to, renames, NULL, NULL, p, e);
	if (llm_opts_from_config(ctx->cfg, &lo, e) < 0)
		return -1;
	lo.no_cache = l->no_cache;
	const config_env *env =
	    l->env ? config_find_env(ctx->cfg, l->env) : NULL;
	draft_opts dr = {
	    .llm = &lo,
	    .sc = sc,
	    .policy = env && env->has_policy ? &env->policy : NULL,
	    .repairs = DRAFT_DEFAULT_REPAIRS,
	    .progress = isatty(2),
	    .what = l->what,
	};
	ret = plan_make(sc, from, to, renames, &dr, &dout, p, e);
	llm_opts_release(&lo);
	draft_outcome_release(&dout);
	return ret;
}

int cmd_read_plan(const char *path, const dialect *d, plan *p, error *e)
{
	strbuf text = STRBUF_INIT;
	int ret = -1;
	if (strbuf_read_file(&text, path) < 0)
		error_set(e, EXIT_USAGE, "%s: %s", path, strerror(errno));
	else
		ret = plan_from_json(p, strbuf_str(&text), path, false, e);
	strbuf_release(&text);
	/* A plan's SQL is its dialect's: run by another, it would fail
	 * halfway, or worse, mean something else. */
	if (!ret && d && p->dialect && strcmp(p->dialect, d->name))
		ret = error_set(e, EXIT_USAGE,
				"%s: the plan is for %s, but the dialect here "
				"is %s (set `dialect: %s` in .schemig.yml)",
				path, p->dialect, d->name, p->dialect);
	return ret;
}

source_ctx cmd_source_ctx(cmd_ctx *ctx, const dialect *d, const char *dev_url)
{
	source_ctx sc = {
	    .dialect = d,
	    .repo_dir = ctx->in_repo ? ctx->root : NULL,
	    .schema_path = ctx->cfg->schema,
	    .dev_url = dev_url,
	    .state = &ctx->src,
	    .search_path = (const char *const *)ctx->cfg->search_path,
	};
	return sc;
}

/* --plan FILE: print a plan file again, in any format, after checking
 * that its id still matches its content. */
static int show_plan(const plan_opts *o, error *e)
{
	strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	plan p;
	int ret = -1;
	plan_init(&p);
	if (cmd_read_plan(o->plan, NULL, &p, e) < 0 ||
	    render(&p, o, &out, e) < 0)
		goto out;
	fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	ret = o->fail_on_breaking && (!p.compatible || p.will_fail) ? EXIT_FOUND
								    : EXIT_OK;
out:
	plan_release(&p);
	strbuf_release(&text);
	strbuf_release(&out);
	return ret;
}

static int run_plan(cmd_ctx *ctx, const plan_opts *o, error *e)
{
	const char *from = o->from;
	char *to = o->to ? xstrdup(o->to) : NULL, *dev_url = NULL;
	plan p;
	strbuf out = STRBUF_INIT, json = STRBUF_INIT;
	int ret = -1;
	plan_init(&p);
	if (settings_from_options(o, &p.settings, e) < 0)
		goto out;
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
	sc.normalise = o->dev_url != NULL;
	cmd_llm l = {.llm = o->llm,
		     .no_cache = o->no_cache,
		     .env = o->env,
		     .what = "plan --llm"};
	if (cmd_plan_make_drafted(ctx, &sc, from, to, o->rename, &l, &p, e) < 0)
		goto out;

	if (o->out) {
		if (plan_to_json(&p, &json, e) < 0 ||
		    write_file(o->out, &json, e) < 0)
			goto out;
	}
	if (render(&p, o, &out, e) < 0)
		goto out;
	fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	if (o->out)
		fprintf(stderr, "plan written to %s\n", o->out);
	ret = o->fail_on_breaking && (!p.compatible || p.will_fail) ? EXIT_FOUND
								    : EXIT_OK;
out:
	strbuf_release(&out);
	strbuf_release(&json);
	plan_release(&p);
	free(to);
	free(dev_url);
	return ret;
}

int cmd_plan(cmd_ctx *ctx, int argc, const char **argv)
{
	plan_opts o = {.format = "text"};
	const cmd_option opts[] = {
	    OPT_STRING(0, "from", &o.from, "<source>",
		       "current schema (default: the environment's url)"),
	    OPT_STRING(0, "to", &o.to, "<source>",
		       "desired schema (default: the schema file)"),
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "environment whose url is --from's default"),
	    OPT_STRING(0, "dialect", &o.dialect, "<name>",
		       "database dialect (default: from config)"),
	    OPT_STRING(0, "plan", &o.plan, "<file>",
		       "print this plan file instead of planning"),
	    OPT_STRING('o', "out", &o.out, "<file>",
		       "write the plan file (canonical JSON) there"),
	    OPT_STRING('f', "format", &o.format, "<fmt>",
		       "what to print: text (default), json, markdown or sql"),
	    OPT_BOOL(0, "rollback", &o.rollback,
		     "with --format sql: print the rollback script"),
	    OPT_STRING(0, "lock-timeout", &o.lock_timeout, "<ms>",
		       "lock_timeout of every step (default 2000)"),
	    OPT_STRING(0, "statement-timeout", &o.statement_timeout, "<ms>",
		       "statement_timeout of transactional steps that neither "
		       "scan nor rewrite (default 10000; 0: none)"),
	    OPT_STRING(0, "batch-size", &o.batch_size, "<n>",
		       "rows per backfill batch (default: from the table's "
		       "size)"),
	    OPT_STRING(0, "batch-pause", &o.batch_pause, "<ms>",
		       "pause between backfill batches (default 50)"),
	    OPT_BOOL(0, "allow-rewrite", &o.allow_rewrite,
		     "change column types in place even when that rewrites "
		     "the table (flagged), instead of expand and contract"),
	    OPT_BOOL(0, "strict-column-order", &o.strict_column_order,
		     "rebuild a table whose columns the target lists in "
		     "another order (a table copy), instead of a note"),
	    OPT_STRING(0, "rebuild-online-ms", &o.rebuild_online, "<ms>",
		       "plan a table rebuild online (batched copy, brief "
		       "swap) when its copy is estimated to take at least "
		       "this long (default 1000; 0: whenever it can)"),
	    OPT_BOOL(0, "defer-drops", &o.defer_drops,
		     "rename dropped tables and columns aside, for a later "
		     "plan to drop"),
	    OPT_STRING(0, "rename", &o.rename, "<renames>",
		       "declared renames, comma separated: "
		       "[schema.]table.column=new or [schema.]table=new"),
	    OPT_BOOL(0, "no-data-checks", &o.no_data_checks,
		     "do not count the live rows each step would reject"),
	    OPT_STRING(0, "server-version", &o.server_version, "<num>",
		       "server_version_num of the target server (default: "
		       "the source's, else 150000)"),
	    OPT_BOOL(0, "fail-on-breaking", &o.fail_on_breaking,
		     "exit 1 when the plan is not backwards compatible or a "
		     "data check fails"),
	    OPT_STRING(0, "dev-url", &o.dev_url, "<url>",
		       "scratch server for normalising DDL text"),
	    OPT_BOOL(0, "llm", &o.llm,
		     "let the configured model draft the plan; only a draft "
		     "proven on a throwaway copy is used"),
	    OPT_BOOL(0, "no-cache", &o.no_cache,
		     "with --llm: ask the model again, not its cached answer"),
	    OPT_END(),
	};
	error e = ERROR_INIT;

	argc = cmd_parse_options(argc, argv, opts, plan_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], plan_usage, opts);
	if (strcmp(o.format, "text") && strcmp(o.format, "json") &&
	    strcmp(o.format, "markdown") && strcmp(o.format, "sql")) {
		fprintf(stderr,
			"error: unknown format '%s' (use text, json, markdown "
			"or sql)\n",
			o.format);
		return EXIT_USAGE;
	}
	if (o.rollback && strcmp(o.format, "sql")) {
		fprintf(stderr, "error: --rollback goes with --format sql\n");
		return EXIT_USAGE;
	}
	if (o.plan && (o.from || o.to || o.env || o.out)) {
		fprintf(stderr,
			"error: --plan prints an existing plan: it does "
			"not go with --from, --to, --env or --out\n");
		return EXIT_USAGE;
	}
	if (o.no_cache && !o.llm) {
		fprintf(stderr, "error: --no-cache goes with --llm\n");
		return EXIT_USAGE;
	}
	if (o.plan && o.llm) {
		fprintf(stderr, "error: --llm drafts a new plan: it does not "
				"go with --plan\n");
		return EXIT_USAGE;
	}
	int code = o.plan ? show_plan(&o, &e) : run_plan(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
