/*
 * The journal of applies on PostgreSQL (dialect->journal_sql,
 * dialect->journal_read): schema `schemig` in the target database, three
 * tables, one row per apply, per step and phase, per audit event.
 * Introspection never sees it (USER_NS in catalog_sql.h).
 *
 * One table of columns per journal table drives everything: the DDL,
 * which keys journal_sql accepts (identifiers are ours, never a key of
 * the caller's object), and how journal_read types each value. JSON
 * documents (plan, changes, trace, event) are stored as text, exactly as
 * given: a plan's text is what its id was computed from.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/strmap.h"
#include "../../util/xalloc.h"
#include "../journal.h"
#include "pg.h"
#include "session.h"

static const jcol apply_cols[] = {
    {"id", "text", J_TEXT, JC_KEY},
    {"env", "text", J_TEXT, 0},
    {"plan_id", "text", J_TEXT, 0},
    {"plan", "text", J_TEXT, JC_FULL},
    {"direction", "text", J_TEXT, 0},
    {"rollback_of", "text", J_TEXT, 0},
    {"commit", "text", J_TEXT, 0},
    {"pull_request", "text", J_TEXT, 0},
    {"actor", "text", J_TEXT, 0},
    {"before_sql", "text", J_TEXT, JC_FULL},
    {"changes", "text", J_TEXT, JC_FULL},
    {"outcome", "text", J_TEXT, 0},
    {"trace", "text", J_TEXT, 0},
    /* The one-shot login the steps ran as (exec/apply_credential.c). */
    {"credential", "text", J_TEXT, 0},
    {"started", "timestamptz", J_TIME, JC_SERVER},
    {"finished", "timestamptz", J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jcol step_cols[] = {
    {"apply_id", "text", J_TEXT, JC_KEY},
    {"phase", "text", J_TEXT, JC_KEY},
    {"n", "integer", J_INT, JC_KEY},
    {"kind", "text", J_TEXT, 0},
    {"object", "text", J_TEXT, 0},
    {"status", "text", J_TEXT, 0},
    {"attempts", "integer", J_INT, 0},
    {"rows", "bigint", J_INT, 0},
    {"lock_wait_ms", "double precision", J_REAL, 0},
    {"lock_held_ms", "double precision", J_REAL, 0},
    {"lock", "text", J_TEXT, 0},
    {"sqlstate", "text", J_TEXT, 0},
    {"message", "text", J_TEXT, 0},
    {"checkpoint", "text", J_TEXT, 0},
    {"backfill_end", "text", J_TEXT, 0},
    {"started", "timestamptz", J_TIME, JC_SERVER},
    {"finished", "timestamptz", J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jcol event_cols[] = {
    {"apply_id", "text", J_TEXT, JC_KEY},
    {"seq", "bigserial", J_INT, JC_SERVER},
    {"at", "timestamptz", J_TIME, JC_SERVER},
    {"event", "text", J_TEXT, 0},
    {NULL, NULL, 0, 0},
};

/* Who approved a plan: the login role of the session that wrote the row
 * (session_user, which SET ROLE does not change), never a name the
 * caller gives; and, from `approve` in GitHub Actions, the platform login
 * the job's token confirmed ("github:LOGIN"; '' otherwise), believed only
 * from the role that applies (pg_journal_approvals). */
static const jcol approval_cols[] = {
    {"plan_id", "text", J_TEXT, JC_KEY},
    {"approver", "text", J_TEXT, JC_SERVER},
    {"login", "text NOT NULL DEFAULT ''", J_TEXT, 0},
    {"comment", "text", J_TEXT, 0},
    {"at", "timestamptz", J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jtable approvals = {"approvals", "approvals", approval_cols,
				 "PRIMARY KEY (plan_id, approver, login)"};

/*
 * A journal made by an older schemig has approvals without `login`, keyed
 * by (plan_id, approver): the column is added and the key widened, once.
 * Checked in the catalog first, so that later applies take no lock on
 * the table.
 */
static const char approvals_upgrade[] =
    "DO $schemig$ DECLARE k text; BEGIN\n"
    "IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = "
    "'schemig.approvals'::regclass AND attname = 'login' AND NOT "
    "attisdropped) THEN\n"
    "  ALTER TABLE schemig.approvals ADD COLUMN IF NOT EXISTS login text "
    "NOT NULL DEFAULT '';\n"
    "END IF;\n"
    "SELECT conname INTO k FROM pg_constraint WHERE conrelid = "
    "'schemig.approvals'::regclass AND contype = 'p' AND "
    "array_length(conkey, 1) = 2;\n"
    "IF k IS NOT NULL THEN\n"
    "  EXECUTE format('ALTER TABLE schemig.approvals DROP CONSTRAINT %I, "
    "ADD PRIMARY KEY (plan_id, approver, login)', k);\n"
    "END IF;\n"
    "END $schemig$;\n";

/* The dry runs made on this database (a replica: `git schemig dry-run
 * --on URL`), the last report of each plan, for the gate of the apply on
 * the environment whose replica this is. */
static const jcol dry_run_cols[] = {
    {"plan_id", "text", J_TEXT, JC_KEY},
    {"report", "text", J_TEXT, 0},
    {"at", "timestamptz", J_TIME, JC_SERVER},
    {NULL, NULL, 0, 0},
};

static const jtable dry_runs = {"dry_runs", "dry runs", dry_run_cols,
				"PRIMARY KEY (plan_id)"};

static const jtable applies = {"applies", "applies", apply_cols,
			       "PRIMARY KEY (id)"};
/* Steps and events go with their apply when one is deleted. */
static const jtable steps = {
    "apply_steps", "steps", step_cols,
    "PRIMARY KEY (apply_id, phase, n), FOREIGN KEY (apply_id) REFERENCES "
    "schemig.applies (id) ON DELETE CASCADE"};
static const jtable events = {
    "apply_events", "events", event_cols,
    "PRIMARY KEY (seq), FOREIGN KEY (apply_id) REFERENCES "
    "schemig.applies (id) ON DELETE CASCADE"};

/* The journal, made when missing. Safe to run again at every apply:
 * apply runs it holding the apply lock, so two never race. */
static void add_setup(strbuf *sql)
{
	const jtable *tables[] = {&applies, &steps, &events, &approvals,
				  &dry_runs};
	strbuf_adds(sql, "CREATE SCHEMA IF NOT EXISTS schemig;\n");
	for (size_t t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
		strbuf_addf(sql, "CREATE TABLE IF NOT EXISTS schemig.%s (",
			    tables[t]->name);
		for (const jcol *c = tables[t]->cols; c->name; c++)
			strbuf_addf(sql, "%s %s%s, ", c->name, c->sql_type,
				    c->flags & JC_KEY ? " NOT NULL" : "");
		strbuf_addf(sql, "%s);\n", tables[t]->constraints);
		/* A journal made by an earlier version gets the columns
		 * added since; an ALTER only when one is missing, so that
		 * a login that does not own the journal can still use it. */
		strbuf_adds(sql, "DO $schemig$ BEGIN\n");
		for (const jcol *c = tables[t]->cols; c->name; c++)
			if (!(c->flags & JC_KEY) &&
			    strcmp(c->sql_type, "bigserial"))
				strbuf_addf(
				    sql,
				    "IF NOT EXISTS (SELECT FROM pg_attribute "
				    "WHERE attrelid = 'schemig.%s'::regclass "
				    "AND attname = '%s' AND NOT attisdropped) "
				    "THEN ALTER TABLE schemig.%s ADD COLUMN %s "
				    "%s; END IF;\n",
				    tables[t]->name, c->name, tables[t]->name,
				    c->name, c->sql_type);
		strbuf_adds(sql, "END $schemig$;\n");
	}
	strbuf_adds(sql, approvals_upgrade);
}

static void add_value(strbuf *sql, const json_t *v)
{
	journal_add_value(sql, v, pg_quote_literal);
}

/* "col = value, " for each non-key column `f` has. */
static void add_assignments(strbuf *sql, const jtable *t, const json_t *f)
{
	for (const jcol *c = t->cols; c->name; c++) {
		json_t *v = json_object_get(f, c->name);
		if (!v || (c->flags & JC_KEY))
			continue;
		strbuf_addf(sql, "%s = ", c->name);
		add_value(sql, v);
		strbuf_adds(sql, ", ");
	}
}

/* " WHERE k1 = v1 AND k2 = v2" for the row's key columns. */
static void add_where(strbuf *sql, const jtable *t, const json_t *f)
{
	const char *sep = " WHERE ";
	for (const jcol *c = t->cols; c->name; c++) {
		if (!(c->flags & JC_KEY))
			continue;
		strbuf_addf(sql, "%s%s = ", sep, c->name);
		add_value(sql, json_object_get(f, c->name));
		sep = " AND ";
	}
}

/*
 * INSERT of the columns `f` has, plus `extra_cols` / `extra_vals`
 * (columns the operation sets itself), without a terminator.
 */
static void add_insert(strbuf *sql, const jtable *t, const json_t *f,
		       const char *extra_cols, const char *extra_vals)
{
	strbuf_addf(sql, "INSERT INTO schemig.%s (", t->name);
	for (const jcol *c = t->cols; c->name; c++)
		if (json_object_get(f, c->name))
			strbuf_addf(sql, "%s, ", c->name);
	strbuf_addf(sql, "%s) VALUES (", extra_cols);
	for (const jcol *c = t->cols; c->name; c++) {
		json_t *v = json_object_get(f, c->name);
		if (v) {
			add_value(sql, v);
			strbuf_adds(sql, ", ");
		}
	}
	strbuf_addf(sql, "%s)", extra_vals);
}

/*
 * STEP_START: the first attempt inserts the row (status "running"
 * unless given, attempts 1); a retry or a resumed apply finds it and
 * resets status, started and finished, counts one more attempt, and
 * takes what else `f` gives. checkpoint, backfill_end and rows stay:
 * a resumed backfill continues from them.
 */
static void add_step_start(strbuf *sql, const json_t *f)
{
	bool status = json_object_get(f, "status") != NULL;
	bool attempts = json_object_get(f, "attempts") != NULL;
	strbuf extra_cols = STRBUF_INIT, extra_vals = STRBUF_INIT;
	if (!status) {
		strbuf_adds(&extra_cols, "status, ");
		strbuf_adds(&extra_vals, "'running', ");
	}
	if (!attempts) {
		strbuf_adds(&extra_cols, "attempts, ");
		strbuf_adds(&extra_vals, "1, ");
	}
	strbuf_adds(&extra_cols, "started");
	strbuf_adds(&extra_vals, "clock_timestamp()");
	add_insert(sql, &steps, f, strbuf_str(&extra_cols),
		   strbuf_str(&extra_vals));
	strbuf_release(&extra_cols);
	strbuf_release(&extra_vals);
	strbuf_adds(sql, " ON CONFLICT (apply_id, phase, n) DO UPDATE SET ");
	for (const jcol *c = step_cols; c->name; c++)
		if (!(c->flags & (JC_KEY | JC_SERVER)) &&
		    strcmp(c->name, "attempts") &&
		    (json_object_get(f, c->name) || !strcmp(c->name, "status")))
			strbuf_addf(sql, "%s = EXCLUDED.%s, ", c->name,
				    c->name);
	strbuf_adds(sql, "attempts = coalesce(apply_steps.attempts, 0) + 1, "
			 "started = EXCLUDED.started, finished = NULL");
}

static bool running(const json_t *f)
{
	const char *o = json_string_value(json_object_get(f, "outcome"));
	return o && !strcmp(o, "running");
}

/*
 * The times are clock_timestamp(), not now(): now() is when the
 * transaction began, and a step's row written in the step's own
 * transaction must say when the step ended.
 */
int pg_journal_sql(enum dialect_journal_op op, const json_t *f, strbuf *sql,
		   error *e)
{
	const jtable *t = op == JOURNAL_APPLY_START || op == JOURNAL_APPLY_END
			      ? &applies
			  : op == JOURNAL_EVENT	  ? &events
			  : op == JOURNAL_APPROVE ? &approvals
			  : op == JOURNAL_DRY_RUN ? &dry_runs
						  : &steps;
	if (op == JOURNAL_SETUP) {
		add_setup(sql);
		return 0;
	}
	if (op < JOURNAL_APPLY_START || op > JOURNAL_DRY_RUN)
		return error_set(e, EXIT_USAGE, "journal: unknown operation %d",
				 (int)op);
	if (journal_check_keys(t, f, e))
		return -1;
	switch (op) {
	case JOURNAL_APPLY_START:
		add_insert(sql, t, f, "started", "clock_timestamp()");
		break;
	case JOURNAL_EVENT:
		add_insert(sql, t, f, "at", "clock_timestamp()");
		break;
	case JOURNAL_APPROVE:
		/* Approving again replaces the comment: one person, one
		 * approval. */
		add_insert(sql, t, f, "approver, at",
			   "session_user, clock_timestamp()");
		strbuf_adds(sql, " ON CONFLICT (plan_id, approver, login) DO "
				 "UPDATE "
				 "SET comment = EXCLUDED.comment, at = "
				 "EXCLUDED.at");
		break;
	case JOURNAL_DRY_RUN:
		/* The last dry run of a plan is the one that counts. */
		add_insert(sql, t, f, "at", "clock_timestamp()");
		strbuf_adds(sql, " ON CONFLICT (plan_id) DO UPDATE SET report "
				 "= EXCLUDED.report, at = EXCLUDED.at");
		break;
	case JOURNAL_STEP_START:
		add_step_start(sql, f);
		break;
	case JOURNAL_APPLY_END:
	case JOURNAL_STEP_END:
		/* A query, not an UPDATE: inside a step's transaction its
		 * row must not count as one of the step's rows. */
		strbuf_addf(sql, "WITH journal AS (UPDATE schemig.%s SET ",
			    t->name);
		add_assignments(sql, t, f);
		/* An apply set running again (a paused one resumed) has not
		 * finished. */
		strbuf_adds(sql, op == JOURNAL_APPLY_END && running(f)
				     ? "finished = NULL"
				     : "finished = clock_timestamp()");
		add_where(sql, t, f);
		strbuf_adds(sql, " RETURNING 1) SELECT count(*) FROM journal");
		break;
	default: /* JOURNAL_SETUP, above */
		break;
	}
	strbuf_adds(sql, ";\n");
	return 0;
}

/* ---- reading ---------------------------------------------------------- */

/* A JSON string of server text; a byte that is not UTF-8 (a database in
 * SQL_ASCII) becomes '?', so that no value is lost to jansson. */
static json_t *text_value(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	strbuf sb = STRBUF_INIT;
	while (*s) {
		uint32_t cp;
		int n = strbuf_utf8_decode((const unsigned char *)s, &cp);
		if (n > 0)
			strbuf_add(&sb, s, (size_t)n);
		else
			strbuf_addch(&sb, '?');
		s += n > 0 ? n : 1;
	}
	j = json_string(strbuf_str(&sb));
	strbuf_release(&sb);
	return j ? j : json_null();
}

static json_t *column_value(const PGresult *r, int row, int col,
			    enum jtype type)
{
	if (PQgetisnull(r, row, col))
		return json_null();
	const char *v = PQgetvalue(r, row, col);
	switch (type) {
	case J_INT:
		return json_integer(strtoll(v, NULL, 10));
	case J_REAL:
		return json_real(strtod(v, NULL));
	default:
		return text_value(v);
	}
}

/* The columns read of `t`, times as ISO 8601 UTC text. */
static bool read_col(const jcol *c, bool full)
{
	return full || !(c->flags & JC_FULL);
}

static void add_select(strbuf *sql, const jtable *t, bool full)
{
	const char *sep = "SELECT ";
	for (const jcol *c = t->cols; c->name; c++) {
		if (!read_col(c, full))
			continue;
		strbuf_adds(sql, sep);
		if (c->type == J_TIME)
			strbuf_addf(sql, PG_ISO_UTC("%s"), c->name);
		else
			strbuf_adds(sql, c->name);
		sep = ", ";
	}
	strbuf_addf(sql, " FROM schemig.%s", t->name);
}

/* Row `row` of `r` (columns as add_select chose them) as an object. */
static json_t *row_object(const PGresult *r, int row, const jtable *t,
			  bool full)
{
	json_t *o = json_object();
	int col = 0;
	for (const jcol *c = t->cols; c->name; c++)
		if (read_col(c, full))
			json_object_set_new(
			    o, c->name, column_value(r, row, col++, c->type));
	return o;
}

static PGresult *read_query(dialect_conn *c, const char *sql, const char *id,
			    error *e)
{
	const char *params[1] = {id};
	PGresult *r =
	    PQexecParams(c->pg, sql, id ? 1 : 0, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_result_failed(c, r, NULL, e);
		error_prefix(e, "reading the journal");
		PQclear(r);
		return NULL;
	}
	return r;
}

/* Does the journal exist? Read with to_regclass: reading never creates
 * anything. -1 on error. */
static int journal_exists(dialect_conn *c, error *e)
{
	char *v = NULL;
	int rc = pg_session_query(
	    c,
	    "SELECT to_regclass('schemig.applies') IS NOT NULL AND "
	    "to_regclass('schemig.apply_steps') IS NOT NULL",
	    &v, 1, NULL, e);
	int exists = rc < 0 ? -1 : v && !strcmp(v, "t");
	free(v);
	if (rc < 0)
		error_prefix(e, "reading the journal");
	return exists;
}

/* Both queries, each apply with its "steps" attached. */
static json_t *read_applies(dialect_conn *c, const char *id, bool full,
			    error *e)
{
	strbuf sql = STRBUF_INIT;
	add_select(&sql, &applies, full);
	strbuf_adds(&sql, id ? " WHERE id = $1" : "");
	strbuf_adds(&sql, " ORDER BY started DESC NULLS LAST, id DESC");
	PGresult *ra = read_query(c, strbuf_str(&sql), id, e);
	strbuf_reset(&sql);
	add_select(&sql, &steps, true);
	strbuf_adds(&sql, id ? " WHERE apply_id = $1" : "");
	strbuf_adds(&sql, " ORDER BY apply_id, phase <> 'forward', phase, n");
	PGresult *rs = ra ? read_query(c, strbuf_str(&sql), id, e) : NULL;
	strbuf_release(&sql);
	if (!rs) {
		PQclear(ra);
		return NULL;
	}
	json_t *out = json_array();
	strmap by_id = STRMAP_INIT;
	for (int i = 0; i < PQntuples(ra); i++) {
		json_t *a = row_object(ra, i, &applies, full);
		json_t *list = json_array();
		json_object_set_new(a, "steps", list);
		strmap_put(&by_id, PQgetvalue(ra, i, 0), list);
		json_array_append_new(out, a);
	}
	for (int i = 0; i < PQntuples(rs); i++) {
		json_t *list = strmap_get(&by_id, PQgetvalue(rs, i, 0));
		if (!list) /* an apply started between the two reads */
			continue;
		json_t *s = row_object(rs, i, &steps, true);
		json_object_del(s, "apply_id");
		json_array_append_new(list, s);
	}
	strmap_release(&by_id);
	PQclear(ra);
	PQclear(rs);
	return out;
}

/*
 * The two reads see one snapshot when the session is idle (their own
 * read-only transaction); inside the caller's transaction they see
 * what it sees.
 */
int pg_journal_read(dialect_conn *c, const char *id, bool full, json_t **out,
		    error *e)
{
	*out = NULL;
	int exists = journal_exists(c, e);
	if (exists < 0)
		return -1;
	if (!exists) {
		*out = json_array();
		return 0;
	}
	bool own = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
	dialect_run_result res = {.own_lock = -1};
	if (own && pg_session_run(c,
				  "BEGIN ISOLATION LEVEL REPEATABLE READ "
				  "READ ONLY",
				  &res, e))
		return -1;
	*out = read_applies(c, id, full, e);
	if (own) {
		error ignored = ERROR_INIT;
		pg_session_run(c, "ROLLBACK", &res, &ignored);
		error_clear(&ignored);
	}
	return *out ? 0 : -1;
}

int pg_journal_approvals(dialect_conn *c, const char *plan_id, json_t **out,
			 error *e)
{
	char *v = NULL;
	*out = NULL;
	int rc = pg_session_query(
	    c, "SELECT to_regclass('schemig.approvals') IS NOT NULL", &v, 1,
	    NULL, e);
	bool exists = rc > 0 && v && !strcmp(v, "t");
	free(v);
	if (rc < 0)
		return -1;
	if (!exists) {
		*out = json_array();
		return 0;
	}
	/* A platform login is believed only from a row the reading
	 * session's own login role wrote: apply reads as the role that
	 * applies, which could change the schema anyway, while an approver
	 * with a login of their own could write any name there. Other rows
	 * count as their role. */
	strbuf sql = STRBUF_INIT;
	const char *sep = "SELECT ";
	for (const jcol *col = approval_cols; col->name; col++) {
		strbuf_adds(&sql, sep);
		if (col->type == J_TIME)
			strbuf_addf(&sql, PG_ISO_UTC("%s"), col->name);
		else if (!strcmp(col->name, "login"))
			strbuf_adds(&sql, "CASE WHEN approver = session_user "
					  "THEN login ELSE '' END");
		else
			strbuf_adds(&sql, col->name);
		sep = ", ";
	}
	strbuf_adds(&sql, " FROM schemig.approvals WHERE plan_id = $1 ORDER "
			  "BY at, approver, login");
	PGresult *r = read_query(c, strbuf_str(&sql), plan_id, e);
	strbuf_release(&sql);
	if (!r)
		return -1;
	*out = json_array();
	for (int i = 0; i < PQntuples(r); i++)
		json_array_append_new(*out, row_object(r, i, &approvals, true));
	PQclear(r);
	return 0;
}

int pg_journal_dry_run(dialect_conn *c, const char *plan_id, char **report,
		       error *e)
{
	char *v = NULL;
	*report = NULL;
	int rc = pg_session_query(
	    c, "SELECT to_regclass('schemig.dry_runs') IS NOT NULL", &v, 1,
	    NULL, e);
	bool exists = rc > 0 && v && !strcmp(v, "t");
	free(v);
	if (rc < 0)
		return -1;
	if (!exists)
		return 0;
	PGresult *r = read_query(
	    c, "SELECT report FROM schemig.dry_runs WHERE plan_id = $1",
	    plan_id, e);
	if (!r)
		return -1;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		*report = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return *report ? 1 : 0;
}
