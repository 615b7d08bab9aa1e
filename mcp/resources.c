/*
 * Resources: the schema of the configured schema file and of each
 * environment (read by a child, as inspect_schema does), and the last
 * plan a call made.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

#define URI_FILE "schemig://schema/file"
#define URI_ENV	 "schemig://env/"
#define URI_PLAN "schemig://plan/last"

static json_t *resource(const char *uri, const char *name, const char *title,
			const char *desc)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "uri", uri, "name", name,
			 "title", title, "description", desc, "mimeType",
			 "application/json");
}

json_t *mcp_resources_list(const mcp_srv *s)
{
	json_t *list = json_array();
	json_array_append_new(
	    list, resource(URI_FILE, "schema-file", "The schema file",
			   "the tables, views, sequences and functions of "
			   "the configured schema file"));
	for (int i = 0; i < s->o->nenvs; i++) {
		strbuf uri = STRBUF_INIT, name = STRBUF_INIT,
		       title = STRBUF_INIT;
		strbuf_addf(&uri, URI_ENV "%s/schema", s->o->envs[i].name);
		strbuf_addf(&name, "schema-%s", s->o->envs[i].name);
		strbuf_addf(&title, "The schema of %s", s->o->envs[i].name);
		json_array_append_new(
		    list, resource(uri.buf, name.buf, title.buf,
				   "read from the environment's database "
				   "(its catalog only, never rows)"));
		strbuf_release(&uri);
		strbuf_release(&name);
		strbuf_release(&title);
	}
	if (s->last_plan)
		json_array_append_new(
		    list, resource(URI_PLAN, "last-plan", "The last plan",
				   "the plan the last plan call made"));
	return json_pack("{s:o}", "resources", list);
}

static json_t *contents(const char *uri, const json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_t *r = json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri,
			      "mimeType", "application/json", "text",
			      text ? text : "null");
	free(text);
	return r;
}

int mcp_resource_read(mcp_srv *s, const char *uri, mcp_argv *a, json_t **now)
{
	const char *spec = NULL;
	if (!strcmp(uri, URI_PLAN) && s->last_plan) {
		*now = contents(uri, s->last_plan);
		return 0;
	}
	if (!strcmp(uri, URI_FILE))
		spec = s->o->schema_path;
	size_t n = strlen(URI_ENV);
	for (int i = 0; !spec && i < s->o->nenvs; i++) {
		const char *name = s->o->envs[i].name;
		size_t len = strlen(name);
		if (!strncmp(uri, URI_ENV, n) && !strncmp(uri + n, name, len) &&
		    !strcmp(uri + n + len, "/schema"))
			spec = s->o->envs[i].url;
	}
	if (!spec)
		return -1;
	mcp_argv_push(a, "mcp");
	mcp_argv_push(a, "--inspect");
	mcp_argv_push(a, spec);
	return 1;
}

json_t *mcp_resource_finish(mcp_srv *s, mcp_call *c, int code, strbuf *why)
{
	json_t *v = code == 0 && c->out.len
			? json_loadb(c->out.buf, c->out.len, 0, NULL)
			: NULL;
	if (!json_is_object(v)) {
		json_decref(v);
		const char *e = strstr(c->err.buf ? c->err.buf : "", "error: ");
		strbuf_addf(why, "cannot read %s: %s", c->uri,
			    e ? e + 7 : "the schema could not be read");
		strbuf_trim(why);
		return NULL;
	}
	mcp_redact_json(s, v);
	json_t *r = contents(c->uri, v);
	json_decref(v);
	return r;
}

void mcp_resources_read(mcp_srv *s, const json_t *id, const json_t *params)
{
	const char *uri = json_string_value(json_object_get(params, "uri"));
	if (!uri)
		return mcp_reply_error(s, id, MCP_INVALID_PARAMS,
				       "resources/read needs params.uri");
	mcp_argv a = {0};
	json_t *now = NULL;
	int r = mcp_resource_read(s, uri, &a, &now);
	if (r < 0) {
		json_t *m = json_pack("{s:s, s:O, s:{s:i, s:s, s:{s:s}}}",
				      "jsonrpc", "2.0", "id", id, "error",
				      "code", MCP_RESOURCE_NOT_FOUND, "message",
				      "resource not found", "data", "uri", uri);
		mcp_send(s, m);
	} else if (r == 0) {
		mcp_reply(s, id, now);
	} else {
		mcp_call *c = xcalloc(1, sizeof(*c));
		c->id = json_incref((json_t *)id);
		c->uri = xstrdup(uri);
		c->out_fd = c->err_fd = -1;
		c->seq = ++s->seq;
		strbuf why = STRBUF_INIT;
		if (mcp_child_start(s, c, &a, &why) < 0) {
			mcp_reply_error(s, id, MCP_INTERNAL_ERROR, why.buf);
			json_decref(c->id);
			free(c->uri);
			free(c);
		}
		strbuf_release(&why);
	}
	mcp_argv_free(&a);
}
