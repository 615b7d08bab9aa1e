/*
 * The guard every dry run passes before its first statement. A dry run
 * commits each step on the database it is given (then undoes them): on
 * an environment's own database that is a migration nobody approved,
 * and a dropped column's data is gone. So a dry run refuses a target
 * that is the same server and database as any environment's `url`.
 *
 * The target and the environments are compared by what the servers say
 * they are, never by URL text: two URLs for one database (a host name
 * and an address, a socket directory spelled two ways, postgres:// and
 * postgresql://) must match, and a configuration that comes from the
 * branch under review cannot dodge the check by spelling a URL
 * differently.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "../dialects/postgres/conn.h"
#include "../util/xalloc.h"
#include "dryrun.h"

/*
 * Who a connection talks to.
 *
 * system_identifier (pg_control_system) names the cluster, but it is
 * shared by every physical copy of it: a staging copy made with
 * pg_basebackup and promoted keeps production's. The postmaster's start
 * time (to the microsecond) and port tell two running servers apart,
 * and are the same through every route to one server; with the
 * database's name they are the identity compared.
 *
 * pg_control_system() is executable by everyone on PostgreSQL 15 (as
 * installed), but an administrator may revoke it and some hosted
 * services do. "permission denied" then leaves sysid NULL and the other
 * facts decide alone: pg_postmaster_start_time(), current_setting('port')
 * and current_database() need no privilege (data_directory would, so it
 * is not used). Refusing instead would make every dry run fail for such
 * roles, and the remaining facts already identify a running server.
 */
typedef struct pg_identity {
	char *sysid;   /* NULL when the role may not read it */
	char *started; /* epoch seconds, time zone free */
	char *port;
	char *db;
} pg_identity;

static void identity_release(pg_identity *id)
{
	free(id->sysid);
	free(id->started);
	free(id->port);
	free(id->db);
	memset(id, 0, sizeof(*id));
}

/* Connect to `url` and read its identity. A connection failure is
 * EXIT_DB (pg_connect's message, URL redacted); a server that answers
 * but will not say who it is is EXIT_USAGE. */
static int identify(const char *url, const char *label, pg_identity *id,
		    error *e)
{
	PGconn *c = NULL;
	memset(id, 0, sizeof(*id));
	if (pg_connect(url, &c, e) < 0)
		return -1;
	int ret = -1;
	PGresult *r = PQexec(c, "SELECT extract(epoch FROM "
				"pg_postmaster_start_time())::text, "
				"current_setting('port'), current_database()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
	    PQgetisnull(r, 0, 0)) {
		error_set(e, EXIT_USAGE, "cannot identify %s's server: %s",
			  label, PQresultErrorMessage(r));
		goto out;
	}
	id->started = xstrdup(PQgetvalue(r, 0, 0));
	id->port = xstrdup(PQgetvalue(r, 0, 1));
	id->db = xstrdup(PQgetvalue(r, 0, 2));
	PQclear(r);
	r = PQexec(c,
		   "SELECT system_identifier::text FROM pg_control_system()");
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		id->sysid = xstrdup(PQgetvalue(r, 0, 0));
	} else if (!state || strcmp(state, "42501")) {
		/* Anything but insufficient_privilege is a real failure. */
		error_set(e, EXIT_USAGE, "cannot identify %s's server: %s",
			  label, PQresultErrorMessage(r));
		goto out;
	}
	ret = 0;
out:
	PQclear(r);
	PQfinish(c);
	if (ret < 0)
		identity_release(id);
	return ret;
}

static bool same_identity(const pg_identity *a, const pg_identity *b)
{
	if (a->sysid && b->sysid && strcmp(a->sysid, b->sysid))
		return false;
	return !strcmp(a->started, b->started) && !strcmp(a->port, b->port) &&
	       !strcmp(a->db, b->db);
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
 * For a protected environment that cannot be reached: do the two URLs
 * name the same host, port and database? libpq parses both, so the
 * spelling of the URL does not matter, but two routes to one server
 * (a name and an address) are not seen: only the identity sees those.
 */
static bool same_conninfo(const char *a, const char *b)
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

static int refuse(const dryrun_opts *o, const char *what, const char *why,
		  error *e)
{
	return error_set(e, EXIT_USAGE,
			 "dry run refused: %s is %s (%s); a dry run commits "
			 "every step before undoing it: run it on a replica "
			 "or a throwaway copy",
			 o->on, what, why);
}

/*
 * Compare the target with one protected URL spec. An unresolvable spec
 * (env:NAME not set in this job) is skipped: nothing here can reach
 * it. An unreachable one is compared by its connection parameters when
 * it is protected, and otherwise skipped with a warning.
 */
static int check_one(const dryrun_opts *o, const pg_identity *target,
		     const char *spec, const char *what, bool is_protected,
		     error *e)
{
	char *url = NULL;
	error ignore = ERROR_INIT;
	int ret = 0;
	if (source_resolve_url(spec, &url, &ignore) < 0)
		goto out;
	pg_identity id;
	if (identify(url, what, &id, &ignore) == 0) {
		if (same_identity(target, &id))
			ret = refuse(o, what,
				     id.sysid && target->sysid
					 ? "the same system identifier, "
					   "server and database"
					 : "the same server and database",
				     e);
		identity_release(&id);
	} else if (is_protected) {
		if (same_conninfo(url, o->url))
			ret = refuse(o, what,
				     "the same host, port and database; the "
				     "server could not be reached to compare "
				     "identities",
				     e);
	} else {
		warn("dry run: %s cannot be reached to compare with the "
		     "target; not checked",
		     what);
	}
out:
	error_clear(&ignore);
	free(url);
	return ret;
}

int dryrun_guard(const dryrun_opts *o, error *e)
{
	pg_identity target;
	strbuf what = STRBUF_INIT;
	int ret = -1;
	if (identify(o->url, o->on, &target, e) < 0) {
		if (e->code == EXIT_USAGE)
			error_set(e, EXIT_USAGE,
				  "dry run refused: %s; without knowing the "
				  "server it cannot be told apart from the "
				  "environments' databases",
				  e->msg);
		return -1;
	}
	for (int i = 0; o->cfg && i < o->cfg->nenvs; i++) {
		const config_env *env = &o->cfg->envs[i];
		strbuf_reset(&what);
		strbuf_addf(&what, "the database of environment '%s'",
			    env->name);
		if (check_one(o, &target, env->url, what.buf, env->is_protected,
			      e) < 0)
			goto out;
	}
	if (o->source_url &&
	    check_one(o, &target, o->source_url, "the plan's source database",
		      true, e) < 0)
		goto out;
	ret = 0;
out:
	strbuf_release(&what);
	identity_release(&target);
	return ret;
}
