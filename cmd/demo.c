/*
 * git schemig demo: the main job, end to end, on an embedded sample.
 *
 * It builds a sample repository (two commits of db/schema.sql: what is
 * deployed, then what the team wants), starts a throwaway PostgreSQL (or,
 * with --dialect mysql, MariaDB or MySQL, with the same shop in its DDL),
 * deploys the first commit's schema there with some rows, and then does
 * what a user would: diff the database against the schema file, lint the
 * naive migration, plan the safe one (with its verdict checked against
 * the rows), dry-run it, apply it (killed once mid-backfill, then
 * resumed) and diff again to show that nothing is left, then roll it back
 * and show that the database is the deployed commit again. Last, the
 * drafting stage (demo_draft.c): a second change, a column rename, that a
 * model drafts and the engine proves; with no model configured in the
 * environment, a recorded answer is replayed through the same checks.
 * Everything it creates is removed at the end (or on Ctrl-C), unless
 * --keep is given.
 */
#include <ftw.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../dialects/dialect.h"
#include "../git/gitsrc.h"
#include "../emitters/emit.h"
#include "../exec/apply.h"
#include "../exec/dryrun.h"
#include "../report/report.h"
#include "../lint/lint.h"
#include "../plan/plan.h"
#include "../replica/replica.h"
#include "../schema/diff.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "cmd.h"
#include "demo.h"
/* Generated from demo/v1.sql and demo/v2.sql by the Makefile. */
#include "demo_sql.h"

static const char demo_usage[] =
    "git schemig demo [--keep] [--dialect postgres|mysql]";

/* Rows, so that the plan has sizes to estimate and data to check. */
static const char demo_rows[] =
    "INSERT INTO customers (email, name) SELECT 'c' || g || '@example.com', "
    "'Customer ' || g FROM generate_series(1, 2000) g;\n"
    "INSERT INTO orders (customer_id, status, total, note) SELECT "
    "1 + g % 2000, 'paid', (g % 500) + 0.99, 'order ' || g "
    "FROM generate_series(1, 50000) g;\n"
    "ANALYZE;\n";

/* One dialect's sample: the same shop, in its own DDL. */
typedef struct demo_sample {
	const char *dialect;
	const char *config; /* .schemig.yml */
	const char *v1, *v2, *rows;
	const char *message; /* the second commit's */
	bool draft;	     /* the drafting stage (PostgreSQL's sample) */
} demo_sample;

static const demo_sample samples[] = {
    {"postgres",
     "# written by git schemig demo\ndialect: postgres\nschema: "
     "db/schema.sql\nmask:\n  public.customers.email: email\n"
     "  public.customers.name: fake_name\n  public.orders.note: redact\n",
     demo_v1_sql, demo_v2_sql, demo_rows, "Refunds, countries and order times",
     true},
    {"mysql",
     "# written by git schemig demo\ndialect: mysql\nschema: "
     "db/schema.sql\n",
     demo_mysql_v1_sql, demo_mysql_v2_sql, demo_mysql_rows_sql,
     "Refunds, countries, order times and notes never NULL", false},
};

static const demo_sample *sample;

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void section(const char *title)
{
	printf("\n== %s\n\n", title);
	fflush(stdout);
}

/* Make the sample repository: commit 1 is deployed, commit 2 is wanted. */
static int make_repo(const char *dir, error *e)
{
	const char *paths[] = {".schemig.yml", "db/schema.sql"};
	const char *v1[] = {sample->config, sample->v1};
	const char *v2[] = {sample->config, sample->v2};
	if (gitsrc_commit_files(dir, paths, v1, 2, "Deployed schema", e) < 0)
		return -1;
	return gitsrc_commit_files(dir, paths + 1, v2 + 1, 1, sample->message,
				   e);
}

static int diff_db(cmd_ctx *ctx, const dialect *d, const char *url,
		   const char *schema_file, const char *dir, diff_result *res,
		   error *e)
{
	model *from = NULL, *to = NULL;
	source_ctx sc = {
	    .dialect = d,
	    .repo_dir = dir,
	    .schema_path = "db/schema.sql",
	    .dev_url = source_state_server_url(&ctx->src),
	    .state = &ctx->src,
	};
	int ret = source_load_pair(&sc, url, schema_file, &from, &to, e);
	if (!ret)
		ret = d->diff(from, to, res, e);
	model_free(from);
	model_free(to);
	return ret;
}

/*
 * Where the dry run goes: a masked 20 % sample of the shop, made as
 * `git schemig replica` makes one, when the dialect makes replicas; the
 * shop itself otherwise. *copy (the caller releases it) and *on say which.
 */
static int demo_replica(cmd_ctx *ctx, const dialect *d, const source_ctx *sc,
			const char *url, const char *dir, replica_copy **copy,
			const char **on, error *e)
{
	config *cfg = NULL;
	char *into = NULL;
	json_t *summary = NULL;
	*copy = NULL;
	*on = "shop";
	if (!d->replica_fill)
		return 0;
	section("git schemig replica --into <shop_replica> --sample 20  "
		"(personal data masked while it streams)");
	int ret = config_load_dir(dir, &cfg, e);
	if (!ret)
		ret = d->url_with_database(source_state_server_url(&ctx->src),
					   "shop_replica", &into, e);
	replica_opts ro = {.sc = sc,
			   .cfg = cfg,
			   .env = "shop",
			   .source_url = url,
			   .into = into,
			   .sample_pct = 20};
	if (!ret)
		ret = replica_make(&ro, copy, &summary, e);
	if (!ret) {
		strbuf out = STRBUF_INIT;
		replica_format_text(summary, &out);
		fputs(strbuf_str(&out), stdout);
		strbuf_release(&out);
		*on = "shop_replica";
	}
	json_decref(summary);
	free(into);
	config_free(cfg);
	return ret;
}

/* The naive migration through lint: what a hand-written script risks. */
static int lint_naive(const dialect *d, const char *sql, error *e)
{
	lint_result lr;
	strbuf out = STRBUF_INIT;
	lint_result_init(&lr);
	int ret = d->lint(sql, "migration.sql", &lr, e);
	if (!ret) {
		lint_format_text(&lr, &out);
		fputs(strbuf_str(&out), stdout);
	}
	strbuf_release(&out);
	lint_result_release(&lr);
	return ret;
}

/* The migration files a team would commit: `git schemig generate`, with
 * the plain SQL emitter, into the sample repository's migrations/. */
static int generate_files(const plan *p, const char *dir, error *e)
{
	emit_set files;
	strbuf mdir = STRBUF_INIT;
	int ret = -1;
	emit_set_init(&files);
	strbuf_addf(&mdir, "%s/migrations", dir);
	emit_ctx ec = {
	    .plan = p,
	    .dir = mdir.buf,
	    .root = dir,
	    .name = "refunds_countries_order_times",
	    .now = (long long)time(NULL),
	};
	section("git schemig generate --emitter sql  (the files to commit)");
	if (emitter_sql.generate(&ec, &files, e) < 0 ||
	    emit_write(&files, mdir.buf, e) < 0)
		goto out;
	for (int i = 0; i < files.nfiles; i++)
		printf("wrote migrations/%s (%zu bytes)\n", files.files[i].path,
		       strlen(files.files[i].content));
	/* The header of the forward file: what a reviewer reads first. */
	if (files.nfiles) {
		const char *c = files.files[0].content;
		printf("\n");
		for (int n = 0; *c && n < 12; n++) {
			const char *nl = strchr(c, '\n');
			size_t len = nl ? (size_t)(nl - c) : strlen(c);
			printf("  %.*s\n", (int)len, c);
			c += len + (nl ? 1 : 0);
		}
		printf("  ...\n");
	}
	ret = 0;
out:
	strbuf_release(&mdir);
	emit_set_release(&files);
	return ret;
}

/* Plan from the database to the schema file, print it and apply it;
 * then apply its rollback and check that the database matches the
 * deployed commit again. */
static int plan_apply_rollback(cmd_ctx *ctx, const dialect *d, const char *url,
			       const char *schema_file, const char *dir,
			       error *e)
{
	plan p;
	strbuf out = STRBUF_INIT;
	diff_result again;
	int ret = -1;
	char *deployed = NULL;
	replica_copy *copy = NULL;
	plan_init(&p);
	diff_result_init(&again);
	source_ctx sc = {
	    .dialect = d,
	    .repo_dir = dir,
	    .schema_path = "db/schema.sql",
	    .dev_url = source_state_server_url(&ctx->src),
	    .state = &ctx->src,
	};

	section("git schemig plan --from <shop> --to db/schema.sql");
	if (cmd_plan_make(&sc, url, schema_file, NULL, &p, e) < 0)
		goto out;
	plan_format_text(&p, &out);
	fputs(strbuf_str(&out), stdout);

	if (generate_files(&p, dir, e) < 0)
		goto out;

	/* The dry run applies every step, measures it, proves both ways
	 * and leaves the database as it found it; the report is what the
	 * pull request would show. */
	const char *on;
	if (demo_replica(ctx, d, &sc, url, dir, &copy, &on, e) < 0)
		goto out;
	strbuf title = STRBUF_INIT;
	strbuf_addf(&title,
		    "git schemig dry-run --on <%s>  (measured, proved, left as "
		    "found)",
		    on);
	section(title.buf);
	strbuf_release(&title);
	json_t *dry = NULL;
	dryrun_opts dopts = {
	    .sc = &sc,
	    .url = copy ? replica_copy_url(copy) : url,
	    .on = on,
	    .to = schema_file,
	};
	if (dryrun_run(&p, &dopts, &dry, e) < 0)
		goto out;
	strbuf_reset(&out);
	dryrun_format_text(dry, &out);
	fputs(strbuf_str(&out), stdout);
	section("git schemig report --dry-run  (the pull-request comment)");
	report_input rin = {.plan = &p, .dry_run = dry};
	strbuf_reset(&out);
	report_render_markdown(&rin, &out);
	fputs(strbuf_str(&out), stdout);
	bool dry_ok = json_is_true(json_object_get(dry, "ok"));
	json_decref(dry);
	if (!dry_ok) {
		error_set(e, EXIT_USAGE, "the dry run failed");
		goto out;
	}

	/* Apply as the merge job would: journalled, and killed once in the
	 * middle of a backfill (a child process that dies by SIGKILL, as a
	 * crashed runner would), then run again: it resumes where the
	 * journal says it stopped. */
	section("git schemig apply  (killed during a backfill, then run again: "
		"it resumes)");
	strbuf audit = STRBUF_INIT;
	strbuf_addf(&audit, "%s/.schemig/audit.jsonl", dir);
	apply_opts ao;
	apply_opts_init(&ao);
	ao.sc = &sc;
	ao.url = url;
	ao.env = "shop";
	ao.to = schema_file;
	ao.actor = "demo";
	/* The resume comes right after a SIGKILL: the dead process's
	 * session may hold the apply lock until the server notices it is
	 * gone. */
	ao.wait_s = 30;
	ao.audit_file = audit.buf;
	char head[41];
	if (gitsrc_head(dir, head, e) < 0)
		goto out_audit;
	ao.commit = head;
	fflush(stdout);
	fflush(stderr);
	pid_t child = fork();
	if (child == 0) {
		setenv("SCHEMIG_TEST_KILL", "batch:2", 1);
		error ce = ERROR_INIT;
		_exit(apply_run(&p, &ao, &ce) < 0 ? 2 : 0);
	}
	int status = 0;
	if (child < 0 || waitpid(child, &status, 0) < 0) {
		error_set(e, EXIT_USAGE, "cannot start the apply");
		goto out_audit;
	}
	printf("the first apply was killed (%s); the journal holds where it "
	       "stopped\n",
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
		   ? "SIGKILL during the second backfill batch"
		   : "it ended on its own");
	fflush(stdout);
	int code = apply_run(&p, &ao, e);
	if (code != EXIT_OK) {
		if (code > 0)
			error_set(e, EXIT_USAGE, "the apply did not finish");
		goto out_audit;
	}
	if (diff_db(ctx, d, url, schema_file, dir, &again, e) < 0)
		goto out_audit;
	if (again.nstmts) {
		error_set(e, EXIT_USAGE, "the plan left %d difference%s",
			  again.nstmts, again.nstmts == 1 ? "" : "s");
		goto out_audit;
	}
	printf("No differences: the database now matches db/schema.sql.\n");

	section("git schemig history");
	json_t *h = NULL;
	if (apply_history(d, url, &h, e) < 0)
		goto out_audit;
	strbuf_reset(&out);
	apply_format_history(h, &out);
	json_decref(h);
	fputs(strbuf_str(&out), stdout);

	section("git schemig rollback  (the recorded rollback, journalled and "
		"proved)");
	fflush(stdout);
	code = apply_rollback_last(&ao, e);
	if (code != EXIT_OK) {
		if (code > 0)
			error_set(e, EXIT_USAGE, "the rollback did not finish");
		goto out_audit;
	}
	diff_result_release(&again);
	diff_result_init(&again);
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "git:HEAD~1:db/schema.sql");
	deployed = strbuf_detach(&sb);
	if (diff_db(ctx, d, url, deployed, dir, &again, e) < 0)
		goto out_audit;
	if (again.nstmts) {
		error_set(e, EXIT_USAGE, "the rollback left %d difference%s",
			  again.nstmts, again.nstmts == 1 ? "" : "s");
		goto out_audit;
	}
	printf("no differences from git:HEAD~1:db/schema.sql: the deployed "
	       "schema is back, with its rows.\n");
	ret = 0;
out_audit:
	strbuf_release(&audit);
out:
	replica_copy_release(copy);
	free(deployed);
	diff_result_release(&again);
	strbuf_release(&out);
	plan_release(&p);
	return ret;
}

static int run_demo(cmd_ctx *ctx, const char *dir, error *e)
{
	const dialect *d = dialect_find(sample->dialect);
	char *url = NULL, *schema_file = NULL;
	gitsrc_files deployed = {0};
	diff_result res;
	strbuf out = STRBUF_INIT;
	int ret = -1;

	diff_result_init(&res);
	section("A sample repository");
	if (make_repo(dir, e) < 0)
		goto out;
	printf("%s\n  .schemig.yml\n  db/schema.sql   (HEAD~1: deployed, "
	       "HEAD: what the team wants)\n",
	       dir);

	strbuf title = STRBUF_INIT;
	strbuf_addf(&title, "A throwaway %s, holding the deployed schema",
		    d->title);
	section(title.buf);
	strbuf_release(&title);
	if (source_state_start_server(&ctx->src, d, e) < 0)
		goto out;
	char *what = d->server_describe(ctx->src.dev);
	printf("started %s in a temporary directory (unix socket only)\n",
	       what);
	free(what);
	const char *server = source_state_server_url(&ctx->src);
	if (d->exec_script(server, "CREATE DATABASE shop", "demo", e) < 0 ||
	    gitsrc_read(dir, "HEAD~1", "db/schema.sql", &deployed, e) < 0 ||
	    d->url_with_database(server, "shop", &url, e) < 0)
		goto out;
	for (int i = 0; i < deployed.n; i++)
		if (d->exec_script(url, deployed.items[i].text,
				   deployed.items[i].name, e) < 0)
			goto out;
	if (d->exec_script(url, sample->rows, "rows", e) < 0)
		goto out;
	printf("loaded git:HEAD~1:db/schema.sql into database \"shop\", "
	       "with 2,000 customers and 50,000 orders\n");

	section("git schemig diff --from <shop> --to db/schema.sql "
		"--format text");
	strbuf sf = STRBUF_INIT;
	strbuf_addf(&sf, "%s/db/schema.sql", dir);
	schema_file = strbuf_detach(&sf);
	if (diff_db(ctx, d, url, schema_file, dir, &res, e) < 0)
		goto out;
	diff_result_format_text(&res, &out);
	fputs(out.buf, stdout);

	section("git schemig diff --from <shop> --to db/schema.sql  "
		"(the naive migration)");
	strbuf_reset(&out);
	diff_result_format_sql(&res, &out);
	fputs(strbuf_str(&out), stdout);

	section("git schemig lint  (what the naive migration would do to a "
		"live table)");
	if (lint_naive(d, strbuf_str(&out), e) < 0)
		goto out;

	if (plan_apply_rollback(ctx, d, url, schema_file, dir, e) < 0 ||
	    (sample->draft &&
	     demo_draft_stage(ctx, d, url, dir, demo_rename_sql,
			      demo_rename_answer_json, e) < 0))
		goto out;
	ret = 0;
out:
	strbuf_release(&out);
	diff_result_release(&res);
	gitsrc_files_release(&deployed);
	free(url);
	free(schema_file);
	return ret;
}

int cmd_demo(cmd_ctx *ctx, int argc, const char **argv)
{
	bool keep = false;
	const char *which = "postgres";
	const cmd_option opts[] = {
	    OPT_BOOL(0, "keep", &keep,
		     "keep the sample repository (the server always goes)"),
	    OPT_STRING(0, "dialect", &which, "name",
		       "the sample's database: postgres (default) or mysql"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, demo_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], demo_usage, opts);
	const dialect *wd = dialect_find(which);
	sample = NULL;
	for (size_t i = 0; wd && i < sizeof(samples) / sizeof(*samples); i++)
		if (!strcmp(samples[i].dialect, wd->name))
			sample = &samples[i];
	if (!sample) {
		error ue = ERROR_INIT;
		error_set(&ue, EXIT_USAGE,
			  "--dialect: expected postgres or mysql, not '%s'",
			  which);
		return cmd_error(&ue);
	}

	const char *tmp = getenv("TMPDIR");
	strbuf dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/schemig-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	error e = ERROR_INIT;
	if (!mkdtemp(dir.buf)) {
		error_set(&e, EXIT_USAGE, "cannot create a directory in %s",
			  tmp && *tmp ? tmp : "/tmp");
		strbuf_release(&dir);
		return cmd_error(&e);
	}
	int ret = run_demo(ctx, dir.buf, &e);
	if (!keep)
		nftw(dir.buf, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	else
		printf("\nThe sample repository is kept in %s\n", dir.buf);
	strbuf_release(&dir);
	return ret < 0 ? cmd_error(&e) : EXIT_OK;
}
