/*
 * The one-shot credential of an apply (apply.h, o->cred_admin_url): a
 * login made for this run by the environment's admin, member of the
 * roles that own what the plan touches and nothing else, valid for
 * o->cred_ttl_minutes, that runs every step and is dropped on every
 * exit. The admin's session is open only to make it and to drop it.
 *
 * Its password is random, kept in this process's memory only until the
 * steps' sessions are open, then wiped. A login left by a crash (the
 * process killed before it could drop it) is swept by the next apply
 * on the same database, which holds the apply lock and so knows no one
 * uses it, and by any apply once it has expired.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "apply_internal.h"

/* Two facts of a server's identity differ (one unknown: not). */
static bool differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b);
}

/* The admin's session on the same server as the environment's. */
static int admin_connect(const apply_state *st, dialect_conn **admin, error *e)
{
	const dialect *d = st->d;
	if (d->session_connect(st->o->cred_admin_url, admin, e) < 0) {
		error_prefix(e, "credential: the admin login");
		return -1;
	}
	/* Roles belong to a server: an admin URL naming another one would
	 * make a login that cannot reach the database. */
	dialect_server_id a = {0}, b = {0};
	error ie = ERROR_INIT;
	int ret = 0;
	if (d->session_identity && d->session_identity(*admin, &a, &ie) == 0 &&
	    d->session_identity(st->jr, &b, &ie) == 0 &&
	    (differs(a.system, b.system) || differs(a.started, b.started) ||
	     differs(a.port, b.port)))
		ret = error_set(e, EXIT_USAGE,
				"credential: admin_url names another server "
				"than the environment's url");
	error_clear(&ie);
	dialect_server_id_release(&a);
	dialect_server_id_release(&b);
	if (ret < 0) {
		d->session_close(*admin);
		*admin = NULL;
	}
	return ret;
}

/* The database the journal's session is on (for the roles' records). */
static char *journal_database(const apply_state *st)
{
	dialect_server_id id = {0};
	error e = ERROR_INIT;
	char *db = NULL;
	if (st->d->session_identity &&
	    st->d->session_identity(st->jr, &id, &e) == 0 && id.database)
		db = xstrdup(id.database);
	dialect_server_id_release(&id);
	error_clear(&e);
	return db ? db : xstrdup("?");
}

/* Take the journal back from `role` and drop it; said in the audit. */
static int drop_role(apply_state *st, dialect_conn *admin, const char *role,
		     const char *why)
{
	error e = ERROR_INIT;
	int r = st->d->credential_journal_grant(st->jr, role, false, &e);
	if (r == 0)
		r = st->d->credential_drop(admin, role, &e);
	if (r < 0) {
		fprintf(stderr,
			"schemig: apply: the one-shot login %s was not "
			"dropped: %s (git schemig doctor lists it)\n",
			role, e.msg);
		apply_event(
		    st, "credential_drop_failed",
		    json_pack("{s:s, s:s}", "role", role, "message", e.msg),
		    NULL);
	} else {
		apply_event(st, "credential_dropped",
			    json_pack("{s:s, s:s}", "role", role, "why", why),
			    NULL);
	}
	error_clear(&e);
	return r;
}

/* Logins a crash left: made for this database by another apply (the
 * lock is ours, so that apply is over), or expired. */
static void sweep(apply_state *st, dialect_conn *admin, const char *db)
{
	json_t *all = NULL;
	error e = ERROR_INIT;
	if (st->d->credential_list(admin, &all, &e) < 0) {
		fprintf(stderr, "schemig: apply: %s\n", e.msg);
		error_clear(&e);
		return;
	}
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c)
	{
		const char *name =
		    json_string_value(json_object_get(c, "name"));
		const char *cdb =
		    json_string_value(json_object_get(c, "database"));
		bool expired = json_is_true(json_object_get(c, "expired"));
		bool ours = cdb && !strcmp(cdb, db);
		if (name && (ours || expired))
			drop_role(st, admin, name,
				  expired ? "expired leftover"
					  : "leftover of an earlier apply");
	}
	json_decref(all);
}

/* "schemig_<12 of the plan id>_<8 random hex>" and 32 random bytes as
 * 64 hex digits. */
static int make_secret(apply_state *st, error *e)
{
	unsigned char b[36];
	if (RAND_bytes(b, sizeof(b)) != 1)
		return error_set(e, EXIT_USAGE,
				 "credential: no random bytes for a password");
	snprintf(st->cred_name, sizeof(st->cred_name), "schemig_%.12s_",
		 st->p->id);
	for (int i = 0; i < 4; i++)
		snprintf(st->cred_name + strlen(st->cred_name), 3, "%02x",
			 b[i]);
	for (int i = 0; i < 32; i++)
		snprintf(st->cred_password + 2 * i, 3, "%02x", b[4 + i]);
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

int apply_credential_open(apply_state *st, error *e)
{
	const dialect *d = st->d;
	dialect_conn *admin = NULL;
	json_t *owners = NULL;
	char *db = NULL;
	int ret = -1;
	if (!st->o->cred_admin_url)
		return 0;
	if (!d->credential_create || !d->session_connect_as)
		return error_set(e, EXIT_USAGE,
				 "credential: the %s dialect cannot make "
				 "one-shot logins",
				 d->name);
	if (d->credential_owners(st->jr, st->p, &owners, e) < 0) {
		error_prefix(e, "credential");
		goto out;
	}
	if (admin_connect(st, &admin, e) < 0)
		goto out;
	db = journal_database(st);
	sweep(st, admin, db);
	if (make_secret(st, e) < 0)
		goto out;
	dialect_credential cr = {
	    .name = st->cred_name,
	    .password = st->cred_password,
	    .ttl_minutes =
		st->o->cred_ttl_minutes > 0 ? st->o->cred_ttl_minutes : 60,
	    .owners = owners,
	    .database = db,
	    .apply_id = st->id,
	};
	if (d->credential_create(admin, &cr, e) < 0)
		goto out;
	st->cred_live = true;
	if (d->credential_journal_grant(st->jr, st->cred_name, true, e) < 0)
		goto out;
	st->cred_owner = xstrdup(json_string_value(json_array_get(owners, 0)));
	apply_event(st, "credential_created",
		    json_pack("{s:s, s:O, s:i}", "role", st->cred_name,
			      "member_of", owners, "ttl_minutes",
			      cr.ttl_minutes),
		    NULL);
	ret = 0;
out:
	/* The admin's session is closed before the first step. */
	d->session_close(admin);
	json_decref(owners);
	free(db);
	return ret;
}

void apply_credential_wipe(apply_state *st)
{
	OPENSSL_cleanse(st->cred_password, sizeof(st->cred_password));
}

void apply_credential_close(apply_state *st)
{
	dialect_conn *admin = NULL;
	error e = ERROR_INIT;
	apply_credential_wipe(st);
	if (!st->cred_live)
		return;
	/* A step outside a transaction may have made something: hand it
	 * over before the login goes (transactional steps did at their
	 * commit). */
	if (st->x.run && st->cred_owner) {
		strbuf sql = STRBUF_INIT;
		dialect_run_result res = {.own_lock = -1};
		st->d->credential_handover_sql(st->cred_owner, &sql);
		if (st->d->session_run(st->x.run, strbuf_str(&sql), &res, &e) <
		    0) {
			fprintf(stderr, "schemig: apply: %s\n", e.msg);
			error_clear(&e);
		}
		strbuf_release(&sql);
	}
	exec_close(&st->x);
	if (admin_connect(st, &admin, &e) < 0) {
		fprintf(stderr,
			"schemig: apply: the one-shot login %s was not "
			"dropped: %s\n",
			st->cred_name, e.msg);
		error_clear(&e);
		return;
	}
	if (drop_role(st, admin, st->cred_name, "apply ended") >= 0)
		st->cred_live = false;
	st->d->session_close(admin);
}

/*
 * Which logins are leftovers: expired ones, and those made for this
 * database while no apply holds its lock (taken here for a moment, so
 * the answer holds while it is given).
 */
static void mark_leftovers(const dialect *d, dialect_conn *c, json_t *all)
{
	dialect_server_id id = {0};
	error e = ERROR_INIT;
	char *holder = NULL;
	const char *db =
	    d->session_identity && d->session_identity(c, &id, &e) == 0
		? id.database
		: NULL;
	int free_lock =
	    d->apply_lock ? d->apply_lock(c, "git-schemig doctor", &holder, &e)
			  : -1;
	size_t i;
	json_t *l;
	json_array_foreach(all, i, l)
	{
		const char *ldb =
		    json_string_value(json_object_get(l, "database"));
		bool expired = json_is_true(json_object_get(l, "expired"));
		bool here = db && ldb && !strcmp(db, ldb);
		const char *state =
		    expired	     ? "leftover (expired)"
		    : !here	     ? "made for another database"
		    : free_lock == 1 ? "leftover (no apply is running)"
		    : free_lock == 0 ? "in use by the running apply"
				     : "unknown (the apply lock cannot "
				       "be read)";
		json_object_set_new(l, "state", json_string(state));
		json_object_set_new(
		    l, "leftover",
		    json_boolean(expired || (here && free_lock == 1)));
	}
	free(holder);
	error_clear(&e);
	dialect_server_id_release(&id);
}

int apply_credential_leftovers(const dialect *d, const char *url, json_t **out,
			       error *e)
{
	dialect_conn *c = NULL;
	*out = NULL;
	if (!d->credential_list)
		return error_set(e, EXIT_USAGE,
				 "the %s dialect makes no one-shot logins",
				 d->name);
	int ret = d->session_connect(url, &c, e) < 0
		      ? -1
		      : d->credential_list(c, out, e);
	if (ret == 0)
		mark_leftovers(d, c, *out);
	d->session_close(c);
	return ret;
}
