/*
 * Who a PostgreSQL server is (dialect->session_identity), and whether
 * two URLs name the same address (dialect->session_same_address): what
 * the dry run's guard compares before it touches a database.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "session.h"

/*
 * system_identifier (pg_control_system) names the cluster, but it is
 * shared by every physical copy of it: a staging copy made with
 * pg_basebackup and promoted keeps production's. The postmaster's start
 * time (to the microsecond) and port tell two running servers apart,
 * and are the same through every route to one server; with the
 * database's name they are the identity compared.
 *
 * pg_control_system() is executable by everyone on PostgreSQL 15 (as
 * installed), but an administrator may revoke it and some hosted
 * services do. "permission denied" then leaves the system NULL and the
 * other facts decide alone: pg_postmaster_start_time(),
 * current_setting('port') and current_database() need no privilege
 * (data_directory would, so it is not used). Refusing instead would make
 * every dry run fail for such roles, and the remaining facts already
 * identify a running server.
 */
int pg_session_identity(dialect_conn *c, dialect_server_id *id, error *e)
{
	memset(id, 0, sizeof(*id));
	int ret = -1;
	PGresult *r = PQexec(c->pg, "SELECT extract(epoch FROM "
				    "pg_postmaster_start_time())::text, "
				    "current_setting('port'), "
				    "current_database()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
	    PQgetisnull(r, 0, 0)) {
		error_set(e, EXIT_USAGE, "%s", PQresultErrorMessage(r));
		goto out;
	}
	id->started = xstrdup(PQgetvalue(r, 0, 0));
	id->port = xstrdup(PQgetvalue(r, 0, 1));
	id->database = xstrdup(PQgetvalue(r, 0, 2));
	PQclear(r);
	r = PQexec(c->pg,
		   "SELECT system_identifier::text FROM pg_control_system()");
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		id->system = xstrdup(PQgetvalue(r, 0, 0));
	} else if (!state || strcmp(state, "42501")) {
		/* Anything but insufficient_privilege is a real failure. */
		error_set(e, EXIT_USAGE, "%s", PQresultErrorMessage(r));
		goto out;
	}
	ret = 0;
out:
	PQclear(r);
	if (ret < 0)
		dialect_server_id_release(id);
	return ret;
}

/* One connection parameter of a parsed conninfo, "" when unset. */
static const char *opt(const PQconninfoOption *o, const char *key)
{
	for (; o && o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val ? o->val : "";
	return "";
}

/*
 * libpq parses both, so the spelling of the URL does not matter, but two
 * routes to one server (a name and an address) are not seen: only the
 * identity sees those.
 */
bool pg_session_same_address(const char *a, const char *b)
{
	PQconninfoOption *pa = PQconninfoParse(a, NULL),
			 *pb = PQconninfoParse(b, NULL);
	bool same = false;
	if (pa && pb) {
		const char *ha = *opt(pa, "host") ? opt(pa, "host")
						  : opt(pa, "hostaddr"),
			   *hb = *opt(pb, "host") ? opt(pb, "host")
						  : opt(pb, "hostaddr");
		const char *pta = *opt(pa, "port") ? opt(pa, "port") : "5432",
			   *ptb = *opt(pb, "port") ? opt(pb, "port") : "5432";
		const char *da = *opt(pa, "dbname") ? opt(pa, "dbname")
						    : opt(pa, "user"),
			   *db = *opt(pb, "dbname") ? opt(pb, "dbname")
						    : opt(pb, "user");
		same = !strcmp(ha, hb) && !strcmp(pta, ptb) && !strcmp(da, db);
	}
	PQconninfoFree(pa);
	PQconninfoFree(pb);
	return same;
}
