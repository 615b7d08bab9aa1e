/*
 * git schemig mcp: the Model Context Protocol server on stdio (mcp/),
 * and `mcp --inspect`, the child a schema inspection runs: a source's
 * tables, views, sequences and functions as JSON, never a row.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../mcp/mcp.h"
#include "../schema/model.h"
#include "../util/xalloc.h"
#include "cmd.h"

static const char mcp_usage[] =
    "git schemig mcp\n"
    "\n"
    "Serve the Model Context Protocol on stdin and stdout (one JSON-RPC\n"
    "message a line; logs on stderr) until stdin ends. Tools: inspect_schema,\n"
    "diff, plan, lint, dry_run, explain_step, propose_migration, history.\n"
    "No tool applies a plan. --inspect is what inspect_schema runs.";

static const char *con_kind(char k)
{
	switch (k) {
	case M_CON_PRIMARY:
		return "primary_key";
	case M_CON_UNIQUE:
		return "unique";
	case M_CON_CHECK:
		return "check";
	case M_CON_FOREIGN:
		return "foreign_key";
	case M_CON_EXCLUDE:
		return "exclude";
	default:
		return "other";
	}
}

/* "name" matches a table of any schema, "schema.name" one table. */
static bool table_matches(const m_table *t, const char *filter)
{
	if (!filter)
		return true;
	const char *dot = strchr(filter, '.');
	if (!dot)
		return !strcmp(t->name, filter);
	return strlen(t->schema) == (size_t)(dot - filter) &&
	       !strncmp(t->schema, filter, (size_t)(dot - filter)) &&
	       !strcmp(t->name, dot + 1);
}

static json_t *table_json(const model *m, const m_table *t)
{
	json_t *cols = json_array(), *cons = json_array(), *idx = json_array();
	for (int i = 0; i < t->ncolumns; i++) {
		const m_column *c = &t->columns[i];
		json_array_append_new(
		    cols,
		    json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:b}", "name",
			      c->name, "type", c->type, "not_null", c->not_null,
			      "default", c->default_expr, "generated",
			      c->generated_expr, "identity", c->identity != 0));
	}
	for (int i = 0; i < t->nconstraints; i++)
		json_array_append_new(
		    cons,
		    json_pack("{s:s, s:s, s:s?}", "name",
			      t->constraints[i].name, "kind",
			      con_kind(t->constraints[i].kind), "definition",
			      t->constraints[i].definition));
	for (int i = 0; i < m->nindexes; i++) {
		const m_index *x = &m->indexes[i];
		if (!strcmp(x->schema, t->schema) && !strcmp(x->table, t->name))
			json_array_append_new(
			    idx, json_pack("{s:s, s:b, s:s?}", "name", x->name,
					   "unique", x->unique, "definition",
					   x->definition));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s?}", "schema", t->schema,
			 "name", t->name, "columns", cols, "constraints", cons,
			 "indexes", idx, "comment", t->comment);
}

static json_t *model_json(const model *m, const char *shown, const char *table)
{
	json_t *tables = json_array(), *views = json_array(),
	       *seqs = json_array(), *fns = json_array(), *warns = json_array();
	for (int i = 0; i < m->ntables; i++)
		if (table_matches(&m->tables[i], table))
			json_array_append_new(tables,
					      table_json(m, &m->tables[i]));
	/* With a table filter only that table is asked about. */
	for (int i = 0; !table && i < m->nviews; i++)
		json_array_append_new(
		    views,
		    json_pack("{s:s, s:s, s:b}", "schema", m->views[i].schema,
			      "name", m->views[i].name, "materialized",
			      m->views[i].materialized));
	for (int i = 0; !table && i < m->nsequences; i++)
		json_array_append_new(seqs,
				      json_pack("{s:s, s:s, s:s?}", "schema",
						m->sequences[i].schema, "name",
						m->sequences[i].name, "type",
						m->sequences[i].type));
	for (int i = 0; !table && i < m->nfunctions; i++)
		json_array_append_new(
		    fns, json_pack("{s:s, s:s, s:s, s:s?}", "schema",
				   m->functions[i].schema, "name",
				   m->functions[i].name, "kind",
				   m->functions[i].kind == 'p'	 ? "procedure"
				   : m->functions[i].kind == 'a' ? "aggregate"
								 : "function",
				   "arguments", m->functions[i].identity_args));
	for (int i = 0; i < m->nwarnings; i++)
		json_array_append_new(warns,
				      json_string(m->warnings[i].message));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "source", shown,
			 "tables", tables, "views", views, "sequences", seqs,
			 "functions", fns, "warnings", warns);
}

static int inspect(cmd_ctx *ctx, const char *spec, const char *table,
		   const char *dev_opt, error *e)
{
	const dialect *d;
	char *dev_url = NULL, *shown = NULL;
	model *m = NULL;
	int ret = -1;
	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, e)) ||
	    cmd_dev_url(ctx, dev_opt, &dev_url, e) < 0)
		return -1;
	source_ctx sc = cmd_source_ctx(ctx, d, dev_url);
	if (source_load(&sc, spec, &m, e) < 0)
		goto out;
	shown = source_spec_redact(d, spec);
	json_t *v = model_json(m, shown, table);
	if (table && !json_array_size(json_object_get(v, "tables"))) {
		error_set(e, EXIT_FOUND, "no table '%s' in %s", table, shown);
		json_decref(v);
		goto out;
	}
	char *text = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS);
	printf("%s\n", text);
	free(text);
	json_decref(v);
	ret = 0;
out:
	model_free(m);
	free(shown);
	free(dev_url);
	return ret;
}

/* This binary, for the children: argv[0] may be "git-schemig" found
 * on a PATH that the client's environment does not even have. */
static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static int serve(cmd_ctx *ctx, error *e)
{
	const dialect *d;
	if (cmd_ctx_load_config(ctx, e) < 0 ||
	    !(d = cmd_pick_dialect(ctx->cfg->dialect, e)))
		return -1;
	char *self = self_path();
	if (!self)
		return error_set(e, EXIT_USAGE,
				 "cannot find this program's own path "
				 "(/proc/self/exe)");
	const config *cfg = ctx->cfg;
	mcp_env *envs = xcalloc((size_t)cfg->nenvs + 1, sizeof(*envs));
	for (int i = 0; i < cfg->nenvs; i++)
		envs[i] = (mcp_env){cfg->envs[i].name, cfg->envs[i].url,
				    config_env_replica_spec(&cfg->envs[i]),
				    cfg->envs[i].is_protected,
				    cfg->envs[i].has_policy};
	mcp_opts o = {
	    .self = self,
	    .root = ctx->root,
	    .version = SCHEMIG_VERSION,
	    .dialect = d,
	    .envs = envs,
	    .nenvs = cfg->nenvs,
	    .schema_path = cfg->schema,
	    .in_fd = 0,
	    .out_fd = 1,
	};
	fprintf(stderr, "git-schemig mcp %s: serving on stdio in %s\n",
		SCHEMIG_VERSION, ctx->root);
	int r = mcp_serve(&o, e);
	free(envs);
	free(self);
	return r;
}

int cmd_mcp(cmd_ctx *ctx, int argc, const char **argv)
{
	const char *spec = NULL, *table = NULL, *dev_url = NULL;
	const cmd_option opts[] = {
	    OPT_STRING(0, "inspect", &spec, "<source>",
		       "print the schema of a source as JSON and exit"),
	    OPT_STRING(0, "table", &table, "<name>",
		       "with --inspect: only this table ([schema.]name)"),
	    OPT_STRING(0, "dev-url", &dev_url, "<url>",
		       "with --inspect: scratch server for DDL text"),
	    OPT_END(),
	};
	argc = cmd_parse_options(argc, argv, opts, mcp_usage);
	if (argc < 0)
		return cmd_parse_exit(argc);
	if (argc)
		return cmd_unexpected_argument(argv[0], mcp_usage, opts);
	error e = ERROR_INIT;
	int r = spec ? inspect(ctx, spec, table, dev_url, &e) : serve(ctx, &e);
	return r < 0 ? cmd_error(&e) : EXIT_OK;
}
