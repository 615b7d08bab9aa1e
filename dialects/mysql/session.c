/*
 * Sessions on MySQL and MariaDB (dialect.h): running a step's
 * statements one call each, one-row queries, cancelling from a signal
 * handler, and the measurements the execution core takes around a step.
 */
#include "session.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../../util/xalloc.h"
#include "mysql.h"

int my_session_connect(const char *url, dialect_conn **out, error *e)
{
	MYSQL *my;
	*out = NULL;
	if (my_connect(url, &my, e) < 0)
		return -1;
	dialect_conn *c = xcalloc(1, sizeof(*c));
	c->my = my;
	c->id = mysql_thread_id(my);
	c->url = xstrdup(url);
	*out = c;
	return 0;
}

void my_session_close(dialect_conn *c)
{
	if (!c)
		return;
	mysql_close(c->my);
	free(c->url);
	free(c);
}

void my_copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size) {
		n = size - 1;
		while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * A failure's code is the server's error number ("1205"): MySQL puts
 * most errors under SQLSTATE HY000, lock waits and timeouts included,
 * so only the number tells them apart (my_error_class).
 */
static int failed(dialect_conn *c, dialect_run_result *out, error *e)
{
	if (out) {
		snprintf(out->state, sizeof(out->state), "%u",
			 mysql_errno(c->my) % 100000);
		out->detail[0] = '\0';
	}
	return error_set(e, EXIT_DB, "%s", mysql_error(c->my));
}

/* Statements that say how many rows they changed. */
static bool counts_rows(const char *sql, size_t n)
{
	static const char *const dml[] = {"INSERT", "UPDATE", "DELETE",
					  "REPLACE"};
	for (size_t i = 0; i < sizeof(dml) / sizeof(*dml); i++) {
		size_t l = strlen(dml[i]);
		if (n > l && !strncasecmp(sql, dml[i], l) &&
		    strchr(" \t\r\n", sql[l]))
			return true;
	}
	return false;
}

/* One statement, its results read to the end. */
static int run_one(dialect_conn *c, const char *sql, size_t n,
		   dialect_run_result *out, error *e)
{
	if (mysql_real_query(c->my, sql, n))
		return failed(c, out, e);
	MYSQL_RES *r = mysql_store_result(c->my);
	if (r) {
		mysql_free_result(r);
	} else if (mysql_errno(c->my)) {
		return failed(c, out, e);
	} else if (out && counts_rows(sql, n)) {
		my_ulonglong rows = mysql_affected_rows(c->my);
		if (rows != (my_ulonglong)-1) {
			out->rows += (long long)rows;
			out->counted = true;
		}
	}
	return 0;
}

/*
 * The server takes one statement per call (conn.c): a text of several
 * (a journal's setup, a step written by hand) is cut by the parser's
 * lexer and sent statement by statement; the first failure stops it.
 */
int my_session_run(dialect_conn *c, const char *sql, dialect_run_result *out,
		   error *e)
{
	my_span *sp = NULL;
	int n = 0, ret = 0;
	if (my_split(sql, "(statement)", &sp, &n, e) < 0)
		return -1;
	for (int i = 0; !ret && i < n; i++)
		ret = run_one(c, sql + sp[i].start, sp[i].end - sp[i].start,
			      out, e);
	free(sp);
	return ret;
}

/* One query; its first row's first n values into `values` when it
 * returns rows (those of an earlier query replaced). The number of its
 * rows, 0 for a statement that returns none, -1 on failure. */
static int query_one_stmt(dialect_conn *c, const char *sql, size_t len,
			  char **values, int n, bool *had_rows,
			  dialect_run_result *res, error *e)
{
	if (mysql_real_query(c->my, sql, len))
		return failed(c, res, e);
	MYSQL_RES *r = mysql_store_result(c->my);
	if (!r)
		return mysql_errno(c->my) ? failed(c, res, e) : 0;
	int rows = (int)mysql_num_rows(r);
	MYSQL_ROW row = rows ? mysql_fetch_row(r) : NULL;
	int cols = (int)mysql_num_fields(r);
	for (int i = 0; i < n; i++) {
		free(values[i]);
		values[i] = row && i < cols && row[i] ? xstrdup(row[i]) : NULL;
	}
	*had_rows = true;
	mysql_free_result(r);
	return rows;
}

/*
 * One statement, or a text of several that the dialect wrote for one
 * purpose (a backfill batch: a transaction, then the row it reports):
 * they run in order, the rows are those of the last statement that
 * returns any. A failure rolls back a transaction the text opened.
 */
int my_session_query(dialect_conn *c, const char *sql, char **values, int n,
		     dialect_run_result *res, error *e)
{
	my_span *sp = NULL;
	int nsp = 0, rows = 0;
	bool had = false;
	for (int i = 0; i < n; i++)
		values[i] = NULL;
	if (my_split(sql, "(query)", &sp, &nsp, e) < 0)
		return -1;
	for (int i = 0; i < nsp && rows >= 0; i++) {
		bool got = false;
		int r = query_one_stmt(c, sql + sp[i].start,
				       sp[i].end - sp[i].start, values, n, &got,
				       res, e);
		if (r < 0 || got)
			rows = r;
		had |= got;
	}
	free(sp);
	if (rows < 0) {
		if (nsp > 1)
			mysql_real_query(c->my, "ROLLBACK", 8);
		for (int i = 0; i < n; i++) {
			free(values[i]);
			values[i] = NULL;
		}
	}
	return rows < 0 ? -1 : had ? rows : 0;
}

/* One value of a measurement (never an error to the caller). */
static char *query_one(dialect_conn *c, const char *sql)
{
	char *v = NULL;
	error e = ERROR_INIT;
	if (my_session_query(c, sql, &v, 1, NULL, &e) < 0)
		error_clear(&e);
	return v;
}

/* ---- cancelling ------------------------------------------------------- */

/*
 * MySQL cancels a statement with KILL QUERY from another session, which
 * a signal handler cannot open. So a cancel handle is a thread waiting
 * on a pipe: the handler writes one byte (async-signal-safe), the thread
 * connects and sends KILL QUERY for the session's id. Closing the pipe
 * ends the thread.
 */
struct dialect_cancel {
	int fd[2];
	pthread_t thread;
	char *url;
	unsigned long id;
};

static void *cancel_loop(void *arg)
{
	dialect_cancel *k = arg;
	char b;
	ssize_t r;
	mysql_thread_init();
	while ((r = read(k->fd[0], &b, 1)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		MYSQL *my = NULL;
		error e = ERROR_INIT;
		char sql[64];
		snprintf(sql, sizeof(sql), "KILL QUERY %lu", k->id);
		if (my_connect(k->url, &my, &e) == 0)
			my_exec(my, sql, "cancel", &e);
		if (my)
			mysql_close(my);
		error_clear(&e);
	}
	mysql_thread_end();
	return NULL;
}

dialect_cancel *my_session_cancel_new(dialect_conn *c)
{
	dialect_cancel *k = xcalloc(1, sizeof(*k));
	if (pipe(k->fd) < 0) {
		free(k);
		return NULL;
	}
	k->url = xstrdup(c->url);
	k->id = c->id;
	if (pthread_create(&k->thread, NULL, cancel_loop, k)) {
		close(k->fd[0]);
		close(k->fd[1]);
		free(k->url);
		free(k);
		return NULL;
	}
	return k;
}

void my_session_cancel(dialect_cancel *k)
{
	if (k && write(k->fd[1], "c", 1) < 0) {
		/* Nothing to do from a signal handler: the step then runs
		 * to its end or its timeout. */
	}
}

void my_session_cancel_free(dialect_cancel *k)
{
	if (!k)
		return;
	close(k->fd[1]);
	pthread_join(k->thread, NULL);
	close(k->fd[0]);
	free(k->url);
	free(k);
}

/* ---- settings and measurements ---------------------------------------- */

char *my_session_setting(dialect_conn *c, const char *name)
{
	/* A variable's name goes into the text: letters, digits and "_"
	 * only. */
	if (!name || !*name ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_") != strlen(name))
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "SELECT @@SESSION.%s", name);
	char *v = query_one(c, strbuf_str(&sb));
	strbuf_release(&sb);
	return v;
}

int my_split_qname(const char *q, char **schema, char **name)
{
	char *part[2] = {NULL, NULL};
	int np = 0;
	const char *p = q;
	*schema = *name = NULL;
	while (p && *p == '`' && np < 2) {
		strbuf sb = STRBUF_INIT;
		for (p++;; p++) {
			if (!*p) {
				strbuf_release(&sb);
				goto bad;
			}
			if (*p == '`' && p[1] == '`') {
				strbuf_addch(&sb, '`');
				p++;
			} else if (*p == '`') {
				p++;
				break;
			} else {
				strbuf_addch(&sb, *p);
			}
		}
		part[np++] = strbuf_detach(&sb);
		if (*p != '.')
			break;
		p++;
	}
	if (!np || *p)
		goto bad;
	*schema = np == 2 ? part[0] : xstrdup("");
	*name = np == 2 ? part[1] : part[0];
	return 0;
bad:
	free(part[0]);
	free(part[1]);
	return -1;
}

int my_table_condition(strbuf *sb, const char *table)
{
	char *schema, *name;
	if (!table || my_split_qname(table, &schema, &name) < 0)
		return -1;
	strbuf_adds(sb, "TABLE_SCHEMA = ");
	if (*schema)
		my_quote_literal(sb, schema);
	else
		strbuf_adds(sb, "DATABASE()");
	strbuf_adds(sb, " AND TABLE_NAME = ");
	my_quote_literal(sb, name);
	free(schema);
	free(name);
	return 0;
}

/* DATA_LENGTH and INDEX_LENGTH are InnoDB's estimates (pages in use),
 * as close as the server will say without reading the table. */
long long my_session_table_bytes(dialect_conn *c, const char *table,
				 bool indexes)
{
	strbuf sb = STRBUF_INIT;
	long long n = -1;
	strbuf_addf(&sb, "SELECT %s FROM information_schema.TABLES WHERE ",
		    indexes ? "INDEX_LENGTH" : "DATA_LENGTH");
	if (my_table_condition(&sb, table) == 0) {
		char *v = query_one(c, strbuf_str(&sb));
		if (v)
			n = strtoll(v, NULL, 10);
		free(v);
	}
	strbuf_release(&sb);
	return n;
}

long long my_session_count_rows(dialect_conn *c, const char *table)
{
	char *schema, *name;
	long long n = -1;
	if (!table || my_split_qname(table, &schema, &name) < 0)
		return -1;
	/* Quoted again from its parts: the name comes from a plan file. */
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "SELECT COUNT(*) FROM ");
	my_qname(&sb, schema, name);
	char *v = query_one(c, strbuf_str(&sb));
	if (v)
		n = strtoll(v, NULL, 10);
	free(v);
	free(schema);
	free(name);
	strbuf_release(&sb);
	return n;
}

/*
 * Who the server is: its host name and data directory together name one
 * server on one machine (MariaDB has no server UUID); the port and the
 * database. The start time is left unknown: NOW() minus Uptime moves by
 * a second between two readings.
 */
int my_session_identity(dialect_conn *c, dialect_server_id *out, error *e)
{
	char *v[3] = {NULL, NULL, NULL};
	memset(out, 0, sizeof(*out));
	if (my_session_query(c,
			     "SELECT CONCAT(@@hostname, ':', @@datadir), "
			     "@@port, DATABASE()",
			     v, 3, NULL, e) < 0)
		return -1;
	out->system = v[0];
	out->port = v[1];
	out->database = v[2] ? v[2] : xstrdup("");
	return 0;
}

bool my_session_same_address(const char *a, const char *b)
{
	my_url x, y;
	error e = ERROR_INIT;
	bool same = false;
	if (my_url_parse(a, &x, &e) < 0) {
		error_clear(&e);
		return false;
	}
	if (my_url_parse(b, &y, &e) < 0) {
		error_clear(&e);
		my_url_release(&x);
		return false;
	}
#define SAME(s, t) (!strcmp((s) ? (s) : "", (t) ? (t) : ""))
	same = SAME(x.socket, y.socket) &&
	       (x.port ? x.port : 3306) == (y.port ? y.port : 3306) &&
	       SAME(x.database, y.database) &&
	       (x.socket || !strcasecmp(x.host ? x.host : "localhost",
					y.host ? y.host : "localhost"));
#undef SAME
	my_url_release(&x);
	my_url_release(&y);
	return same;
}
