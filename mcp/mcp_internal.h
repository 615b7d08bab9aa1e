/*
 * Shared inside mcp/: the server's state, one running call, and the
 * tool table's entries.
 */
#ifndef SCHEMIG_MCP_INTERNAL_H
#define SCHEMIG_MCP_INTERNAL_H

#include <poll.h>
#include <sys/types.h>

#include "mcp.h"

/* An argv under construction: owned strings, NULL-terminated. */
typedef struct mcp_argv {
	char **v;
	int n, alloc;
} mcp_argv;
void mcp_argv_push(mcp_argv *a, const char *s);
void mcp_argv_free(mcp_argv *a);

struct mcp_tool;

/* One request being served by a child process. */
typedef struct mcp_call {
	json_t *id;		     /* the request's id */
	json_t *progress_token;	     /* params._meta.progressToken, or NULL */
	const struct mcp_tool *tool; /* NULL for a resource read */
	char *uri;		     /* resources/read: the resource */
	json_t *args;		     /* the tool's arguments */
	int seq;		     /* names its temporary files */
	pid_t pid;		     /* also its process group */
	int out_fd, err_fd;	     /* -1 once closed */
	strbuf out, err, line;	     /* stdout, stderr, stderr's last part */
	int progress;		     /* notifications sent */
	bool cancelled;		     /* no answer is sent */
	long long term_ms;	     /* when SIGTERM went, 0: not yet */
	bool reaped;
	int status; /* waitpid's */
} mcp_call;

typedef struct mcp_srv {
	const mcp_opts *o;
	char *tmpdir; /* the server's temporary files (plans, SQL) */
	int seq;
	bool initialized;
	mcp_call **calls;
	int ncalls, alloc;
	json_t *last_plan; /* the last plan a call made or read */
	char *last_plan_file;
	bool out_broken; /* a write to stdout failed: the client is gone */
} mcp_srv;

/* Send one message (its reference is taken) as one line; -1 when stdout
 * is gone. */
int mcp_send(mcp_srv *s, json_t *msg);
/* A response with `result` (reference taken), or an error. A NULL id is
 * sent as null. */
void mcp_reply(mcp_srv *s, const json_t *id, json_t *result);
void mcp_reply_error(mcp_srv *s, const json_t *id, int code, const char *msg);

/* tools/call and resources/read: answered at once (errors, refusals,
 * the last plan) or when their child ends. */
void mcp_tools_call(mcp_srv *s, const json_t *id, const json_t *params);
void mcp_resources_read(mcp_srv *s, const json_t *id, const json_t *params);

/* The children (mcp/child.c). Start `c` as `self argv...` in the
 * repository root, in a process group of its own, and keep it in s;
 * -1 and `why` when it cannot start (c is then the caller's). */
int mcp_child_start(mcp_srv *s, mcp_call *c, const mcp_argv *a, strbuf *why);
/* The poll set: fds[0] is `in_fd`, then every open pipe of a child. */
int mcp_child_pollfds(mcp_srv *s, struct pollfd **fds, int in_fd);
/* Read the children's pipes, forward progress, reap the ones that
 * ended and answer for them, escalate a stop that takes too long. */
void mcp_child_service(mcp_srv *s);
/* SIGTERM to the call's process group; it is never answered. */
void mcp_child_cancel(mcp_srv *s, mcp_call *c, const char *why);
/* Cancel every call and wait for all of them (SIGKILL after a grace
 * period). */
void mcp_child_stop_all(mcp_srv *s);
/* A call's result: `structured` (reference taken) as structuredContent
 * and as text; or, with structured NULL, an isError result saying
 * `text`. */
json_t *mcp_tool_result(json_t *structured, const char *text);

/* What a tool's build step says. */
enum {
	MCP_BUILD_OK = 0,
	MCP_BUILD_BAD_PARAMS = -1, /* -32602 */
	MCP_BUILD_REFUSED = -2,	   /* a result with isError: true */
};

typedef struct mcp_tool {
	const char *name, *title, *description;
	const char *input_schema, *output_schema; /* JSON text */
	/* The child's argv after the binary, from validated arguments. */
	int (*build)(mcp_srv *s, mcp_call *c, const json_t *args, mcp_argv *a,
		     strbuf *why);
	/* The child ended with exit code `code` (stdout in c->out): its
	 * structured result (a JSON object), or -1 and `why` (a tool
	 * error). */
	int (*finish)(mcp_srv *s, mcp_call *c, int code, json_t **out,
		      strbuf *why);
} mcp_tool;

/* The tool named `name`, or NULL. */
const mcp_tool *mcp_find_tool(const char *name);

/* The file `name` in the server's temporary directory (caller frees),
 * with `text` written to it; NULL and `why` when it cannot be written. */
char *mcp_tmp_write(mcp_srv *s, const char *name, const char *text,
		    strbuf *why);

/* Redact every connection string among `v`'s strings, in place, with
 * the dialect's redact_url: no result carries a password. */
void mcp_redact_json(const mcp_srv *s, json_t *v);

/* The environment called `name`, or NULL. */
const mcp_env *mcp_find_env(const mcp_srv *s, const char *name);

/* resources/list's result; resources/read of `uri`: 1 and a call's argv
 * (a schema read by a child), 0 and *now (answered at once), or -1
 * (no such resource). */
json_t *mcp_resources_list(const mcp_srv *s);
int mcp_resource_read(mcp_srv *s, const char *uri, mcp_argv *a, json_t **now);
/* A schema resource's child ended: its contents, or NULL and `why`. */
json_t *mcp_resource_finish(mcp_srv *s, mcp_call *c, int code, strbuf *why);

/* Plans: a `plan` argument (a path, or the plan's JSON text) as a path
 * the child can read (caller frees), or NULL and `why`. */
char *mcp_plan_arg(mcp_srv *s, mcp_call *c, const char *plan, strbuf *why);

/* The tools' finishing steps (mcp/tools_result.c): the child's stdout
 * as JSON (diff, dry_run, inspect_schema), and the ones that reshape
 * it. */
int mcp_finish_json(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why);
int mcp_finish_plan(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why);
int mcp_finish_lint(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why);
int mcp_finish_explain(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why);
int mcp_finish_propose(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why);
int mcp_finish_history(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why);

/*
 * Where dry_run's `on` may point: "dev", "replica:ENV" (that
 * environment's replica) or a URL that is no environment's url. An
 * environment's name or url is refused (MCP_BUILD_REFUSED, naming it);
 * the dry run's own guard then compares servers by identity.
 */
int mcp_dry_run_target(mcp_srv *s, const char *on, char **out, strbuf *why);

#endif
