/*
 * pgload: run a migration plan against a table under write load and
 * report, per step, what the writers went through and which locks the
 * migration held. It is what proves the planner's promises ("this step
 * does not block writes") instead of trusting the plan's own labels.
 *
 *   pgload --url URL --table T [--writers N] [--rate R] [--duration S]
 *          [--json] [--plan plan.json [--rollback] | --sql FILE |
 *          --exec COMMAND] [--step-timeout S]
 *
 * Writers: N threads, each with its own connection, loop as fast as they
 * can (--rate R: R writes a second in all, each writer on its own
 * schedule) over INSERT INTO T (v) VALUES (random) and UPDATE T SET v =
 * v + 1 WHERE id = <random id among the rows present at start>, each in
 * its own autocommit transaction (without a column v: INSERT ... DEFAULT
 * VALUES).
 *
 * Lock watcher: one more connection polls pg_locks every 5 ms for T and
 * records the modes the executor's backend held and whether a writer was
 * waiting. For transactional steps the executor also reads its own locks
 * on T just before COMMIT, so short strong locks are never missed there.
 *
 * Executor: after 300 ms of warm-up, runs the plan's steps in order the
 * way the plan's SQL rendering does, in the envelope of the plan's
 * dialect (dialect->step_envelope): a transactional step as one text
 * (begin, the envelope's statements, <forward>), then its COMMIT; any
 * other step as the envelope's session statements, then each of its
 * statements on its own.
 * --rollback runs the rollbacks in reverse order; --sql FILE runs a whole
 * script in one PQexec (one implicit transaction) as a single step;
 * --exec COMMAND runs `sh -c COMMAND` as a single step (kind "exec": an
 * apply that runs its own sessions, whose locks the watcher does not
 * see; the command's output goes to pgload's stderr, and a non-zero exit
 * fails the step).
 * --step-timeout S cancels a step that runs longer (it then fails).
 *
 * Figures, per step: ops = writes that completed while the step ran;
 * errors, max_ms = failed writes and the longest write among those whose
 * run overlapped the step; blocked_ms = wall time within the step during
 * which at least one write had been waiting for more than 100 ms (the
 * union over writes of [start + 100 ms, end]); locks = modes held on T by
 * the executor; waits = watcher polls that saw a writer waiting for a
 * lock on T. The "total" line covers the whole run (warm-up included) and
 * exec_ms the time from the first step's start to the last one's end.
 *
 * Exit: 0 every step succeeded, 1 a step failed, 2 usage, 3 the database
 * could not be reached or T was not found.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <pg_query.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../dialects/dialect.h"
#include "../../util/strbuf.h"
#include "../../util/xalloc.h"

#define SLOW_MS	       100.0
#define WATCH_EVERY_MS 5
#define WARMUP_MS      300
#define TAIL_MS	       300

/* The lock modes of pg_locks, in increasing strength. */
static const char *const lock_modes[] = {
    "AccessShareLock",	"RowShareLock",
    "RowExclusiveLock", "ShareUpdateExclusiveLock",
    "ShareLock",	"ShareRowExclusiveLock",
    "ExclusiveLock",	"AccessExclusiveLock",
};
#define LOCK_MODE_COUNT 8

struct step {
	int n;
	const char *kind; /* borrowed from the plan's JSON */
	const char *sql;  /* borrowed from the plan's JSON or the script */
	bool transactional, scans, rewrites;
	/* Guarded by run.mu: */
	double start, end; /* ms since t0; < 0 while not started / running */
	long ops, errors;
	double max_ms, blocked_ms;
	unsigned locks; /* bit i: lock_modes[i] */
	long waits;
	int status;	/* 0 not run, 1 ok, -1 failed */
	bool cancelled; /* by the watcher, after --step-timeout */
	char *message;
};

struct interval {
	double a, b;
};

struct run {
	const char *url;
	char *table; /* quoted, qualified: regclass::text */
	char oid[16];
	bool has_v;
	long long max_id;
	const dialect *dialect; /* the plan's: wraps each step */
	plan_settings settings;
	bool rollback;
	struct timespec t0, t0_real; /* the same instant, two clocks */

	pthread_mutex_t mu;
	struct step *steps;
	size_t nsteps;
	int cur; /* index of the running step, -1 between steps */
	int exec_pid;
	int *writer_pids;
	int nwriters;
	long ops, errors;
	double max_ms, max_at; /* the longest write and its start */
	char *first_error;
	struct interval *slow;
	size_t nslow, slow_alloc;

	/* --rate: each writer's time between the starts of two writes
	 * (ms); 0: as fast as it can. */
	double interval_ms;
	const char *command; /* --exec */

	atomic_bool stop_writers, stop_watcher;
	/* --step-timeout: the watcher cancels a step running longer, so
	 * that a step that never ends (a backfill chasing the writers'
	 * inserts) fails instead of hanging the run. 0: never. */
	double step_timeout_ms;
	PGcancel *cancel;
};

struct writer {
	struct run *run;
	PGconn *conn;
	unsigned seed;
};

static double now_ms(const struct run *r)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - r->t0.tv_sec) * 1e3 +
	       (double)(t.tv_nsec - r->t0.tv_nsec) / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static void quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *connect_db(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pgload: cannot connect: %s",
			PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet_notices, NULL);
	return c;
}

/* The server's message on one line: "ERROR: primary (detail)", so that
 * each step stays one line of output. */
static char *result_message(PGconn *c, PGresult *res)
{
	const char *sev =
	    res ? PQresultErrorField(res, PG_DIAG_SEVERITY) : NULL;
	const char *pri =
	    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *det =
	    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	strbuf sb = STRBUF_INIT;
	if (pri) {
		strbuf_addf(&sb, "%s: %s", sev ? sev : "ERROR", pri);
		if (det)
			strbuf_addf(&sb, " (%s)", det);
	} else {
		strbuf_adds(&sb, PQerrorMessage(c));
	}
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n' || sb.buf[i] == '\t')
			sb.buf[i] = ' ';
	strbuf_trim(&sb);
	return strbuf_detach(&sb);
}

static bool result_ok(PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Account one write that ran from `a` to `b` (ms since t0). */
static void record_op(struct run *r, double a, double b, bool ok, PGconn *c,
		      PGresult *res)
{
	double lat = b - a;
	pthread_mutex_lock(&r->mu);
	r->ops++;
	if (lat > r->max_ms) {
		r->max_ms = lat;
		r->max_at = a;
	}
	if (!ok) {
		r->errors++;
		if (!r->first_error)
			r->first_error = result_message(c, res);
	}
	for (size_t i = 0; i < r->nsteps; i++) {
		struct step *s = &r->steps[i];
		if (s->start < 0 || s->start > b)
			continue;
		bool running = s->end < 0;
		if (running || b <= s->end)
			s->ops++;
		/* A write held up by a step's lock ends right after the
		 * step commits: overlap, not completion, attributes it. */
		if (running || a < s->end) {
			if (lat > s->max_ms)
				s->max_ms = lat;
			if (!ok)
				s->errors++;
		}
	}
	if (lat > SLOW_MS) {
		if (r->nslow == r->slow_alloc) {
			r->slow_alloc = r->slow_alloc ? 2 * r->slow_alloc : 64;
			r->slow =
			    xrealloc(r->slow, r->slow_alloc * sizeof(*r->slow));
		}
		r->slow[r->nslow].a = a + SLOW_MS;
		r->slow[r->nslow].b = b;
		r->nslow++;
	}
	pthread_mutex_unlock(&r->mu);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	struct run *r = w->run;
	strbuf ins = STRBUF_INIT, upd = STRBUF_INIT;
	if (r->has_v) {
		strbuf_addf(&ins, "INSERT INTO %s (v) VALUES ($1)", r->table);
		strbuf_addf(&upd, "UPDATE %s SET v = v + 1 WHERE id = $1",
			    r->table);
	} else {
		strbuf_addf(&ins, "INSERT INTO %s DEFAULT VALUES", r->table);
	}
	bool can_update = r->has_v && r->max_id > 0;
	/* A fixed schedule, started at a random offset so that the
	 * writers do not start together; a writer that fell behind (a
	 * write held up) starts the next one at once but does not make up
	 * for the ones it missed with a burst. */
	double next = now_ms(r) + (r->interval_ms > 0
				       ? (double)(rand_r(&w->seed) % 1000) /
					     1000.0 * r->interval_ms
				       : 0);
	for (unsigned long i = 0; !atomic_load(&r->stop_writers); i++) {
		if (r->interval_ms > 0) {
			double wait = next - now_ms(r);
			if (wait > 0)
				sleep_ms((int)(wait + 0.5));
			next += r->interval_ms;
			if (next < now_ms(r))
				next = now_ms(r);
			if (atomic_load(&r->stop_writers))
				break;
		}
		char param[32];
		const char *values[1] = {param};
		bool update = can_update && (i & 1);
		if (update)
			snprintf(
			    param, sizeof(param), "%lld",
			    1 + (long long)(rand_r(&w->seed) %
					    (unsigned long long)r->max_id));
		else
			snprintf(param, sizeof(param), "%d",
				 rand_r(&w->seed) % 1000000);
		double a = now_ms(r);
		PGresult *res = PQexecParams(
		    w->conn, update ? upd.buf : ins.buf,
		    update || r->has_v ? 1 : 0, NULL, values, NULL, NULL, 0);
		double b = now_ms(r);
		bool ok = result_ok(res);
		record_op(r, a, b, ok, w->conn, res);
		PQclear(res);
		if (!ok && PQstatus(w->conn) == CONNECTION_BAD) {
			PQreset(w->conn);
			if (PQstatus(w->conn) != CONNECTION_OK)
				sleep_ms(50);
		}
	}
	strbuf_release(&ins);
	strbuf_release(&upd);
	return NULL;
}

static int lock_mode_bit(const char *mode)
{
	for (int i = 0; i < LOCK_MODE_COUNT; i++)
		if (!strcmp(mode, lock_modes[i]))
			return i;
	return -1;
}

static bool is_writer(const struct run *r, int pid)
{
	for (int i = 0; i < r->nwriters; i++)
		if (r->writer_pids[i] == pid)
			return true;
	return false;
}

/* Poll pg_locks on T and credit what it shows to the running step. */
static void *watcher_main(void *arg)
{
	struct writer *w = arg;
	struct run *r = w->run;
	strbuf q = STRBUF_INIT;
	strbuf_addf(&q,
		    "SELECT mode, granted, pid FROM pg_locks "
		    "WHERE locktype = 'relation' AND relation = %s",
		    r->oid);
	while (!atomic_load(&r->stop_watcher)) {
		pthread_mutex_lock(&r->mu);
		int before = r->cur;
		pthread_mutex_unlock(&r->mu);
		PGresult *res = PQexec(w->conn, q.buf);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(res);
			if (PQstatus(w->conn) == CONNECTION_BAD)
				PQreset(w->conn);
			sleep_ms(WATCH_EVERY_MS);
			continue;
		}
		pthread_mutex_lock(&r->mu);
		/* Only when one step ran through the whole poll: the rows
		 * then belong to it and to no other. */
		if (before >= 0 && r->cur == before) {
			struct step *s = &r->steps[before];
			if (r->step_timeout_ms > 0 && !s->cancelled &&
			    now_ms(r) - s->start > r->step_timeout_ms) {
				char buf[256];
				s->cancelled = true;
				PQcancel(r->cancel, buf, sizeof(buf));
			}
			bool waiting = false;
			for (int i = 0; i < PQntuples(res); i++) {
				int pid = atoi(PQgetvalue(res, i, 2));
				bool granted = PQgetvalue(res, i, 1)[0] == 't';
				int bit = lock_mode_bit(PQgetvalue(res, i, 0));
				if (granted && pid == r->exec_pid && bit >= 0)
					s->locks |= 1u << bit;
				if (!granted && is_writer(r, pid))
					waiting = true;
			}
			if (waiting)
				s->waits++;
		}
		pthread_mutex_unlock(&r->mu);
		PQclear(res);
		sleep_ms(WATCH_EVERY_MS);
	}
	strbuf_release(&q);
	return NULL;
}

/* Add the executor's own granted locks on T (inside its transaction). */
static void read_own_locks(struct run *r, PGconn *c, struct step *s)
{
	strbuf q = STRBUF_INIT;
	strbuf_addf(&q,
		    "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
		    "AND granted AND locktype = 'relation' AND relation = %s",
		    r->oid);
	PGresult *res = PQexec(c, q.buf);
	unsigned bits = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		for (int i = 0; i < PQntuples(res); i++) {
			int bit = lock_mode_bit(PQgetvalue(res, i, 0));
			if (bit >= 0)
				bits |= 1u << bit;
		}
	PQclear(res);
	strbuf_release(&q);
	pthread_mutex_lock(&r->mu);
	s->locks |= bits;
	pthread_mutex_unlock(&r->mu);
}

/* Run one statement string; on failure return its message. */
static char *exec_sql(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	char *msg = result_ok(res) ? NULL : result_message(c, res);
	PQclear(res);
	return msg;
}

/* A non-transactional step: each statement on its own, since CREATE
 * INDEX CONCURRENTLY refuses the implicit transaction that a
 * multi-statement PQexec opens. */
static char *exec_each(PGconn *c, const char *sql)
{
	PgQuerySplitResult sp = pg_query_split_with_parser(sql);
	char *msg = NULL;
	if (sp.error) {
		msg = xstrdup(sp.error->message);
	} else {
		for (int i = 0; i < sp.n_stmts && !msg; i++) {
			const PgQuerySplitStmt *st = sp.stmts[i];
			char *one = xstrndup(sql + st->stmt_location,
					     (size_t)st->stmt_len);
			msg = exec_sql(c, one);
			free(one);
		}
	}
	pg_query_free_split_result(sp);
	return msg;
}

/* Run each statement of `list` on its own; the first failure's message. */
static char *exec_list(PGconn *c, char *const *list, int n)
{
	char *msg = NULL;
	for (int i = 0; i < n && !msg; i++)
		msg = exec_sql(c, list[i]);
	return msg;
}

/* A step in the plan dialect's envelope, as the plan's SQL rendering runs
 * it; the begin, the statements before the body and the body go in one
 * text, so that the executor's own locks are read inside the step's
 * transaction, before the commit. */
static char *run_enveloped(struct run *r, PGconn *c, struct step *s)
{
	/* The envelope reads the step; the plan's JSON keeps the text. */
	plan_step ps = {.n = s->n,
			.kind = (char *)s->kind,
			.forward = (char *)s->sql,
			.rollback = (char *)s->sql,
			.transactional = s->transactional,
			.rollback_transactional = s->transactional,
			.scans = s->scans,
			.rewrites = s->rewrites};
	dialect_envelope env;
	error e = ERROR_INIT;
	strbuf sb = STRBUF_INIT;
	char *msg = NULL;
	if (r->dialect->step_envelope(&r->settings, &ps, r->rollback, &env,
				      &e) < 0) {
		msg = xstrdup(e.msg);
	} else if (env.transaction) {
		strbuf_addf(&sb, "%s; ", env.begin);
		for (int i = 0; i < env.nbefore; i++)
			strbuf_addf(&sb, "%s; ", env.before[i]);
		strbuf_adds(&sb, env.body);
		msg = exec_sql(c, sb.buf);
		if (!msg) {
			read_own_locks(r, c, s);
			msg = exec_list(c, env.after, env.nafter);
		}
		if (!msg)
			msg = exec_sql(c, env.commit);
		if (PQtransactionStatus(c) != PQTRANS_IDLE) {
			char *m = exec_sql(c, env.abort);
			free(m);
		}
	} else {
		msg = exec_list(c, env.before, env.nbefore);
		if (!msg)
			msg = exec_each(c, env.body);
		if (!msg)
			msg = exec_list(c, env.after, env.nafter);
	}
	dialect_envelope_release(&env);
	error_clear(&e);
	strbuf_release(&sb);
	return msg;
}

/* --exec: the command as the step, its output on stderr; cancelled
 * (SIGTERM to its process group) past --step-timeout. */
static char *run_command(struct run *r, struct step *s)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return xstrdup(strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		dup2(2, 1);
		execl("/bin/sh", "sh", "-c", r->command, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	int status = 0;
	bool killed = false;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (!killed && r->step_timeout_ms > 0 &&
		    now_ms(r) - s->start > r->step_timeout_ms) {
			pthread_mutex_lock(&r->mu);
			s->cancelled = true;
			pthread_mutex_unlock(&r->mu);
			kill(-pid, SIGTERM);
			killed = true;
		}
		sleep_ms(10);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	char *msg = xmalloc(64);
	if (WIFEXITED(status))
		snprintf(msg, 64, "command exited with %d",
			 WEXITSTATUS(status));
	else
		snprintf(msg, 64, "command killed by signal %d",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return msg;
}

static char *run_step(struct run *r, PGconn *c, struct step *s, bool script)
{
	if (r->command)
		return run_command(r, s);
	return script ? exec_sql(c, s->sql) : run_enveloped(r, c, s);
}

/* Run every step in order; stops at the first failure. */
static bool execute(struct run *r, PGconn *c, bool script)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		struct step *s = &r->steps[i];
		pthread_mutex_lock(&r->mu);
		s->start = now_ms(r);
		r->cur = (int)i;
		pthread_mutex_unlock(&r->mu);
		char *msg = run_step(r, c, s, script);
		pthread_mutex_lock(&r->mu);
		if (s->cancelled) {
			free(msg);
			msg = xmalloc(64);
			snprintf(msg, 64,
				 "cancelled after %g s (--step-timeout)",
				 r->step_timeout_ms / 1e3);
		}
		s->end = now_ms(r);
		r->cur = -1;
		s->status = msg ? -1 : 1;
		s->message = msg;
		pthread_mutex_unlock(&r->mu);
		if (msg)
			return false;
	}
	return true;
}

static int cmp_interval(const void *x, const void *y)
{
	const struct interval *a = x, *b = y;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* Length of the union of the (sorted, merged) slow intervals within
 * [from, to]. */
static double blocked_within(const struct interval *iv, size_t n, double from,
			     double to)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		double a = iv[i].a > from ? iv[i].a : from;
		double b = iv[i].b < to ? iv[i].b : to;
		if (b > a)
			sum += b - a;
	}
	return sum;
}

static size_t merge_intervals(struct interval *iv, size_t n)
{
	if (!n)
		return 0;
	qsort(iv, n, sizeof(*iv), cmp_interval);
	size_t out = 0;
	for (size_t i = 1; i < n; i++) {
		if (iv[i].a <= iv[out].b) {
			if (iv[i].b > iv[out].b)
				iv[out].b = iv[i].b;
		} else {
			iv[++out] = iv[i];
		}
	}
	return out + 1;
}

static void locks_text(unsigned bits, strbuf *out)
{
	size_t len = out->len;
	for (int i = 0; i < LOCK_MODE_COUNT; i++)
		if (bits & (1u << i)) {
			if (out->len > len)
				strbuf_addch(out, ',');
			strbuf_adds(out, lock_modes[i]);
		}
	if (out->len == len)
		strbuf_adds(out, "none");
}

static const char *status_name(const struct step *s)
{
	return s->status > 0 ? "ok" : s->status < 0 ? "failed" : "skipped";
}

static void report_text(const struct run *r, double blocked, double exec_ms)
{
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *s = &r->steps[i];
		strbuf_reset(&sb);
		locks_text(s->locks, &sb);
		double ms = s->status ? s->end - s->start : 0;
		printf("step %d %s ms=%.0f ops=%ld errors=%ld max_ms=%.1f "
		       "blocked_ms=%.0f locks=%s waits=%ld status=%s%s%s\n",
		       s->n, s->kind, ms, s->ops, s->errors, s->max_ms,
		       s->blocked_ms, sb.buf, s->waits, status_name(s),
		       s->message ? ": " : "", s->message ? s->message : "");
	}
	printf("total ops=%ld errors=%ld max_ms=%.1f blocked_ms=%.0f "
	       "exec_ms=%.0f\n",
	       r->ops, r->errors, r->max_ms, blocked, exec_ms);
	if (r->first_error)
		printf("first_error: %s\n", r->first_error);
	/* When the longest write started, by the wall clock (UTC): to find
	 * it among the events of a command run with --exec. */
	if (r->ops) {
		long long ns = (long long)r->t0_real.tv_nsec +
			       (long long)(r->max_at * 1e6);
		time_t sec = r->t0_real.tv_sec + (time_t)(ns / 1000000000LL);
		struct tm tm;
		char at[32];
		gmtime_r(&sec, &tm);
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S", &tm);
		printf("max_at: %s.%03lldZ\n", at,
		       ns % 1000000000LL / 1000000LL);
	}
	strbuf_release(&sb);
}

/* Milliseconds to one decimal: the figures are not more precise. */
static double round1(double ms)
{
	return (double)(long long)(ms * 10 + 0.5) / 10;
}

static void report_json(const struct run *r, double blocked, double exec_ms)
{
	json_t *steps = json_array();
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *s = &r->steps[i];
		json_t *locks = json_array();
		for (int b = 0; b < LOCK_MODE_COUNT; b++)
			if (s->locks & (1u << b))
				json_array_append_new(
				    locks, json_string(lock_modes[b]));
		json_array_append_new(
		    steps,
		    json_pack("{s:i,s:s,s:f,s:I,s:I,s:f,s:f,s:o,s:I,s:s,s:s?}",
			      "n", s->n, "kind", s->kind, "ms",
			      round1(s->status ? s->end - s->start : 0.0),
			      "ops", (json_int_t)s->ops, "errors",
			      (json_int_t)s->errors, "max_ms",
			      round1(s->max_ms), "blocked_ms",
			      round1(s->blocked_ms), "locks", locks, "waits",
			      (json_int_t)s->waits, "status", status_name(s),
			      "message", s->message));
	}
	json_t *top = json_pack("{s:o,s:{s:I,s:I,s:f,s:f,s:f},s:s?}", "steps",
				steps, "total", "ops", (json_int_t)r->ops,
				"errors", (json_int_t)r->errors, "max_ms",
				r->max_ms, "blocked_ms", blocked, "exec_ms",
				exec_ms, "first_error", r->first_error);
	char *text = json_dumps(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					 JSON_REAL_PRECISION(12));
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(top);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pgload --url URL --table T [--writers N] [--rate R] "
		"[--duration S] [--json]\n"
		"              [--plan plan.json [--rollback] | --sql FILE | "
		"--exec COMMAND] [--step-timeout S]\n");
}

static int json_int(json_t *obj, const char *key, int def)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (int)json_integer_value(v) : def;
}

/* The steps to run, forward or rollback, borrowed from `plan`. */
static int load_plan(struct run *r, json_t *plan, bool rollback,
		     const char *path)
{
	json_t *steps = json_object_get(plan, "steps");
	json_t *settings = json_object_get(plan, "settings");
	if (!json_is_array(steps)) {
		fprintf(stderr, "pgload: %s: no \"steps\" array\n", path);
		return -1;
	}
	const char *dname = json_string_value(json_object_get(plan, "dialect"));
	r->dialect = dialect_find(dname);
	if (!r->dialect) {
		fprintf(stderr, "pgload: %s: unknown dialect %s\n", path,
			dname);
		return -1;
	}
	r->rollback = rollback;
	r->settings.lock_timeout_ms =
	    json_int(settings, "lock_timeout_ms", 2000);
	r->settings.statement_timeout_ms =
	    json_int(settings, "statement_timeout_ms", 0);
	size_t n = json_array_size(steps);
	r->steps = xcalloc(n ? n : 1, sizeof(*r->steps));
	for (size_t k = 0; k < n; k++) {
		json_t *js = json_array_get(steps, rollback ? n - 1 - k : k);
		const char *sql = json_string_value(
		    json_object_get(js, rollback ? "rollback" : "forward"));
		const char *kind =
		    json_string_value(json_object_get(js, "kind"));
		if (!sql) {
			if (rollback)
				continue; /* no rollback: nothing to run */
			fprintf(stderr, "pgload: %s: step %zu has no forward\n",
				path, k + 1);
			return -1;
		}
		struct step *s = &r->steps[r->nsteps++];
		s->n = json_int(js, "n", (int)(rollback ? n - k : k + 1));
		s->kind = kind ? kind : "?";
		s->sql = sql;
		s->transactional = json_is_true(json_object_get(
		    js, rollback ? "rollback_transactional" : "transactional"));
		s->scans = json_is_true(json_object_get(js, "scans"));
		s->rewrites = json_is_true(json_object_get(js, "rewrites"));
	}
	return 0;
}

/* Quoted name, oid, and whether the writers can use v and id. */
static int resolve_table(struct run *r, PGconn *c, const char *name)
{
	const char *values[1] = {name};
	PGresult *res = PQexecParams(
	    c,
	    "SELECT c.oid, c.oid::regclass::text, "
	    "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid "
	    "AND attname = 'v' AND attnum > 0 AND NOT attisdropped), "
	    "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid "
	    "AND attname = 'id' AND attnum > 0 AND NOT attisdropped) "
	    "FROM pg_class c WHERE c.oid = $1::regclass",
	    1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		char *m = result_message(c, res);
		fprintf(stderr, "pgload: table %s: %s\n", name, m);
		free(m);
		PQclear(res);
		return -1;
	}
	snprintf(r->oid, sizeof(r->oid), "%s", PQgetvalue(res, 0, 0));
	r->table = xstrdup(PQgetvalue(res, 0, 1));
	r->has_v = PQgetvalue(res, 0, 2)[0] == 't';
	bool has_id = PQgetvalue(res, 0, 3)[0] == 't';
	PQclear(res);
	if (!has_id)
		return 0;
	strbuf q = STRBUF_INIT;
	strbuf_addf(&q, "SELECT coalesce(max(id), 0) FROM %s", r->table);
	res = PQexec(c, q.buf);
	strbuf_release(&q);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		r->max_id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Start writers and watcher, run the steps, stop everything, report. */
static int run_load(struct run *r, PGconn *exec, int nwriters, double min_ms,
		    bool script, bool as_json)
{
	struct writer *ws = xcalloc((size_t)nwriters + 1, sizeof(*ws));
	pthread_t *th = xcalloc((size_t)nwriters + 1, sizeof(*th));
	int started = 0, rc = 0;
	r->writer_pids = xcalloc((size_t)nwriters, sizeof(int));
	for (int i = 0; i <= nwriters; i++) {
		ws[i].run = r;
		ws[i].seed = 0x5eed + 7919u * (unsigned)i;
		ws[i].conn = connect_db(r->url);
		if (!ws[i].conn) {
			rc = 3;
			goto out;
		}
		if (i < nwriters)
			r->writer_pids[i] = PQbackendPID(ws[i].conn);
	}
	r->nwriters = nwriters;
	r->exec_pid = PQbackendPID(exec);
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	clock_gettime(CLOCK_REALTIME, &r->t0_real);
	/* ws[nwriters] is the watcher's connection. */
	for (; started <= nwriters; started++)
		if (pthread_create(&th[started], NULL,
				   started < nwriters ? writer_main
						      : watcher_main,
				   &ws[started]) != 0) {
			fprintf(stderr, "pgload: cannot start a thread\n");
			rc = 3;
			break;
		}
	bool ok = true;
	if (!rc) {
		if (r->nsteps)
			sleep_ms(WARMUP_MS);
		ok = execute(r, exec, script);
		if (r->nsteps)
			sleep_ms(TAIL_MS);
		double left = min_ms - now_ms(r);
		if (left > 0)
			sleep_ms((int)left);
	}
	atomic_store(&r->stop_writers, true);
	for (int i = 0; i < started && i < nwriters; i++)
		pthread_join(th[i], NULL);
	atomic_store(&r->stop_watcher, true);
	if (started > nwriters)
		pthread_join(th[nwriters], NULL);
	if (rc)
		goto out;

	size_t n = merge_intervals(r->slow, r->nslow);
	double blocked = blocked_within(r->slow, n, 0, now_ms(r));
	double first = -1, last = 0;
	for (size_t i = 0; i < r->nsteps; i++) {
		struct step *s = &r->steps[i];
		if (!s->status)
			continue;
		s->blocked_ms = blocked_within(r->slow, n, s->start, s->end);
		if (first < 0)
			first = s->start;
		last = s->end;
	}
	double exec_ms = first < 0 ? 0 : last - first;
	if (as_json)
		report_json(r, blocked, exec_ms);
	else
		report_text(r, blocked, exec_ms);
	fflush(stdout);
	rc = ok ? 0 : 1;
out:
	for (int i = 0; i <= nwriters; i++)
		if (ws[i].conn)
			PQfinish(ws[i].conn);
	free(ws);
	free(th);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"table", required_argument, NULL, 't'},
	    {"writers", required_argument, NULL, 'w'},
	    {"plan", required_argument, NULL, 'p'},
	    {"rollback", no_argument, NULL, 'r'},
	    {"duration", required_argument, NULL, 'd'},
	    {"sql", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"step-timeout", required_argument, NULL, 'T'},
	    {"rate", required_argument, NULL, 'R'},
	    {"exec", required_argument, NULL, 'x'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *url = NULL, *table = NULL, *plan_path = NULL,
		   *sql_path = NULL, *command = NULL;
	int nwriters = 2, c;
	double duration = -1, step_timeout = 0, rate = 0;
	bool rollback = false, as_json = false;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'u':
			url = optarg;
			break;
		case 't':
			table = optarg;
			break;
		case 'w':
			nwriters = (int)strtol(optarg, &end, 10);
			if (*end || nwriters < 0 || nwriters > 256) {
				usage();
				return 2;
			}
			break;
		case 'p':
			plan_path = optarg;
			break;
		case 'r':
			rollback = true;
			break;
		case 'd':
			duration = strtod(optarg, &end);
			if (*end || duration < 0) {
				usage();
				return 2;
			}
			break;
		case 'T':
			step_timeout = strtod(optarg, &end);
			if (*end || step_timeout < 0) {
				usage();
				return 2;
			}
			break;
		case 's':
			sql_path = optarg;
			break;
		case 'x':
			command = optarg;
			break;
		case 'R':
			rate = strtod(optarg, &end);
			if (*end || rate < 0) {
				usage();
				return 2;
			}
			break;
		case 'j':
			as_json = true;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc || !url || !table ||
	    (plan_path != NULL) + (sql_path != NULL) + (command != NULL) > 1 ||
	    (rollback && !plan_path)) {
		usage();
		return 2;
	}

	struct run r;
	memset(&r, 0, sizeof(r));
	r.url = url;
	r.cur = -1;
	r.settings.lock_timeout_ms = 2000;
	r.step_timeout_ms = step_timeout * 1e3;
	r.command = command;
	if (rate > 0 && nwriters > 0)
		r.interval_ms = 1e3 * nwriters / rate;
	pthread_mutex_init(&r.mu, NULL);
	atomic_init(&r.stop_writers, false);
	atomic_init(&r.stop_watcher, false);
	json_t *plan = NULL;
	strbuf script = STRBUF_INIT;
	PGconn *exec = NULL;
	int rc = 2;

	if (plan_path) {
		json_error_t je;
		plan = json_load_file(plan_path, 0, &je);
		if (!plan) {
			fprintf(stderr, "pgload: %s:%d:%d: %s\n", plan_path,
				je.line, je.column, je.text);
			goto out;
		}
		if (load_plan(&r, plan, rollback, plan_path) < 0)
			goto out;
	} else if (sql_path) {
		if (strbuf_read_file(&script, sql_path) < 0) {
			fprintf(stderr, "pgload: %s: %s\n", sql_path,
				strerror(errno));
			goto out;
		}
		r.steps = xcalloc(1, sizeof(*r.steps));
		r.steps[0].n = 1;
		r.steps[0].kind = "script";
		r.steps[0].sql = strbuf_str(&script);
		r.nsteps = 1;
	} else if (command) {
		r.steps = xcalloc(1, sizeof(*r.steps));
		r.steps[0].n = 1;
		r.steps[0].kind = "exec";
		r.steps[0].sql = command;
		r.nsteps = 1;
	}
	for (size_t i = 0; i < r.nsteps; i++)
		r.steps[i].start = r.steps[i].end = -1;

	rc = 3;
	exec = connect_db(url);
	if (!exec || resolve_table(&r, exec, table) < 0)
		goto out;
	r.cancel = PQgetCancel(exec);
	/* Without steps the run is plain load for --duration (2 s). */
	if (duration < 0)
		duration = r.nsteps ? 0 : 2;
	rc = run_load(&r, exec, nwriters, duration * 1e3, sql_path != NULL,
		      as_json);
out:
	if (r.cancel)
		PQfreeCancel(r.cancel);
	if (exec)
		PQfinish(exec);
	for (size_t i = 0; i < r.nsteps; i++)
		free(r.steps[i].message);
	free(r.steps);
	free(r.slow);
	free(r.first_error);
	free(r.writer_pids);
	free(r.table);
	json_decref(plan);
	strbuf_release(&script);
	pthread_mutex_destroy(&r.mu);
	return rc;
}
