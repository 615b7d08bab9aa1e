/*
 * The command layer: main's command table, the context every command
 * receives, and the small option parser they share. Commands only parse
 * arguments and call the modules; no SQL lives here.
 */
#ifndef SCHEMIG_CMD_H
#define SCHEMIG_CMD_H

#include <signal.h>
#include <stdbool.h>

#include "../config/config.h"
#include "../source/source.h"
#include "../util/error.h"

/* Global state of one run, built lazily so that `cmd -h` works even in a
 * directory with a broken configuration. */
typedef struct cmd_ctx {
	config *cfg; /* NULL until cmd_ctx_load_config */
	char *root;  /* repository working tree (or git dir when bare),
			else the current directory */
	bool in_repo;
	/* What must be cleaned up when the command ends, or from the signal
	 * handler when it is interrupted: the throwaway cluster. */
	source_state src;
} cmd_ctx;

/* A command returns the process exit code (EXIT_OK, EXIT_FOUND, ...). */
typedef int (*cmd_fn)(cmd_ctx *ctx, int argc, const char **argv);

typedef struct cmd_entry {
	const char *name;
	cmd_fn fn;
	const char *help; /* one line, for `git schemig -h` */
} cmd_entry;

int cmd_diff(cmd_ctx *ctx, int argc, const char **argv);
int cmd_plan(cmd_ctx *ctx, int argc, const char **argv);
int cmd_generate(cmd_ctx *ctx, int argc, const char **argv);
int cmd_init(cmd_ctx *ctx, int argc, const char **argv);
int cmd_ci(cmd_ctx *ctx, int argc, const char **argv);
int cmd_lint(cmd_ctx *ctx, int argc, const char **argv);
int cmd_report(cmd_ctx *ctx, int argc, const char **argv);
int cmd_version(cmd_ctx *ctx, int argc, const char **argv);
int cmd_demo(cmd_ctx *ctx, int argc, const char **argv);
int cmd_dry_run(cmd_ctx *ctx, int argc, const char **argv);
int cmd_apply(cmd_ctx *ctx, int argc, const char **argv);
int cmd_history(cmd_ctx *ctx, int argc, const char **argv);
int cmd_rollback(cmd_ctx *ctx, int argc, const char **argv);
int cmd_promote(cmd_ctx *ctx, int argc, const char **argv);
int cmd_approve(cmd_ctx *ctx, int argc, const char **argv);
int cmd_doctor(cmd_ctx *ctx, int argc, const char **argv);
int cmd_replica(cmd_ctx *ctx, int argc, const char **argv);
int cmd_mcp(cmd_ctx *ctx, int argc, const char **argv);

/* Shared by apply and ci merge (cmd/apply.c). */
typedef struct cmd_apply_opts {
	const char *env, *plan, *wait, *retries, *actor, *pr;
	const char *promote_from; /* promote --from */
	const char *dry_run;	  /* apply --dry-run: a dry-run report */
	bool llm; /* --llm: the model's advice on an escalation */
} cmd_apply_opts;
void cmd_apply_opts_init(cmd_apply_opts *o);
/* Run apply as `git schemig apply` does; `p` (from plan_init) gets the
 * plan that ran. Returns the exit code, or -1 with `e`. */
struct plan;
int cmd_apply_run(cmd_ctx *ctx, const cmd_apply_opts *o, struct plan *p,
		  error *e);

/* ci merge (cmd/ci_merge.c): apply, then post the outcome. */
typedef struct ci_merge_opts {
	const char *env, *post, *pr, *wait;
	bool llm; /* --llm: the model's advice on an escalation */
	const struct strbuf *journal; /* internal: the apply's record */
} ci_merge_opts;
int cmd_ci_merge(cmd_ctx *ctx, const ci_merge_opts *o, error *e);

/* Find the repository root (or take the current directory) without
 * reading any configuration. Idempotent. */
int cmd_ctx_find_root(cmd_ctx *ctx, error *e);

/* Find the repository root and load .schemig.yml there (defaults when
 * there is none). Idempotent. */
int cmd_ctx_load_config(cmd_ctx *ctx, error *e);

/* Shared by the commands that compare two sources (cmd/diff.c). */
/* --from's default: the chosen environment's url (--env, or the only
 * environment there is). */
int cmd_default_from(const config *cfg, const char *env_name, const char **from,
		     error *e);
/* The dialect and the resolved URL (caller frees) of environment
 * `env_name` (or the only one), the configuration loaded first. */
int cmd_env_url(cmd_ctx *ctx, const char *env_name, const dialect **d,
		char **url, error *e);
/* --to's default: the configured schema file, relative to the root. */
char *cmd_default_to(const cmd_ctx *ctx);
const struct dialect *cmd_pick_dialect(const char *name, error *e);
void cmd_print_warnings(const model *m);
/* The scratch server's URL (--dev-url, dev.url, SCHEMIG_DEV_URL), or
 * NULL; the caller frees it. */
int cmd_dev_url(const cmd_ctx *ctx, const char *opt, char **url, error *e);

/* Plan from `from` to `to` into `p` (settings filled by the caller):
 * load both, fingerprint them, plan, run the data checks on a live
 * source, finish. `renames` is --rename's text or NULL (cmd/plan.c). */
struct plan;
int cmd_plan_make(const source_ctx *sc, const char *from, const char *to,
		  const char *renames, struct plan *p, error *e);

/* --llm [--no-cache] of plan, generate and ci pr; `env` is the
 * environment whose policy the model is told, or NULL. */
typedef struct cmd_llm {
	bool llm, no_cache;
	const char *env;
	const char *what; /* the command, for progress ("generate --llm") */
} cmd_llm;

/* cmd_plan_make, then, with --llm or llm.enabled, the model's draft
 * (draft_plan: only a proven draft replaces the engine's steps; the
 * plan's draft record says what happened). Shared by plan, generate
 * and ci pr. */
int cmd_plan_make_drafted(cmd_ctx *ctx, const source_ctx *sc, const char *from,
			  const char *to, const char *renames, const cmd_llm *l,
			  struct plan *p, error *e);

/* The source context a command works with: the dialect, the repository,
 * the configured schema file, the scratch server and the throwaway
 * cluster of this run. Callers set normalise / parse_only themselves. */
source_ctx cmd_source_ctx(cmd_ctx *ctx, const struct dialect *d,
			  const char *dev_url);

/* Read a plan file, refusing one whose id does not match its content,
 * or one made for another dialect than `d` (NULL: any). */
int cmd_read_plan(const char *path, const struct dialect *d, struct plan *p,
		  error *e);

/* SIGINT and SIGTERM go to `handler` (which interrupts the running
 * statement; the command then undoes what it did) until
 * cmd_restore_signals. */
typedef struct cmd_signals {
	struct sigaction old_int, old_term;
} cmd_signals;
/* Make a replica of environment `env` into `into` (a spec or "dev")
 * (cmd/replica.c; ci pr provisions one with it). */
struct replica_copy;
int cmd_replica_make(cmd_ctx *ctx, const source_ctx *sc, const config_env *env,
		     const char *into, int sample_pct, bool refresh,
		     struct replica_copy **copy, json_t **summary, error *e);

void cmd_catch_signals(void (*handler)(int), cmd_signals *saved);
void cmd_restore_signals(const cmd_signals *saved);

/* Print "error: <message>" on stderr, clear `e` and return its exit code
 * (EXIT_USAGE when it carries none). */
int cmd_error(error *e);

/* ---- options -------------------------------------------------------- */

enum cmd_opt_type { CMD_OPT_END, CMD_OPT_STRING, CMD_OPT_BOOL };

typedef struct cmd_option {
	enum cmd_opt_type type;
	const char *long_name; /* without "--" */
	char short_name;       /* 0 when none */
	void *value;	       /* const char ** or bool * */
	const char *argh;      /* placeholder shown in help: "<source>" */
	const char *help;
} cmd_option;

#define OPT_STRING(s, l, v, a, h)                                              \
	{                                                                      \
		CMD_OPT_STRING, (l), (s), (v), (a), (h)                        \
	}
#define OPT_BOOL(s, l, v, h)                                                   \
	{                                                                      \
		CMD_OPT_BOOL, (l), (s), (v), NULL, (h)                         \
	}
#define OPT_END()                                                              \
	{                                                                      \
		CMD_OPT_END, NULL, 0, NULL, NULL, NULL                         \
	}

/* Returned by cmd_parse_options instead of an argument count. */
enum {
	CMD_PARSE_ERROR = -1, /* reported with the usage on stderr: exit 2 */
	CMD_PARSE_HELP = -2,  /* usage printed on stdout: exit 0 */
};

/*
 * Parse argv[1..argc-1] ("--name value", "--name=value", "-x value",
 * flags, "--" to end options, -h/--help). Arguments that are not options
 * are moved to the front of argv; their number is returned.
 */
int cmd_parse_options(int argc, const char **argv, const cmd_option *opts,
		      const char *usage);

/* Exit code for a CMD_PARSE_* result. */
static inline int cmd_parse_exit(int r)
{
	return r == CMD_PARSE_HELP ? EXIT_OK : EXIT_USAGE;
}

/* Print usage and the option table on stdout or stderr. */
void cmd_usage(const char *usage, const cmd_option *opts, bool to_stderr);

/* An argument that is not an option where none is taken: say so (a
 * connection string passed by mistake is shown without its password),
 * print the usage on stderr, and return EXIT_USAGE. */
int cmd_unexpected_argument(const char *arg, const char *usage,
			    const cmd_option *opts);

/* The options of a command that reads one environment: --env <name>
 * (NULL: the only one) and --format text|json. -1 to go on, else the
 * exit code (help, usage error). */
int cmd_parse_env_format(int argc, const char **argv, const char *usage,
			 const char **env, const char **format);

#endif
