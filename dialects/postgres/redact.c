/*
 * Connection strings as they may be shown: in messages, plan files,
 * migration headers and pull request reports.
 *
 * The string is parsed by libpq itself (PQconninfoParse, for both the
 * postgres:// URL and the key=value form) and written back from the
 * options it found, with every secret option masked: "password",
 * "sslpassword" and whatever else libpq marks as secret (dispchar '*').
 * Parsing rather than searching means that a duplicated key, a
 * percent-encoded key name or a quoted value cannot hide a password from
 * the redactor: whatever libpq would send is what gets masked. A string
 * libpq cannot parse is never echoed at all.
 */
#include <ctype.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"
#include "pg.h"

#define MASK "***"

static bool is_secret(const PQconninfoOption *o)
{
	return (o->dispchar && o->dispchar[0] == '*') ||
	       !strcmp(o->keyword, "password") ||
	       !strcmp(o->keyword, "sslpassword");
}

static const char *opt_val(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val;
	return NULL;
}

/* Length of "postgres://" or "postgresql://" at the start of `s`, else 0:
 * the prefixes libpq takes for a URL. */
static size_t url_prefix_len(const char *s)
{
	if (!strncmp(s, "postgresql://", 13))
		return 13;
	if (!strncmp(s, "postgres://", 11))
		return 11;
	return 0;
}

/* Percent-encode all but unreserved characters and those in `keep`. */
static void add_encoded(strbuf *sb, const char *s, const char *keep)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~", c) ||
		    (keep && strchr(keep, c)))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/*
 * libpq ends a URL's user info at the first '@' before any '/', so a raw
 * '/' or '@' in a password shifts its pieces into the host, the port or
 * the database name, where no redactor would mask them. No real host
 * holds an '@', no port a letter, and a database name with an '@' is rare
 * enough: such a URL is treated as one that does not parse.
 */
static bool url_is_unambiguous(const PQconninfoOption *opts)
{
	const char *host = opt_val(opts, "host");
	const char *port = opt_val(opts, "port");
	const char *db = opt_val(opts, "dbname");
	if (host && strchr(host, '@'))
		return false;
	if (db && strchr(db, '@'))
		return false;
	return !port || strspn(port, "0123456789,") == strlen(port);
}

/* key=value, quoted when the value needs it (conninfo syntax). */
static void add_keyword_value(strbuf *sb, const PQconninfoOption *o)
{
	const char *v = o->val;
	if (sb->len)
		strbuf_addch(sb, ' ');
	strbuf_addf(sb, "%s=", o->keyword);
	if (is_secret(o)) {
		strbuf_adds(sb, MASK);
		return;
	}
	if (*v && !v[strcspn(v, " \t\n\r\f\v'\\")]) {
		strbuf_adds(sb, v);
		return;
	}
	strbuf_addch(sb, '\'');
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *v);
	}
	strbuf_addch(sb, '\'');
}

static int count_items(const char *list)
{
	int n = 1;
	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* Every host of the list can stand in the URL's authority: none empty,
 * none a socket directory. */
static bool hosts_fit_authority(const char *hosts)
{
	const char *h = hosts;
	for (;;) {
		size_t n = strcspn(h, ",");
		if (!n || *h == '/')
			return false;
		if (!h[n])
			return true;
		h += n + 1;
	}
}

/* host[:port],host[:port] with IPv6 addresses in brackets. */
static void add_authority_hosts(strbuf *sb, const char *hosts,
				const char *ports)
{
	const char *h = hosts, *p = ports;
	for (bool first = true; h; first = false) {
		size_t hn = strcspn(h, ",");
		char *one = xstrndup(h, hn);
		if (!first)
			strbuf_addch(sb, ',');
		if (strchr(one, ':')) {
			strbuf_addch(sb, '[');
			add_encoded(sb, one, ":");
			strbuf_addch(sb, ']');
		} else {
			add_encoded(sb, one, NULL);
		}
		free(one);
		if (p) {
			size_t pn = strcspn(p, ",");
			if (pn)
				strbuf_addf(sb, ":%.*s", (int)pn, p);
			p = p[pn] ? p + pn + 1 : NULL;
		}
		h = h[hn] ? h + hn + 1 : NULL;
	}
}

static char *rebuild_url(const char *url, size_t prefix,
			 const PQconninfoOption *opts)
{
	strbuf sb = STRBUF_INIT, query = STRBUF_INIT;
	const char *user = opt_val(opts, "user");
	const char *pw = opt_val(opts, "password");
	const char *hosts = opt_val(opts, "host");
	const char *ports = opt_val(opts, "port");
	const char *db = opt_val(opts, "dbname");
	bool auth = hosts && hosts_fit_authority(hosts);
	/* Ports go with their hosts only one for one; otherwise (one port
	 * for several hosts) as a parameter, as libpq reads it. */
	bool paired = auth && ports && count_items(ports) == count_items(hosts);

	strbuf_add(&sb, url, prefix);
	/* The password stands with its user, else as a parameter. */
	if (user) {
		add_encoded(&sb, user, NULL);
		if (pw)
			strbuf_adds(&sb, ":" MASK);
		strbuf_addch(&sb, '@');
	}
	if (auth)
		add_authority_hosts(&sb, hosts, paired ? ports : NULL);
	for (const PQconninfoOption *o = opts; o->keyword; o++) {
		const char *k = o->keyword;
		if (!o->val || !strcmp(k, "user") ||
		    (user && !strcmp(k, "password")) || !strcmp(k, "dbname") ||
		    (auth && !strcmp(k, "host")) ||
		    (paired && !strcmp(k, "port")))
			continue;
		strbuf_addf(&query, "%c%s=", query.len ? '&' : '?', k);
		if (is_secret(o))
			strbuf_adds(&query, MASK);
		else
			add_encoded(&query, o->val, "/:,");
	}
	/* Always a '/' before the query: without one, libpq would look for
	 * the user info's '@' in the parameters. */
	if (db || query.len)
		strbuf_addch(&sb, '/');
	if (db)
		add_encoded(&sb, db, NULL);
	strbuf_adds(&sb, strbuf_str(&query));
	strbuf_release(&query);
	return strbuf_detach(&sb);
}

/* The options of `conninfo`, or NULL when it does not parse or is
 * ambiguous. libpq's own message is dropped: it can quote the string. */
static PQconninfoOption *parse(const char *conninfo)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &err);
	PQfreemem(err);
	if (opts && url_prefix_len(conninfo) && !url_is_unambiguous(opts)) {
		PQconninfoFree(opts);
		return NULL;
	}
	return opts;
}

char *pg_url_redact(const char *url)
{
	if (!url)
		return NULL;
	PQconninfoOption *opts = parse(url);
	size_t prefix = url_prefix_len(url);
	char *shown;
	if (!opts) {
		shown = xstrdup(PG_UNPARSABLE_CONNINFO);
	} else if (prefix) {
		shown = rebuild_url(url, prefix, opts);
	} else {
		strbuf sb = STRBUF_INIT;
		for (const PQconninfoOption *o = opts; o->keyword; o++)
			if (o->val)
				add_keyword_value(&sb, o);
		shown = strbuf_detach(&sb);
	}
	PQconninfoFree(opts);
	return shown;
}

/* Is `s[at..at+n)` a whole token: no letter or digit touching it? */
static bool whole_token(const char *s, size_t at, size_t n)
{
	return (at == 0 || !isalnum((unsigned char)s[at - 1])) &&
	       !isalnum((unsigned char)s[at + n]);
}

/* Replace `secret` in *sb. A secret this short is also a common piece
 * of words ("a", "on", "pw1"): it is masked only where it stands alone,
 * so that the message stays readable. */
#define SHORT_SECRET 4
static void mask_secret(strbuf *sb, const char *secret)
{
	size_t n = strlen(secret);
	if (!n)
		return;
	strbuf out = STRBUF_INIT;
	const char *s = strbuf_str(sb), *p = s, *hit;
	while ((hit = strstr(p, secret))) {
		size_t at = (size_t)(hit - s);
		strbuf_add(&out, p, (size_t)(hit - p));
		if (n >= SHORT_SECRET || whole_token(s, at, n))
			strbuf_adds(&out, MASK);
		else
			strbuf_add(&out, hit, n);
		p = hit + n;
	}
	strbuf_adds(&out, p);
	strbuf_release(sb);
	*sb = out;
}

/*
 * libpq does not put option values of secret options in its messages
 * once a string parses (it quotes host names, ports, user and database
 * names); this is defence in depth for that case. For a string that does
 * not parse, libpq's message quotes pieces of it (an invalid parameter,
 * an invalid percent-encoded token), which may be the password: callers
 * then show none of it (pg_conn_message).
 */
char *pg_scrub_secrets(const char *msg, const char *conninfo)
{
	PQconninfoOption *opts = conninfo ? parse(conninfo) : NULL;
	if (!opts)
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, msg ? msg : "");
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (o->val && is_secret(o))
			mask_secret(&sb, o->val);
	PQconninfoFree(opts);
	strbuf_trim(&sb);
	return strbuf_detach(&sb);
}

char *pg_conn_message(const char *msg, const char *conninfo)
{
	char *safe = pg_scrub_secrets(msg, conninfo);
	if (safe)
		return safe;
	return xstrdup("the connection string does not parse (libpq's "
		       "message is not shown: it could quote a password)");
}
