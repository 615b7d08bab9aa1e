/*
 * git-schemig: the command table and what every command shares (the
 * context, error reporting, cleanup on exit and on signals).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../git/gitsrc.h"
#include "../util/xalloc.h"
#include "cmd.h"

static int cmd_help(cmd_ctx *ctx, int argc, const char **argv);

static const cmd_entry commands[] = {
    {"diff", cmd_diff, "show the statements that turn one schema into another"},
    {"plan", cmd_plan,
     "plan a safe migration: steps, locks, rollbacks, verdict"},
    {"generate", cmd_generate,
     "write the plan as SQL, Flyway, Knex or Alembic migration files"},
    {"ci", cmd_ci,
     "what CI runs on a pull request: ci pr (plan, check, dry run, report)"},
    {"init", cmd_init,
     "write .schemig.yml, detecting knexfile, alembic.ini or flyway.conf"},
    {"lint", cmd_lint,
     "report lock, rewrite and data-loss hazards in migration SQL"},
    {"report", cmd_report,
     "render the plan and its dry run for review; post it on the PR"},
    {"dry-run", cmd_dry_run,
     "run a plan on a copy, measure it and prove its rollback"},
    {"apply", cmd_apply,
     "execute a plan on an environment's database, journalled, resumable"},
    {"history", cmd_history, "list the applies journalled in a database"},
    {"rollback", cmd_rollback, "undo the last applied plan, journalled"},
    {"approve", cmd_approve,
     "approve a plan that leaves an environment's policy limits"},
    {"promote", cmd_promote,
     "apply on one environment what another one applied first"},
    {"replica", cmd_replica,
     "copy an environment's database, personal data masked, for dry runs"},
    {"doctor", cmd_doctor,
     "list what a crashed apply left on a server (one-shot logins)"},
    {"mcp", cmd_mcp,
     "serve agents over the Model Context Protocol (stdio); never applies"},
    {"demo", cmd_demo, "run the main job on an embedded sample repository"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "list the commands, or show one command's usage"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char main_usage[] =
    "git schemig [--version] [-h | --help] <command> [<args>]";

static void list_commands(FILE *f)
{
	fprintf(f, "usage: %s\n\ncommands:\n", main_usage);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "    %-10s %s\n", commands[i].name,
			commands[i].help);
	fprintf(f, "\nRun 'git schemig <command> -h' for a command's "
		   "options.\n");
}

static const cmd_entry *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "error: unknown command '%s'; see 'git schemig -h'\n",
		name);
	return EXIT_USAGE;
}

static int cmd_help(cmd_ctx *ctx, int argc, const char **argv)
{
	static const cmd_option opts[] = {OPT_END()};
	argc =
	    cmd_parse_options(argc, argv, opts, "git schemig help [<command>]");
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (!argc) {
		list_commands(stdout);
		return EXIT_OK;
	}
	const cmd_entry *c = find_command(argv[0]);
	if (!c)
		return unknown_command(argv[0]);
	const char *sub[] = {c->name, "-h", NULL};
	return c->fn(ctx, 2, sub);
}

int cmd_version(cmd_ctx *ctx, int argc, const char **argv)
{
	static const cmd_option opts[] = {OPT_END()};
	(void)ctx;
	argc = cmd_parse_options(argc, argv, opts, "git schemig version");
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], "git schemig version",
					       opts);
	printf("git-schemig %s\n", SCHEMIG_VERSION);
	return EXIT_OK;
}

int cmd_error(error *e)
{
	int code = e->code ? e->code : EXIT_USAGE;
	const char *msg = e->msg ? e->msg : "unknown error";
	size_t n = strlen(msg);
	/* Server messages end in a newline; one line break is enough. */
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	fprintf(stderr, "error: %.*s\n", (int)n, msg);
	error_clear(e);
	return code;
}

int cmd_ctx_find_root(cmd_ctx *ctx, error *e)
{
	if (!ctx->root) {
		int found = gitsrc_discover(NULL, &ctx->root, e);
		if (found < 0)
			return -1;
		ctx->in_repo = found == 1;
		if (!found) {
			char *cwd = getcwd(NULL, 0);
			ctx->root = xstrdup(cwd ? cwd : ".");
			free(cwd);
		}
	}
	return 0;
}

int cmd_ctx_load_config(cmd_ctx *ctx, error *e)
{
	if (ctx->cfg)
		return 0;
	if (cmd_ctx_find_root(ctx, e) < 0)
		return -1;
	return config_load_dir(ctx->root, &ctx->cfg, e);
}

/*
 * The one piece of global mutable state: a signal handler cannot be
 * given arguments, and it must reach the throwaway server to stop it and
 * remove its directory when the user presses Ctrl-C.
 */
static cmd_ctx *volatile signal_ctx;

static void on_signal(int sig)
{
	cmd_ctx *ctx = signal_ctx;
	if (ctx)
		source_state_abort(&ctx->src);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGPIPE too: `git schemig diff --from dev | head` must not leave the
 * throwaway server's directory behind. */
static void install_signal_handlers(cmd_ctx *ctx)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	signal_ctx = ctx;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void ctx_release(cmd_ctx *ctx)
{
	source_state_release(&ctx->src);
	signal_ctx = NULL;
	config_free(ctx->cfg);
	free(ctx->root);
}

int main(int argc, char **argv)
{
	const char **av = (const char **)argv;
	int i = 1;

	for (; i < argc && av[i][0] == '-'; i++) {
		if (!strcmp(av[i], "--version")) {
			printf("git-schemig %s\n", SCHEMIG_VERSION);
			return EXIT_OK;
		} else if (!strcmp(av[i], "-h") || !strcmp(av[i], "--help")) {
			list_commands(stdout);
			return EXIT_OK;
		} else {
			const char *name = av[i] + (av[i][1] == '-' ? 2 : 1);
			fprintf(stderr, "error: unknown option '%s'\n", name);
			fprintf(stderr, "usage: %s\n", main_usage);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		return EXIT_USAGE;
	}
	const cmd_entry *c = find_command(av[i]);
	if (!c)
		return unknown_command(av[i]);

	cmd_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	install_signal_handlers(&ctx);
	int code = c->fn(&ctx, argc - i, av + i);
	ctx_release(&ctx);
	if (fflush(stdout) != 0 && code == EXIT_OK) {
		perror("error: cannot write output");
		code = EXIT_USAGE;
	}
	return code;
}
