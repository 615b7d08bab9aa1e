/*
 * `git schemig mcp`: a Model Context Protocol server on stdio, so that
 * an agent can inspect, diff, plan, lint, dry-run, explain and propose
 * migrations, but never apply one (apply stays behind `git schemig
 * apply` and its approvals).
 *
 * Framing: one JSON-RPC 2.0 message per line on stdin and stdout;
 * stdout carries nothing but protocol, logs go to stderr. Every tool
 * call (and every schema resource read) runs the CLI itself as a child
 * process of the same binary, its stdout the structured result, its
 * stderr lines the progress; mcp_serve multiplexes stdin and the
 * running children with poll().
 */
#ifndef SCHEMIG_MCP_H
#define SCHEMIG_MCP_H

#include <jansson.h>
#include <stdbool.h>

#include "../dialects/dialect.h"
#include "../util/error.h"
#include "../util/strbuf.h"

/* The protocol revisions this server speaks, newest first. */
#define MCP_VERSION_CURRENT  "2025-11-25"
#define MCP_VERSION_PREVIOUS "2025-06-18"

/* JSON-RPC and MCP error codes. */
enum {
	MCP_PARSE_ERROR = -32700,
	MCP_INVALID_REQUEST = -32600,
	MCP_METHOD_NOT_FOUND = -32601,
	MCP_INVALID_PARAMS = -32602,
	MCP_INTERNAL_ERROR = -32603,
	MCP_RESOURCE_NOT_FOUND = -32002,
};

/*
 * The protocol version to answer a client asking for `requested`
 * (NULL: none given): the same when this server speaks it, else the
 * newest it speaks (the client then decides whether to go on).
 */
const char *mcp_negotiate_version(const char *requested);

/*
 * Check `value` against the JSON Schema subset the tools' input schemas
 * use: "type" (object, string, integer, boolean), "properties",
 * "required", "additionalProperties": false, "enum", "minimum",
 * "minLength" and "maxLength". 0 when it conforms; else -1 and `why`
 * names the argument ("argument 'step': expected an integer").
 */
int mcp_check_args(const json_t *schema, const json_t *value, strbuf *why);

/* `text` (caller frees the copy) made fit for a result: every server
 * DETAIL line that quotes row values ("Key (email)=(...)", "Failing row
 * contains ...") replaced, so that no result carries row data, and
 * every byte that is not UTF-8 made U+FFFD. What a child printed goes
 * through it before it reaches the client. */
char *mcp_scrub_rows(const char *text);

/* One environment of .schemig.yml, as the server needs it. */
typedef struct mcp_env {
	const char *name;
	const char *url;     /* its source spec ("env:NAME", a URL) */
	const char *replica; /* NULL when none */
	bool is_protected, has_policy;
} mcp_env;

typedef struct mcp_opts {
	const char *self;	/* this binary, run for each call */
	const char *root;	/* the children's working directory */
	const char *version;	/* serverInfo.version */
	const dialect *dialect; /* redacts connection strings */
	const mcp_env *envs;
	int nenvs;
	const char *schema_path; /* the configured schema file */
	int in_fd, out_fd;	 /* normally 0 and 1 */
} mcp_opts;

/*
 * Serve until stdin ends. Running calls are then cancelled (SIGTERM to
 * each child's process group, SIGKILL after a grace period) and waited
 * for. Returns 0 at end of input, -1 with `e` when the server itself
 * cannot go on (its temporary directory, a write to stdout failing).
 */
int mcp_serve(const mcp_opts *o, error *e);

/* The tools/list result (a new reference): every tool with its input
 * and output schema. */
json_t *mcp_tools_list(void);

/* The input schema of tool `name` (borrowed), or NULL when there is no
 * such tool. */
const json_t *mcp_tool_input_schema(const char *name);

#endif
