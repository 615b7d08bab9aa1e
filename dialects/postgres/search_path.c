/*
 * The search path a schema file's unqualified names resolve through.
 *
 * A team whose role's default schema is not public ("$user", public with
 * a schema named after the role, or ALTER ROLE ... SET search_path)
 * writes unqualified names that mean that schema. The live side says
 * which schemas that is (pg_search_path: current_schemas(false), the
 * schemas of the path that exist and the role may use, in order); the
 * scratch database that loads the file is given the same path, with its
 * schemas made to exist first, so that the server itself places every
 * unqualified name (pg_scratch_search_path). The names come from a
 * server or from .schemig.yml (a branch's, possibly hostile): they are
 * only ever quoted as identifiers, never spliced into SQL.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "pg.h"

/* The schemas PostgreSQL makes itself: never created ahead. */
static bool builtin_schema(const char *name)
{
	return !strcmp(name, "public") || !strncmp(name, "pg_", 3) ||
	       !strcmp(name, "information_schema");
}

int pg_search_path(const char *url, char ***out, error *e)
{
	PGconn *conn;
	*out = NULL;
	if (pg_connect(url, &conn, e) < 0)
		return -1;
	PGresult *r =
	    PQexec(conn, "SELECT s FROM pg_catalog.unnest("
			 "pg_catalog.current_schemas(false)) WITH ORDINALITY "
			 "AS u(s, n) ORDER BY n");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		strbuf msg = STRBUF_INIT;
		strbuf_adds(&msg, PQresultErrorMessage(r));
		strbuf_trim(&msg);
		error_set(e, EXIT_DB, "reading the search path: %s", msg.buf);
		strbuf_release(&msg);
		PQclear(r);
		PQfinish(conn);
		return -1;
	}
	int n = PQntuples(r);
	/* "public" alone (or nothing usable) is where an unqualified name
	 * goes anyway: nothing to do, and nothing changes for most teams. */
	bool plain =
	    n == 0 || (n == 1 && !strcmp(PQgetvalue(r, 0, 0), "public"));
	if (!plain) {
		char **names = xcalloc((size_t)n + 1, sizeof(*names));
		for (int i = 0; i < n; i++)
			names[i] = xstrdup(PQgetvalue(r, i, 0));
		*out = names;
	}
	PQclear(r);
	PQfinish(conn);
	return 0;
}

bool pg_search_path_creates(const scratch_target *t, const char *schema)
{
	for (const char *const *p = t->search_path; p && *p; p++)
		if (!strcmp(*p, schema))
			return !builtin_schema(schema);
	return false;
}

const char *pg_search_path_first(const scratch_target *t)
{
	for (const char *const *p = t->search_path; p && *p; p++)
		if (!builtin_schema(*p) || !strcmp(*p, "public"))
			return *p;
	return "public";
}

static int run(PGconn *conn, const char *sql, const char *what, error *e)
{
	if (pg_run(conn, sql, what, e) < 0) {
		e->code = EXIT_USAGE;
		return -1;
	}
	return 0;
}

int pg_scratch_search_path(const scratch_target *t, error *e)
{
	if (!t->search_path || !t->search_path[0])
		return 0;
	PGconn *conn;
	if (pg_connect(t->url, &conn, e) < 0)
		return -1;
	strbuf sql = STRBUF_INIT;
	int ret = 0;
	/* As the loader where the creator may act as it (it made the
	 * database over to it), so that the file may alter and comment on
	 * these schemas as on its own; else as the creator, who then lets
	 * the loader create in them. */
	bool as_loader = false;
	if (t->loader) {
		strbuf_adds(&sql, "SET ROLE ");
		pg_quote_ident(&sql, t->loader);
		PGresult *r = PQexec(conn, sql.buf);
		as_loader = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
	}
	for (const char *const *p = t->search_path; *p && !ret; p++) {
		if (builtin_schema(*p))
			continue;
		strbuf_reset(&sql);
		strbuf_adds(&sql, "CREATE SCHEMA IF NOT EXISTS ");
		pg_quote_ident(&sql, *p);
		ret = run(conn, sql.buf, "search_path: creating its schema", e);
		if (!ret && t->loader && !as_loader) {
			strbuf_reset(&sql);
			strbuf_adds(&sql, "GRANT ALL ON SCHEMA ");
			pg_quote_ident(&sql, *p);
			strbuf_adds(&sql, " TO ");
			pg_quote_ident(&sql, t->loader);
			ret = run(conn, sql.buf, "search_path", e);
		}
	}
	/* The database's own default: every session of the loader, which
	 * loads the file, starts with it. */
	PGresult *r = ret ? NULL : PQexec(conn, "SELECT current_database()");
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "ALTER DATABASE ");
		pg_quote_ident(&sql, PQgetvalue(r, 0, 0));
		strbuf_adds(&sql, " SET search_path TO ");
		for (const char *const *p = t->search_path; *p; p++) {
			if (p != t->search_path)
				strbuf_adds(&sql, ", ");
			pg_quote_ident(&sql, *p);
		}
		ret = run(conn, sql.buf, "search_path: setting it", e);
	} else if (!ret) {
		ret = error_set(e, EXIT_DB, "search_path: %s",
				PQerrorMessage(conn));
	}
	PQclear(r);
	strbuf_release(&sql);
	PQfinish(conn);
	return ret;
}
