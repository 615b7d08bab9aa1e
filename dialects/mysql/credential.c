/*
 * One-shot credentials on MySQL and MariaDB (dialect.h, "One-shot
 * credentials"). MySQL has no owners: what a login may do is what it
 * was granted. So the one-shot login is an account made for one apply,
 * granted on the target database the privileges a plan's DDL and
 * backfills need and nothing else, at most 3 connections, allowed in
 * from the host the admin's session comes from, dropped when the apply
 * ends.
 *
 * MySQL accounts expire by days, not minutes: the validity is recorded
 * in `schemig`.`credentials` (with the database and the apply it was
 * made for), every apply sweeps what is past it, and the password
 * itself expires after a day at the latest (the server's backstop).
 * The password goes to the server as the mysql_native_password hash
 * computed here, never as text a statement log could keep.
 */
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "mysql.h"
#include "session.h"

/* The names the core makes ("schemig_<12 hex>_<8 hex>"), and the only
 * ones listed and swept. */
#define CRED_NAME_RE "^schemig_[0-9a-f]{12}_[0-9a-f]{8}$"

/* What a plan's steps need on the target database: DDL of every kind
 * the differ writes, the backfills' reads and writes, the guards' and
 * measurements' reads (INFORMATION_SCHEMA shows what these grant). */
static const char privileges[] =
    "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, "
    "REFERENCES, CREATE VIEW, SHOW VIEW, TRIGGER, CREATE ROUTINE, "
    "ALTER ROUTINE, EXECUTE, LOCK TABLES";

static void pct(strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

int my_session_connect_as(const char *url, const char *user,
			  const char *password, dialect_conn **out, error *e)
{
	my_url u;
	*out = NULL;
	if (my_url_parse(url, &u, e) < 0)
		return -1;
	/* The same server and database, another account: a URL of its
	 * own, every part encoded again. */
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "mysql://");
	pct(&sb, user);
	strbuf_addch(&sb, ':');
	pct(&sb, password);
	strbuf_addch(&sb, '@');
	if (u.host && strchr(u.host, ':'))
		strbuf_addf(&sb, "[%s]", u.host);
	else
		pct(&sb, u.host ? u.host : "localhost");
	if (u.port)
		strbuf_addf(&sb, ":%u", u.port);
	strbuf_addch(&sb, '/');
	pct(&sb, u.database);
	if (u.socket) {
		strbuf_adds(&sb, "?socket=");
		pct(&sb, u.socket);
	}
	my_url_release(&u);
	int r = my_session_connect(strbuf_str(&sb), out, e);
	/* The password was in the text: wiped, not just freed. */
	memset(sb.buf, 0, sb.len);
	strbuf_release(&sb);
	if (r < 0)
		error_prefix(e, "%s", user);
	return r;
}

int my_credential_owners(dialect_conn *c, const plan *p, json_t **out, error *e)
{
	char *db = NULL;
	(void)p;
	*out = NULL;
	if (my_session_query(c, "SELECT DATABASE()", &db, 1, NULL, e) < 0)
		return -1;
	if (!db || !*db) {
		free(db);
		return error_set(e, EXIT_USAGE,
				 "the environment's url names no database: a "
				 "one-shot credential is granted one database");
	}
	/* The grants' scope stands for the owners PostgreSQL would give:
	 * "`shop`.*". */
	strbuf sb = STRBUF_INIT;
	my_quote_ident(&sb, db);
	strbuf_adds(&sb, ".*");
	*out = json_pack("[s]", strbuf_str(&sb));
	strbuf_release(&sb);
	free(db);
	return 0;
}

/* mysql_native_password's stored form: "*" and the upper-case hex of
 * SHA1(SHA1(password)). */
static void native_hash(const char *password, char out[42])
{
	unsigned char h1[SHA_DIGEST_LENGTH], h2[SHA_DIGEST_LENGTH];
	SHA1((const unsigned char *)password, strlen(password), h1);
	SHA1(h1, sizeof(h1), h2);
	out[0] = '*';
	for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(out + 1 + 2 * i, 3, "%02X", h2[i]);
	memset(h1, 0, sizeof(h1));
}

/* 'name'@'host' for the account `name` made from this session's host. */
static int account(dialect_conn *c, const char *name, strbuf *sb, error *e)
{
	char *host = NULL;
	if (my_session_query(c, "SELECT SUBSTRING_INDEX(USER(), '@', -1)",
			     &host, 1, NULL, e) < 0)
		return -1;
	my_quote_literal(sb, name);
	strbuf_addch(sb, '@');
	my_quote_literal(sb, host && *host ? host : "localhost");
	free(host);
	return 0;
}

static int run(dialect_conn *c, const char *sql, const char *what, error *e)
{
	dialect_run_result r = {.own_lock = -1};
	if (my_session_run(c, sql, &r, e) < 0) {
		error_prefix(e, "%s", what);
		return -1;
	}
	return 0;
}

static const char records_ddl[] =
    "CREATE DATABASE IF NOT EXISTS `schemig` CHARACTER SET utf8mb4;\n"
    "CREATE TABLE IF NOT EXISTS `schemig`.`credentials` (`name` "
    "varchar(64) NOT NULL PRIMARY KEY, `db` varchar(64) NOT NULL, "
    "`apply_id` varchar(64) NOT NULL, `valid_until` datetime NOT NULL) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

int my_credential_create(dialect_conn *admin, const dialect_credential *cr,
			 error *e)
{
	strbuf sql = STRBUF_INIT, acct = STRBUF_INIT;
	char hash[42];
	int ret = -1;
	bool maria = strstr(mysql_get_server_info(admin->my), "MariaDB");
	const char *scope = json_string_value(json_array_get(cr->owners, 0));
	if (!scope)
		return error_set(e, EXIT_USAGE, "credential: no database");
	if (run(admin, records_ddl, "recording one-shot logins", e) < 0 ||
	    account(admin, cr->name, &acct, e) < 0)
		goto out;
	native_hash(cr->password, hash);
	/* MariaDB takes the hash with IDENTIFIED BY PASSWORD, MySQL 8 with
	 * the plugin named. */
	strbuf_addf(&sql,
		    "CREATE USER %s IDENTIFIED %s '%s' WITH "
		    "MAX_USER_CONNECTIONS 3 PASSWORD EXPIRE INTERVAL %d DAY",
		    acct.buf,
		    maria ? "BY PASSWORD" : "WITH mysql_native_password AS",
		    hash, (cr->ttl_minutes + 1439) / 1440);
	memset(hash, 0, sizeof(hash));
	if (run(admin, strbuf_str(&sql), "creating the one-shot login", e) < 0)
		goto out;
	strbuf_reset(&sql);
	strbuf_addf(&sql, "GRANT %s ON %s TO %s", privileges, scope, acct.buf);
	if (run(admin, strbuf_str(&sql), "granting the one-shot login", e) < 0)
		goto undo;
	strbuf_reset(&sql);
	strbuf_adds(&sql, "INSERT INTO `schemig`.`credentials` VALUES (");
	my_quote_literal(&sql, cr->name);
	strbuf_adds(&sql, ", ");
	my_quote_literal(&sql, cr->database);
	strbuf_adds(&sql, ", ");
	my_quote_literal(&sql, cr->apply_id);
	strbuf_addf(&sql, ", UTC_TIMESTAMP() + INTERVAL %d MINUTE)",
		    cr->ttl_minutes);
	if (run(admin, strbuf_str(&sql), "recording the one-shot login", e) ==
	    0) {
		ret = 0;
		goto out;
	}
undo:;
	/* No half-made login: an account without its record is one no
	 * sweep would find. */
	error ue = ERROR_INIT;
	my_credential_drop(admin, cr->name, &ue);
	error_clear(&ue);
out:
	strbuf_release(&sql);
	strbuf_release(&acct);
	return ret;
}

int my_credential_journal_grant(dialect_conn *jr, const char *role, bool grant,
				error *e)
{
	strbuf sql = STRBUF_INIT;
	/* A backfill batch checkpoints in the step's row, on the steps'
	 * session: the login's only journal writes. */
	strbuf_adds(&sql, grant ? "GRANT SELECT, UPDATE ON "
				  "`schemig`.`apply_steps` TO "
				: "REVOKE SELECT, UPDATE ON "
				  "`schemig`.`apply_steps` FROM ");
	int ret = account(jr, role, &sql, e);
	if (!ret)
		ret = run(jr, strbuf_str(&sql),
			  grant ? "letting the one-shot login write the journal"
				: "taking the journal back from the one-shot "
				  "login",
			  e);
	if (ret < 0 && !grant) {
		/* The account is gone already (a sweep, a drop): nothing to
		 * take back. */
		error_clear(e);
		ret = 0;
	}
	strbuf_release(&sql);
	return ret;
}

void my_credential_handover_sql(const char *owner, strbuf *sql)
{
	/* MySQL objects have no owner to hand over to. */
	(void)owner;
	(void)sql;
}

int my_credential_list(dialect_conn *c, json_t **out, error *e)
{
	my_rows r;
	*out = NULL;
	/* The accounts are the truth; the records say what they were for.
	 * An account without a record (the record's table lost) is listed
	 * as expired, so that a sweep takes it. */
	const char *q =
	    "SELECT u.User, c.db, c.apply_id, DATE_FORMAT(c.valid_until, "
	    "'%Y-%m-%dT%H:%i:%sZ'), c.valid_until IS NULL OR c.valid_until < "
	    "UTC_TIMESTAMP() FROM (SELECT DISTINCT User FROM mysql.user "
	    "WHERE User REGEXP '" CRED_NAME_RE "') u LEFT JOIN "
	    "`schemig`.`credentials` c ON c.name = u.User ORDER BY 1";
	error qe = ERROR_INIT;
	if (my_query(c->my, q, &r, "listing one-shot logins", &qe) < 0) {
		/* No records table yet: no login was ever made here. */
		if (mysql_errno(c->my) == 1146 || mysql_errno(c->my) == 1049) {
			error_clear(&qe);
			*out = json_array();
			return 0;
		}
		error_set(e, EXIT_DB, "%s", qe.msg);
		error_clear(&qe);
		return -1;
	}
	json_t *a = json_array();
	for (int i = 0; i < r.n; i++) {
		const char *db = my_rows_val(&r, i, 1);
		const char *id = my_rows_val(&r, i, 2);
		const char *vu = my_rows_val(&r, i, 3);
		const char *ex = my_rows_val(&r, i, 4);
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:o, s:o, s:s?, s:b}", "name",
			      my_rows_val(&r, i, 0), "database",
			      db ? json_string(db) : json_null(), "apply_id",
			      id ? json_string(id) : json_null(), "valid_until",
			      vu, "expired", ex && strcmp(ex, "0")));
	}
	my_rows_release(&r);
	*out = a;
	return 0;
}

int my_credential_drop(dialect_conn *admin, const char *role, error *e)
{
	strbuf sql = STRBUF_INIT;
	my_rows r;
	int found = 0;
	strbuf_adds(&sql, "SELECT Host FROM mysql.user WHERE User = ");
	my_quote_literal(&sql, role);
	if (my_query(admin->my, strbuf_str(&sql), &r,
		     "finding the one-shot "
		     "login",
		     e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	for (int i = 0; i < r.n; i++) {
		strbuf_reset(&sql);
		strbuf_adds(&sql, "DROP USER IF EXISTS ");
		my_quote_literal(&sql, role);
		strbuf_addch(&sql, '@');
		my_quote_literal(&sql, my_rows_val(&r, i, 0));
		if (run(admin, strbuf_str(&sql), "dropping the one-shot login",
			e) < 0) {
			my_rows_release(&r);
			strbuf_release(&sql);
			return -1;
		}
		found = 1;
	}
	my_rows_release(&r);
	/* Its record goes with it; a record without a table is no loss. */
	strbuf_reset(&sql);
	strbuf_adds(&sql,
		    "DELETE FROM `schemig`.`credentials` WHERE `name` = ");
	my_quote_literal(&sql, role);
	error de = ERROR_INIT;
	my_session_run(admin, strbuf_str(&sql),
		       &(dialect_run_result){.own_lock = -1}, &de);
	error_clear(&de);
	strbuf_release(&sql);
	return found;
}
