/*
 * The protocol's pure parts: version negotiation, the check of tool
 * arguments against their schema, and small helpers shared by the
 * server and the tools (argv vectors, redaction of results).
 */
#include <string.h>

#include "../util/xalloc.h"
#include "mcp_internal.h"

static const char *const versions[] = {MCP_VERSION_CURRENT,
				       MCP_VERSION_PREVIOUS};

const char *mcp_negotiate_version(const char *requested)
{
	for (size_t i = 0;
	     requested && i < sizeof(versions) / sizeof(*versions); i++)
		if (!strcmp(requested, versions[i]))
			return versions[i];
	return versions[0];
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static bool has_type(const json_t *v, const char *type)
{
	if (!strcmp(type, "object"))
		return json_is_object(v);
	if (!strcmp(type, "string"))
		return json_is_string(v);
	if (!strcmp(type, "integer"))
		return json_is_integer(v);
	if (!strcmp(type, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(type, "array"))
		return json_is_array(v);
	return false;
}

/* `where` names the value in messages: "arguments" or "argument 'x'". */
static int check(const json_t *schema, const json_t *v, const char *where,
		 strbuf *why)
{
	const char *type = json_string_value(json_object_get(schema, "type"));
	if (type && !has_type(v, type)) {
		strbuf_addf(why, "%s: expected %s%s, got %s", where,
			    !strcmp(type, "integer") ||
				    !strcmp(type, "object") ||
				    !strcmp(type, "array")
				? "an "
				: "a ",
			    type, type_name(v));
		return -1;
	}
	const json_t *en = json_object_get(schema, "enum");
	if (json_is_array(en)) {
		size_t i;
		const json_t *x;
		bool found = false;
		json_array_foreach(en, i, x) found = found || json_equal(x, v);
		if (!found) {
			strbuf_addf(why, "%s: must be one of", where);
			json_array_foreach(en, i, x) strbuf_addf(
			    why, "%s '%s'", i ? "," : "",
			    json_string_value(x) ? json_string_value(x) : "?");
			return -1;
		}
	}
	if (json_is_string(v)) {
		size_t len = json_string_length(v);
		const json_t *mn = json_object_get(schema, "minLength");
		const json_t *mx = json_object_get(schema, "maxLength");
		if (json_is_integer(mn) &&
		    (json_int_t)len < json_integer_value(mn))
			return strbuf_addf(why, "%s: must not be empty", where),
			       -1;
		if (json_is_integer(mx) &&
		    (json_int_t)len > json_integer_value(mx))
			return strbuf_addf(
				   why, "%s: longer than %lld characters",
				   where, (long long)json_integer_value(mx)),
			       -1;
		/* A NUL inside a string could never reach a child's argv
		 * intact: refuse it rather than cut it short. */
		if (strlen(json_string_value(v)) != len)
			return strbuf_addf(why, "%s: contains a NUL character",
					   where),
			       -1;
	}
	const json_t *min = json_object_get(schema, "minimum");
	if (json_is_integer(v) && json_is_integer(min) &&
	    json_integer_value(v) < json_integer_value(min)) {
		strbuf_addf(why, "%s: must be at least %lld", where,
			    (long long)json_integer_value(min));
		return -1;
	}
	if (!json_is_object(v))
		return 0;

	const json_t *props = json_object_get(schema, "properties");
	const json_t *req = json_object_get(schema, "required");
	size_t i;
	const json_t *x;
	json_array_foreach(req, i, x)
	{
		const char *k = json_string_value(x);
		if (k && !json_object_get(v, k)) {
			strbuf_addf(why, "argument '%s' is required", k);
			return -1;
		}
	}
	const char *k;
	json_t *item;
	void *tmp;
	/* json_object_foreach needs a non-const object; nothing is
	 * changed. */
	json_object_foreach_safe((json_t *)v, tmp, k, item)
	{
		const json_t *sub = json_object_get(props, k);
		if (!sub) {
			if (json_is_false(json_object_get(
				schema, "additionalProperties"))) {
				strbuf_addf(why, "unknown argument '%s'", k);
				return -1;
			}
			continue;
		}
		strbuf name = STRBUF_INIT;
		strbuf_addf(&name, "argument '%s'", k);
		int r = check(sub, item, name.buf, why);
		strbuf_release(&name);
		if (r < 0)
			return -1;
	}
	return 0;
}

int mcp_check_args(const json_t *schema, const json_t *value, strbuf *why)
{
	return check(schema, value, "arguments", why);
}

void mcp_argv_push(mcp_argv *a, const char *s)
{
	if (a->n + 2 > a->alloc) {
		a->alloc = a->alloc ? 2 * a->alloc : 16;
		a->v = xrealloc(a->v, a->alloc * sizeof(*a->v));
	}
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

void mcp_argv_free(mcp_argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Strings that are a connection string: a database scheme, or libpq's
 * keyword form with a password. A default such as 'http://x'::text is
 * left alone. */
static bool looks_like_url(const char *s)
{
	static const char *const schemes[] = {"postgres://", "postgresql://",
					      "mysql://", "mariadb://"};
	for (size_t i = 0; i < sizeof(schemes) / sizeof(*schemes); i++)
		if (!strncmp(s, schemes[i], strlen(schemes[i])))
			return true;
	return !strncmp(s, "host=", 5) && strstr(s, "password=");
}

/* A server's DETAIL line that quotes a row ("Key (email)=(a@b.c)
 * already exists.", "Failing row contains (...)."). */
static bool quotes_row(const char *line, size_t len)
{
	if (len < 7 || strncmp(line, "DETAIL:", 7))
		return false;
	for (size_t i = 0; i + 3 <= len; i++)
		if (!strncmp(line + i, ")=(", 3))
			return true;
	for (size_t i = 0; i + 20 <= len; i++)
		if (!strncmp(line + i, "Failing row contains", 20))
			return true;
	return false;
}

/* Append `len` bytes of `p`, each byte that is not part of valid UTF-8
 * as U+FFFD: a JSON string must be UTF-8, and jansson refuses to build
 * one that is not. */
static void add_utf8(strbuf *sb, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = u[i] ? strbuf_utf8_decode(u + i, &cp) : 0;
		if (n > 0 && i + (size_t)n <= len) {
			strbuf_add(sb, u + i, (size_t)n);
			i += (size_t)n;
		} else {
			strbuf_adds(sb, "\xef\xbf\xbd");
			i++;
		}
	}
}

char *mcp_scrub_rows(const char *text)
{
	strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, ""); /* never NULL, even for "" */
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		if (quotes_row(p, len))
			strbuf_adds(&sb, "DETAIL:  (row values withheld)");
		else
			add_utf8(&sb, p, len);
		p += len;
		if (*p)
			strbuf_addch(&sb, *p++);
	}
	return strbuf_detach(&sb);
}

void mcp_redact_json(const mcp_srv *s, json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *item;
		json_object_foreach(v, k, item) mcp_redact_json(s, item);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) mcp_redact_json(s, item);
	} else if (json_is_string(v) && looks_like_url(json_string_value(v))) {
		const dialect *d = s->o->dialect;
		char *r = d && d->redact_url
			      ? d->redact_url(json_string_value(v))
			      : NULL;
		json_string_set(v, r ? r : "<connection string>");
		free(r);
	} else if (json_is_string(v) &&
		   strstr(json_string_value(v), "DETAIL:")) {
		/* No result carries row data: a server message about a
		 * failed step may quote the row that made it fail. */
		char *scrubbed = mcp_scrub_rows(json_string_value(v));
		json_string_set(v, scrubbed);
		free(scrubbed);
	}
}

const mcp_env *mcp_find_env(const mcp_srv *s, const char *name)
{
	for (int i = 0; name && i < s->o->nenvs; i++)
		if (!strcmp(s->o->envs[i].name, name))
			return &s->o->envs[i];
	return NULL;
}
