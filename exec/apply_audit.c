/*
 * Apply's audit trail (apply_internal.h): every event goes to the
 * journal in the database and, as one JSON line carrying the plan,
 * commit, pull request, actor and environment, to the audit file; an
 * escalation also to the webhook. Credentials are never part of one:
 * events carry no URL.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../report/report.h"
#include "../util/xalloc.h"
#include "apply_internal.h"

void apply_now_iso(char buf[32])
{
	struct timespec t;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &t);
	gmtime_r(&t.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03ldZ", t.tv_nsec / 1000000);
}

int apply_journal(apply_state *st, enum dialect_journal_op op, json_t *f,
		  error *e)
{
	strbuf sql = STRBUF_INIT;
	dialect_run_result res = {.own_lock = -1};
	int ret = st->d->journal_sql(op, f, &sql, e);
	if (!ret)
		ret = st->d->session_run(st->jr, strbuf_str(&sql), &res, e);
	if (ret < 0)
		error_prefix(e, "journal");
	strbuf_release(&sql);
	json_decref(f);
	return ret;
}

/* mkdir -p of the directories above `path`. */
static int make_parents(const char *path)
{
	char *dir = xstrdup(path);
	int ret = 0;
	for (char *p = dir + 1; *p && !ret; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST)
			ret = -1;
		*p = '/';
	}
	free(dir);
	return ret;
}

int apply_audit_open(apply_state *st, error *e)
{
	const char *path = st->o->audit_file;
	if (!path)
		return 0;
	if (make_parents(path) < 0 || !(st->audit = fopen(path, "a")))
		return error_set(e, EXIT_USAGE, "audit file %s: %s", path,
				 strerror(errno));
	return 0;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

void apply_event(apply_state *st, const char *type, json_t *fields,
		 const char *say)
{
	const apply_opts *o = st->o;
	char at[32];
	json_t *ev = fields ? fields : json_object();
	apply_now_iso(at);
	json_object_set_new(ev, "event", json_string(type));
	json_object_set_new(ev, "at", json_string(at));
	json_object_set_new(ev, "seq", json_integer(++st->seq));
	set_str(ev, "apply_id", st->id);
	set_str(ev, "plan_id", st->p->id);
	set_str(ev, "env", o->env);
	set_str(ev, "commit", o->commit);
	set_str(ev, "pull_request", o->pull_request);
	set_str(ev, "actor", o->actor);
	if (say)
		fprintf(stderr, "schemig: apply: %s\n", say);

	char *line = json_dumps(ev, JSON_SORT_KEYS | JSON_COMPACT);
	if (st->audit && line) {
		fprintf(st->audit, "%s\n", line);
		/* A crash right after must not lose what was written. */
		if (fflush(st->audit) != 0 || ferror(st->audit)) {
			fprintf(stderr,
				"schemig: apply: cannot write the audit file "
				"%s\n",
				o->audit_file);
			fclose(st->audit);
			st->audit = NULL;
		}
	}
	if (st->jr && st->in_journal && line) {
		error e = ERROR_INIT;
		json_t *f =
		    json_pack("{s:s, s:s}", "apply_id", st->id, "event", line);
		if (apply_journal(st, JOURNAL_EVENT, f, &e) < 0)
			fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
	}
	free(line);
	json_decref(ev);
}

void apply_webhook(const apply_state *st, const json_t *trace)
{
	if (!st->o->webhook)
		return;
	error e = ERROR_INIT;
	char *body = json_dumps(trace, JSON_SORT_KEYS | JSON_COMPACT);
	if (!body || report_post_webhook(st->o->webhook, body, &e) < 0)
		fprintf(stderr,
			"schemig: apply: the escalation was not "
			"delivered: %s\n",
			e.msg ? e.msg : "cannot encode it");
	else
		fprintf(stderr, "schemig: apply: escalation posted to "
				"audit.webhook\n");
	free(body);
	error_clear(&e);
}
