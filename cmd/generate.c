/*
 * git schemig generate: a plan turned into the migration files a team
 * commits (plain SQL, Flyway, Knex or Alembic).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../emitters/emit.h"
#include "../plan/plan.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char generate_usage[] =
    "git schemig generate [--plan <file>] [--emitter sql|flyway|knex|alembic]\n"
    "                        [--dir <dir>] [--name <name>]\n"
    "                        [--from <source>] [--to <source>] [--env <name>]\n"
    "                        [--rename <renames>] [--dev-url <url>]\n"
    "                        [--llm [--no-cache]]";

typedef struct generate_opts {
	const char *plan, *emitter, *dir, *name;
	const char *from, *to, *env, *rename, *dev_url;
	bool llm, no_cache;
} generate_opts;

/* SOURCE_DATE_EPOCH makes the output reproducible (tests, packaging). */
static int generation_time(long long *now, error *e)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (!s || !*s) {
		*now = (long long)time(NULL);
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return error_set(e, EXIT_USAGE,
				 "SOURCE_DATE_EPOCH: expected seconds since "
				 "the epoch, got '%s'",
				 s);
	*now = v;
	return 0;
}

/* Plan from the sources, with the default settings (for other settings,
 * `git schemig plan --out FILE` first, then `generate --plan FILE`);
 * with --llm (or llm.enabled) the model drafts, as for plan --llm. */
static int make_plan(cmd_ctx *ctx, const generate_opts *o, plan *p, error *e)
{
	const char *from = o->from;
	char *to = o->to ? xstrdup(o->to) : NULL, *dev_url = NULL;
	int ret = -1;
	const dialect *d = cmd_pick_dialect(ctx->cfg->dialect, e);
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
		     .what = "generate --llm"};
	ret = cmd_plan_make_drafted(ctx, &sc, from, to, o->rename, &l, p, e);
out:
	free(to);
	free(dev_url);
	return ret;
}

static int run_generate(cmd_ctx *ctx, const generate_opts *o, error *e)
{
	plan p;
	emit_set files;
	char *dir = NULL, *name = NULL, *earlier = NULL, *versions = NULL;
	int ret = -1;

	plan_init(&p);
	emit_set_init(&files);
	if (cmd_ctx_load_config(ctx, e) < 0)
		goto out;
	const char *which =
	    o->emitter ? o->emitter : ctx->cfg->migrations_format;
	const emitter *em = emitter_find(which);
	if (!em) {
		error_set(e, EXIT_USAGE,
			  "unknown emitter '%s' (use sql, flyway, knex or "
			  "alembic)",
			  which);
		goto out;
	}
	if (o->plan ? cmd_read_plan(o->plan, NULL, &p, e) < 0
		    : make_plan(ctx, o, &p, e) < 0)
		goto out;

	strbuf sb = STRBUF_INIT;
	if (o->dir)
		strbuf_adds(&sb, o->dir);
	else
		strbuf_addf(&sb, "%s/%s", ctx->root, ctx->cfg->migrations_dir);
	dir = strbuf_detach(&sb);

	/* The same plan twice is one migration: its id is in the header. */
	strbuf_addf(&sb, "%s/versions", dir);
	versions = strbuf_detach(&sb);
	if (emit_find_plan(dir, p.id, &earlier) ||
	    emit_find_plan(versions, p.id, &earlier)) {
		printf("already generated: %s holds plan %.12s; nothing "
		       "written\n",
		       earlier, p.id);
		ret = EXIT_OK;
		goto out;
	}

	if (o->name) {
		name = emit_slug(o->name);
	} else {
		strbuf_addf(&sb, "schemig_%.8s", p.id);
		name = strbuf_detach(&sb);
	}
	emit_ctx ec = {
	    .plan = &p,
	    .dir = dir,
	    .root = ctx->root,
	    .name = name,
	};
	if (generation_time(&ec.now, e) < 0 ||
	    em->generate(&ec, &files, e) < 0 || emit_write(&files, dir, e) < 0)
		goto out;
	for (int i = 0; i < files.nfiles; i++)
		printf("wrote %s/%s\n", dir, files.files[i].path);
	printf("%s migration for plan %.12s: %d step%s, backwards compatible: "
	       "%s\n",
	       em->name, p.id, p.nsteps, p.nsteps == 1 ? "" : "s",
	       p.compatible ? "YES" : "NO");
	ret = EXIT_OK;
out:
	emit_set_release(&files);
	plan_release(&p);
	free(dir);
	free(name);
	free(earlier);
	free(versions);
	return ret;
}

int cmd_generate(cmd_ctx *ctx, int argc, const char **argv)
{
	generate_opts o = {0};
	const cmd_option opts[] = {
	    OPT_STRING(0, "plan", &o.plan, "<file>",
		       "the plan file (default: plan now, from --from to "
		       "--to)"),
	    OPT_STRING(0, "emitter", &o.emitter, "<name>",
		       "sql, flyway, knex or alembic (default: "
		       "migrations.format)"),
	    OPT_STRING(0, "dir", &o.dir, "<dir>",
		       "where the files go (default: migrations.dir)"),
	    OPT_STRING(0, "name", &o.name, "<name>",
		       "the migration's name, made into a slug"),
	    OPT_STRING(0, "from", &o.from, "<source>",
		       "without --plan: the current schema"),
	    OPT_STRING(0, "to", &o.to, "<source>",
		       "without --plan: the desired schema"),
	    OPT_STRING('e', "env", &o.env, "<name>",
		       "without --plan: environment whose url is --from's "
		       "default"),
	    OPT_STRING(0, "rename", &o.rename, "<renames>",
		       "without --plan: declared renames, as for plan"),
	    OPT_STRING(0, "dev-url", &o.dev_url, "<url>",
		       "scratch server for normalising DDL text"),
	    OPT_BOOL(0, "llm", &o.llm,
		     "without --plan: let the configured model draft the "
		     "plan; only a draft proven on a throwaway copy is used"),
	    OPT_BOOL(0, "no-cache", &o.no_cache,
		     "with --llm: ask the model again, not its cached answer"),
	    OPT_END(),
	};
	error e = ERROR_INIT;
	argc = cmd_parse_options(argc, argv, opts, generate_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], generate_usage, opts);
	if (o.plan && (o.from || o.to || o.env || o.rename || o.llm)) {
		fprintf(stderr,
			"error: --plan is the plan: it does not go with "
			"--from, --to, --env, --rename or --llm\n");
		return EXIT_USAGE;
	}
	if (o.no_cache && !o.llm) {
		fprintf(stderr, "error: --no-cache goes with --llm\n");
		return EXIT_USAGE;
	}
	int code = run_generate(ctx, &o, &e);
	return code < 0 ? cmd_error(&e) : code;
}
