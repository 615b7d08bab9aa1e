/*
 * The children that serve calls. Each tool call runs the CLI itself
 * (`git-schemig <command> ... --format json`) as a child process: a
 * crash, a leak or a hung connection in one call stays out of the
 * server, and cancelling is a SIGTERM to the child's process group,
 * which the commands already answer by rolling back and cleaning up.
 * The argv is built from validated arguments and run with execv, never
 * through a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

/* How long a child may take to stop after SIGTERM before SIGKILL. */
#define STOP_GRACE_MS 5000
/* What is kept of a child's stderr for an error message. */
#define ERR_KEEP 8192

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mcp_child_start(mcp_srv *s, mcp_call *c, const mcp_argv *a, strbuf *why)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) < 0) {
		strbuf_addf(why, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		strbuf_addf(why, "cannot make a pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	mcp_argv full = {0};
	mcp_argv_push(&full, "git-schemig");
	for (int i = 0; i < a->n; i++)
		mcp_argv_push(&full, a->v[i]);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		/* A process group of its own: a cancel reaches whatever the
		 * command started too, and a Ctrl-C in the client's terminal
		 * does not. */
		setpgid(0, 0);
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0 || chdir(s->o->root) < 0)
			_exit(127);
		/* One line per step on stderr even though it is no terminal:
		 * the lines become progress notifications. */
		setenv("SCHEMIG_PROGRESS", "1", 1);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execv(s->o->self, full.v);
		_exit(127);
	}
	mcp_argv_free(&full);
	close(out[1]);
	close(err[1]);
	if (pid < 0) {
		strbuf_addf(why, "cannot start a process: %s", strerror(errno));
		close(out[0]);
		close(err[0]);
		return -1;
	}
	setpgid(pid, pid); /* also here: the child may not have run yet */
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->out_fd = out[0];
	c->err_fd = err[0];
	if (s->ncalls == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 8;
		s->calls = xrealloc(s->calls, s->alloc * sizeof(*s->calls));
	}
	s->calls[s->ncalls++] = c;
	fprintf(stderr, "git-schemig mcp: %s started (pid %d)\n",
		c->tool ? c->tool->name : c->uri, (int)pid);
	return 0;
}

int mcp_child_pollfds(mcp_srv *s, struct pollfd **fds, int in_fd)
{
	struct pollfd *p = xcalloc(1 + 2 * (size_t)s->ncalls, sizeof(*p));
	int n = 0;
	p[n++] = (struct pollfd){.fd = in_fd, .events = POLLIN};
	for (int i = 0; i < s->ncalls; i++) {
		if (s->calls[i]->out_fd >= 0)
			p[n++] = (struct pollfd){.fd = s->calls[i]->out_fd,
						 .events = POLLIN};
		if (s->calls[i]->err_fd >= 0)
			p[n++] = (struct pollfd){.fd = s->calls[i]->err_fd,
						 .events = POLLIN};
	}
	*fds = p;
	return n;
}

static void progress(mcp_srv *s, mcp_call *c, const char *line)
{
	fprintf(stderr, "[%s %d] %s\n", c->tool ? c->tool->name : "read",
		(int)c->pid, line);
	if (!c->progress_token || c->cancelled)
		return;
	c->progress++;
	char *text = mcp_scrub_rows(line);
	mcp_send(s, json_pack("{s:s, s:s, s:{s:O, s:i, s:s}}", "jsonrpc", "2.0",
			      "method", "notifications/progress", "params",
			      "progressToken", c->progress_token, "progress",
			      c->progress, "message", text));
	free(text);
}

/* Drain one pipe without blocking; 1 at its end. */
static int drain(int fd, strbuf *into)
{
	char buf[16384];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			strbuf_add(into, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
	}
}

/* Every complete stderr line is progress; the tail is kept for an
 * error message. */
static void take_lines(mcp_srv *s, mcp_call *c, bool all)
{
	size_t start = 0;
	for (size_t i = 0; i < c->line.len; i++) {
		if (c->line.buf[i] != '\n')
			continue;
		c->line.buf[i] = '\0';
		if (i > start)
			progress(s, c, c->line.buf + start);
		strbuf_addf(&c->err, "%s\n", c->line.buf + start);
		start = i + 1;
	}
	if (all && start < c->line.len) {
		progress(s, c, c->line.buf + start);
		strbuf_addf(&c->err, "%s\n", c->line.buf + start);
		start = c->line.len;
	}
	if (start) {
		memmove(c->line.buf, c->line.buf + start, c->line.len - start);
		strbuf_setlen(&c->line, c->line.len - start);
	}
	if (c->err.len > ERR_KEEP) {
		size_t cut = c->err.len - ERR_KEEP / 2;
		memmove(c->err.buf, c->err.buf + cut, c->err.len - cut);
		strbuf_setlen(&c->err, c->err.len - cut);
	}
}

static void call_free(mcp_call *c)
{
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	json_decref(c->id);
	json_decref(c->progress_token);
	json_decref(c->args);
	free(c->uri);
	strbuf_release(&c->out);
	strbuf_release(&c->err);
	strbuf_release(&c->line);
	free(c);
}

json_t *mcp_tool_result(json_t *structured, const char *text)
{
	if (!structured)
		return json_pack("{s:[{s:s, s:s}], s:b}", "content", "type",
				 "text", "text", text, "isError", 1);
	char *dump = json_dumps(structured, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_t *r = json_pack("{s:[{s:s, s:s}], s:o, s:b}", "content", "type",
			      "text", "text", dump ? dump : "{}",
			      "structuredContent", structured, "isError", 0);
	free(dump);
	return r;
}

/* The child's error lines ("error: ..."), else the tail of its stderr. */
static void error_text(const mcp_call *c, int code, strbuf *why)
{
	const char *e = strstr(c->err.buf ? c->err.buf : "", "error: ");
	strbuf_adds(why, e ? e : c->err.buf ? c->err.buf : "");
	strbuf_trim(why);
	if (!why->len)
		strbuf_addf(why, "the command ended with exit code %d", code);
}

static void answer(mcp_srv *s, mcp_call *c)
{
	int code = WIFEXITED(c->status)	    ? WEXITSTATUS(c->status)
		   : WIFSIGNALED(c->status) ? 128 + WTERMSIG(c->status)
					    : 125;
	fprintf(stderr, "git-schemig mcp: %s (pid %d) ended: %d%s\n",
		c->tool ? c->tool->name : c->uri, (int)c->pid, code,
		c->cancelled ? " (cancelled)" : "");
	if (c->cancelled)
		return; /* a cancelled request is never answered */
	strbuf why = STRBUF_INIT;
	if (!c->tool) {
		json_t *r = mcp_resource_finish(s, c, code, &why);
		if (r)
			mcp_reply(s, c->id, r);
		else
			mcp_reply_error(s, c->id, MCP_INTERNAL_ERROR, why.buf);
	} else {
		json_t *out = NULL;
		if (c->tool->finish(s, c, code, &out, &why) < 0 || !out) {
			if (!why.len)
				error_text(c, code, &why);
			char *text = mcp_scrub_rows(why.buf ? why.buf : "");
			mcp_reply(s, c->id, mcp_tool_result(NULL, text));
			free(text);
		} else {
			mcp_redact_json(s, out);
			mcp_reply(s, c->id, mcp_tool_result(out, NULL));
		}
	}
	strbuf_release(&why);
}

void mcp_child_service(mcp_srv *s)
{
	long long now = now_ms();
	for (int i = 0; i < s->ncalls; i++) {
		mcp_call *c = s->calls[i];
		if (c->out_fd >= 0 && drain(c->out_fd, &c->out)) {
			close(c->out_fd);
			c->out_fd = -1;
		}
		if (c->err_fd >= 0 && drain(c->err_fd, &c->line)) {
			close(c->err_fd);
			c->err_fd = -1;
		}
		take_lines(s, c, false);
		if (c->term_ms && now - c->term_ms > STOP_GRACE_MS) {
			kill(-c->pid, SIGKILL);
			c->term_ms = now;
		}
		/* Reaped by pid, not by the pipes' end: something the
		 * command started (a server) may hold them open. */
		if (waitpid(c->pid, &c->status, WNOHANG) != c->pid)
			continue;
		if (c->out_fd >= 0)
			drain(c->out_fd, &c->out);
		if (c->err_fd >= 0)
			drain(c->err_fd, &c->line);
		take_lines(s, c, true);
		answer(s, c);
		call_free(c);
		memmove(&s->calls[i], &s->calls[i + 1],
			(size_t)(s->ncalls - i - 1) * sizeof(*s->calls));
		s->ncalls--;
		i--;
	}
}

void mcp_child_cancel(mcp_srv *s, mcp_call *c, const char *why)
{
	(void)s;
	fprintf(stderr, "git-schemig mcp: %s (pid %d): %s, stopping it\n",
		c->tool ? c->tool->name : c->uri, (int)c->pid, why);
	c->cancelled = true;
	if (!c->term_ms) {
		kill(-c->pid, SIGTERM);
		c->term_ms = now_ms();
	}
}

void mcp_child_stop_all(mcp_srv *s)
{
	for (int i = 0; i < s->ncalls; i++)
		mcp_child_cancel(s, s->calls[i], "the client is gone");
	while (s->ncalls) {
		mcp_child_service(s);
		if (s->ncalls)
			poll(NULL, 0, 50);
	}
}
