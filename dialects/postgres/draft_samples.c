/*
 * The sample rows of a drafted data migration (dialect->draft_samples):
 * the model says what a row looks like before its plan and after it
 * ("Ada Lovelace" in name becomes "Ada" and "Lovelace"); the proof puts
 * the before rows in its throwaway copy, runs the plan, and looks for
 * the after values, then, after the rollback, for the before rows again.
 *
 * Nothing the model wrote is spliced into SQL: the table name is
 * resolved by the server (to_regclass on a parameter) and quoted from
 * the catalog's spelling, column names are quoted, and every value is a
 * parameter whose type the server infers from its column.
 */
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "conn.h"
#include "pg.h"

/* The server's one-line message (never a DETAIL: it could hold
 * values), or libpq's. */
static const char *primary(const PGresult *r)
{
	const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	return m ? m : PQresultErrorMessage(r);
}

/* The table the model named, quoted from the catalog: 0, or 1 with the
 * reason (no such table now) in `why`. */
static int resolve_table(PGconn *conn, const char *name, strbuf *q, strbuf *why)
{
	const char *params[1] = {name};
	PGresult *r = PQexecParams(
	    conn,
	    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
	    "ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)",
	    1, NULL, params, NULL, NULL, 0);
	int ret = 1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		pg_quote_qualified(q, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		ret = 0;
	} else if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		strbuf_addf(why, "there is no table %s", name);
	} else {
		strbuf_addf(why, "%s: %s", name, primary(r));
	}
	PQclear(r);
	return ret;
}

/* The columns and values of one side ({column, value} items) as
 * quoted names and parameters; 1 with the reason when malformed. */
static int side_values(const json_t *side, strbuf *cols, const char ***vals,
		       int *n, strbuf *why)
{
	size_t i;
	const json_t *c;
	*n = 0;
	*vals = xcalloc(json_array_size(side) + 1, sizeof(**vals));
	json_array_foreach(side, i, c)
	{
		const char *col =
		    json_string_value(json_object_get(c, "column"));
		const json_t *v = json_object_get(c, "value");
		if (!col || !*col || !(json_is_string(v) || json_is_null(v)))
			return strbuf_adds(why, "a value without a column "
						"name, or not text or null"),
			       1;
		if (i)
			strbuf_adds(cols, ", ");
		pg_quote_ident(cols, col);
		(*vals)[(*n)++] = json_string_value(v);
	}
	if (!*n)
		return strbuf_adds(why, "no values"), 1;
	return 0;
}

/* Does a row of `qt` hold every value of `side`? 0 yes, 1 no (why). */
static int find_row(PGconn *conn, const char *qt, const json_t *side,
		    strbuf *why)
{
	strbuf cols = STRBUF_INIT, sql = STRBUF_INIT;
	const char **vals = NULL;
	int n, ret = side_values(side, &cols, &vals, &n, why);
	if (ret)
		goto out;
	strbuf_addf(&sql, "SELECT 1 FROM %s WHERE ", qt);
	/* Each column again, this time one per condition. */
	size_t i;
	const json_t *c;
	json_array_foreach(side, i, c)
	{
		if (i)
			strbuf_adds(&sql, " AND ");
		pg_quote_ident(&sql,
			       json_string_value(json_object_get(c, "column")));
		strbuf_addf(&sql, " IS NOT DISTINCT FROM $%zu", i + 1);
	}
	strbuf_adds(&sql, " LIMIT 1");
	PGresult *r =
	    PQexecParams(conn, strbuf_str(&sql), n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		strbuf_adds(why, primary(r));
		ret = 1;
	} else if (PQntuples(r) == 0) {
		/* The model's own sample values: no row data of anyone's. */
		strbuf_addf(why, "no row of %s holds (%s) = (", qt,
			    strbuf_str(&cols));
		for (int k = 0; k < n; k++)
			strbuf_addf(why, "%s%s", k ? ", " : "",
				    vals[k] ? vals[k] : "NULL");
		strbuf_adds(why, ")");
		ret = 1;
	}
	PQclear(r);
out:
	free(vals);
	strbuf_release(&cols);
	strbuf_release(&sql);
	return ret;
}

static int insert_row(PGconn *conn, const char *qt, const json_t *side,
		      strbuf *why)
{
	strbuf cols = STRBUF_INIT, sql = STRBUF_INIT;
	const char **vals = NULL;
	int n, ret = side_values(side, &cols, &vals, &n, why);
	if (ret)
		goto out;
	/* The model's key values stand, even for an identity column
	 * GENERATED ALWAYS: a child row's sample refers to them. */
	strbuf_addf(&sql,
		    "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE VALUES (", qt,
		    strbuf_str(&cols));
	for (int k = 0; k < n; k++)
		strbuf_addf(&sql, "%s$%d", k ? ", " : "", k + 1);
	strbuf_adds(&sql, ")");
	PGresult *r =
	    PQexecParams(conn, strbuf_str(&sql), n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		strbuf_addf(why, "it cannot be inserted: %s", primary(r));
		ret = 1;
	}
	PQclear(r);
out:
	free(vals);
	strbuf_release(&cols);
	strbuf_release(&sql);
	return ret;
}

int pg_draft_samples(const char *url, const json_t *samples, int phase,
		     strbuf *why, error *e)
{
	PGconn *conn;
	if (pg_connect(url, &conn, e))
		return -1;
	static const char *const when[] = {"", " after the forward steps",
					   " after the rollback"};
	int ret = 0;
	size_t i;
	const json_t *s;
	json_array_foreach(samples, i, s)
	{
		const char *table =
		    json_string_value(json_object_get(s, "table"));
		const json_t *side = json_object_get(
		    s, phase == DRAFT_SAMPLES_FORWARD ? "after" : "before");
		strbuf qt = STRBUF_INIT, sub = STRBUF_INIT;
		ret = resolve_table(conn, table ? table : "", &qt, &sub);
		if (!ret)
			ret =
			    phase == DRAFT_SAMPLES_LOAD
				? insert_row(conn, strbuf_str(&qt), side, &sub)
				: find_row(conn, strbuf_str(&qt), side, &sub);
		if (ret)
			strbuf_addf(why, "sample row %zu (%s)%s: %s", i + 1,
				    table ? table : "?", when[phase],
				    strbuf_str(&sub));
		strbuf_release(&qt);
		strbuf_release(&sub);
		if (ret)
			break;
	}
	PQfinish(conn);
	return ret;
}

/*
 * What the model is told about a table besides the plan's estimates
 * (dialect->draft_table_stats): its size, its indexes and how busy it
 * is. The write rate is the cumulative inserts, updates and deletes of
 * pg_stat_user_tables over the time they were counted (since the
 * database's statistics were reset, else since the server started): an
 * average, but the one figure that tells a quiet table from a hot one.
 */
static const char stats_sql[] =
    "SELECT c.reltuples::bigint, pg_total_relation_size(c.oid), "
    "pg_indexes_size(c.oid), "
    "(SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid), "
    "coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0), "
    "extract(epoch FROM now() - coalesce((SELECT stats_reset FROM "
    "pg_stat_database WHERE datname = current_database()), "
    "pg_postmaster_start_time()))::bigint "
    "FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
    "WHERE c.oid = to_regclass($1)";

int pg_draft_table_stats(const char *url, const json_t *tables, json_t **out,
			 error *e)
{
	PGconn *conn;
	if (pg_connect(url, &conn, e))
		return -1;
	json_t *res = json_object();
	size_t i;
	const json_t *t;
	json_array_foreach(tables, i, t)
	{
		const char *name = json_string_value(t);
		const char *params[1] = {name};
		if (!name)
			continue;
		PGresult *r = PQexecParams(conn, stats_sql, 1, NULL, params,
					   NULL, NULL, 0);
		/* A table that is new in the target has no figures. */
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
			long long writes = atoll(PQgetvalue(r, 0, 4));
			long long secs = atoll(PQgetvalue(r, 0, 5));
			json_object_set_new(
			    res, name,
			    json_pack("{s:I, s:I, s:I, s:I, s:f, s:I}", "rows",
				      (json_int_t)atoll(PQgetvalue(r, 0, 0)),
				      "total_bytes",
				      (json_int_t)atoll(PQgetvalue(r, 0, 1)),
				      "index_bytes",
				      (json_int_t)atoll(PQgetvalue(r, 0, 2)),
				      "indexes",
				      (json_int_t)atoll(PQgetvalue(r, 0, 3)),
				      "writes_per_s",
				      secs > 0 ? (double)writes / (double)secs
					       : 0.0,
				      "observed_s", (json_int_t)secs));
		}
		PQclear(r);
	}
	PQfinish(conn);
	*out = res;
	return 0;
}
