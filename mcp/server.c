/*
 * The server loop: newline-delimited JSON-RPC on stdin and stdout, the
 * lifecycle (initialize, ping), the dispatch of requests, and the
 * children that serve tool calls and schema reads (mcp/child.c).
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

/* The SDK's reader gives up past 10 MiB of buffered input; so does this
 * server, for one line, rather than growing without bound. */
#define MAX_LINE (10 * 1024 * 1024)

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

int mcp_send(mcp_srv *s, json_t *msg)
{
	/* Compact output never holds a raw newline: jansson escapes the
	 * ones inside strings, so one message is one line. */
	char *text = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (!text)
		return -1;
	strbuf line = STRBUF_INIT;
	strbuf_adds(&line, text);
	strbuf_addch(&line, '\n');
	free(text);
	int r = 0;
	for (size_t off = 0; off < line.len;) {
		ssize_t n = write(s->o->out_fd, line.buf + off, line.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = -1;
			break;
		}
		off += (size_t)n;
	}
	strbuf_release(&line);
	if (r < 0)
		s->out_broken = true;
	return r;
}

static json_t *envelope(const json_t *id)
{
	return json_pack("{s:s, s:O}", "jsonrpc", "2.0", "id",
			 id ? id : json_null());
}

void mcp_reply(mcp_srv *s, const json_t *id, json_t *result)
{
	/* A result that could not be built is still an answer. */
	if (!result)
		return mcp_reply_error(
		    s, id, MCP_INTERNAL_ERROR,
		    "internal error: the result could not be "
		    "built");
	json_t *m = envelope(id);
	json_object_set_new(m, "result", result);
	mcp_send(s, m);
}

void mcp_reply_error(mcp_srv *s, const json_t *id, int code, const char *msg)
{
	/* A message may hold what a child printed. */
	char *text = mcp_scrub_rows(msg ? msg : "");
	json_t *m = envelope(id);
	json_object_set_new(
	    m, "error", json_pack("{s:i, s:s}", "code", code, "message", text));
	free(text);
	mcp_send(s, m);
}

static json_t *initialize_result(mcp_srv *s, const json_t *params)
{
	const char *asked =
	    json_string_value(json_object_get(params, "protocolVersion"));
	return json_pack(
	    "{s:s, s:{s:{s:b}, s:{s:b, s:b}}, s:{s:s, s:s, s:s}, s:s}",
	    "protocolVersion", mcp_negotiate_version(asked), "capabilities",
	    "tools", "listChanged", 0, "resources", "subscribe", 0,
	    "listChanged", 0, "serverInfo", "name", "git-schemig", "title",
	    "git schemig", "version", s->o->version, "instructions",
	    "Schema migrations for this repository: inspect_schema, diff, "
	    "plan, lint and explain_step read; dry_run runs a plan on dev or "
	    "an environment's replica, never on a protected environment; "
	    "propose_migration writes migration files into the working tree "
	    "for review. Applying stays with `git schemig apply` and its "
	    "approvals.");
}

static void on_notification(mcp_srv *s, const char *method,
			    const json_t *params)
{
	if (strcmp(method, "notifications/cancelled"))
		return; /* initialized, roots changes, ...: nothing to do */
	const json_t *rid = json_object_get(params, "requestId");
	for (int i = 0; rid && i < s->ncalls; i++)
		if (json_equal(s->calls[i]->id, (json_t *)rid) &&
		    !s->calls[i]->cancelled)
			mcp_child_cancel(s, s->calls[i], "cancelled");
}

static bool valid_id(const json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

static void on_request(mcp_srv *s, const json_t *id, const char *method,
		       const json_t *params)
{
	if (!strcmp(method, "initialize")) {
		if (!json_is_string(json_object_get(params, "protocolVersion")))
			return mcp_reply_error(
			    s, id, MCP_INVALID_PARAMS,
			    "initialize needs params.protocolVersion");
		s->initialized = true;
		return mcp_reply(s, id, initialize_result(s, params));
	}
	if (!strcmp(method, "ping"))
		return mcp_reply(s, id, json_object());
	if (!s->initialized)
		return mcp_reply_error(s, id, MCP_INVALID_REQUEST,
				       "the session is not initialized: send "
				       "initialize first");
	if (!strcmp(method, "tools/list"))
		return mcp_reply(s, id, mcp_tools_list());
	if (!strcmp(method, "tools/call"))
		return mcp_tools_call(s, id, params);
	if (!strcmp(method, "resources/list"))
		return mcp_reply(s, id, mcp_resources_list(s));
	if (!strcmp(method, "resources/templates/list"))
		return mcp_reply(s, id,
				 json_pack("{s:[]}", "resourceTemplates"));
	if (!strcmp(method, "resources/read"))
		return mcp_resources_read(s, id, params);
	strbuf msg = STRBUF_INIT;
	strbuf_addf(&msg, "method not found: %s", method);
	mcp_reply_error(s, id, MCP_METHOD_NOT_FOUND, msg.buf);
	strbuf_release(&msg);
}

static void on_message(mcp_srv *s, const json_t *m)
{
	const json_t *id = json_object_get(m, "id");
	const char *method = json_string_value(json_object_get(m, "method"));
	/* A response to a request of ours: this server sends none, so
	 * there is nothing to match it with. */
	if (!method && !json_object_get(m, "method") &&
	    (json_object_get(m, "result") || json_object_get(m, "error")))
		return;
	bool v2 = !strcmp(
	    json_string_value(json_object_get(m, "jsonrpc")) ?: "", "2.0");
	if (method && !id) {
		/* A notification is never answered, even a malformed one. */
		if (v2)
			on_notification(s, method,
					json_object_get(m, "params"));
		return;
	}
	if (!v2 || !method || !valid_id(id))
		return mcp_reply_error(s, valid_id(id) ? id : NULL,
				       MCP_INVALID_REQUEST,
				       "invalid request: a JSON-RPC 2.0 "
				       "request has \"jsonrpc\": \"2.0\", a "
				       "string method and a string or "
				       "integer id");
	const json_t *params = json_object_get(m, "params");
	if (params && !json_is_object(params))
		return mcp_reply_error(s, id, MCP_INVALID_PARAMS,
				       "params must be an object");
	on_request(s, id, method, params);
}

static void on_line(mcp_srv *s, char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len)
		return;
	json_error_t je;
	json_t *m = json_loadb(line, len, 0, &je);
	if (!m) {
		strbuf msg = STRBUF_INIT;
		strbuf_addf(&msg, "parse error: %s", je.text);
		mcp_reply_error(s, NULL, MCP_PARSE_ERROR, msg.buf);
		strbuf_release(&msg);
		return;
	}
	if (json_is_array(m))
		/* Batches: JSON-RPC allows an array of requests, but MCP
		 * 2025-06-18 removed batching and 2025-11-25 keeps it out,
		 * and both are all this server speaks; so an array is one
		 * invalid request, answered once. */
		mcp_reply_error(s, NULL, MCP_INVALID_REQUEST,
				"invalid request: batches (JSON arrays) are "
				"not part of this protocol revision");
	else if (!json_is_object(m))
		mcp_reply_error(s, NULL, MCP_INVALID_REQUEST,
				"invalid request: a message is a JSON object");
	else
		on_message(s, m);
	json_decref(m);
}

/* Read what stdin has; hand every complete line on. 1 at end of input. */
static int read_input(mcp_srv *s, strbuf *in)
{
	char buf[65536];
	ssize_t n = read(s->o->in_fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0) {
		if (in->len) /* a last line without its newline */
			on_line(s, in->buf, in->len);
		strbuf_reset(in);
		return 1;
	}
	strbuf_add(in, buf, (size_t)n);
	size_t start = 0;
	for (size_t i = in->len - (size_t)n; i < in->len; i++) {
		if (in->buf[i] != '\n')
			continue;
		on_line(s, in->buf + start, i - start);
		start = i + 1;
	}
	if (start) {
		memmove(in->buf, in->buf + start, in->len - start);
		strbuf_setlen(in, in->len - start);
	}
	if (in->len > MAX_LINE) {
		mcp_reply_error(s, NULL, MCP_PARSE_ERROR,
				"parse error: a message longer than 10 MiB");
		strbuf_reset(in);
	}
	return 0;
}

static void remove_tmpdir(char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *ent;
	while (d && (ent = readdir(d))) {
		if (ent->d_name[0] == '.')
			continue;
		strbuf p = STRBUF_INIT;
		strbuf_addf(&p, "%s/%s", dir, ent->d_name);
		unlink(p.buf);
		strbuf_release(&p);
	}
	if (d)
		closedir(d);
	if (dir)
		rmdir(dir);
	free(dir);
}

int mcp_serve(const mcp_opts *o, error *e)
{
	mcp_srv s;
	memset(&s, 0, sizeof(s));
	s.o = o;
	const char *tmp = getenv("TMPDIR");
	strbuf dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/schemig-mcp.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		error_set(e, EXIT_USAGE,
			  "cannot make a temporary directory "
			  "under %s: %s",
			  tmp && *tmp ? tmp : "/tmp", strerror(errno));
		strbuf_release(&dir);
		return -1;
	}
	s.tmpdir = strbuf_detach(&dir);

	/* SIGTERM or SIGINT ends the server as the end of stdin does (the
	 * running children are stopped first), so no handler here may
	 * restart poll(). A closed stdout is seen by write() instead. */
	struct sigaction sa, old_term, old_int;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	signal(SIGPIPE, SIG_IGN);

	strbuf in = STRBUF_INIT;
	bool eof = false;
	while (!eof && !s.out_broken && !stop_signal) {
		struct pollfd *fds = NULL;
		int nfds = mcp_child_pollfds(&s, &fds, o->in_fd);
		int r = poll(fds, (nfds_t)nfds, s.ncalls ? 100 : -1);
		if (r < 0 && errno != EINTR) {
			free(fds);
			break;
		}
		if (r > 0 && fds[0].fd == o->in_fd && fds[0].revents)
			eof = read_input(&s, &in) == 1;
		free(fds);
		mcp_child_service(&s);
	}
	if (eof || stop_signal)
		fprintf(stderr, "git-schemig mcp: %s, stopping\n",
			eof ? "end of input" : "signal");
	/* Whatever still runs was asked by a client that is gone. */
	mcp_child_stop_all(&s);

	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	strbuf_release(&in);
	json_decref(s.last_plan);
	free(s.last_plan_file);
	free(s.calls);
	remove_tmpdir(s.tmpdir);
	if (s.out_broken)
		return error_set(e, EXIT_USAGE,
				 "cannot write to stdout: the client is gone");
	return 0;
}
