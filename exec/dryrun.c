/*
 * Dry run of a plan on PostgreSQL: each step runs exactly as the psql
 * rendering (plan_format_sql) would run it, while a second connection
 * watches pg_locks for the executing backend.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../dialects/postgres/conn.h"
#include "../dialects/dialect.h"
#include "../schema/diff.h"
#include "../util/xalloc.h"
#include "dryrun.h"

/* The statement being run, for the signal handler to cancel. */
static PGcancel *volatile running_cancel;
static volatile sig_atomic_t interrupted;

void dryrun_interrupt(void)
{
	char buf[64];
	interrupted = 1;
	PGcancel *c = running_cancel;
	if (c)
		PQcancel(c, buf, sizeof(buf));
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Lock modes in increasing strength. */
static const char *const lock_modes[] = {
    "AccessShareLock",	"RowShareLock",
    "RowExclusiveLock", "ShareUpdateExclusiveLock",
    "ShareLock",	"ShareRowExclusiveLock",
    "ExclusiveLock",	"AccessExclusiveLock",
};

static int lock_rank(const char *mode)
{
	for (size_t i = 0; i < sizeof(lock_modes) / sizeof(lock_modes[0]); i++)
		if (!strcmp(mode, lock_modes[i]))
			return (int)i;
	return -1;
}

/* What the watcher thread saw during one step. */
typedef struct watch {
	PGconn *conn;
	int pid;
	const char *table; /* quoted, qualified, or NULL */
	volatile int stop;
	double wait_ms, held_ms;
	int strongest; /* lock_rank, -1 none */
	pthread_t thread;
} watch;

/*
 * Poll every ~5 ms: an ungranted request of the executing backend is
 * time spent waiting; the strongest granted lock on the step's table is
 * credited with the time since the previous poll while it is seen.
 */
static void *watch_loop(void *arg)
{
	watch *w = arg;
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", w->pid);
	const char *params[2] = {pid, w->table ? w->table : ""};
	double prev = now_ms();
	while (!w->stop) {
		PGresult *r = PQexecParams(
		    w->conn,
		    "SELECT mode, granted, coalesce(locktype = 'relation' AND "
		    "relation = to_regclass(nullif($2, '')), false) "
		    "FROM pg_locks WHERE pid = $1::int",
		    2, NULL, params, NULL, NULL, 0);
		double t = now_ms(), dt = t - prev;
		prev = t;
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			bool waiting = false;
			int best = -1;
			for (int i = 0; i < PQntuples(r); i++) {
				bool granted = *PQgetvalue(r, i, 1) == 't';
				if (!granted)
					waiting = true;
				else if (*PQgetvalue(r, i, 2) == 't') {
					int k = lock_rank(PQgetvalue(r, i, 0));
					if (k > best)
						best = k;
				}
			}
			if (waiting)
				w->wait_ms += dt;
			if (best >= 0 && best > w->strongest) {
				w->strongest = best;
				w->held_ms = dt;
			} else if (best >= 0 && best == w->strongest) {
				w->held_ms += dt;
			}
		}
		PQclear(r);
		usleep(5000);
	}
	return NULL;
}

/* One scalar query on the monitor connection; -1 when NULL or failing. */
static long long query_ll(PGconn *c, const char *sql, const char *param)
{
	const char *params[1] = {param ? param : ""};
	PGresult *r = PQexecParams(c, sql, 1, NULL, params, NULL, NULL, 0);
	long long v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static char *query_str(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static json_t *ll_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

typedef struct runner {
	const plan *p;
	PGconn *exec, *mon;
	int pid;
	bool progress;
} runner;

/*
 * Send `sql` on the executing connection and sum the rows every
 * statement reports, and the strongest of the executor's own locks that
 * a "schemig_dry_run_lock" query lists. Returns 0, or -1 with the server's
 * message in *err.
 */
static int send_sql(runner *r, const char *sql, long long *rows, bool *counted,
		    int *own_lock, char **err)

{
	if (!PQsendQuery(r->exec, sql)) {
		*err = xstrdup(PQerrorMessage(r->exec));
		return -1;
	}
	int ret = 0;
	PGresult *res;
	while ((res = PQgetResult(r->exec))) {
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY) {
			if (!*err)
				*err = xstrdup(PQresultErrorMessage(res));
			ret = -1;
		} else if (st == PGRES_TUPLES_OK && PQnfields(res) == 1 &&
			   !strcmp(PQfname(res, 0), "schemig_dry_run_lock")) {
			for (int i = 0; i < PQntuples(res); i++) {
				int k = lock_rank(PQgetvalue(res, i, 0));
				if (k > *own_lock)
					*own_lock = k;
			}
		} else if (st == PGRES_COMMAND_OK && *PQcmdTuples(res)) {
			*rows += strtoll(PQcmdTuples(res), NULL, 10);
			*counted = true;
		}
		PQclear(res);
	}
	return ret;
}

static void trim_nl(char *s)
{
	size_t n = s ? strlen(s) : 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/*
 * Run one step's forward (or rollback) SQL the way plan_format_sql
 * renders it, measured. Returns the step's JSON; *ok says whether it ran.
 */
static json_t *run_step(runner *r, const plan_step *s, bool rollback, bool *ok)
{
	const char *sql = rollback ? s->rollback : s->forward;
	dialect_envelope env = {0};
	error ee = ERROR_INIT;
	const char *tparam = s->table ? s->table : "";
	long long tb0 = query_ll(r->mon,
				 "SELECT pg_table_size(to_regclass("
				 "nullif($1, '')))",
				 tparam),
		  ib0 = query_ll(r->mon,
				 "SELECT pg_indexes_size(to_regclass("
				 "nullif($1, '')))",
				 tparam);
	char *lsn0 = query_str(r->mon, "SELECT pg_current_wal_lsn()::text");
	long long rows = 0;
	bool counted = false;
	char *err = NULL;
	strbuf sb = STRBUF_INIT;

	if (r->progress)
		fprintf(stderr, "schemig: %s step %d/%d: %s %s...\n",
			rollback ? "undoing" : "running", s->n, r->p->nsteps,
			s->kind, s->object ? s->object : "");
	watch w = {
	    .conn = r->mon, .pid = r->pid, .table = s->table, .strongest = -1};
	/* The monitor connection belongs to the watcher while it runs. */
	pthread_create(&w.thread, NULL, watch_loop, &w);
	double t0 = now_ms();
	PGcancel *cancel = PQgetCancel(r->exec);
	/* A rollback is what restores the database: never cancel it. */
	if (!rollback)
		running_cancel = cancel;
	int rc = 0, own = -1;
	if (interrupted) {
		err = xstrdup("interrupted");
		rc = -1;
	} else if (plan_step_envelope(r->p, s, rollback, &env, &ee) < 0) {
		err = xstrdup(ee.msg ? ee.msg : "no envelope");
		rc = -1;
	} else if (env.transaction) {
		/* A brief strong lock slips between two polls: read the
		 * executor's own locks on the table just before COMMIT. */
		strbuf probe = STRBUF_INIT;
		if (s->table) {
			char *lit = PQescapeLiteral(r->exec, s->table,
						    strlen(s->table));
			if (lit)
				strbuf_addf(
				    &probe,
				    "SELECT mode AS schemig_dry_run_lock FROM "
				    "pg_locks WHERE pid = pg_backend_pid() AND "
				    "granted AND locktype = 'relation' AND "
				    "relation = to_regclass(%s);\n",
				    lit);
			PQfreemem(lit);
		}
		plan_format_envelope(&env, strbuf_str(&probe), &sb);
		strbuf_release(&probe);
		rc = send_sql(r, strbuf_str(&sb), &rows, &counted, &own, &err);
		if (rc < 0) {
			long long dummy = 0;
			bool d2 = false;
			char *e2 = NULL;
			send_sql(r, "ROLLBACK", &dummy, &d2, &own, &e2);
			free(e2);
		}
	} else {
		for (int i = 0; i < env.nbefore; i++)
			strbuf_addf(&sb, "%s%s", i ? "; " : "", env.before[i]);
		long long dummy = 0;
		bool d2 = false;
		rc = send_sql(r, strbuf_str(&sb), &dummy, &d2, &own, &err);
		if (!rc)
			rc = send_sql(r, sql, &rows, &counted, &own, &err);
		for (int i = 0; !rc && i < env.nafter; i++)
			rc = send_sql(r, env.after[i], &dummy, &d2, &own, &err);
	}
	dialect_envelope_release(&env);
	error_clear(&ee);
	running_cancel = NULL;
	PQfreeCancel(cancel);
	double wall = now_ms() - t0;
	w.stop = 1;
	pthread_join(w.thread, NULL);
	strbuf_release(&sb);

	/* DDL reports no row count: a step that scans, rewrites or
	 * backfills went through every row of its table. */
	if (own > w.strongest)
		w.strongest = own;
	if (!counted && rc == 0 && !rollback && s->table &&
	    (s->scans || s->rewrites || !strcmp(s->kind, "backfill"))) {
		strbuf_addf(&sb, "SELECT count(*) FROM %s", s->table);
		PGresult *res = PQexec(r->mon, strbuf_str(&sb));
		if (PQresultStatus(res) == PGRES_TUPLES_OK) {
			rows = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
			counted = true;
		}
		PQclear(res);
		strbuf_release(&sb);
	}
	long long tb1 = query_ll(r->mon,
				 "SELECT pg_table_size(to_regclass("
				 "nullif($1, '')))",
				 tparam),
		  ib1 = query_ll(r->mon,
				 "SELECT pg_indexes_size(to_regclass("
				 "nullif($1, '')))",
				 tparam);
	long long wal = -1;
	if (lsn0)
		wal = query_ll(r->mon,
			       "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
			       "$1::pg_lsn)::bigint",
			       lsn0);
	free(lsn0);

	json_t *j = json_object();
	json_object_set_new(j, "n", json_integer(s->n));
	json_object_set_new(j, "kind", json_string(s->kind));
	json_object_set_new(j, "object",
			    s->object ? json_string(s->object) : json_null());
	json_object_set_new(j, "table",
			    s->table ? json_string(s->table) : json_null());
	json_object_set_new(j, "ok", json_boolean(rc == 0));
	trim_nl(err);
	json_object_set_new(j, "error", err ? json_string(err) : json_null());
	json_object_set_new(j, "wall_ms", json_real(wall));
	json_object_set_new(j, "lock_wait_ms", json_real(w.wait_ms));
	json_object_set_new(j, "lock_held_ms", json_real(w.held_ms));
	json_object_set_new(j, "strongest_lock",
			    w.strongest >= 0
				? json_string(lock_modes[w.strongest])
				: json_null());
	json_object_set_new(j, "rows",
			    counted ? json_integer(rows) : json_null());
	json_object_set_new(j, "table_bytes_before", ll_or_null(tb0));
	json_object_set_new(j, "table_bytes_after", ll_or_null(tb1));
	json_object_set_new(j, "index_bytes_before", ll_or_null(ib0));
	json_object_set_new(j, "index_bytes_after", ll_or_null(ib1));
	json_object_set_new(j, "wal_bytes", ll_or_null(wal));
	/* The plan's estimate comes from the production source: scale the
	 * measured time to it. */
	long long src = s->table ? s->est_rows : -1;
	json_object_set_new(j, "source_rows", ll_or_null(src));
	json_object_set_new(j, "projected_ms",
			    src >= 0 && counted && rows > 0
				? json_real(wall * (double)src / (double)rows)
				: json_null());
	free(err);
	*ok = rc == 0;
	return j;
}

/* The live schema's fingerprint, malloc'd. */
static int live_fingerprint(const dialect *d, const char *url, char **out,
			    error *e)
{
	model *m = model_new();
	arena a = ARENA_INIT;
	char *fp = NULL;
	int ret = -1;
	if (d->introspect(m, url, e) < 0)
		goto out;
	model_sort(m);
	if (plan_fingerprint(d, m, &a, &fp, e) < 0)
		goto out;
	*out = xstrdup(fp);
	ret = 0;
out:
	arena_free(&a);
	model_free(m);
	return ret;
}

/* What is left between the database and `spec`, as SQL; NULL when
 * there is no spec or it cannot be loaded (the message says why). */
static json_t *leftover(const dryrun_opts *o, const char *spec)
{
	const dialect *d = o->sc->dialect;
	model *live = model_new(), *want = NULL;
	diff_result dr;
	strbuf sb = STRBUF_INIT;
	error e = ERROR_INIT;
	json_t *j = NULL;
	diff_result_init(&dr);
	if (!spec) {
		j = json_string(
		    "(the fingerprints differ; pass --from and --to "
		    "to see the statements)");
		goto out;
	}
	if (d->introspect(live, o->url, &e) < 0)
		goto fail;
	model_sort(live);
	if (source_load(o->sc, spec, &want, &e) < 0 ||
	    d->diff(live, want, &dr, &e) < 0)
		goto fail;
	diff_result_format_sql(&dr, &sb);
	j = json_string(strbuf_str(&sb));
	goto out;
fail:
	strbuf_addf(&sb, "(no leftover diff: %s)", e.msg ? e.msg : "failed");
	j = json_string(strbuf_str(&sb));
out:
	error_clear(&e);
	diff_result_release(&dr);
	strbuf_release(&sb);
	model_free(live);
	model_free(want);
	return j;
}

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : 0;
}

static void add_totals(json_t *report)
{
	double wall = 0, held = 0, wal = 0;
	const json_t *arrs[2] = {json_object_get(report, "steps"),
				 json_object_get(report, "rollback_steps")};
	for (int a = 0; a < 2; a++) {
		size_t i;
		json_t *s;
		json_array_foreach(arrs[a], i, s)
		{
			wall += num(s, "wall_ms");
			wal += num(s, "wal_bytes");
			if (num(s, "lock_held_ms") > held)
				held = num(s, "lock_held_ms");
		}
	}
	json_t *t = json_object();
	json_object_set_new(t, "wall_ms", json_real(wall));
	json_object_set_new(t, "max_lock_held_ms", json_real(held));
	json_object_set_new(t, "wal_bytes", json_integer((json_int_t)wal));
	json_object_set_new(report, "totals", t);
}

/* Undo steps done[0..n-1] in reverse; false when one fails. */
static bool undo(runner *r, const int *done, int n, json_t *arr)
{
	bool all = true;
	for (int i = n - 1; i >= 0; i--) {
		const plan_step *s = &r->p->steps[done[i] - 1];
		if (!s->rollback)
			continue;
		bool ok;
		/* The rollback must run even after an interruption. */
		sig_atomic_t was = interrupted;
		interrupted = 0;
		json_array_append_new(arr, run_step(r, s, true, &ok));
		interrupted = was;
		all &= ok;
	}
	return all;
}

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int dryrun_run(const plan *p, const dryrun_opts *o, json_t **report, error *e)
{
	const dialect *d = o->sc->dialect;
	runner r = {.p = p, .progress = o->progress};
	char *fp = NULL, *msg = NULL;
	int *done = xcalloc((size_t)p->nsteps + 1, sizeof(int));
	int ndone = 0, ret = -1;
	json_t *rep = NULL;

	interrupted = 0;
	/* Before anything touches the target: never an environment's own
	 * database. */
	if (dryrun_guard(o, e) < 0 || live_fingerprint(d, o->url, &fp, e) < 0)
		goto out;
	if (p->source_fp && strcmp(fp, p->source_fp)) {
		error_set(e, EXIT_USAGE,
			  "%s is not the plan's source: its schema's "
			  "fingerprint is %s, the plan starts from %s",
			  o->on, fp, p->source_fp);
		goto out;
	}
	if (pg_connect(o->url, &r.exec, e) < 0 ||
	    pg_connect(o->url, &r.mon, e) < 0)
		goto out;
	r.pid = PQbackendPID(r.exec);
	/* The steps' NOTICEs ("does not exist, skipping") are expected. */
	PQsetNoticeProcessor(r.exec, quiet_notice, NULL);

	rep = json_object();
	json_t *steps = json_array(), *rsteps = json_array(),
	       *proof = json_object();
	json_object_set_new(rep, "format", json_integer(DRYRUN_FORMAT_VERSION));
	json_object_set_new(rep, "plan_id", json_string(p->id));
	json_object_set_new(rep, "on", json_string(o->on));
	char stamp[32];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(rep, "started_at", json_string(stamp));
	json_object_set_new(rep, "steps", steps);
	json_object_set_new(rep, "rollback_steps", rsteps);
	json_object_set_new(rep, "proof", proof);

	bool all_ok = true;
	for (int i = 0; i < p->nsteps; i++) {
		bool ok;
		json_array_append_new(steps,
				      run_step(&r, &p->steps[i], false, &ok));
		if (!ok) {
			all_ok = false;
			strbuf m = STRBUF_INIT;
			strbuf_addf(&m, "%s at step %d (%s)",
				    interrupted ? "interrupted" : "failed",
				    i + 1, p->steps[i].kind);
			msg = strbuf_detach(&m);
			/* A step outside a transaction may have left work
			 * behind (an invalid index, committed batches). */
			if (!p->steps[i].transactional)
				done[ndone++] = i + 1;
			break;
		}
		done[ndone++] = i + 1;
	}

	if (all_ok) {
		/* Forward proof: the database is now the plan's target. */
		char *fp2 = NULL;
		if (live_fingerprint(d, o->url, &fp2, e) < 0)
			goto out;
		bool fwd = p->target_fp && !strcmp(fp2, p->target_fp);
		free(fp2);
		json_object_set_new(proof, "forward_empty", json_boolean(fwd));
		json_object_set_new(proof, "forward_leftover",
				    fwd ? json_null() : leftover(o, o->to));
		all_ok = fwd;
		if (!fwd)
			msg = xstrdup("the plan does not reach its target");
	} else {
		json_object_set_new(proof, "forward_empty", json_false());
		json_object_set_new(proof, "forward_leftover", json_null());
	}

	/* Rollback proof, and the database left as it was found. */
	bool undone = undo(&r, done, ndone, rsteps);
	char *fp3 = NULL;
	if (live_fingerprint(d, o->url, &fp3, e) < 0)
		goto out;
	bool back = !strcmp(fp3, fp);
	free(fp3);
	json_object_set_new(proof, "rollback_empty", json_boolean(back));
	json_object_set_new(proof, "rollback_leftover",
			    back ? json_null() : leftover(o, o->from));
	if (!back && !msg)
		msg = xstrdup(undone ? "the rollback does not return to the "
				       "source"
				     : "a rollback step failed");
	json_object_set_new(rep, "ok", json_boolean(all_ok && back));
	json_object_set_new(rep, "error", msg ? json_string(msg) : json_null());
	add_totals(rep);
	*report = rep;
	rep = NULL;
	ret = 0;
out:
	json_decref(rep);
	if (r.exec)
		PQfinish(r.exec);
	if (r.mon)
		PQfinish(r.mon);
	free(done);
	free(fp);
	free(msg);
	return ret;
}

static const char *str_or(const json_t *o, const char *k, const char *dflt)
{
	const json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

/* One line per step; an error shows its first line only (the report
 * has the whole message). */
static void add_row(strbuf *out, const json_t *s)
{
	const json_t *rows = json_object_get(s, "rows"),
		     *wal = json_object_get(s, "wal_bytes");
	char rbuf[32] = "-", wbuf[32] = "-";
	if (json_is_integer(rows))
		snprintf(rbuf, sizeof(rbuf), "%lld",
			 (long long)json_integer_value(rows));
	if (json_is_integer(wal))
		snprintf(wbuf, sizeof(wbuf), "%lld",
			 (long long)json_integer_value(wal));
	const char *err = str_or(s, "error", "");
	bool failed = !json_is_true(json_object_get(s, "ok"));
	strbuf_addf(out, "%-4lld %10.1f %10.1f %10s %12s  %s %s%s%.*s\n",
		    (long long)json_integer_value(json_object_get(s, "n")),
		    num(s, "wall_ms"), num(s, "lock_held_ms"), rbuf, wbuf,
		    str_or(s, "kind", ""), str_or(s, "object", ""),
		    failed ? "  FAILED: " : "", (int)strcspn(err, "\n"), err);
}

static void add_proof(strbuf *out, const json_t *proof, const char *what,
		      const char *empty, const char *left)
{
	const json_t *l = json_object_get(proof, left);
	strbuf_addf(out, "%s: %s\n", what,
		    json_is_true(json_object_get(proof, empty)) ? "ok"
								: "FAILED");
	if (json_is_string(l))
		strbuf_addf(out, "leftover:\n%s\n", json_string_value(l));
}

void dryrun_format_text(const json_t *report, strbuf *out)
{
	size_t i;
	json_t *s;
	strbuf_addf(out, "dry run of plan %.12s on %s\n",
		    json_string_value(json_object_get(report, "plan_id")),
		    json_string_value(json_object_get(report, "on")));
	strbuf_adds(out, "step    wall ms  lock held       rows    WAL bytes  "
			 "what\n");
	json_array_foreach(json_object_get(report, "steps"), i, s)
	    add_row(out, s);
	if (json_array_size(json_object_get(report, "rollback_steps")))
		strbuf_adds(out, "rollback:\n");
	json_array_foreach(json_object_get(report, "rollback_steps"), i, s)
	    add_row(out, s);
	const json_t *t = json_object_get(report, "totals");
	strbuf_addf(out,
		    "total: %.1f ms, longest lock held %.1f ms, %lld WAL "
		    "bytes\n",
		    num(t, "wall_ms"), num(t, "max_lock_held_ms"),
		    (long long)num(t, "wal_bytes"));
	const json_t *proof = json_object_get(report, "proof");
	add_proof(out, proof, "forward proof (reaches the target)",
		  "forward_empty", "forward_leftover");
	add_proof(out, proof, "rollback proof (back to the source)",
		  "rollback_empty", "rollback_leftover");
	const json_t *err = json_object_get(report, "error");
	strbuf_addf(out, "dry run: %s%s%s\n",
		    json_is_true(json_object_get(report, "ok")) ? "ok"
								: "FAILED",
		    json_is_string(err) ? ": " : "",
		    json_is_string(err) ? json_string_value(err) : "");
}
