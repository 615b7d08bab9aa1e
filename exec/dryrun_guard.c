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
#include <stdlib.h>
#include <string.h>

#include "../dialects/dialect.h"
#include "../util/xalloc.h"
#include "dryrun.h"

/*
 * Connect to `url` and read who its server is (the dialect says which
 * facts: for PostgreSQL the system identifier, start time, port and
 * database). A connection failure is EXIT_DB (the URL redacted); a
 * server that answers but will not say who it is is EXIT_USAGE.
 */
static int identify(const dialect *d, const char *url, const char *label,
		    dialect_server_id *id, error *e)
{
	dialect_conn *c = NULL;
	error ie = ERROR_INIT;
	memset(id, 0, sizeof(*id));
	if (d->session_connect(url, &c, e) < 0)
		return -1;
	int ret = d->session_identity(c, id, &ie);
	if (ret < 0)
		error_set(e, EXIT_USAGE, "cannot identify %s's server: %s",
			  label, ie.msg ? ie.msg : "");
	error_clear(&ie);
	d->session_close(c);
	return ret;
}

static int refuse(const dryrun_opts *o, const char *what, const char *why,
		  error *e)
{
	return error_set(e, EXIT_USAGE, "%s refused: %s is %s (%s); %s",
			 o->guard_what ? o->guard_what : "dry run", o->on, what,
			 why,
			 o->guard_why ? o->guard_why
				      : "a dry run commits every step before "
					"undoing it: run it on a replica or a "
					"throwaway copy");
}

/*
 * Compare the target with one protected URL spec. An unresolvable spec
 * (env:NAME not set in this job) is skipped: nothing here can reach
 * it. An unreachable one is compared by its connection parameters when
 * it is protected, and otherwise skipped with a warning.
 */
static int check_one(const dryrun_opts *o, const dialect_server_id *target,
		     const char *spec, const char *what, bool is_protected,
		     error *e)
{
	char *url = NULL;
	error ignore = ERROR_INIT;
	int ret = 0;
	if (source_resolve_url(spec, &url, &ignore) < 0)
		goto out;
	const dialect *d = o->sc->dialect;
	dialect_server_id id;
	if (identify(d, url, what, &id, &ignore) == 0) {
		if (dialect_server_id_same(target, &id))
			ret = refuse(o, what,
				     id.system && target->system
					 ? "the same system identifier, "
					   "server and database"
					 : "the same server and database",
				     e);
		dialect_server_id_release(&id);
	} else if (is_protected) {
		if (d->session_same_address(url, o->url))
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
	dialect_server_id target;
	strbuf what = STRBUF_INIT;
	int ret = -1;
	if (identify(o->sc->dialect, o->url, o->on, &target, e) < 0) {
		if (e->code == EXIT_USAGE)
			error_set(e, EXIT_USAGE,
				  "%s refused: %s; without knowing the "
				  "server it cannot be told apart from the "
				  "environments' databases",
				  o->guard_what ? o->guard_what : "dry run",
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
	dialect_server_id_release(&target);
	return ret;
}
