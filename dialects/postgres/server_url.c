#include "server_url.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/strbuf.h"
#include "../../util/xalloc.h"

static const char *const url_prefixes[] = {"postgres://", "postgresql://",
					   NULL};

bool server_claims_url(const char *spec)
{
	for (int i = 0; url_prefixes[i]; i++)
		if (!strncmp(spec, url_prefixes[i], strlen(url_prefixes[i])))
			return true;
	return false;
}

static void conninfo_add(strbuf *sb, const char *key, const char *val)
{
	strbuf_addf(sb, "%s%s='", sb->len ? " " : "", key);
	for (; *val; val++) {
		if (*val == '\'' || *val == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *val);
	}
	strbuf_addch(sb, '\'');
}

char *server_conninfo_with(const char *base, const char *dbname,
			   const char *user, const char *password)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(base, &err);
	strbuf sb = STRBUF_INIT;
	PQfreemem(err);
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, "dbname") &&
		    (!user || (strcmp(o->keyword, "user") &&
			       strcmp(o->keyword, "password") &&
			       strcmp(o->keyword, "passfile"))))
			conninfo_add(&sb, o->keyword, o->val);
	conninfo_add(&sb, "dbname", dbname);
	if (user)
		conninfo_add(&sb, "user", user);
	if (user && password)
		conninfo_add(&sb, "password", password);
	PQconninfoFree(opts);
	return strbuf_detach(&sb);
}

/*
 * `url` with its path replaced by `dbname`, percent-encoded. libpq ends
 * the user info at the first '@' before any '/', and the host list at
 * the first '/' or '?' after it; the path runs to the '?'.
 */
static char *url_with_path(const char *url, const char *dbname)
{
	const char *p = strstr(url, "://") + 3;
	const char *at = p + strcspn(p, "@/");
	const char *host = *at == '@' ? at + 1 : p;
	const char *path = host + strcspn(host, "/?");
	const char *query = path + strcspn(path, "?");
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, url, (size_t)(path - url));
	strbuf_addch(&sb, '/');
	for (const char *c = dbname; *c; c++) {
		unsigned char ch = (unsigned char)*c;
		if (isalnum(ch) || strchr("-._~", ch))
			strbuf_addch(&sb, (char)ch);
		else
			strbuf_addf(&sb, "%%%02X", ch);
	}
	strbuf_adds(&sb, query);
	return strbuf_detach(&sb);
}

static const char *opt_val(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, key))
			return o->val;
	return NULL;
}

/* Does `got` name exactly the options of `want`, but database `dbname`?
 * (A URL may also name its database in its query string, or be one
 * libpq reads differently from url_with_path.) */
static bool same_but_dbname(const PQconninfoOption *want,
			    const PQconninfoOption *got, const char *dbname)
{
	for (const PQconninfoOption *o = want; o->keyword; o++) {
		const char *g = opt_val(got, o->keyword);
		const char *w = strcmp(o->keyword, "dbname") ? o->val : dbname;
		if ((w == NULL) != (g == NULL) || (w && strcmp(w, g)))
			return false;
	}
	return true;
}

int server_url_with_database(const char *url, const char *dbname, char **out,
			     error *e)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &err);
	*out = NULL;
	/* libpq's message may quote the string, password and all. */
	PQfreemem(err);
	if (!opts)
		return error_set(e, EXIT_USAGE,
				 "cannot name database %s on that server: the "
				 "connection string does not parse",
				 dbname);
	if (server_claims_url(url)) {
		char *cand = url_with_path(url, dbname);
		PQconninfoOption *got = PQconninfoParse(cand, NULL);
		if (got && same_but_dbname(opts, got, dbname))
			*out = cand;
		else
			free(cand);
		PQconninfoFree(got);
	}
	if (!*out)
		*out = server_conninfo_with(url, dbname, NULL, NULL);
	PQconninfoFree(opts);
	return 0;
}
