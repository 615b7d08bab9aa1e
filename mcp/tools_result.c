/*
 * What a tool's child printed, made into its structured result; the
 * plan and SQL files the children read; where a dry run may go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

char *mcp_tmp_write(mcp_srv *s, const char *name, const char *text, strbuf *why)
{
	strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", s->tmpdir, name);
	int fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text), off = 0;
	while (fd >= 0 && off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (fd < 0 || off < len || close(fd) < 0) {
		strbuf_addf(why, "cannot write a temporary file: %s",
			    strerror(errno));
		strbuf_release(&path);
		return NULL;
	}
	return strbuf_detach(&path);
}

char *mcp_plan_arg(mcp_srv *s, mcp_call *c, const char *plan, strbuf *why)
{
	const char *p = plan + strspn(plan, " \t\r\n");
	if (*p != '{')
		return xstrdup(plan);
	/* The plan's JSON text: the child reads it from a file, where
	 * `plan --plan` checks its id like any plan file's. */
	char name[64];
	snprintf(name, sizeof(name), "plan-arg-%d.json", c->seq);
	return mcp_tmp_write(s, name, p, why);
}

/* The child's stdout as a JSON value, when it ended with 0 or 1 (the
 * commands' EXIT_FOUND: something found, still a result). */
static json_t *stdout_json(const mcp_call *c, int code)
{
	if ((code != 0 && code != 1) || !c->out.len)
		return NULL;
	return json_loadb(c->out.buf, c->out.len, 0, NULL);
}

int mcp_finish_json(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why)
{
	(void)s;
	(void)why;
	json_t *v = stdout_json(c, code);
	if (!json_is_object(v)) {
		json_decref(v);
		return -1;
	}
	*out = v;
	return 0;
}

int mcp_finish_history(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why)
{
	(void)s;
	(void)why;
	json_t *v = stdout_json(c, code);
	if (!json_is_array(v)) {
		json_decref(v);
		return -1;
	}
	*out = json_pack("{s:s, s:o}", "env",
			 json_string_value(json_object_get(c->args, "env")),
			 "applies", v);
	return 0;
}

int mcp_finish_lint(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why)
{
	(void)s;
	(void)why;
	json_t *v = stdout_json(c, code);
	json_t *findings = json_object_get(v, "findings");
	if (!json_is_array(findings)) {
		json_decref(v);
		return -1;
	}
	/* The findings name the server's temporary file: the agent gave
	 * text, so they name that. */
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) if (json_object_get(f, "file"))
	    json_object_set_new(f, "file", json_string("sql"));
	*out = v;
	return 0;
}

int mcp_finish_plan(mcp_srv *s, mcp_call *c, int code, json_t **out,
		    strbuf *why)
{
	(void)why;
	json_t *plan = stdout_json(c, code);
	const char *id = json_string_value(json_object_get(plan, "id"));
	if (!id) {
		json_decref(plan);
		return -1;
	}
	strbuf file = STRBUF_INIT;
	strbuf_addf(&file, "%s/plan-%d.json", s->tmpdir, c->seq);
	json_t *steps = json_array();
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(plan, "steps"), i, st)
	    json_array_append_new(
		steps,
		json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "n",
			  json_object_get(st, "n"), "kind",
			  json_object_get(st, "kind"), "object",
			  json_object_get(st, "object"), "lock",
			  json_object_get(st, "lock"), "hazards",
			  json_object_get(st, "hazards"), "transactional",
			  json_object_get(st, "transactional")));
	*out = json_pack("{s:s, s:s, s:O, s:o, s:O}", "plan_file", file.buf,
			 "plan_id", id, "verdict",
			 json_object_get(plan, "verdict") ?: json_object(),
			 "steps", steps, "plan", plan);
	json_decref(s->last_plan);
	free(s->last_plan_file);
	s->last_plan = plan;
	s->last_plan_file = strbuf_detach(&file);
	return *out ? 0 : -1;
}

int mcp_finish_propose(mcp_srv *s, mcp_call *c, int code, json_t **out,
		       strbuf *why)
{
	(void)why;
	if (code != 0)
		return -1;
	json_t *files = json_array();
	size_t rlen = strlen(s->o->root);
	char *save = NULL;
	strbuf text = STRBUF_INIT, summary = STRBUF_INIT;
	strbuf_adds(&text, c->out.buf ? c->out.buf : "");
	/* generate prints "wrote PATH" per file, then a summary line. */
	for (char *l = strtok_r(text.buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "wrote ", 6)) {
			strbuf_addf(&summary, "%s%s", summary.len ? " " : "",
				    l);
			continue;
		}
		const char *p = l + 6;
		/* Paths relative to the repository, as a review shows them. */
		if (!strncmp(p, s->o->root, rlen) && p[rlen] == '/')
			p += rlen + 1;
		char *shown = mcp_scrub_rows(p);
		json_array_append_new(files, json_string(shown));
		free(shown);
	}
	strbuf_release(&text);
	char *shown = mcp_scrub_rows(summary.buf ? summary.buf : "");
	*out = json_pack("{s:o, s:s, s:b}", "files", files, "summary", shown,
			 "committed", 0);
	free(shown);
	strbuf_release(&summary);
	return 0;
}

int mcp_dry_run_target(mcp_srv *s, const char *on, char **out, strbuf *why)
{
	if (!strcmp(on, "dev")) {
		*out = xstrdup("dev");
		return MCP_BUILD_OK;
	}
	if (!strncmp(on, "replica:", 8)) {
		const mcp_env *env = mcp_find_env(s, on + 8);
		if (!env) {
			strbuf_addf(why, "no environment '%s' in .schemig.yml",
				    on + 8);
			return MCP_BUILD_REFUSED;
		}
		if (!env->replica) {
			strbuf_addf(why,
				    "environment '%s' has no replica: a dry "
				    "run never runs on an environment's own "
				    "database; use on: dev",
				    env->name);
			return MCP_BUILD_REFUSED;
		}
		*out = xstrdup(env->replica);
		return MCP_BUILD_OK;
	}
	const char *val = !strncmp(on, "env:", 4) ? getenv(on + 4) : on;
	for (int i = 0; i < s->o->nenvs; i++) {
		const mcp_env *env = &s->o->envs[i];
		const char *u = env->url && !strncmp(env->url, "env:", 4)
				    ? getenv(env->url + 4)
				    : env->url;
		bool named = !strcmp(on, env->name);
		bool same = (env->url && !strcmp(on, env->url)) ||
			    (val && u && !strcmp(val, u));
		if (!named && !same)
			continue;
		const char *what = env->is_protected ? " (protected)"
				   : env->has_policy ? " (it has a policy)"
						     : "";
		if (named)
			strbuf_addf(why,
				    "refused: '%s' is an environment of "
				    ".schemig.yml%s",
				    env->name, what);
		else
			strbuf_addf(why,
				    "refused: that is the database of "
				    "environment '%s'%s",
				    env->name, what);
		strbuf_addf(why,
			    "; a dry run runs on dev or on an "
			    "environment's replica (on: dev, on: "
			    "replica:%s)",
			    env->name);
		return MCP_BUILD_REFUSED;
	}
	if (!strncmp(on, "env:", 4) || strstr(on, "://") || strchr(on, '='))
		return *out = xstrdup(on), MCP_BUILD_OK;
	strbuf_adds(why, "argument 'on': dev, replica:ENV or a connection "
			 "string");
	return MCP_BUILD_BAD_PARAMS;
}
