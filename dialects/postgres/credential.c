/*
 * One-shot credentials on PostgreSQL (dialect.h, "One-shot
 * credentials"): a LOGIN role made for one apply by an admin login that
 * has CREATEROLE (and, from PostgreSQL 16, ADMIN OPTION on the owner
 * roles), member of the roles owning what the plan touches, valid for
 * minutes, at most 3 connections, dropped when the apply ends.
 *
 * The role's comment records the database and the apply it was made
 * for: a later apply on that database, holding its apply lock, knows no
 * one else uses it and sweeps it.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "conn.h"
#include "pg.h"
#include "session.h"

/* What every one-shot role's comment starts with; its JSON follows. */
#define CRED_COMMENT "git schemig one-shot credential "
/* The names credential_create makes, and the only ones swept. */
#define CRED_NAME_RE "^schemig_[0-9a-f]{12}_[0-9a-f]{8}$"

/* The first value of `sql` with one text parameter; NULL for no row, a
 * null, or an error (a name that does not parse is not an object). */
static char *query1(PGconn *pg, const char *sql, const char *param)
{
	PGresult *r = PQexecParams(pg, sql, 1, NULL, &param, NULL, NULL, 0);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
	    !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* The owner of the object named `name` (a quoted, qualified name as
 * plans spell them): a relation, a type, a function, or else the schema
 * its first part names; "name\tsuper" with super "t" or "f". */
static char *owner_of(PGconn *pg, const char *name)
{
	static const char *const lookups[] = {
	    "SELECT r.rolname || E'\\t' || r.rolsuper FROM pg_class c JOIN "
	    "pg_roles r ON r.oid = c.relowner WHERE c.oid = to_regclass($1)",
	    "SELECT r.rolname || E'\\t' || r.rolsuper FROM pg_type t JOIN "
	    "pg_roles r ON r.oid = t.typowner WHERE t.oid = to_regtype($1)",
	    "SELECT r.rolname || E'\\t' || r.rolsuper FROM pg_proc p JOIN "
	    "pg_roles r ON r.oid = p.proowner WHERE p.oid = "
	    "to_regprocedure($1)",
	    /* A new object: its schema's owner; pg_database_owner (the
	     * owner of public from PostgreSQL 15) stands for the
	     * database's owner. */
	    "SELECT r.rolname || E'\\t' || r.rolsuper FROM pg_namespace n "
	    "JOIN pg_database d ON d.datname = current_database() JOIN "
	    "pg_roles r ON r.oid = CASE WHEN n.nspowner = "
	    "'pg_database_owner'::regrole THEN d.datdba ELSE n.nspowner END "
	    "WHERE n.nspname = (parse_ident($1, false))[1] AND "
	    "array_length(parse_ident($1, false), 1) > 1",
	};
	for (size_t i = 0; i < sizeof(lookups) / sizeof(*lookups); i++) {
		char *v = query1(pg, lookups[i], name);
		if (v)
			return v;
	}
	return NULL;
}

/* Add owner `row` ("name\tsuper") of `object` to `owners`, once. */
static int add_owner(json_t *owners, const char *row, const char *object,
		     error *e)
{
	const char *tab = strchr(row, '\t');
	size_t len = tab ? (size_t)(tab - row) : strlen(row);
	if (tab && !strcmp(tab + 1, "true"))
		return error_set(
		    e, EXIT_USAGE,
		    "%s is owned by %.*s, a superuser: a one-shot "
		    "credential cannot stand in for a superuser; "
		    "give it an owner role (ALTER ... OWNER TO) or "
		    "leave credential: out of this environment",
		    object, (int)len, row);
	size_t i;
	json_t *v;
	json_array_foreach(owners, i, v)
	{
		const char *s = json_string_value(v);
		if (strlen(s) == len && !strncmp(s, row, len))
			return 0;
	}
	json_array_append_new(owners, json_stringn(row, len));
	return 0;
}

int pg_credential_owners(dialect_conn *c, const plan *p, json_t **out, error *e)
{
	json_t *owners = json_array();
	*out = NULL;
	for (int i = 0; i < p->nsteps; i++) {
		const plan_step *s = &p->steps[i];
		const char *names[] = {s->table, s->object};
		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			char *row = owner_of(c->pg, names[k]);
			int r = row ? add_owner(owners, row, names[k], e) : 0;
			free(row);
			if (r < 0) {
				json_decref(owners);
				return -1;
			}
		}
	}
	if (!json_array_size(owners)) {
		json_decref(owners);
		return error_set(e, EXIT_USAGE,
				 "no role owning the plan's objects was found "
				 "(the first is %s): a one-shot credential "
				 "would have no privilege to run it",
				 p->nsteps && p->steps[0].object
				     ? p->steps[0].object
				     : "none");
	}
	*out = owners;
	return 0;
}

int pg_credential_create(dialect_conn *admin, const dialect_credential *cr,
			 error *e)
{
	PGconn *pg = admin->pg;
	strbuf sql = STRBUF_INIT;
	char *until = NULL, *verifier = NULL;
	int ret = -1;
	/* The server's clock decides when the login expires. */
	char ttl[16];
	snprintf(ttl, sizeof(ttl), "%d", cr->ttl_minutes);
	until = query1(pg,
		       "SELECT to_char((now() + make_interval(mins => "
		       "$1::int)) AT TIME ZONE 'UTC', "
		       "'YYYY-MM-DD HH24:MI:SS') || '+00'",
		       ttl);
	/* The password leaves as a SCRAM verifier computed here (as psql's
	 * \password does): a server that logs statements logs no
	 * password. */
	verifier =
	    PQencryptPasswordConn(pg, cr->password, cr->name, "scram-sha-256");
	if (!until || !verifier) {
		error_set(e, EXIT_DB, "creating the one-shot login: %s",
			  PQerrorMessage(pg));
		goto out;
	}
	strbuf_adds(&sql, "BEGIN; CREATE ROLE ");
	pg_quote_ident(&sql, cr->name);
	strbuf_adds(&sql, " LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE "
			  "NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 "
			  "PASSWORD ");
	pg_quote_literal(&sql, verifier);
	strbuf_adds(&sql, " VALID UNTIL ");
	pg_quote_literal(&sql, until);
	strbuf_adds(&sql, "; ");
	size_t i;
	json_t *v;
	json_array_foreach(cr->owners, i, v)
	{
		strbuf_adds(&sql, "GRANT ");
		pg_quote_ident(&sql, json_string_value(v));
		strbuf_adds(&sql, " TO ");
		pg_quote_ident(&sql, cr->name);
		strbuf_adds(&sql, "; ");
	}
	json_t *note = json_pack("{s:s, s:s}", "database", cr->database,
				 "apply_id", cr->apply_id);
	char *nt = json_dumps(note, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(note);
	strbuf_adds(&sql, "COMMENT ON ROLE ");
	pg_quote_ident(&sql, cr->name);
	strbuf_adds(&sql, " IS ");
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, CRED_COMMENT "%s", nt ? nt : "{}");
	pg_quote_literal(&sql, strbuf_str(&sb));
	strbuf_release(&sb);
	free(nt);
	strbuf_adds(&sql, "; COMMIT");
	if (pg_run(pg, strbuf_str(&sql), "creating the one-shot login", e) <
	    0) {
		PQclear(PQexec(pg, "ROLLBACK"));
		goto out;
	}
	ret = 0;
out:
	if (verifier)
		PQfreemem(verifier);
	free(until);
	strbuf_release(&sql);
	return ret;
}

int pg_credential_journal_grant(dialect_conn *jr, const char *role, bool grant,
				error *e)
{
	strbuf sql = STRBUF_INIT, q = STRBUF_INIT;
	pg_quote_ident(&q, role);
	/* A step's "done" and a batch's checkpoint are the only journal
	 * rows written in the credential's transactions. */
	if (grant)
		strbuf_addf(
		    &sql,
		    "GRANT USAGE ON SCHEMA schemig TO %s; GRANT SELECT, "
		    "UPDATE ON schemig.apply_steps TO %s",
		    q.buf, q.buf);
	else
		strbuf_addf(&sql,
			    "REVOKE ALL ON schemig.apply_steps FROM %s; REVOKE "
			    "ALL ON SCHEMA schemig FROM %s",
			    q.buf, q.buf);
	int ret =
	    pg_run(jr->pg, strbuf_str(&sql),
		   grant ? "letting the one-shot login write the journal"
			 : "taking the journal back from the one-shot login",
		   e);
	/* GRANT by a session that does not own the journal only warns:
	 * check that it took. */
	if (ret == 0 && grant) {
		char *ok = query1(jr->pg,
				  "SELECT has_table_privilege($1, "
				  "'schemig.apply_steps', 'UPDATE')",
				  role);
		if (!ok || strcmp(ok, "t"))
			ret = error_set(
			    e, EXIT_USAGE,
			    "the apply's login (%s) could not let %s write "
			    "the journal: the journal (schema schemig) must be "
			    "owned by the login of the environment's url",
			    PQuser(jr->pg), role);
		free(ok);
	}
	strbuf_release(&sql);
	strbuf_release(&q);
	return ret;
}

void pg_credential_handover_sql(const char *owner, strbuf *sql)
{
	strbuf_adds(sql, "REASSIGN OWNED BY CURRENT_USER TO ");
	pg_quote_ident(sql, owner);
	strbuf_adds(sql, ";\n");
}

int pg_credential_list(dialect_conn *c, json_t **out, error *e)
{
	PGresult *r = PQexec(
	    c->pg,
	    "SELECT r.rolname, shobj_description(r.oid, 'pg_authid'), "
	    "to_char(r.rolvaliduntil AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "coalesce(r.rolvaliduntil < now(), false) FROM pg_roles r WHERE "
	    "r.rolname ~ '" CRED_NAME_RE "' ORDER BY 1");
	*out = NULL;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		error_set(e, EXIT_DB, "listing one-shot logins: %s",
			  PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	json_t *a = json_array();
	for (int i = 0; i < PQntuples(r); i++) {
		const char *note = PQgetvalue(r, i, 1);
		json_t *meta = NULL;
		if (!strncmp(note, CRED_COMMENT, strlen(CRED_COMMENT)))
			meta = json_loads(note + strlen(CRED_COMMENT), 0, NULL);
		json_t *o =
		    json_pack("{s:s, s:O, s:O, s:s?, s:b}", "name",
			      PQgetvalue(r, i, 0), "database",
			      json_object_get(meta, "database")
				  ? json_object_get(meta, "database")
				  : json_null(),
			      "apply_id",
			      json_object_get(meta, "apply_id")
				  ? json_object_get(meta, "apply_id")
				  : json_null(),
			      "valid_until",
			      PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2),
			      "expired", !strcmp(PQgetvalue(r, i, 3), "t"));
		json_decref(meta);
		json_array_append_new(a, o);
	}
	PQclear(r);
	*out = a;
	return 0;
}

int pg_credential_drop(dialect_conn *admin, const char *role, error *e)
{
	char *there = query1(admin->pg,
			     "SELECT 1 FROM pg_roles WHERE rolname = $1", role);
	if (!there)
		return 0;
	free(there);
	strbuf sql = STRBUF_INIT;
	strbuf_adds(&sql, "DROP ROLE ");
	pg_quote_ident(&sql, role);
	int ret = pg_run(admin->pg, strbuf_str(&sql),
			 "dropping the one-shot login", e);
	strbuf_release(&sql);
	return ret < 0 ? -1 : 1;
}
