/*
 * dialect->replica_fill for PostgreSQL: a masked, sampled copy of a
 * source database (replica/replica.h says what; this file says how).
 *
 * The source is read in one REPEATABLE READ, READ ONLY transaction, so
 * that every table comes from one snapshot (the foreign keys of the copy
 * hold because the rows they join were read at one instant), and works
 * on a standby. Each table streams from `COPY (SELECT masked ...) TO
 * STDOUT` into `COPY ... FROM STDIN` on the copy, buffer by buffer: the
 * rows pass through this process's memory once and are never written
 * anywhere else.
 *
 * The copy is filled in one transaction: the schema without its foreign
 * keys, triggers and forced row security (which would check, fire on or
 * refuse the copied rows), the rows, then those, the materialized views'
 * contents, the sequences' positions and the record of the source's
 * sizes. A failure or a killed process rolls all of it back. Replacing
 * an earlier copy (refresh) fills a new database beside it and swaps the
 * names at the end, so the old copy serves until the new one is whole.
 */
#include <jansson.h>
#include <libpq-fe.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../replica/replica.h"
#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "pg.h"
#include "roles.h"
#include "server_url.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One statement with bound text parameters; its result, or NULL with
 * `e` set ("what: message"). */
static PGresult *query(PGconn *c, const char *sql, int n,
		       const char *const *params, const char *what, error *e)
{
	/* Without parameters, the simple protocol: it takes several
	 * statements in one text (the schema of the record). */
	PGresult *r = n ? PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0)
			: PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	pg_result_fail(r, what, e);
	PQclear(r);
	return NULL;
}

static int run(PGconn *c, const char *sql, int n, const char *const *params,
	       const char *what, error *e)
{
	PGresult *r = query(c, sql, n, params, what, e);
	PQclear(r);
	return r ? 0 : -1;
}

/* --- The source --- */

/* A random salt for the masks, set in the source session through a bound
 * parameter (so that it appears in no statement text the server logs or
 * shows), and a seed for the samples. */
static int source_begin(PGconn *src, unsigned *seed, error *e)
{
	unsigned char raw[32];
	char hex[65];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return error_set(e, EXIT_DB, "replica: no random salt");
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	*seed = ((unsigned)raw[0] << 16 | (unsigned)raw[1] << 8 | raw[2]) + 1;
	const char *p[] = {hex};
	int ret = run(src, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
		      0, NULL, "the source", e);
	/* A sample's condition is a hashed set per referencing table; the
	 * planner runs it row by row instead (quadratic) when it expects
	 * the set to outgrow work_mem. One session, one copy: room for it. */
	if (!ret)
		ret = run(src, "SET LOCAL work_mem = '256MB'", 0, NULL,
			  "the source", e);
	if (!ret)
		ret = run(src,
			  "SELECT set_config('schemig.mask_salt', $1, false)",
			  1, p, "the source", e);
	memset(hex, 0, sizeof(hex));
	return ret;
}

/* Each table's rows by the statistics (-1 when some part was never
 * analysed) and bytes, partitions summed under their root. */
static int source_sizes(PGconn *src, replica_job *job, error *e)
{
	strbuf name = STRBUF_INIT;
	int ret = 0;
	for (int i = 0; i < job->ntables && !ret; i++) {
		replica_table *t = &job->tables[i];
		strbuf_reset(&name);
		pg_quote_qualified(&name, t->t->schema, t->t->name);
		const char *p[] = {name.buf};
		PGresult *r = query(
		    src,
		    "SELECT CASE WHEN bool_or(c.relkind <> 'p' AND "
		    "c.reltuples < 0) THEN -1 ELSE coalesce(sum(c.reltuples) "
		    "FILTER (WHERE c.relkind <> 'p'), 0)::bigint END, "
		    "sum(pg_total_relation_size(c.oid))::bigint FROM pg_class "
		    "c "
		    "WHERE c.oid = $1::regclass OR c.oid IN (SELECT relid FROM "
		    "pg_partition_tree($1::regclass))",
		    1, p, "reading the source's table sizes", e);
		if (!r) {
			ret = -1;
			break;
		}
		t->source_rows =
		    PQgetisnull(r, 0, 0) ? -1 : atoll(PQgetvalue(r, 0, 0));
		t->source_bytes = atoll(PQgetvalue(r, 0, 1));
		PQclear(r);
	}
	strbuf_release(&name);
	return ret;
}

/* --- The target --- */

/* The schema's and DROP ... IF EXISTS's "does not exist, skipping" and the like
 * are expected. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Does the database hold relations besides schemig's own, and is it a
 * copy schemig made? */
static int inspect(PGconn *c, bool *empty, bool *marked, char **made, error *e)
{
	PGresult *r = query(
	    c,
	    "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
	    "n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', "
	    "'information_schema', 'schemig') AND n.nspname !~ '^pg_' AND "
	    "c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')), "
	    "to_regclass('schemig.replica') IS NOT NULL",
	    0, NULL, "inspecting the target", e);
	if (!r)
		return -1;
	*empty = !strcmp(PQgetvalue(r, 0, 0), "0");
	*marked = !strcmp(PQgetvalue(r, 0, 1), "t");
	PQclear(r);
	*made = NULL;
	if (*marked) {
		r = query(c,
			  "SELECT made_at::text || ' of ' || environment FROM "
			  "schemig.replica LIMIT 1",
			  0, NULL, "inspecting the target", e);
		if (!r)
			return -1;
		if (PQntuples(r))
			*made = xstrdup(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	return 0;
}

/* Where a copy is filled, and what to do with it afterwards. */
typedef struct target {
	PGconn *admin;	/* the server's maintenance database; NULL */
	char *dbname;	/* the target's name */
	char *fill;	/* the database filled (quoted name), when new */
	char *fill_url; /* its connection string */
	bool created;	/* `fill` is new: dropped when the fill fails */
	bool swap;	/* `fill` replaces dbname at the end */
} target;

static int create_db(target *tg, const char *name, error *e)
{
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "CREATE DATABASE ");
	pg_quote_ident(&sql, name);
	int ret =
	    run(tg->admin, sql.buf, 0, NULL, "creating the copy's database", e);
	strbuf_release(&sql);
	if (!ret) {
		tg->fill = xstrdup(name);
		tg->created = true;
	}
	return ret;
}

static void drop_db(PGconn *admin, const char *name)
{
	strbuf sql = STRBUF_INIT;
	error ignore = ERROR_INIT;
	strbuf_adds(&sql, "DROP DATABASE IF EXISTS ");
	pg_quote_ident(&sql, name);
	strbuf_adds(&sql, " WITH (FORCE)");
	run(admin, sql.buf, 0, NULL, "dropping", &ignore);
	error_clear(&ignore);
	strbuf_release(&sql);
}

/* The target's database name, as libpq reads the connection string. */
static char *url_dbname(const char *url)
{
	PQconninfoOption *opts = PQconninfoParse(url, NULL);
	char *db = NULL, *user = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
			db = xstrdup(o->val);
		if (!strcmp(o->keyword, "user") && o->val && *o->val)
			user = xstrdup(o->val);
	}
	PQconninfoFree(opts);
	if (!db && user)
		db = user, user = NULL;
	if (!db)
		db = xstrdup(getenv("PGDATABASE") ? getenv("PGDATABASE")
						  : "postgres");
	free(user);
	return db;
}

/*
 * Decide where the copy is filled. A database that does not exist is
 * created; an empty one is filled; a copy of schemig's is replaced only
 * with `refresh`, through a new database beside it. Anything else holds
 * what schemig did not put there, and is refused before anything runs.
 */
static int target_prepare(replica_job *job, target *tg, error *e)
{
	char *admin_url = NULL, *made = NULL;
	PGconn *c = NULL;
	bool empty, marked, exists = true;
	int ret = -1;

	tg->dbname = url_dbname(job->target_url);
	if (server_url_with_database(job->target_url, "postgres", &admin_url,
				     e) < 0)
		goto out;
	if (pg_connect(admin_url, &tg->admin, e) < 0)
		goto out;
	PQsetNoticeProcessor(tg->admin, quiet, NULL);
	const char *p[] = {tg->dbname};
	PGresult *r =
	    query(tg->admin, "SELECT 1 FROM pg_database WHERE datname = $1", 1,
		  p, "looking for the copy's database", e);
	if (!r)
		goto out;
	exists = PQntuples(r) > 0;
	PQclear(r);
	if (!exists) {
		if (create_db(tg, tg->dbname, e) < 0)
			goto out;
		tg->fill_url = xstrdup(job->target_url);
		ret = 0;
		goto out;
	}
	if (pg_connect(job->target_url, &c, e) < 0 ||
	    inspect(c, &empty, &marked, &made, e) < 0)
		goto out;
	if (empty && !marked) {
		tg->fill_url = xstrdup(job->target_url);
		ret = 0;
	} else if (!marked) {
		error_set(e, EXIT_USAGE,
			  "replica refused: %s holds tables that schemig did "
			  "not copy there; a replica goes into a new or empty "
			  "database, or replaces a copy schemig made",
			  job->target_shown);
	} else if (!job->refresh) {
		error_set(e, EXIT_USAGE,
			  "%s is already a replica (made %s); --refresh "
			  "replaces it",
			  job->target_shown,
			  made ? made : "at an unknown time");
	} else {
		/* A leftover of a refresh that was interrupted before its
		 * swap goes first: it is ours by its name and by being
		 * empty or marked. */
		strbuf side = STRBUF_INIT;
		strbuf_addf(&side, "%.40s_schemig_new", tg->dbname);
		drop_db(tg->admin, side.buf);
		if (create_db(tg, side.buf, e) == 0 &&
		    server_url_with_database(job->target_url, side.buf,
					     &tg->fill_url, e) == 0) {
			tg->swap = true;
			ret = 0;
		}
		strbuf_release(&side);
	}
out:
	if (c)
		PQfinish(c);
	free(made);
	free(admin_url);
	return ret;
}

/* After a failure: what was created for the fill goes. */
static void target_abandon(target *tg)
{
	if (tg->admin && tg->created && tg->fill)
		drop_db(tg->admin, tg->fill);
}

static int target_swap(target *tg, error *e)
{
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "DROP DATABASE ");
	pg_quote_ident(&sql, tg->dbname);
	strbuf_adds(&sql, " WITH (FORCE)");
	int ret = run(tg->admin, sql.buf, 0, NULL, "replacing the old copy", e);
	if (!ret) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "ALTER DATABASE ");
		pg_quote_ident(&sql, tg->fill);
		strbuf_adds(&sql, " RENAME TO ");
		pg_quote_ident(&sql, tg->dbname);
		ret = run(tg->admin, sql.buf, 0, NULL, "renaming the new copy",
			  e);
	}
	strbuf_release(&sql);
	return ret;
}

static void target_release(target *tg)
{
	if (tg->admin)
		PQfinish(tg->admin);
	free(tg->dbname);
	free(tg->fill);
	free(tg->fill_url);
}

/* --- Filling --- */

/* Statements that run after the rows: foreign keys (they would check
 * each copied row, and a cycle of them could not load at all), triggers
 * (they would fire on each) and forced row security (COPY refuses a
 * table that has it). */
static bool after_rows(const diff_stmt *s)
{
	if (!strcmp(s->kind, "create_extension"))
		return false;
	if (!strcmp(s->kind, "create_trigger") || !strcmp(s->kind, "force_rls"))
		return true;
	if (s->change == CHANGE_ADD_CONSTRAINT && s->after.obj)
		return ((const m_constraint *)s->after.obj)->kind ==
		       M_CON_FOREIGN;
	return false;
}

static int run_schema(PGconn *dst, const replica_job *job, bool after, error *e)
{
	for (int i = 0; i < job->schema.nstmts; i++) {
		const diff_stmt *s = &job->schema.stmts[i];
		if (after_rows(s) != after ||
		    (job->admin_url && !strcmp(s->kind, "create_extension")))
			continue;
		if (run(dst, s->sql, 0, NULL, s->object ? s->object : s->kind,
			e) < 0) {
			error_prefix(e, "creating the schema");
			return -1;
		}
	}
	/* The views' contents come from the rows, in dependency order. */
	for (int i = 0; after && i < job->schema.nstmts; i++) {
		const diff_stmt *s = &job->schema.stmts[i];
		if (strcmp(s->kind, "create_materialized_view") || !s->object)
			continue;
		strbuf sql = STRBUF_INIT;
		strbuf_addf(&sql, "REFRESH MATERIALIZED VIEW %s", s->object);
		int ret = run(dst, sql.buf, 0, NULL, s->object, e);
		strbuf_release(&sql);
		if (ret < 0)
			return -1;
	}
	return 0;
}

/* The roles the schema grants to (and its policies name) must exist:
 * they are made (NOLOGIN) where missing. */
static int make_roles(const replica_job *job, const char *url, error *e)
{
	strmap roles;
	strmap_init(&roles);
	for (int i = 0; i < job->source->ngrants; i++)
		if (job->source->grants[i].grantee)
			strmap_put(&roles, job->source->grants[i].grantee,
				   NULL);
	for (int i = 0; i < job->source->npolicies; i++)
		for (int j = 0; j < job->source->policies[i].nroles; j++)
			if (strcmp(job->source->policies[i].roles[j], "public"))
				strmap_put(&roles,
					   job->source->policies[i].roles[j],
					   NULL);
	int ret = pg_create_script_roles(url, &roles, job->loader, e);
	strmap_release(&roles);
	if (ret < 0)
		error_prefix(e, "the roles the schema grants to");
	/* Extensions only the creator may make come first, as it; the
	 * loader's fill then finds them there. */
	for (int i = 0; !ret && job->admin_url && i < job->schema.nstmts; i++) {
		const diff_stmt *s = &job->schema.stmts[i];
		if (!strcmp(s->kind, "create_extension"))
			ret =
			    pg_exec_script(job->admin_url, s->sql,
					   s->object ? s->object : s->kind, e);
	}
	return ret;
}

static void progress(const replica_job *job, const replica_table *t,
		     long long rows, double ms, bool done)
{
	if (!job->progress)
		return;
	fprintf(stderr, "\r\033[Kreplica: %s.%s: %lld rows (%.0f rows/s)%s",
		t->t->schema, t->t->name, rows,
		ms > 0 ? (double)rows * 1000.0 / ms : 0.0, done ? "\n" : "");
}

/* Stream one table's rows from the source's COPY into the copy's. */
static int copy_table(PGconn *src, PGconn *dst, replica_job *job, int ti,
		      unsigned seed, error *e)
{
	replica_table *t = &job->tables[ti];
	strbuf out = STRBUF_INIT, in = STRBUF_INIT, what = STRBUF_INIT;
	int ret = -1;
	double t0 = now_ms(), shown = t0;

	strbuf_addf(&what, "copying %s.%s", t->t->schema, t->t->name);
	if (pg_replica_copy_out_sql(&out, job, ti, seed, e) < 0)
		goto out;
	pg_replica_copy_in_sql(&in, t);
	PGresult *r = PQexec(src, out.buf);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		error_set(e, EXIT_DB, "%s: %s", what.buf,
			  PQresultErrorMessage(r));
		PQclear(r);
		goto out;
	}
	PQclear(r);
	r = PQexec(dst, in.buf);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		error_set(e, EXIT_DB, "%s: %s", what.buf,
			  PQresultErrorMessage(r));
		PQclear(r);
		/* Drain the source's COPY so that its session stays usable
		 * for the error path's ROLLBACK. */
		PQrequestCancel(src);
		for (char *buf; PQgetCopyData(src, &buf, 0) >= 0;)
			PQfreemem(buf);
		PQclear(PQgetResult(src));
		goto out;
	}
	PQclear(r);
	long long rows = 0;
	int n;
	char *buf;
	while ((n = PQgetCopyData(src, &buf, 0)) > 0) {
		int put = PQputCopyData(dst, buf, n);
		PQfreemem(buf);
		if (put != 1)
			break;
		rows++;
		job->bytes += n;
		double now = now_ms();
		if (now - shown > 500) {
			progress(job, t, rows, now - t0, false);
			shown = now;
		}
	}
	/* The source's outcome first: a failed read must not commit a
	 * partial table into the copy's COPY. */
	r = PQgetResult(src);
	bool src_ok = n == -1 && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!src_ok)
		error_set(e, EXIT_DB, "%s: reading the source: %s", what.buf,
			  n == -2 ? PQerrorMessage(src)
				  : PQresultErrorMessage(r));
	PQclear(r);
	PQputCopyEnd(dst, src_ok ? NULL : "the source failed");
	r = PQgetResult(dst);
	if (src_ok && PQresultStatus(r) != PGRES_COMMAND_OK)
		error_set(e, EXIT_DB, "%s: writing the copy: %s", what.buf,
			  PQresultErrorMessage(r));
	else if (src_ok)
		ret = 0;
	PQclear(r);
	while ((r = PQgetResult(dst)))
		PQclear(r);
	t->rows = rows;
	t->ms = now_ms() - t0;
	job->rows += rows;
	progress(job, t, rows, t->ms, true);
out:
	strbuf_release(&out);
	strbuf_release(&in);
	strbuf_release(&what);
	return ret;
}

/* Every sequence continues where the source's does, so that the dry
 * run's inserts take new keys. */
static int copy_sequences(PGconn *src, PGconn *dst, const replica_job *job,
			  error *e)
{
	PGresult *r = query(
	    src,
	    "SELECT format('%I.%I', schemaname, sequencename), last_value, "
	    "last_value IS NOT NULL FROM pg_sequences WHERE schemaname NOT "
	    "IN ('pg_catalog', 'information_schema', 'schemig')",
	    0, NULL, "reading the source's sequences", e);
	if (!r)
		return -1;
	int ret = 0;
	for (int i = 0; i < PQntuples(r) && !ret; i++) {
		if (PQgetisnull(r, i, 1))
			continue;
		const char *p[] = {PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)};
		ret = run(dst,
			  "SELECT setval(to_regclass($1), $2::bigint, true) "
			  "WHERE to_regclass($1) IS NOT NULL",
			  2, p, "setting a sequence", e);
	}
	PQclear(r);
	(void)job;
	return ret;
}

/* What the dry run reads back (pg_replica_read): who was copied when,
 * and each table's sizes at the source and in the copy. */
static int record(PGconn *dst, const replica_job *job, error *e)
{
	static const char *const ddl =
	    "CREATE SCHEMA IF NOT EXISTS schemig;"
	    "CREATE TABLE schemig.replica (made_at timestamptz NOT NULL "
	    "DEFAULT now(), environment text NOT NULL, source text NOT NULL, "
	    "fingerprint text NOT NULL, sample_pct int NOT NULL, "
	    "masked_columns int NOT NULL, rows bigint NOT NULL, bytes bigint "
	    "NOT NULL, seconds float8 NOT NULL);"
	    "CREATE TABLE schemig.replica_tables (schema_name text, "
	    "table_name text, source_rows bigint, source_bytes bigint, rows "
	    "bigint, whole text, PRIMARY KEY (schema_name, table_name))";
	if (run(dst, ddl, 0, NULL, "recording the copy", e) < 0)
		return -1;
	int masked = 0;
	for (int i = 0; i < job->ntables; i++)
		for (int j = 0; j < job->tables[i].ncols; j++)
			masked +=
			    job->tables[i].cols[j].mask > REPLICA_MASK_KEEP;
	char pct[16], nmask[16], rows[32], bytes[32], secs[32];
	snprintf(pct, sizeof(pct), "%d", job->sample_pct);
	snprintf(nmask, sizeof(nmask), "%d", masked);
	snprintf(rows, sizeof(rows), "%lld", job->rows);
	snprintf(bytes, sizeof(bytes), "%lld", job->bytes);
	snprintf(secs, sizeof(secs), "%.3f", job->ms / 1000.0);
	const char *p[] = {job->env,
			   job->source_shown,
			   job->fingerprint,
			   pct,
			   nmask,
			   rows,
			   bytes,
			   secs};
	if (run(dst,
		"INSERT INTO schemig.replica (environment, source, "
		"fingerprint, sample_pct, masked_columns, rows, bytes, "
		"seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		8, p, "recording the copy", e) < 0)
		return -1;
	for (int i = 0; i < job->ntables; i++) {
		const replica_table *t = &job->tables[i];
		char sr[32], sb[32], r[32];
		snprintf(sr, sizeof(sr), "%lld", t->source_rows);
		snprintf(sb, sizeof(sb), "%lld", t->source_bytes);
		snprintf(r, sizeof(r), "%lld", t->rows);
		const char *q[] = {
		    t->t->schema, t->t->name, sr,
		    sb,		  r,	      t->whole ? t->whole_why : NULL};
		if (run(dst,
			"INSERT INTO schemig.replica_tables VALUES ($1, $2, "
			"nullif($3::bigint, -1), $4, $5, $6)",
			6, q, "recording the copy", e) < 0)
			return -1;
	}
	return 0;
}

static int fill(PGconn *src, PGconn *dst, replica_job *job, unsigned seed,
		double t0, error *e)
{
	if (run(dst, "BEGIN", 0, NULL, "the copy", e) < 0 ||
	    run_schema(dst, job, false, e) < 0)
		return -1;
	for (int i = 0; i < job->ntables; i++)
		if (job->tables[i].ncols &&
		    copy_table(src, dst, job, i, seed, e) < 0)
			return -1;
	if (run_schema(dst, job, true, e) < 0 ||
	    copy_sequences(src, dst, job, e) < 0)
		return -1;
	job->ms = now_ms() - t0;
	if (record(dst, job, e) < 0 ||
	    run(dst, "ANALYZE", 0, NULL, "analysing the copy", e) < 0)
		return -1;
	return run(dst, "COMMIT", 0, NULL, "the copy", e);
}

int pg_replica_fill(replica_job *job, error *e)
{
	PGconn *src = NULL, *dst = NULL;
	target tg = {0};
	unsigned seed = 0;
	double t0 = now_ms();
	int ret = -1;

	if (pg_connect(job->source_url, &src, e) < 0 ||
	    source_begin(src, &seed, e) < 0 || source_sizes(src, job, e) < 0)
		goto out;
	/* Every query is built (and every mask checked against its
	 * column's type) before the target is touched. */
	for (int i = 0; i < job->ntables; i++) {
		strbuf sql = STRBUF_INIT;
		int r = pg_replica_copy_out_sql(&sql, job, i, seed, e);
		strbuf_release(&sql);
		if (r < 0)
			goto out;
	}
	if (job->scratch) {
		tg.fill_url = xstrdup(job->target_url);
	} else if (target_prepare(job, &tg, e) < 0) {
		target_abandon(&tg);
		goto out;
	}
	if (make_roles(job, job->admin_url ? job->admin_url : tg.fill_url, e) <
		0 ||
	    pg_connect(tg.fill_url, &dst, e) < 0) {
		target_abandon(&tg);
		goto out;
	}
	PQsetNoticeProcessor(dst, quiet, NULL);
	if (fill(src, dst, job, seed, t0, e) < 0) {
		PQfinish(dst);
		dst = NULL;
		target_abandon(&tg);
		goto out;
	}
	PQfinish(dst);
	dst = NULL;
	if (tg.swap && target_swap(&tg, e) < 0)
		goto out;
	job->ms = now_ms() - t0;
	ret = 0;
out:
	if (src)
		PQfinish(src);
	if (dst)
		PQfinish(dst);
	target_release(&tg);
	return ret;
}

int pg_replica_read(const char *url, json_t **out, error *e)
{
	PGconn *c = NULL;
	*out = NULL;
	if (pg_connect(url, &c, e) < 0)
		return -1;
	int ret = -1;
	PGresult *r =
	    query(c, "SELECT to_regclass('schemig.replica') IS NOT NULL", 0,
		  NULL, "reading the replica's record", e);
	if (!r)
		goto out;
	bool marked = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	if (!marked) {
		ret = 0;
		goto out;
	}
	r = query(c,
		  "SELECT json_build_object('environment', environment, "
		  "'made_at', made_at, 'fingerprint', fingerprint, "
		  "'sample_pct', sample_pct, 'masked_columns', masked_columns, "
		  "'tables', (SELECT coalesce(json_object_agg(format('%I.%I', "
		  "schema_name, table_name), json_build_object('source_rows', "
		  "source_rows, 'rows', rows)), '{}') FROM "
		  "schemig.replica_tables))::text FROM schemig.replica LIMIT 1",
		  0, NULL, "reading the replica's record", e);
	if (!r)
		goto out;
	if (PQntuples(r))
		*out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
	PQclear(r);
	ret = *out ? 1 : 0;
out:
	PQfinish(c);
	return ret;
}

int pg_replica_drop(const char *url, error *e)
{
	json_t *rec = NULL;
	int r = pg_replica_read(url, &rec, e);
	json_decref(rec);
	if (r < 0)
		return -1;
	char *shown = pg_url_redact(url);
	if (!r) {
		error_set(e, EXIT_USAGE,
			  "%s is not a replica schemig made: not dropped",
			  shown);
		free(shown);
		return -1;
	}
	free(shown);
	target tg = {0};
	char *admin_url = NULL;
	int ret = server_url_with_database(url, "postgres", &admin_url, e);
	if (!ret)
		ret = pg_connect(admin_url, &tg.admin, e);
	if (!ret) {
		PQsetNoticeProcessor(tg.admin, quiet, NULL);
		tg.dbname = url_dbname(url);
		strbuf sql = STRBUF_INIT;
		strbuf_adds(&sql, "DROP DATABASE ");
		pg_quote_ident(&sql, tg.dbname);
		strbuf_adds(&sql, " WITH (FORCE)");
		ret =
		    run(tg.admin, sql.buf, 0, NULL, "dropping the replica", e);
		strbuf_release(&sql);
	}
	free(admin_url);
	target_release(&tg);
	return ret;
}
