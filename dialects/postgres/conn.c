/*
 * Connections and script execution over libpq (passwords never shown:
 * redact.c).
 */
#include "conn.h"

#include <ctype.h>
#include <pg_query.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "parse_tree.h"
#include "pg.h"

int pg_connect(const char *url, PGconn **out, error *e)
{
	return pg_connect_as(url, NULL, NULL, out, e);
}

int pg_connect_as(const char *url, const char *user, const char *password,
		  PGconn **out, error *e)
{
	/* A bounded wait for unreachable hosts; the URL's own
	 * connect_timeout, expanded after it, still wins. A user and
	 * password given after the URL override its own (expand_dbname). */
	const char *keys[] = {"connect_timeout", "fallback_application_name",
			      "dbname",		 user ? "user" : NULL,
			      "password",	 NULL};
	const char *vals[] = {"10", "git-schemig", url ? url : "",
			      user, password,	   NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 1);

	*out = NULL;
	if (!conn)
		return error_set(e, EXIT_DB, "cannot connect: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		char *shown = pg_url_redact(url ? url : "");
		char *msg = pg_conn_message(PQerrorMessage(conn), url);
		error_set(e, EXIT_DB, "cannot connect to %s%s%s: %s", shown,
			  user ? " as " : "", user ? user : "", msg);
		free(shown);
		free(msg);
		PQfinish(conn);
		return -1;
	}
	*out = conn;
	return 0;
}

int pg_run(PGconn *conn, const char *sql, const char *what, error *e)
{
	PGresult *r = PQexec(conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
		 PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok && e)
		pg_result_fail(r, what, e);
	PQclear(r);
	return ok ? 0 : -1;
}

int pg_result_fail(const PGresult *r, const char *what, error *e)
{
	strbuf msg = STRBUF_INIT;
	strbuf_adds(&msg, PQresultErrorMessage(r));
	strbuf_trim(&msg);
	error_set(e, EXIT_DB, "%s: %s", what, strbuf_str(&msg));
	strbuf_release(&msg);
	return -1;
}

static void discard_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Byte offset of the 1-based character position `pos` in `s`: the
 * server counts characters, the file is UTF-8. */
static size_t char_to_byte(const char *s, size_t len, long pos)
{
	size_t i = 0;
	for (long c = 1; c < pos && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* The first byte of a statement's text, past blanks and comments. */
static size_t skip_blanks(const char *s, size_t at, size_t end)
{
	while (at < end) {
		if (isspace((unsigned char)s[at])) {
			at++;
		} else if (s[at] == '-' && at + 1 < end && s[at + 1] == '-') {
			while (at < end && s[at] != '\n')
				at++;
		} else if (s[at] == '/' && at + 1 < end && s[at + 1] == '*') {
			const char *close = strstr(s + at + 2, "*/");
			if (!close || (size_t)(close - s) + 2 > end)
				return at;
			at = (size_t)(close - s) + 2;
		} else {
			break;
		}
	}
	return at;
}

/* "file:line:column: message" for a failed statement that starts at
 * byte `base` of the script. */
static int script_error(const char *sql, const char *filename, size_t base,
			size_t stmt_len, PGresult *r, int code, error *e)
{
	const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
	const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	size_t at = skip_blanks(sql, base, base + stmt_len);
	int line, col;
	strbuf msg = STRBUF_INIT;

	if (pos)
		at = base + char_to_byte(sql + base, stmt_len, atol(pos));
	pg_text_position(sql, (int)at, &line, &col);
	if (primary)
		strbuf_adds(&msg, primary);
	else
		strbuf_adds(&msg, PQresultErrorMessage(r));
	if (detail)
		strbuf_addf(&msg, " (%s)", detail);
	strbuf_trim(&msg);
	error_set(e, code, "%s:%d:%d: %s", filename ? filename : "<script>",
		  line, col, strbuf_str(&msg));
	strbuf_release(&msg);
	return -1;
}

static bool starts_with_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len >= n && !strncasecmp(s, word, n) &&
	       (len == n || !isalnum((unsigned char)s[n]));
}

static bool contains_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, word, n) &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + n == len || !isalnum((unsigned char)s[i + n])))
			return true;
	return false;
}

/*
 * How a split script runs: statement by statement so that a failure
 * names its own statement, inside one transaction (the all-or-nothing
 * behaviour of a multi-statement string) unless a statement cannot run
 * in a transaction block (CONCURRENTLY, VACUUM, ...) or the script
 * manages transactions itself.
 */
static bool script_needs_autocommit(const char *sql, PgQuerySplitResult *sp)
{
	static const char *const own_txn[] = {
	    "BEGIN",   "START",	    "COMMIT",  "END",	  "ROLLBACK",
	    "ABORT",   "SAVEPOINT", "RELEASE", "PREPARE", "VACUUM",
	    "REINDEX", "CLUSTER",   NULL};
	for (int i = 0; i < sp->n_stmts; i++) {
		size_t at =
		    skip_blanks(sql, (size_t)sp->stmts[i]->stmt_location,
				(size_t)(sp->stmts[i]->stmt_location +
					 sp->stmts[i]->stmt_len));
		const char *s = sql + at;
		size_t len = (size_t)(sp->stmts[i]->stmt_location +
				      sp->stmts[i]->stmt_len) -
			     at;
		if (contains_word(s, len, "CONCURRENTLY"))
			return true;
		for (int k = 0; own_txn[k]; k++)
			if (starts_with_word(s, len, own_txn[k]))
				return true;
		if (starts_with_word(s, len, "CREATE") ||
		    starts_with_word(s, len, "DROP") ||
		    starts_with_word(s, len, "ALTER")) {
			const char *w = s + 5 + (s[0] == 'C' || s[0] == 'c');
			size_t rest = len - (size_t)(w - s);
			while (rest && isspace((unsigned char)*w))
				w++, rest--;
			if (starts_with_word(w, rest, "DATABASE") ||
			    starts_with_word(w, rest, "TABLESPACE") ||
			    starts_with_word(w, rest, "SYSTEM"))
				return true;
		}
	}
	return false;
}

/*
 * The exit class of a statement the server rejected: `input` (the
 * script is the user's file) unless the connection or the server itself
 * failed (SQLSTATE classes 08, 53, 57, 58, XX), which stays EXIT_DB.
 */
static int statement_error_code(PGconn *conn, PGresult *r, int input)
{
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	static const char *const server_classes[] = {"08", "53", "57",
						     "58", "XX", NULL};
	if (PQstatus(conn) != CONNECTION_OK || !st || strlen(st) < 2)
		return EXIT_DB;
	for (int i = 0; server_classes[i]; i++)
		if (!strncmp(st, server_classes[i], 2))
			return EXIT_DB;
	return input;
}

/* `order`: the statements in the order to run them (NULL: as split); an
 * error still names its statement's place in `sql`. */
static int run_split(PGconn *conn, const char *sql, const char *filename,
		     PgQuerySplitResult *sp, const int *order, int input,
		     error *e)
{
	bool wrap = !script_needs_autocommit(sql, sp);
	strbuf stmt = STRBUF_INIT;
	int ret = 0;

	if (wrap && pg_run(conn, "BEGIN", filename, e) < 0)
		return -1;
	for (int k = 0; k < sp->n_stmts && !ret; k++) {
		int i = order ? order[k] : k;
		size_t base = (size_t)sp->stmts[i]->stmt_location;
		size_t len = (size_t)sp->stmts[i]->stmt_len;
		strbuf_reset(&stmt);
		strbuf_add(&stmt, sql + base, len);
		PGresult *r = PQexec(conn, strbuf_str(&stmt));
		ExecStatusType st = PQresultStatus(r);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY)
			ret = script_error(sql, filename, base, len, r,
					   statement_error_code(conn, r, input),
					   e);
		PQclear(r);
	}
	strbuf_release(&stmt);
	if (!ret && wrap)
		ret = pg_run(conn, "COMMIT", filename, e);
	return ret;
}

/*
 * psql meta-commands (pg_dump 15.14+ writes "\restrict KEY" and
 * "\unrestrict KEY") are not SQL and the server rejects them: blank every
 * line whose first non-blank character is a backslash, outside string
 * literals, quoted identifiers, dollar-quoted bodies and comments.  Only
 * bytes on that line become spaces, so offsets and line numbers hold.
 */
char *pg_blank_meta_commands(const char *sql)
{
	char *s = xstrdup(sql);
	size_t i = 0;
	bool line_start = true;
	while (s[i]) {
		char ch = s[i];
		if (ch == '\n') {
			line_start = true;
			i++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			continue;
		}
		bool at_start = line_start;
		line_start = false;
		bool ident_before =
		    i > 0 &&
		    (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' ||
		     s[i - 1] == '$' || ((unsigned char)s[i - 1] & 0x80));
		if (ch == '\\' && at_start) {
			while (s[i] && s[i] != '\n')
				s[i++] = ' ';
		} else if (ch == '-' && s[i + 1] == '-') {
			while (s[i] && s[i] != '\n')
				i++;
		} else if (ch == '/' && s[i + 1] == '*') {
			/* Comments nest in PostgreSQL. */
			int depth = 1;
			i += 2;
			while (s[i] && depth) {
				if (s[i] == '/' && s[i + 1] == '*')
					depth++, i += 2;
				else if (s[i] == '*' && s[i + 1] == '/')
					depth--, i += 2;
				else
					i++;
			}
		} else if (ch == '\'' || ch == '"') {
			/* E'...' strings take backslash escapes. */
			bool esc =
			    ch == '\'' && i > 0 &&
			    (s[i - 1] == 'E' || s[i - 1] == 'e') &&
			    !(i > 1 && (isalnum((unsigned char)s[i - 2]) ||
					s[i - 2] == '_'));
			i++;
			while (s[i]) {
				if (esc && s[i] == '\\' && s[i + 1]) {
					i += 2;
				} else if (s[i] == ch) {
					i++;
					if (s[i] != ch)
						break;
					i++; /* doubled quote */
				} else {
					i++;
				}
			}
		} else if (ch == '$' && !ident_before) {
			size_t t = i + 1;
			if (isalpha((unsigned char)s[t]) || s[t] == '_')
				while (isalnum((unsigned char)s[t]) ||
				       s[t] == '_')
					t++;
			if (s[t] != '$') {
				i++;
				continue;
			}
			size_t taglen = t + 1 - i;
			const char *close = strstr(s + t + 1, "$");
			while (close && strncmp(close, s + i, taglen))
				close = strchr(close + 1, '$');
			i = close ? (size_t)(close - s) + taglen : strlen(s);
		} else {
			i++;
		}
	}
	return s;
}

static int exec_script_as(const char *url, const char *sql_in,
			  const char *filename, int input, error *e)
{
	PGconn *conn;
	int ret;

	if (pg_connect(url, &conn, e) < 0)
		return -1;
	char *sql = pg_blank_meta_commands(sql_in);
	/* NOTICEs ("table does not exist, skipping") are noise here. */
	PQsetNoticeProcessor(conn, discard_notice, NULL);
	PQsetClientEncoding(conn, "UTF8");
	if (pg_run(conn, "SET client_min_messages = warning", "setup", e) < 0) {
		PQfinish(conn);
		free(sql);
		return -1;
	}

	PgQuerySplitResult sp = pg_query_split_with_parser(sql);
	if (sp.error) {
		/* The server reports the syntax error with its position. */
		PGresult *r = PQexec(conn, sql);
		ExecStatusType st = PQresultStatus(r);
		ret = 0;
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY)
			ret = script_error(sql, filename, 0, strlen(sql), r,
					   statement_error_code(conn, r, input),
					   e);
		PQclear(r);
	} else {
		/* A user's schema file is declarative: its statements are
		 * loaded in dependency order (load_order.c). */
		int *order = NULL;
		if (input == EXIT_USAGE) {
			int *locs =
			    xcalloc((size_t)sp.n_stmts + 1, sizeof(int));
			for (int i = 0; i < sp.n_stmts; i++)
				locs[i] = sp.stmts[i]->stmt_location;
			order = pg_load_order(sql, sp.n_stmts, locs);
			free(locs);
		}
		ret = run_split(conn, sql, filename, &sp, order, input, e);
		free(order);
	}
	pg_query_free_split_result(sp);
	PQfinish(conn);
	free(sql);
	return ret;
}

int pg_exec_script(const char *url, const char *sql, const char *filename,
		   error *e)
{
	return exec_script_as(url, sql, filename, EXIT_DB, e);
}

int pg_load_script(const char *url, const char *sql, const char *filename,
		   error *e)
{
	return exec_script_as(url, sql, filename, EXIT_USAGE, e);
}
