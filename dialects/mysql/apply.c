/*
 * Apply on MySQL and MariaDB (dialect.h, "Apply"): what an error number
 * means to a retry, the locks and blockers another session can see, the
 * replicas' lag and the database's apply lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/xalloc.h"
#include "mysql.h"
#include "session.h"

/* Metadata lock types, weakest first, as performance_schema names them.
 * An ALTER TABLE's INPLACE path holds SHARED_UPGRADABLE while it works
 * and EXCLUSIVE only briefly at its start and end. */
const char *const my_lock_modes[] = {"SHARED_READ",
				     "SHARED_WRITE",
				     "SHARED_UPGRADABLE",
				     "SHARED_NO_WRITE",
				     "SHARED_NO_READ_WRITE",
				     "EXCLUSIVE",
				     NULL};

static const struct {
	unsigned code;
	enum dialect_error_class cls;
} error_classes[] = {
    /* ER_LOCK_WAIT_TIMEOUT: lock_wait_timeout (metadata locks) and
     * innodb_lock_wait_timeout (rows) alike. */
    {1205, DIALECT_ERR_LOCK_TIMEOUT},
    {1213, DIALECT_ERR_DEADLOCK}, /* ER_LOCK_DEADLOCK */
    /* ER_STATEMENT_TIMEOUT (MariaDB's max_statement_time) and
     * ER_QUERY_TIMEOUT (MySQL's max_execution_time). */
    {1969, DIALECT_ERR_STATEMENT_TIMEOUT},
    {3024, DIALECT_ERR_STATEMENT_TIMEOUT},
    /* ER_QUERY_INTERRUPTED: KILL QUERY, which is how a step is
     * cancelled (session.c). */
    {1317, DIALECT_ERR_CANCELED},
    /* The session is gone: server gone away, lost connection, the
     * server shutting down, killed. */
    {2006, DIALECT_ERR_CONNECTION},
    {2013, DIALECT_ERR_CONNECTION},
    {2055, DIALECT_ERR_CONNECTION},
    {1053, DIALECT_ERR_CONNECTION},
    {1927, DIALECT_ERR_CONNECTION},
    /* The rows reject the change: NULL into NOT NULL, a duplicate, a
     * value out of range or truncated, a foreign key, a CHECK. */
    {1048, DIALECT_ERR_DATA},
    {1062, DIALECT_ERR_DATA},
    {1138, DIALECT_ERR_DATA},
    {1264, DIALECT_ERR_DATA},
    {1265, DIALECT_ERR_DATA},
    {1292, DIALECT_ERR_DATA},
    {1366, DIALECT_ERR_DATA},
    {1406, DIALECT_ERR_DATA},
    {1451, DIALECT_ERR_DATA},
    {1452, DIALECT_ERR_DATA},
    {1586, DIALECT_ERR_DATA},
    {3819, DIALECT_ERR_DATA},
    {4025, DIALECT_ERR_DATA},
};

enum dialect_error_class my_error_class(const char *state)
{
	char *end;
	if (!state || !*state)
		return DIALECT_ERR_OTHER;
	unsigned long code = strtoul(state, &end, 10);
	if (*end)
		return DIALECT_ERR_OTHER;
	for (size_t i = 0; i < sizeof(error_classes) / sizeof(*error_classes);
	     i++)
		if (error_classes[i].code == code)
			return error_classes[i].cls;
	return DIALECT_ERR_OTHER;
}

static char *query_one(dialect_conn *c, const char *sql)
{
	char *v = NULL;
	error e = ERROR_INIT;
	if (my_session_query(c, sql, &v, 1, NULL, &e) < 0)
		error_clear(&e);
	return v;
}

static int lock_index(const char *name)
{
	for (int i = 0; name && my_lock_modes[i]; i++)
		if (!strcmp(my_lock_modes[i], name))
			return i;
	return -1;
}

/*
 * Whether `of` waits: its state in the process list ("Waiting for table
 * metadata lock"). What it holds: performance_schema.metadata_locks
 * where the server keeps it (MySQL 8 by default; MariaDB with
 * performance_schema on), else unknown (-1), and the core then counts
 * the wait alone.
 */
int my_session_locks(dialect_conn *mon, dialect_conn *of, const char *table,
		     dialect_locks *out)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
		 "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = "
		 "%lu",
		 of->id);
	char *state = query_one(mon, sql);
	out->strongest = -1;
	out->waiting =
	    state && strstr(state, "Waiting for") && strstr(state, "lock");
	free(state);
	char *schema, *name;
	if (!table || my_split_qname(table, &schema, &name) < 0)
		return 0;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "SELECT m.LOCK_TYPE FROM performance_schema.metadata_locks "
		    "m JOIN performance_schema.threads t ON t.THREAD_ID = "
		    "m.OWNER_THREAD_ID WHERE t.PROCESSLIST_ID = %lu AND "
		    "m.LOCK_STATUS = 'GRANTED' AND m.OBJECT_TYPE = 'TABLE' "
		    "AND m.OBJECT_SCHEMA = ",
		    of->id);
	if (*schema)
		my_quote_literal(&sb, schema);
	else
		strbuf_adds(&sb, "DATABASE()");
	strbuf_adds(&sb, " AND m.OBJECT_NAME = ");
	my_quote_literal(&sb, name);
	my_rows r;
	error e = ERROR_INIT;
	if (my_query(mon->my, strbuf_str(&sb), &r, "locks", &e) == 0) {
		for (int i = 0; i < r.n; i++) {
			int k = lock_index(my_rows_val(&r, i, 0));
			if (k > out->strongest)
				out->strongest = k;
		}
		my_rows_release(&r);
	}
	error_clear(&e);
	free(schema);
	free(name);
	strbuf_release(&sb);
	return 0;
}

/*
 * Who blocks `of`: without performance_schema the server does not say
 * who holds a metadata lock, so the sessions with an open InnoDB
 * transaction, or running a statement, are listed, oldest first: the
 * one that holds the table is among them (an idle transaction that
 * read the table is the usual culprit).
 */
int my_session_blockers(dialect_conn *mon, dialect_conn *of,
			dialect_blocker *out, int max)
{
	dialect_locks l;
	if (my_session_locks(mon, of, NULL, &l) < 0)
		return -1;
	if (!l.waiting)
		return 0;
	char sql[800];
	snprintf(sql, sizeof(sql),
		 "SELECT p.ID, CONCAT(p.USER, '@', p.HOST), CASE WHEN t.trx_id "
		 "IS NOT NULL AND p.COMMAND = 'Sleep' THEN 'idle in "
		 "transaction' WHEN p.COMMAND = 'Sleep' THEN 'idle' ELSE "
		 "'active' END, DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL p.TIME "
		 "SECOND, '%%Y-%%m-%%dT%%H:%%i:%%sZ'), LEFT(COALESCE(p.INFO, "
		 "t.trx_query, ''), 200) FROM information_schema.PROCESSLIST p "
		 "LEFT JOIN information_schema.INNODB_TRX t ON "
		 "t.trx_mysql_thread_id = p.ID WHERE p.ID NOT IN (%lu, %lu) "
		 "AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump') AND (t.trx_id "
		 "IS NOT NULL OR p.COMMAND <> 'Sleep') ORDER BY p.TIME DESC "
		 "LIMIT %d",
		 of->id, mon->id, max);
	my_rows r;
	error e = ERROR_INIT;
	if (my_query(mon->my, sql, &r, "blockers", &e) < 0) {
		error_clear(&e);
		return -1;
	}
	int n = 0;
	for (int i = 0; i < r.n && n < max; i++, n++) {
		dialect_blocker *b = &out[n];
		memset(b, 0, sizeof(*b));
		b->pid = strtoll(my_rows_val(&r, i, 0), NULL, 10);
		my_copy_cut(b->application, sizeof(b->application),
			    my_rows_val(&r, i, 1));
		my_copy_cut(b->state, sizeof(b->state), my_rows_val(&r, i, 2));
		my_copy_cut(b->query_start, sizeof(b->query_start),
			    my_rows_val(&r, i, 3));
		my_copy_cut(b->query, sizeof(b->query), my_rows_val(&r, i, 4));
	}
	my_rows_release(&r);
	return n;
}

/*
 * A MySQL primary does not know how far its replicas lag (each replica
 * knows its own): no replica registered is 0, otherwise unknown. MySQL
 * 8.0.22 renamed the statement SHOW REPLICAS (and 8.4 dropped the old
 * name); MariaDB knows only SHOW SLAVE HOSTS (and REPLICA HOSTS).
 */
double my_session_replica_lag_ms(dialect_conn *c)
{
	my_rows r;
	error e = ERROR_INIT;
	if (my_query(c->my, "SHOW REPLICAS", &r, "replicas", &e) < 0) {
		error_clear(&e);
		if (my_query(c->my, "SHOW SLAVE HOSTS", &r, "replicas", &e) <
		    0) {
			error_clear(&e);
			return -1;
		}
	}
	double lag = r.n ? -1 : 0;
	my_rows_release(&r);
	return lag;
}

/*
 * The apply lock is a named lock (GET_LOCK) for the database, held by
 * the session until it closes, so that a killed apply frees it. Its
 * name carries the database's name, hashed: names are at most 64
 * characters.
 */
int my_apply_lock(dialect_conn *c, const char *who, char **holder, error *e)
{
	char *v = NULL;
	(void)who; /* a MySQL session has no name others can read */
	*holder = NULL;
	int rc = my_session_query(c,
				  "SELECT GET_LOCK(CONCAT('schemig_apply_', "
				  "SHA2(COALESCE(DATABASE(), ''), 256)), 0)",
				  &v, 1, NULL, e);
	if (rc < 0)
		return -1;
	bool taken = v && !strcmp(v, "1");
	free(v);
	if (taken)
		return 1;
	char *h[3] = {NULL, NULL, NULL};
	error ie = ERROR_INIT;
	if (my_session_query(
		c,
		"SELECT p.ID, CONCAT(p.USER, '@', p.HOST), "
		"DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL p.TIME SECOND, "
		"'%Y-%m-%d %H:%i:%S+00') FROM information_schema.PROCESSLIST "
		"p WHERE p.ID = IS_USED_LOCK(CONCAT('schemig_apply_', "
		"SHA2(COALESCE(DATABASE(), ''), 256)))",
		h, 3, NULL, &ie) > 0) {
		strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "connection %s (%s), its last statement at %s",
			    h[0] ? h[0] : "?", h[1] ? h[1] : "?",
			    h[2] ? h[2] : "?");
		*holder = strbuf_detach(&sb);
	}
	error_clear(&ie);
	for (int i = 0; i < 3; i++)
		free(h[i]);
	return 0;
}
