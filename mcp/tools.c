/*
 * The tools: their schemas, and for each the command line its child
 * runs. Argument names follow the CLI (env, from, to, sql, plan, step).
 * What a child's output becomes is in mcp/tools_result.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

#define S_STR(desc)                                                            \
	"{\"type\":\"string\",\"minLength\":1,\"description\":\"" desc "\"}"
#define P_ENV "\"env\":" S_STR("an environment of .schemig.yml")
#define P_FROM                                                                 \
	"\"from\":" S_STR("current schema: a source spec (env:VAR, a URL, "    \
			  "a file, a directory, git:REV[:PATH], dev); "        \
			  "default: the environment's url")
#define P_TO                                                                   \
	"\"to\":" S_STR("desired schema: a source spec; default: the "         \
			"configured schema file")
#define P_PLAN                                                                 \
	"\"plan\":" S_STR("a plan: the plan_file a plan call returned, a "     \
			  "path in the repository, or the plan's JSON text")
#define OBJ(props, req)                                                        \
	"{\"type\":\"object\",\"properties\":{" props "},\"required\":[" req   \
	"],\"additionalProperties\":false}"
#define OUT(props, req)                                                        \
	"{\"type\":\"object\",\"properties\":{" props "},\"required\":[" req   \
	"]}"

static const char *str_arg(const json_t *args, const char *name)
{
	return json_string_value(json_object_get(args, name));
}

/* --NAME VALUE for every string argument given, in this order. */
static void pass(mcp_argv *a, const json_t *args, const char *const *names)
{
	for (; *names; names++) {
		const char *v = str_arg(args, *names);
		if (!v)
			continue;
		strbuf opt = STRBUF_INIT;
		strbuf_addf(&opt, "--%s", *names);
		mcp_argv_push(a, opt.buf);
		mcp_argv_push(a, v);
		strbuf_release(&opt);
	}
}

/* An `env` argument must name an environment of .schemig.yml. */
static int known_env(mcp_srv *s, const char *name, strbuf *why)
{
	if (!name || mcp_find_env(s, name))
		return MCP_BUILD_OK;
	strbuf_addf(why, "no environment '%s' in .schemig.yml (known:", name);
	for (int i = 0; i < s->o->nenvs; i++)
		strbuf_addf(why, "%s %s", i ? "," : "", s->o->envs[i].name);
	strbuf_adds(why, s->o->nenvs ? ")" : " none)");
	return MCP_BUILD_REFUSED;
}

static int build_inspect(mcp_srv *s, mcp_call *c, const json_t *args,
			 mcp_argv *a, strbuf *why)
{
	(void)c;
	const char *env = str_arg(args, "env"), *src = str_arg(args, "source");
	if (env && src) {
		strbuf_adds(why, "give env or source, not both");
		return MCP_BUILD_BAD_PARAMS;
	}
	if (known_env(s, env, why))
		return MCP_BUILD_REFUSED;
	const char *spec = env	 ? mcp_find_env(s, env)->url
			   : src ? src
				 : s->o->schema_path;
	mcp_argv_push(a, "mcp");
	mcp_argv_push(a, "--inspect");
	mcp_argv_push(a, spec);
	if (str_arg(args, "table")) {
		mcp_argv_push(a, "--table");
		mcp_argv_push(a, str_arg(args, "table"));
	}
	return MCP_BUILD_OK;
}

static int build_diff(mcp_srv *s, mcp_call *c, const json_t *args, mcp_argv *a,
		      strbuf *why)
{
	static const char *const names[] = {"from", "to", "env", NULL};
	(void)c;
	if (known_env(s, str_arg(args, "env"), why))
		return MCP_BUILD_REFUSED;
	mcp_argv_push(a, "diff");
	pass(a, args, names);
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	return MCP_BUILD_OK;
}

static int build_plan(mcp_srv *s, mcp_call *c, const json_t *args, mcp_argv *a,
		      strbuf *why)
{
	static const char *const names[] = {"from", "to", "env", "rename",
					    NULL};
	if (known_env(s, str_arg(args, "env"), why))
		return MCP_BUILD_REFUSED;
	mcp_argv_push(a, "plan");
	pass(a, args, names);
	if (json_is_true(json_object_get(args, "allow_rewrite")))
		mcp_argv_push(a, "--allow-rewrite");
	if (json_is_true(json_object_get(args, "defer_drops")))
		mcp_argv_push(a, "--defer-drops");
	strbuf out = STRBUF_INIT;
	strbuf_addf(&out, "%s/plan-%d.json", s->tmpdir, c->seq);
	mcp_argv_push(a, "--out");
	mcp_argv_push(a, out.buf);
	strbuf_release(&out);
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	return MCP_BUILD_OK;
}

static int build_lint(mcp_srv *s, mcp_call *c, const json_t *args, mcp_argv *a,
		      strbuf *why)
{
	/* The SQL is only ever a file the linter parses: nothing runs it. */
	char name[64];
	snprintf(name, sizeof(name), "lint-%d.sql", c->seq);
	char *path = mcp_tmp_write(s, name, str_arg(args, "sql"), why);
	if (!path)
		return MCP_BUILD_REFUSED;
	mcp_argv_push(a, "lint");
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	const json_t *mv = json_object_get(args, "min_version");
	if (mv) {
		char num[32];
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_integer_value(mv));
		mcp_argv_push(a, "--min-version");
		mcp_argv_push(a, num);
	}
	mcp_argv_push(a, "--");
	mcp_argv_push(a, path);
	free(path);
	return MCP_BUILD_OK;
}

/* A plan argument, or none: plan from from/to/env. */
static int plan_or_sources(mcp_srv *s, mcp_call *c, const json_t *args,
			   mcp_argv *a, strbuf *why)
{
	static const char *const names[] = {"from", "to", "env", NULL};
	const char *plan = str_arg(args, "plan");
	if (known_env(s, str_arg(args, "env"), why))
		return MCP_BUILD_REFUSED;
	if (plan) {
		char *path = mcp_plan_arg(s, c, plan, why);
		if (!path)
			return MCP_BUILD_REFUSED;
		mcp_argv_push(a, "--plan");
		mcp_argv_push(a, path);
		free(path);
	}
	pass(a, args, names);
	return MCP_BUILD_OK;
}

static int build_dry_run(mcp_srv *s, mcp_call *c, const json_t *args,
			 mcp_argv *a, strbuf *why)
{
	char *on = NULL;
	int r = mcp_dry_run_target(s, str_arg(args, "on"), &on, why);
	if (r)
		return r;
	mcp_argv_push(a, "dry-run");
	mcp_argv_push(a, "--on");
	mcp_argv_push(a, on);
	free(on);
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	return plan_or_sources(s, c, args, a, why);
}

static int build_explain(mcp_srv *s, mcp_call *c, const json_t *args,
			 mcp_argv *a, strbuf *why)
{
	char *path = mcp_plan_arg(s, c, str_arg(args, "plan"), why);
	if (!path)
		return MCP_BUILD_REFUSED;
	/* `plan --plan` checks the file's id against its content before
	 * printing it: an edited plan is refused, not explained. */
	mcp_argv_push(a, "plan");
	mcp_argv_push(a, "--plan");
	mcp_argv_push(a, path);
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	free(path);
	return MCP_BUILD_OK;
}

static int build_propose(mcp_srv *s, mcp_call *c, const json_t *args,
			 mcp_argv *a, strbuf *why)
{
	static const char *const names[] = {"emitter", "name", NULL};
	mcp_argv_push(a, "generate");
	pass(a, args, names);
	return plan_or_sources(s, c, args, a, why);
}

static int build_history(mcp_srv *s, mcp_call *c, const json_t *args,
			 mcp_argv *a, strbuf *why)
{
	(void)c;
	if (known_env(s, str_arg(args, "env"), why))
		return MCP_BUILD_REFUSED;
	mcp_argv_push(a, "history");
	mcp_argv_push(a, "--env");
	mcp_argv_push(a, str_arg(args, "env"));
	mcp_argv_push(a, "--format");
	mcp_argv_push(a, "json");
	return MCP_BUILD_OK;
}

static const mcp_tool tools[] = {
    {"inspect_schema", "Inspect a schema",
     "The tables (columns, constraints, indexes), views, sequences and "
     "functions of an environment's database or of a source (a schema "
     "file, git:REV, a URL). Never reads rows.",
     OBJ(P_ENV ",\"source\":" S_STR("a source spec: a file, a directory, "
				    "git:REV[:PATH], env:VAR, "
				    "a URL; default: the configured schema "
				    "file") ",\"table\":" S_STR("only this "
								"table: name "
								"or "
								"schema.name"),
	 ""),
     OUT("\"source\":{\"type\":\"string\"},\"tables\":{\"type\":\"array\"},"
	 "\"views\":{\"type\":\"array\"}",
	 "\"source\",\"tables\""),
     build_inspect, mcp_finish_json},
    {"diff", "Diff two schemas",
     "The statements that turn the from schema into the to schema.",
     OBJ(P_FROM "," P_TO "," P_ENV, ""),
     OUT("\"changes\":{\"type\":\"array\"}", "\"changes\""), build_diff,
     mcp_finish_json},
    {"plan", "Plan a safe migration",
     "Plan the migration from one schema to another: steps with their "
     "locks, rollbacks and hazards, and the verdict (backwards "
     "compatible, will the data checks fail). Returns plan_file, to give "
     "to dry_run, explain_step and propose_migration.",
     OBJ(P_FROM "," P_TO "," P_ENV ",\"rename\":" S_STR(
	     "declared renames, comma separated: [schema.]table.column=new "
	     "or [schema.]table=new") ",\"allow_rewrite\":{\"type\":"
				      "\"boolean\"},\"defer_drops\":{"
				      "\"type\":\"boolean\"}",
	 ""),
     OUT("\"plan_file\":{\"type\":\"string\"},\"plan_id\":{\"type\":"
	 "\"string\"},\"verdict\":{\"type\":\"object\"},\"steps\":{"
	 "\"type\":\"array\"},\"plan\":{\"type\":\"object\"}",
	 "\"plan_file\",\"plan_id\",\"verdict\",\"steps\""),
     build_plan, mcp_finish_plan},
    {"lint", "Lint migration SQL",
     "Report lock, rewrite and data-loss hazards in migration SQL. The "
     "SQL is parsed, never executed.",
     OBJ("\"sql\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":"
	 "4194304,\"description\":\"the migration's SQL text\"},"
	 "\"min_version\":{\"type\":\"integer\",\"minimum\":9,"
	 "\"description\":\"oldest server major version the SQL runs on\"}",
	 "\"sql\""),
     OUT("\"findings\":{\"type\":\"array\"}", "\"findings\""), build_lint,
     mcp_finish_lint},
    {"dry_run", "Dry-run a plan on a copy",
     "Run a plan on dev (a throwaway server loaded with from) or on an "
     "environment's replica, measure every step and prove its rollback; "
     "the copy is left as it was. Never runs on an environment's own "
     "database. Sends progress notifications.",
     OBJ("\"on\":" S_STR(
	     "dev, replica:ENV (that environment's replica), or the URL of "
	     "a copy that is no environment's database") "," P_PLAN "," P_FROM
							 "," P_TO "," P_ENV,
	 "\"on\""),
     OUT("\"ok\":{\"type\":\"boolean\"},\"steps\":{\"type\":\"array\"},"
	 "\"proof\":{\"type\":\"object\"}",
	 "\"ok\""),
     build_dry_run, mcp_finish_json},
    {"explain_step", "Explain a plan step",
     "One step of a plan in words: what it does, the lock it takes and "
     "for how long, the rows it touches, its risk and its rollback.",
     OBJ(P_PLAN ",\"step\":{\"type\":\"integer\",\"minimum\":1,"
		"\"description\":\"the step's number (1-based)\"}",
	 "\"plan\",\"step\""),
     OUT("\"step\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\"},"
	 "\"summary\":{\"type\":\"string\"},\"lock\":{\"type\":\"string\"},"
	 "\"rows\":{\"type\":\"string\"},\"risk\":{\"type\":\"string\"},"
	 "\"rollback\":{\"type\":\"string\"}",
	 "\"step\",\"kind\",\"summary\",\"lock\",\"rows\",\"risk\","
	 "\"rollback\""),
     build_explain, mcp_finish_explain},
    {"propose_migration", "Propose a migration",
     "Write the migration files for a plan into the working tree with "
     "the configured emitter (or the one given), for review. Never "
     "commits and never applies.",
     OBJ(P_PLAN "," P_FROM "," P_TO "," P_ENV
		",\"emitter\":{\"type\":\"string\",\"enum\":[\"sql\","
		"\"flyway\",\"knex\",\"alembic\"]},\"name\":" S_STR(
		    "the migration's name, made into a slug"),
	 ""),
     OUT("\"files\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
	 "\"summary\":{\"type\":\"string\"}",
	 "\"files\""),
     build_propose, mcp_finish_propose},
    {"history", "Journal of an environment",
     "The applies journalled in an environment's database (read-only).",
     OBJ(P_ENV, "\"env\""),
     OUT("\"env\":{\"type\":\"string\"},\"applies\":{\"type\":\"array\"}",
	 "\"applies\""),
     build_history, mcp_finish_history},
};

#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

const mcp_tool *mcp_find_tool(const char *name)
{
	for (size_t i = 0; name && i < NTOOLS; i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

/* The schemas are constant text, parsed once per use; a typo in them is
 * a bug caught by every test run (the parse aborts). */
static json_t *parse_schema(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);
	if (!v) {
		fprintf(stderr, "mcp: bad schema at %d: %s\n%s\n", je.position,
			je.text, text);
		abort();
	}
	return v;
}

json_t *mcp_tools_list(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < NTOOLS; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:b, s:b}}",
				    "name", tools[i].name, "title",
				    tools[i].title, "description",
				    tools[i].description, "inputSchema",
				    parse_schema(tools[i].input_schema),
				    "outputSchema",
				    parse_schema(tools[i].output_schema),
				    "annotations", "readOnlyHint",
				    tools[i].build != build_propose &&
					tools[i].build != build_dry_run,
				    "destructiveHint", 0));
	return json_pack("{s:o}", "tools", list);
}

/* Cached: the check runs on every call. */
const json_t *mcp_tool_input_schema(const char *name)
{
	static json_t *cache[NTOOLS];
	const mcp_tool *t = mcp_find_tool(name);
	if (!t)
		return NULL;
	size_t i = (size_t)(t - tools);
	if (!cache[i])
		cache[i] = parse_schema(t->input_schema);
	return cache[i];
}

/* Tools an agent may ask for that this server will not offer. */
static const char *const refused[] = {"apply",	 "rollback",	    "promote",
				      "approve", "apply_migration", NULL};

void mcp_tools_call(mcp_srv *s, const json_t *id, const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	const json_t *args = json_object_get(params, "arguments");
	if (!name)
		return mcp_reply_error(s, id, MCP_INVALID_PARAMS,
				       "tools/call needs params.name");
	for (int i = 0; refused[i]; i++)
		if (!strcmp(name, refused[i]))
			return mcp_reply(
			    s, id,
			    mcp_tool_result(
				NULL,
				"apply is not a tool of this server: a plan "
				"reaches an environment's database only "
				"through `git schemig apply` (in CI, on "
				"merge), with the environment's policy and "
				"approvals. Use propose_migration to write "
				"the migration files for review, and dry_run "
				"to try the plan on dev or a replica."));
	const mcp_tool *t = mcp_find_tool(name);
	strbuf why = STRBUF_INIT;
	if (!t) {
		strbuf_addf(&why, "unknown tool '%s'", name);
		goto bad;
	}
	if (args && !json_is_object(args)) {
		strbuf_adds(&why, "arguments must be an object");
		goto bad;
	}
	json_t *empty = args ? NULL : json_object();
	if (mcp_check_args(mcp_tool_input_schema(name), args ? args : empty,
			   &why) < 0) {
		json_decref(empty);
		goto bad;
	}
	mcp_call *c = xcalloc(1, sizeof(*c));
	c->tool = t;
	c->id = json_incref((json_t *)id);
	c->args = args ? json_incref((json_t *)args) : empty;
	c->out_fd = c->err_fd = -1;
	c->seq = ++s->seq;
	const json_t *tok =
	    json_object_get(json_object_get(params, "_meta"), "progressToken");
	if (json_is_string(tok) || json_is_integer(tok))
		c->progress_token = json_incref((json_t *)tok);
	mcp_argv a = {0};
	int r = t->build(s, c, c->args, &a, &why);
	if (r == MCP_BUILD_OK && mcp_child_start(s, c, &a, &why) < 0)
		r = -3;
	mcp_argv_free(&a);
	if (r == MCP_BUILD_BAD_PARAMS)
		mcp_reply_error(s, id, MCP_INVALID_PARAMS, why.buf);
	else if (r == MCP_BUILD_REFUSED)
		mcp_reply(s, id, mcp_tool_result(NULL, why.buf));
	else if (r < 0)
		mcp_reply_error(s, id, MCP_INTERNAL_ERROR, why.buf);
	if (r != MCP_BUILD_OK) {
		json_decref(c->id);
		json_decref(c->progress_token);
		json_decref(c->args);
		free(c);
	}
	strbuf_release(&why);
	return;
bad:
	mcp_reply_error(s, id, MCP_INVALID_PARAMS, why.buf);
	strbuf_release(&why);
}
