/*
 * MySQL / MariaDB connections: the URL, connecting, running queries.
 */
#include "conn.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../util/xalloc.h"

bool my_url_is_mysql(const char *url)
{
	return url && (!strncmp(url, "mysql://", 8) ||
		       !strncmp(url, "mariadb://", 10));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* s[0..n) percent-decoded into a malloc'd string; -1 on a bad escape or
 * an escaped NUL (which would cut the value short). */
static int pct_decode(const char *s, size_t n, char **out)
{
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			strbuf_addch(&sb, s[i]);
			continue;
		}
		int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			strbuf_release(&sb);
			return -1;
		}
		strbuf_addch(&sb, (char)(hi * 16 + lo));
		i += 2;
	}
	*out = strbuf_detach(&sb);
	return 0;
}

void my_url_release(my_url *u)
{
	free(u->user);
	free(u->password);
	free(u->host);
	free(u->database);
	free(u->socket);
	memset(u, 0, sizeof(*u));
}

/* The query string: only socket= is known; anything else is refused so
 * that a misspelt option is not silently ignored. */
static int parse_query(const char *q, my_url *u, error *e)
{
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		if (eq && eq - q == 6 && !strncmp(q, "socket", 6)) {
			free(u->socket);
			u->socket = NULL;
			if (pct_decode(eq + 1, len - 7, &u->socket) < 0)
				return error_set(e, EXIT_USAGE,
						 "bad percent escape in the "
						 "MySQL URL's socket");
		} else if (len) {
			return error_set(e, EXIT_USAGE,
					 "unknown option \"%.*s\" in a MySQL "
					 "URL (only socket= is known)",
					 (int)(eq ? eq - q : (long)len), q);
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

int my_url_parse(const char *url, my_url *out, error *e)
{
	my_url u;
	const char *p, *auth_end, *at, *host, *host_end;
	memset(&u, 0, sizeof(u));
	memset(out, 0, sizeof(*out));
	if (!my_url_is_mysql(url))
		return error_set(e, EXIT_USAGE,
				 "not a MySQL URL (mysql://... or "
				 "mariadb://...)");
	p = strstr(url, "://") + 3;
	auth_end = p + strcspn(p, "/?");
	/* The last '@' ends the user part: a password may hold one. */
	at = NULL;
	for (const char *s = p; s < auth_end; s++)
		if (*s == '@')
			at = s;
	host = p;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		const char *uend = colon ? colon : at;
		if (pct_decode(p, (size_t)(uend - p), &u.user) < 0 ||
		    (colon && pct_decode(colon + 1, (size_t)(at - colon - 1),
					 &u.password) < 0)) {
			my_url_release(&u);
			return error_set(e, EXIT_USAGE,
					 "bad percent escape in the MySQL "
					 "URL's user or password");
		}
		host = at + 1;
	}
	/* "[::1]:3307" or "host:3307". */
	host_end = auth_end;
	const char *port = NULL;
	if (*host == '[') {
		const char *close =
		    memchr(host, ']', (size_t)(auth_end - host));
		if (!close) {
			my_url_release(&u);
			return error_set(e, EXIT_USAGE,
					 "unclosed [ in the MySQL URL's host");
		}
		u.host = xstrndup(host + 1, (size_t)(close - host - 1));
		if (close + 1 < auth_end && close[1] == ':')
			port = close + 2;
	} else {
		const char *colon =
		    memchr(host, ':', (size_t)(auth_end - host));
		if (colon) {
			port = colon + 1;
			host_end = colon;
		}
		if (host_end > host)
			u.host = xstrndup(host, (size_t)(host_end - host));
	}
	if (port && port < auth_end) {
		char *end;
		long v = strtol(port, &end, 10);
		if (end != auth_end || v <= 0 || v > 65535) {
			my_url_release(&u);
			return error_set(e, EXIT_USAGE,
					 "bad port in a MySQL URL: \"%.*s\"",
					 (int)(auth_end - port), port);
		}
		u.port = (unsigned int)v;
	}
	p = auth_end;
	if (*p == '/') {
		size_t n = strcspn(p + 1, "?");
		if (pct_decode(p + 1, n, &u.database) < 0) {
			my_url_release(&u);
			return error_set(e, EXIT_USAGE,
					 "bad percent escape in the MySQL "
					 "URL's database");
		}
		p += 1 + n;
	}
	if (*p == '?' && parse_query(p + 1, &u, e) < 0) {
		my_url_release(&u);
		return -1;
	}
	*out = u;
	return 0;
}

void my_url_describe(strbuf *sb, const my_url *u)
{
	if (u->user && *u->user)
		strbuf_addf(sb, "%s@", u->user);
	if (u->socket) {
		strbuf_addf(sb, "localhost (socket %s)", u->socket);
	} else {
		strbuf_adds(sb, u->host ? u->host : "localhost");
		if (u->port)
			strbuf_addf(sb, ":%u", u->port);
	}
	if (u->database && *u->database)
		strbuf_addf(sb, ", database %s", u->database);
}

char *my_url_redact(const char *url)
{
	const char *p, *auth_end, *at = NULL, *colon;
	strbuf sb = STRBUF_INIT;
	if (!my_url_is_mysql(url))
		return xstrdup(url ? url : "");
	p = strstr(url, "://") + 3;
	auth_end = p + strcspn(p, "/?");
	for (const char *s = p; s < auth_end; s++)
		if (*s == '@')
			at = s;
	colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (!colon)
		return xstrdup(url);
	strbuf_add(&sb, url, (size_t)(colon + 1 - url));
	strbuf_adds(&sb, "***");
	strbuf_adds(&sb, at);
	return strbuf_detach(&sb);
}

static int connect_with(const char *url, unsigned long flags, MYSQL **out,
			error *e)
{
	my_url u;
	MYSQL *c;
	*out = NULL;
	if (my_url_parse(url, &u, e) < 0)
		return -1;
	c = mysql_init(NULL);
	if (!c) {
		my_url_release(&u);
		return error_set(e, EXIT_DB, "cannot start a MySQL client");
	}
	/* utf8mb4 both ways, so names and comments come back as they are
	 * stored; a bounded connect so a dead host fails in time. */
	unsigned int timeout = 10;
	mysql_options(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* libmariadb reads no option file unless told to: the URL alone
	 * says where to connect. */
	if (!mysql_real_connect(c, u.socket ? "localhost" : u.host, u.user,
				u.password,
				u.database && *u.database ? u.database : NULL,
				u.port, u.socket, flags)) {
		strbuf where = STRBUF_INIT;
		my_url_describe(&where, &u);
		/* The client library's messages name the user and host,
		 * never the password ("using password: YES"). */
		error_set(e, EXIT_DB, "cannot connect to MySQL server %s: %s",
			  strbuf_str(&where), mysql_error(c));
		strbuf_release(&where);
		mysql_close(c);
		my_url_release(&u);
		return -1;
	}
	my_url_release(&u);
	*out = c;
	return 0;
}

/* Every result of a multi-statement run must be consumed, or the
 * connection is out of sync for the next query. */
static int drain(MYSQL *c, const char *what, error *e)
{
	int st;
	do {
		MYSQL_RES *r = mysql_store_result(c);
		if (r)
			mysql_free_result(r);
		else if (mysql_errno(c))
			return error_set(e, EXIT_DB, "%s: %s", what,
					 mysql_error(c));
		st = mysql_next_result(c);
		if (st > 0)
			return error_set(e, EXIT_DB, "%s: %s", what,
					 mysql_error(c));
	} while (st == 0);
	return 0;
}

int my_exec(MYSQL *c, const char *sql, const char *what, error *e)
{
	if (mysql_real_query(c, sql, strlen(sql)))
		return error_set(e, EXIT_DB, "%s: %s", what, mysql_error(c));
	return drain(c, what, e);
}

int my_query(MYSQL *c, const char *sql, my_rows *out, const char *what,
	     error *e)
{
	memset(out, 0, sizeof(*out));
	if (mysql_real_query(c, sql, strlen(sql)))
		return error_set(e, EXIT_DB, "%s: %s", what, mysql_error(c));
	out->res = mysql_store_result(c);
	if (!out->res)
		return error_set(e, EXIT_DB, "%s: %s", what,
				 mysql_errno(c) ? mysql_error(c)
						: "the query returned no rows");
	out->n = (int)mysql_num_rows(out->res);
	out->ncols = (int)mysql_num_fields(out->res);
	out->fields = mysql_fetch_fields(out->res);
	out->rows = xcalloc((size_t)out->n + 1, sizeof(*out->rows));
	for (int i = 0; i < out->n; i++)
		out->rows[i] = mysql_fetch_row(out->res);
	return 0;
}

void my_rows_release(my_rows *r)
{
	if (r->res)
		mysql_free_result(r->res);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

int my_rows_col(const my_rows *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (!strcasecmp(r->fields[i].name, name))
			return i;
	return -1;
}

const char *my_rows_val(const my_rows *r, int row, int col)
{
	if (col < 0 || col >= r->ncols || row < 0 || row >= r->n)
		return NULL;
	return r->rows[row][col];
}

/*
 * One statement per call: schemig's statements carry text from schema
 * files (defaults, expressions), and a server that took several at once
 * would run whatever a stray ";" let through.
 */
int my_connect(const char *url, MYSQL **out, error *e)
{
	return connect_with(url, 0, out, e);
}

int my_connect_script(const char *url, MYSQL **out, error *e)
{
	return connect_with(url, CLIENT_MULTI_STATEMENTS, out, e);
}
